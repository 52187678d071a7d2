"""Grounding probe: does the expression pick the right object? For each expression with an obj_id, over the first
frames of its clip, the referred object "wins" when its mean mask logit is the highest among the objects in the
annotations. Chance is about 1 / (objects per clip). J&F mixes this with mask quality; the win rate isolates grounding,
which is what a model that segments every object with the same confidence lacks. The mean J (mask logit > 0 against
the referred object) of the expressions won and of those lost splits the remaining error into the two: a model whose
won expressions score a high J loses J&F by picking the wrong object, not by drawing it badly.

    python3 -m yofo.grounding DATASET (--checkpoint RUN/last.pt | --model DIR) [--split train] [--videos 25] [--frames 4]
"""
import json
import sys
from typing import Dict, List, Optional

import torch

from .data import RefVosSplit, normalise
from .jf import region_j
from .model import Yofo
from .modelio import evaluation_parser, load_model_arguments
from .tokenizer import Tokenizer


@torch.no_grad()
def grounding_win_rate(
    model: Yofo, tokenizer: Tokenizer, split: RefVosSplit, videos: int = 25, frames: int = 4
) -> Dict:
    """{"winRate", "expressions", "categories": {name: winRate}, "expressionSpread", "jWon", "jLost"} over the first
    `videos` videos; expressionSpread = mean over pixels of the std of the logits across a clip's expressions (0:
    language ignored); jWon / jLost = mean J over frames of the expressions won / lost."""
    was_training = model.training
    model.eval()
    cfg = model.cfg
    wins: Dict[str, List[bool]] = {}
    spread: List[float] = []
    j_by_outcome: Dict[bool, List[float]] = {True: [], False: []}
    for vid in list(split.videos)[:videos]:
        items = [it for it in split.videos[vid] if it.obj_id is not None]
        if not items:
            continue
        names = items[0].frames[:frames]
        clip = normalise(torch.stack([split.frame(vid, f) for f in names]).float()[None], cfg["mean"], cfg["std"])
        tokens = torch.tensor([tokenizer.encode(it.text)[0] for it in items])
        logits = model(clip, tokens)[0][:, :, 0]  # [E, N, H, W]
        ids = torch.stack([split.ids(vid, f) for f in names])
        objects = [o for o in ids.unique().tolist() if o != 0]
        if len(items) > 1:
            spread.append(float(logits.std(0).mean()))
        for k, it in enumerate(items):
            means = {o: float(logits[k][ids == o].mean()) for o in objects}
            if it.obj_id in means:
                won = max(means, key=means.get) == it.obj_id
                wins.setdefault(it.category, []).append(won)
                masks, targets = (logits[k] > 0).numpy(), (ids == it.obj_id).numpy()
                j_by_outcome[won].append(sum(region_j(t, m) for t, m in zip(targets, masks)) / len(names))
    model.train(was_training)
    total = [w for ws in wins.values() for w in ws]
    return {
        "winRate": sum(total) / max(1, len(total)),
        "expressions": len(total),
        "categories": {c: sum(ws) / len(ws) for c, ws in sorted(wins.items())},
        "expressionSpread": sum(spread) / max(1, len(spread)),
        "jWon": mean_or_none(j_by_outcome[True]),
        "jLost": mean_or_none(j_by_outcome[False]),
    }


def mean_or_none(values: List[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def main(argv: Optional[List[str]] = None) -> int:
    p = evaluation_parser("yofo.grounding", __doc__)
    p.add_argument("--videos", type=int, default=25)
    p.add_argument("--frames", type=int, default=4)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    try:
        model, tokenizer, state = load_model_arguments(a)
        split = RefVosSplit(a.dataset, a.split, model.cfg["width"], model.cfg["height"])
        result = grounding_win_rate(model, tokenizer, split, a.videos, a.frames)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if a.checkpoint:
        result["step"] = state.get("step")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
