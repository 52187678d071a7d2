"""Python re-implementation of the DAVIS 2017 unsupervised evaluation rules (davisvideochallenge/davis2017-evaluation,
task "unsupervised"), the golden reference of test/unit/davis17.test.ts. Written from the rules, not copied.

Usage: /usr/bin/python3 test/golden/davis17_unsupervised_ref.py <gt dir> <run dir> <sequence> [<sequence> ...]
Prints one JSON object: {"JF", "J": {"M","R","D"}, "F": {...}, "objects": [{"label","trueId","predictedId","J","F"}]}.
Rules: frames = sorted ground-truth PNGs; true objects 1..max(first GT frame) with 255 as background; predicted
objects 1..max over the run's frames (at most 20), fewer than true ones padded with empty masks; pairs chosen by
scipy's linear_sum_assignment on -(mean J + mean F) / 2; statistics mean, recall (> 0.5), decay (quarters).
J and F per frame as training/yofo/jf.py (checked against the DAVIS reference code); each mask's boundary and its
dilation are computed once per frame, so the 20 × objects pairs of a frame stay cheap.
"""
import glob
import json
import os
import sys

import cv2
import numpy as np
from PIL import Image
from scipy.optimize import linear_sum_assignment

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "training"))
from yofo.jf import _disk, boundary_pixels, region_j  # noqa: E402


def statistics(values):
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    edges = (np.round(np.linspace(1, n, 5) + 1e-10) - 1).astype(np.uint8)
    quarters = [values[edges[k] : edges[k + 1] + 1] for k in range(4)]
    return {"M": float(np.nanmean(values)), "R": float(np.nanmean(values > 0.5)), "D": float(np.nanmean(quarters[0]) - np.nanmean(quarters[3]))}


def f_measure(pred_boundary, true_boundary):
    bp, near_p, n_p = pred_boundary
    bg, near_g, n_g = true_boundary
    if n_p == 0 and n_g == 0:
        return 1.0
    if n_p == 0 or n_g == 0:
        return 0.0
    precision = int((bp & near_g).sum()) / n_p
    recall = int((bg & near_p).sum()) / n_g
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def sequence_objects(gt_dir, run_dir, seq):
    frames = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(gt_dir, seq, "*.png")))
    gt = np.stack([np.array(Image.open(os.path.join(gt_dir, seq, f + ".png"))) for f in frames]).astype(np.int64)
    gt[gt == 255] = 0
    pred = np.stack([np.array(Image.open(os.path.join(run_dir, seq, f + ".png"))) for f in frames]).astype(np.int64)
    n_true = int(gt[0].max())
    n_pred = int(pred.max())
    if n_pred > 20:
        raise SystemExit(f"{seq}: more than 20 proposals")
    rows = max(n_true, n_pred)
    js = np.zeros((rows, n_true, len(frames)))
    fs = np.zeros((rows, n_true, len(frames)))
    tol = np.ceil(0.008 * np.hypot(*gt.shape[1:]))
    disk = _disk(tol)

    def boundary(mask):
        b = boundary_pixels(mask)
        return b, cv2.dilate(b.astype(np.uint8), disk).astype(bool), int(b.sum())

    for t in range(len(frames)):
        truths = [gt[t] == g + 1 for g in range(n_true)]
        guesses = [pred[t] == p + 1 for p in range(rows)]  # ids above n_pred never occur: the padded empty masks
        tb = [boundary(m) for m in truths]
        pb = [boundary(m) for m in guesses]
        for p in range(rows):
            for g in range(n_true):
                js[p, g, t] = region_j(truths[g], guesses[p])
                fs[p, g, t] = f_measure(pb[p], tb[g])
    merit = (js.mean(axis=2) + fs.mean(axis=2)) / 2
    pred_rows, true_cols = linear_sum_assignment(-merit)
    out = []
    for k, (p, g) in enumerate(zip(pred_rows, true_cols)):
        out.append({"label": f"{seq}_{k + 1}", "trueId": int(g) + 1, "predictedId": int(p) + 1, "J": statistics(js[p, g]), "F": statistics(fs[p, g])})
    return out


def main():
    gt_dir, run_dir, seqs = sys.argv[1], sys.argv[2], sys.argv[3:]
    objects = [o for s in seqs for o in sequence_objects(gt_dir, run_dir, s)]
    summary = {key: {s: float(np.mean([o[key][s] for o in objects])) for s in ("M", "R", "D")} for key in ("J", "F")}
    summary["JF"] = (summary["J"]["M"] + summary["F"]["M"]) / 2
    summary["objects"] = objects
    print(json.dumps(summary))


main()
