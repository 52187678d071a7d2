"""Ceiling measurements (issue 19): how large the objects are at the model's input size, and what J&F a perfect
grounder would get with today's masks.

    python3 -m yofo.ceiling DATASET (--model DIR | --checkpoint PT) [--split train] [--videos 30] [--threads 1]

Runs the model online exactly as `yofo.infer` does (every expression of a clip), then scores each expression's
masks against every object of its clip. "picked" is the object its masks overlap best (mean J over the clip's
frames); expressions whose picked object is the referred one are "grounded". The oracle J&F gives each expression the
best-matching masks among all masks the model produced for its clip (any expression's): the score of a grounder that
always chooses the right object among the objects the model can segment, with today's segmentation quality.
Sizes are counted at the model's input size: per object its largest visible bounding-box side over the clip."""
import json
import sys
from typing import Dict, List, Optional

import numpy as np
import torch

from .data import RefVosSplit, read_ids
from .jf import boundary_f, region_j
from .modelio import evaluation_parser, load_model_arguments
from .online import evaluate_split

SIZE_EDGES = (12, 20, 30)  # pixels: "under 30 pixels" is the question; 12 and 20 split it further


def object_sizes(split: RefVosSplit) -> Dict:
    """Largest bounding-box side (pixels, at model size) of every object of every video, counted below SIZE_EDGES."""
    sides: List[int] = []
    for vid, items in split.videos.items():
        ids = torch.stack([split.ids(vid, f) for f in items[0].frames]).numpy()
        for obj in np.unique(ids):
            if obj == 0:
                continue
            best = 0
            for frame in ids:
                ys, xs = np.nonzero(frame == obj)
                if len(xs):
                    best = max(best, int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
            sides.append(best)
    arr = np.array(sides)
    return {
        "objects": len(sides),
        "size": [split.width, split.height],
        "medianSide": float(np.median(arr)) if len(arr) else None,
        **{f"under{edge}px": int((arr < edge).sum()) for edge in SIZE_EDGES},
    }


def clip_scores(masks: Dict[str, List[np.ndarray]], gts: Dict[int, List[np.ndarray]]) -> Dict[str, Dict[int, float]]:
    """J&F (mean over frames of (J + F) / 2) of every expression's masks against every object's ground truth."""
    return {
        exp: {
            obj: float(np.mean([(region_j(g, m) + boundary_f(g, m)) / 2 for g, m in zip(gt, ms)]))
            for obj, gt in gts.items()
        }
        for exp, ms in masks.items()
    }


def ceiling(model, tokenizer, split: RefVosSplit) -> Dict:
    masks: Dict[tuple, List[np.ndarray]] = {}

    def keep(item, t, mask):
        masks.setdefault((item.video, item.exp_id), []).append(mask.copy())

    online = evaluate_split(model, tokenizer, split, on_masks=keep)
    rows = []
    for vid, items in split.videos.items():
        scored = [it for it in items if it.obj_id is not None]
        if not scored:
            continue
        ids = [read_ids(split.annotation_path(vid, f)) for f in items[0].frames]
        objects = sorted({int(o) for frame in ids for o in np.unique(frame) if o != 0})
        gts = {o: [frame == o for frame in ids] for o in objects}
        table = clip_scores({it.exp_id: masks[(vid, it.exp_id)] for it in items}, gts)
        for it in scored:
            own = table[it.exp_id]
            picked = max(own, key=own.get)
            rows.append(
                {
                    "category": it.category,
                    "jf": own.get(it.obj_id, 0.0),
                    "grounded": picked == it.obj_id,
                    "oracle": max(table[e].get(it.obj_id, 0.0) for e in table),
                }
            )

    def summary(sel: List[Dict]) -> Dict:
        won = [r for r in sel if r["grounded"]]
        mean = lambda vals: float(np.mean(vals)) if vals else None
        return {
            "expressions": len(sel),
            "JF": mean([r["jf"] for r in sel]),
            "grounded": mean([float(r["grounded"]) for r in sel]),
            "JFGrounded": mean([r["jf"] for r in won]),
            "JFNotGrounded": mean([r["jf"] for r in sel if not r["grounded"]]),
            "oracleJF": mean([r["oracle"] for r in sel]),
        }

    cats = sorted({r["category"] for r in rows})
    return {
        "online": {"JF": online["JF"], "expressions": online["expressions"]},
        **summary(rows),
        "categories": {c: summary([r for r in rows if r["category"] == c]) for c in cats},
        "sizes": object_sizes(split),
    }


def main(argv: Optional[List[str]] = None) -> int:
    p = evaluation_parser("yofo.ceiling", __doc__)
    p.add_argument("--videos", type=int, default=30, help="first N videos of the split (0 = all)")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    try:
        model, tokenizer, _ = load_model_arguments(a)
        cfg = model.cfg
        full = RefVosSplit(a.dataset, a.split, cfg["width"], cfg["height"])
        split = RefVosSplit(
            a.dataset, a.split, cfg["width"], cfg["height"], list(full.videos)[: a.videos] if a.videos else None
        )
        result = ceiling(model, tokenizer, split)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
