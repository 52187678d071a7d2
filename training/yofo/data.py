"""Ref-YouTube-VOS layout loader: meta_expressions/<split>/meta_expressions.json, <split>/JPEGImages/<vid>/<frame>.jpg,
<split>/Annotations/<vid>/<frame>.png (palette PNG whose indices are object ids). Frames are preprocessed as the
export contract says (RGB, bilinear half-pixel resize of the 0..255 values, no antialias) and cached in RAM at the
model input size, so an epoch after the first decodes nothing."""
import json
import os
import random
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


class DataError(ValueError):
    """Bad input data; the message starts with the offending file."""


def read_json_file(path: str, expected: str):
    """Parsed JSON of `path`; a missing file or bad JSON is a DataError naming the file (`expected` says what belongs there)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError as err:
        raise DataError(f"{path}: not found ({expected})") from err
    except json.JSONDecodeError as err:
        raise DataError(f"{path}: invalid JSON: {err}") from err


@dataclass
class ExpressionItem:
    video: str
    exp_id: str
    text: str
    obj_id: Optional[int]
    category: str
    frames: List[str]


def resize_rgb(rgb: np.ndarray, width: int, height: int) -> torch.Tensor:
    """uint8 HWC -> float32 [3, height, width] in 0..255, torch bilinear with half-pixel centres (the contract's resize)."""
    t = torch.from_numpy(np.ascontiguousarray(rgb)).permute(2, 0, 1).float()[None]
    if t.shape[-2:] != (height, width):
        t = F.interpolate(t, size=(height, width), mode="bilinear", align_corners=False)
    return t[0]


def normalise(image255: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """(v/255 - mean)/std per channel; image255: [..., 3, H, W]."""
    m = torch.tensor(mean, dtype=torch.float32).view(3, 1, 1)
    s = torch.tensor(std, dtype=torch.float32).view(3, 1, 1)
    return (image255 / 255.0 - m) / s


def read_rgb(path: str) -> np.ndarray:
    try:
        with Image.open(path) as im:
            return np.array(im.convert("RGB"))
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: cannot read frame image: {err}") from err


def read_ids(path: str) -> np.ndarray:
    """Object-id map of an annotation PNG (palette indices; grayscale values for 'L' PNGs)."""
    try:
        with Image.open(path) as im:
            if im.mode not in ("P", "L"):
                raise DataError(f"{path}: annotation must be a palette or grayscale PNG, found mode {im.mode}")
            return np.array(im)
    except OSError as err:
        raise DataError(f"{path}: cannot read annotation: {err}") from err


class RefVosSplit:
    """One split of a dataset in the Ref-YouTube-VOS layout."""

    def __init__(
        self,
        root: str,
        split: str = "train",
        width: int = 160,
        height: int = 96,
        videos: Optional[Sequence[str]] = None,
    ):
        self.root, self.split, self.width, self.height = root, split, width, height
        meta_file = os.path.join(root, "meta_expressions", split, "meta_expressions.json")
        meta = read_json_file(meta_file, "expected the Ref-YouTube-VOS layout")
        vids = meta.get("videos") if isinstance(meta, dict) else None
        if not isinstance(vids, dict):
            raise DataError(f'{meta_file}: field "videos" must be an object')
        if videos is not None:
            unknown = [v for v in videos if v not in vids]
            if unknown:
                raise DataError(f"{meta_file}: no video {unknown[0]!r}")
            vids = {v: vids[v] for v in videos}
        self.items: List[ExpressionItem] = []
        self.videos: Dict[str, List[ExpressionItem]] = {}
        for vid, v in vids.items():
            frames = v.get("frames") if isinstance(v, dict) else None
            exps = v.get("expressions") if isinstance(v, dict) else None
            if not isinstance(frames, list) or not frames or not isinstance(exps, dict):
                raise DataError(
                    f'{meta_file}: video {vid!r} needs a non-empty "frames" list and an "expressions" object'
                )
            for exp_id, e in exps.items():
                if not isinstance(e, dict) or not isinstance(e.get("exp"), str):
                    raise DataError(f'{meta_file}: video {vid!r} expression {exp_id!r} has no "exp" text')
                obj = e.get("obj_id")
                item = ExpressionItem(
                    vid,
                    str(exp_id),
                    e["exp"],
                    int(obj) if obj is not None else None,
                    str(e.get("category", "")),
                    [str(x) for x in frames],
                )
                self.items.append(item)
                self.videos.setdefault(vid, []).append(item)
        self._frames: Dict[Tuple[str, str], torch.Tensor] = {}
        self._ids: Dict[Tuple[str, str], torch.Tensor] = {}

    def frame_path(self, video: str, frame: str) -> str:
        return os.path.join(self.root, self.split, "JPEGImages", video, frame + ".jpg")

    def annotation_path(self, video: str, frame: str) -> str:
        return os.path.join(self.root, self.split, "Annotations", video, frame + ".png")

    def frame(self, video: str, frame: str) -> torch.Tensor:
        """uint8 [3, H, W] at model size (rounded from the float resize), cached; the float resize is what the contract
        feeds the model, and at the generated data's native size it is exact."""
        key = (video, frame)
        t = self._frames.get(key)
        if t is None:
            rgb = read_rgb(self.frame_path(video, frame))
            if rgb.shape[:2] == (self.height, self.width):  # native size: the resize is the identity, skip torch ops
                t = torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))
            else:
                t = resize_rgb(rgb, self.width, self.height).round().clamp(0, 255).to(torch.uint8)
            self._frames[key] = t
        return t

    def ids(self, video: str, frame: str) -> torch.Tensor:
        """Object ids [H, W] at model size (nearest), cached."""
        key = (video, frame)
        t = self._ids.get(key)
        if t is None:
            a = read_ids(self.annotation_path(video, frame))
            t = torch.from_numpy(a.astype(np.uint8))
            if t.shape != (self.height, self.width):
                t = F.interpolate(t[None, None].float(), size=(self.height, self.width), mode="nearest")[0, 0].to(
                    torch.uint8
                )
            self._ids[key] = t
        return t


