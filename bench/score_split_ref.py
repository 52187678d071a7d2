"""A straightforward Python scorer for a Ref-YouTube-VOS split, the baseline of bench/evaluate.ts.

Usage: /usr/bin/python3 bench/score_split_ref.py <dataset> <split> <run dir> <jf_ref.py dir>
For every expression with obj_id and every frame with an annotation PNG: GT = (annotation == obj_id), prediction =
Annotations/<video>/<exp_id>/<frame>.png > 0 (an empty mask when missing), J and F from jf_ref.py; means per
expression, then over expressions. Prints one JSON line {"J", "F", "JF", "expressions", "seconds"}.
"""
import json
import os
import sys
import time

import numpy as np
from PIL import Image

dataset, split, run_dir, ref_dir = sys.argv[1:5]
sys.path.insert(0, ref_dir)
from jf_ref import boundary_f, region_j  # noqa: E402

start = time.perf_counter()
meta = json.load(open(os.path.join(dataset, "meta_expressions", split, "meta_expressions.json")))
exp_scores = []
for video_id, video in meta["videos"].items():
    for exp_id, exp in video["expressions"].items():
        if "obj_id" not in exp:
            continue
        obj = int(exp["obj_id"])
        js, fs = [], []
        for frame in video["frames"]:
            gt_file = os.path.join(dataset, split, "Annotations", video_id, frame + ".png")
            if not os.path.exists(gt_file):
                continue
            gt = np.array(Image.open(gt_file)) == obj
            pred_file = os.path.join(run_dir, "Annotations", video_id, exp_id, frame + ".png")
            if os.path.exists(pred_file):
                pred = np.array(Image.open(pred_file)) > 0
            else:
                pred = np.zeros_like(gt)
            js.append(region_j(gt, pred))
            fs.append(boundary_f(gt, pred))
        if js:
            exp_scores.append((float(np.mean(js)), float(np.mean(fs))))
seconds = time.perf_counter() - start
J = float(np.mean([j for j, _ in exp_scores]))
F = float(np.mean([f for _, f in exp_scores]))
print(json.dumps({"J": J, "F": F, "JF": (J + F) / 2, "expressions": len(exp_scores), "seconds": seconds}))
