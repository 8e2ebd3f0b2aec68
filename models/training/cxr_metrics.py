"""Classification metrics with patient-level bootstrap confidence intervals (pure numpy/sklearn)."""
import numpy as np
from sklearn.metrics import roc_auc_score


def auroc(y_true_binary, score):
    y = np.asarray(y_true_binary)
    if y.min() == y.max():
        return float("nan")
    return float(roc_auc_score(y, score))


def macro_auroc(y, probs):
    """Mean of the one-vs-rest AUROCs over the classes present both as positive and negative."""
    vals = [auroc(y == k, probs[:, k]) for k in range(probs.shape[1])]
    vals = [v for v in vals if not np.isnan(v)]
    return float(np.mean(vals)) if vals else float("nan")


def sensitivity(y, pred, k):
    m = y == k
    return float((pred[m] == k).mean()) if m.any() else float("nan")


def specificity(y, pred, k):
    m = y != k
    return float((pred[m] != k).mean()) if m.any() else float("nan")


def summary(y, probs, k_pos=0):
    pred = probs.argmax(1)
    out = {
        "n": int(len(y)),
        "accuracy": float((pred == y).mean()) if len(y) else float("nan"),
        "macro_auroc": macro_auroc(y, probs),
        "covid_vs_rest_auroc": auroc(y == k_pos, probs[:, k_pos]),
        "covid_sensitivity": sensitivity(y, pred, k_pos),
        "covid_specificity": specificity(y, pred, k_pos),
    }
    for k in range(probs.shape[1]):
        out[f"sensitivity_{k}"] = sensitivity(y, pred, k)
    return out


def bootstrap_ci(y, probs, groups, fn, n_boot=2000, seed=0):
    """95 % percentile CI of fn(y, probs), resampling patients (all images of a patient together)."""
    rng = np.random.default_rng(seed)
    uniq, inv = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inv == g) for g in range(len(uniq))]
    vals = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(uniq), len(uniq))
        idx = np.concatenate([members[p] for p in pick])
        v = fn(y[idx], probs[idx])
        if not np.isnan(v):
            vals.append(v)
    if len(vals) < n_boot // 2:
        return [float("nan"), float("nan")]
    return [float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))]
