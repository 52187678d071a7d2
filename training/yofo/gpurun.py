"""One command for a lent GPU machine: check that PyTorch sees CUDA, continue training the shipped model for a given
number of minutes, calibrate the threshold, export (ONNX + parity check) and score the held-out set with `rvos eval`.

    python3 -m yofo.gpurun --data TRAIN --heldout HELDOUT --out RUN --minutes 60 [--model DIR] [--batch 16]
                           [--calibrate-videos 25] [--allow-cpu] [-- EXTRA yofo.train OPTIONS]

RUN/last.pt is forked from --model (default: the shipped media/models/yofo-refshapes) on the first call and resumed on
later ones, each call a fresh warmup + cosine over --minutes of training time. Results: RUN/model (the exported
folder), RUN/gpurun.json (device, steps, calibration, parity, held-out scores). Needs `npm ci && npm run build` in the
repository (onnxruntime-node for the parity check, dist/cli.js for rvos eval). Without CUDA it stops with an error
unless --allow-cpu (how it is tested on the CPU with a tiny budget)."""
import argparse
import json
import os
import subprocess
import sys
import time
from typing import List, Optional

import torch

from . import calibrate, export, fork, train
from .data import RefVosSplit, read_json_file
from .modelio import load_checkpoint

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHIPPED = os.path.join(REPO, "media", "models", "yofo-refshapes")
RVOS = os.path.join(REPO, "dist", "cli.js")


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S ") + "[gpurun] " + msg, flush=True)


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python3 -m yofo.gpurun", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", required=True, help="training dataset (Ref-YouTube-VOS layout)")
    p.add_argument(
        "--heldout", required=True, help="held-out dataset scored by rvos eval at the end (never trained on)"
    )
    p.add_argument("--out", required=True, help="run folder")
    p.add_argument("--minutes", type=float, required=True, help="training minutes (the cosine schedule spans them)")
    p.add_argument("--model", default=SHIPPED, help="exported model to start from when RUN has no last.pt")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--clip-len", type=int, default=8)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument(
        "--calibrate-videos",
        type=int,
        default=25,
        help="training videos for the threshold calibration; 0 = keep --model's logit offset",
    )
    p.add_argument("--allow-cpu", action="store_true", help="run without CUDA (tests, smoke runs)")
    p.add_argument("--name", default="yofo-tiny-refshapes")
    p.add_argument("extra", nargs="*", help="after --: more yofo.train options (e.g. --motion-memory)")
    return p.parse_args(argv)


def device_report(allow_cpu: bool) -> dict:
    if torch.cuda.is_available():
        return {
            "cuda": True,
            "device": torch.cuda.get_device_name(0),
            "count": torch.cuda.device_count(),
            "torch": torch.__version__,
        }
    if not allow_cpu:
        raise RuntimeError(
            f"PyTorch {torch.__version__} sees no CUDA device (torch.cuda.is_available() is False); "
            "install a CUDA build of PyTorch, or pass --allow-cpu for a CPU smoke run"
        )
    return {"cuda": False, "device": "cpu", "count": 0, "torch": torch.__version__}


def run(a: argparse.Namespace) -> dict:
    if not os.path.exists(RVOS):
        raise RuntimeError(
            f"{RVOS}: missing; run `npm ci && npm run build` in {REPO} first (rvos eval scores the export)"
        )
    report = {"device": device_report(a.allow_cpu), "minutes": a.minutes}
    log(f"device: {report['device']}")
    ckpt = os.path.join(a.out, "last.pt")
    if not os.path.exists(ckpt):
        if fork.main([a.model, "--out", a.out]) != 0:
            raise RuntimeError(f"{a.model}: cannot fork a training checkpoint from it")
    start = time.time()
    train.main(
        [
            "--data",
            a.data,
            "--out",
            a.out,
            "--resume",
            "--new-schedule",
            "--schedule-minutes",
            str(a.minutes),
            "--steps",
            "10000000",
            "--warmup",
            "50",
            "--batch",
            str(a.batch),
            "--clip-len",
            str(a.clip_len),
            "--expressions-per-clip",
            "2",
            "--lr",
            str(a.lr),
            "--lovasz-from",
            "2",
            "--no-final-eval",
            "--eval-minutes",
            "1e9",
            *a.extra,
        ]
    )
    model, tokenizer, state = load_checkpoint(ckpt)
    report["training"] = {"step": state["step"], "wallMinutes": round((time.time() - start) / 60, 2)}
    if a.calibrate_videos:
        full = RefVosSplit(a.data, "train", model.cfg["width"], model.cfg["height"])
        split = RefVosSplit(
            a.data, "train", model.cfg["width"], model.cfg["height"], list(full.videos)[-a.calibrate_videos :]
        )
        result = calibrate.calibrate(model, tokenizer, split, calibrate.DEFAULT_OFFSETS)
        offset = result["best"]
        report["calibration"] = {"offset": offset, "meanJ": result["offsets"][offset], "videos": result["videos"]}
    else:
        offset = float(
            read_json_file(os.path.join(a.model, "model.json"), "a model folder")
            .get("training", {})
            .get("logitOffset", 0.0)
        )
        report["calibration"] = {"offset": offset, "from": a.model}
    model_dir = os.path.join(a.out, "model")
    report["export"] = export.export(ckpt, model_dir, a.name, verify_data=a.heldout, logit_offset=offset)
    log(f"exported {model_dir}: ONNX vs PyTorch max |diff| {report['export']['parity']['maxAbsDiff']:.2g}")
    ep = "cuda" if report["device"]["cuda"] else "cpu"
    ev = subprocess.run(
        ["node", RVOS, "eval", a.heldout, "--model", model_dir, "--json", "--execution-provider", ep],
        capture_output=True,
        text=True,
    )
    if ev.returncode != 0 and ep == "cuda":  # onnxruntime-node without its CUDA provider: the CPU scores the same
        ev = subprocess.run(
            ["node", RVOS, "eval", a.heldout, "--model", model_dir, "--json", "--execution-provider", "cpu"],
            capture_output=True,
            text=True,
        )
    if ev.returncode != 0:
        raise RuntimeError(f"rvos eval failed (exit {ev.returncode}): {ev.stderr.strip()}")
    report["heldout"] = json.loads(ev.stdout)
    return report


def main(argv: Optional[List[str]] = None) -> int:
    a = parse_args(argv)
    try:
        report = run(a)
    except (RuntimeError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    path = os.path.join(a.out, "gpurun.json")
    tmp = f"{path}.tmp-{os.getpid()}"
    export.write_json(tmp, report)
    os.replace(tmp, path)
    log(f"held-out J&F {report['heldout'].get('JF')}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
