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
                one, one_aux = model(frames[row // 3: row // 3 + 1], tokens[row: row + 1])
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

    def test_without_meta_transfer_the_memory_is_ignored(self):
        torch.manual_seed(2)
        model = Yofo(small_cfg(meta_transfer=False), 30).eval()
        m, c, h, w = memory_shape(model.cfg)
        args = [torch.randn(1, 3, 48, 64), torch.randn(1, 3, 48, 64), *model.text(torch.tensor([[3, 4] + [0] * 14]))]
        word_mask = torch.tensor([[1.0, 1.0] + [0.0] * 14])
        with torch.no_grad():
            outs = [model.frame_step(args[0], args[1], args[2], word_mask, args[3], torch.randn(1, m, c, h, w) * s,
                                     torch.randn(1, m, c, h, w) * s, torch.rand(1, m, 1, h, w), torch.ones(1, m))[0] for s in (1.0, 5.0)]
        self.assertTrue(torch.equal(outs[0], outs[1]))

    def test_single_scale_ablation_has_no_language_at_strides_16_and_4(self):
        full, single = Yofo(small_cfg(), 30), Yofo(small_cfg(multi_scale_fusion=False), 30)
        self.assertTrue(hasattr(full.fuse16, "key") and hasattr(full.fuse4, "key"))
        self.assertFalse(hasattr(single.fuse16, "key") or hasattr(single.fuse4, "key"))
        self.assertTrue(hasattr(single.fuse8, "key"))


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
                masks = torch.stack([torch.stack([(split.ids(it.video, f) == it.obj_id).float() for f in it.frames[:2]]) for it in rows])
                return masks[:, :, None] * 2 - 1, None

        text_to_item = {tuple(tok.encode(it.text)[0]): it for it in split.items}
        r = grounding_win_rate(Oracle(), tok, split, videos=3, frames=2)
        self.assertEqual(r["winRate"], 1.0)


class SamplerTest(unittest.TestCase):
    def test_clip_group_prefers_other_objects_of_the_same_video(self):
        split = RefVosSplit(sample_dataset(), "train", 64, 48)
        tok = Tokenizer(build_vocab(i.text for i in split.items), 16)
        sampler = ClipSampler(split, tok, 3, 2, seed=3)
        for _ in range(10):
            frames, masks, tokens = sampler.clip_group(2)
            self.assertEqual(tuple(masks.shape), (2, 3, 48, 64))
            self.assertEqual(tuple(tokens.shape), (2, 16))
            self.assertFalse(torch.equal(masks[0], masks[1]))  # every sample video has expressions for several objects
        frames, masks, tokens = sampler.batch(3, [0.5] * 3, [0.25] * 3, expressions_per_clip=2)
        self.assertEqual((frames.shape[0], masks.shape[0], tokens.shape[0]), (3, 6, 6))


if __name__ == "__main__":
    unittest.main()
