"""Threshold calibration: the logit offset that maximises the mean J of a model on training videos. The contract's
mask is logit > 0; a model trained with BCE on small objects among look-alikes can rank the referred object first yet
keep its logits below 0 (most masks empty). `yofo.export --logit-offset` folds the chosen offset into the head's bias.
Fit it on training videos (by default the split's last ones), never on the held-out set.

    python3 -m yofo.calibrate CHECKPOINT --data DATASET [--split train] [--videos 25] [--offsets -1,0,0.5,...]

Masks are taken as the host takes them: logits resized to the frame's size (bilinear, half-pixel), then logit +
offset > 0. Prints JSON: {"offsets": {offset: mean J}, "best", "emptyAtZero", "videos", "expressions"}.
"""
import argparse
import json
import sys
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from .data import RefVosSplit, read_ids, read_rgb
from .jf import region_j
from .model import Yofo
from .modelio import load_checkpoint
from .online import logits_at_frame_size, run_expressions
from .tokenizer import Tokenizer

DEFAULT_OFFSETS = [-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0]


def calibrate(model: Yofo, tokenizer: Tokenizer, split: RefVosSplit, offsets: Sequence[float]) -> Dict:
    """Mean over expressions (with an obj_id) of the mean J over their frames, for every offset."""
    per_offset: Dict[float, List[float]] = {o: [] for o in offsets}
    empty: List[bool] = []
    for vid, items in split.videos.items():
        items = [it for it in items if it.obj_id is not None]
        if not items:
            continue
        names = items[0].frames
        rgbs = [read_rgb(split.frame_path(vid, f)) for f in names]
        js = {o: [[] for _ in items] for o in offsets}

        def on_frame(t: int, logits: torch.Tensor, masks: np.ndarray) -> None:
            ids = read_ids(split.annotation_path(vid, names[t]))
            full = logits_at_frame_size(logits, ids.shape).numpy()
            for k, it in enumerate(items):
                gt = ids == it.obj_id
                empty.append(not masks[k].any())
                for o in offsets:
                    js[o][k].append(region_j(gt, full[k] + o > 0))

        run_expressions(model, tokenizer, rgbs, [it.text for it in items], on_frame)
        for o in offsets:
            per_offset[o].extend(float(np.mean(j)) for j in js[o])
    means = {o: float(np.mean(v)) if v else 0.0 for o, v in per_offset.items()}
    return {
        "offsets": means,
        "best": max(offsets, key=lambda o: means[o]),
        "emptyAtZero": float(np.mean(empty)) if empty else 0.0,
        "videos": len(split.videos),
        "expressions": len(per_offset[offsets[0]]),
    }


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(
        prog="python3 -m yofo.calibrate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("checkpoint")
    p.add_argument("--data", required=True, help="training dataset (never the held-out one)")
    p.add_argument("--split", default="train")
    p.add_argument("--videos", type=int, default=25, help="the split's last N videos")
    p.add_argument("--offsets", default=",".join(str(o) for o in DEFAULT_OFFSETS))
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    try:
        offsets = [float(o) for o in a.offsets.split(",") if o.strip()]
        if not offsets:
            raise ValueError("--offsets: no offset given")
        model, tokenizer, _ = load_checkpoint(a.checkpoint)
        model.eval()
        names = list(RefVosSplit(a.data, a.split, model.cfg["width"], model.cfg["height"]).videos)
        split = RefVosSplit(a.data, a.split, model.cfg["width"], model.cfg["height"], names[-a.videos :])
        result = calibrate(model, tokenizer, split, offsets)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
