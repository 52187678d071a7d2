"""Image encoders over the current and previous frame (6 input channels: the motion cue), each returning features at
strides 2, 4, 8 and 16 and their channel counts in `.channels`."""
from typing import Dict

import torch
import torch.nn as nn


def _conv(cin: int, cout: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.GroupNorm(min(8, cout // 4), cout), nn.ReLU(inplace=True)
    )


class TinyEncoder(nn.Module):
    """Small CNN trained from scratch: two 3x3 convs per stride."""

    def __init__(self, widths):
        super().__init__()
        stages, cin = [], 6
        for cout in widths:
            stages.append(nn.Sequential(_conv(cin, cout, 2), _conv(cout, cout, 1)))
            cin = cout
        self.stages = nn.ModuleList(stages)
        self.channels = list(widths)

    def forward(self, x):
        out = []
        for stage in self.stages:
            x = stage(x)
            out.append(x)
        return out


class FrozenBatchNorm(nn.Module):
    """BatchNorm with fixed ImageNet statistics (batches of a few clips are too small to re-estimate them)."""

    def __init__(self, n: int):
        super().__init__()
        for name, init in (
            ("weight", torch.ones),
            ("bias", torch.zeros),
            ("running_mean", torch.zeros),
            ("running_var", torch.ones),
        ):
            self.register_buffer(name, init(n))

    def forward(self, x):
        scale = self.weight * (self.running_var + 1e-5).rsqrt()
        shift = self.bias - self.running_mean * scale
        return x * scale[None, :, None, None] + shift[None, :, None, None]


class Bottleneck(nn.Module):
    """torchvision's ResNet-50 bottleneck, with the same parameter names so its state dict loads as is."""

    def __init__(self, cin: int, mid: int, stride: int):
        super().__init__()
        cout = mid * 4
        self.conv1 = nn.Conv2d(cin, mid, 1, bias=False)
        self.bn1 = FrozenBatchNorm(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False)
        self.bn2 = FrozenBatchNorm(mid)
        self.conv3 = nn.Conv2d(mid, cout, 1, bias=False)
        self.bn3 = FrozenBatchNorm(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), FrozenBatchNorm(cout))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet50Encoder(nn.Module):
    """ResNet-50 up to layer3 (stride 16). conv1 takes 6 channels: the ImageNet filters for the current frame and
    zero-initialised filters for the previous frame, so the pretrained behaviour is kept at the start of training."""

    def __init__(self, weights_path: str = ""):
        super().__init__()
        self.conv1 = nn.Conv2d(6, 64, 7, 2, 3, bias=False)
        self.bn1 = FrozenBatchNorm(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin, layers = 64, []
        for mid, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2)):
            layers.append(
                nn.Sequential(
                    *[Bottleneck(cin if i == 0 else mid * 4, mid, stride if i == 0 else 1) for i in range(blocks)]
                )
            )
            cin = mid * 4
        self.layer1, self.layer2, self.layer3 = layers
        self.channels = [64, 256, 512, 1024]
        if weights_path:
            self.load_imagenet(weights_path)

    def load_imagenet(self, path: str) -> None:
        """Loads a torchvision resnet50 state dict from a local file (nothing is downloaded); layer4/fc are ignored."""
        try:
            state = torch.load(path, map_location="cpu")
        except (OSError, RuntimeError) as err:
            raise ValueError(f"{path}: cannot load ResNet-50 weights: {err}") from err
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
        if not isinstance(state, dict) or "conv1.weight" not in state:
            raise ValueError(f"{path}: not a torchvision ResNet-50 state dict (no conv1.weight)")
        own = self.state_dict()
        conv1 = state["conv1.weight"]
        if tuple(conv1.shape) != (64, 3, 7, 7):
            raise ValueError(f"{path}: conv1.weight has shape {tuple(conv1.shape)}, expected (64, 3, 7, 7)")
        picked = {k: v for k, v in state.items() if k in own and k != "conv1.weight"}
        missing = [k for k in own if k not in picked and k != "conv1.weight"]
        if missing:
            raise ValueError(f"{path}: missing ResNet-50 entries, e.g. {missing[:3]}")
        for k, v in picked.items():
            if own[k].shape != v.shape:
                raise ValueError(f"{path}: {k} has shape {tuple(v.shape)}, expected {tuple(own[k].shape)}")
        picked["conv1.weight"] = torch.cat([conv1, torch.zeros_like(conv1)], 1)
        self.load_state_dict(picked)

    def forward(self, x):
        f2 = self.relu(self.bn1(self.conv1(x)))
        f4 = self.layer1(self.maxpool(f2))
        f8 = self.layer2(f4)
        return [f2, f4, f8, self.layer3(f8)]


def build_image_encoder(cfg: Dict) -> nn.Module:
    if cfg["encoder"] == "tiny":
        return TinyEncoder(cfg["encoder_widths"])
    if cfg["encoder"] == "resnet50":
        return ResNet50Encoder(cfg.get("imagenet_weights", ""))
    raise ValueError(f"unknown encoder {cfg['encoder']!r} (expected tiny or resnet50)")
