"""PyTorch re-statement of Deep Image Prior's "skip" encoder-decoder (reference only).

Written from the structural description in shared/research/methods.md section 1.3; no code from the
official repository. Used by make_reference.py (test fixtures), engine_step.py (speed baseline) and
fidelity_denoise.py (quality baseline). PyTorch is never a dependency of deep-prior itself.

Structure (N = len(nd) levels, i = 0..N-1):

    level(i, c_in):
      skip_i = [conv(c_in, ns[i], 1), BN(ns[i]), act]                  # only if ns[i] > 0
      deep_i = [conv(c_in, nd[i], kd, stride 2), BN, act,
                conv(nd[i], nd[i], kd), BN, act,
                level(i+1, nd[i])                                     # only if i < N-1
                Upsample x2]
      k = nu[i+1] if i < N-1 else nd[i]
      body_i = [Concat(skip_i, deep_i) (or deep_i alone if ns[i] == 0),
                BN(ns[i] + k), conv(ns[i] + k, nu[i], ku), BN(nu[i]), act,
                conv(nu[i], nu[i], 1), BN(nu[i]), act]               # the 1x1 part is "need1x1_up"
    net = [level(0, input_depth), conv(nu[0], n_out, 1), Sigmoid]

Modules are registered in exactly that order, so ``net.parameters()`` yields: skip conv w, b, skip BN
w, b; down conv w, b, BN w, b, conv w, b, BN w, b; (recursively) level i+1; body BN w, b, up conv w,
b, BN w, b, 1x1 conv w, b, BN w, b; finally the output conv w, b. The TypeScript side creates its
parameters in the same order.

Parameter names do not depend on the padding mode or the upsampler (the padding is a parameter-free
sub-module), so a state_dict can be moved between the reflection/bilinear and zero/nearest variants.

BatchNorm always normalises with the statistics of the current batch (``track_running_stats=False``),
i.e. it behaves like the official code, which never switches the net to eval mode.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import List, Sequence, Tuple

import torch
from torch import nn


def _as_list(v, n: int, name: str) -> List:
    if isinstance(v, (list, tuple)):
        if len(v) != n:
            raise ValueError(f"{name} has {len(v)} entries, expected {n}")
        return list(v)
    return [v] * n


class Conv(nn.Module):
    """conv(c_in, c_out, k, stride): reflection pad + Conv2d(padding 0), or Conv2d(zero padding).

    Always with bias. Padding is (k - 1) // 2 on every side. Default PyTorch init of nn.Conv2d
    (Kaiming-uniform with a = sqrt(5) for the weight, U(+-1/sqrt(fan_in)) for the bias).
    """

    def __init__(self, c_in: int, c_out: int, k: int, stride: int = 1, pad: str = "reflection"):
        super().__init__()
        p = (k - 1) // 2
        if pad == "reflection":
            self.pad = nn.ReflectionPad2d(p) if p > 0 else nn.Identity()
            self.conv = nn.Conv2d(c_in, c_out, k, stride=stride, padding=0, bias=True)
        elif pad == "zero":
            self.pad = nn.Identity()
            self.conv = nn.Conv2d(c_in, c_out, k, stride=stride, padding=p, bias=True)
        else:
            raise ValueError(f"unknown pad mode {pad!r} (reflection | zero)")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(self.pad(x))


def BN(c: int) -> nn.BatchNorm2d:
    """BatchNorm2d(eps 1e-5), affine, always using the current batch's statistics."""
    return nn.BatchNorm2d(c, eps=1e-5, affine=True, track_running_stats=False)


def act(slope: float) -> nn.Module:
    return nn.LeakyReLU(slope)


def upsample(mode: str) -> nn.Module:
    if mode == "bilinear":
        return nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
    if mode == "nearest":
        return nn.Upsample(scale_factor=2, mode="nearest")
    raise ValueError(f"unknown upsample mode {mode!r} (bilinear | nearest)")


def _centre_crop(x: torch.Tensor, h: int, w: int) -> torch.Tensor:
    dh = (x.shape[2] - h) // 2
    dw = (x.shape[3] - w) // 2
    return x[:, :, dh:dh + h, dw:dw + w]


