"""YOFO meta-transfer: fit a 1x1 convolution theta that maps image features X to the bi-modal features Y over the
memory bank (valid past entries + the current frame),

    min_theta  sum_i || W_i * (theta X_i - Y_i) ||^2 / N  +  lambda ||theta||^2,     N = sum_i sum_p W_ip,

with a differentiable solver made of matmuls only, so it exports to ONNX opset 17 (torch.linalg.solve/inverse do not):
a few steepest-descent steps with exact line search from a learned initial theta0. The objective is quadratic,
f(theta) = tr(theta A theta^T) - 2 tr(B theta^T) + const with A = sum w x x^T / N + lambda I, B = sum w y x^T / N, so
along G = theta A - B (half the gradient) the exact minimiser is alpha = ||G||^2 / tr(G A G^T)."""
import torch

EPS = 1e-12


def _flat(t: torch.Tensor) -> torch.Tensor:
    """[B, K, C, P] -> [B, C, K*P]: all entries' pixels side by side, so sums over entries and pixels are one matmul."""
    b, k, c, p = t.shape
    return t.transpose(1, 2).reshape(b, c, k * p)


def normal_equations(xs: torch.Tensor, ys: torch.Tensor, ws: torch.Tensor, valid: torch.Tensor, lam: float):
    """xs, ys: [B, K, C, P]; ws: [B, K, 1, P]; valid: [B, K] (1 = entry used). Returns A [B, C, C], B [B, C, C]."""
    w = ws * valid[:, :, None, None]
    n = w.sum(dim=(1, 2, 3)).clamp_min(1e-6)[:, None, None]
    xf, yf, wf = _flat(xs), _flat(ys), _flat(w)  # [B, C, K*P]
    xt = xf.transpose(1, 2)
    a = torch.matmul(xf * wf, xt) / n
    b = torch.matmul(yf * wf, xt) / n
    eye = torch.eye(a.shape[-1], dtype=a.dtype, device=a.device)
    return a + lam * eye, b


def steepest_descent(a: torch.Tensor, b: torch.Tensor, theta0: torch.Tensor, steps: int) -> torch.Tensor:
    """Minimises tr(theta A theta^T) - 2 tr(B theta^T) from theta0 ([C, C] or [B, C, C]); A symmetric positive definite."""
    theta = theta0.expand_as(b)
    for _ in range(steps):
        g = torch.matmul(theta, a) - b
        num = (g * g).sum(dim=(1, 2), keepdim=True)
        den = (torch.matmul(g, a) * g).sum(dim=(1, 2), keepdim=True)
        theta = theta - num / (den + EPS) * g
    return theta


def objective(theta, xs, ys, ws, valid, lam):
    """The fit objective itself (for tests and diagnostics)."""
    w = ws * valid[:, :, None, None]
    n = w.sum(dim=(1, 2, 3)).clamp_min(1e-6)
    r = torch.einsum("bcd,bkdp->bkcp", theta, xs) - ys
    return (w * r * r).sum(dim=(1, 2, 3)) / n + lam * (theta * theta).sum(dim=(1, 2))


def fit_theta(mem_x, mem_y, mem_w, mem_valid, x, y, w, theta0, lam: float, steps: int) -> torch.Tensor:
    """theta [B, C, C] fitted over the memory ([B, M, C, P], [B, M, 1, P], [B, M]) plus the current entry ([B, C, P])."""
    xs = torch.cat([mem_x, x[:, None]], dim=1)
    ys = torch.cat([mem_y, y[:, None]], dim=1)
    ws = torch.cat([mem_w, w[:, None]], dim=1)
    valid = torch.cat([mem_valid, torch.ones_like(mem_valid[:, :1])], dim=1)
    a, b = normal_equations(xs, ys, ws, valid, lam)
    return steepest_descent(a, b, theta0, steps)
