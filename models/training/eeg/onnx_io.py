"""ONNX export and model-folder writing shared by the EEG training scripts."""
import hashlib
import json
import os

import numpy as np
import torch


def export_onnx(model, example, path, input_name="input", output_name="probabilities"):
    """Export in eval mode with a dynamic batch axis; checks onnxruntime-free by re-running torch."""
    model.eval()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            model, example, path, opset_version=13, input_names=[input_name],
            output_names=[output_name], dynamic_axes={input_name: {0: "n"}, output_name: {0: "n"}},
            do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))
    return sha256(path)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2, default=_default)
        f.write("\n")
    os.replace(tmp, path)


def _default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o))


def count_params(model):
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))
