"""Per-pair time of the reference J and F (jf_ref.py) on the DAVIS fixture pairs, PNG decoding excluded.

Usage: /usr/bin/python3 bench/jf_ref_pairs.py <fixtures dir> <jf_ref.py dir> [repeats]
Prints one JSON line: {"pairs": n, "ms_per_pair": best of the repeats, "checksum": sum of J + F}.
"""
import json
import sys
import time

import numpy as np
from PIL import Image

fixtures, ref_dir = sys.argv[1], sys.argv[2]
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
sys.path.insert(0, ref_dir)
from jf_ref import boundary_f, region_j  # noqa: E402

expected = json.load(open(f"{fixtures}/expected.json"))
cache = {}


def load(method, seq, frame):
    key = (method, seq, frame)
    if key not in cache:
        cache[key] = np.array(Image.open(f"{fixtures}/{method}/{seq}/{frame}.png"))
    return cache[key]


pairs = [
    (load("osvos", p["sequence"], p["frame"]) == p["object"], load("rvos", p["sequence"], p["frame"]) == p["object"])
    for p in expected["pairs"]
]
best = float("inf")
checksum = 0.0
for _ in range(repeats):
    start = time.perf_counter()
    checksum = 0.0
    for gt, pred in pairs:
        checksum += region_j(gt, pred) + boundary_f(gt, pred)
    best = min(best, time.perf_counter() - start)
print(json.dumps({"pairs": len(pairs), "ms_per_pair": best * 1000 / len(pairs), "checksum": checksum}))
