"""DAVIS 2017 J (region IoU) and F (boundary F-measure) for binary masks, matching ../shared/reference/jf_ref.py:
J = IoU (1 when both masks are empty); F matches 1-pixel boundary maps within ceil(0.008 * diagonal) pixels using a
disk-shaped dilation. Expression scores are frame means; split scores are means over expressions."""
import math
from typing import Dict, Iterable, List

import cv2
import numpy as np


def region_j(gt: np.ndarray, pred: np.ndarray) -> float:
    gt = gt.astype(bool)
    pred = pred.astype(bool)
    union = int(np.logical_or(gt, pred).sum())
    return 1.0 if union == 0 else int(np.logical_and(gt, pred).sum()) / union


def boundary_pixels(mask: np.ndarray) -> np.ndarray:
    """Pixels whose value differs from the east, south or south-east neighbour (outside the image counts as equal,
    except that the last row / column still compare along the image edge); the bottom-right pixel is never boundary."""
    m = mask.astype(bool)
    h, w = m.shape
    padded = np.pad(m, ((0, 1), (0, 1)), mode="edge")
    b = (m != padded[:h, 1:]) | (m != padded[1:, :w]) | (m != padded[1:, 1:])
    # Last row: only the east neighbour counts; last column: only the south one (the DAVIS seg2bmap convention).
    b[h - 1, :] = m[h - 1, :] != padded[h - 1, 1:]
    b[:, w - 1] = m[:, w - 1] != padded[1:, w - 1]
    b[h - 1, w - 1] = False
    return b


def _disk(radius: int) -> np.ndarray:
    r = int(radius)
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    return (xx * xx + yy * yy <= r * r).astype(np.uint8)


def boundary_f(gt: np.ndarray, pred: np.ndarray, bound_th: float = 0.008) -> float:
    h, w = gt.shape
    tol = bound_th if bound_th >= 1 else math.ceil(bound_th * math.hypot(h, w))
    bp, bg = boundary_pixels(pred), boundary_pixels(gt)
    n_p, n_g = int(bp.sum()), int(bg.sum())
    if n_p == 0 and n_g == 0:
        return 1.0
    if n_p == 0 or n_g == 0:
        return 0.0
    se = _disk(tol)
    near_g = cv2.dilate(bg.astype(np.uint8), se).astype(bool)
    near_p = cv2.dilate(bp.astype(np.uint8), se).astype(bool)
    precision = int((bp & near_g).sum()) / n_p
    recall = int((bg & near_p).sum()) / n_g
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


class ScoreTable:
    """Per-expression J and F (frame means), aggregated overall and per category."""

    def __init__(self) -> None:
        self.rows: List[Dict] = []

    def add(self, video: str, exp_id: str, category: str, js: Iterable[float], fs: Iterable[float]) -> None:
        js, fs = list(js), list(fs)
        self.rows.append(
            {
                "video": video,
                "exp": exp_id,
                "category": category or "",
                "J": float(np.mean(js)),
                "F": float(np.mean(fs)),
            }
        )

    @staticmethod
    def _summary(rows: List[Dict]) -> Dict[str, float]:
        j = float(np.mean([r["J"] for r in rows])) if rows else 0.0
        f = float(np.mean([r["F"] for r in rows])) if rows else 0.0
        return {"J": j, "F": f, "JF": (j + f) / 2, "expressions": len(rows)}

    def summary(self) -> Dict:
        out = self._summary(self.rows)
        cats = sorted({r["category"] for r in self.rows if r["category"]})
        out["categories"] = {c: self._summary([r for r in self.rows if r["category"] == c]) for c in cats}
        return out
