"""Trains YOFO on a dataset in the Ref-YouTube-VOS layout.

    python3 -m yofo.train --data DIR --out RUN_DIR [--heldout DIR] [--preset tiny|resnet50] [--steps N] [--resume]
    torchrun --nproc_per_node G -m yofo.train ...      (DistributedDataParallel: nccl on GPUs, gloo on CPU)

Checkpoints (RUN_DIR/last.pt, written atomically every --ckpt-minutes and at the end) hold model, optimizer, step,
config, vocabulary and the eval history; --resume continues from last.pt. Held-out J&F (overall and per category) is
logged every --eval-minutes on the first --eval-videos videos, and on all of them at the end (best.pt keeps the best).
"""
import argparse
import json
import math
import os
import random
import sys
import time
from typing import Dict, List, Optional

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from .config import preset
from .data import ClipSampler, RefVosSplit
from .lovasz import lovasz_hinge
from .model import Yofo, parameter_count
from .online import evaluate_split
from .tokenizer import Tokenizer, build_vocab


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python3 -m yofo.train", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", required=True, help="dataset root (Ref-YouTube-VOS layout)")
    p.add_argument("--split", default="train")
    p.add_argument("--heldout", default="", help="held-out dataset root for periodic eval (never trained on)")
    p.add_argument("--heldout-split", default="train")
    p.add_argument("--out", required=True, help="run folder: checkpoints and logs")
    p.add_argument("--preset", default="tiny", choices=["tiny", "resnet50"])
    p.add_argument("--no-meta-transfer", action="store_true", help="ablation: the decoder gets no theta*X")
    p.add_argument("--single-scale", action="store_true", help="ablation: language fused at stride 8 only")
    p.add_argument(
        "--decoder",
        default="",
        choices=["", "transfer", "fused"],
        help="what the decoder reads (model.py): transfer = theta*X + image skips (the paper; the presets' "
        "default), fused = also Y and the language-fused maps; with --resume, a fork to the other one",
    )
    p.add_argument("--imagenet-weights", default="", help="resnet50: local torchvision ResNet-50 state dict file")
    p.add_argument("--width", type=int, default=0, help="model input width (default: the preset's)")
    p.add_argument("--height", type=int, default=0)
    p.add_argument("--steps", type=int, default=20000, help="total optimizer steps (the LR schedule spans them)")
    p.add_argument("--batch", type=int, default=8, help="clips per step per process")
    p.add_argument(
        "--expressions-per-clip",
        type=int,
        default=1,
        help="expressions trained on each sampled clip (the image encoder runs once for all of them)",
    )
    p.add_argument("--clip-len", type=int, default=4, help="frames per training clip")
    p.add_argument("--max-stride", type=int, default=3)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument(
        "--schedule-minutes",
        type=float,
        default=0.0,
        help="time-based schedule: the cosine spans this many minutes of training time (eval excluded) and "
        "training ends there (or at --steps, whichever is first); 0 = step-based over --steps",
    )
    p.add_argument(
        "--new-schedule",
        action="store_true",
        help="with --resume: start a fresh warmup + cosine at the checkpoint (a second training stage); "
        "--steps and --schedule-minutes then count from there",
    )
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument(
        "--lovasz-from",
        type=float,
        default=0.0,
        help="schedule fraction before which the Lovász hinge is off (BCE only): Berman et al. use it to "
        "fine-tune, and from scratch it holds every object's logits at 0 before the words are read",
    )
    p.add_argument("--aux-weight", type=float, default=0.4)
    p.add_argument(
        "--grounding-weight",
        type=float,
        default=0.0,
        help="weight of the object-ranking loss: per frame, softmax over the clip's visible objects of the "
        "expression's mean logit inside each object's mask, cross-entropy to the referred object",
    )
    p.add_argument(
        "--motion-memory",
        action="store_true",
        help="motion input over the memory window (model.py); with --resume, a fork that adds it",
    )
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave the default)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ckpt-minutes", type=float, default=5.0)
    p.add_argument("--eval-minutes", type=float, default=15.0)
    p.add_argument("--eval-videos", type=int, default=40)
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument(
        "--snapshot-minutes",
        default="",
        help="comma-separated training minutes at which to keep OUT/snap-<minutes>.pt (e.g. to compare "
        "ablation runs at equal training time on the same schedule)",
    )
    p.add_argument(
        "--max-minutes", type=float, default=0.0, help="stop (with a checkpoint) after this long; 0 = no limit"
    )
    p.add_argument(
        "--cpu-minutes",
        type=float,
        default=0.0,
        help="stop (with a checkpoint) after this much process CPU time (all threads) in this invocation, "
        "evaluation included: equal-budget comparisons on a shared CPU; 0 = no limit",
    )
    p.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    p.add_argument("--no-final-eval", action="store_true")
    return p.parse_args(argv)


