"""A tiny training run on a generated sample, export, ONNX parity through onnxruntime-node, reference inference."""
import io
import json
import os
import unittest
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import torch
from PIL import Image

from helpers import TINY_TRAIN_ARGS, sample_dataset, temp_dir
from yofo import export, infer, train
from yofo.data import ClipSampler, RefVosSplit
from yofo.modelio import load_checkpoint, load_model_dir
from yofo.tokenizer import Tokenizer, build_vocab


class TrainExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = sample_dataset()

    def test_loader_reads_layout_and_samples_clips(self):
        split = RefVosSplit(self.data, "train", 64, 48)
        self.assertEqual(len(split.videos), 3)
        item = split.items[0]
        ids = split.ids(item.video, item.frames[0])
        self.assertEqual(tuple(ids.shape), (48, 64))
        self.assertIn(item.obj_id, set(np.unique(ids.numpy()).tolist()))
        tok = Tokenizer(build_vocab(i.text for i in split.items), 16)
        frames, masks, tokens = ClipSampler(split, tok, 4, 3, seed=0).clip()
        self.assertEqual(tuple(frames.shape), (4, 3, 48, 64))
        self.assertEqual(frames.dtype, torch.uint8)
        self.assertTrue(set(torch.unique(masks).tolist()) <= {0.0, 1.0})
        self.assertEqual(tokens.shape, (16,))

    def test_ablation_fork_switches_a_module_off_and_continues(self):
        run = os.path.join(temp_dir(self), "run")
        with redirect_stdout(io.StringIO()):
            train.main(["--data", self.data, "--out", run, "--steps", "2"] + TINY_TRAIN_ARGS)
            before = torch.load(os.path.join(run, "last.pt"))
            train.main(
                ["--data", self.data, "--out", run, "--steps", "3", "--resume", "--single-scale", "--no-meta-transfer"]
                + TINY_TRAIN_ARGS
            )
        after = torch.load(os.path.join(run, "last.pt"))
        self.assertEqual(after["step"], 3)
        self.assertFalse(after["cfg"]["multi_scale_fusion"])
        self.assertFalse(after["cfg"]["meta_transfer"])
        self.assertNotIn("fuse16.key.weight", after["model"])
        self.assertIn("fuse16.key.weight", before["model"])
        # what both variants share was carried over, then trained one more step
        self.assertEqual(after["model"]["text.embed.weight"].shape, before["model"]["text.embed.weight"].shape)

        # Without meta-transfer the frame graph never reads the memory, yet it keeps the contract's inputs (declared,
        # unread), so the extension and `rvos eval` run the ablated model like any other.
        out = os.path.join(temp_dir(self), "model")
        report = export.export(os.path.join(run, "last.pt"), out, verify_data=self.data)
        self.assertLessEqual(report["parity"]["maxAbsDiff"], 1e-4)
        import onnx

        inputs = [i.name for i in onnx.load(os.path.join(out, "frame.onnx")).graph.input]
        self.assertEqual(
            inputs, ["image", "prev_image", "words", "word_mask", "sentence", "mem_x", "mem_y", "mem_w", "mem_valid"]
        )

    def test_decoder_fork_from_a_fused_checkpoint(self):
        run = os.path.join(temp_dir(self), "run")
        with redirect_stdout(io.StringIO()):
            train.main(["--data", self.data, "--out", run, "--steps", "2", "--decoder", "fused"] + TINY_TRAIN_ARGS)
            before = torch.load(os.path.join(run, "last.pt"))
            train.main(
                ["--data", self.data, "--out", run, "--steps", "3", "--resume", "--decoder", "transfer"]
                + TINY_TRAIN_ARGS
            )
        after = torch.load(os.path.join(run, "last.pt"))
        self.assertEqual((before["cfg"]["decoder"], after["cfg"]["decoder"]), ("fused", "transfer"))
        self.assertIn("fuse4.key.weight", before["model"])
        self.assertNotIn("fuse4.key.weight", after["model"])
        self.assertEqual(after["model"]["dec8.0.0.weight"].shape[1], 2 * after["cfg"]["mem_channels"])

    def test_second_stage_starts_a_new_schedule_at_the_checkpoint(self):
        run = os.path.join(temp_dir(self), "run")
        out = io.StringIO()
        with redirect_stdout(out):
            train.main(["--data", self.data, "--out", run, "--steps", "3"] + TINY_TRAIN_ARGS)
            train.main(
                ["--data", self.data, "--out", run, "--steps", "2", "--resume", "--new-schedule"] + TINY_TRAIN_ARGS
            )
        state = torch.load(os.path.join(run, "last.pt"))
        self.assertEqual(state["step"], 5)
        self.assertEqual(state["schedule_origin"][0], 3)
        # warmup starts again: the first step of the new stage logs the first warmup LR (lr / warmup)
        self.assertIn("step 4/5 ", out.getvalue())
        self.assertIn("lr 1.00e-03", out.getvalue().split("step 4/5 ")[1].splitlines()[0])

    def test_manifest_scores_are_the_exported_steps_only(self):
        from yofo.config import preset
        from yofo.model import Yofo
        from yofo.tokenizer import Tokenizer, build_vocab

        cfg = dict(preset("tiny"), width=64, height=48)
        tok = Tokenizer(build_vocab(["a red circle"]), 16)
        model = Yofo(cfg, len(tok.vocab))

        def evaluation(step, which, jf):
            return {
                "step": step,
                "set": which,
                "videos": 3,
                "J": jf,
                "F": jf,
                "JF": jf,
                "categories": {"motion": {"JF": jf}},
            }

        def scores(step, history):
            return export.manifest(model, tok, "t", [4, 32, 6, 8], {"step": step, "history": history})["scores"]

        earlier = [evaluation(100, "subset", 0.3), evaluation(100, "full", 0.4)]
        self.assertEqual(scores(250, earlier), {})  # no eval of these weights: no scores, not step 100's
        self.assertEqual(scores(100, earlier)["JF"], 0.4)  # the full set wins over the subset at the same step
        got = scores(250, earlier + [evaluation(250, "subset", 0.5)])
        self.assertEqual((got["JF"], got["step"], got["categories"]), (0.5, 250, {"motion": 0.5}))

    def test_train_resume_export_parity_infer(self):
        tmp = temp_dir(self)
        run = os.path.join(tmp, "run")
        with redirect_stdout(io.StringIO()):
            train.main(["--data", self.data, "--out", run, "--steps", "3"] + TINY_TRAIN_ARGS)
            ckpt = torch.load(os.path.join(run, "last.pt"))
            self.assertEqual(ckpt["step"], 3)
            train.main(["--data", self.data, "--out", run, "--steps", "5", "--resume"] + TINY_TRAIN_ARGS)
        self.assertEqual(torch.load(os.path.join(run, "last.pt"))["step"], 5)

        out = os.path.join(tmp, "model")
        report = export.export(os.path.join(run, "last.pt"), out, name="test", verify_data=self.data)
        self.assertLessEqual(report["parity"]["maxAbsDiff"], 1e-4)
        self.assertEqual(sorted(os.listdir(out)), ["frame.onnx", "model.json", "text.onnx", "weights.pt"])
        with open(os.path.join(out, "model.json")) as f:
            man = json.load(f)
        self.assertEqual((man["format"], man["version"]), ("yofo-onnx", 1))
        self.assertEqual(man["input"]["resize"], "bilinear-half-pixel")
        self.assertEqual(man["memory"], {"length": 4, "channels": 32, "height": 6, "width": 8})
        self.assertEqual(man["tokenizer"]["vocab"][:2], ["<pad>", "<unk>"])
        self.assertEqual(man["training"]["steps"], 5)

        # The exported weights are exactly the checkpoint's.
        m1, _, _ = load_checkpoint(os.path.join(run, "last.pt"))
        m2, _, _ = load_model_dir(out)
        for (k, a), b in zip(m1.state_dict().items(), m2.state_dict().values()):
            self.assertTrue(torch.equal(a, b), k)

        # A calibration offset is folded into the head's bias and recorded; nothing else changes.
        shifted = os.path.join(tmp, "shifted")
        export.export(os.path.join(run, "last.pt"), shifted, verify=False, logit_offset=1.5)
        m3, _, man3 = load_model_dir(shifted)
        self.assertEqual(man3["training"]["logitOffset"], 1.5)
        for (k, a), b in zip(m2.state_dict().items(), m3.state_dict().values()):
            self.assertTrue(torch.allclose(a + 1.5, b) if k == "head.bias" else torch.equal(a, b), k)

        masks_dir = os.path.join(tmp, "masks")
        buf = io.StringIO()
        with redirect_stdout(buf):
            self.assertEqual(infer.main([self.data, "--model", out, "--json", "--out", masks_dir]), 0)
        scores = json.loads(buf.getvalue())
        buf = io.StringIO()
        with redirect_stdout(buf):  # the checkpoint itself scores exactly as its export
            self.assertEqual(
                infer.main([self.data, "--checkpoint", os.path.join(run, "last.pt"), "--json", "--batch-expressions"]),
                0,
            )
        self.assertAlmostEqual(json.loads(buf.getvalue())["JF"], scores["JF"], places=6)
        self.assertEqual(sum(c["expressions"] for c in scores["categories"].values()), scores["expressions"])
        for key in ("J", "F", "JF", "fps"):
            self.assertTrue(np.isfinite(scores[key]), key)
        self.assertTrue(0 <= scores["JF"] <= 1)
        split = RefVosSplit(self.data, "train", 64, 48)
        it = split.items[0]
        png = Image.open(os.path.join(masks_dir, "Annotations", it.video, it.exp_id, it.frames[0] + ".png"))
        self.assertEqual(png.size, (64, 48))
        self.assertTrue(set(np.unique(np.array(png)).tolist()) <= {0, 255})
        # A folder that holds someone else's files is refused.
        foreign = os.path.join(tmp, "foreign")
        os.makedirs(foreign)
        open(os.path.join(foreign, "notes.txt"), "w").close()
        err = io.StringIO()
        with redirect_stderr(err):
            self.assertEqual(infer.main([self.data, "--model", out, "--out", foreign]), 1)
        self.assertIn(foreign, err.getvalue())


if __name__ == "__main__":
    unittest.main()
