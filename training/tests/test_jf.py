import json
import os
import unittest

import numpy as np
from PIL import Image

from yofo.jf import boundary_f, boundary_pixels, region_j

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "davis2017-masks")


def random_masks(rng, n):
    for i in range(n):
        h, w = rng.integers(3, 60, size=2)
        kind = i % 4
        if kind == 0:
            yield rng.random((h, w)) < 0.5, rng.random((h, w)) < 0.5
        elif kind == 1:  # blobs: smooth masks with real boundaries
            a = np.zeros((h, w), bool)
            b = np.zeros((h, w), bool)
            a[rng.integers(0, h) :, rng.integers(0, w) :] = True
            b[: rng.integers(0, h + 1), : rng.integers(0, w + 1)] = True
            yield a, b
        elif kind == 2:
            yield np.zeros((h, w), bool), rng.random((h, w)) < 0.1
        else:
            m = rng.random((h, w)) < 0.3
            yield m, m.copy()


class JFTest(unittest.TestCase):
    def test_known_values(self):
        a = np.zeros((10, 10), bool)
        a[2:6, 2:6] = True
        b = np.zeros((10, 10), bool)
        b[4:8, 2:6] = True
        self.assertAlmostEqual(region_j(a, b), 8 / 24)
        self.assertEqual(region_j(np.zeros((4, 4)), np.zeros((4, 4))), 1.0)
        self.assertEqual(boundary_f(np.zeros((4, 4)), np.zeros((4, 4))), 1.0)
        self.assertEqual(boundary_f(a, np.zeros((10, 10))), 0.0)
        self.assertEqual(boundary_f(a, a), 1.0)
        self.assertFalse(boundary_pixels(np.ones((5, 5), bool)).any())

    def test_matches_davis_reference_on_real_masks(self):
        # The repository's golden fixture: J and F of the DAVIS 2017 reference evaluation on real mask pairs.
        with open(os.path.join(FIXTURE, "expected.json")) as f:
            pairs = json.load(f)["pairs"]
        self.assertEqual(len(pairs), 798)
        masks = {}

        def load(method, seq, frame):
            key = (method, seq, frame)
            if key not in masks:
                masks[key] = np.array(Image.open(os.path.join(FIXTURE, method, seq, f"{frame}.png")))
            return masks[key]

        for p in pairs[::3]:  # every third pair: all sequences, objects and empty cases, a third of the time
            gt = load("osvos", p["sequence"], p["frame"]) == p["object"]
            pred = load("rvos", p["sequence"], p["frame"]) == p["object"]
            label = f'{p["sequence"]}/{p["frame"]} object {p["object"]}'
            self.assertAlmostEqual(region_j(gt, pred), p["J"], delta=1e-9, msg=label)
            self.assertAlmostEqual(boundary_f(gt, pred), p["F"], delta=1e-9, msg=label)

    def test_random_masks_are_consistent(self):
        rng = np.random.default_rng(7)
        for gt, pred in random_masks(rng, 200):
            self.assertEqual(region_j(gt, gt), 1.0)
            self.assertEqual(region_j(gt, pred), region_j(pred, gt))
            self.assertEqual(boundary_f(pred, pred), 1.0)
            self.assertTrue(0.0 <= boundary_f(gt, pred) <= 1.0)


if __name__ == "__main__":
    unittest.main()
