"""The YOFO network: language encoder, multi-scale image encoder (current + previous frame), coarse-to-fine cross-modal
feature mining, meta-transfer over a memory bank, and a decoder with skips to full-resolution mask logits.

The same three pieces (encode_frames, transfer, decode) serve training on whole clips and the exported per-frame
graph, so what is trained is exactly what is exported."""
import math
from typing import Dict, List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .encoders import build_image_encoder
from .meta_transfer import fit_theta

MASK_BIAS = -1e4  # additive attention bias for padding words (finite, so an all-padding row stays finite)


def conv_block(cin: int, cout: int, k: int = 3) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, padding=k // 2, bias=False),
        nn.GroupNorm(min(8, cout // 4), cout),
        nn.ReLU(inplace=True),
    )


def coord_channels(x: torch.Tensor) -> torch.Tensor:
    """Normalised x/y pixel-centre coordinates in [-1, 1] as 2 channels like x: position and relation words need them."""
    n, _, h, w = x.shape
    ys = (torch.arange(h, dtype=x.dtype, device=x.device) + 0.5) / h * 2 - 1
    xs = (torch.arange(w, dtype=x.dtype, device=x.device) + 0.5) / w * 2 - 1
    grid = torch.stack([xs[None, :].expand(h, w), ys[:, None].expand(h, w)])
    return grid[None].expand(n, 2, h, w)


class TextEncoder(nn.Module):
    """Word embeddings + BiGRU. words: [N, T, D]; sentence: masked mean of the words, projected: [N, D]."""

    def __init__(self, vocab_size: int, dim: int):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.gru = nn.GRU(dim, dim // 2, batch_first=True, bidirectional=True)
        self.word_out = nn.Linear(dim, dim)
        self.sentence_out = nn.Linear(dim, dim)

    def forward(self, tokens: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        mask = (tokens != 0).to(torch.float32)
        e = self.embed(tokens)
        h, _ = self.gru(e)
        words = self.word_out(h) + e
        pooled = (words * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp_min(1.0)
        return words, torch.tanh(self.sentence_out(pooled))


class Film(nn.Module):
    """Sentence-conditioned per-channel scale and shift after normalisation (FiLM, Perez et al. 2018). Normalisation
    would otherwise wash out a language signal that is constant over space; zero-initialised, so it starts as identity.
    """

    def __init__(self, text_dim: int, dim: int):
        super().__init__()
        self.proj = nn.Linear(text_dim, 2 * dim)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, h, sentence):
        gamma, beta = self.proj(sentence).chunk(2, dim=1)
        return h * (1 + gamma[:, :, None, None]) + beta[:, :, None, None]


class FilmConv(nn.Module):
    """conv -> GroupNorm -> FiLM(sentence) -> ReLU."""

    def __init__(self, cin: int, cout: int, k: int, text_dim: int):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
        self.norm = nn.GroupNorm(min(8, cout // 4), cout)
        self.film = Film(text_dim, cout)

    def forward(self, x, sentence):
        return F.relu(self.film(self.norm(self.conv(x)), sentence))


class ScaleFusion(nn.Module):
    """Fuses language into one scale: sentence FiLM on the image features, word-level attention of each pixel over the
    words (which words describe this pixel), their product, and the upsampled fused map of the next coarser scale.
    With `language=False` (the single-scale ablation) the same layers run on image features only."""

    def __init__(self, cin: int, dim: int, text_dim: int, coarser: int, language: bool = True):
        super().__init__()
        self.language = language
        self.inp = FilmConv(cin + 2 + coarser, dim, 1, text_dim)
        if language:
            self.query = nn.Conv2d(dim, dim, 1)
            self.key = nn.Linear(text_dim, dim)
            self.value = nn.Linear(text_dim, dim)
            self.scale = 1.0 / math.sqrt(dim)
        self.mix = conv_block(3 * dim if language else dim, dim, 1)
        self.out = FilmConv(dim, dim, 3, text_dim)

    def forward(self, feat, words, word_mask, sentence, coarser_map=None):
        n, _, h, w = feat.shape
        parts = [feat, coord_channels(feat)]
        if coarser_map is not None:
            parts.append(F.interpolate(coarser_map, size=(h, w), mode="bilinear", align_corners=False))
        s = sentence if self.language else torch.zeros_like(sentence)
        x = self.inp(torch.cat(parts, 1), s)
        if self.language:
            q = self.query(x).flatten(2).transpose(1, 2)  # [N, P, d]
            att = (
                torch.matmul(q, self.key(words).transpose(1, 2)) * self.scale
                + (1.0 - word_mask)[:, None, :] * MASK_BIAS
            )
            lang = torch.matmul(torch.softmax(att, dim=-1), self.value(words)).transpose(1, 2).reshape(n, -1, h, w)
            x = x + self.mix(torch.cat([x, lang, x * lang], 1))
        else:
            x = x + self.mix(x)
        return self.out(x, s)


class CrossModalReasoning(nn.Module):
    """Global reasoning at one scale: pre-norm transformer layers over the pixels (with their coordinates) and the words
    together, so a pixel can compare itself with every other object ("the largest", "left of the circle") and read the
    words. Written with matmuls and softmax only, so it exports to ONNX opset 17 as is."""

    def __init__(self, dim: int, text_dim: int, layers: int = 2, heads: int = 4):
        super().__init__()
        self.heads = heads
        self.head_scale = 1.0 / math.sqrt(dim // heads)
        self.pos = nn.Conv2d(2, dim, 1)
        self.word_in = nn.Linear(text_dim, dim)
        self.layers = nn.ModuleList(
            nn.ModuleDict(
                {
                    "norm1": nn.LayerNorm(dim),
                    "qkv": nn.Linear(dim, 3 * dim),
                    "proj": nn.Linear(dim, dim),
                    "norm2": nn.LayerNorm(dim),
                    "ff": nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(inplace=True), nn.Linear(2 * dim, dim)),
                }
            )
            for _ in range(layers)
        )

    def attend(self, layer, t, bias):
        n, l, d = t.shape
        qkv = layer["qkv"](layer["norm1"](t)).reshape(n, l, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * self.head_scale + bias, dim=-1)
        return layer["proj"](torch.matmul(att, v).transpose(1, 2).reshape(n, l, d))

    def forward(self, g, words, word_mask):
        n, d, h, w = g.shape
        pix = (g + self.pos(coord_channels(g))).flatten(2).transpose(1, 2)  # [N, P, d]
        t = torch.cat([pix, self.word_in(words)], 1)
        keep = torch.cat([word_mask.new_ones(n, h * w), word_mask], 1)
        bias = ((1.0 - keep) * MASK_BIAS)[:, None, None, :]
        for layer in self.layers:
            t = t + self.attend(layer, t, bias)
            t = t + layer["ff"](layer["norm2"](t))
        return t[:, : h * w].transpose(1, 2).reshape(n, d, h, w)


class Yofo(nn.Module):
    def __init__(self, cfg: Dict, vocab_size: int):
        super().__init__()
        self.cfg = cfg
        d, c = cfg["text_dim"], cfg["mem_channels"]
        fd = cfg["fusion_dims"]  # fused dims at strides 4, 8, 16
        self.text = TextEncoder(vocab_size, d)
        self.encoder = build_image_encoder(cfg)
        e2, e4, e8, e16 = self.encoder.channels
        # Ablation switches (both on in the method): multi-scale feature mining fuses language at strides 16, 8 and 4;
        # off, only stride 8 sees language. Meta-transfer off: see transfer() for what the decoder gets instead.
        self.multi_scale = cfg.get("multi_scale_fusion", True)
        self.meta_transfer = cfg.get("meta_transfer", True)
        # Decoder input. "transfer" (the paper): the target reaches the decoder only as theta * X (Y itself without MT),
        # with image-only skips, so the memory fit is on the path to the mask and the MT ablation is a clean swap.
        # "fused" (the first shipped models): theta * X, Y and the language-fused maps side by side; the decoder can
        # bypass theta * X there, and the MT ablation measured no effect (training/README.md).
        self.decoder = cfg.get("decoder", "fused")
        if self.decoder not in ("fused", "transfer"):
            raise ValueError(f"unknown decoder {self.decoder!r} (expected fused or transfer)")
        fused = self.decoder == "fused"
        self.fuse16 = ScaleFusion(e16, fd[2], d, 0, language=self.multi_scale)
        # Global reasoning at the coarsest scale (a few dozen pixels: cheap), before language goes down to finer scales.
        layers = cfg.get("reasoning_layers", 2)
        self.reason16 = CrossModalReasoning(fd[2], d, layers) if layers else None
        self.fuse8 = ScaleFusion(e8, fd[1], d, fd[2])
        self.fuse4 = ScaleFusion(e4, fd[0], d, fd[1], language=self.multi_scale) if fused else None
        self.to_x = nn.Conv2d(e8 + 2, c, 1)
        self.to_y = nn.Conv2d(fd[1], c, 1)
        self.to_w = nn.Conv2d(fd[1], 1, 1)
        self.aux = nn.Conv2d(c, 1, 1)
        self.theta0 = nn.Parameter(torch.eye(c))
        self.dec8 = nn.Sequential(conv_block(2 * c + (fd[1] if fused else 0), fd[1], 1), conv_block(fd[1], fd[1]))
        self.dec4 = nn.Sequential(conv_block(fd[1] + (fd[0] if fused else e4), fd[0], 1), conv_block(fd[0], fd[0]))
        self.dec2 = nn.Sequential(conv_block(fd[0] + e2, fd[0] // 2, 1), conv_block(fd[0] // 2, fd[0] // 2))
        self.head = nn.Conv2d(fd[0] // 2, 1, 1)
        # Motion over the memory window (cfg "motion_memory"): the current X minus the mean X of the valid memory
        # entries, added to the stride-8 and stride-16 image features before language fusion. One frame step of a slow
        # object is below a stride-8 cell; over M steps it is not. Zero-initialised, so a fork starts as the old model;
        # it reads only mem_x/mem_valid, so the frame graph keeps the contract's inputs (slot order still irrelevant).
        self.motion_memory = cfg.get("motion_memory", False)
        if self.motion_memory:
            self.motion8 = nn.Conv2d(c, e8, 1)
            self.motion16 = nn.Conv2d(c, e16, 1)
            for conv in (self.motion8, self.motion16):
                nn.init.zeros_(conv.weight)
                nn.init.zeros_(conv.bias)

    # -- pieces shared by training and the exported frame graph ------------------------------------------------------
    def encode_frames(self, image, prev_image, words, word_mask, sentence, mem_x=None, mem_valid=None):
        """Per-frame features: x, y [N, C, h, w], w [N, 1, h, w], and skips for the decoder. The memory is read only
        by a motion_memory model (motion over the window); without it (or without mem_x) there is no motion input."""
        feats = self.encoder(torch.cat([image, prev_image], 1))
        x = self.image_x(feats[2])
        motion = None
        if self.motion_memory and mem_x is not None:
            weight = mem_valid[:, :, None, None, None]
            past = (mem_x * weight).sum(1) / weight.sum(1).clamp_min(1.0)
            motion = (x - past) * (mem_valid.sum(1) > 0).to(x.dtype)[:, None, None, None]
        return self.mine(feats, words, word_mask, sentence, x, motion)

    def image_x(self, f8):
        """X: language-free stride-8 image features (what the memory stores and theta maps)."""
        return self.to_x(torch.cat([f8, coord_channels(f8)], 1))

    def mine(self, feats, words, word_mask, sentence, x, motion=None):
        """Cross-modal feature mining over the image encoder's features (f2, f4, f8, f16) of one expression per sample;
        x = image_x(f8); motion [N, C, h, w] (motion_memory models) is added to f8 and f16 before the language."""
        f2, f4, f8, f16 = feats
        if motion is not None:
            f8 = f8 + self.motion8(motion)
            f16 = f16 + self.motion16(F.interpolate(motion, size=f16.shape[-2:], mode="bilinear", align_corners=False))
        g16 = self.fuse16(f16, words, word_mask, sentence)
        if self.reason16 is not None:
            g16 = g16 + self.reason16(g16, words, word_mask)
        g8 = self.fuse8(f8, words, word_mask, sentence, g16)
        y = self.to_y(g8)
        w = torch.sigmoid(self.to_w(g8))
        if self.fuse4 is None:
            return x, y, w, (f2, f4, None)
        return x, y, w, (f2, self.fuse4(f4, words, word_mask, sentence, g8), g8)

    def transfer(self, mem_x, mem_y, mem_w, mem_valid, x, y, w):
        """theta fitted over memory + current entry, applied to x: [N, C, h, w]. Without MT (the ablation): Y itself for
        the "transfer" decoder, zeros for the "fused" one (which sees Y anyway)."""
        n, c, h, wd = x.shape
        if not self.meta_transfer:
            return y if self.decoder == "transfer" else torch.zeros_like(x)
        m = mem_x.shape[1]
        theta = fit_theta(
            mem_x.reshape(n, m, c, h * wd),
            mem_y.reshape(n, m, c, h * wd),
            mem_w.reshape(n, m, 1, h * wd),
            mem_valid,
            x.reshape(n, c, h * wd),
            y.reshape(n, c, h * wd),
            w.reshape(n, 1, h * wd),
            self.theta0,
            self.cfg["solver_lambda"],
            self.cfg["solver_steps"],
        )
        return torch.matmul(theta, x.reshape(n, c, h * wd)).reshape(n, c, h, wd)

    def decode(self, transferred, x, y, skips, out_size):
        """Mask logits from theta * X and the skips: with the "transfer" decoder its other inputs are image features
        only (X, and f4 at stride 4); with "fused", Y and the fused maps g8, g4."""
        f2, s4, g8 = skips
        d = self.dec8(torch.cat([transferred, x] if g8 is None else [transferred, y, g8], 1))
        d = F.interpolate(d, size=s4.shape[-2:], mode="bilinear", align_corners=False)
        d = self.dec4(torch.cat([d, s4], 1))
        d = F.interpolate(d, size=f2.shape[-2:], mode="bilinear", align_corners=False)
        d = self.dec2(torch.cat([d, f2], 1))
        return F.interpolate(self.head(d), size=out_size, mode="bilinear", align_corners=False)

    def frame_step(self, image, prev_image, words, word_mask, sentence, mem_x, mem_y, mem_w, mem_valid):
        """One online frame (the exported frame graph): logits [N, 1, H, W] and this frame's memory entry x, y, w."""
        x, y, w, skips = self.encode_frames(image, prev_image, words, word_mask, sentence, mem_x, mem_valid)
        t = self.transfer(mem_x, mem_y, mem_w, mem_valid, x, y, w)
        return self.decode(t, x, y, skips, image.shape[-2:]), x, y, w

    # -- training on clips -----------------------------------------------------------------------------------------
    def forward(self, frames: torch.Tensor, tokens: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.forward_clip(frames, tokens)

    def forward_clip(self, frames: torch.Tensor, tokens: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """frames: [B, N, 3, H, W] normalised, in time order; tokens: [B*K, T], K expressions per clip (clip-major).
        Frames are processed online exactly as at inference (memory = the last M entries before each frame, previous
        frame = the one before, itself at t=0), but everything that does not depend on memory runs batched over all
        frames, and the image encoder runs once per frame for all K expressions of its clip.
        Returns mask logits [B*K, N, 1, H, W] and auxiliary logits from Y [B*K, N, 1, h, w]."""
        b, n = frames.shape[:2]
        k = tokens.shape[0] // b
        if k * b != tokens.shape[0]:
            raise ValueError(f"{tokens.shape[0]} token rows for {b} clips: expected a multiple")
        size = frames.shape[-2:]
        words, sentence = self.text(tokens)
        word_mask = (tokens != 0).to(frames.dtype)
        prev = torch.cat([frames[:, :1], frames[:, :-1]], 1)
        feats = self.encoder(torch.cat([frames, prev], 2).flatten(0, 1))  # [B*N, ...] each
        # sample order: (clip, expression, frame), so one expression's frames are contiguous
        per_exp = lambda f: f.view(b, 1, n, *f.shape[1:]).expand(b, k, n, *f.shape[1:]).reshape(b * k * n, *f.shape[1:])
        per_frame = lambda t: t[:, None].expand(b * k, n, *t.shape[1:]).reshape(b * k * n, *t.shape[1:])
        x = self.image_x(feats[2])  # language-free: once per frame, shared by the clip's expressions
        m = self.cfg["memory"]
        motion = None
        if self.motion_memory:  # as frame_step sees it: the mean X of the last M frames before t (none at t = 0)
            xf = x.view(b, n, *x.shape[1:])
            zero = torch.zeros_like(xf[:, 0])
            motion = torch.stack([xf[:, t] - xf[:, max(0, t - m) : t].mean(1) if t else zero for t in range(n)], 1)
            motion = per_exp(motion.flatten(0, 1))
        x, y, w, skips = self.mine(
            [per_exp(f) for f in feats], per_frame(words), per_frame(word_mask), per_frame(sentence), per_exp(x), motion
        )
        bk = b * k
        c, h, wd = x.shape[1:]
        xs, ys, ws = x.view(bk, n, c, h, wd), y.view(bk, n, c, h, wd), w.view(bk, n, 1, h, wd)
        out = []
        for t in range(n):
            lo = max(0, t - m)
            pad = m - (t - lo)
            mem = [torch.cat([s[:, lo:t], s.new_zeros(bk, pad, *s.shape[2:])], 1) for s in (xs, ys, ws)]
            valid = torch.cat([frames.new_ones(bk, t - lo), frames.new_zeros(bk, pad)], 1)
            out.append(self.transfer(*mem, valid, xs[:, t], ys[:, t], ws[:, t]))
        transferred = torch.stack(out, 1).flatten(0, 1)
        logits = self.decode(transferred, x, y, skips, size)
        aux = self.aux(y)
        return logits.view(bk, n, 1, *size), aux.view(bk, n, 1, h, wd)


class TextGraph(nn.Module):
    """text.onnx: tokens [1, T] -> words [1, T, D], sentence [1, D]."""

    def __init__(self, model: Yofo):
        super().__init__()
        self.model = model

    def forward(self, tokens):
        return self.model.text(tokens)


class FrameGraph(nn.Module):
    """frame.onnx: the contract's inputs -> logits, x, y, w."""

    def __init__(self, model: Yofo):
        super().__init__()
        self.model = model

    def forward(self, image, prev_image, words, word_mask, sentence, mem_x, mem_y, mem_w, mem_valid):
        return self.model.frame_step(image, prev_image, words, word_mask, sentence, mem_x, mem_y, mem_w, mem_valid)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def memory_shape(cfg: Dict) -> List[int]:
    """[M, C, h, w] of the memory bank for a config (stride-8 features)."""
    h, w = cfg["height"], cfg["width"]
    return [cfg["memory"], cfg["mem_channels"], -(-h // 8), -(-w // 8)]
