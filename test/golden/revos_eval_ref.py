"""End-to-end Python re-implementation of ReVOS's evaluation (cilinyan/VISA tools/eval_revos.py with tools/metrics.py)
on a folder in the ReVOS layout, the golden reference of test/unit/revosDataset.test.ts. Written from the rules, not
copied; numpy + OpenCV only (RLE decoder of test/reference/eval_mevis_ref.py, J and F of training/yofo/jf.py).

usage: revos_eval_ref.py <root> <split> <pred_dir>; prints {"expressions": [{video, expId, typeId, J, F, A, R}],
"summary": {referring, reason, overall, noTarget}}.

Rules: per expression, the first predicted frame (cv2.IMREAD_GRAYSCALE) gives the size; the truth of a frame is the
uint8 sum of the anno_id masks (null: absent); the foreground the decoded masks_rle of mask_dict_foreground.json; J, F
on nonzero pixels, A = mean(gt == pred), R = max(1 - sum(uint8((1 - gt) * pred)) / (sum(fg) + 1e-6), 0); means over
the frames. A video without a prediction folder, or any error (a missing frame: imread gives None), scores 0 on all
four. Summary: round(100 x, 2) per expression, means per type_id 0 and 1, overall = their average; 2 reported apart.
"""
import json
import os
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "training"))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from eval_mevis_ref import rle_decode  # noqa: E402
from yofo.jf import boundary_f, region_j  # noqa: E402


def score_expression(root_pred, vid_name, exp_id, vid, mask_dict, foreground):
    if not os.path.exists(os.path.join(root_pred, vid_name)):
        return [0.0, 0.0, 0.0, 0.0]
    try:
        first = cv2.imread(os.path.join(root_pred, vid_name, exp_id, vid["frames"][0] + ".png"), cv2.IMREAD_GRAYSCALE)
        h, w = first.shape
        js, fs, accs, robs = [], [], [], []
        for i, frame in enumerate(vid["frames"]):
            gt = np.zeros((h, w), dtype=np.uint8)
            for anno_id in vid["expressions"][exp_id]["anno_id"]:
                rle = mask_dict[str(anno_id)][i]
                if rle:
                    gt += rle_decode(rle)
            fg = rle_decode(foreground[vid_name]["masks_rle"][i]).astype(np.uint8)
            pred = np.zeros((h, w), dtype=np.uint8)
            pred[...] = cv2.imread(os.path.join(root_pred, vid_name, exp_id, frame + ".png"), cv2.IMREAD_GRAYSCALE)
            js.append(region_j(gt, pred))
            fs.append(boundary_f(gt, pred))
            accs.append(np.mean(gt == pred))
            neg = ((np.uint8(1) - gt) * pred).sum()
            robs.append(max(1 - neg / (fg.sum() + 1e-6), 0.0))
        return [float(np.mean(js)), float(np.mean(fs)), float(np.mean(accs)), float(np.mean(robs))]
    except Exception:  # noqa: BLE001 -- the official script scores any failing expression 0
        return [0.0, 0.0, 0.0, 0.0]


def main():
    root, split, pred = sys.argv[1:4]
    videos = json.load(open(os.path.join(root, f"meta_expressions_{split}_.json")))["videos"]
    mask_dict = json.load(open(os.path.join(root, "mask_dict.json")))
    foreground = json.load(open(os.path.join(root, "mask_dict_foreground.json")))
    rows = []
    for vid_name, vid in videos.items():
        for exp_id, exp in vid["expressions"].items():
            j, f, a, r = score_expression(pred, vid_name, exp_id, vid, mask_dict, foreground)
            rows.append({"video": vid_name, "expId": exp_id, "typeId": exp["type_id"], "J": j, "F": f, "A": a, "R": r})

    def group(type_id):
        sel = [x for x in rows if x["typeId"] == type_id]
        out = {k: float(np.array([round(100 * x[k], 2) for x in sel]).mean()) for k in ("J", "F", "A", "R")}
        out["JF"] = (out["J"] + out["F"]) / 2
        return out

    referring, reason = group(0), group(1)
    overall = {k: (referring[k] + reason[k]) / 2 for k in referring}
    summary = {"referring": referring, "reason": reason, "overall": overall, "noTarget": group(2)}
    print(json.dumps({"expressions": rows, "summary": summary}))


if __name__ == "__main__":
    main()
