"""Binary classification metrics with confidence intervals (numpy only).

- sensitivity / specificity / accuracy: Wilson score 95 % interval (n is printed with each);
- balanced accuracy: stratified bootstrap over the scored units (subjects or segments);
- AUROC: DeLong's variance with a logit-free normal interval clipped to [0, 1], plus the
  stratified bootstrap percentile interval (both reported; with few negatives they differ).
"""
import math

import numpy as np

Z95 = 1.959963984540054


def wilson(k, n, z=Z95):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def auroc(y, p):
    """Mann-Whitney AUROC with ties counted as 1/2."""
    y = np.asarray(y).astype(bool)
    p = np.asarray(p, dtype=np.float64)
    pos, neg = p[y], p[~y]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    allv = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(allv))
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(len(allv))
    r[order] = ranks
    rpos = r[:len(pos)].sum()
    return float((rpos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def delong_ci(y, p, z=Z95):
    y = np.asarray(y).astype(bool)
    p = np.asarray(p, dtype=np.float64)
    pos, neg = p[y], p[~y]
    m, n = len(pos), len(neg)
    a = auroc(y, p)
    if m < 2 or n < 2:
        return (float("nan"), float("nan"))
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    var = v10.var(ddof=1) / m + v01.var(ddof=1) / n
    se = math.sqrt(max(var, 0.0))
    return (max(0.0, a - z * se), min(1.0, a + z * se))


def confusion(y, yhat):
    y = np.asarray(y).astype(bool)
    yhat = np.asarray(yhat).astype(bool)
    tp = int((y & yhat).sum())
    tn = int((~y & ~yhat).sum())
    fp = int((~y & yhat).sum())
    fn = int((y & ~yhat).sum())
    return tp, tn, fp, fn


def binary_summary(y, p, threshold=0.5):
    """Point estimates (what the agent reproduces) and intervals."""
    y = np.asarray(y).astype(bool)
    p = np.asarray(p, dtype=np.float64)
    tp, tn, fp, fn = confusion(y, p >= threshold)
    sens = tp / (tp + fn) if tp + fn else float("nan")
    spec = tn / (tn + fp) if tn + fp else float("nan")
    n = len(y)
    return {
        "n": n,
        "nPositive": int(y.sum()),
        "nNegative": int((~y).sum()),
        "threshold": threshold,
        "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "accuracy": (tp + tn) / n,
        "accuracyCI95": wilson(tp + tn, n),
        "sensitivity": sens,
        "sensitivityCI95": wilson(tp, tp + fn),
        "specificity": spec,
        "specificityCI95": wilson(tn, tn + fp),
        "balancedAccuracy": (sens + spec) / 2,
        "auroc": auroc(y, p),
        "aurocCI95DeLong": delong_ci(y, p),
    }


def bootstrap_ci(y, p, stat, n_boot=2000, seed=0, threshold=0.5):
    """Stratified bootstrap percentile 95 % interval of stat(y, p, threshold)."""
    rng = np.random.default_rng(seed)
    y = np.asarray(y).astype(bool)
    p = np.asarray(p, dtype=np.float64)
    ip, ineg = np.where(y)[0], np.where(~y)[0]
    vals = []
    for _ in range(n_boot):
        idx = np.concatenate([rng.choice(ip, len(ip)), rng.choice(ineg, len(ineg))])
        vals.append(stat(y[idx], p[idx], threshold))
    vals = np.array(vals)
    vals = vals[np.isfinite(vals)]
    return (float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5)))


def balanced_accuracy(y, p, threshold=0.5):
    tp, tn, fp, fn = confusion(y, np.asarray(p) >= threshold)
    return 0.5 * (tp / (tp + fn) + tn / (tn + fp))


def auroc_stat(y, p, threshold=0.5):
    return auroc(y, p)


def full_summary(y, p, threshold=0.5, n_boot=2000, seed=0):
    s = binary_summary(y, p, threshold)
    s["balancedAccuracyCI95"] = bootstrap_ci(y, p, balanced_accuracy, n_boot, seed, threshold)
    s["aurocCI95Bootstrap"] = bootstrap_ci(y, p, auroc_stat, n_boot, seed + 1, threshold)
    return s


def rounded(obj, nd=4):
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, (list, tuple)):
        return [rounded(v, nd) for v in obj]
    if isinstance(obj, dict):
        return {k: rounded(v, nd) for k, v in obj.items()}
    if isinstance(obj, (np.floating,)):
        return round(float(obj), nd)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    return obj
