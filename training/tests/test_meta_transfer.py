import unittest

import torch

from yofo.meta_transfer import fit_theta, normal_equations, objective, steepest_descent


def problem(seed=0, b=2, m=3, c=6, p=50):
    g = torch.Generator().manual_seed(seed)
    mem_x = torch.randn(b, m, c, p, generator=g, dtype=torch.float64)
    true = torch.randn(b, c, c, generator=g, dtype=torch.float64)
    mem_y = torch.einsum("bcd,bmdp->bmcp", true, mem_x) + 0.3 * torch.randn(
        b, m, c, p, generator=g, dtype=torch.float64
    )
    mem_w = torch.rand(b, m, 1, p, generator=g, dtype=torch.float64)
    x = torch.randn(b, c, p, generator=g, dtype=torch.float64)
    y = torch.randn(b, c, p, generator=g, dtype=torch.float64)
    w = torch.rand(b, 1, p, generator=g, dtype=torch.float64)
    valid = torch.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype=torch.float64)
    return mem_x, mem_y, mem_w, valid, x, y, w


def all_entries(mem_x, mem_y, mem_w, valid, x, y, w):
    return (
        torch.cat([mem_x, x[:, None]], 1),
        torch.cat([mem_y, y[:, None]], 1),
        torch.cat([mem_w, w[:, None]], 1),
        torch.cat([valid, torch.ones_like(valid[:, :1])], 1),
    )


class MetaTransferTest(unittest.TestCase):
    lam = 0.1

    def test_each_step_reduces_the_objective(self):
        p = problem()
        xs, ys, ws, valid = all_entries(*p)
        a, b = normal_equations(xs, ys, ws, valid, self.lam)
        theta0 = torch.eye(6, dtype=torch.float64)
        previous = objective(theta0.expand(2, 6, 6), xs, ys, ws, valid, self.lam)
        for steps in range(1, 6):
            current = objective(steepest_descent(a, b, theta0, steps), xs, ys, ws, valid, self.lam)
            self.assertTrue(bool((current < previous).all()), f"step {steps}: {current} !< {previous}")
            previous = current

    def test_converges_to_the_closed_form_ridge_solution(self):
        p = problem(seed=3)
        xs, ys, ws, valid = all_entries(*p)
        w = ws * valid[:, :, None, None]
        n = w.sum(dim=(1, 2, 3))
        # Closed form: theta (X W X^T / n + lambda I) = Y W X^T / n, solved directly.
        xf = xs.transpose(1, 2).reshape(2, 6, -1)
        yf = ys.transpose(1, 2).reshape(2, 6, -1)
        wf = w.transpose(1, 2).reshape(2, 1, -1)
        lhs = (xf * wf) @ xf.transpose(1, 2) / n[:, None, None] + self.lam * torch.eye(6, dtype=torch.float64)
        rhs = (yf * wf) @ xf.transpose(1, 2) / n[:, None, None]
        exact = torch.linalg.solve(lhs, rhs.transpose(1, 2)).transpose(1, 2)
        fitted = fit_theta(*p[:4], *p[4:], torch.zeros(6, 6, dtype=torch.float64), self.lam, 300)
        torch.testing.assert_close(fitted, exact, atol=1e-8, rtol=1e-6)
        # Invalid memory slots must not matter, whatever they hold.
        junk = [t.clone() for t in p]
        junk[0][1, 1:] = 1e3
        junk[1][0, 2] = -1e3
        torch.testing.assert_close(
            fit_theta(*junk[:4], *junk[4:], torch.zeros(6, 6, dtype=torch.float64), self.lam, 300),
            exact,
            atol=1e-8,
            rtol=1e-6,
        )

    def test_gradients_flow_to_all_inputs(self):
        p = [t.clone().float().requires_grad_(True) for t in problem(seed=5)]
        theta0 = torch.eye(6, requires_grad=True)
        fit_theta(*p[:4], *p[4:], theta0, self.lam, 3).sum().backward()
        for name, t in zip(["mem_x", "mem_y", "mem_w", "x", "y", "w"], p[:3] + p[4:]):
            self.assertTrue(torch.isfinite(t.grad).all() and t.grad.abs().sum() > 0, name)
        self.assertTrue(theta0.grad.abs().sum() > 0)


if __name__ == "__main__":
    unittest.main()
