#!/usr/bin/env python3
"""EEG depression screen (MDD vs healthy, eyes closed) on features the agent computes itself.

    /usr/bin/python3 models/training/eeg/train_depression_screen.py \
        --data ../shared/data/eeg-clinical/depression --out models/eeg-depression-screen \
        --runs models/training/runs/depression [--repeats 10] [--threads 1] [--no-ship]

Every EDF goes through `medlab eeg features FILE --json` (agent_features.py): the same reader,
channel matching and recipe a user's recording takes. Subject-wise repeated stratified 5-fold
CV (one recording per subject) of the baseline (logistic regression on log relative band
powers), the MLP head and the KAN head. Confound probe in the same folds: logistic regression
on header facts alone (number of signals, start date), on per-channel amplitude statistics, and
on the mean log amplitude alone; none of these is a model input. Writes <runs>/study.json and
ships the winner into <out> (model.onnx, folds/).
"""
import csv
import datetime
import json
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent_features as A  # noqa: E402
import metrics  # noqa: E402
import onnx_io  # noqa: E402
import psd_pipeline as P  # noqa: E402
import psd_study as S  # noqa: E402

LABELS = ["healthy", "MDD"]
CFG = {"folds": 5, "repeats": 10, "seed": 2017, "lr": 3e-3, "weight_decay": 1e-2, "steps": 300,
       "kan_hidden": 2, "kan_grid": 5, "lr_c": 1.0}


def load(data_dir, cache_dir):
    rows = list(csv.DictReader(open(os.path.join(data_dir, "subjects.csv"))))
    X, subject, files, freqs, header, per_file = [], [], [], None, {}, {}
    y_subject = {}
    for r in rows:
        path = os.path.join(data_dir, r["file"])
        f = A.features(path, cache_dir)
        feats = np.array(f["features"], dtype=np.float64)
        if freqs is None:
            freqs = np.array(f["frequencies"])
        assert [c["name"] for c in f["channels"]] == A_CHANNELS, f["channels"]
        X.append(feats.astype(np.float32))
        subject += [r["subject_id"]] * len(feats)
        y_subject[r["subject_id"]] = 1 if r["group"] == "MDD" else 0
        header[r["subject_id"]] = A.header_facts(path, cache_dir)
        files.append(r["file"])
        per_file[r["subject_id"]] = {"file": r["file"], "epochs": len(feats),
                                     "channels": [c["signal"] for c in f["channels"]]}
    return {"X": np.concatenate(X), "freqs": freqs, "subject": np.array(subject),
            "condition": np.array(["EC"] * sum(len(x) for x in X)), "y_subject": y_subject,
            "labels": LABELS, "positive": 1, "header": header, "files": per_file}


A_CHANNELS = ["Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz", "C4",
              "T4", "T5", "P3", "Pz", "P4", "T6", "O1", "O2"]


def amplitude_stats(data_dir, ds, cache_dir):
    """Per recording and recipe channel: log standard deviation and log interquartile range of
    the raw signal (as the agent's reader exports it, µV), over the whole 40 s."""
    out = {}
    for s, info in ds["files"].items():
        path = os.path.join(cache_dir, s + ".amplitude.json")
        if not os.path.exists(path):
            exp = A._cli(["eeg", "export", os.path.abspath(os.path.join(data_dir, info["file"])), "--json"])
            labels = [sig["label"] for sig in exp["signals"]]
            stats = []
            for ch in A_CHANNELS:
                i = next(k for k, lab in enumerate(labels) if lab.replace("EEG ", "").split("-")[0].upper() == ch.upper())
                x = np.array([v for v in exp["signals"][i]["data"] if v is not None], dtype=np.float64)
                q75, q25 = np.percentile(x, [75, 25])
                stats.append([float(np.log(x.std())), float(np.log(q75 - q25))])
            with open(path, "w") as f:
                json.dump(stats, f)
        with open(path) as f:
            out[s] = np.array(json.load(f))
    return out


def fractional_year(iso):
    d = datetime.datetime.fromisoformat(iso)
    start = datetime.datetime(d.year, 1, 1)
    return d.year + (d - start).total_seconds() / (366 * 86400)


