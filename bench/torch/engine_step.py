"""Times one DIP training step in PyTorch (float32, CPU) as the speed baseline for deep-prior.

    /usr/bin/python3 bench/torch/engine_step.py --size 256 --channels 128 --warmup 2 --repeats 5 --threads 2

Net: the reference skip net of shared/research/engine.md (32-channel U(0, 0.1) input, 5 levels,
nd = nu = [C]*5, ns = [4]*5, 3x3 kernels, reflection padding, bilinear upsampling, LeakyReLU 0.2,
1x1 up-convs, sigmoid output). Loss: MSE to a fixed random target. Adam lr 0.01 (betas 0.9/0.999,
eps 1e-8).

One timed step = zero_grad, forward on z + N(0, (1/30)^2) (fresh noise each step), loss, backward,
optimizer.step, loss.item(). Prints one JSON line:
  {"size", "channels", "threads", "msMedian", "msMin", "cpuMsMedian", "peakRssMB", "torch", ...}
cpuMsMedian is the process CPU time of a step (all threads), median over the timed steps.
peakRssMB is getrusage(RUSAGE_SELF).ru_maxrss / 1024 (whole process, after all steps).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch

sys.dont_write_bytecode = True  # keep bench/torch free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from skipnet import SkipNet, param_count  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=256, help="H = W (multiple of 32)")
    ap.add_argument("--channels", type=int, default=128, help="nd = nu = [C]*5")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--input-depth", type=int, default=32)
    ap.add_argument("--pad", default="reflection", choices=["reflection", "zero"])
    ap.add_argument("--upsample", default="bilinear", choices=["bilinear", "nearest"])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.size % 32:
        ap.error("--size must be a multiple of 32")
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    c = args.channels
    net = SkipNet(input_depth=args.input_depth, n_out=3, nd=[c] * 5, nu=[c] * 5, ns=[4] * 5, kd=3, ku=3,
                  pad=args.pad, upsample_mode=args.upsample, slope=0.2, need1x1_up=True)
    z = torch.rand(1, args.input_depth, args.size, args.size) * 0.1
    target = torch.rand(1, 3, args.size, args.size)
    noise = torch.empty_like(z)
    reg_noise_std = 1.0 / 30.0
    opt = torch.optim.Adam(net.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-8)

    def step() -> float:
        opt.zero_grad(set_to_none=True)
        out = net(z + noise.normal_() * reg_noise_std)
        loss = torch.mean((out - target) ** 2)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    cpu_times = []
    last_loss = float("nan")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        last_loss = step()
        cpu_times.append((time.process_time() - c0) * 1000.0)
        times.append((time.perf_counter() - t0) * 1000.0)

    print(json.dumps({
        "size": args.size,
        "channels": c,
        "threads": args.threads,
        "msMedian": round(statistics.median(times), 3),
        "msMin": round(min(times), 3),
        "cpuMsMedian": round(statistics.median(cpu_times), 3),
        "peakRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "torch": torch.__version__,
        "warmup": args.warmup,
        "repeats": args.repeats,
        "pad": args.pad,
        "upsample": args.upsample,
        "params": param_count(net),
        "lastLoss": last_loss,
    }))


if __name__ == "__main__":
    main()
