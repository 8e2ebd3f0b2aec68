"""Write the labels.csv paths of the held-out splits (val + test, images/ only) as a JSON list.

    list_split.py out.json [--splits val test]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxr_data  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--data", default=cxr_data.DEFAULT_DATA)
p.add_argument("--splits", nargs="+", default=["val", "test"])
a = p.parse_args()
rows = cxr_data.load_rows(a.data)
paths = [rows[i]["path"] for s in a.splits for i in cxr_data.select(rows, s)]
with open(a.out, "w") as f:
    json.dump(paths, f)
print(len(paths), "paths")
