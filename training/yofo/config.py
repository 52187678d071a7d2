"""Model size presets. `tiny` is the default model (trains from scratch on CPU, runs in real time through
onnxruntime on a laptop CPU); `resnet50` is for real Ref-YouTube-VOS on GPUs, with ImageNet weights from a local file."""
import copy
from typing import Dict

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

PRESETS: Dict[str, Dict] = {
    "tiny": {
        "encoder": "tiny",
        "encoder_widths": [16, 32, 48, 64],  # strides 2, 4, 8, 16
        "fusion_dims": [32, 48, 64],  # fused language-image maps at strides 4, 8, 16
        "text_dim": 64,
        "mem_channels": 32,
        "memory": 4,
        "solver_steps": 4,
        "solver_lambda": 0.1,
        "reasoning_layers": 2,  # transformer layers over stride-16 pixels + words
        "meta_transfer": True,
        "multi_scale_fusion": True,
        "decoder": "transfer",
        "width": 160,
        "height": 96,
        "max_tokens": 16,
        "mean": IMAGENET_MEAN,
        "std": IMAGENET_STD,
    },
    "resnet50": {
        "encoder": "resnet50",
        "imagenet_weights": "",
        "fusion_dims": [64, 128, 256],
        "text_dim": 256,
        "mem_channels": 64,
        "memory": 5,
        "solver_steps": 5,
        "solver_lambda": 0.1,
        "reasoning_layers": 2,
        "meta_transfer": True,
        "multi_scale_fusion": True,
        "decoder": "transfer",
        "width": 640,
        "height": 384,
        "max_tokens": 20,
        "mean": IMAGENET_MEAN,
        "std": IMAGENET_STD,
    },
}


def preset(name: str) -> Dict:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r} (expected one of {', '.join(PRESETS)})")
    return copy.deepcopy(PRESETS[name])
