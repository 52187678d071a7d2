"""Recipe pieces of issue 19: the object-ranking grounding loss, forking an exported model, the CPU-time budget."""
import io
import json
import os
import unittest
from contextlib import redirect_stdout

import torch

from helpers import TINY_TRAIN_ARGS, sample_dataset, temp_dir
from yofo import export, fork, train
from yofo.modelio import load_model_dir


class GroundingLossTest(unittest.TestCase):
    def setUp(self):
        # one clip, 2 frames of 4x4, objects 1 (left half) and 2 (right half); object 2 hidden in frame 1
        ids = torch.zeros(1, 2, 4, 4, dtype=torch.uint8)
        ids[0, :, :, :2] = 1
        ids[0, 0, :, 2:] = 2
        self.ids = ids

    def logits(self, left: float, right: float) -> torch.Tensor:
        out = torch.zeros(1, 2, 1, 4, 4)
        out[..., :2] = left
        out[..., 2:] = right
        return out

    def test_ranks_the_referred_object_above_the_others(self):
        obj = torch.tensor([1])
        right = train.grounding_loss(self.logits(8.0, -8.0), self.ids, obj)
        wrong = train.grounding_loss(self.logits(-8.0, 8.0), self.ids, obj)
        tie = train.grounding_loss(self.logits(0.0, 0.0), self.ids, obj)
        self.assertLess(right.item(), 1e-5)
        self.assertAlmostEqual(tie.item(), torch.log(torch.tensor(2.0)).item(), places=5)
        self.assertAlmostEqual(wrong.item(), 16.0, places=3)  # log(1 + e^16), frame 1 skipped: object 2 hidden there

    def test_frames_without_the_target_or_a_rival_are_skipped(self):
        # referred object 2 is hidden in frame 1: only frame 0 counts, whatever frame 1's logits are
        a = self.logits(0.0, 0.0)
        b = a.clone()
        b[:, 1] = 50.0
        obj = torch.tensor([2])
        self.assertAlmostEqual(
            train.grounding_loss(a, self.ids, obj).item(), train.grounding_loss(b, self.ids, obj).item(), places=6
        )

    def test_gradient_pushes_the_rival_down(self):
        logits = self.logits(0.0, 0.0).requires_grad_()
        train.grounding_loss(logits, self.ids, torch.tensor([1])).backward()
        self.assertLess(logits.grad[0, 0, 0, 0, 0].item(), 0)  # target pixels: raise (negative gradient)
        self.assertGreater(logits.grad[0, 0, 0, 0, 3].item(), 0)  # rival pixels: lower


class ForkAndBudgetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = sample_dataset()

    def test_fork_of_an_export_continues_from_its_weights_without_the_offset(self):
        run = os.path.join(temp_dir(self), "run")
        with redirect_stdout(io.StringIO()):
            train.main(["--data", self.data, "--out", run, "--steps", "1"] + TINY_TRAIN_ARGS)
        model_dir = os.path.join(temp_dir(self), "model")
        export.export(os.path.join(run, "last.pt"), model_dir, verify=False, logit_offset=1.5)
        exported, _, manifest = load_model_dir(model_dir)
        forked = os.path.join(temp_dir(self), "fork")
        with redirect_stdout(io.StringIO()):
            self.assertEqual(fork.main([model_dir, "--out", forked]), 0)
            self.assertEqual(fork.main([model_dir, "--out", forked]), 2)  # never overwrites a run's checkpoint
        state = torch.load(os.path.join(forked, "last.pt"))
        self.assertEqual(state["step"], manifest["training"]["steps"])
        self.assertAlmostEqual((exported.head.bias - state["model"]["head.bias"]).item(), 1.5, places=5)
        self.assertTrue(torch.equal(state["model"]["text.embed.weight"], exported.state_dict()["text.embed.weight"]))
        with redirect_stdout(io.StringIO()):  # a second stage with a motion input added, stopped by its CPU budget
            train.main(
                [
                    "--data",
                    self.data,
                    "--out",
                    forked,
                    "--resume",
                    "--new-schedule",
                    "--motion-memory",
                    "--cpu-minutes",
                    "0.001",
                    "--steps",
                    "1000",
                    "--grounding-weight",
                    "0.2",
                ]
                + TINY_TRAIN_ARGS
            )
        after = torch.load(os.path.join(forked, "last.pt"))
        self.assertTrue(after["cfg"]["motion_memory"])
        self.assertIn("motion8.weight", after["model"])
        self.assertGreater(after["step"], state["step"])
        self.assertLess(after["step"], state["step"] + 1000)  # the CPU budget, not --steps, ended it
        # The motion input reads only the memory the contract already feeds: same nine inputs, ONNX parity holds.
        motion_dir = os.path.join(temp_dir(self), "motion")
        report = export.export(os.path.join(forked, "last.pt"), motion_dir, verify_data=self.data)
        self.assertLessEqual(report["parity"]["maxAbsDiff"], 1e-4)
        import onnx

        inputs = [i.name for i in onnx.load(os.path.join(motion_dir, "frame.onnx")).graph.input]
        self.assertEqual(
            inputs, ["image", "prev_image", "words", "word_mask", "sentence", "mem_x", "mem_y", "mem_w", "mem_valid"]
        )


if __name__ == "__main__":
    unittest.main()
