"""Python re-implementation of ReVOS's evaluation rules (cilinyan/VISA tools/eval_revos.py and tools/metrics.py), the
golden reference of test/unit/revos.test.ts. Written from the rules, not copied.

Reads JSON on stdin: {"width", "height", "expressions": [{"video", "expId", "typeId", "frames": [{"gt": [...],
"pred": [...], "fg": [...]}]}]} with uint8 pixel values; prints {"expressions": [{"J","F","A","R"}], "summary": {...}}.
Per frame: J and F as training/yofo/jf.py on (value != 0); A = mean(gt == pred) on the values; R = max(1 - neg /
(pos + 1e-6), 0) with neg = sum(uint8((1 - gt) * pred)) in uint8 arithmetic, pos = sum(fg). Per expression: the
means. Summary: round(100 * x, 2) per expression, means per type_id 0 and 1, overall = their average.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "training"))
from yofo.jf import boundary_f, region_j  # noqa: E402

data = json.load(sys.stdin)
shape = (data["height"], data["width"])
rows = []
for e in data["expressions"]:
    js, fs, accs, robs = [], [], [], []
    for fr in e["frames"]:
        gt = np.array(fr["gt"], dtype=np.uint8).reshape(shape)
        pred = np.array(fr["pred"], dtype=np.uint8).reshape(shape)
        fg = np.array(fr["fg"], dtype=np.uint8).reshape(shape)
        js.append(region_j(gt, pred))
        fs.append(boundary_f(gt, pred))
        accs.append(np.mean(gt == pred))
        neg = (np.uint8(1) - gt) * pred  # uint8: wraps like the script's arrays
        robs.append(max(1 - int(neg.sum()) / (int(fg.sum()) + 1e-6), 0.0))
    rows.append({"typeId": e["typeId"], "J": float(np.mean(js)), "F": float(np.mean(fs)), "A": float(np.mean(accs)), "R": float(np.mean(robs))})


def group(type_id):
    sel = [r for r in rows if r["typeId"] == type_id]
    out = {k: float(np.array([round(100 * r[k], 2) for r in sel]).mean()) for k in ("J", "F", "A", "R")}
    out["JF"] = (out["J"] + out["F"]) / 2
    return out


referring, reason = group(0), group(1)
overall = {k: (referring[k] + reason[k]) / 2 for k in referring}
print(json.dumps({"expressions": rows, "summary": {"referring": referring, "reason": reason, "overall": overall, "noTarget": group(2)}}))