def schedule_progress(step: int, trained_s: float, args, cpu_s: float = 0.0) -> float:
    """Fraction of the schedule done: by steps, by training time with --schedule-minutes, or by this run's CPU time
    with --cpu-minutes (the latest of them)."""
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    if args.schedule_minutes:
        progress = max(progress, trained_s / (args.schedule_minutes * 60))
    if args.cpu_minutes:
        progress = max(progress, cpu_s / (args.cpu_minutes * 60))
    return min(1.0, max(0.0, progress))


def lr_at(step: int, progress: float, args) -> float:
    """Linear warmup over --warmup steps, then cosine decay to 5% of the peak."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    return args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def clip_loss(logits, aux, masks, aux_weight: float, lovasz_weight: float = 1.0) -> Dict[str, torch.Tensor]:
    """BCE + Lovász hinge on the full-resolution logits of every frame, plus BCE of the auxiliary stride-8 head on Y."""
    flat, target = logits.flatten(0, 2), masks.flatten(0, 1)
    bce = F.binary_cross_entropy_with_logits(flat, target)
    lov = lovasz_hinge(flat, target)
    small = F.adaptive_avg_pool2d(target[:, None], aux.shape[-2:])
    aux_bce = F.binary_cross_entropy_with_logits(aux.flatten(0, 1), small)
    return {"loss": bce + lovasz_weight * lov + aux_weight * aux_bce, "bce": bce, "lovasz": lov, "aux": aux_bce}


def grounding_loss(logits, ids, obj_ids) -> torch.Tensor:
    """Object ranking: logits [B*K, N, 1, H, W] of K expressions per clip, ids [B, N, H, W] (object id maps), obj_ids
    [B*K] (referred ids). Per expression and frame, softmax over the objects visible in that frame of the mean logit
    inside each object's mask, cross-entropy to the referred object; frames where it is hidden or alone are skipped."""
    bk, n = logits.shape[:2]
    k = bk // ids.shape[0]
    objects = torch.arange(1, int(ids.max()) + 1, device=ids.device)
    if len(objects) == 0:
        return logits.sum() * 0
    inside = (
        (ids[:, None] == objects[None, :, None, None, None]).to(logits.dtype).repeat_interleave(k, 0)
    )  # [BK, O, N, H, W]
    area = inside.sum((-1, -2))
    present = area > 0  # [BK, O, N]
    mean = (inside * logits[:, None, :, 0]).sum((-1, -2)) / area.clamp_min(1.0)
    scores = mean.masked_fill(~present, -1e4).permute(0, 2, 1).reshape(bk * n, -1)
    target = (obj_ids - 1).repeat_interleave(n)
    use = (present[torch.arange(bk), obj_ids - 1] & (present.sum(1) >= 2)).flatten().to(logits.dtype)
    ce = F.cross_entropy(scores, target, reduction="none")
    return (ce * use).sum() / use.sum().clamp_min(1.0)


def atomic_save(obj, path: str) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def format_scores(s: Dict) -> str:
    cats = " ".join(f"{c}={v['JF']:.3f}" for c, v in s.get("categories", {}).items())
    return f"J&F={s['JF']:.4f} J={s['J']:.4f} F={s['F']:.4f} ({s['expressions']} exps, {s['fps']:.1f} fps) {cats}"


