"""Exports a trained checkpoint as a YOFO model folder (CONTRACT.md): text.onnx, frame.onnx (opset 17, fixed shapes),
model.json and weights.pt; then checks through onnxruntime-node (tools/ort_online.mjs) that the online logits on a
real clip match PyTorch within 1e-4. The folder is built next to the target and renamed into place only when the
check passes; an existing target is replaced only when it is an earlier YOFO export.

    python3 -m yofo.export CHECKPOINT --out DIR [--name NAME] [--verify-data DATASET] [--threads N]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

import numpy as np
import onnx
import torch

from .data import RefVosSplit, normalise, read_rgb, resize_rgb
from .model import FrameGraph, TextGraph, Yofo
from .modelio import load_checkpoint
from .online import run_expressions
from .tokenizer import PAD_ID, UNK_ID, Tokenizer

OPSET = 17
PARITY_TOLERANCE = 1e-4
TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "ort_online.mjs")


def example_inputs(model: Yofo):
    cfg = model.cfg
    t, hh, ww = cfg["max_tokens"], cfg["height"], cfg["width"]
    tokens = torch.ones(1, t, dtype=torch.int64)
    with torch.no_grad():
        words, sentence = model.text(tokens)
        image = torch.zeros(1, 3, hh, ww)
        x, y, w, _ = model.encode_frames(image, image, words, torch.ones(1, t), sentence)
    m = cfg["memory"]
    mem = (
        torch.zeros(1, m, *x.shape[1:]),
        torch.zeros(1, m, *y.shape[1:]),
        torch.zeros(1, m, *w.shape[1:]),
        torch.zeros(1, m),
    )
    return tokens, (image, image.clone(), words, torch.ones(1, t), sentence) + mem


def export_graphs(model: Yofo, folder: str) -> List[int]:
    """Writes text.onnx and frame.onnx; returns the memory shape [M, C, h, w]."""
    model.eval()
    tokens, frame_inputs = example_inputs(model)
    torch.onnx.export(
        TextGraph(model),
        (tokens,),
        os.path.join(folder, "text.onnx"),
        opset_version=OPSET,
        input_names=["tokens"],
        output_names=["words", "sentence"],
        do_constant_folding=True,
    )
    names = ["image", "prev_image", "words", "word_mask", "sentence", "mem_x", "mem_y", "mem_w", "mem_valid"]
    frame_path = os.path.join(folder, "frame.onnx")
    torch.onnx.export(
        FrameGraph(model),
        frame_inputs,
        frame_path,
        opset_version=OPSET,
        input_names=names,
        output_names=["logits", "x", "y", "w"],
        do_constant_folding=True,
    )
    declare_unused_inputs(frame_path, names, frame_inputs)
    return list(frame_inputs[5].shape[1:])


def declare_unused_inputs(path: str, names: List[str], tensors) -> None:
    """The exporter drops inputs the graph never reads (the memory, in a model ablated without meta-transfer); put them
    back as declared, unread inputs so every model keeps the contract's signature and the extension can run it."""
    graph_model = onnx.load(path)
    present = [i.name for i in graph_model.graph.input]
    if present == names:
        return
    by_name = {i.name: i for i in graph_model.graph.input}
    declared = [
        by_name.get(n) or onnx.helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, list(t.shape))
        for n, t in zip(names, tensors)
    ]
    del graph_model.graph.input[:]
    graph_model.graph.input.extend(declared)
    onnx.checker.check_model(graph_model)
    onnx.save(graph_model, path)


def manifest(model: Yofo, tokenizer: Tokenizer, name: str, mem_shape: List[int], state: Dict) -> Dict:
    cfg = model.cfg
    # Scores describe these weights only: an eval from an earlier step (a run that ended with --no-final-eval, say) would
    # credit the export with another model's numbers. The full held-out set wins over the periodic subset.
    at_step = [h for h in state.get("history", []) if h.get("step") == state.get("step")]
    full = [h for h in at_step if h.get("set") == "full"]
    latest = (full or at_step or [None])[-1]
    data = state.get("data", {})
    args = state.get("args", {})
    return {
        "format": "yofo-onnx",
        "version": 1,
        "name": name,
        "input": {
            "width": cfg["width"],
            "height": cfg["height"],
            "mean": cfg["mean"],
            "std": cfg["std"],
            "resize": "bilinear-half-pixel",
        },
        "tokenizer": {
            "type": "word",
            "lowercase": "ascii",
            "tokenPattern": "[a-z0-9]+",
            "maxTokens": cfg["max_tokens"],
            "padId": PAD_ID,
            "unkId": UNK_ID,
            "vocab": tokenizer.vocab,
        },
        "memory": {"length": mem_shape[0], "channels": mem_shape[1], "height": mem_shape[2], "width": mem_shape[3]},
        "solver": {"type": "steepest-descent", "steps": cfg["solver_steps"], "lambda": cfg["solver_lambda"]},
        "graphs": {"text": "text.onnx", "frame": "frame.onnx"},
        "training": {
            "data": data,
            "steps": state.get("step", 0),
            "trainedMinutes": round(state.get("trained_seconds", 0.0) / 60, 1),
            "batch": args.get("batch"),
            "clipLength": args.get("clip_len"),
            "preset": cfg["encoder"],
            "parameters": sum(p.numel() for p in model.parameters()),
        },
        "scores": (
            {
                "set": f"held-out ({latest['set']}, {latest['videos']} videos)",
                "J": latest["J"],
                "F": latest["F"],
                "JF": latest["JF"],
                "categories": {c: v["JF"] for c, v in latest.get("categories", {}).items()},
                "step": latest["step"],
            }
            if latest
            else {}
        ),
        "architecture": cfg,
    }


