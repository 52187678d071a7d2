"""PyTorch reference inference of an exported YOFO model folder over a split, online frame by frame with the same
memory ring and pre/postprocessing as the contract (one expression at a time, like the host), scored with yofo.jf.

    python3 -m yofo.infer DATASET --model DIR [--split train] [--json] [--videos a,b] [--out DIR] [--threads N]
    python3 -m yofo.infer DATASET --checkpoint RUN/last.pt ...      (a training checkpoint, e.g. an ablation run)
    python3 -m yofo.infer DATASET --model DIR --memory 0 ...          (probe: meta-transfer without past frames)

--json prints {"J", "F", "JF", "fps"} (fps: expression-frames per second of the whole loop, decoding included).
--out writes 0/255 PNG masks as Annotations/<video>/<exp_id>/<frame>.png into a new (or earlier --out) folder.
"""
import json
import os
import sys
from typing import List, Optional

import numpy as np
import torch
from PIL import Image

from .data import DataError, RefVosSplit
from .modelio import evaluation_parser, load_model_arguments
from .online import evaluate_split

MARKER = "yofo-infer.json"


def prepare_out(out: str, model_dir: str) -> None:
    """Refuses a non-empty folder that is not an earlier --out of this tool, so no user file is ever overwritten."""
    if os.path.isdir(out) and os.listdir(out) and not os.path.exists(os.path.join(out, MARKER)):
        raise DataError(
            f"{out}: folder is not empty and is not an earlier yofo.infer output; refusing to write into it"
        )
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, MARKER + ".tmp")
    with open(tmp, "w") as f:
        json.dump({"generator": "yofo.infer", "model": os.path.abspath(model_dir)}, f)
    os.replace(tmp, os.path.join(out, MARKER))


def write_mask(path: str, mask: np.ndarray) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp.png"
    Image.fromarray(mask.astype(np.uint8) * 255, mode="L").save(tmp)
    os.replace(tmp, path)


def main(argv: Optional[List[str]] = None) -> int:
    p = evaluation_parser("yofo.infer", __doc__)
    p.add_argument("--videos", default="", help="comma-separated video ids (default: all)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", default="")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument(
        "--memory",
        type=int,
        default=None,
        help="memory length to run with instead of the model's (0: theta fitted over the current frame "
        "alone); a probe of how much the past frames contribute",
    )
    p.add_argument(
        "--batch-expressions",
        action="store_true",
        help="run a video's expressions side by side (the same masks; faster in PyTorch, but fps is then "
        "not comparable with the host's one-expression-at-a-time loop)",
    )
    a = p.parse_args(argv)
    if a.memory is not None and a.memory < 0:
        p.error("--memory must be 0 or more")
    if a.threads:
        torch.set_num_threads(a.threads)
    try:
        model, tokenizer, _ = load_model_arguments(a)
        videos = [v for v in a.videos.split(",") if v] or None
        split = RefVosSplit(a.dataset, a.split, model.cfg["width"], model.cfg["height"], videos)
        on_masks = None
        if a.out:
            prepare_out(a.out, a.model or a.checkpoint)

            def on_masks(item, t, mask):
                write_mask(os.path.join(a.out, "Annotations", item.video, item.exp_id, item.frames[t] + ".png"), mask)

        s = evaluate_split(
            model, tokenizer, split, batch_expressions=a.batch_expressions, on_masks=on_masks, memory=a.memory
        )
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if a.json:
        cats = {c: {"JF": v["JF"], "expressions": v["expressions"]} for c, v in s["categories"].items()}
        print(
            json.dumps(
                {
                    "J": s["J"],
                    "F": s["F"],
                    "JF": s["JF"],
                    "fps": s["fps"],
                    "expressions": s["expressions"],
                    "categories": cats,
                }
            )
        )
    else:
        print(
            f"{s['expressions']} expressions scored: J&F {s['JF']:.4f}  J {s['J']:.4f}  F {s['F']:.4f}  ({s['frames']} frames, {s['fps']:.1f} fps)"
        )
        for c, v in s["categories"].items():
            print(f"  {c:<12} J&F {v['JF']:.4f}  ({v['expressions']} expressions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
