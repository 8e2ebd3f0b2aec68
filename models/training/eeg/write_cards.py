#!/usr/bin/env python3
"""model.json, expected.json and MODEL_CARD.md of the EEG models, from the training runs.

    /usr/bin/python3 models/training/eeg/write_cards.py bonn --runs models/training/runs/bonn
    /usr/bin/python3 models/training/eeg/write_cards.py ad --runs models/training/runs/ad
    /usr/bin/python3 models/training/eeg/write_cards.py depression --runs models/training/runs/depression

The figures on EEGMAT (and the depression recordings' final predictions) are measured by the
agent itself: `medlab eeg predict FILE --model ID --json` is run once model.json exists, and a
Python re-computation is printed beside it as a cross-check. expected.json holds what the CI
tests (test/eeg/predict*.test.ts) make the agent reproduce to within 0.01.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_io  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SHARED = os.path.abspath(os.path.join(REPO, "..", "shared", "data"))
EEGMAT = os.path.join(SHARED, "eeg", "eegmat")
NOT_CLINICAL = "Research only. Not for clinical use."


def predict_cli(path, model):
    cmd = ["node", "--import", "tsx", os.path.join(REPO, "agent", "cli", "main.ts"), "eeg", "predict",
           os.path.abspath(path), "--model", model, "--json"]
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=1800)
    if res.returncode != 0:
        raise RuntimeError("medlab eeg predict failed: " + res.stderr.strip())
    return json.loads(res.stdout)


def ci(v, nd=3):
    return "[%.*f, %.*f]" % (nd, v[0], nd, v[1])


def est(d, key, nd=3):
    """'0.950 [0.90, 0.98]' from a metrics.py summary."""
    c = d.get(key + "CI95") or d.get(key + "CI95DeLong")
    return ("%.*f" % (nd, d[key])) + (" " + ci(c, nd) if c else "")


def write_manifest(model_dir, manifest):
    onnx_io.write_json(os.path.join(model_dir, "model.json"), manifest)


# ───────────────────────────── Bonn seizure detector ─────────────────────────────

def bonn(runs):
    import train_bonn as T
    cv = json.load(open(os.path.join(runs, "cv.json")))
    model_id = "eeg-seizure-bonn"
    out = os.path.join(REPO, "models", model_id)
    r = cv["cv"]
    manifest = {
        "id": model_id,
        "name": "Seizure detector, single-channel EEG windows (Bonn, EEGNet-style 1-D CNN)",
        "version": "1.0.0",
        "task": "eeg-window-classification",
        "file": "model.onnx",
        "sha256": cv["final"]["sha256"],
        "labels": ["non-seizure", "seizure"],
        "positiveLabel": "seizure",
        "input": {"name": "input", "shape": [-1, 1, T.WINDOW], "dtype": "float32"},
        "outputs": {"scores": "probabilities", "scoreType": "probabilities"},
        "preprocessing": {
            "kind": "eeg-window",
            "sampleRate": T.FS,
            "filter": {"description": "Butterworth band-pass %.1f-%.0f Hz, order %d (scipy.signal.butter, fs %.2f)"
                                      % (T.BAND[0], T.BAND[1], T.ORDER, T.FS),
                       "sos": cv["sos"], "zeroPhase": True, "padding": "odd", "padLength": cv["padlen"]},
            "windowSamples": T.WINDOW,
            "hopSamples": T.HOP_EVAL,
            "normalize": {"kind": "zscore", "minStd": T.MIN_STD},
            "events": {"label": "seizure", "threshold": 0.5},
        },
        "license": "Model: MIT (MedLab). Training data: Bonn University epilepsy EEG (Andrzejak et al. 2001), "
                   "free for research use with citation; no redistribution licence stated. Not for clinical use.",
        "trainingData": "Bonn EEG sets Z, O (scalp, healthy, eyes open/closed), N, F (intracranial, interictal) "
                        "and S (intracranial, ictal); 500 single-channel segments of 23.6 s at 173.61 Hz.",
        "intendedUse": NOT_CLINICAL + " Research demonstrator of window-level seizure detection; "
                                      "fires on scalp recordings of healthy people (see MODEL_CARD.md).",
        "metrics": {
            "validation": "5-fold cross-validation over segments (stratified by set); no subject ids: upper bounds",
            "windowAccuracy": r["window"]["accuracy"], "windowSensitivity": r["window"]["sensitivity"],
            "windowSpecificity": r["window"]["specificity"],
            "segmentAccuracy": r["segment"]["accuracy"], "segmentSensitivity": r["segment"]["sensitivity"],
            "segmentSpecificity": r["segment"]["specificity"],
        },
    }
    write_manifest(out, manifest)
    # EEGMAT through the agent (reader, resampling 500 -> 173.61 Hz, filter, windows).
    eegmat = {}
    for f in sorted(glob.glob(os.path.join(EEGMAT, "*.edf"))):
        p = predict_cli(f, model_id)
        k = p["labels"].index("seizure")
        ps = np.array([w["probabilities"][k] for w in p["windows"]])
        chans = sorted({w["channel"] for w in p["windows"]})
        seconds = max(w["start"] + w["duration"] for w in p["windows"])
        eegmat[os.path.basename(f)] = {
            "windows": int(len(ps)), "channels": len(chans), "seconds": round(seconds, 1),
            "alarmFraction": round(float((ps >= 0.5).mean()), 4),
            "meanProbability": round(float(ps.mean()), 4),
            "events": len(p["events"]),
            "eventSeconds": round(float(sum(e["duration"] for e in p["events"])), 1),
        }
        print(os.path.basename(f), eegmat[os.path.basename(f)])
    expected = {
        "model": model_id, "data": "eeg-clinical/bonn (Z, O, N, F, S .i16) and eeg/eegmat/*.edf",
        "sampleRate": T.FS,
        "folds": {"assignment": cv["fold"], "order": "rows of Z, O, N, F, S in file order",
                  "files": [{"fold": f["fold"], "file": f["file"], "sha256": f["sha256"]} for f in r["perFold"]]},
        "heldOut": {name: {k: r[name][k] for k in ("n", "accuracy", "sensitivity", "specificity", "auroc")}
                    for name in ("window", "segment")},
        "eegmat": eegmat,
    }
    onnx_io.write_json(os.path.join(out, "expected.json"), expected)
    card = bonn_card(cv, manifest, eegmat)
    with open(os.path.join(out, "MODEL_CARD.md"), "w") as f:
        f.write(card)


def bonn_card(cv, manifest, eegmat):
    r = cv["cv"]
    w, s, intra = r["window"], r["segment"], r["intracranialOnly"]
    tot_w = sum(v["windows"] for v in eegmat.values())
    tot_a = sum(round(v["alarmFraction"] * v["windows"]) for v in eegmat.values())
    tot_s = sum(v["seconds"] for v in eegmat.values())
    tot_ev = sum(v["events"] for v in eegmat.values())
    ev_s = sum(v["eventSeconds"] for v in eegmat.values())
    rows = "\n".join(
        "| %s | %d | %d (%.1f %%) | %d | %d (%.1f %%) |" % (
            k, v["segments"], v["segmentsCalledSeizure"], 100 * v["segmentsCalledSeizure"] / v["segments"],
            v["windows"], v["windowsCalledSeizure"], 100 * v["windowsCalledSeizure"] / v["windows"])
        for k, v in r["perSet"].items())
    eeg_rows = "\n".join(
        "| %s | %d | %.0f s | %d | %.1f %% | %.3f | %d (%.0f s) |" % (
            k, v["channels"], v["seconds"], v["windows"], 100 * v["alarmFraction"], v["meanProbability"],
            v["events"], v["eventSeconds"]) for k, v in eegmat.items())
    folds = "\n".join("| %d | %.3f | %.3f | %.3f | %.0f s |" % (
        f["fold"], f["windows"]["accuracy"], f["windows"]["sensitivity"], f["windows"]["specificity"],
        f["trainSeconds"]) for f in r["perFold"])
    pre = manifest["preprocessing"]
    return f"""# eeg-seizure-bonn — seizure detector on single-channel EEG windows

