"""Study and shipping steps shared by the relative-PSD screens (AD, depression).

study(): repeated subject-wise CV of the baseline (logistic regression on log band powers),
the MLP head and the KAN head with matched parameter counts; paired bootstrap differences;
the decision: the better network by pooled balanced accuracy, then pooled AUROC, then the
per-repeat mean balanced accuracy (means over the conditions), shipped
only if it beats the baseline's point estimate, else the baseline is shipped.
ship(): the shipped kind's final model (all subjects) and its fold models as ONNX, with
sha256, into the model folder.
"""
import argparse
import os
import shutil
import time

import numpy as np
import torch

import onnx_io
import psd_heads as H
import psd_study as S


def command_line(defaults):
    """The screens' shared options; returns (args, cfg) with torch's thread count set."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--repeats", type=int, default=defaults["repeats"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--no-ship", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    return args, dict(defaults, repeats=args.repeats)


def parameter_counts(ds, cfg):
    n_in = ds["X"].shape[1] * ds["X"].shape[2]
    k = len(ds["labels"])
    cfg["mlp_hidden"] = H.matched_mlp_hidden(n_in, cfg["kan_hidden"], k, cfg["kan_grid"])
    return {"mlp": H.mlp_params(n_in, cfg["mlp_hidden"], k),
            "kan": H.kan_params(n_in, cfg["kan_hidden"], k, cfg["kan_grid"]),
            "lr": ds["X"].shape[1] * len(H.BANDS) * (k if k > 2 else 1) + (k if k > 2 else 1)}


def study(ds, cfg, conditions, runs_dir, log=print):
    """Cross-validates every kind; exports every fold model to runs_dir/folds/<kind>/."""
    params = parameter_counts(ds, cfg)
    log("parameters %s" % params)
    fold_dir = os.path.join(runs_dir, "folds")
    example = torch.from_numpy(ds["X"][:2].astype(np.float32))
    fold_sha = {}

    def keep_fold(kind, r, k, model):
        path = os.path.join(fold_dir, kind, "r%d_f%d.onnx" % (r, k))
        fold_sha["%s/r%d_f%d" % (kind, r, k)] = onnx_io.export_onnx(model, example, path)

    t0 = time.time()
    folds, oof, seconds = S.cross_validate(ds, cfg, on_fold=keep_fold, log=log)
    summ = {k: S.summarize(ds, oof[k], conditions) for k in S.KINDS}
    names = [c or "all" for c in conditions]
    comparisons = {}
    for c in names:
        comparisons[c] = {
            "kan_minus_mlp": S.paired_difference(summ["kan"][c], summ["mlp"][c]),
            "mlp_minus_lr": S.paired_difference(summ["mlp"][c], summ["lr"][c]),
            "kan_minus_lr": S.paired_difference(summ["kan"][c], summ["lr"][c]),
        }
    scored = [c for c in names if c != "all"] or names

    def key(kind):
        return tuple(float(np.mean([summ[kind][c][part][m] for c in scored]))
                     for part, m in (("pooled", "balancedAccuracy"), ("pooled", "auroc"),
                                     ("perRepeatMean", "balancedAccuracy")))

    best_net = max(("mlp", "kan"), key=key)
    shipped = best_net if key(best_net) > key("lr") else "lr"
    log("pooled balanced accuracy / AUROC / per-repeat BA (mean over %s): %s; shipping %s" % (
        scored, ", ".join("%s %.4f/%.4f/%.4f" % ((k,) + key(k)) for k in S.KINDS), shipped))
    res = {
        "config": dict(cfg), "parameters": params,
        "trainSecondsTotal": {k: round(v, 2) for k, v in seconds.items()},
        "trainSecondsPerFit": {k: round(v / (cfg["repeats"] * cfg["folds"]), 3) for k, v in seconds.items()},
        "fitsPerKind": cfg["repeats"] * cfg["folds"],
        "results": S.strip_private(summ), "comparisons": comparisons,
        "decisionConditions": scored, "bestNetwork": best_net, "shipped": shipped,
        "folds": [{s: f[s] for s in sorted(f)} for f in folds],
        "foldSha256": fold_sha, "cvSeconds": round(time.time() - t0, 1),
    }
    return res, folds, oof, summ


def heads_tie(res):
    """KAN and MLP tie when no difference (balanced accuracy, AUROC) is supported by its CI in
    any condition scored."""
    return not any(res["comparisons"][c]["kan_minus_mlp"][m]["supported"]
                   for c in res["decisionConditions"] for m in ("balancedAccuracy", "auroc"))


def ship(ds, cfg, res, out_dir, runs_dir, kind=None):
    """Final model of `kind` (default: the shipped one) on every subject, and its fold models,
    into out_dir. What was written goes into res, or res["alsoShipped"][kind] for another kind."""
    kind = kind or res["shipped"]
    rec = res if kind == res["shipped"] else res.setdefault("alsoShipped", {}).setdefault(kind, {})
    y_epoch = np.array([ds["y_subject"][s] for s in ds["subject"]])
    t0 = time.time()
    final = S.fit(kind, ds["X"], y_epoch, ds["freqs"], len(ds["labels"]), cfg, cfg["seed"] + 99999)
    rec["finalTrainSeconds"] = round(time.time() - t0, 2)
    example = torch.from_numpy(ds["X"][:2].astype(np.float32))
    if os.path.isdir(os.path.join(out_dir, "folds")):
        shutil.rmtree(os.path.join(out_dir, "folds"))
    os.makedirs(os.path.join(out_dir, "folds"))
    rec["final"] = {"kind": kind, "file": "model.onnx",
                    "sha256": onnx_io.export_onnx(final, example, os.path.join(out_dir, "model.onnx"))}
    files = []
    for r in range(cfg["repeats"]):
        for k in range(cfg["folds"]):
            name = "r%d_f%d.onnx" % (r, k)
            shutil.copyfile(os.path.join(runs_dir, "folds", kind, name), os.path.join(out_dir, "folds", name))
            files.append({"repeat": r, "fold": k, "file": "folds/" + name,
                          "sha256": res["foldSha256"]["%s/r%d_f%d" % (kind, r, k)]})
    rec["foldFiles"] = files
    return final