class Concat(nn.Module):
    """Concatenates the outputs of its branches along channels.

    Like the official Concat, inputs of different spatial sizes are centre-cropped to the smallest
    one; with H, W multiples of 2**N (as required) the sizes are always equal.
    """

    def __init__(self, skip: nn.Module, deep: nn.Module):
        super().__init__()
        self.skip = skip
        self.deep = deep

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.skip(x)
        b = self.deep(x)
        if a.shape[2:] != b.shape[2:]:
            h = min(a.shape[2], b.shape[2])
            w = min(a.shape[3], b.shape[3])
            a, b = _centre_crop(a, h, w), _centre_crop(b, h, w)
        return torch.cat([a, b], dim=1)


def _level(i: int, c_in: int, nd, nu, ns, kd, ku, pad, up, slope, need1x1_up) -> nn.Sequential:
    n = len(nd)
    body = OrderedDict()
    skip = None
    if ns[i] > 0:
        skip = nn.Sequential(OrderedDict([
            ("conv", Conv(c_in, ns[i], 1, 1, pad)),
            ("bn", BN(ns[i])),
            ("act", act(slope)),
        ]))
    deep = OrderedDict([
        ("down", Conv(c_in, nd[i], kd[i], 2, pad)),
        ("down_bn", BN(nd[i])),
        ("down_act", act(slope)),
        ("conv", Conv(nd[i], nd[i], kd[i], 1, pad)),
        ("bn", BN(nd[i])),
        ("act", act(slope)),
    ])
    if i < n - 1:
        deep[f"level{i + 1}"] = _level(i + 1, nd[i], nd, nu, ns, kd, ku, pad, up, slope, need1x1_up)
        k = nu[i + 1]
    else:
        k = nd[i]
    deep["up"] = upsample(up[i])
    deep = nn.Sequential(deep)
    body["cat"] = Concat(skip, deep) if skip is not None else deep
    body["cat_bn"] = BN(ns[i] + k)
    body["up_conv"] = Conv(ns[i] + k, nu[i], ku[i], 1, pad)
    body["up_bn"] = BN(nu[i])
    body["up_act"] = act(slope)
    if need1x1_up:
        body["conv1x1"] = Conv(nu[i], nu[i], 1, 1, pad)
        body["bn1x1"] = BN(nu[i])
        body["act1x1"] = act(slope)
    return nn.Sequential(body)


class SkipNet(nn.Module):
    """The DIP skip network. See the module docstring for the exact structure."""

    def __init__(
        self,
        input_depth: int = 32,
        n_out: int = 3,
        nd: Sequence[int] = (128,) * 5,
        nu: Sequence[int] = (128,) * 5,
        ns: Sequence[int] = (4,) * 5,
        kd=3,
        ku=3,
        pad: str = "reflection",
        upsample_mode="bilinear",
        slope: float = 0.2,
        need1x1_up: bool = True,
        need_sigmoid: bool = True,
    ):
        super().__init__()
        n = len(nd)
        if len(nu) != n or len(ns) != n:
            raise ValueError("nd, nu and ns must have the same length")
        kd = _as_list(kd, n, "kd")
        ku = _as_list(ku, n, "ku")
        up = _as_list(upsample_mode, n, "upsample_mode")
        self.num_levels = n
        self.level0 = _level(0, input_depth, list(nd), list(nu), list(ns), kd, ku, pad, up, slope,
                             need1x1_up)
        self.out_conv = Conv(nu[0], n_out, 1, 1, pad)
        self.out_act = nn.Sigmoid() if need_sigmoid else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        m = 2 ** self.num_levels
        if x.shape[2] % m or x.shape[3] % m:
            raise ValueError(f"H and W must be multiples of {m}, got {tuple(x.shape[2:])}")
        return self.out_act(self.out_conv(self.level0(x)))


def param_shapes(net: nn.Module) -> List[Tuple[str, Tuple[int, ...]]]:
    """(name, shape) of every parameter, in net.parameters() order."""
    return [(name, tuple(p.shape)) for name, p in net.named_parameters()]


def param_count(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


if __name__ == "__main__":
    # Quick self-check: print the parameter list of the default (denoising) net.
    torch.manual_seed(0)
    net = SkipNet()
    for name, shape in param_shapes(net):
        print(name, shape)
    print("parameters:", param_count(net))