**Research software. Not for clinical use.** Trained on 500 short, artefact-screened segments from
10 people; the figures below are segment-level cross-validation upper bounds (no subject ids), and
it has never seen a scalp seizure. False-alarm rate on healthy scalp EEG: see "EEGMAT".

## Data and licence
- Bonn University epilepsy EEG (Andrzejak RG et al., *Phys Rev E* 64:061907, 2001), sets Z, O, N, F, S
  (= A–E), 100 single-channel segments each, 4097 samples (23.6 s) at 173.61 Hz, band-passed
  0.53–40 Hz at acquisition. Z/O: **scalp** EEG of 5 healthy volunteers (eyes open / closed);
  N/F: **intracranial** interictal EEG of 5 epilepsy patients (opposite hemisphere / epileptogenic zone);
  S: intracranial **ictal** EEG of the same patients. Files: `shared/data/eeg-clinical/bonn`.
- Terms: free for research use with citation of the paper above; no redistribution licence is stated.
  Model weights: MIT (MedLab).

## Model
- Task: seizure (S) vs non-seizure (Z, O, N, F), one channel at a time, window of {pre['windowSamples']}
  samples = {pre['windowSamples'] / pre['sampleRate']:.2f} s at {pre['sampleRate']} Hz, slid every
  {pre['hopSamples']} samples ({pre['hopSamples'] / pre['sampleRate']:.2f} s).
- EEGNet-style 1-D CNN (temporal conv, depthwise temporal conv, two separable convs, global average
  pooling, linear): {cv['final']['parameters']} parameters; ONNX {os.path.getsize(os.path.join(REPO, 'models', manifest['id'], 'model.onnx')) / 1024:.0f} KB, output softmax
  `[n, 2]` = (non-seizure, seizure).
- Preprocessing (model.json, repeated by the agent): resample to 173.61 Hz (polyphase, as
  scipy `resample_poly`; the Bonn data need none), zero-phase Butterworth band-pass 0.5–40 Hz order 4
  (second-order sections stored in model.json, odd padding of {pre['filter']['padLength']} samples, as scipy `sosfiltfilt`),
  windows, each window z-scored (its mean and population SD), so the amplitude scale plays no part.
- Training: AdamW, one-cycle learning rate, {T_EPOCHS} epochs of 80 balanced batches of 64 windows,
  {min(f['trainSeconds'] for f in r['perFold']):.0f}–{max(f['trainSeconds'] for f in r['perFold']):.0f} s per fold on 1 CPU thread (shared machine), balanced batches (half seizure windows), random polarity flips; training windows
  every {T_HOP_TRAIN} samples. Final model: the same recipe on all 500 segments ({cv['final']['trainSeconds']:.0f} s).

## Validation (what the numbers mean)
5-fold cross-validation over **segments**, stratified by set (20 segments of each set per fold);
each fold model scores only its held-out segments. The distribution has **no subject ids**, and
every person contributes many segments, so segments of the same person sit in training and test:
**all figures are upper bounds, not subject-wise estimates.** Intervals: Wilson 95 % for
proportions, DeLong for AUROC, stratified bootstrap (2000) for balanced accuracy.
Windows overlap by 50 % and share segments, so the window-level intervals are too narrow.

| level | n | accuracy | sensitivity | specificity | balanced accuracy | AUROC |
|---|---|---|---|---|---|---|
| window (held out) | {w['n']} ({w['nPositive']} seizure) | {est(w, 'accuracy')} | {est(w, 'sensitivity')} | {est(w, 'specificity')} | {est(w, 'balancedAccuracy')} | {w['auroc']:.4f} {ci(w['aurocCI95DeLong'], 4)} |
| segment (mean of its {r['windowsPerSegment']} windows) | {s['n']} ({s['nPositive']} seizure) | {est(s, 'accuracy')} | {est(s, 'sensitivity')} | {est(s, 'specificity')} | {est(s, 'balancedAccuracy')} | {s['auroc']:.4f} {ci(s['aurocCI95DeLong'], 4)} |

Targets of the issue: accuracy ≥ 0.98 and sensitivity ≥ 0.97 — window level: accuracy
{w['accuracy']:.3f}, sensitivity {w['sensitivity']:.3f}; segment level: accuracy {s['accuracy']:.3f},
sensitivity {s['sensitivity']:.3f}.

{T_LONGER(cv)}

Per fold (windows):

| fold | accuracy | sensitivity | specificity | training time |
|---|---|---|---|---|
{folds}

### Subgroups: per set (held-out predictions, threshold 0.5)
| set | segments | segments called seizure | windows | windows called seizure |
|---|---|---|---|---|
{rows}