class ClipSampler:
    """Random training clips: an expression, then `length` frames in order with a random stride. Rank-seeded, so each
    DDP process draws its own clips. Colour jitter only scales brightness/contrast (never hue, which colour words
    name); no horizontal flips (they would swap left/right words)."""

    def __init__(self, split: RefVosSplit, tokenizer, length: int, max_stride: int, seed: int, jitter: float = 0.15):
        self.split, self.tokenizer, self.length, self.max_stride, self.jitter = (
            split,
            tokenizer,
            length,
            max_stride,
            jitter,
        )
        self.items = [it for it in split.items if it.obj_id is not None]
        if not self.items:
            raise DataError(f"{split.root}: split {split.split!r} has no expression with an obj_id to train on")
        self.by_video: Dict[str, List[ExpressionItem]] = {}
        for e in self.items:
            self.by_video.setdefault(e.video, []).append(e)
        self.rng = random.Random(seed)

    def clip(self) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(frames uint8 [N, 3, H, W], masks float [N, H, W], tokens int64 [T])"""
        frames, masks, tokens, _, _ = self.clip_group(1)
        return frames, masks[0], tokens[0]

    def clip_group(self, k: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """One clip and k of its video's expressions, preferring different objects: the same pixels with different
        targets, so the only way to lower the loss on all of them is to read the words.
        (frames uint8 [N, 3, H, W], masks float [k, N, H, W], tokens int64 [k, T], object ids uint8 [N, H, W],
        referred object ids int64 [k]); the id maps let a loss compare the referred object with the clip's others."""
        it = self.items[self.rng.randrange(len(self.items))]
        group = [it] + self._companions(it, k - 1)
        n = len(it.frames)
        stride = self.rng.randint(1, self.max_stride)
        while stride > 1 and (self.length - 1) * stride >= n:
            stride -= 1
        span = (self.length - 1) * stride
        start = self.rng.randint(0, max(0, n - 1 - span))
        idx = [min(start + i * stride, n - 1) for i in range(self.length)]
        frames = torch.stack([self.split.frame(it.video, it.frames[i]) for i in idx])
        ids = torch.stack([self.split.ids(it.video, it.frames[i]) for i in idx])
        masks = torch.stack([(ids == e.obj_id).float() for e in group])
        tokens = torch.tensor([self.tokenizer.encode(e.text)[0] for e in group], dtype=torch.int64)
        return frames, masks, tokens, ids, torch.tensor([e.obj_id for e in group], dtype=torch.int64)

    def _companions(self, it: ExpressionItem, count: int) -> List[ExpressionItem]:
        others = [e for e in self.by_video[it.video] if e is not it]
        self.rng.shuffle(others)
        others.sort(key=lambda e: e.obj_id == it.obj_id)  # other objects first (stable: random among equals)
        picked = others[:count]
        while len(picked) < count:  # a video with fewer expressions: repeat some
            picked.append(self.rng.choice(self.by_video[it.video]))
        return picked

    def batch(self, size: int, mean, std, expressions_per_clip: int = 1):
        """size clips with expressions_per_clip expressions each: frames [size, N, 3, H, W] normalised,
        masks [size*k, N, H, W], tokens [size*k, T] (clip-major, as Yofo.forward_clip expects), object ids
        [size, N, H, W] and referred ids [size*k]."""
        clips = [self.clip_group(expressions_per_clip) for _ in range(size)]
        frames = torch.stack([c[0] for c in clips]).float()
        if self.jitter > 0:
            b = frames.shape[0]
            gain = torch.empty(b, 1, 1, 1, 1).uniform_(1 - self.jitter, 1 + self.jitter)
            contrast = torch.empty(b, 1, 1, 1, 1).uniform_(1 - self.jitter, 1 + self.jitter)
            mid = frames.mean(dim=(1, 2, 3, 4), keepdim=True)
            frames = ((frames - mid) * contrast + mid * gain).clamp(0, 255)
        return (
            normalise(frames, mean, std),
            torch.cat([c[1] for c in clips]),
            torch.cat([c[2] for c in clips]),
            torch.stack([c[3] for c in clips]),
            torch.cat([c[4] for c in clips]),
        )
