#!/usr/bin/env python3
"""Seizure detector on the Bonn set: compact EEGNet-style 1-D CNN, seizure (S) vs Z, O, N, F.

    /usr/bin/python3 models/training/eeg/train_bonn.py \
        --data ../shared/data/eeg-clinical/bonn --out models/eeg-seizure-bonn \
        --runs models/training/runs/bonn [--epochs 30] [--threads 2] [--device cpu]

5-fold cross-validation stratified by set (20 segments of each set per fold), one ONNX model per
fold (shipped in <out>/folds/ so the agent can reproduce the held-out figures), then a final
model on all 500 segments. Resumable: finished folds are read back from --runs.
Preprocessing (eegprep.py) is what the agent repeats: band-pass SOS zero-phase over the
whole segment, windows of WINDOW samples, per-window z-score.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eegprep  # noqa: E402
import metrics  # noqa: E402
import onnx_io  # noqa: E402

FS = 173.61
SETS = ["Z", "O", "N", "F", "S"]
BAND = (0.5, 40.0)
ORDER = 4
WINDOW = 1024          # 5.90 s at 173.61 Hz
HOP_EVAL = 512         # what the agent slides by (50 % overlap)
HOP_TRAIN = 64         # training draws windows from this finer grid
MIN_STD = 1e-6
N_FOLDS = 5
SEED = 20240611


class SeizureNet(nn.Module):
    """EEGNet-style for one channel: temporal convolution (stride 2: the 0.5-40 Hz band fits
    under the halved Nyquist of 86.8 Hz), a depthwise temporal convolution that widens each
    temporal filter (EEGNet's spatial step has no meaning with one channel), two separable
    convolutions, global average pooling and a linear layer. Output: softmax [n, 2]."""

    def __init__(self, f1=16, depth=2, f2=32, k1=33, dropout=0.25):
        super().__init__()
        c = f1 * depth
        self.block1 = nn.Sequential(
            nn.Conv1d(1, f1, k1, stride=2, padding=k1 // 2, bias=False), nn.BatchNorm1d(f1),
            nn.Conv1d(f1, c, 17, padding=8, groups=f1, bias=False), nn.BatchNorm1d(c), nn.ELU(),
            nn.AvgPool1d(4), nn.Dropout(dropout))
        self.block2 = nn.Sequential(
            nn.Conv1d(c, c, 17, padding=8, groups=c, bias=False), nn.Conv1d(c, f2, 1, bias=False),
            nn.BatchNorm1d(f2), nn.ELU(), nn.AvgPool1d(4), nn.Dropout(dropout))
        self.block3 = nn.Sequential(
            nn.Conv1d(f2, f2, 9, padding=4, groups=f2, bias=False), nn.Conv1d(f2, f2, 1, bias=False),
            nn.BatchNorm1d(f2), nn.ELU(), nn.AvgPool1d(2), nn.Dropout(dropout))
        self.head = nn.Linear(f2, 2)

    def logits(self, x):
        h = self.block3(self.block2(self.block1(x)))
        return self.head(h.mean(dim=2))

    def forward(self, x):
        return F.softmax(self.logits(x), dim=1)


def load_bonn(data_dir):
    xs, sets = [], []
    for s in SETS:
        a = np.fromfile(os.path.join(data_dir, s + ".i16"), dtype="<i2").reshape(100, 4097)
        xs.append(a.astype(np.float64))
        sets += [s] * 100
    return np.concatenate(xs), np.array(sets)


def preprocess_all(x, sos, padlen):
    return np.stack([eegprep.filtfilt(sos, row, padlen) for row in x])


def folds_by_set(sets, seed):
    """Fold of every segment: within each set a seeded permutation dealt into N_FOLDS folds."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(sets), dtype=np.int64)
    for s in SETS:
        idx = np.where(sets == s)[0]
        perm = rng.permutation(len(idx))
        fold[idx[perm]] = np.arange(len(idx)) % N_FOLDS
    return fold


def windows_of(filtered, rows, hop):
    starts = eegprep.window_starts(filtered.shape[1], WINDOW, hop)
    w = [eegprep.zscore_windows(filtered[r], starts, WINDOW, MIN_STD) for r in rows]
    return np.concatenate(w), np.repeat(rows, len(starts)), starts


def train_model(xw, yw, epochs, seed, device, log):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = SeizureNet().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * 80)
    pos = np.where(yw == 1)[0]
    neg = np.where(yw == 0)[0]
    batch = 64
    for ep in range(epochs):
        model.train()
        t0 = time.time()
        tot = 0.0
        for _ in range(80):  # balanced batches: half seizure windows, half others
            idx = np.concatenate([rng.choice(pos, batch // 2), rng.choice(neg, batch // 2)])
            xb = torch.from_numpy(xw[idx]).unsqueeze(1).to(device)
            flip = torch.from_numpy(np.where(rng.random(len(idx)) < 0.5, -1.0, 1.0).astype(np.float32))
            xb = xb * flip.view(-1, 1, 1).to(device)   # polarity depends on the reference
            yb = torch.from_numpy(yw[idx]).long().to(device)
            loss = F.cross_entropy(model.logits(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss)
        log("  epoch %d/%d loss %.4f (%.1f s)" % (ep + 1, epochs, tot / 80, time.time() - t0))
    model.eval()
    return model


def predict(model, xw, device):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(xw), 512):
            out.append(model(torch.from_numpy(xw[i:i + 512]).unsqueeze(1).to(device))[:, 1].cpu().numpy())
    return np.concatenate(out) if out else np.zeros(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--folds-only", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.runs, exist_ok=True)
    os.makedirs(os.path.join(args.out, "folds"), exist_ok=True)
    logf = open(os.path.join(args.runs, "log.txt"), "a")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    print("filter check vs scipy:", eegprep.check_against_scipy())
    sos = eegprep.design_bandpass(BAND[0], BAND[1], ORDER, FS)
    padlen = eegprep.default_padlen(sos)
    raw, sets = load_bonn(args.data)
    y_seg = (sets == "S").astype(np.int64)
    filtered = preprocess_all(raw, sos, padlen)
    fold = folds_by_set(sets, SEED)
    device = torch.device(args.device)

    oof_win = {}
    per_fold = []
    t_all = time.time()
    for k in range(N_FOLDS):
        ckpt = os.path.join(args.runs, "fold%d.pt" % k)
        train_rows = np.where(fold != k)[0]
        test_rows = np.where(fold == k)[0]
        t0 = time.time()
        if os.path.exists(ckpt):
            model = SeizureNet()
            model.load_state_dict(torch.load(ckpt))
            model.eval()
            log("fold %d: loaded %s" % (k, ckpt))
        else:
            log("fold %d: training on %d segments" % (k, len(train_rows)))
            xw, rw, _ = windows_of(filtered, train_rows, HOP_TRAIN)
            model = train_model(xw, y_seg[rw], args.epochs, SEED + k, device, log).cpu()
            torch.save(model.state_dict(), ckpt)
        xt, rt, starts = windows_of(filtered, test_rows, HOP_EVAL)
        p = predict(model, xt, torch.device("cpu"))
        for r in test_rows:
            oof_win[int(r)] = p[rt == r]
        sha = onnx_io.export_onnx(model, torch.zeros(1, 1, WINDOW),
                                  os.path.join(args.out, "folds", "fold%d.onnx" % k))
        yt = y_seg[rt]
        s = metrics.binary_summary(yt, p)
        log("fold %d: window acc %.4f sens %.4f spec %.4f (%.0f s)" % (
            k, s["accuracy"], s["sensitivity"], s["specificity"], time.time() - t0))
        per_fold.append({"fold": k, "file": "folds/fold%d.onnx" % k, "sha256": sha,
                         "trainSeconds": round(time.time() - t0, 1),
                         "windows": metrics.rounded(s)})

    rows = np.arange(len(sets))
    pw = np.concatenate([oof_win[int(r)] for r in rows])
    yw = np.concatenate([np.full(len(oof_win[int(r)]), y_seg[r]) for r in rows])
    setw = np.concatenate([np.full(len(oof_win[int(r)]), sets[r]) for r in rows])
    pseg = np.array([oof_win[int(r)].mean() for r in rows])
    res = {
        "windowsPerSegment": int(len(oof_win[0])),
        "window": metrics.rounded(metrics.full_summary(yw, pw)),
        "segment": metrics.rounded(metrics.full_summary(y_seg, pseg)),
        "perSet": {},
        "perFold": per_fold,
    }
    for s in SETS:
        m = sets == s
        mw = setw == s
        res["perSet"][s] = {
            "segments": int(m.sum()),
            "segmentsCalledSeizure": int((pseg[m] >= 0.5).sum()),
            "windows": int(mw.sum()),
            "windowsCalledSeizure": int((pw[mw] >= 0.5).sum()),
        }
    # The scalp-vs-intracranial confound: the clinically meaningful contrast is within the
    # intracranial sets (N, F vs S); report it from the same out-of-fold predictions.
    intra = np.isin(sets, ["N", "F", "S"])
    res["intracranialOnly"] = metrics.rounded(metrics.binary_summary(y_seg[intra], pseg[intra]))
    res["cvSeconds"] = round(time.time() - t_all, 1)
    log(json.dumps({k: res[k] for k in ("window", "segment", "perSet")}, indent=1))

    summary = {"fold": fold.tolist(), "cv": res}
    onnx_io.write_json(os.path.join(args.runs, "cv.json"), summary)
    if args.folds_only:
        return

    final_ckpt = os.path.join(args.runs, "final.pt")
    t0 = time.time()
    if os.path.exists(final_ckpt):
        model = SeizureNet()
        model.load_state_dict(torch.load(final_ckpt))
    else:
        log("final model on all 500 segments")
        xw, rw, _ = windows_of(filtered, rows, HOP_TRAIN)
        model = train_model(xw, y_seg[rw], args.epochs, SEED + 100, device, log).cpu()
        torch.save(model.state_dict(), final_ckpt)
    sha = onnx_io.export_onnx(model, torch.zeros(1, 1, WINDOW), os.path.join(args.out, "model.onnx"))
    summary["final"] = {"sha256": sha, "trainSeconds": round(time.time() - t0, 1),
                        "parameters": onnx_io.count_params(model)}
    summary["sos"] = sos.tolist()
    summary["padlen"] = padlen
    onnx_io.write_json(os.path.join(args.runs, "cv.json"), summary)
    log("done; final sha256 %s" % sha)


if __name__ == "__main__":
    main()
