"""Features computed by the MedLab agent itself, so that training and use cannot drift apart.

`medlab eeg features FILE --json` (agent/eeg/features: the EDF reader, channel matching by 10-20
name, the relative-PSD recipe) is run from the sources with Node + tsx for every file; its JSON
is cached under a folder outside the repository's tracked files (models/training/runs/ is
ignored by git). `medlab eeg info FILE --json` gives the header facts used only by the confound
probe (number of signals, start date); patient/recording identifiers are dropped on reading.
"""
import json
import os
import subprocess

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def _cli(args):
    cmd = ["node", "--import", "tsx", os.path.join(REPO, "agent", "cli", "main.ts")] + args
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        raise RuntimeError("medlab %s failed (%d): %s" % (" ".join(args[:2]), res.returncode, res.stderr.strip()))
    return json.loads(res.stdout)


def _cached(cache_dir, key, args):
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, key + ".json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    out = _cli(args)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, path)
    return out


def features(edf_path, cache_dir):
    """The agent's relative-PSD features of one recording (dict as printed by --json)."""
    key = os.path.splitext(os.path.basename(edf_path))[0] + ".features"
    return _cached(cache_dir, key, ["eeg", "features", os.path.abspath(edf_path), "--json"])


def header_facts(edf_path, cache_dir):
    """Number of data signals and the start date/time from the agent's reader (no identifiers)."""
    key = os.path.splitext(os.path.basename(edf_path))[0] + ".header"
    path = os.path.join(cache_dir, key + ".json")
    if not os.path.exists(path):
        info = _cli(["eeg", "info", os.path.abspath(edf_path), "--json"])["info"]
        facts = {"signals": len(info["signals"]), "startTime": info["startTime"]}
        os.makedirs(cache_dir, exist_ok=True)
        with open(path, "w") as f:
            json.dump(facts, f)
    with open(path) as f:
        return json.load(f)
