"""Export a trained run to models/<id>/model.onnx and write models/<id>/model.json (manifest).

    export_onnx.py --run /tmp/cxr_runs/compact --id cxr-densenet-compact --name "..." [--metrics eval.json]

Outputs of the ONNX graph (opset 13, dynamic batch axis):
  probabilities [N,3] softmax over ["covid","normal","pneumonia"]
  cam           [N,3,h,w] class activation maps: final feature maps (after ReLU) times the classifier
                weights, no bias, no ReLU on the result (mean over h,w + bias = the logit)
  features      [N,d] penultimate features (global average pool of the final feature maps)
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxr_data  # noqa: E402
from cxr_models import ExportHead  # noqa: E402
from eeg.onnx_io import sha256  # noqa: E402
from evaluate import load_run  # noqa: E402
from train_cxr import MEAN, STD  # noqa: E402

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--metrics", help="evaluate.py output to summarise in model.json")
    p.add_argument("--skip-onnx", action="store_true", help="only rewrite model.json (metrics)")
    a = p.parse_args(argv)
    model, state = load_run(a.run)
    size = state["args"]["size"]
    out_dir = os.path.join(MODELS, a.id)
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "model.onnx")
    if not a.skip_onnx:
        head = ExportHead(model).eval()
        x = torch.zeros(2, 1, size, size)
        torch.onnx.export(head, x, onnx_path, opset_version=13, input_names=["input"],
                          output_names=["probabilities", "cam", "features"],
                          dynamic_axes={"input": {0: "n"}, "probabilities": {0: "n"}, "cam": {0: "n"},
                                        "features": {0: "n"}}, do_constant_folding=True)
        onnx.checker.check_model(onnx.load(onnx_path))
    with torch.no_grad():
        _, cam, feats = ExportHead(model)(torch.zeros(1, 1, size, size))
    manifest = {
        "id": a.id,
        "name": a.name,
        "version": a.version,
        "task": "xray-classification",
        "file": "model.onnx",
        "sha256": sha256(onnx_path),
        "labels": cxr_data.LABELS,
        "positiveLabel": "covid",
        "input": {"name": "input", "shape": [-1, 1, size, size], "dtype": "float32"},
        "outputs": {"scores": "probabilities", "scoreType": "probabilities", "cam": "cam", "features": "features"},
        "preprocessing": {
            "kind": "image",
            "color": "grayscale",
            "resize": {"width": size, "height": size, "fit": "cover", "kernel": "lanczos3"},
            "scale": 255,
            "mean": [MEAN],
            "std": [STD],
        },
        "license": "Research use only (training data terms: ieee8023 per-image CC licences incl. NC/ND, "
                   "actualmed 'research purposes only', Kermany CC BY 4.0, NIH CC acknowledgement). Not for clinical use.",
        "trainingData": "MedLab chest X-ray set (shared/data/xray): ieee8023, actualmed, kermany, nih; "
                        "patient-level split of the data README (train split only).",
        "intendedUse": "Research only. Not for clinical use.",
        "metrics": {},
    }
    if a.metrics:
        with open(a.metrics) as f:
            m = json.load(f)
        o, ad = m["overall"], m["adult_only"]
        manifest["metrics"] = {
            "split": "test (patient-level, data README rule; images/ only)",
            "scored": m["scored"],
            "n": o["n"], "nPatients": o["n_patients"],
            "macroAuroc": {"value": round(o["macro_auroc"], 4), "ci95": [round(v, 4) for v in o["macro_auroc_ci"]]},
            "covidSensitivity": {"value": round(o["covid_sensitivity"], 4), "ci95": [round(v, 4) for v in o["covid_sensitivity_ci"]]},
            "accuracy": {"value": round(o["accuracy"], 4), "ci95": [round(v, 4) for v in o["accuracy_ci"]]},
            "adultCovidVsRestAuroc": {"value": round(ad["covid_vs_rest_auroc"], 4),
                                      "ci95": [round(v, 4) for v in ad["covid_vs_rest_auroc_ci"]], "n": ad["n"]},
            "perSourceAccuracy": {k: round(v["accuracy"], 4) for k, v in m["per_source"].items()},
            "shortcutProbeSourceAuroc": round(m["shortcut_probe"]["source_from_features"]["macro_auroc"], 4),
        }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"{onnx_path}: {os.path.getsize(onnx_path) / 1e6:.1f} MB, sha256 {manifest['sha256'][:12]}, "
          f"cam {list(cam.shape[1:])}, features {feats.shape[1]}")


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
