"""Shared data access for the chest X-ray training scripts.

labels.csv rows, the data README's patient-level split (used exactly as written there), and the
uint8 image cache that prepare_cache.mjs builds with the agent's own decoder and resizer (sharp).
"""
import csv
import hashlib
import json
import os

import numpy as np

LABELS = ["covid", "normal", "pneumonia"]
SOURCES = ["actualmed", "ieee8023", "kermany", "nih"]
POPULATIONS = ["adult", "child", "unknown"]
DEFAULT_DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "xray")


def split_of(patient_id):
    """The data README's rule, verbatim: sha256 of the exact patient_id string, first 8 hex digits."""
    b = int(hashlib.sha256(patient_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if b < 70 else ("val" if b < 85 else "test")


def load_rows(data_dir):
    with open(os.path.join(data_dir, "labels.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["split"] = split_of(r["patient_id"])
        r["y"] = LABELS.index(r["label"])
        r["original"] = r["original"] == "1"
    return rows


def load_cache(cache_dir, size, fit="cover", kernel="lanczos3", rows=None):
    """[N, size, size] uint8 in labels.csv order; refuses a cache built from another labels.csv."""
    base = os.path.join(cache_dir, f"cache_{size}_{fit}_{kernel}")
    with open(base + ".json", encoding="utf-8") as f:
        index = json.load(f)
    images = np.fromfile(base + ".u8", dtype=np.uint8).reshape(-1, size, size)
    if rows is not None and [r["path"] for r in rows] != index["paths"]:
        raise ValueError(f"{base}.json: image order differs from labels.csv; rebuild the cache")
    if images.shape[0] != len(index["paths"]):
        raise ValueError(f"{base}.u8: {images.shape[0]} images, index lists {len(index['paths'])}")
    return images


def select(rows, split, include_originals=False):
    """Indices of one split. Held-out figures use images/ only (the README's counts)."""
    return [i for i, r in enumerate(rows) if r["split"] == split and (include_originals or not r["original"])]
