"""Held-out evaluation of a trained run: overall, per source, per population, adult-only, shortcut probe.

    evaluate.py --run /tmp/cxr_runs/compact --out /tmp/cxr_runs/compact/eval.json
                [--predictions onnx_predictions.json]   # score the ONNX/agent outputs instead

Without --predictions the PyTorch model (best.pt) is run on the cache. With it, probabilities and
features come from that file ({"items": [{"path", "probabilities", "features"}]}), e.g. written by
onnx_predict.mjs, so the card's figures are the figures of the exported model on the agent's
decoding. Confidence intervals: 95 % percentile bootstrap over patients (2,000 resamples).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxr_data  # noqa: E402
from cxr_metrics import auroc, bootstrap_ci, macro_auroc, summary  # noqa: E402
from cxr_models import CxrDenseNet, Ensemble  # noqa: E402
from train_cxr import predict  # noqa: E402


def load_run(run, device="cpu"):
    """The best checkpoint of a run; a directory with ensemble.json ({"members": [run dirs]}) is the
    logit-averaged ensemble of those runs' best checkpoints."""
    spec = os.path.join(run, "ensemble.json")
    if os.path.exists(spec):
        with open(spec) as f:
            members = json.load(f)["members"]
        dirs = [os.path.abspath(os.path.join(run, m)) for m in members]
        loaded = [load_run(d, device) for d in dirs]
        sizes = {st["args"]["size"] for _, st in loaded}
        if len(sizes) != 1:
            raise SystemExit(f"{spec}: members have different input sizes {sorted(sizes)}")
        state = dict(loaded[0][1], members=[(d, st) for d, (_, st) in zip(dirs, loaded)])
        return Ensemble([m for m, _ in loaded]).eval(), state
    ck = torch.load(os.path.join(run, "best.pt"), map_location=device)
    args = ck["state"]["args"]
    model = CxrDenseNet(args["arch"], standardize=args["standardize"], blur_sigma=args["blur"])
    model.load_state_dict(ck["model"])
    model.eval()
    return model, ck["state"]


def training_info(run, best_state):
    """Whole-run figures (epochs, wall seconds) from last.pt; best.pt's state stops at the best epoch.
    For an ensemble: each member's figures, and the wall seconds summed."""
    if "members" in best_state:
        members = [training_info(d, st) for d, st in best_state["members"]]
        info = dict(members[0], members=members, seconds=sum(m["seconds"] for m in members))
        return info
    state = best_state
    last = os.path.join(run, "last.pt")
    if os.path.exists(last):
        state = torch.load(last, map_location="cpu")["state"]
    info = {k: state[k] for k in ("epoch", "seconds", "best_epoch", "args") if k in state}
    info["best_epoch"] = best_state.get("best_epoch", info.get("best_epoch"))
    return info


def group_table(rows, idx, y, probs, key, values):
    out = {}
    for v in values:
        sel = np.array([rows[i][key] == v for i in idx])
        if not sel.any():
            continue
        s = summary(y[sel], probs[sel])
        s["n_per_class"] = {k: int((y[sel] == j).sum()) for j, k in enumerate(cxr_data.LABELS)}
        groups = np.array([rows[i]["patient_id"] for i in idx])[sel]
        s["accuracy_ci"] = bootstrap_ci(y[sel], probs[sel], groups, lambda a, p: float((p.argmax(1) == a).mean()))
        if not np.isnan(s["covid_vs_rest_auroc"]):
            s["covid_vs_rest_auroc_ci"] = bootstrap_ci(y[sel], probs[sel], groups, lambda a, p: auroc(a == 0, p[:, 0]))
        out[v] = s
    return out


def source_class_table(rows, idx, y, probs):
    """Per (source, true class): n, recall and mean P(covid): the shortcut made visible."""
    out = []
    pred = probs.argmax(1)
    for s in cxr_data.SOURCES:
        for k, lab in enumerate(cxr_data.LABELS):
            sel = np.array([rows[i]["source"] == s and y[j] == k for j, i in enumerate(idx)])
            if sel.any():
                out.append({"source": s, "label": lab, "n": int(sel.sum()),
                            "recall": float((pred[sel] == k).mean()),
                            "predicted": {l2: int((pred[sel] == k2).sum()) for k2, l2 in enumerate(cxr_data.LABELS)},
                            "mean_p_covid": float(probs[sel, 0].mean())})
    return out