## Known confounds
- **Scalp vs intracranial.** Z/O are scalp recordings of healthy volunteers; N/F/S are depth recordings
  of patients. Anything that separates recording modality (spectrum shape, reference, noise) helps to
  call Z/O "non-seizure" without learning about seizures. The clinically meaningful contrast is
  within the intracranial sets: **interictal N+F vs ictal S, segment level: accuracy
  {est(intra, 'accuracy')}, sensitivity {est(intra, 'sensitivity')}, specificity
  {est(intra, 'specificity')} (n = {intra['n']})** (same out-of-fold predictions). Most window-level
  false alarms come from F (interictal, inside the epileptogenic zone): see the per-set table.
  The scalp sets are the easy part: see the per-set table.
- Segments were selected by hand and artefact-screened; continuous clinical EEG has artefacts
  (eye movements, muscle, electrode pops) that never appear in training.
- Per-window z-scoring removes amplitude, the strongest ictal cue in depth EEG, but also the gross
  scalp-vs-depth amplitude difference.

## EEGMAT: healthy volunteers, no seizures (domain shift)
The final model through `medlab eeg predict` on the six EEGMAT recordings (PhysioNet "EEG during
mental arithmetic", healthy young volunteers, 500 Hz scalp EEG, 19 10-20 channels + A2-A1;
rest and arithmetic), every EEG channel scored alone, resampled to 173.61 Hz by the agent.
**Every alarm here is a false alarm.**

| recording | channels | length | windows | windows ≥ 0.5 (alarm rate) | mean p(seizure) | merged events (total length) |
|---|---|---|---|---|---|---|
{eeg_rows}
| **all** | | {tot_s:.0f} s | {tot_w} | **{100 * tot_a / tot_w:.2f} %** ({tot_a} windows) | | {tot_ev} ({ev_s:.0f} s) |

That is {tot_ev} false event(s) in {tot_s / 60:.0f} min of recording ({3600 * tot_ev / tot_s:.1f} per hour of 20-channel EEG).
A Python re-computation (MNE reader, scipy `resample_poly` and `sosfiltfilt`, PyTorch) gives the same
window counts and alarms.

{T_EEGMAT_VERDICT(100 * tot_a / tot_w)}

## Use
`medlab eeg predict FILE --model eeg-seizure-bonn [--channels O1,O2] [--json]`: per-window
probabilities for every EEG channel, the recording mean, and merged events (windows with
p(seizure) ≥ 0.5, overlapping across channels). Research use only.

