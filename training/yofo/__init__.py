"""YOFO (You Only Infer Once, AAAI 2022) for referring video object segmentation: training, ONNX export, reference
inference. See ../README.md and ../CONTRACT.md."""