def main(argv: Optional[List[str]] = None):
    args = parse_args(argv)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    distributed = world > 1
    use_cuda = torch.cuda.is_available()
    device = torch.device("cpu")
    if distributed:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if use_cuda:
            torch.cuda.set_device(local)
            device = torch.device("cuda", local)
        dist.init_process_group("nccl" if use_cuda else "gloo")
    elif use_cuda:
        device = torch.device("cuda")
    if args.threads:
        torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    ckpt_path = os.path.join(args.out, "last.pt")

    state = None
    if args.resume:
        if not os.path.exists(ckpt_path):
            sys.exit(f"error: {ckpt_path}: no checkpoint to resume from")
        state = torch.load(ckpt_path, map_location="cpu")
        cfg, vocab = state["cfg"], state["vocab"]
        # An ablation fork: the same run continued with a module switched off (its parameters are dropped).
        cfg = dict(
            cfg,
            meta_transfer=cfg.get("meta_transfer", True) and not args.no_meta_transfer,
            multi_scale_fusion=cfg.get("multi_scale_fusion", True) and not args.single_scale,
            decoder=args.decoder or cfg.get("decoder", "fused"),
            motion_memory=cfg.get("motion_memory", False) or args.motion_memory,
        )
    else:
        cfg = preset(args.preset)
        if args.width:
            cfg["width"] = args.width
        if args.height:
            cfg["height"] = args.height
        if args.imagenet_weights:
            cfg["imagenet_weights"] = args.imagenet_weights
        cfg["meta_transfer"] = not args.no_meta_transfer
        cfg["multi_scale_fusion"] = not args.single_scale
        if args.decoder:
            cfg["decoder"] = args.decoder
        cfg["motion_memory"] = args.motion_memory
        vocab = None

    data = RefVosSplit(args.data, args.split, cfg["width"], cfg["height"])
    if vocab is None:
        vocab = build_vocab(it.text for it in data.items)
    tokenizer = Tokenizer(vocab, cfg["max_tokens"])
    # Every rank draws different clips; the model init is the same everywhere (seeded before building it, and DDP
    # broadcasts rank 0's parameters anyway).
    torch.manual_seed(args.seed)
    model = Yofo(cfg, len(vocab))
    cfg = dict(cfg, imagenet_weights="")  # the weights are in the checkpoint from now on
    model.cfg = cfg
    model.to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    step, history, trained_s, best = 0, [], 0.0, -1.0
    origin = (0, 0.0)  # (step, training seconds) where the current LR schedule started
    if state is not None:
        own = model.state_dict()
        kept = {k: v for k, v in state["model"].items() if k in own and own[k].shape == v.shape}
        model.load_state_dict(kept, strict=False)
        dropped = [k for k in state["model"] if k not in own]
        fresh = [k for k in own if k not in kept]
        if (
            dropped or fresh or state.get("optimizer") is None
        ):  # the parameter list changed: Adam's moments no longer line up, start them afresh
            log(
                f"ablation fork: {len(dropped)} tensors of switched-off modules dropped, {len(fresh)} resized ones "
                f"initialised afresh; optimizer state reset"
            )
        else:
            opt.load_state_dict(state["optimizer"])
        step, history, trained_s, best = (
            state["step"],
            state["history"],
            state["trained_seconds"],
            state.get("best", -1.0),
        )
        origin = tuple(state.get("schedule_origin", origin))
        if args.new_schedule:
            origin = (step, trained_s)
    torch.manual_seed(args.seed * 1000 + rank + step)
    sampler = ClipSampler(data, tokenizer, args.clip_len, args.max_stride, seed=args.seed * 1000 + rank + step * 7919)
    net = DistributedDataParallel(model) if distributed else model
    heldout = None
    if rank == 0 and args.heldout:
        full = RefVosSplit(args.heldout, args.heldout_split, cfg["width"], cfg["height"])
        heldout = (
            full,
            RefVosSplit(
                args.heldout, args.heldout_split, cfg["width"], cfg["height"], list(full.videos)[: args.eval_videos]
            ),
        )

    def checkpoint(path: str = ckpt_path) -> None:
        atomic_save(
            {
                "model": model.state_dict(),
                "optimizer": opt.state_dict(),
                "step": step,
                "cfg": cfg,
                "vocab": vocab,
                "history": history,
                "trained_seconds": trained_s,
                "best": best,
                "args": vars(args),
                "schedule_origin": list(origin),
                "data": {
                    "root": os.path.abspath(args.data),
                    "split": args.split,
                    "videos": len(data.videos),
                    "expressions": len(data.items),
                    "world_size": world,
                },
            },
            path,
        )

    def evaluate(which: str) -> Dict:
        nonlocal best
        split = heldout[0] if which == "full" else heldout[1]
        s = evaluate_split(model, tokenizer, split)
        s.update({"step": step, "trained_seconds": round(trained_s, 1), "videos": len(split.videos), "set": which})
        history.append(s)
        log(f"eval[{which}] step {step}: {format_scores(s)}")
        return s

    if rank == 0:
        log(
            f"YOFO {args.preset}: {parameter_count(model) / 1e6:.3f}M parameters, vocab {len(vocab)}, {len(data.items)} expressions "
            f"in {len(data.videos)} videos, world {world}, device {device}, threads {torch.get_num_threads()}, from step {step}"
        )
    model.train()
    start, cpu_start = time.time(), time.process_time()
    last_ckpt = last_eval = time.time()
    window, window_t = [], time.time()
    progress = schedule_progress(step - origin[0], trained_s - origin[1], args)
    snapshots = sorted(float(m) for m in args.snapshot_minutes.split(",") if m.strip())
    snapshots = [m for m in snapshots if m * 60 > trained_s]
    while step - origin[0] < args.steps and progress < 1.0:
        t0 = time.time()
        frames, masks, tokens, ids, obj_ids = (
            t.to(device) for t in sampler.batch(args.batch, cfg["mean"], cfg["std"], args.expressions_per_clip)
        )
        lr = lr_at(step - origin[0], progress, args)
        for g in opt.param_groups:
            g["lr"] = lr
        logits, aux = net(frames, tokens)
        losses = clip_loss(logits, aux, masks, args.aux_weight, 1.0 if progress >= args.lovasz_from else 0.0)
        if args.grounding_weight:
            losses["ground"] = grounding_loss(logits, ids, obj_ids)
            losses["loss"] = losses["loss"] + args.grounding_weight * losses["ground"]
        opt.zero_grad(set_to_none=True)
        losses["loss"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        trained_s += time.time() - t0
        progress = schedule_progress(step - origin[0], trained_s - origin[1], args, time.process_time() - cpu_start)
        if distributed and (
            args.schedule_minutes or args.cpu_minutes
        ):  # one schedule for all ranks, or their weights would drift apart
            shared = torch.tensor([progress], device=device)
            dist.all_reduce(shared, op=dist.ReduceOp.MAX)
            progress = float(shared.item())
        window.append({k: float(v) for k, v in losses.items()})
        if rank == 0 and step % args.log_every == 0:
            mean = {k: sum(w[k] for w in window) / len(window) for k in window[0]}
            ground = f" ground {mean['ground']:.4f}" if "ground" in mean else ""
            log(
                f"step {step}/{origin[0] + args.steps} loss {mean['loss']:.4f} (bce {mean['bce']:.4f} lovasz {mean['lovasz']:.4f} aux {mean['aux']:.4f}{ground}) "
                f"lr {lr:.2e} progress {progress:.3f} {(time.time() - window_t) / len(window):.3f} s/step "
                f"cpu {(time.process_time() - cpu_start) / 60:.2f} min"
            )
            window, window_t = [], time.time()
        out_of_time = (bool(args.max_minutes) and time.time() - start > args.max_minutes * 60) or (
            bool(args.cpu_minutes) and time.process_time() - cpu_start > args.cpu_minutes * 60
        )
        if distributed and (args.max_minutes or args.cpu_minutes):  # all ranks must stop at the same step
            flag = torch.tensor([float(out_of_time)], device=device)
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
            out_of_time = bool(flag.item())
        if rank == 0 and snapshots and trained_s >= snapshots[0] * 60:
            checkpoint(os.path.join(args.out, f"snap-{snapshots.pop(0):g}.pt"))
        if rank == 0 and heldout and time.time() - last_eval > args.eval_minutes * 60:
            s = evaluate("subset")
            last_eval = time.time()
            if s["JF"] > best:
                best = s["JF"]
                checkpoint(os.path.join(args.out, "best.pt"))
        if rank == 0 and (time.time() - last_ckpt > args.ckpt_minutes * 60 or out_of_time):
            checkpoint()
            last_ckpt = time.time()
        if out_of_time:
            break
    if rank == 0:
        checkpoint()
        if heldout and not args.no_final_eval:
            evaluate("full")
            checkpoint()
        log(
            f"done at step {step} after {trained_s / 60:.1f} training minutes, "
            f"{(time.process_time() - cpu_start) / 60:.2f} CPU minutes in this run"
        )
    if distributed:
        dist.barrier()
        dist.destroy_process_group()
    return model


if __name__ == "__main__":
    main()
