"""Subject-wise repeated cross-validation of relative-PSD classifiers (baseline, MLP, KAN).

Used by train_ad_screen.py and train_depression_screen.py. A dataset is
  X [n_epochs, 19, n_bins] float32 (the recipe's relative PSD), freqs [n_bins],
  subject [n_epochs] ids, condition [n_epochs] (e.g. EC / EO), y_subject {id: class index}.
A subject's result in a condition is the mean of its epochs' probabilities of the positive class.
Folds are drawn over subjects (StratifiedGroupKFold, shuffled, one seed per repeat), so every
epoch and condition of a subject sits in the same fold.
"""
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

import metrics
import psd_heads as H

KINDS = ("lr", "mlp", "kan")


def make_folds(subjects, y_subject, n_folds, repeats, seed):
    """fold[r][subject] for every repeat r."""
    subs = np.array(sorted(y_subject))
    ys = np.array([y_subject[s] for s in subs])
    out = []
    for r in range(repeats):
        sgk = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed + r)
        f = {}
        for k, (_, te) in enumerate(sgk.split(np.zeros(len(subs)), ys, groups=subs)):
            for s in subs[te]:
                f[str(s)] = k
        out.append(f)
    return out


def fit_lr(x, y, freqs, c=1.0):
    z = H.BandPowerLR.features(x, freqs)
    mean, std = z.mean(axis=0), np.maximum(z.std(axis=0), 1e-6)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=10000)
    clf.fit((z - mean) / std, y)
    return H.BandPowerLR(freqs, clf.coef_, clf.intercept_, mean, std).eval()


def fit_net(kind, x, y, n_classes, cfg, seed):
    torch.manual_seed(seed)
    mean, std = H.LogStandardize.fit(x)
    norm = H.LogStandardize(mean, std)
    n_in = x.shape[1] * x.shape[2]
    if kind == "mlp":
        model = H.MLPHead(norm, n_in, cfg["mlp_hidden"], n_classes)
    else:
        model = H.KANHead(norm, n_in, cfg["kan_hidden"], n_classes, cfg["kan_grid"])
    xt = torch.from_numpy(x.astype(np.float32))
    yt = torch.from_numpy(y.astype(np.int64))
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    weight = torch.tensor(len(y) / (n_classes * np.maximum(counts, 1)), dtype=torch.float32)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    for _ in range(cfg["steps"]):
        model.train()
        loss = F.cross_entropy(model.logits(xt), yt, weight=weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


def fit(kind, x, y, freqs, n_classes, cfg, seed):
    if kind == "lr":
        return fit_lr(x, y, freqs, cfg.get("lr_c", 1.0))
    return fit_net(kind, x, y, n_classes, cfg, seed)


def predict(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x.astype(np.float32))).numpy()


def subject_probs(p_epoch, subject, condition, cond):
    """{subject: mean positive-class probability over its epochs in condition (None = all)}."""
    out = {}
    for s in np.unique(subject):
        m = subject == s
        if cond is not None:
            m &= condition == cond
        if m.any():
            out[str(s)] = float(p_epoch[m].mean())
    return out


def cross_validate(ds, cfg, kinds=KINDS, log=print, on_fold=None):
    """Out-of-fold positive-class probabilities per epoch: {kind: [repeats, n_epochs]}."""
    X, subject, y_subject = ds["X"], ds["subject"], ds["y_subject"]
    y_epoch = np.array([y_subject[s] for s in subject])
    n_classes = len(ds["labels"])
    pos = ds["positive"]
    folds = make_folds(subject, y_subject, cfg["folds"], cfg["repeats"], cfg["seed"])
    oof = {k: np.full((cfg["repeats"], len(X)), np.nan) for k in kinds}
    seconds = {k: 0.0 for k in kinds}
    for r, f in enumerate(folds):
        fold_of_epoch = np.array([f[str(s)] for s in subject])
        for k in range(cfg["folds"]):
            tr, te = fold_of_epoch != k, fold_of_epoch == k
            for kind in kinds:
                t0 = time.time()
                model = fit(kind, X[tr], y_epoch[tr], ds["freqs"], n_classes, cfg, cfg["seed"] + 1000 * r + k)
                seconds[kind] += time.time() - t0
                oof[kind][r, te] = predict(model, X[te])[:, pos]
                if on_fold:
                    on_fold(kind, r, k, model)
        log("repeat %d/%d done (%s)" % (r + 1, cfg["repeats"],
                                        ", ".join("%s %.1f s" % (k, seconds[k]) for k in kinds)))
    return folds, oof, seconds