## Reproduce
`/usr/bin/python3 models/training/eeg/train_bonn.py --data ../shared/data/eeg-clinical/bonn --out models/eeg-seizure-bonn --runs models/training/runs/bonn --epochs {T_EPOCHS} --threads 1`
then `write_cards.py bonn --runs models/training/runs/bonn` (see models/training/eeg/README.md).
`test/eeg/predictSeizure.test.ts` makes the agent reproduce the held-out figures with the fold
models in `folds/` and the EEGMAT alarm rates (to within 0.01).
"""


def T_LONGER(cv):
    """The same CV with twice the training (runs/bonn40, --epochs 40 --folds-only), if it was run."""
    path = os.path.join(REPO, "models", "training", "runs", "bonn40", "cv.json")
    if not os.path.exists(path):
        return ""
    r = json.load(open(path))["cv"]
    return ("The window-level sensitivity is not a matter of training length: the same 5-fold CV with 40 "
            "instead of %d epochs gave windows accuracy %.3f, sensitivity %.3f, specificity %.3f and segments "
            "accuracy %.3f, sensitivity %.3f, specificity %.3f (not shipped; the model above was fixed before). "
            "The missed windows sit in a few ictal segments whose EEG looks interictal for part of the 23.6 s." % (
                T_EPOCHS, r["window"]["accuracy"], r["window"]["sensitivity"], r["window"]["specificity"],
                r["segment"]["accuracy"], r["segment"]["sensitivity"], r["segment"]["specificity"]))


T_HOP_TRAIN = 64
T_EPOCHS = 20


def T_EEGMAT_VERDICT(rate):
    if rate >= 20:
        return ("**Verdict: the detector fires on a large share of normal scalp EEG. It is not usable as a "
                "seizure alarm on scalp recordings;** it learned the Bonn contrast, not seizures in general.")
    if rate >= 2:
        return ("**Verdict: a false-alarm rate of this size on normal scalp EEG makes the detector unusable as "
                "an alarm on scalp recordings without further work;** alarms cluster on artefacts.")
    return ("The detector rarely fires on these normal scalp recordings; this does not show that it detects "
            "scalp seizures, which it never saw.")


# ───────────────────────────── relative-PSD screens (AD, depression) ─────────────────────────────

KIND_NAMES = {"lr": "logistic regression on log band powers (baseline)", "mlp": "MLP head", "kan": "KAN head (Gaussian RBF)"}


def psd_manifest(model_id, name, study, labels, positive, license_, training, extra_use):
    shipped = study["shipped"]
    return {
        "id": model_id, "name": name, "version": "1.0.0", "task": "eeg-recording-classification",
        "file": "model.onnx", "sha256": study["final"]["sha256"], "labels": labels, "positiveLabel": positive,
        "input": {"name": "input", "shape": [-1, 19, 59], "dtype": "float32"},
        "outputs": {"scores": "probabilities", "scoreType": "probabilities"},
        "preprocessing": {"kind": "eeg-features", "recipe": "relative-psd",
                          "channels": ["Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz", "C4",
                                       "T4", "T5", "P3", "Pz", "P4", "T6", "O1", "O2"],
                          "epochSeconds": 4, "welchSegmentSeconds": 2, "minHz": 1, "maxHz": 30, "bins": 59,
                          "aggregation": "mean"},
        "license": license_, "trainingData": training,
        "intendedUse": NOT_CLINICAL + " " + extra_use,
        "metrics": {"validation": "subject-wise stratified group %d-fold x %d repeats" % (
            study["config"]["folds"], study["config"]["repeats"]), "head": shipped,
            **{c: {k: study["results"][shipped][c]["pooled"][k]
                   for k in ("balancedAccuracy", "auroc", "sensitivity", "specificity")}
               for c in study["results"][shipped]}},
    }


def psd_expected(model_id, data, study):
    shipped = study["shipped"]
    return {
        "model": model_id, "head": shipped, "data": data,
        "cv": {"folds": study["config"]["folds"], "repeats": study["config"]["repeats"],
               "assignment": study["folds"], "files": study["foldFiles"]},
        "heldOut": {c: {"pooled": {k: v["pooled"][k] for k in ("n", "nPositive", "balancedAccuracy", "auroc",
                                                                "sensitivity", "specificity")},
                        "perRepeatMean": v["perRepeatMean"]}
                    for c, v in study["results"][shipped].items()},
    }


def metric_row(label, d, seconds=None):
    p = d["pooled"]
    return "| %s | %s | %.3f %s | %s | %s | %.3f ± %.3f | %s |" % (
        label, est(p, "balancedAccuracy"), p["auroc"], ci(p["aurocCI95DeLong"]), est(p, "sensitivity"),
        est(p, "specificity"), d["perRepeatMean"]["balancedAccuracy"], d["perRepeatSD"]["balancedAccuracy"],
        "" if seconds is None else "%.2f s" % seconds)


def comparison_lines(study, conditions):
    out = []
    for c in conditions:
        for name, d in study["comparisons"][c].items():
            a, b = name.split("_minus_")
            for m in ("balancedAccuracy", "auroc"):
                x = d[m]
                out.append("| %s | %s − %s | %s | %+.3f | %s | %s |" % (
                    c, a.upper(), b.upper(), m, x["difference"], ci(x["ci95"]),
                    "**yes**" if x["supported"] else "no (CI includes 0)"))
    return "\n".join(out)


def subject_table(study, kind, conditions):
    res = study["results"][kind]
    subs = {}
    for c in conditions:
        for row in res[c]["subjects"]:
            subs.setdefault(row["subject"], {"label": row["label"]})[c] = row["probability"]
    lines = ["| subject | group | " + " | ".join("p(%s) %s" % (study["positiveLabel"], c) for c in conditions) + " |",
             "|---|---|" + "---|" * len(conditions)]
    for s in sorted(subs):
        v = subs[s]
        cells = []
        for c in conditions:
            if c in v:
                wrong = (v[c] >= 0.5) != (v["label"] == study["positiveLabel"])
                cells.append(("**%.2f**" if wrong else "%.2f") % v[c])
            else:
                cells.append("—")
        lines.append("| %s | %s | %s |" % (s, v["label"], " | ".join(cells)))
    return "\n".join(lines)


def model_size_kb(model_id):
    d = os.path.join(REPO, "models", model_id)
    folds = sum(os.path.getsize(f) for f in glob.glob(os.path.join(d, "folds", "*.onnx")))
    return os.path.getsize(os.path.join(d, "model.onnx")) / 1024, folds / 1024


def ad(runs):
    study = json.load(open(os.path.join(runs, "study.json")))
    study["positiveLabel"] = "AD"
    model_id = "eeg-ad-screen"
    out = os.path.join(REPO, "models", model_id)
    manifest = psd_manifest(
        model_id, "Alzheimer's screen (AD vs healthy), relative-PSD EEG features, %s" % KIND_NAMES[study["shipped"]],
        study, ["healthy", "AD"], "AD",
        "Model: MIT (MedLab). Training data: ADFSU (Pritchard et al. 1991; OSF release with Vicchietti et al. 2023), "
        "licence unclear: research use with citation, do not redistribute outside the lab. Not for clinical use.",
        "ADFSU relative-PSD features (eeg-clinical/ad-cn-adfsu/features.f32): 76 AD, 12 healthy; eyes closed and open; "
        "19 channels, 128 Hz, band-limited 0.5-30 Hz and artefact-cleaned at source.",
        "Calls healthy young volunteers of another site AD (see MODEL_CARD.md): not usable as a screen.")
    write_manifest(out, manifest)
    eegmat = {}
    for f in sorted(glob.glob(os.path.join(EEGMAT, "*.edf"))):
        p = predict_cli(f, model_id)
        k = p["labels"].index("AD")
        name = os.path.basename(f)
        eegmat[name] = {"epochs": len(p["windows"]), "probabilityAD": round(p["probabilities"][k], 4),
                        "std": round(p["spread"]["std"], 4), "q25": round(p["spread"]["q25"], 4),
                        "q75": round(p["spread"]["q75"], 4),
                        "fractionEpochsAD": round(float(np.mean([w["probabilities"][k] >= 0.5 for w in p["windows"]])), 4)}
        print(name, "agent", eegmat[name], "python", study["eegmat"][name]["probabilityAD"])
    shift = domain_shift(os.path.join(SHARED, "eeg-clinical", "ad-cn-adfsu"))
    for name, v in shift["eegmat"].items():
        eegmat[name].update(v)
    study["domainShift"] = shift
    expected = psd_expected(model_id, "eeg-clinical/ad-cn-adfsu (features.f32, signals.f32, epochs.csv) and eeg/eegmat/*.edf", study)
    expected["eegmat"] = eegmat
    onnx_io.write_json(os.path.join(out, "expected.json"), expected)
    with open(os.path.join(out, "MODEL_CARD.md"), "w") as f:
        f.write(ad_card(study, manifest, eegmat))


def domain_shift(adfsu_dir):
    """How far EEGMAT's features lie from ADFSU's: log relative PSD standardised with ADFSU's mean
    and SD per feature; mean |z| and share of |z| > 3, per EEGMAT file and for ADFSU itself."""
    X = np.fromfile(os.path.join(adfsu_dir, "features.f32"), dtype="<f4").reshape(-1, 19 * 59).astype(np.float64)
    z = np.log(X + 1e-8)
    mu, sd = z.mean(axis=0), z.std(axis=0)

    def stats(x):
        q = np.abs((np.log(x.reshape(len(x), -1) + 1e-8) - mu) / sd)
        return {"meanAbsZ": round(float(q.mean()), 3), "fractionAbsZOver3": round(float((q > 3).mean()), 4)}

    ref = json.load(open(os.path.join(adfsu_dir, "eegmat_reference_features.json")))
    return {"adfsu": stats(X), "eegmat": {k: stats(np.array(v["features"])) for k, v in sorted(ref["files"].items())}}


def ad_card(study, manifest, eegmat):
    cfg, res, shipped = study["config"], study["results"], study["shipped"]
    secs = study["trainSecondsPerFit"]
    conds = ["EC", "EO", "all"]
    table = []
    for c in conds:
        for k in ("lr", "mlp", "kan"):
            table.append(metric_row("%s | %s" % ({"EC": "eyes closed", "EO": "eyes open", "all": "both (subject mean)"}[c],
                                                 KIND_NAMES[k] + (" **(shipped)**" if k == shipped else "")),
                                    res[k][c], secs[k]))
        if c in study["lrPerCondition"]:
            table.append(metric_row("%s | logistic regression, one per condition (data README form)" % c,
                                    study["lrPerCondition"][c]))
    n_ctrl = study["counts"]["subjects"]["healthy"]
    spec_ec = res[shipped]["EC"]["pooled"]
    kb, folds_kb = model_size_kb(manifest["id"])
    eeg_rows = "\n".join("| %s | %d | %.3f | %.3f | %.3f–%.3f | %.0f %% | %s | %.2f | %.1f %% |" % (
        k, v["epochs"], v["probabilityAD"], v["std"], v["q25"], v["q75"], 100 * v["fractionEpochsAD"],
        "AD" if v["probabilityAD"] >= 0.5 else "healthy", v["meanAbsZ"], 100 * v["fractionAbsZOver3"])
        for k, v in eegmat.items())
    own = study["domainShift"]["adfsu"]
    called_ad = sum(1 for v in eegmat.values() if v["probabilityAD"] >= 0.5)
    best = study["bestNetwork"]
    target = all(res[shipped][c]["pooled"]["balancedAccuracy"] >= 0.90 for c in ("EC", "EO"))
    return f"""# eeg-ad-screen — Alzheimer's disease vs healthy, relative-PSD EEG features

