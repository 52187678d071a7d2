"""yofo.memprobe: per-frame J&F of one model under several memory lengths, split by the referred object's visibility."""
import contextlib
import io
import unittest

import numpy as np
import torch

from helpers import sample_dataset
from test_model import small_cfg
from yofo.data import RefVosSplit
from yofo.memprobe import (
    POSITION_BUCKETS,
    VISIBILITY_BUCKETS,
    bootstrap_interval,
    compare,
    frame_buckets,
    frame_scores,
    main,
    visibility_bucket,
)
from yofo.model import Yofo
from yofo.tokenizer import Tokenizer, build_vocab


class MemoryProbeTest(unittest.TestCase):
    def test_visibility_is_the_share_of_the_objects_largest_area(self):
        self.assertEqual(
            [visibility_bucket(a, 100) for a in (0, 1, 34, 35, 79, 80, 100)],
            [
                "absent",
                "visible < 35%",
                "visible < 35%",
                "visible 35-80%",
                "visible 35-80%",
                "visible >= 80%",
                "visible >= 80%",
            ],
        )

    def test_bootstrap_over_groups_brackets_the_group_means(self):
        groups = np.array([0, 0, 0, 1, 2, 2])
        self.assertEqual(bootstrap_interval(groups, np.full(6, 0.25)), (0.25, 0.25))
        values = np.array([0.0, 0.0, 0.0, 1.0, 0.5, 0.5])  # group means 0, 1, 0.5
        low, high = bootstrap_interval(groups, values)
        self.assertTrue(0.0 <= low < values.mean() < high <= 1.0)

    def test_runs_share_the_first_frame_and_buckets_cover_every_scored_frame(self):
        torch.manual_seed(5)
        split = RefVosSplit(sample_dataset(), "train", 64, 48)
        tok = Tokenizer(build_vocab(i.text for i in split.items), 16)
        model = Yofo(small_cfg(), len(tok.vocab)).eval()
        for p in model.parameters():  # a random model whose memory changes its masks
            p.data.add_(0.05 * torch.randn_like(p))
        buckets = frame_buckets(split)
        summaries, runs = {}, {}
        for m in (0, 2):
            summaries[m], runs[m] = frame_scores(model, tok, split, m)
        scored = [it for it in split.items if it.obj_id is not None]
        self.assertEqual(set(runs[0]), set(buckets))
        self.assertEqual(len(buckets), sum(len(it.frames) for it in scored))
        # the per-frame records are the frames evaluate_split averaged into its expression means
        per_expression = [np.mean([runs[0][(it.video, it.exp_id, t)] for t in range(len(it.frames))]) for it in scored]
        self.assertAlmostEqual(float(np.mean(per_expression)), summaries[0]["JF"], places=9)
        # every expression whose object appears has its largest frame in the top bucket
        for it in scored:
            names = {buckets[(it.video, it.exp_id, t)][0] for t in range(len(it.frames))}
            self.assertTrue(names == {"absent"} or "visible >= 80%" in names)

        rows = {r["bucket"]: r for r in compare(buckets, runs, resamples=200)}
        total = rows["all"]["frames"]
        self.assertEqual(total, len(buckets))
        self.assertEqual(sum(rows[b]["frames"] for b in VISIBILITY_BUCKETS if b in rows), total)
        self.assertEqual(sum(rows[b]["frames"] for b in POSITION_BUCKETS), total)
        first = rows["first frame"]["difference"]["2"]
        self.assertEqual((first["JF"], first["low"], first["high"]), (0.0, 0.0, 0.0))  # no past frames yet
        later = rows["later frames"]["difference"]["2"]
        self.assertNotEqual(later["JF"], 0.0)
        self.assertLessEqual(later["low"], later["JF"])
        self.assertLessEqual(later["JF"], later["high"])

    def test_memory_lengths_are_validated(self):
        for bad in ("4", "0,x", "0,-1", "4,4"):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
                main([sample_dataset(), "--checkpoint", "unused.pt", "--memory", bad])


if __name__ == "__main__":
    unittest.main()
