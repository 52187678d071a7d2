"""yofo.gpurun on the CPU with a tiny budget: fork the shipped model, train, export with parity, score with rvos eval."""
import json
import os
import subprocess
import sys
import unittest

import torch
from helpers import REPO, sample_dataset, temp_dir

from yofo.gpurun import device_report

TRAINING = os.path.join(REPO, "training")


def read_json(path: str):
    with open(path) as f:
        return json.load(f)


class GpuRunTest(unittest.TestCase):
    def run_module(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "yofo.gpurun", *args], cwd=TRAINING, capture_output=True, text=True, timeout=300
        )

    def test_cpu_smoke_run_forks_trains_exports_and_scores(self):
        data = sample_dataset(videos=2, seed=23)
        out = os.path.join(temp_dir(self), "run")
        run = self.run_module(
            "--data",
            data,
            "--heldout",
            data,
            "--out",
            out,
            "--minutes",
            "0.02",
            "--allow-cpu",
            "--batch",
            "1",
            "--clip-len",
            "2",
            "--calibrate-videos",
            "0",
            "--",
            "--threads",
            "1",
        )
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        report = read_json(os.path.join(out, "gpurun.json"))
        shipped = read_json(os.path.join(REPO, "media", "models", "yofo-refshapes", "model.json"))
        self.assertFalse(report["device"]["cuda"])
        self.assertGreater(report["training"]["step"], shipped["training"]["steps"])  # continued from the shipped step
        self.assertEqual(report["calibration"]["offset"], shipped["training"]["logitOffset"])
        self.assertLessEqual(report["export"]["parity"]["maxAbsDiff"], 1e-4)
        self.assertTrue(0.0 <= report["heldout"]["JF"] <= 1.0)
        meta = read_json(os.path.join(data, "meta_expressions", "train", "meta_expressions.json"))
        self.assertEqual(
            len(report["heldout"]["expressions"]), sum(len(v["expressions"]) for v in meta["videos"].values())
        )
        self.assertTrue(os.path.exists(os.path.join(out, "model", "frame.onnx")))

    def test_without_allow_cpu_it_needs_cuda(self):
        # On a machine without CUDA the run must stop before training; with CUDA the device check passes and names it.
        if torch.cuda.is_available():
            self.assertTrue(device_report(False)["cuda"])
            return
        data = sample_dataset(videos=2, seed=23)
        out = os.path.join(temp_dir(self), "run")
        run = self.run_module("--data", data, "--heldout", data, "--out", out, "--minutes", "1")
        self.assertEqual(run.returncode, 1)
        self.assertIn("error: PyTorch", run.stderr)
        self.assertIn("no CUDA", run.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "last.pt")))


if __name__ == "__main__":
    unittest.main()