**Research software. Not for clinical use.** {T_AD_HEADLINE(called_ad)}

## Data and licence
- ADFSU (Florida State University; Pritchard, Duke & Coburn 1991; released on OSF with Vicchietti et al.
  2023, *Sci Rep* 13:8184): {study['counts']['subjects']['AD']} AD and {n_ctrl} healthy subjects after
  de-duplication (AD P41–P44 are copies of P40 and were removed), eyes closed (EC) and eyes open (EO),
  one 8-s recording per subject and condition (healthy P5 has no EO), 19 channels at 128 Hz,
  band-limited 0.5–30 Hz and artefact-cleaned at source, linked-mandible reference. No age, sex or MMSE.
- Licence of the data: **unclear** (no licence on the GitHub copy, reportedly none on OSF): research use
  with citation; do not redistribute outside the lab. Model weights: MIT (MedLab).
- Input: THE RECIPE's relative Welch PSD (common average of the 19 channels, 4-s epochs, 2-s periodic
  Hann segments, 1–30 Hz in 0.5-Hz bins, each channel's spectrum divided by its sum): `[epochs, 19, 59]`,
  two epochs per recording ({study['counts']['epochs']} epochs). A recording's result is the mean over its epochs.

## Models compared (same inputs, same folds)
All three take the raw recipe features; log and standardisation (fitted on the training folds)
are inside the ONNX graph.
- **Baseline**: logistic regression (C = 1, balanced class weights) on log relative band powers per
  channel (delta 1–4, theta 4–8, alpha 8–13, beta 13–30 Hz; {study['parameters']['lr']} parameters).
- **MLP head**: log-PSD (1121) → {cfg['mlp_hidden']} GELU units → 2, dropout ({study['parameters']['mlp']} parameters).
- **KAN head** (our PyTorch implementation): two Kolmogorov–Arnold layers 1121 → {cfg['kan_hidden']} → 2, each edge a
  learnt function = {cfg['kan_grid']} Gaussian radial basis functions on [−2, 2] + a SiLU base term, batch norm between
  ({study['parameters']['kan']} parameters: matched to the MLP within {abs(study['parameters']['kan'] - study['parameters']['mlp'])}).