def probe(features, target, groups, seed=0):
    """Cross-validated (5-fold, patient-grouped) logistic regression: one-vs-rest AUROC per class."""
    classes = sorted(set(target))
    t = np.array([classes.index(v) for v in target])
    oof = np.zeros((len(t), len(classes)))
    for tr, te in StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(features, t, groups):
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))
        clf.fit(features[tr], t[tr])
        oof[np.ix_(te, clf.classes_)] = clf.predict_proba(features[te])
    per = {c: auroc(t == k, oof[:, k]) for k, c in enumerate(classes)}
    return {"macro_auroc": float(np.nanmean(list(per.values()))), "per_class": per, "n": int(len(t))}


def shortcut_probe(rows, idx, feats, images):
    """How well do penultimate features (and, for reference, raw 20x20 pixels) predict the source?"""
    src = [rows[i]["source"] for i in idx]
    grp = [rows[i]["patient_id"] for i in idx]
    lab = [rows[i]["label"] for i in idx]
    small = torch.nn.functional.adaptive_avg_pool2d(
        torch.from_numpy(images[idx]).float().unsqueeze(1), 20).flatten(1).numpy()
    out = {"source_from_features": probe(feats, src, grp), "source_from_pixels_20x20": probe(small, src, grp),
           "within_class": {}}
    for k in cxr_data.LABELS:  # source still readable once the class is fixed?
        m = [j for j, v in enumerate(lab) if v == k]
        if len(set(src[j] for j in m)) > 1:
            out["within_class"][k] = probe(feats[m], [src[j] for j in m], [grp[j] for j in m])
    pop_m = [j for j, i in enumerate(idx) if rows[i]["population"] in ("adult", "child")]
    out["adult_vs_child_from_features"] = probe(feats[pop_m], [rows[idx[j]]["population"] for j in pop_m],
                                                [grp[j] for j in pop_m])
    return out


def headline(rows, idx, y, probs):
    """Overall figures with patient-bootstrap CIs, and the adult-only COVID-vs-rest figures."""
    groups = np.array([rows[i]["patient_id"] for i in idx])
    overall = summary(y, probs)
    overall["macro_auroc_ci"] = bootstrap_ci(y, probs, groups, macro_auroc)
    overall["covid_sensitivity_ci"] = bootstrap_ci(y, probs, groups, lambda a_, p_: float((p_[a_ == 0].argmax(1) == 0).mean()) if (a_ == 0).any() else float("nan"))
    overall["covid_vs_rest_auroc_ci"] = bootstrap_ci(y, probs, groups, lambda a_, p_: auroc(a_ == 0, p_[:, 0]))
    overall["accuracy_ci"] = bootstrap_ci(y, probs, groups, lambda a_, p_: float((p_.argmax(1) == a_).mean()))
    overall["n_per_class"] = {k: int((y == j).sum()) for j, k in enumerate(cxr_data.LABELS)}
    overall["n_patients"] = int(len(set(groups)))
    adult = np.array([rows[i]["population"] == "adult" for i in idx])
    adult_res = {"n": int(adult.sum()), "n_covid": int((y[adult] == 0).sum()), "n_other": int((y[adult] != 0).sum()),
                 "n_per_class": {k: int((y[adult] == j).sum()) for j, k in enumerate(cxr_data.LABELS)},
                 "covid_vs_rest_auroc": auroc(y[adult] == 0, probs[adult, 0]),
                 "covid_vs_rest_auroc_ci": bootstrap_ci(y[adult], probs[adult], groups[adult], lambda a_, p_: auroc(a_ == 0, p_[:, 0])),
                 "covid_sensitivity": float((probs[adult][y[adult] == 0].argmax(1) == 0).mean()),
                 "covid_specificity": float((probs[adult][y[adult] != 0].argmax(1) != 0).mean())}
    return overall, adult_res


