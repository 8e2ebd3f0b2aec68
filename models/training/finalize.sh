#!/bin/sh
# Export a finished run, score the ONNX file the agent's way, and write heldout.json, model.json
# metrics and MODEL_CARD.md.   usage: finalize.sh <run dir> <model id> "<name>" [extra make_card.py args] (VERSION=x.y.z sets the manifest version)
set -e
run=$1; id=$2; name=$3; shift 3
here=$(dirname "$0")
data=${DATA:-$here/../../../shared/data/xray}
export OMP_WAIT_POLICY=PASSIVE
/usr/bin/python3 "$here/export_onnx.py" --run "$run" --id "$id" --name "$name" --version "${VERSION:-1.0.0}"
[ -f /tmp/cxr_runs/heldout_paths.json ] || /usr/bin/python3 "$here/list_split.py" /tmp/cxr_runs/heldout_paths.json --data "$data"
node "$here/onnx_predict.mjs" "$here/../$id" "$data" /tmp/cxr_runs/heldout_paths.json "$run/onnx_pred.json"
/usr/bin/python3 "$here/evaluate.py" --run "$run" --data "$data" --predictions "$run/onnx_pred.json" \
  --out "$run/eval_onnx.json" --heldout "$here/../$id/heldout.json" --threads 1
/usr/bin/python3 "$here/export_onnx.py" --run "$run" --id "$id" --name "$name" --version "${VERSION:-1.0.0}" --metrics "$run/eval_onnx.json" --skip-onnx
/usr/bin/python3 "$here/make_card.py" --id "$id" --eval "$run/eval_onnx.json" "$@"