def probe(folds, subjects, y, feats, n_folds):
    """Out-of-fold logistic regression (standardised) on subject-level features, same folds;
    per repeat metrics -> pooled probability per subject (mean over repeats)."""
    p = np.zeros((len(folds), len(subjects)))
    for r, f in enumerate(folds):
        fold = np.array([f[s] for s in subjects])
        for k in range(n_folds):
            tr, te = fold != k, fold == k
            mu, sd = feats[tr].mean(axis=0), feats[tr].std(axis=0) + 1e-9
            clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=10000)
            clf.fit((feats[tr] - mu) / sd, y[tr])
            p[r, te] = clf.predict_proba((feats[te] - mu) / sd)[:, 1]
    per_rep = [metrics.binary_summary(y, pr) for pr in p]
    keys = ("balancedAccuracy", "auroc", "sensitivity", "specificity")
    return {"pooled": metrics.rounded(metrics.full_summary(y, p.mean(axis=0))),
            "perRepeatMean": {k: round(float(np.mean([m[k] for m in per_rep])), 4) for k in keys},
            "perRepeatSD": {k: round(float(np.std([m[k] for m in per_rep])), 4) for k in keys}}


def main():
    args, cfg = P.command_line(CFG)
    cache = os.path.join(args.runs, "agent-cache")
    ds = load(args.data, cache)
    print("features from the agent:", ds["X"].shape)

    res, folds, oof, summ = P.study(ds, cfg, (None,), args.runs)
    res["dataset"] = "Mumtaz MDD/healthy eyes-closed EDF (eeg-clinical/depression), features by medlab eeg features"
    subs = sorted(ds["y_subject"])
    y = np.array([ds["y_subject"][s] for s in subs])
    res["counts"] = {"subjects": {"healthy": int((y == 0).sum()), "MDD": int((y == 1).sum())},
                     "epochs": int(len(ds["X"]))}
    hdr = np.array([[ds["header"][s]["signals"], fractional_year(ds["header"][s]["startTime"])] for s in subs])
    amp = amplitude_stats(args.data, ds, cache)
    amp_all = np.array([amp[s].ravel() for s in subs])
    amp_mean = np.array([[amp[s][:, 0].mean()] for s in subs])
    res["confoundProbe"] = {
        "headerSignalsAndDate": probe(folds, subs, y, hdr, cfg["folds"]),
        "headerSignalsOnly": probe(folds, subs, y, hdr[:, :1], cfg["folds"]),
        "headerDateOnly": probe(folds, subs, y, hdr[:, 1:], cfg["folds"]),
        "amplitudePerChannel": probe(folds, subs, y, amp_all, cfg["folds"]),
        "meanLogAmplitude": probe(folds, subs, y, amp_mean, cfg["folds"]),
    }
    for k, v in res["confoundProbe"].items():
        print("probe %-22s BA %.3f AUROC %.3f" % (k, v["pooled"]["balancedAccuracy"], v["pooled"]["auroc"]))
    onnx_io.write_json(os.path.join(args.runs, "study.json"), res)
    if args.no_ship:
        return
    final = P.ship(ds, cfg, res, args.out, args.runs)
    res["finalPredictions"] = final_predictions(final, ds, subs)
    # "Both if tie": when no KAN-vs-MLP difference is supported, the other head ships too.
    res["headsTie"] = P.heads_tie(res)
    if res["headsTie"] and res["shipped"] != "lr":
        other = "mlp" if res["shipped"] == "kan" else "kan"
        m = P.ship(ds, cfg, res, args.out + "-" + other, args.runs, kind=other)
        res["alsoShipped"][other]["finalPredictions"] = final_predictions(m, ds, subs)
    onnx_io.write_json(os.path.join(args.runs, "study.json"), res)


def final_predictions(model, ds, subs):
    rec = {}
    for s in subs:
        p = S.predict(model, ds["X"][ds["subject"] == s])[:, 1]
        rec[ds["files"][s]["file"]] = {
            "group": LABELS[ds["y_subject"][s]], "epochs": int(len(p)),
            "probabilityMDD": round(float(p.mean()), 4), "std": round(float(p.std()), 4),
            "q25": round(float(np.percentile(p, 25)), 4), "q75": round(float(np.percentile(p, 75)), 4)}
    return rec


if __name__ == "__main__":
    main()
