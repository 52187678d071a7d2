"""Online YOFO inference as the host runs it (CONTRACT.md): per expression, frames in order, a ring of the last M
memory entries (oldest overwritten), the previous frame (the frame itself at t=0), contract preprocessing and
postprocessing (bilinear half-pixel resize, mask = logit > 0 at the frame's original size). Several expressions of one
video can run side by side as a batch: every operation is per sample, so each gets exactly what it would alone."""
import time
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .data import ExpressionItem, RefVosSplit, normalise, read_ids, read_rgb, resize_rgb
from .jf import ScoreTable, boundary_f, region_j
from .model import Yofo
from .tokenizer import Tokenizer


class MemoryRing:
    def __init__(self, batch: int, length: int, x: torch.Tensor, w: torch.Tensor):
        # Length 0 (theta fitted over the current frame alone) is one slot that never becomes valid: invalid entries
        # weigh nothing in the fit, and the solver keeps its fixed-size inputs.
        self.length = length
        slots = max(1, length)
        self.mem_x = x.new_zeros(batch, slots, *x.shape[1:])
        self.mem_y = x.new_zeros(batch, slots, *x.shape[1:])
        self.mem_w = w.new_zeros(batch, slots, *w.shape[1:])
        self.valid = x.new_zeros(batch, slots)
        self.pushed = 0

    def push(self, x, y, w):
        if self.length == 0:
            return
        slot = self.pushed % self.length
        self.mem_x[:, slot], self.mem_y[:, slot], self.mem_w[:, slot] = x, y, w
        self.valid[:, slot] = 1
        self.pushed += 1


def logits_at_frame_size(logits: torch.Tensor, size) -> torch.Tensor:
    """[E, 1, H, W] model-size logits -> [E, h, w] at the frame's size, resized as the host resizes them (the contract's
    postprocessing: bilinear, half-pixel); the mask is these > 0."""
    return F.interpolate(logits, size=tuple(size), mode="bilinear", align_corners=False)[:, 0]


@torch.no_grad()
def run_expressions(
    model: Yofo,
    tokenizer: Tokenizer,
    frames: Sequence[np.ndarray],
    texts: Sequence[str],
    on_frame: Callable[[int, torch.Tensor, np.ndarray], None],
    memory: Optional[int] = None,
) -> None:
    """Runs the expressions `texts` over decoded RGB `frames` (uint8 HWC, clip order); on_frame(t, logits at model size
    [E, 1, H, W], masks at the frame's size [E, h, w] bool). memory: ring length (default the model's; the weights do
    not depend on it, so a trained model can be probed with a shorter or longer memory than it was trained with)."""
    cfg = model.cfg
    memory = cfg["memory"] if memory is None else memory
    device = next(model.parameters()).device
    enc = [tokenizer.encode(t) for t in texts]
    tokens = torch.tensor([e[0] for e in enc], dtype=torch.int64, device=device)
    word_mask = torch.tensor([e[1] for e in enc], dtype=torch.float32, device=device)
    words, sentence = model.text(tokens)
    e = len(texts)
    ring, prev = None, None
    for t, rgb in enumerate(frames):
        image = (
            normalise(resize_rgb(rgb, cfg["width"], cfg["height"]), cfg["mean"], cfg["std"])
            .to(device)[None]
            .expand(e, -1, -1, -1)
        )
        prev = image if prev is None else prev
        if ring is None:
            x, _, w, _ = model.encode_frames(image[:1], image[:1], words[:1], word_mask[:1], sentence[:1])
            ring = MemoryRing(e, memory, x, w)
        logits, x, y, w = model.frame_step(
            image, prev, words, word_mask, sentence, ring.mem_x, ring.mem_y, ring.mem_w, ring.valid
        )
        ring.push(x, y, w)
        prev = image
        logits = logits.cpu()
        on_frame(t, logits, (logits_at_frame_size(logits, rgb.shape[:2]) > 0).numpy())


def evaluate_split(
    model: Yofo,
    tokenizer: Tokenizer,
    split: RefVosSplit,
    batch_expressions: bool = True,
    on_masks: Optional[Callable[[ExpressionItem, int, np.ndarray], None]] = None,
    memory: Optional[int] = None,
    on_frame_scores: Optional[Callable[[ExpressionItem, int, float, float], None]] = None,
) -> Dict:
    """Scores every expression with an obj_id (J/F over its annotated frames; on_frame_scores(item, t, J, F) sees each
    frame's). Returns the ScoreTable summary plus frames (expression-frames run) and fps (of the whole loop, decoding
    included)."""
    was_training = model.training
    model.eval()
    table = ScoreTable()
    start = time.perf_counter()
    done = 0
    for vid, items in split.videos.items():
        frame_names = items[0].frames
        rgbs = [read_rgb(split.frame_path(vid, f)) for f in frame_names]
        groups = [items] if batch_expressions else [[it] for it in items]
        for group in groups:
            js: List[List[float]] = [[] for _ in group]
            fs: List[List[float]] = [[] for _ in group]

            def on_frame(t: int, _logits: torch.Tensor, masks: np.ndarray) -> None:
                ids = None
                for k, it in enumerate(group):
                    if on_masks:
                        on_masks(it, t, masks[k])
                    if it.obj_id is None:
                        continue
                    if ids is None:
                        ids = read_ids(split.annotation_path(vid, frame_names[t]))
                    gt = ids == it.obj_id
                    js[k].append(region_j(gt, masks[k]))
                    fs[k].append(boundary_f(gt, masks[k]))
                    if on_frame_scores:
                        on_frame_scores(it, t, js[k][-1], fs[k][-1])

            run_expressions(model, tokenizer, rgbs, [it.text for it in group], on_frame, memory)
            done += len(group) * len(rgbs)
            for k, it in enumerate(group):
                if js[k]:
                    table.add(vid, it.exp_id, it.category, js[k], fs[k])
    elapsed = time.perf_counter() - start
    model.train(was_training)
    out = table.summary()
    out.update({"frames": done, "seconds": elapsed, "fps": done / max(elapsed, 1e-9)})
    return out