def check_parity(model: Yofo, tokenizer: Tokenizer, folder: str, split: RefVosSplit, frames: int, threads: int) -> Dict:
    """Online logits of PyTorch vs onnxruntime-node on the first expression of the split's first video."""
    cfg = model.cfg
    item = split.items[0]
    rgbs = [read_rgb(split.frame_path(item.video, f)) for f in item.frames[:frames]]
    torch_logits: List[np.ndarray] = []
    run_expressions(
        model, tokenizer, rgbs, [item.text], lambda t, logits, masks: torch_logits.append(logits[0, 0].numpy())
    )
    ids, mask = tokenizer.encode(item.text)
    images = torch.stack([normalise(resize_rgb(r, cfg["width"], cfg["height"]), cfg["mean"], cfg["std"]) for r in rgbs])
    with tempfile.TemporaryDirectory(prefix="yofo-parity-") as tmp:
        with open(os.path.join(tmp, "inputs.json"), "w") as f:
            json.dump({"frames": len(rgbs), "tokens": ids, "wordMask": mask}, f)
        images.numpy().astype("<f4").tofile(os.path.join(tmp, "images.f32"))
        cmd = ["node", TOOL, folder, tmp, "--repeat", "3"] + (["--threads", str(threads)] if threads else [])
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"onnxruntime-node check failed ({' '.join(cmd)}):\n{run.stderr.strip()}")
        timing = json.loads(run.stdout.strip().splitlines()[-1])
        ort_logits = np.fromfile(os.path.join(tmp, "logits.f32"), dtype="<f4").reshape(
            len(rgbs), cfg["height"], cfg["width"]
        )
    diff = float(np.abs(ort_logits - np.stack(torch_logits)).max())
    return {
        "video": item.video,
        "expression": item.exp_id,
        "frames": len(rgbs),
        "maxAbsDiff": diff,
        "frameMs": timing["frameMs"],
    }


def write_json(path: str, value) -> None:
    with open(path, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def replace_folder(tmp: str, out: str) -> None:
    if os.path.exists(out):
        try:
            with open(os.path.join(out, "model.json")) as f:
                previous = json.load(f).get("format") == "yofo-onnx"
        except (OSError, ValueError):
            previous = False
        if not previous and os.listdir(out):
            raise ValueError(f"{out}: exists and is not an earlier YOFO export; refusing to replace it")
        old = f"{out}.old-{os.getpid()}"
        os.rename(out, old)
        os.rename(tmp, out)
        shutil.rmtree(old)
    else:
        os.rename(tmp, out)


def export(
    checkpoint: str,
    out: str,
    name: str = "",
    verify_data: str = "",
    verify_split: str = "train",
    verify_frames: int = 8,
    threads: int = 0,
    verify: bool = True,
    logit_offset: float = 0.0,
) -> Dict:
    model, tokenizer, state = load_checkpoint(checkpoint)
    if logit_offset:
        # Calibration: the contract's mask is logit > 0; a model trained with BCE on small objects among look-alikes
        # can rank the referred object first yet keep it below 0. Folding the offset into the head's bias keeps the
        # contract (and the graphs) unchanged. Fit it on training videos, never on the held-out set.
        with torch.no_grad():
            model.head.bias += logit_offset
    out = os.path.abspath(out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=os.path.basename(out) + ".export-", dir=parent)
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a model folder is meant to be shared
    try:
        mem_shape = export_graphs(model, tmp)
        man = manifest(model, tokenizer, name or os.path.basename(out), mem_shape, state)
        man["training"]["logitOffset"] = logit_offset
        torch.save(model.state_dict(), os.path.join(tmp, "weights.pt"))
        write_json(os.path.join(tmp, "model.json"), man)
        report = {"memory": mem_shape}
        if verify:
            root = verify_data or state.get("data", {}).get("root", "")
            split = RefVosSplit(root, verify_split, model.cfg["width"], model.cfg["height"])
            report["parity"] = check_parity(model, tokenizer, tmp, split, verify_frames, threads)
            if not report["parity"]["maxAbsDiff"] <= PARITY_TOLERANCE:
                raise RuntimeError(
                    f"ONNX logits differ from PyTorch by {report['parity']['maxAbsDiff']:.3g} (> {PARITY_TOLERANCE})"
                )
            man["training"]["onnxParity"] = report["parity"]
            write_json(os.path.join(tmp, "model.json"), man)
        replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(
        prog="python3 -m yofo.export", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("checkpoint")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="")
    p.add_argument("--verify-data", default="", help="dataset for the parity clip (default: the training data)")
    p.add_argument("--verify-split", default="train")
    p.add_argument("--verify-frames", type=int, default=8)
    p.add_argument("--threads", type=int, default=0, help="onnxruntime threads for the check/timing (0: its default)")
    p.add_argument("--no-verify", action="store_true")
    p.add_argument(
        "--logit-offset",
        type=float,
        default=0.0,
        help="add this to the mask logits (folded into the head's bias): a threshold calibrated on training data",
    )
    a = p.parse_args(argv)
    t0 = time.time()
    try:
        report = export(
            a.checkpoint,
            a.out,
            a.name,
            a.verify_data,
            a.verify_split,
            a.verify_frames,
            a.threads,
            not a.no_verify,
            a.logit_offset,
        )
    except (ValueError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps({"out": os.path.abspath(a.out), **report, "seconds": round(time.time() - t0, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
