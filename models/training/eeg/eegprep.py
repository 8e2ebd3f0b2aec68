"""Signal preprocessing of the EEG window models, written so that the TypeScript agent
(agent/eeg/predict/) can repeat it step for step. Every step is spelled out with numpy; the
scipy routines are used only to design the filter and to check the hand-written steps.

Steps for one channel (already at the model's sample rate):
  1. zero-phase band-pass: second-order sections, forward then backward, with odd extension of
     `padlen` samples at both ends and steady-state initial conditions (exactly scipy's
     sosfiltfilt(padtype='odd')), computed in float64;
  2. windows of `window` samples every `hop` samples starting at sample 0 (the tail that does
     not fill a window is not scored);
  3. each window: subtract its mean, divide by its population standard deviation (ddof 0);
     a window whose standard deviation is below `min_std` becomes all zeros.
The SOS coefficients are written into model.json, so the agent never designs a filter itself.
"""
import numpy as np
from scipy import signal as sps


def design_bandpass(low_hz, high_hz, order, fs):
    """Butterworth band-pass as second-order sections [n, 6] (b0 b1 b2 a0 a1 a2), a0 = 1."""
    return sps.butter(order, [low_hz, high_hz], btype="bandpass", fs=fs, output="sos")


def default_padlen(sos):
    """scipy.signal.sosfiltfilt's default pad length."""
    n = sos.shape[0]
    zeros = min(int((sos[:, 2] == 0).sum()), int((sos[:, 5] == 0).sum()))
    return 3 * (2 * n + 1 - zeros)


def sos_steady_state(sos):
    """Initial state per section for a unit step (scipy.signal.sosfilt_zi), closed form for biquads."""
    zi = np.zeros((sos.shape[0], 2))
    scale = 1.0
    for s, (b0, b1, b2, a0, a1, a2) in enumerate(sos):
        b0, b1, b2, a1, a2 = b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0
        B0 = b1 - a1 * b0
        B1 = b2 - a2 * b0
        z0 = (B0 + B1) / (1.0 + a1 + a2)
        z1 = B1 - a2 * z0
        zi[s] = (z0 * scale, z1 * scale)
        scale *= (b0 + b1 + b2) / (1.0 + a1 + a2)
    return zi


def sos_filter(sos, x, zi):
    """Direct form II transposed biquad cascade; zi [n, 2] is the initial state (not modified)."""
    y = np.array(x, dtype=np.float64)
    for s, (b0, b1, b2, a0, a1, a2) in enumerate(sos):
        b0, b1, b2, a1, a2 = b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0
        z0, z1 = zi[s]
        out = np.empty_like(y)
        for i, v in enumerate(y):
            o = b0 * v + z0
            z0 = b1 * v - a1 * o + z1
            z1 = b2 * v - a2 * o
            out[i] = o
        y = out
    return y


def filtfilt_reference(sos, x, padlen):
    """The documented algorithm in plain Python (slow; used to check `filtfilt`)."""
    x = np.asarray(x, dtype=np.float64)
    if x.size <= padlen:
        raise ValueError("signal of %d samples is too short for padlen %d" % (x.size, padlen))
    left = 2 * x[0] - x[padlen:0:-1]
    right = 2 * x[-1] - x[-2:-padlen - 2:-1]
    ext = np.concatenate([left, x, right])
    zi = sos_steady_state(sos)
    y = sos_filter(sos, ext, zi * ext[0])
    y = sos_filter(sos, y[::-1], zi * y[-1])[::-1]
    return y[padlen:padlen + x.size]


def filtfilt(sos, x, padlen):
    """Fast equivalent of filtfilt_reference (scipy's sosfiltfilt, same padding)."""
    return sps.sosfiltfilt(sos, np.asarray(x, dtype=np.float64), padtype="odd", padlen=padlen)


def window_starts(n_samples, window, hop):
    if n_samples < window:
        return np.zeros(0, dtype=np.int64)
    return np.arange(0, n_samples - window + 1, hop, dtype=np.int64)


def zscore_windows(x, starts, window, min_std):
    """[len(starts), window] float32, each window z-scored (population std)."""
    out = np.zeros((len(starts), window), dtype=np.float32)
    for i, s in enumerate(starts):
        w = x[s:s + window].astype(np.float64)
        sd = w.std()
        if sd >= min_std:
            out[i] = ((w - w.mean()) / sd).astype(np.float32)
    return out


def check_against_scipy(seed=0):
    """The hand-written steps equal scipy's (run by the training scripts before training)."""
    rng = np.random.default_rng(seed)
    sos = design_bandpass(0.5, 40.0, 4, 173.61)
    x = rng.standard_normal(700) * 50 + 20
    p = default_padlen(sos)
    a = filtfilt_reference(sos, x, p)
    b = filtfilt(sos, x, p)
    assert np.max(np.abs(a - b)) < 1e-9 * np.max(np.abs(b)), np.max(np.abs(a - b))
    assert np.allclose(sos_steady_state(sos), sps.sosfilt_zi(sos), rtol=1e-10, atol=1e-12)
    return float(np.max(np.abs(a - b)))


if __name__ == "__main__":
    print("max |hand-written - scipy| =", check_against_scipy())
