"""Classifiers over relative-PSD epochs [n, 19 channels, n_bins] (THE RECIPE's features).

Every model is a torch module whose input is the recipe's output as it comes from the agent
and whose output is softmax probabilities [n, n_classes]; the fixed normalisation fitted on the
training fold (log, then per-feature standardisation) is part of the module, so the ONNX file
holds it and the agent feeds raw recipe features.

- MLPHead: standardised log-PSD -> Linear -> GELU -> Dropout -> Linear.
- KANHead: our Kolmogorov-Arnold network with a Gaussian radial-basis expansion per edge
  (FastKAN-style: phi(x) = sum_g w_g exp(-((x - c_g) / h)^2) + w_b * silu(x)), two layers,
  batch normalisation between them (LayerNorm over a 2-unit layer has no useful gradient: it
  maps every pair to +-1).
- BandPowerLR: the baseline, logistic regression on log relative band powers (per channel,
  bins summed per band, bins renormalised to the kept range), fitted with scikit-learn and
  copied into a linear layer.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LOG_EPS = 1e-8
BANDS = (("delta", 1.0, 4.0), ("theta", 4.0, 8.0), ("alpha", 8.0, 13.0), ("beta", 13.0, 30.0))


class LogStandardize(nn.Module):
    """x [n, c, b] -> flattened standardised log(x + eps); statistics fitted on training epochs."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).reshape(-1))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32).reshape(-1))

    @staticmethod
    def fit(x):
        z = np.log(x.reshape(len(x), -1).astype(np.float64) + LOG_EPS)
        return z.mean(axis=0), np.maximum(z.std(axis=0), 1e-6)

    def forward(self, x):
        z = torch.log(x.reshape(x.shape[0], -1) + LOG_EPS)
        return (z - self.mean) / self.std


class MLPHead(nn.Module):
    def __init__(self, norm, n_in, hidden, n_classes, dropout=0.5):
        super().__init__()
        self.norm = norm
        self.drop_in = nn.Dropout(0.2)
        self.fc1 = nn.Linear(n_in, hidden)
        self.drop = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, n_classes)

    def logits(self, x):
        h = F.gelu(self.fc1(self.drop_in(self.norm(x))))
        return self.fc2(self.drop(h))

    def forward(self, x):
        return F.softmax(self.logits(x), dim=1)


class RBFKANLayer(nn.Module):
    """One KAN layer: each input-output edge is a learnt 1-D function, written as Gaussian
    radial basis functions on a fixed grid plus a SiLU base term."""

    def __init__(self, n_in, n_out, grid=5, lo=-2.0, hi=2.0):
        super().__init__()
        self.register_buffer("centres", torch.linspace(lo, hi, grid))
        self.inv_width = (grid - 1) / (hi - lo)
        self.spline = nn.Parameter(torch.randn(n_in * grid, n_out) * (0.1 / np.sqrt(n_in * grid)))
        self.base = nn.Linear(n_in, n_out)

    def forward(self, x):
        phi = torch.exp(-((x.unsqueeze(-1) - self.centres) * self.inv_width) ** 2)
        return phi.reshape(x.shape[0], -1) @ self.spline + self.base(F.silu(x))


class KANHead(nn.Module):
    def __init__(self, norm, n_in, hidden, n_classes, grid=5, dropout=0.2):
        super().__init__()
        self.norm = norm
        self.drop_in = nn.Dropout(dropout)
        self.k1 = RBFKANLayer(n_in, hidden, grid)
        self.bn = nn.BatchNorm1d(hidden)
        self.k2 = RBFKANLayer(hidden, n_classes, grid)

    def logits(self, x):
        return self.k2(self.bn(self.k1(self.drop_in(self.norm(x)))))

    def forward(self, x):
        return F.softmax(self.logits(x), dim=1)


def band_matrix(freqs):
    """[n_bins, n_bands] 0/1: bin f belongs to band [lo, hi), the last band includes its top."""
    m = np.zeros((len(freqs), len(BANDS)), dtype=np.float32)
    for j, (_, lo, hi) in enumerate(BANDS):
        last = j == len(BANDS) - 1
        m[:, j] = [(f >= lo - 1e-9) and ((f <= hi + 1e-9) if last else (f < hi - 1e-9)) for f in freqs]
    return m


class BandPowerLR(nn.Module):
    """Baseline: logistic regression on log relative band powers, as an exportable module."""

    def __init__(self, freqs, coef, intercept, mean, std):
        super().__init__()
        self.register_buffer("bands", torch.from_numpy(band_matrix(freqs)))
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))
        coef = np.asarray(coef, dtype=np.float32)
        if coef.shape[0] == 1:       # sklearn's binary form -> two logits (0, w.x + b)
            coef = np.concatenate([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], np.asarray(intercept)])
        self.register_buffer("w", torch.from_numpy(coef.T.copy()))
        self.register_buffer("b", torch.as_tensor(np.asarray(intercept, dtype=np.float32)))

    @staticmethod
    def features(x, freqs):
        bp = np.einsum("ncb,bk->nck", x.astype(np.float64), band_matrix(freqs))
        return np.log(bp + LOG_EPS).reshape(len(x), -1)

    def logits(self, x):
        bp = torch.einsum("ncb,bk->nck", x, self.bands)
        z = torch.log(bp + LOG_EPS).reshape(x.shape[0], -1)
        return ((z - self.mean) / self.std) @ self.w + self.b

    def forward(self, x):
        return F.softmax(self.logits(x), dim=1)


def mlp_params(n_in, hidden, n_classes):
    return n_in * hidden + hidden + hidden * n_classes + n_classes


def kan_params(n_in, hidden, n_classes, grid):
    l1 = n_in * grid * hidden + n_in * hidden + hidden
    l2 = hidden * grid * n_classes + hidden * n_classes + n_classes
    return l1 + 2 * hidden + l2


def matched_mlp_hidden(n_in, kan_hidden, n_classes, grid):
    """MLP width whose parameter count is closest to the KAN's."""
    target = kan_params(n_in, kan_hidden, n_classes, grid)
    return min(range(1, 4096), key=lambda h: abs(mlp_params(n_in, h, n_classes) - target))
