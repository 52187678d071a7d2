"""YOFO (You Only Infer Once, AAAI 2022) for referring video object segmentation: training, ONNX export, reference
inference. See ../README.md and ../CONTRACT.md."""

import os

# On a shared CPU, OpenMP threads that busy-wait between the many small ops of this model slow a step down by up to
# 5x (measured here: 10.2 s vs 2.1 s per step with 2 threads); passive waiting costs nothing when the CPU is idle.
# Must be set before torch loads libgomp, hence here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
