"""Turns an exported model folder into a training checkpoint that `yofo.train --resume --new-schedule` continues:

    python3 -m yofo.fork MODEL_DIR --out RUN_DIR        (writes RUN_DIR/last.pt; RUN_DIR must hold no last.pt yet)

The export folds the calibrated logit offset into the head's bias (model.json training.logitOffset); it is taken back
out, so training continues from the weights as they were trained. The optimizer state is not exported: Adam's moments
start afresh (train.py resets them when a checkpoint has none)."""
import argparse
import os
import sys
from typing import List, Optional

import torch

from .modelio import load_model_dir
from .train import atomic_save


def fork_state(model_dir: str) -> dict:
    model, tokenizer, manifest = load_model_dir(model_dir)
    training = manifest.get("training", {})
    offset = float(training.get("logitOffset", 0.0))
    with torch.no_grad():
        model.head.bias -= offset
    step = int(training.get("steps", 0))
    trained_s = float(training.get("trainedMinutes", 0.0)) * 60
    return {
        "model": model.state_dict(),
        "optimizer": None,
        "step": step,
        "cfg": dict(model.cfg),
        "vocab": list(tokenizer.vocab),
        "history": [],
        "trained_seconds": trained_s,
        "best": -1.0,
        "schedule_origin": [step, trained_s],
        "args": {"forked_from": os.path.abspath(model_dir), "logit_offset_removed": offset},
        "data": training.get("data", {}),
    }


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(
        prog="python3 -m yofo.fork", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("model_dir", help="exported model folder (model.json, weights.pt)")
    p.add_argument("--out", required=True, help="run folder to create last.pt in")
    a = p.parse_args(argv)
    target = os.path.join(a.out, "last.pt")
    if os.path.exists(target):
        print(f"error: {target}: already exists; refusing to overwrite a run's checkpoint", file=sys.stderr)
        return 2
    try:
        state = fork_state(a.model_dir)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    atomic_save(state, target)
    print(f"{target}: step {state['step']}, logit offset {state['args']['logit_offset_removed']:+g} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
