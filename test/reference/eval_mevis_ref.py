"""A Python re-implementation of the rules of MeViS's official evaluation (henghuiding/MeViS tools/eval_mevis.py,
with the DAVIS 2017 J and F it imports), written from those rules for the golden test and the benchmark of our scorer.

Usage: python3 eval_mevis_ref.py <split dir> <pred dir>
  <split dir>  holds meta_expressions.json and mask_dict.json
  <pred dir>   holds <video>/<exp_id>/<frame>.png
Prints one JSON object: {"J", "F", "JF", "seconds", "expressions": {"<video>/<exp_id>": [J, F, [[j, f] per frame]]}}.

Rules (those of eval_mevis.py):
- ground truth of a frame = union of the expression's anno_id masks (mask_dict[str(anno_id)][frame index]; null: the
  object is absent there), each a COCO compressed RLE decoded here by our own decoder;
- prediction = the PNG read as 8-bit grayscale (cv2.IMREAD_GRAYSCALE), nonzero = foreground;
- J = IoU (1 when the union is empty), F = DAVIS boundary F-measure, for every frame of the video;
- per expression the means over all frames, per split the means over expressions, J&F = (J + F) / 2;
- a video without a prediction folder: each of its expressions scores J = F = 0.
One difference: the official script fails on a missing frame PNG; here (as in our scorer) it is an empty mask.
Single process (the official script forks 64 workers), numpy + OpenCV only (Debian python3-numpy, python3-opencv).
"""
import json
import math
import os
import sys
import time

import cv2
import numpy as np


def rle_counts(s):
    """Run lengths of a COCO compressed counts string (5 bits per character, deltas from the 4th run on)."""
    counts = []
    p = 0
    while p < len(s):
        x = 0
        k = 0
        while True:
            c = ord(s[p]) - 48
            x |= (c & 0x1F) << (5 * k)
            p += 1
            k += 1
            if not c & 0x20:
                if c & 0x10:
                    x -= 1 << (5 * k)
                break
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def rle_decode(rle):
    """A COCO RLE {"size": [h, w], "counts": str} as an (h, w) uint8 0/1 array (runs are column-major)."""
    h, w = rle["size"]
    flat = np.zeros(h * w, dtype=np.uint8)
    pos = 0
    for i, n in enumerate(rle_counts(rle["counts"])):
        if i % 2 == 1:
            flat[pos:pos + n] = 1
        pos += n
    return flat.reshape((w, h)).T


def db_eval_iou(gt, pred):
    gt = gt.astype(bool)
    pred = pred.astype(bool)
    union = np.sum(gt | pred)
    if union == 0:
        return 1.0
    return np.sum(gt & pred) / union


def seg2bmap(seg):
    """Boundary pixels: a pixel differing from its east, south or south-east neighbour (DAVIS 2017 rules)."""
    seg = seg.astype(bool)
    e = np.zeros_like(seg)
    s = np.zeros_like(seg)
    se = np.zeros_like(seg)
    e[:, :-1] = seg[:, 1:]
    s[:-1, :] = seg[1:, :]
    se[:-1, :-1] = seg[1:, 1:]
    b = (seg ^ e) | (seg ^ s) | (seg ^ se)
    b[-1, :] = seg[-1, :] ^ e[-1, :]
    b[:, -1] = seg[:, -1] ^ s[:, -1]
    b[-1, -1] = False
    return b


def disk(radius):
    r = np.arange(-radius, radius + 1)
    x, y = np.meshgrid(r, r)
    return (x * x + y * y <= radius * radius).astype(np.uint8)


def f_measure(pred, gt, bound_th=0.008):
    bound_pix = int(math.ceil(bound_th * np.linalg.norm(gt.shape)))
    fg_b = seg2bmap(pred)
    gt_b = seg2bmap(gt)
    fg_dil = cv2.dilate(fg_b.astype(np.uint8), disk(bound_pix))
    gt_dil = cv2.dilate(gt_b.astype(np.uint8), disk(bound_pix))
    gt_match = gt_b * fg_dil
    fg_match = fg_b * gt_dil
    n_fg = np.sum(fg_b)
    n_gt = np.sum(gt_b)
    if n_fg == 0 and n_gt > 0:
        precision, recall = 1, 0
    elif n_fg > 0 and n_gt == 0:
        precision, recall = 0, 1
    elif n_fg == 0 and n_gt == 0:
        precision, recall = 1, 1
    else:
        precision = np.sum(fg_match) / float(n_fg)
        recall = np.sum(gt_match) / float(n_gt)
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def main():
    split_dir, pred_dir = sys.argv[1:3]
    start = time.perf_counter()
    with open(os.path.join(split_dir, "meta_expressions.json")) as f:
        videos = json.load(f)["videos"]
    with open(os.path.join(split_dir, "mask_dict.json")) as f:
        mask_dict = json.load(f)
    out = {}
    for vid_name, vid in videos.items():
        frames = vid["frames"]
        for exp_id, exp in vid["expressions"].items():
            key = f"{vid_name}/{exp_id}"
            if not os.path.exists(os.path.join(pred_dir, vid_name)):
                out[key] = [0.0, 0.0, [[0.0, 0.0] for _ in frames]]
                continue
            preds = [cv2.imread(os.path.join(pred_dir, vid_name, exp_id, f"{name}.png"), cv2.IMREAD_GRAYSCALE) for name in frames]
            shape = next((p.shape for p in preds if p is not None), None)
            per_frame = []
            for i, pred in enumerate(preds):
                gt = None
                for anno_id in exp["anno_id"]:
                    rle = mask_dict[str(anno_id)][i]
                    if rle:
                        m = rle_decode(rle)
                        gt = m.copy() if gt is None else gt + m
                size = gt.shape if gt is not None else shape if shape is not None else (1, 1)
                if gt is None:
                    gt = np.zeros(size, dtype=np.uint8)
                if pred is None:
                    pred = np.zeros(size, dtype=np.uint8)
                per_frame.append([float(db_eval_iou(gt, pred)), float(f_measure(pred, gt))])
            j = float(np.mean([x[0] for x in per_frame]))
            f = float(np.mean([x[1] for x in per_frame]))
            out[key] = [j, f, per_frame]
    seconds = time.perf_counter() - start
    J = float(np.mean([v[0] for v in out.values()]))
    F = float(np.mean([v[1] for v in out.values()]))
    print(json.dumps({"J": J, "F": F, "JF": (J + F) / 2, "seconds": seconds, "expressions": out}))


if __name__ == "__main__":
    main()