- Networks: AdamW (lr {cfg['lr']}, weight decay {cfg['weight_decay']}), {cfg['steps']} full-batch steps, class-weighted
  cross-entropy; one model for both conditions (a subject's EC and EO epochs share a fold).
- Training time per fit (1 CPU thread on a shared machine): baseline {secs['lr']:.2f} s, MLP {secs['mlp']:.2f} s,
  KAN {secs['kan']:.2f} s; {study['fitsPerKind']} fits each.

## Validation
Subject-wise: stratified group {cfg['folds']}-fold cross-validation over subjects, repeated {cfg['repeats']} times
with different shuffles (every fold model scores only subjects it never saw). A subject's figure
per condition is the mean of its epochs' probabilities in that condition; the **pooled** figure
averages each subject's out-of-fold probability over the {cfg['repeats']} repeats and scores the 88 subjects once
(threshold 0.5). Intervals: Wilson 95 % (sensitivity, specificity), DeLong 95 % (AUROC), stratified
bootstrap 2000 × (balanced accuracy). "Per repeat" = mean ± SD of the figure over the repeats (split variability).

| condition | model | balanced accuracy [95 % CI] | AUROC [DeLong 95 % CI] | sensitivity (AD) | specificity (healthy) | BA per repeat | time / fit |
|---|---|---|---|---|---|---|---|
{chr(10).join(table)}

Target of the issue: subject-level balanced accuracy ≥ 0.90 in both conditions — shipped model
({KIND_NAMES[shipped]}): EC {res[shipped]['EC']['pooled']['balancedAccuracy']:.3f}, EO {res[shipped]['EO']['pooled']['balancedAccuracy']:.3f}
({'met' if target else 'not met'} on the point estimates; see the intervals).

**Only {n_ctrl} controls.** Specificity rests on {n_ctrl} people (11 with EO): one control more or less
called AD moves it by {100 / n_ctrl:.0f} points, and its 95 % interval is about ±0.2 wide (EC: {est(spec_ec, 'specificity')}).
The balanced-accuracy and AUROC intervals are dominated by this; differences between models smaller
than about 0.1 cannot be told apart with these data. Where a model separates the subjects perfectly,
the DeLong and bootstrap intervals collapse to [1.000, 1.000]: that is an artefact of resampling 12
controls that are all correct, not certainty; the Wilson interval of the specificity (lower bound
about 0.74–0.76 for 11/11 or 12/12) is the honest width.

### KAN vs MLP (and each vs the baseline): paired bootstrap over subjects, 95 % CI of the difference
| condition | difference | metric | point | 95 % CI | supported by the CI |
|---|---|---|---|---|---|
{comparison_lines(study, conds)}

Decision rule (fixed before the run): ship the network with the higher pooled balanced accuracy
(mean over EC and EO; then AUROC, then the per-repeat mean balanced accuracy), and only if it beats
the baseline's point estimate; otherwise the baseline is shipped. {T_TIE(study, conds[:2])} Better network:
**{best.upper()}**; shipped: **{KIND_NAMES[shipped]}**. No difference between the heads, or between a head and the
baseline, is supported by the intervals: the networks' advantage over the baseline in eyes-closed
balanced accuracy (+{study['comparisons']['EC']['mlp_minus_lr']['balancedAccuracy']['difference']:.2f}) rests on one or two controls.

## Per subject (shipped model, pooled out-of-fold probability of AD; bold = misclassified)
{subject_table(study, shipped, ['EC', 'EO'])}

## EEGMAT: domain shift (healthy young volunteers, raw 500 Hz recordings)
The final model through `medlab eeg predict` (agent reader, recipe at 500 Hz) on the six EEGMAT
recordings (PhysioNet "EEG during mental arithmetic", healthy volunteers; `_1` rest, `_2` arithmetic).
Everyone here is healthy.

| recording | epochs | p(AD) mean | SD | quartiles | epochs called AD | recording called | mean abs z | features with abs z > 3 |
|---|---|---|---|---|---|---|---|---|
{eeg_rows}
| ADFSU itself (for scale) | | | | | | | {own['meanAbsZ']:.2f} | {100 * own['fractionAbsZOver3']:.1f} % |

"mean abs z": each log relative-PSD value standardised with ADFSU's mean and SD of that channel and
bin; how far EEGMAT's inputs lie outside the training distribution, whatever the model says.

The heads that were not shipped, trained the same way on all subjects: p(AD) on the six
recordings {T_OTHER_HEADS(study)}.

**What it says:** {('%d of 6 healthy recordings are called AD. ' % called_ad) if called_ad else ''}{T_AD_VERDICT(called_ad)}

## Known confounds
- Acquisition: all ADFSU recordings come from one site, band-limited and cleaned at source; the
  AD/control groups may differ in recording session or processing (the README's baseline figures
  are suspiciously high for 8 s of EEG). Nothing here separates disease from acquisition.
- {n_ctrl} controls vs {study['counts']['subjects']['AD']} AD; no age/sex: age-related slowing cannot be separated from AD.
- Raw clinical recordings (artefacts, other references, higher rates, 50 Hz mains, other amplifiers)
  are a different domain (EEGMAT above).
- The 3-class AD / FTD / healthy task has no data here; the manifest and the agent handle any number
  of labels, this model has two.

## Files and reproduction
`model.onnx` ({kb:.0f} KB), `folds/` ({len(study['foldFiles'])} fold models, {folds_kb:.0f} KB), `expected.json` (what CI reproduces).
`/usr/bin/python3 models/training/eeg/train_ad_screen.py --data ../shared/data/eeg-clinical/ad-cn-adfsu --out models/eeg-ad-screen --runs models/training/runs/ad`,
then `write_cards.py ad --runs models/training/runs/ad` ({study['cvSeconds'] / 60:.0f} min for the whole study here).
`test/eeg/predictAlzheimer.test.ts` recomputes the features from `signals.f32` with the agent's recipe,
runs every fold model on its held-out subjects and the final model on EEGMAT, and matches this card to within 0.01.
"""


def T_OTHER_HEADS(study):
    parts = []
    for kind, files in study.get("eegmatOtherHeads", {}).items():
        ps = [v["probabilityAD"] for v in files.values()]
        parts.append("%s %.3f–%.3f (%d of %d called AD)" % (
            {"lr": "baseline", "mlp": "MLP", "kan": "KAN"}[kind], min(ps), max(ps),
            sum(1 for v in files.values() if v["called"] == "AD"), len(ps)))
    return "; ".join(parts) if parts else "(not computed)"


def T_TIE(study, conds):
    r = study["results"]
    pooled = [[r[k][c]["pooled"][m] for c in conds for m in ("balancedAccuracy", "auroc")] for k in ("mlp", "kan")]
    if pooled[0] != pooled[1]:
        return ""
    rep = {k: float(np.mean([r[k][c]["perRepeatMean"]["balancedAccuracy"] for c in conds])) for k in ("mlp", "kan")}
    return ("The two heads **tie** on the pooled figures (every subject on the same side of 0.5, perfect "
            "ranking); per repeat, MLP %.3f vs KAN %.3f mean balanced accuracy, and the KAN takes about twice "
            "the training time." % (rep["mlp"], rep["kan"]))


def T_AD_HEADLINE(called):
    if called:
        return ("%d of the 6 EEGMAT recordings of healthy young volunteers are called AD by this screen: it does "
                "not transfer to another site's recordings and **is not usable as a screen** (see \"EEGMAT: "
                "domain shift\")." % called)
    return ("Trained on one site's 88 subjects with only 12 controls and acquisition confounds. It calls the 6 "
            "EEGMAT recordings of healthy *young* volunteers healthy, which does not show that it works on "
            "elderly people or raw clinical recordings (see \"EEGMAT: domain shift\"); it is **not validated as "
            "a screen**.")


def T_AD_VERDICT(called):
    if called >= 3:
        return ("A screen that calls most healthy people of another site AD is not usable: it learned "
                "something that separates ADFSU's AD recordings from ADFSU's controls (acquisition, "
                "processing, age) at least as much as disease.")
    if called >= 1:
        return ("Calling any healthy person AD at this rate is unusable for screening; the ADFSU figures do "
                "not carry over to raw recordings of another site.")
    return ("No EEGMAT recording is called AD, and the inputs sit only slightly outside ADFSU's range (mean abs z "
            "above). This is the easy direction: EEGMAT's volunteers are young and ADFSU's controls are elderly, "
            "so 'young, normal alpha' reads as healthy whatever the model learned about AD. Six recordings of "
            "three young people cannot show that the screen transfers; elderly people without AD from another "
            "site, the test that matters, are not in the shared data, and ADFSU's acquisition confounds remain. "
            "The near-certain probabilities (about 0.00) on data the model never saw are themselves a warning: "
            "the outputs are not calibrated outside ADFSU.")


def depression(runs):
    study = json.load(open(os.path.join(runs, "study.json")))
    study["positiveLabel"] = "MDD"
    study["subgroups"] = depression_subgroups(study, os.path.join(runs, "agent-cache"))
    base = "eeg-depression-screen"
    variants = [(base, study["shipped"], study)] + [
        (base + "-" + k, k, v) for k, v in sorted(study.get("alsoShipped", {}).items())]
    ids = [v[0] for v in variants]
    for model_id, kind, rec in variants:
        view = dict(study, shipped=kind, final=rec["final"], foldFiles=rec["foldFiles"],
                    finalPredictions=rec["finalPredictions"], siblings=[i for i in ids if i != model_id])
        depression_model(model_id, view)


def depression_subgroups(study, cache):
    """Pooled out-of-fold p(MDD) of each kind by header facts within each group: does the
    model's output follow the recording session?"""
    out = {}
    for kind in ("lr", "mlp", "kan"):
        rows = study["results"][kind]["all"]["subjects"]
        groups = {}
        for r in rows:
            h = json.load(open(os.path.join(cache, "%s_EC.header.json" % r["subject"])))
            for key in ("year %s" % h["startTime"][:4], "%d signals" % h["signals"]):
                g = groups.setdefault((r["label"], key), [])
                g.append(r["probability"])
        out[kind] = {"%s, %s" % k: {"n": len(v), "meanProbabilityMDD": round(float(np.mean(v)), 3),
                                    "calledMDD": int(sum(p >= 0.5 for p in v))}
                     for k, v in sorted(groups.items())}
    return out


def depression_model(model_id, study):
    out = os.path.join(REPO, "models", model_id)
    data_dir = os.path.join(SHARED, "eeg-clinical", "depression")
    manifest = psd_manifest(
        model_id, "Depression screen (MDD vs healthy, eyes closed), relative-PSD EEG features, %s" % KIND_NAMES[study["shipped"]],
        study, ["healthy", "MDD"], "MDD",
        "Model: MIT (MedLab). Training data: Mumtaz W., MDD Patients and Healthy Controls EEG Data (figshare 2016, "
        "doi:10.6084/m9.figshare.4244171), CC BY 4.0 (attribution). Not for clinical use.",
        "Mumtaz eyes-closed EEG (eeg-clinical/depression): 29 MDD, 25 healthy, first 40 s of each recording; "
        "features computed by the agent (medlab eeg features).",
        "Single-site cohort with strong acquisition confounds (see MODEL_CARD.md).")
    write_manifest(out, manifest)
    recordings = {}
    for fname, py in sorted(study["finalPredictions"].items()):
        p = predict_cli(os.path.join(data_dir, fname), model_id)
        k = p["labels"].index("MDD")
        recordings[fname] = {"group": py["group"], "epochs": len(p["windows"]),
                             "probabilityMDD": round(p["probabilities"][k], 4), "std": round(p["spread"]["std"], 4),
                             "q25": round(p["spread"]["q25"], 4), "q75": round(p["spread"]["q75"], 4)}
        if abs(recordings[fname]["probabilityMDD"] - py["probabilityMDD"]) > 1e-3:
            print("WARNING agent vs python differ:", fname, recordings[fname]["probabilityMDD"], py["probabilityMDD"])
    expected = psd_expected(model_id, "eeg-clinical/depression/edf/*.edf (features by the agent)", study)
    expected["recordings"] = recordings
    onnx_io.write_json(os.path.join(out, "expected.json"), expected)
    with open(os.path.join(out, "MODEL_CARD.md"), "w") as f:
        f.write(depression_card(study, manifest, recordings))


def depression_card(study, manifest, recordings):
    cfg, res, shipped = study["config"], study["results"], study["shipped"]
    secs = study["trainSecondsPerFit"]
    table = [metric_row(KIND_NAMES[k] + (" **(shipped)**" if k == shipped else ""), res[k]["all"], secs[k])
             for k in ("lr", "mlp", "kan")]
    probe_names = {"headerSignalsAndDate": "header facts: number of signals + recording date",
                   "headerSignalsOnly": "header: number of signals alone",
                   "headerDateOnly": "header: recording date alone",
                   "amplitudePerChannel": "per-channel amplitude statistics (log SD, log IQR; 38 values)",
                   "meanLogAmplitude": "mean log amplitude alone (1 value)"}
    probes = [metric_row(probe_names[k], v) for k, v in study["confoundProbe"].items()]
    kb, folds_kb = model_size_kb(manifest["id"])
    best = study["bestNetwork"]
    ba = res[shipped]["all"]["pooled"]["balancedAccuracy"]
    rows = "\n".join("| %s | %s | %d | %.3f | %.3f | %.3f–%.3f |" % (
        f, v["group"], v["epochs"], v["probabilityMDD"], v["std"], v["q25"], v["q75"]) for f, v in recordings.items())
    n = study["counts"]["subjects"]
    sg = study["subgroups"][shipped]
    hs = {k.split(", ")[1]: v for k, v in sg.items() if k.startswith("healthy, ") and "signals" in k}
    mdd_like = max((k for k in hs), key=lambda k: sg.get("MDD, " + k, {"n": 0})["n"])
    fp = sum(v["calledMDD"] for v in hs.values())
    session_sentence = (
        "**%d of the %d healthy people called MDD have the header most MDD files have (%s; %d healthy files "
        "have it, mean p(MDD) %.2f), against %d of the other %d healthy people.** Errors that follow the "
        "recording set-up rather than the diagnosis are what an acquisition confound looks like; with "
        "%d such healthy files this is a warning, not a measurement." % (
            hs[mdd_like]["calledMDD"], fp, mdd_like, hs[mdd_like]["n"], hs[mdd_like]["meanProbabilityMDD"],
            fp - hs[mdd_like]["calledMDD"], sum(v["n"] for v in hs.values()) - hs[mdd_like]["n"], hs[mdd_like]["n"])
        if fp else "No healthy person is called MDD; the session subgroups above show where the outputs sit.")
    subgroup_rows = "\n".join("| %s | %d | %.3f | %d |" % (k, v["n"], v["meanProbabilityMDD"], v["calledMDD"])
                               for k, v in study["subgroups"][shipped].items())
    return f"""# {manifest['id']} — major depressive disorder vs healthy, eyes-closed EEG ({KIND_NAMES[shipped]})

**Research software. Not for clinical use.** A small single-site cohort whose groups were recorded
in different periods with different headers: the recording date alone predicts the group about as
well as this model, and the model's false positives fall on healthy files with the MDD-like header
(see "Subgroups" and "Confound probe"). Read every figure as an upper bound for this cohort, not as
a property of depression.

## Data and licence
- Mumtaz W., *MDD Patients and Healthy Controls EEG Data (New)*, figshare 2016 (Hospital Universiti
  Sains Malaysia), eyes-closed recordings: {n['MDD']} MDD, {n['healthy']} healthy after removing duplicates
  (H S27 = H S30, MDD S33 = MDD S34); the first 40 s of each recording (EDF+C, 256 Hz, linked-ear
  reference, 19 10-20 channels). Cite Mumtaz et al. 2017 (*PLoS ONE* 12:e0171409; *BSPC* 31:108).
- Licence: CC BY 4.0 (figshare item; attribution). Model weights: MIT (MedLab).

## Inputs: computed by the agent itself
Every EDF went through `medlab eeg features FILE --json` (the EDF reader, channel matching by 10-20
name, THE RECIPE: common average of the 19 channels, 4-s epochs, relative Welch PSD 1–30 Hz):
10 epochs × 19 channels × 59 bins per recording ({study['counts']['epochs']} epochs). Training read that JSON,
so training and `medlab eeg predict` share one code path. **No header fact** (number of signals,
date, patient field) is a model input.

## Models compared (same inputs, same folds)
- **Baseline**: logistic regression on log relative band powers per channel (delta, theta, alpha, beta; {study['parameters']['lr']} parameters).
- **MLP head**: log-PSD → {cfg['mlp_hidden']} GELU units → 2 ({study['parameters']['mlp']} parameters).
- **KAN head** (Gaussian-RBF Kolmogorov–Arnold network, ours): 1121 → {cfg['kan_hidden']} → 2, {cfg['kan_grid']} basis functions per edge
  + SiLU base ({study['parameters']['kan']} parameters, matched to the MLP).
- Networks: AdamW (lr {cfg['lr']}, weight decay {cfg['weight_decay']}), {cfg['steps']} full-batch steps, class-weighted cross-entropy.
  Time per fit: baseline {secs['lr']:.2f} s, MLP {secs['mlp']:.2f} s, KAN {secs['kan']:.2f} s (1 CPU thread, shared machine).

## Validation
Subject-wise (one recording per subject): stratified {cfg['folds']}-fold cross-validation repeated {cfg['repeats']} times. A
recording's result is the mean of its 10 epochs' probabilities; **pooled** = each subject's
out-of-fold probability averaged over the repeats, scored once (threshold 0.5). Intervals: Wilson
(sensitivity, specificity), DeLong (AUROC), stratified bootstrap (balanced accuracy).

| model | balanced accuracy [95 % CI] | AUROC [DeLong 95 % CI] | sensitivity (MDD) | specificity (healthy) | BA per repeat (mean ± SD) | time / fit |
|---|---|---|---|---|---|---|
{chr(10).join(table)}

Issue figures for comparison (another run): baseline balanced accuracy 0.83, AUROC 0.91; mean log amplitude 0.57, 0.65.
Target: balanced accuracy ≥ 0.88 — shipped model: **{ba:.3f}** ({'met' if ba >= 0.88 else 'not met'} on the point estimate).

### KAN vs MLP (and each vs the baseline): paired bootstrap over subjects
| | difference | metric | point | 95 % CI | supported by the CI |
|---|---|---|---|---|---|
{comparison_lines(study, ['all'])}

Decision rule: the network with the higher pooled balanced accuracy (then pooled AUROC, then the
per-repeat mean balanced accuracy) is the better one, shipped only if it beats the baseline's point
estimate; when no KAN-vs-MLP difference is supported by its interval, both heads ship. Better network:
**{best.upper()}** (equal pooled balanced accuracy, higher AUROC and per-repeat balanced accuracy, none of it
supported by the intervals). **The heads tie**, so both ship: this card is **{KIND_NAMES[shipped]}**; the
other: {', '.join('`%s`' % x for x in study['siblings']) or 'none'}. Neither network's advantage over the baseline is supported by
its interval either.

### Subgroups by recording session (pooled out-of-fold p(MDD), shipped head)
| group, header fact | n | mean p(MDD) | called MDD |
|---|---|---|---|
{subgroup_rows}

Signals = data signals as the agent reads them (the EDF Annotations signal not counted).
{session_sentence}

## Confound probe (same folds; none of these is a model input)
| what predicts the group | balanced accuracy [95 % CI] | AUROC [DeLong 95 % CI] | sensitivity | specificity | BA per repeat | |
|---|---|---|---|---|---|---|
{chr(10).join(probes)}

Header facts come from the agent's reader (`medlab eeg info`); amplitude statistics from the raw
19 channels as the agent exports them (µV, whole 40 s). All MDD recordings are from Apr–Jul 2013, the
healthy ones from 2011 and 2013, and most healthy files carry two extra signals: **the header alone
identifies the group**, which is why it is kept out of the model. The relative PSD is scale-free
(each channel divided by its sum), so absolute amplitude cannot enter directly, but session and
amplifier differences can still shape the spectra.

## Per recording: final model (trained on all {n['MDD'] + n['healthy']}; in-sample, not a validation figure)
| file | group | epochs | p(MDD) | per-epoch SD | quartiles |
|---|---|---|---|---|---|
{rows}

## Known confounds and limits
- Acquisition period and header differ by group (above); ages are missing for MDD; 54 people from one site.
- H S14's header says eyes open; the first seconds of a recording may hold setup artefacts.
- Published near-100 % accuracies on this data set are attributed to segment-level leakage; ours are subject-wise.

## Files and reproduction
`model.onnx` ({kb:.0f} KB), `folds/` ({len(study['foldFiles'])} fold models, {folds_kb:.0f} KB), `expected.json`.
`/usr/bin/python3 models/training/eeg/train_depression_screen.py --data ../shared/data/eeg-clinical/depression --out models/eeg-depression-screen --runs models/training/runs/depression`,
then `write_cards.py depression --runs models/training/runs/depression` ({study['cvSeconds'] / 60:.0f} min for the study here).
`test/eeg/predictDepression.test.ts` recomputes the features with the agent, reproduces the
cross-validated figures through the fold models and every recording's prediction (within 0.01).
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("which", choices=["bonn", "ad", "depression"])
    ap.add_argument("--runs", required=True)
    args = ap.parse_args()
    {"bonn": bonn, "ad": ad, "depression": depression}[args.which](args.runs)


if __name__ == "__main__":
    main()
