"""Two-process DistributedDataParallel training on CPU (gloo): the ranks see different clips but must end with
identical weights, different from the initial ones."""
import io
import os
import socket
import sys
import unittest
from contextlib import redirect_stdout

import torch
import torch.multiprocessing as mp

from helpers import TINY_TRAIN_ARGS, sample_dataset, temp_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker(rank: int, world: int, port: int, data: str, out: str, tests_dir: str) -> None:
    sys.path.insert(0, tests_dir)
    os.environ.update(
        {
            "RANK": str(rank),
            "LOCAL_RANK": str(rank),
            "WORLD_SIZE": str(world),
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(port),
        }
    )
    from yofo import train

    with redirect_stdout(io.StringIO()):
        model = train.main(
            ["--data", data, "--out", os.path.join(out, "run"), "--steps", "3", "--seed", "4"] + TINY_TRAIN_ARGS
        )
    torch.save(model.state_dict(), os.path.join(out, f"rank{rank}.pt"))


class DDPTest(unittest.TestCase):
    def test_two_ranks_end_with_the_same_weights(self):
        data = sample_dataset()
        out = temp_dir(self)
        mp.spawn(
            worker, args=(2, free_port(), data, out, os.path.dirname(os.path.abspath(__file__))), nprocs=2, join=True
        )
        a = torch.load(os.path.join(out, "rank0.pt"))
        b = torch.load(os.path.join(out, "rank1.pt"))
        torch.manual_seed(4)
        from yofo.model import Yofo

        init = Yofo(
            torch.load(os.path.join(out, "run", "last.pt"))["cfg"],
            len(torch.load(os.path.join(out, "run", "last.pt"))["vocab"]),
        ).state_dict()
        changed = 0
        for k in a:
            torch.testing.assert_close(a[k], b[k], rtol=0, atol=1e-6, msg=f"{k} differs between ranks")
            changed += int(not torch.equal(a[k], init[k]))
        self.assertGreater(changed, len(a) // 2, "training changed too few tensors")


if __name__ == "__main__":
    unittest.main()
