"""Where does the memory matter? Runs one model over a split with several memory lengths (0: θ fitted over the current
frame alone; the weights do not depend on the length) and compares per-frame J&F, split by how visible the referred
object is in the frame (its annotated area over its largest area in the clip: occluded, entering and leaving frames are
where the past frames should help) and by position in the clip. Each difference to the first length comes with a 95%
interval from a bootstrap over videos (frames of one video are not independent).

    python3 -m yofo.memprobe DATASET (--model DIR | --checkpoint RUN/last.pt) [--memory 0,4] [--videos N] [--json]

Bucket scores are means over frames, (J + F) / 2 per frame; "overall" holds the usual expression means (yofo.infer's).
"""
import json
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

from .data import ExpressionItem, RefVosSplit, read_ids
from .model import Yofo
from .modelio import evaluation_parser, load_model_arguments
from .online import evaluate_split
from .tokenizer import Tokenizer

FrameKey = Tuple[str, str, int]  # video, exp_id, frame index
# 35%: the share of its unoccluded area the Ref-Shapes generator calls "well visible".
VISIBILITY_BUCKETS = ("absent", "visible < 35%", "visible 35-80%", "visible >= 80%")
POSITION_BUCKETS = ("first frame", "later frames")


def visibility_bucket(area: int, largest: int) -> str:
    if area == 0:
        return VISIBILITY_BUCKETS[0]
    share = area / largest
    return VISIBILITY_BUCKETS[1] if share < 0.35 else VISIBILITY_BUCKETS[2] if share < 0.8 else VISIBILITY_BUCKETS[3]


def frame_buckets(split: RefVosSplit) -> Dict[FrameKey, Tuple[str, str]]:
    """(visibility, position) bucket of every annotated frame of every expression with an obj_id."""
    out: Dict[FrameKey, Tuple[str, str]] = {}
    for vid, items in split.videos.items():
        items = [it for it in items if it.obj_id is not None]
        if not items:
            continue
        ids = [read_ids(split.annotation_path(vid, f)) for f in items[0].frames]
        for it in items:
            areas = [int((frame == it.obj_id).sum()) for frame in ids]
            largest = max(areas)
            for t, area in enumerate(areas):
                out[(vid, it.exp_id, t)] = (visibility_bucket(area, largest), POSITION_BUCKETS[min(t, 1)])
    return out


def frame_scores(
    model: Yofo, tokenizer: Tokenizer, split: RefVosSplit, memory: int
) -> Tuple[Dict, Dict[FrameKey, float]]:
    """(evaluate_split's summary, per-frame (J + F) / 2) with a memory ring of `memory` past frames."""
    per_frame: Dict[FrameKey, float] = {}

    def record(it: ExpressionItem, t: int, j: float, f: float) -> None:
        per_frame[(it.video, it.exp_id, t)] = (j + f) / 2

    summary = evaluate_split(model, tokenizer, split, memory=memory, on_frame_scores=record)
    return summary, per_frame


def bootstrap_interval(
    groups: np.ndarray, values: np.ndarray, resamples: int = 2000, seed: int = 0
) -> Tuple[float, float]:
    """95% interval of the mean of `values` when whole groups (videos: `groups` holds each value's group index) are
    resampled with replacement."""
    n = int(groups.max()) + 1
    sums, counts = np.bincount(groups, values, n), np.bincount(groups, None, n)
    rng = np.random.default_rng(seed)
    picks = np.stack([np.bincount(rng.integers(0, n, n), None, n) for _ in range(resamples)])  # [resamples, groups]
    total = picks @ counts
    means = (picks @ sums)[total > 0] / total[total > 0]
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def compare(
    buckets: Dict[FrameKey, Tuple[str, str]], runs: Dict[int, Dict[FrameKey, float]], resamples: int = 2000
) -> List[Dict]:
    """Per bucket: frame count, mean per-frame J&F of every run, and each later run's difference to the first with its
    bootstrap interval. Buckets with no frame are left out."""
    lengths = list(runs)
    base = runs[lengths[0]]
    keys = [k for k in buckets if all(k in r for r in runs.values())]
    video_index = {v: i for i, v in enumerate(sorted({k[0] for k in keys}))}
    rows = []
    for name in ("all",) + VISIBILITY_BUCKETS + POSITION_BUCKETS:
        chosen = [k for k in keys if name == "all" or name in buckets[k]]
        if not chosen:
            continue
        groups = np.array([video_index[k[0]] for k in chosen])
        row: Dict = {
            "bucket": name,
            "frames": len(chosen),
            "JF": {str(m): float(np.mean([runs[m][k] for k in chosen])) for m in lengths},
            "difference": {},
        }
        for m in lengths[1:]:
            d = np.array([runs[m][k] - base[k] for k in chosen])
            low, high = bootstrap_interval(groups, d, resamples)
            row["difference"][str(m)] = {"JF": float(d.mean()), "low": low, "high": high}
        rows.append(row)
    return rows


def print_table(lengths: Sequence[int], overall: Dict[int, Dict], rows: List[Dict]) -> None:
    print("expression means: " + ", ".join(f"memory {m}: J&F {overall[m]['JF']:.4f}" for m in lengths))
    head = f"{'frames in bucket':<20}{'frames':>8}" + "".join(f"{'mem ' + str(m):>10}" for m in lengths)
    head += "".join(f"{'Δ ' + str(m):>10}{'95% (videos)':>22}" for m in lengths[1:])
    print(head)
    for r in rows:
        line = f"{r['bucket']:<20}{r['frames']:>8}" + "".join(f"{r['JF'][str(m)]:>10.4f}" for m in lengths)
        for m in lengths[1:]:
            d = r["difference"][str(m)]
            line += f"{d['JF']:>+10.4f}{'[' + format(d['low'], '+.4f') + ', ' + format(d['high'], '+.4f') + ']':>22}"
        print(line)


def main(argv: Optional[List[str]] = None) -> int:
    p = evaluation_parser("yofo.memprobe", __doc__)
    p.add_argument("--memory", default="0,4", help="comma-separated memory lengths; differences are to the first")
    p.add_argument("--videos", type=int, default=0, help="only the split's first N videos (0: all)")
    p.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    try:
        lengths = [int(m) for m in a.memory.split(",") if m.strip()]
    except ValueError:
        p.error("--memory must be comma-separated whole numbers, e.g. 0,4")
    if len(lengths) < 2 or min(lengths) < 0 or len(set(lengths)) != len(lengths):
        p.error("--memory needs two or more different lengths of 0 or more, e.g. 0,4")
    torch.set_num_threads(a.threads)
    try:
        model, tokenizer, _ = load_model_arguments(a)
        split = RefVosSplit(a.dataset, a.split, model.cfg["width"], model.cfg["height"])
        if a.videos:
            split = RefVosSplit(
                a.dataset, a.split, model.cfg["width"], model.cfg["height"], list(split.videos)[: a.videos]
            )
        buckets = frame_buckets(split)
        overall, runs = {}, {}
        for m in lengths:
            overall[m], runs[m] = frame_scores(model, tokenizer, split, m)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    rows = compare(buckets, runs, a.resamples)
    if a.json:
        print(
            json.dumps(
                {
                    "memory": lengths,
                    "overall": {str(m): {k: overall[m][k] for k in ("J", "F", "JF", "expressions")} for m in lengths},
                    "buckets": rows,
                }
            )
        )
    else:
        print_table(lengths, overall, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