def summarize(ds, oof_kind, conditions, n_boot=2000):
    """Per condition: pooled figures (subject probability averaged over repeats) with CIs,
    per-repeat mean and SD, and the per-subject table."""
    subject, condition, y_subject = ds["subject"], ds["condition"], ds["y_subject"]
    out = {}
    for cond in conditions:
        reps = [subject_probs(p, subject, condition, cond) for p in oof_kind]
        subs = sorted(reps[0])
        y = np.array([y_subject[s] == ds["positive"] for s in subs])
        per_rep = []
        for rp in reps:
            p = np.array([rp[s] for s in subs])
            per_rep.append(metrics.binary_summary(y, p))
        pooled_p = np.array([np.mean([rp[s] for rp in reps]) for s in subs])
        pooled = metrics.full_summary(y, pooled_p, n_boot=n_boot)
        keys = ("balancedAccuracy", "auroc", "sensitivity", "specificity")
        out[cond or "all"] = {
            "pooled": metrics.rounded(pooled),
            "perRepeatMean": {k: round(float(np.mean([m[k] for m in per_rep])), 4) for k in keys},
            "perRepeatSD": {k: round(float(np.std([m[k] for m in per_rep])), 4) for k in keys},
            "subjects": [{"subject": s, "label": ds["labels"][y_subject[s]],
                          "probability": round(float(pp), 4), "called": ds["labels"][ds["positive"]]
                          if pp >= 0.5 else ds["labels"][1 - ds["positive"]] if len(ds["labels"]) == 2 else None}
                         for s, pp in zip(subs, pooled_p)],
            "_pooled_p": pooled_p, "_y": y,
        }
    return out


def paired_difference(a, b, n_boot=4000, seed=7):
    """Bootstrap (stratified over subjects) 95 % CI of (a - b) in balanced accuracy and AUROC,
    a and b being summarize() entries of the same condition."""
    rng = np.random.default_rng(seed)
    y = a["_y"]
    pa, pb = a["_pooled_p"], b["_pooled_p"]
    ip, ineg = np.where(y)[0], np.where(~y)[0]
    d_ba, d_auc = [], []
    for _ in range(n_boot):
        idx = np.concatenate([rng.choice(ip, len(ip)), rng.choice(ineg, len(ineg))])
        d_ba.append(metrics.balanced_accuracy(y[idx], pa[idx]) - metrics.balanced_accuracy(y[idx], pb[idx]))
        d_auc.append(metrics.auroc(y[idx], pa[idx]) - metrics.auroc(y[idx], pb[idx]))
    res = {}
    for name, d, point in (("balancedAccuracy", d_ba, metrics.balanced_accuracy(y, pa) - metrics.balanced_accuracy(y, pb)),
                           ("auroc", d_auc, metrics.auroc(y, pa) - metrics.auroc(y, pb))):
        lo, hi = np.percentile(d, [2.5, 97.5])
        res[name] = {"difference": round(float(point), 4), "ci95": [round(float(lo), 4), round(float(hi), 4)],
                     "supported": bool(lo > 0 or hi < 0)}
    return res


def strip_private(summary):
    if isinstance(summary, dict):
        return {k: strip_private(v) for k, v in summary.items() if not k.startswith("_")}
    if isinstance(summary, list):
        return [strip_private(v) for v in summary]
    return summary
