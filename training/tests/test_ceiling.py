"""yofo.ceiling: per-object scores, the oracle selection and the size counts."""
import json
import os
import unittest

import numpy as np
import torch

from helpers import sample_dataset
from yofo.ceiling import ceiling, clip_scores, object_sizes
from yofo.config import preset
from yofo.data import RefVosSplit
from yofo.model import Yofo
from yofo.tokenizer import Tokenizer, build_vocab


class CeilingTest(unittest.TestCase):
    def test_clip_scores_match_the_object_a_mask_covers(self):
        a = np.zeros((20, 40), bool)
        b = a.copy()
        a[:, :10] = True
        b[:, 30:] = True
        gts = {1: [a, a], 2: [b, b]}
        table = clip_scores({"0": [a, a], "1": [b, np.zeros_like(b)]}, gts)
        self.assertEqual(table["0"][1], 1.0)
        self.assertEqual(table["0"][2], 0.0)
        self.assertAlmostEqual(table["1"][2], 0.5)  # one perfect frame, one empty one

    def test_oracle_is_at_least_the_model_and_sizes_count_every_object(self):
        data = sample_dataset()
        cfg = dict(preset("tiny"), width=64, height=48)
        split = RefVosSplit(data, "train", 64, 48)
        torch.manual_seed(2)
        model = Yofo(cfg, 200).eval()
        tok = Tokenizer(build_vocab(it.text for it in split.items), 16)
        result = ceiling(model, tok, split)
        self.assertAlmostEqual(result["JF"], result["online"]["JF"], places=6)
        self.assertGreaterEqual(result["oracleJF"], result["JF"])
        for cat in result["categories"].values():
            self.assertGreaterEqual(cat["oracleJF"] + 1e-12, cat["JF"])
        with open(os.path.join(data, "train", "meta.json")) as f:
            meta = json.load(f)["videos"]
        sizes = object_sizes(split)
        self.assertEqual(sizes["objects"], sum(len(v["objects"]) for v in meta.values()))
        self.assertLessEqual(sizes["under12px"], sizes["under20px"])
        self.assertLessEqual(sizes["under20px"], sizes["under30px"])
        self.assertLessEqual(sizes["under30px"], sizes["objects"])


if __name__ == "__main__":
    unittest.main()
