"""Loading YOFO models: from a training checkpoint (last.pt / best.pt) or from an exported model folder
(model.json for the config and vocabulary, weights.pt for the state dict)."""
import argparse
import os
from typing import Tuple

import torch

from .data import read_json_file
from .model import Yofo
from .tokenizer import Tokenizer


def load_checkpoint(path: str) -> Tuple[Yofo, Tokenizer, dict]:
    try:
        state = torch.load(path, map_location="cpu")
    except (OSError, RuntimeError) as err:
        raise ValueError(f"{path}: cannot load checkpoint: {err}") from err
    for key in ("model", "cfg", "vocab"):
        if key not in state:
            raise ValueError(f"{path}: not a YOFO checkpoint (no {key!r})")
    cfg = dict(state["cfg"], imagenet_weights="")
    model = Yofo(cfg, len(state["vocab"]))
    model.load_state_dict(state["model"])
    model.eval()
    return model, Tokenizer(state["vocab"], cfg["max_tokens"]), state


def load_model_dir(model_dir: str) -> Tuple[Yofo, Tokenizer, dict]:
    manifest_file = os.path.join(model_dir, "model.json")
    manifest = read_json_file(manifest_file, "a YOFO model folder holds model.json, weights.pt, text.onnx, frame.onnx")
    if manifest.get("format") != "yofo-onnx" or "architecture" not in manifest:
        raise ValueError(f'{manifest_file}: not a yofo-onnx model.json with an "architecture" block')
    cfg = dict(manifest["architecture"], imagenet_weights="")
    vocab = manifest["tokenizer"]["vocab"]
    model = Yofo(cfg, len(vocab))
    weights = os.path.join(model_dir, "weights.pt")
    try:
        model.load_state_dict(torch.load(weights, map_location="cpu"))
    except (OSError, RuntimeError) as err:
        raise ValueError(f"{weights}: cannot load the model weights: {err}") from err
    model.eval()
    return model, Tokenizer(vocab, cfg["max_tokens"]), manifest


def evaluation_parser(module: str, doc: str) -> argparse.ArgumentParser:
    """The options every evaluation tool starts with: DATASET, --model DIR | --checkpoint PT (one required), --split."""
    parser = argparse.ArgumentParser(
        prog=f"python3 -m {module}", description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dataset")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--model", help="exported model folder (model.json, weights.pt)")
    which.add_argument("--checkpoint", help="training checkpoint (.pt) instead of an exported folder")
    parser.add_argument("--split", default="train")
    return parser


def load_model_arguments(args: argparse.Namespace) -> Tuple[Yofo, Tokenizer, dict]:
    """The model that evaluation_parser's options name; the dict is the checkpoint state or the model.json manifest."""
    return load_model_dir(args.model) if args.model else load_checkpoint(args.checkpoint)
