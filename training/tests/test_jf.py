import importlib.util
import os
import unittest

import numpy as np

from yofo.jf import boundary_f, boundary_pixels, region_j

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "reference", "jf_ref.py")


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

    @unittest.skipUnless(os.path.exists(REF), f"{REF} is absent (needs ../shared)")
    def test_matches_reference(self):
        spec = importlib.util.spec_from_file_location("jf_ref", REF)
        ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ref)
        rng = np.random.default_rng(7)
        for gt, pred in random_masks(rng, 400):
            np.testing.assert_array_equal(boundary_pixels(pred), ref.boundary_map(pred))
            self.assertEqual(region_j(gt, pred), ref.region_j(gt, pred))
            self.assertEqual(boundary_f(gt, pred), ref.boundary_f(gt, pred))
            self.assertEqual(boundary_f(gt, pred, 2), ref.boundary_f(gt, pred, 2))


if __name__ == "__main__":
    unittest.main()
