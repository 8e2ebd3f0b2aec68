"""Train a DenseNet chest X-ray classifier (covid / normal / pneumonia) from scratch on CPU.

Resumable: every epoch writes <out>/last.pt (model, optimiser, schedule, history); rerunning the
same command continues where it stopped. The checkpoint with the best validation score
(macro AUROC + adult COVID-vs-rest AUROC, both on the val split) is kept as <out>/best.pt.

Anti-shortcut measures (each can be switched off for the ablation):
  --standardize   per-image zero mean / unit variance inside the network
  --blur SIGMA    one fixed Gaussian degradation for every image, inside the network
  --augment       geometry, gamma, contrast, blur, noise, cut-out augmentation
  --group-weights loss weights per (class, source) group, so the rare within-source
                  contrasts (ieee8023 pneumonia, actualmed normals) count more
  --min-per-group repeat small (class, source) groups in every epoch (at most 4x), the sampling
                  counterpart of --group-weights
  --class-balance loss weights 1 / (class count in the epoch's sample): COVID, the smallest class,
                  counts as much as the others, which is what argmax sensitivity needs
Training aids: --augment-kind crop (random resized crop, small rotation, gamma/contrast, light noise)
instead of the strong set; --ema (the exponential moving average of the weights is what is evaluated
and saved); --label-smoothing.
The image geometry is the same for every source by construction: the cache is a centre crop
("cover") to a square, so the aspect ratio (which differs by source and by class) is not visible.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

# The CPUs are shared: idle OpenMP threads must sleep, not spin (spinning collapses throughput
# when the machine is oversubscribed). Must be set before torch loads libgomp.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxr_data  # noqa: E402
from cxr_metrics import auroc, macro_auroc  # noqa: E402
from cxr_models import CxrDenseNet, gaussian_kernel  # noqa: E402

MEAN, STD = 0.5, 0.25  # the manifest's normalisation: (x/255 - MEAN) / STD


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", choices=["compact", "densenet121"], default="compact")
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--data", default=cxr_data.DEFAULT_DATA)
    p.add_argument("--cache", default="/tmp/cxr_cache")
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--wd", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--blur", type=float, default=0.8)
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--group-weights", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--augment-kind", choices=["strong", "crop", "geo"], default="strong",
                   help="strong: the original set; crop: random crop + intensity; geo: the random crop only "
                        "(intensity carries class signal: pneumonia is opacity)")
    p.add_argument("--min-per-group", type=int, default=0)
    p.add_argument("--class-balance", action=argparse.BooleanOptionalAction, default=False)
    p.add_argument("--ema", type=float, default=0.0, help="EMA decay per step (0 = off)")
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--cap-per-group", type=int, default=250,
                   help="at most this many images per (class, source) group in each epoch (a fresh random "
                        "subset every epoch); 0 = all. Rebalances sources and bounds the CPU time per epoch")
    return p.parse_args(argv)


def group_weights(rows, idx):
    """w = sqrt(n / (G * n_g)) per (label, source) group, normalised to mean 1 over training images."""
    keys = [(rows[i]["label"], rows[i]["source"]) for i in idx]
    counts = {k: keys.count(k) for k in set(keys)}
    w = np.array([math.sqrt(len(keys) / (len(counts) * counts[k])) for k in keys], dtype=np.float32)
    return w / w.mean()


def epoch_indices(rows, tr, cap, g, min_per_group=0):
    """Positions into tr for one epoch: every group capped at `cap` images; groups smaller than
    `min_per_group` repeated (whole copies plus a random remainder, at most 4x their size); shuffled."""
    if cap <= 0 and min_per_group <= 0:
        return torch.randperm(len(tr), generator=g)
    by_group = {}
    for j, i in enumerate(tr):
        by_group.setdefault((rows[i]["label"], rows[i]["source"]), []).append(j)
    keep = []
    for key in sorted(by_group):
        members = torch.tensor(by_group[key])
        n = len(members)
        want = min(n, cap) if cap > 0 else n
        if n < min_per_group:
            want = min(min_per_group, 4 * n)
        reps = [members[torch.randperm(n, generator=g)] for _ in range(math.ceil(want / n))]
        keep.append(torch.cat(reps)[:want])
    keep = torch.cat(keep)
    return keep[torch.randperm(len(keep), generator=g)]


def augment(x, g):
    """x: [N,1,H,W] in [0,1]. Random but reproducible (generator g)."""
    n = x.shape[0]

    def u(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=g)

    ang, sc = u(-10, 10) * math.pi / 180, u(0.88, 1.12)
    tx, ty = u(-0.06, 0.06), u(-0.06, 0.06)
    theta = torch.stack(
        [torch.stack([torch.cos(ang) / sc, -torch.sin(ang) / sc, tx], 1),
         torch.stack([torch.sin(ang) / sc, torch.cos(ang) / sc, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, padding_mode="border", align_corners=False)
    x = x.clamp(1e-4, 1) ** torch.exp(u(-0.35, 0.35)).view(n, 1, 1, 1)
    x = (x - 0.5) * u(0.75, 1.25).view(n, 1, 1, 1) + 0.5 + u(-0.1, 0.1).view(n, 1, 1, 1)
    for sigma in (0.7, 1.4):  # random extra blur on ~20 % of images per level
        m = torch.rand(n, generator=g) < 0.2
        if m.any():
            k = gaussian_kernel(sigma)
            pad = k.shape[-1] // 2
            x[m] = F.conv2d(F.pad(x[m], (pad,) * 4, mode="replicate"), k)
    noisy = (torch.rand(n, generator=g) < 0.5).float().view(n, 1, 1, 1)
    x = x + noisy * u(0, 0.04).view(n, 1, 1, 1) * torch.randn(x.shape, generator=g)
    h, w = x.shape[2], x.shape[3]
    for i in range(n):  # cut-out: hides text, markers and borders some of the time
        if torch.rand(1, generator=g).item() < 0.3:
            eh, ew = int(h * (0.1 + 0.2 * torch.rand(1, generator=g).item())), int(w * (0.1 + 0.2 * torch.rand(1, generator=g).item()))
            y0, x0 = int(torch.randint(0, h - eh, (1,), generator=g)), int(torch.randint(0, w - ew, (1,), generator=g))
            x[i, :, y0:y0 + eh, x0:x0 + ew] = torch.rand(1, generator=g).item()
    return torch.round(x.clamp(0, 1) * 255) / 255


def augment_crop(x, g, intensity=True):
    """x: [N,1,H,W] in [0,1]. Random resized crop (zoom 1-1.3, shift inside the image), rotation
    +-8 degrees; with `intensity`: gamma, contrast, brightness, light noise on a third of the images."""
    n = x.shape[0]

    def u(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=g)

    ang, zoom = u(-8, 8) * math.pi / 180, u(1.0, 1.3)
    aspect = torch.exp(u(-0.1, 0.1))
    sx, sy = 1 / (zoom * aspect.sqrt()), aspect.sqrt() / zoom
    tx, ty = u(-1, 1) * (1 - sx).clamp(min=0), u(-1, 1) * (1 - sy).clamp(min=0)
    theta = torch.stack(
        [torch.stack([torch.cos(ang) * sx, -torch.sin(ang) * sy, tx], 1),
         torch.stack([torch.sin(ang) * sx, torch.cos(ang) * sy, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    if not intensity:
        return torch.round(x.clamp(0, 1) * 255) / 255
    x = x.clamp(1e-4, 1) ** torch.exp(u(-0.25, 0.25)).view(n, 1, 1, 1)
    x = (x - 0.5) * u(0.85, 1.15).view(n, 1, 1, 1) + 0.5 + u(-0.05, 0.05).view(n, 1, 1, 1)
    noisy = (torch.rand(n, generator=g) < 0.33).float().view(n, 1, 1, 1)
    x = x + noisy * u(0, 0.025).view(n, 1, 1, 1) * torch.randn(x.shape, generator=g)
    return torch.round(x.clamp(0, 1) * 255) / 255


class Ema:
    """Exponential moving average of every floating-point entry of the state dict (weights and
    BatchNorm statistics); `model` is the averaged copy that is evaluated and saved."""

    def __init__(self, model, decay):
        self.decay = decay
        self.steps = 0
        self.model = copy.deepcopy(model).eval()
        for q in self.model.parameters():
            q.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        # Warm-up: early on the average must not be dominated by the random initial weights.
        self.steps += 1
        decay = min(self.decay, (1 + self.steps) / (10 + self.steps))
        src = model.state_dict()
        for k, v in self.model.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(decay).add_(src[k], alpha=1 - decay)
            else:
                v.copy_(src[k])


def to_input(u8):
    return (torch.from_numpy(u8).float().unsqueeze(1) / 255 - MEAN) / STD


@torch.no_grad()
def predict(model, images, idx, device, batch=64):
    model.eval()
    probs, feats = [], []
    for s in range(0, len(idx), batch):
        logits, pooled, _ = model(to_input(images[idx[s:s + batch]]).to(device))
        probs.append(F.softmax(logits, 1).cpu())
        feats.append(pooled.cpu())
    return torch.cat(probs).numpy(), torch.cat(feats).numpy()


def val_score(rows, idx, probs):
    y = np.array([rows[i]["y"] for i in idx])
    adult = np.array([rows[i]["population"] == "adult" for i in idx])
    m = {"macro_auroc": macro_auroc(y, probs), "adult_covid_auroc": auroc(y[adult] == 0, probs[adult, 0])}
    for s in cxr_data.SOURCES:
        sel = np.array([rows[i]["source"] == s for i in idx])
        m[f"acc_{s}"] = float((probs[sel].argmax(1) == y[sel]).mean())
    m["score"] = m["macro_auroc"] + m["adult_covid_auroc"]
    return m


def main(argv=None):
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    rows = cxr_data.load_rows(a.data)
    images = cxr_data.load_cache(a.cache, a.size, rows=rows)
    tr, va = cxr_data.select(rows, "train"), cxr_data.select(rows, "val")
    y_tr = torch.tensor([rows[i]["y"] for i in tr])
    w_tr = torch.from_numpy(group_weights(rows, tr) if a.group_weights else np.ones(len(tr), np.float32))

    model = CxrDenseNet(a.arch, standardize=a.standardize, blur_sigma=a.blur).to(a.device)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.wd)
    n_epoch = len(epoch_indices(rows, tr, a.cap_per_group, torch.Generator().manual_seed(0), a.min_per_group))
    steps_per_epoch = math.ceil(n_epoch / a.batch)
    total = a.epochs * steps_per_epoch
    warm = steps_per_epoch

    def lr_at(step):
        if step < warm:
            return a.lr * (step + 1) / warm
        return a.lr * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))

    state = {"epoch": 0, "history": [], "best": -1.0, "seconds": 0.0, "args": vars(a)}
    ema = Ema(model, a.ema) if a.ema > 0 else None
    last = os.path.join(a.out, "last.pt")
    if os.path.exists(last):
        ck = torch.load(last, map_location=a.device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        if ema is not None:
            ema.model.load_state_dict(ck["ema"])
            ema.steps = state["epoch"] * steps_per_epoch
        state = ck["state"]
        print(f"resumed after epoch {state['epoch']}", flush=True)

    for epoch in range(state["epoch"], a.epochs):
        t0 = time.time()
        model.train()
        g = torch.Generator().manual_seed(a.seed * 1000 + epoch)
        perm = epoch_indices(rows, tr, a.cap_per_group, g, a.min_per_group)
        if a.class_balance:
            counts = torch.bincount(y_tr[perm], minlength=len(cxr_data.LABELS)).float()
            class_w = (counts.sum() / (len(counts) * counts.clamp(min=1))).to(a.device)
        else:
            class_w = None
        loss_sum = 0.0
        for s in range(steps_per_epoch):
            b = perm[s * a.batch:(s + 1) * a.batch]
            x = torch.from_numpy(images[[tr[i] for i in b.tolist()]]).float().unsqueeze(1) / 255
            if a.augment:
                x = (augment(x, g) if a.augment_kind == "strong"
                     else augment_crop(x, g, intensity=a.augment_kind == "crop"))
            x = ((x - MEAN) / STD).to(a.device)
            for pg in opt.param_groups:
                pg["lr"] = lr_at(epoch * steps_per_epoch + s)
            logits, _, _ = model(x)
            target = y_tr[b].to(a.device)
            per = F.cross_entropy(logits, target, reduction="none", label_smoothing=a.label_smoothing)
            w = w_tr[b].to(a.device)
            if class_w is not None:
                w = w * class_w[target]
            loss = (per * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if ema is not None:
                ema.update(model)
            loss_sum += loss.item()
            if s % 10 == 9:
                print(f"  epoch {epoch + 1} step {s + 1}/{steps_per_epoch} loss {loss_sum / (s + 1):.4f} "
                      f"{time.time() - t0:.0f} s", flush=True)
        scored = ema.model if ema is not None else model
        probs, _ = predict(scored, images, va, a.device)
        m = val_score(rows, va, probs)
        dt = time.time() - t0
        state["seconds"] += dt
        state["epoch"] = epoch + 1
        m.update(epoch=epoch + 1, train_loss=loss_sum / steps_per_epoch, seconds=dt)
        state["history"].append(m)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}), flush=True)
        if m["score"] > state["best"]:
            state["best"] = m["score"]
            state["best_epoch"] = epoch + 1
            torch.save({"model": scored.state_dict(), "state": state}, os.path.join(a.out, "best.pt.tmp"))
            os.replace(os.path.join(a.out, "best.pt.tmp"), os.path.join(a.out, "best.pt"))
        ck = {"model": model.state_dict(), "opt": opt.state_dict(), "state": state}
        if ema is not None:
            ck["ema"] = ema.model.state_dict()
        torch.save(ck, last + ".tmp")
        os.replace(last + ".tmp", last)
    with open(os.path.join(a.out, "history.json"), "w") as f:
        json.dump(state, f, indent=1)
    print(f"done: {state['epoch']} epochs, {state['seconds'] / 60:.1f} min, best epoch {state.get('best_epoch')}", flush=True)


if __name__ == "__main__":
    main()
