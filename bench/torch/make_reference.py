"""Writes the PyTorch reference fixture for one DIP skip-net training step.

    /usr/bin/python3 bench/torch/make_reference.py [--out-dir test/fixtures] [--threads 2]

Outputs test/fixtures/skip-step.json (metadata, loss values, layout) and test/fixtures/skip-step.bin
(float32 little-endian arrays, NCHW / OIHW, concatenated).

Every input array (z, target, initial parameters) is stored in float32, and the reference is computed
in float64 *from those float32 values*, so the only error left in the reference is the float64
rounding. Outputs, gradients and Adam results are rounded to float32 when stored; the losses are
stored as float64 numbers in the JSON.

Contents:
  * forward/backward of the reflection-pad / bilinear net: loss, output, d loss / d param;
  * the same parameters in a zero-pad / nearest-upsampling net: loss, output, gradients;
  * an Adam known answer: from the initial parameters, three Adam steps (lr 0.01, betas 0.9/0.999,
    eps 1e-8) with the fixed gradients g_t = grads * (1 + 0.5 t), t = 0, 1, 2, where `grads` are the
    *stored float32* gradients of the reflection/bilinear net.

RNG order: torch.manual_seed(0) and numpy seed 0, then the net is built (default PyTorch init), then
z = torch.rand(1, 8, 64, 64) * 0.1 (in float32).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.dont_write_bytecode = True  # keep bench/torch free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from skipnet import SkipNet, param_count, param_shapes  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_IMAGE = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "denoising", "F16_GT.png"))

CONFIG = {
    "inputDepth": 8,
    "height": 64,
    "width": 64,
    "nd": [8, 16, 16, 16, 16],
    "nu": [8, 16, 16, 16, 16],
    "ns": [4, 4, 4, 4, 4],
    "kd": 3,
    "ku": 3,
    "pad": "reflection",
    "upsample": "bilinear",
    "nOut": 3,
    "leakySlope": 0.2,
    "need1x1Up": True,
    "needSigmoid": True,
    "bnEps": 1e-5,
    "zScale": 0.1,
    "seed": 0,
    "targetImage": "shared/data/denoising/F16_GT.png",
    "targetCrop": {"row": 200, "col": 200, "height": 64, "width": 64},
    "loss": "mse_mean",
    "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "steps": 3,
             "gradientScale": "g_t = grads * (1 + 0.5 * t), t = 0, 1, 2"},
}


def build(pad: str, up: str) -> SkipNet:
    c = CONFIG
    return SkipNet(input_depth=c["inputDepth"], n_out=c["nOut"], nd=c["nd"], nu=c["nu"], ns=c["ns"],
                   kd=c["kd"], ku=c["ku"], pad=pad, upsample_mode=up, slope=c["leakySlope"],
                   need1x1_up=c["need1x1Up"], need_sigmoid=c["needSigmoid"])


def forward_backward(net: SkipNet, z: torch.Tensor, target: torch.Tensor):
    net.zero_grad(set_to_none=True)
    out = net(z)
    loss = torch.mean((out - target) ** 2)
    loss.backward()
    grads = [p.grad.detach().clone() for p in net.parameters()]
    return out.detach(), loss.item(), grads


def flat(tensors) -> np.ndarray:
    return np.concatenate([t.detach().reshape(-1).cpu().numpy().astype("<f4") for t in tensors])


def dump_json(meta: dict) -> str:
    """Indented JSON with one line per params[] / layout entry (keeps the file short and diffable)."""
    lines = ["{"]
    items = list(meta.items())
    for i, (k, v) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if k == "params":
            rows = [json.dumps(e) for e in v]
            lines.append(f' "{k}": [\n  ' + ",\n  ".join(rows) + f"\n ]{comma}")
        elif k in ("layout", "config"):
            rows = [f"{json.dumps(kk)}: {json.dumps(vv)}" for kk, vv in v.items()]
            lines.append(f' "{k}": {{\n  ' + ",\n  ".join(rows) + f"\n }}{comma}")
        else:
            lines.append(f" {json.dumps(k)}: {json.dumps(v)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "test", "fixtures"))
    ap.add_argument("--image", default=DEFAULT_IMAGE)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    c = CONFIG
    torch.manual_seed(c["seed"])
    np.random.seed(c["seed"])

    net32 = build(c["pad"], c["upsample"])
    z32 = torch.rand(1, c["inputDepth"], c["height"], c["width"]) * c["zScale"]

    img = np.asarray(Image.open(args.image).convert("RGB"))
    cr = c["targetCrop"]
    crop = img[cr["row"]:cr["row"] + cr["height"], cr["col"]:cr["col"] + cr["width"], :]
    target32 = torch.from_numpy((crop.astype(np.float32) / np.float32(255.0)).transpose(2, 0, 1)[None].copy())

    # Everything below runs in float64 from exactly the float32 values that are stored.
    net = net32.double()
    z = z32.double()
    target = target32.double()
    params0 = [p.detach().clone() for p in net.parameters()]

    out, loss, grads = forward_backward(net, z, target)

    # Same parameters, zero padding + nearest upsampling.
    net_nz = build("zero", "nearest").double()
    net_nz.load_state_dict(net.state_dict())
    for a, b in zip(net.parameters(), net_nz.parameters()):
        assert a.shape == b.shape and torch.equal(a, b)
    out_nz, loss_nz, grads_nz = forward_backward(net_nz, z, target)

    # Adam known answer from the stored (float32-rounded) gradients.
    g32 = [g.float().double() for g in grads]
    adam_params = [p.clone().requires_grad_(True) for p in params0]
    a = c["adam"]
    opt = torch.optim.Adam(adam_params, lr=a["lr"], betas=(a["beta1"], a["beta2"]), eps=a["eps"])
    for t in range(a["steps"]):
        opt.zero_grad(set_to_none=True)
        for p, g in zip(adam_params, g32):
            p.grad = g * (1.0 + 0.5 * t)
        opt.step()

    arrays = [
        ("z", [1, c["inputDepth"], c["height"], c["width"]], flat([z32])),
        ("target", [1, 3, c["height"], c["width"]], flat([target32])),
        ("params", None, flat(params0)),
        ("grads", None, flat(grads)),
        ("output", [1, c["nOut"], c["height"], c["width"]], flat([out])),
        ("adam3", None, flat(adam_params)),
        ("output_nearest_zero", [1, c["nOut"], c["height"], c["width"]], flat([out_nz])),
        ("grads_nearest_zero", None, flat(grads_nz)),
    ]

    shapes = param_shapes(net)
    n_params = param_count(net)
    params_meta = []
    off = 0
    for name, shape in shapes:
        size = int(np.prod(shape))
        params_meta.append({"name": name, "shape": list(shape), "offset": off, "size": size})
        off += size
    assert off == n_params

    layout = {}
    byte_off = 0
    blobs = []
    for name, shape, data in arrays:
        if shape is None:
            shape = [n_params]
        assert data.size == int(np.prod(shape)), (name, data.size, shape)
        layout[name] = {"offset": byte_off, "byteLength": int(data.nbytes), "length": int(data.size),
                        "shape": shape}
        blobs.append(data.tobytes())
        byte_off += data.nbytes

    meta = {
        "description": "PyTorch float64 reference for one DIP skip-net step (bench/torch/make_reference.py). "
                       "Arrays in skip-step.bin are float32 little-endian, NCHW activations, OIHW conv "
                       "weights; params/grads/adam3/grads_nearest_zero are all parameters flattened and "
                       "concatenated in params[] order (element offsets in params[].offset).",
        "torch": torch.__version__,
        "config": c,
        "paramCount": n_params,
        "params": params_meta,
        "loss": loss,
        "loss_nearest_zero": loss_nz,
        "bin": "skip-step.bin",
        "dtype": "float32",
        "endianness": "little",
        "layout": layout,
    }

    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "skip-step.bin"), "wb") as f:
        for b in blobs:
            f.write(b)
    with open(os.path.join(args.out_dir, "skip-step.json"), "w") as f:
        f.write(dump_json(meta))
    print(json.dumps({"paramCount": n_params, "loss": loss, "loss_nearest_zero": loss_nz,
                      "binBytes": byte_off}))


if __name__ == "__main__":
    main()
