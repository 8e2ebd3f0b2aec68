#!/usr/bin/env python3
"""Writes test/eeg/predictWindowFixture.json: the eeg-window signal path computed by the
training code (eegprep.py + scipy's resample_poly) on a deterministic test signal, so that the
agent's resampling, filter, windows and z-score can be checked against it.

    /usr/bin/python3 models/training/eeg/make_predict_fixture.py

Signal (the test rebuilds it with the same formula): fs = 500 Hz, 12 s,
x(t) = 40 sin(2 pi 3 t) + 20 sin(2 pi 17 t + 0.3) + 15 sin(2 pi 60 t) + 5 t - 30.
"""
import json
import os
import sys

import numpy as np
from scipy.signal import resample_poly

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eegprep  # noqa: E402

FS_IN, SECONDS, FS = 500.0, 30.0, 173.61
WINDOW, HOP, STRIDE = 1024, 512, 64


def signal():
    t = np.arange(int(FS_IN * SECONDS)) / FS_IN
    return 40 * np.sin(2 * np.pi * 3 * t) + 20 * np.sin(2 * np.pi * 17 * t + 0.3) + 15 * np.sin(2 * np.pi * 60 * t) + 5 * t - 30


def main():
    sos = eegprep.design_bandpass(0.5, 40.0, 4, FS)
    pad = eegprep.default_padlen(sos)
    x = resample_poly(signal(), 17361, 50000)      # 173.61 / 500 in lowest terms
    y = eegprep.filtfilt(sos, x, pad)
    starts = eegprep.window_starts(len(y), WINDOW, HOP)
    w = eegprep.zscore_windows(y, starts, WINDOW, 1e-6)
    out = {
        "signal": "40 sin(2 pi 3 t) + 20 sin(2 pi 17 t + 0.3) + 15 sin(2 pi 60 t) + 5 t - 30, fs 500 Hz, 30 s",
        "fsIn": FS_IN, "seconds": SECONDS, "sampleRate": FS, "sos": sos.tolist(), "padLength": pad,
        "windowSamples": WINDOW, "hopSamples": HOP, "resampledLength": int(len(x)),
        "starts": starts.tolist(), "stride": STRIDE,
        "windows": [[round(float(v), 6) for v in row[::STRIDE]] for row in w],
    }
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "test", "eeg", "predictWindowFixture.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(path, len(starts), "windows")


if __name__ == "__main__":
    main()
