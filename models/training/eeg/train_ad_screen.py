#!/usr/bin/env python3
"""EEG Alzheimer's screen (AD vs healthy) on ADFSU relative-PSD features; KAN vs MLP vs baseline.

    /usr/bin/python3 models/training/eeg/train_ad_screen.py \
        --data ../shared/data/eeg-clinical/ad-cn-adfsu --out models/eeg-ad-screen \
        --runs models/training/runs/ad [--repeats 10] [--threads 1] [--no-ship]

Subject-wise repeated stratified group 5-fold CV; one model sees both conditions (a subject's
EC and EO recordings always sit in the same fold); results per condition, a subject's result
being the mean over its epochs in that condition. Also the data README's baseline form (one
logistic regression per condition) in the same CV scheme. Writes <runs>/study.json; then ships
the winner into <out> (model.onnx, folds/) and applies it to the EEGMAT recordings (recipe
features of eegmat_reference_features.json). write_cards.py turns study.json into model.json,
MODEL_CARD.md and expected.json.
"""
import csv
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_io  # noqa: E402
import psd_pipeline as P  # noqa: E402
import psd_study as S  # noqa: E402

LABELS = ["healthy", "AD"]
CFG = {"folds": 5, "repeats": 10, "seed": 1991, "lr": 3e-3, "weight_decay": 1e-2, "steps": 300,
       "kan_hidden": 2, "kan_grid": 5, "lr_c": 1.0}


def load_adfsu(d):
    idx = json.load(open(os.path.join(d, "index.json")))
    shape = idx["features"]["shape"]
    X = np.fromfile(os.path.join(d, "features.f32"), dtype="<f4").reshape(shape)
    rows = list(csv.DictReader(open(os.path.join(d, "epochs.csv"))))
    assert len(rows) == shape[0]
    y_subject = {r["subject_id"]: 1 if r["group"] == "A" else 0 for r in rows}
    return {"X": X, "freqs": np.array(idx["features"]["freqs_hz"]),
            "subject": np.array([r["subject_id"] for r in rows]),
            "condition": np.array([r["condition"] for r in rows]),
            "y_subject": y_subject, "labels": LABELS, "positive": 1, "channels": idx["channels"]}


def restrict(ds, mask):
    d = dict(ds)
    for k in ("X", "subject", "condition"):
        d[k] = ds[k][mask]
    d["y_subject"] = {s: v for s, v in ds["y_subject"].items() if s in set(d["subject"])}
    return d


def eegmat_outputs(model, path):
    """The shipped screen on healthy young volunteers (EEGMAT, 500 Hz, raw clinical recordings)."""
    ref = json.load(open(path))
    out = {}
    for name, f in sorted(ref["files"].items()):
        p = S.predict(model, np.array(f["features"], dtype=np.float32))[:, 1]
        out[name] = {"epochs": int(len(p)), "probabilityAD": round(float(p.mean()), 4),
                     "std": round(float(p.std()), 4), "q25": round(float(np.percentile(p, 25)), 4),
                     "q75": round(float(np.percentile(p, 75)), 4),
                     "fractionEpochsAD": round(float((p >= 0.5).mean()), 4),
                     "called": LABELS[int(p.mean() >= 0.5)]}
    return out


def main():
    args, cfg = P.command_line(CFG)
    os.makedirs(args.runs, exist_ok=True)
    ds = load_adfsu(args.data)

    res, folds, oof, summ = P.study(ds, cfg, (None, "EC", "EO"), args.runs)
    res["dataset"] = "ADFSU relative PSD (eeg-clinical/ad-cn-adfsu/features.f32)"
    res["counts"] = {"subjects": {LABELS[v]: sum(1 for s in ds["y_subject"].values() if s == v) for v in (0, 1)},
                     "epochs": int(len(ds["X"]))}
    # The data README's baseline form: one logistic regression per condition, same CV scheme.
    res["lrPerCondition"] = {}
    for cond in ("EC", "EO"):
        dc = restrict(ds, ds["condition"] == cond)
        _, o, sec = S.cross_validate(dc, cfg, kinds=("lr",))
        res["lrPerCondition"][cond] = S.strip_private(S.summarize(dc, o["lr"], (cond,))[cond])
    onnx_io.write_json(os.path.join(args.runs, "study.json"), res)
    if args.no_ship:
        return
    final = P.ship(ds, cfg, res, args.out, args.runs)
    ref = os.path.join(args.data, "eegmat_reference_features.json")
    res["eegmat"] = eegmat_outputs(final, ref)
    # The heads not shipped, trained the same way on everyone: do they agree on EEGMAT?
    y = np.array([ds["y_subject"][s] for s in ds["subject"]])
    res["eegmatOtherHeads"] = {}
    for kind in (k for k in S.KINDS if k != res["shipped"]):
        m = S.fit(kind, ds["X"], y, ds["freqs"], 2, cfg, cfg["seed"] + 99999)
        res["eegmatOtherHeads"][kind] = {k: {"probabilityAD": v["probabilityAD"], "called": v["called"]}
                                         for k, v in eegmat_outputs(m, ref).items()}
    onnx_io.write_json(os.path.join(args.runs, "study.json"), res)
    print("eegmat:", json.dumps(res["eegmat"], indent=1))


if __name__ == "__main__":
    main()
