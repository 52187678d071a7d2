"""The network's training-time batching and ablation switches."""
import unittest

import torch

from helpers import sample_dataset
from yofo.config import preset
from yofo.data import ClipSampler, RefVosSplit
from yofo.model import Yofo, memory_shape
from yofo.tokenizer import Tokenizer, build_vocab


def small_cfg(**overrides):
    cfg = preset("tiny")
    cfg.update(width=64, height=48, **overrides)
    return cfg


class ModelTest(unittest.TestCase):
    def test_several_expressions_per_clip_equal_one_at_a_time(self):
        # Sharing the image encoder between a clip's expressions must not change any expression's result.
        torch.manual_seed(0)
        model = Yofo(small_cfg(), 30).eval()
        frames = torch.randn(2, 3, 3, 48, 64)
        tokens = torch.randint(2, 30, (6, 16))
        tokens[:, 10:] = 0
        with torch.no_grad():
            logits, aux = model(frames, tokens)
            self.assertEqual(tuple(logits.shape), (6, 3, 1, 48, 64))
            for row in range(6):
                one, one_aux = model(frames[row // 3 : row // 3 + 1], tokens[row : row + 1])
                self.assertLess((one[0] - logits[row]).abs().max().item(), 1e-4, row)
                self.assertLess((one_aux[0] - aux[row]).abs().max().item(), 1e-4, row)

    def test_language_changes_the_mask(self):
        torch.manual_seed(1)
        model = Yofo(small_cfg(), 30).eval()
        for p in model.parameters():  # FiLM starts as the identity; give it something to do
            p.data.add_(0.05 * torch.randn_like(p))
        frames = torch.randn(1, 2, 3, 48, 64)
        with torch.no_grad():
            a, _ = model(frames, torch.tensor([[5, 6, 7] + [0] * 13]))
            b, _ = model(frames, torch.tensor([[8, 9] + [0] * 14]))
        self.assertGreater((a - b).abs().mean().item(), 1e-3)

    def frame_logits(self, model, memory_scale: float):
        """One frame's logits with random memory entries scaled by memory_scale (same seed each call)."""
        g = torch.Generator().manual_seed(7)
        m, c, h, w = memory_shape(model.cfg)
        image, prev = torch.randn(1, 3, 48, 64, generator=g), torch.randn(1, 3, 48, 64, generator=g)
        words, sentence = model.text(torch.tensor([[3, 4] + [0] * 14]))
        word_mask = torch.tensor([[1.0, 1.0] + [0.0] * 14])
        mem = (
            torch.randn(1, m, c, h, w, generator=g) * memory_scale,
            torch.randn(1, m, c, h, w, generator=g) * memory_scale,
            torch.rand(1, m, 1, h, w, generator=g),
            torch.ones(1, m),
        )
        with torch.no_grad():
            return model.frame_step(image, prev, words, word_mask, sentence, *mem)[0]

    def test_meta_transfer_reads_the_memory_and_its_ablation_ignores_it(self):
        for decoder in ("transfer", "fused"):
            torch.manual_seed(2)
            with_mt = Yofo(small_cfg(decoder=decoder), 30).eval()
            self.assertGreater(
                (self.frame_logits(with_mt, 1.0) - self.frame_logits(with_mt, 5.0)).abs().max().item(), 1e-6, decoder
            )
            without = Yofo(small_cfg(decoder=decoder, meta_transfer=False), 30).eval()
            self.assertTrue(torch.equal(self.frame_logits(without, 1.0), self.frame_logits(without, 5.0)), decoder)

    def test_transfer_decoder_gets_the_target_only_through_theta_x(self):
        # The paper's decoder: no language-fused map reaches it except through the fitted theta * X (or Y without MT),
        # so the stride-4 fusion is not built, and the decoder's first layer reads theta * X and X (2 C channels).
        cfg = small_cfg(decoder="transfer")
        model = Yofo(cfg, 30)
        self.assertIsNone(model.fuse4)
        self.assertEqual(model.dec8[0][0].in_channels, 2 * cfg["mem_channels"])
        self.assertEqual(model.dec4[0][0].in_channels, cfg["fusion_dims"][1] + model.encoder.channels[1])
        fused = Yofo(small_cfg(decoder="fused"), 30)
        self.assertIsNotNone(fused.fuse4)
        self.assertEqual(fused.dec8[0][0].in_channels, 2 * cfg["mem_channels"] + cfg["fusion_dims"][1])

    def test_checkpoints_without_a_decoder_key_are_the_fused_decoder(self):
        legacy = small_cfg()
        del legacy["decoder"]
        self.assertEqual(Yofo(legacy, 30).decoder, "fused")
        with self.assertRaisesRegex(ValueError, "unknown decoder"):
            Yofo(small_cfg(decoder="other"), 30)

    def test_single_scale_ablation_has_language_at_stride_8_only(self):
        for decoder in ("transfer", "fused"):
            full, single = Yofo(small_cfg(decoder=decoder), 30), Yofo(
                small_cfg(decoder=decoder, multi_scale_fusion=False), 30
            )
            self.assertTrue(hasattr(full.fuse16, "key"), decoder)
            self.assertFalse(hasattr(single.fuse16, "key"), decoder)
            self.assertTrue(hasattr(single.fuse8, "key"), decoder)
        self.assertTrue(hasattr(Yofo(small_cfg(decoder="fused"), 30).fuse4, "key"))
        self.assertFalse(hasattr(Yofo(small_cfg(decoder="fused", multi_scale_fusion=False), 30).fuse4, "key"))


class OnlineMemoryTest(unittest.TestCase):
    def test_motion_memory_trains_as_it_runs_online_and_starts_as_the_plain_model(self):
        # The clip forward (training) and the online loop (export, host: a ring that rolls after M frames) must give
        # the same logits with the motion input active; freshly added, it must not change the plain model's output.
        import numpy as np
        from yofo.data import normalise, resize_rgb
        from yofo.online import run_expressions

        torch.manual_seed(5)
        plain = Yofo(small_cfg(), 30).eval()
        moving = Yofo(small_cfg(motion_memory=True), 30).eval()
        moving.load_state_dict(plain.state_dict(), strict=False)
        texts = ["the red circle", "a blue square"]
        tok = Tokenizer(build_vocab(texts), 16)
        rng = np.random.default_rng(6)
        rgbs = [rng.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(7)]  # more frames than M = 4

        def online(model):
            got = []
            run_expressions(model, tok, rgbs, texts, lambda t, logits, masks: got.append(logits))
            return torch.stack(got, 1)  # [E, N, 1, H, W]

        self.assertLess((online(plain) - online(moving)).abs().max().item(), 1e-6)
        for p in moving.parameters():
            p.data.add_(0.05 * torch.randn_like(p))
        cfg = moving.cfg
        frames = torch.stack(
            [normalise(resize_rgb(r, cfg["width"], cfg["height"]), cfg["mean"], cfg["std"]) for r in rgbs]
        )[None]
        with torch.no_grad():
            clip, _ = moving(frames, torch.tensor([tok.encode(t)[0] for t in texts]))
        stepped = online(moving)
        self.assertLess((clip - stepped).abs().max().item(), 1e-4)
        # and the motion input matters once trained: zeroing its weights changes later frames, never the first (no
        # memory yet: the motion map is 0 there)
        for conv in (moving.motion8, moving.motion16):
            conv.weight.data.zero_()
        still = online(moving)
        self.assertLess((still[:, 0] - stepped[:, 0]).abs().max().item(), 1e-6)
        self.assertGreater((still[:, 3:] - stepped[:, 3:]).abs().max().item(), 1e-3)

    def test_memory_length_probe_fits_over_the_last_entries_only(self):
        # run_expressions(memory=L): frame t's theta is fitted over the entries of frames t-L .. t-1 (and t itself);
        # the oracle passes exactly those entries, plus one invalid zero slot so that L = 0 still has memory tensors.
        import numpy as np
        from yofo.data import normalise, resize_rgb
        from yofo.online import run_expressions

        torch.manual_seed(3)
        model = Yofo(small_cfg(), 30).eval()
        for p in model.parameters():
            p.data.add_(0.05 * torch.randn_like(p))
        texts = ["the red circle", "a blue square"]
        tok = Tokenizer(build_vocab(texts), 16)
        rng = np.random.default_rng(4)
        rgbs = [rng.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(5)]
        cfg = model.cfg
        images = [
            normalise(resize_rgb(r, cfg["width"], cfg["height"]), cfg["mean"], cfg["std"])[None].expand(2, -1, -1, -1)
            for r in rgbs
        ]
        tokens = torch.tensor([tok.encode(t)[0] for t in texts])
        word_mask = torch.tensor([tok.encode(t)[1] for t in texts], dtype=torch.float32)
        _, c, h, w = memory_shape(cfg)

        def oracle(length):
            out, entries = [], []
            with torch.no_grad():
                words, sentence = model.text(tokens)
                for t, image in enumerate(images):
                    past = entries[max(0, t - length) : t] if length else []
                    zero = (torch.zeros(2, c, h, w), torch.zeros(2, c, h, w), torch.zeros(2, 1, h, w))
                    mem = [torch.stack([e[i] for e in past] + [zero[i]], 1) for i in range(3)]
                    valid = torch.tensor([[1.0] * len(past) + [0.0]] * 2)
                    logits, x, y, wt = model.frame_step(
                        image, images[max(0, t - 1)], words, word_mask, sentence, *mem, valid
                    )
                    entries.append((x, y, wt))
                    out.append(logits)
            return out

        def run(length=None):
            got = []
            run_expressions(model, tok, rgbs, texts, lambda t, logits, masks: got.append(logits), memory=length)
            return got

        for length in (0, 1, 4):
            for t, (a, b) in enumerate(zip(run(length), oracle(length))):
                self.assertLess((a - b).abs().max().item(), 1e-5, (length, t))
        without, default = run(0), run()
        self.assertLess((without[0] - default[0]).abs().max().item(), 1e-5)  # no past frame yet
        self.assertGreater((without[4] - default[4]).abs().max().item(), 1e-6)


class GroundingProbeTest(unittest.TestCase):
    def test_win_rate_counts_expressions_and_an_oracle_wins(self):
        from yofo.grounding import grounding_win_rate

        split = RefVosSplit(sample_dataset(), "train", 64, 48)
        tok = Tokenizer(build_vocab(i.text for i in split.items), 16)
        model = Yofo(small_cfg(), len(tok.vocab))
        r = grounding_win_rate(model, tok, split, videos=3, frames=2)
        self.assertGreater(r["expressions"], 0)
        self.assertTrue(0 <= r["winRate"] <= 1)

        class Oracle(torch.nn.Module):  # logits = the referred object's mask: it must win every time
            def __init__(self):
                super().__init__()
                self.cfg, self.training = model.cfg, False

            def forward(self, clip, tokens):
                rows = [text_to_item[tuple(t.tolist())] for t in tokens]
                masks = torch.stack(
                    [torch.stack([(split.ids(it.video, f) == it.obj_id).float() for f in it.frames[:2]]) for it in rows]
                )
                return masks[:, :, None] * 2 - 1, None

        text_to_item = {tuple(tok.encode(it.text)[0]): it for it in split.items}
        r = grounding_win_rate(Oracle(), tok, split, videos=3, frames=2)
        self.assertEqual(r["winRate"], 1.0)
        self.assertEqual((r["jWon"], r["jLost"]), (1.0, None))  # the oracle's masks are the referred objects


class CalibrationTest(unittest.TestCase):
    def test_offsets_that_empty_or_fill_every_mask_score_what_the_annotations_say(self):
        import numpy as np
        from yofo.calibrate import calibrate
        from yofo.data import read_ids

        split = RefVosSplit(sample_dataset(), "train", 64, 48)
        tok = Tokenizer(build_vocab(i.text for i in split.items), 16)
        model = Yofo(small_cfg(), len(tok.vocab)).eval()
        r = calibrate(model, tok, split, [-1e4, 0.0, 1e4])
        # all-empty masks: J = 1 exactly where the object is absent; all-full masks: J = the object's area fraction
        absent, area = [], []
        for it in (i for i in split.items if i.obj_id is not None):
            gts = [read_ids(split.annotation_path(it.video, f)) == it.obj_id for f in it.frames]
            absent.append(np.mean([not g.any() for g in gts]))
            area.append(np.mean([g.mean() for g in gts]))
        self.assertEqual(r["expressions"], len(absent))
        self.assertAlmostEqual(r["offsets"][-1e4], float(np.mean(absent)), places=9)
        self.assertAlmostEqual(r["offsets"][1e4], float(np.mean(area)), places=9)
        self.assertEqual(r["best"], max(r["offsets"], key=r["offsets"].get))
        self.assertTrue(0 <= r["emptyAtZero"] <= 1)


class SamplerTest(unittest.TestCase):
    def test_clip_group_prefers_other_objects_of_the_same_video(self):
        split = RefVosSplit(sample_dataset(), "train", 64, 48)
        tok = Tokenizer(build_vocab(i.text for i in split.items), 16)
        sampler = ClipSampler(split, tok, 3, 2, seed=3)
        for _ in range(10):
            frames, masks, tokens, ids, obj_ids = sampler.clip_group(2)
            self.assertEqual(tuple(masks.shape), (2, 3, 48, 64))
            for j in range(2):  # the referred ids name exactly the masks' objects in the id maps
                self.assertTrue(torch.equal(masks[j], (ids == obj_ids[j]).float()))
            self.assertEqual(tuple(tokens.shape), (2, 16))
            self.assertFalse(torch.equal(masks[0], masks[1]))  # every sample video has expressions for several objects
        frames, masks, tokens, ids, obj_ids = sampler.batch(3, [0.5] * 3, [0.25] * 3, expressions_per_clip=2)
        self.assertEqual(
            (frames.shape[0], masks.shape[0], tokens.shape[0], ids.shape[0], obj_ids.shape[0]), (3, 6, 6, 3, 6)
        )


if __name__ == "__main__":
    unittest.main()
