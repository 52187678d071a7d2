"""Shared test fixtures: a small Ref-Shapes sample written by the project's TypeScript generator."""
import os
import shutil
import subprocess
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GENERATOR = os.path.join(REPO, "src", "core", "refshapes", "generate.ts")
_cache = {}


def sample_dataset(videos: int = 3, seed: int = 11, width: int = 64, height: int = 48) -> str:
    """Path of a generated dataset (Ref-YouTube-VOS layout, split "train"), made once per test process."""
    key = (videos, seed, width, height)
    if key not in _cache:
        root = tempfile.mkdtemp(prefix="yofo-test-")
        out = os.path.join(root, "data")
        script = (
            f"import({GENERATOR!r}).then(m => (m.generateRefShapes ?? m.default.generateRefShapes)({out!r}, "
            f"{{videos: {videos}, seed: {seed}, width: {width}, height: {height}}}))"
        )
        run = subprocess.run(["npx", "tsx", "-e", script], cwd=REPO, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"Ref-Shapes generator failed:\n{run.stderr}")
        _cache[key] = out
    return _cache[key]


def temp_dir(test) -> str:
    d = tempfile.mkdtemp(prefix="yofo-test-")
    test.addCleanup(shutil.rmtree, d, True)
    return d


TINY_TRAIN_ARGS = [
    "--width",
    "64",
    "--height",
    "48",
    "--batch",
    "2",
    "--clip-len",
    "3",
    "--threads",
    "1",
    "--warmup",
    "2",
    "--log-every",
    "1",
    "--no-final-eval",
]