def write_heldout(path, rows, te, probs, scored):
    """One compact line per test image: what the agent must reproduce (probabilities to 1e-6)."""
    head = {"split": "test", "dataRoot": "shared/data/xray", "labels": cxr_data.LABELS, "scored": scored,
            "rule": "patient-level split of shared/data/xray/README.md; images/ only (original = 0)"}
    lines = [json.dumps({"path": rows[i]["path"], "label": rows[i]["label"], "source": rows[i]["source"],
                         "population": rows[i]["population"],
                         "probabilities": [round(float(v), 6) for v in probs[j]]}, separators=(",", ":"))
             for j, i in enumerate(te)]
    with open(path, "w") as f:
        f.write(json.dumps(head, separators=(",", ":"))[:-1] + ',"items":[\n' + ",\n".join(lines) + "\n]}\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True)
    p.add_argument("--data", default=cxr_data.DEFAULT_DATA)
    p.add_argument("--cache", default="/tmp/cxr_cache")
    p.add_argument("--predictions", help="probabilities/features from the exported model (onnx_predict.mjs)")
    p.add_argument("--out", required=True)
    p.add_argument("--heldout", help="also write the per-image expected probabilities (heldout.json) here")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    rows = cxr_data.load_rows(a.data)
    model, state = load_run(a.run)
    size = state["args"]["size"]
    images = cxr_data.load_cache(a.cache, size, rows=rows)
    te, va = cxr_data.select(rows, "test"), cxr_data.select(rows, "val")

    if a.predictions:
        with open(a.predictions) as f:
            items = {it["path"]: it for it in json.load(f)["items"]}
        missing = [rows[i]["path"] for i in te + va if rows[i]["path"] not in items]
        if missing:
            raise SystemExit(f"{a.predictions}: no prediction for {len(missing)} held-out images, e.g. {missing[0]}")
        probs = np.array([items[rows[i]["path"]]["probabilities"] for i in te])
        feats_all = np.array([items[rows[i]["path"]]["features"] for i in va + te])
        source = "onnx"
        pt_probs, _ = predict(model, images, te, "cpu")
        parity = {"max_abs_diff": float(np.abs(pt_probs - probs).max()), "n": len(te),
                  "note": "PyTorch on the Node-built cache vs the exported ONNX on the agent's decoding"}
    else:
        probs, feats_te = predict(model, images, te, "cpu")
        _, feats_va = predict(model, images, va, "cpu")
        feats_all = np.concatenate([feats_va, feats_te])
        source = "pytorch"
        parity = None

    y = np.array([rows[i]["y"] for i in te])
    overall, adult_res = headline(rows, te, y, probs)
    result = {
        "scored": source, "split": "test", "images": "images/ only (original = 0)",
        "overall": overall, "adult_only": adult_res,
        "per_source": group_table(rows, te, y, probs, "source", cxr_data.SOURCES),
        "per_population": group_table(rows, te, y, probs, "population", cxr_data.POPULATIONS),
        "per_source_class": source_class_table(rows, te, y, probs),
        "shortcut_probe": shortcut_probe(rows, va + te, feats_all, images),
        "parity": parity,
        "training": training_info(a.run, state),
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    if a.heldout:
        write_heldout(a.heldout, rows, te, probs, source)
    o = overall
    print(f"[{source}] macro AUROC {o['macro_auroc']:.3f} {o['macro_auroc_ci']}, COVID sens {o['covid_sensitivity']:.3f} "
          f"{o['covid_sensitivity_ci']}, adult COVID AUROC {adult_res['covid_vs_rest_auroc']:.3f} {adult_res['covid_vs_rest_auroc_ci']}")
    for s, v in result["per_source"].items():
        print(f"  {s}: n={v['n']} acc={v['accuracy']:.3f} covid-AUROC={v['covid_vs_rest_auroc']:.3f}")
    print("  probe source<-features macro AUROC", round(result["shortcut_probe"]["source_from_features"]["macro_auroc"], 3))


if __name__ == "__main__":
    main()
