"""PyTorch re-statement of the official DIP denoising loop (quality baseline for deep-prior).

    /usr/bin/python3 bench/torch/fidelity_denoise.py --image clean.png --noisy noisy.png \
        --crop 256 --iterations 3000 --every 250 --seed 0 --threads 2 --channels 128

Follows shared/research/methods.md section 1.5 (denoising notebook), re-written from that description:
  * net: skip, nd = nu = [C]*5 (C = --channels, 128 in the notebook), ns = [4]*5, 3x3 kernels,
    stride-2 down, bilinear up, reflection padding, LeakyReLU 0.2, 1x1 up-convs, sigmoid;
  * input z: 32 channels U(0, 1) * 0.1 at the image size; each step uses z + N(0, reg_noise_std^2)
    (fresh noise, reg_noise_std = 1/30); loss MSE(net(z'), noisy); Adam lr 0.01 on the net's parameters;
  * exponential smoothing of the outputs: avg <- 0.99 * avg + 0.01 * out (avg = first output);
  * backtracking: with a counter i (starting at 0), at every step where i % show_every != 0
    (show_every = 100): if PSNR(out, noisy) is more than 5 dB below the last stored value, the
    parameters are restored from the stored copy, and the Adam step that follows still applies the
    gradient just computed (Adam's moments are kept); otherwise the parameters and that PSNR are
    stored. As in the notebook, the counter i is NOT advanced on a fallback step, so after a
    fallback the backtracking schedule lags the step count by one.
  All PSNRs are measured on the output of the training forward pass (with the perturbed input),
  exactly as the notebook does; PSNR = -10 log10(mse) on [0, 1] RGB, all pixels and channels.

Images: --image is the clean image (used only for PSNR); --noisy is the noisy observation as a PNG
(written by the TypeScript side so both use the same noise; 8-bit quantised). The clean image is
centre-cropped to crop x crop with top = (H - crop) // 2, left = (W - crop) // 2. The noisy image gets
the same centre crop when it is larger than crop x crop (so an uncropped noisy image of the clean
image's size is aligned with it); if it is exactly crop x crop it is used as is. --crop 0 keeps the
largest centred region whose sides are multiples of 32 (the notebook's crop).

Start: by default the weights get PyTorch's default init and z is drawn here (seeded by --seed);
--init STEM loads both from deep-prior's STEM.json/STEM.bin instead (bench/fidelity.ts --init shared),
and --seed then only seeds the reg-noise draws.

Output: one JSON line per --every steps: {"iteration", "psnr", "psnrSmoothed", "seconds"} where
iteration counts completed Adam steps (1-based; the line describes the output computed in that step),
psnr is the raw output's PSNR vs the clean image, psnrSmoothed the smoothed output's, seconds the wall
time since the loop started. Last line: {"done": true, "bestPsnrSmoothed", "bestIteration", "seconds",
...} with the best smoothed PSNR over all steps.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.dont_write_bytecode = True  # keep bench/torch free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from skipnet import SkipNet  # noqa: E402


def load_rgb(path: str) -> np.ndarray:
    """H x W x 3 float32 in [0, 1]."""
    return np.asarray(Image.open(path).convert("RGB")).astype(np.float32) / np.float32(255.0)


def centre_crop(img: np.ndarray, h: int, w: int) -> np.ndarray:
    top = (img.shape[0] - h) // 2
    left = (img.shape[1] - w) // 2
    return img[top:top + h, left:left + w]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else -10.0 * math.log10(mse)


def load_initial_state(path: str, net: torch.nn.Module, z_shape) -> torch.Tensor:
    """Loads deep-prior's starting point (bench/fidelity --init shared) into net; returns z."""
    stem = path[:-4] if path.endswith(".bin") else path
    with open(stem + ".json") as f:
        meta = json.load(f)
    flat = np.fromfile(stem + ".bin", dtype="<f4")
    params = list(net.parameters())
    shapes = [list(s) for s in meta["paramShapes"]]
    if shapes != [list(p.shape) for p in params]:
        raise SystemExit(f"{stem}.json: parameter shapes differ from this net's ({len(shapes)} vs {len(params)} tensors)")
    if list(meta["inputShape"]) != list(z_shape):
        raise SystemExit(f"{stem}.json: input shape {meta['inputShape']} differs from {list(z_shape)}")
    offset = 0
    with torch.no_grad():
        for p in params:
            n = p.numel()
            p.copy_(torch.from_numpy(flat[offset:offset + n].copy()).reshape(p.shape))
            offset += n
    z_size = int(np.prod(z_shape))
    if offset + z_size != flat.size:
        raise SystemExit(f"{stem}.bin: {flat.size} values, expected {offset + z_size}")
    return torch.from_numpy(flat[offset:].copy()).reshape(z_shape)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--image", required=True, help="clean image (PSNR reference)")
    ap.add_argument("--noisy", required=True, help="noisy observation (PNG)")
    ap.add_argument("--crop", type=int, default=256, help="centre crop size (multiple of 32); 0 = crop to /32")
    ap.add_argument("--iterations", type=int, default=3000)
    ap.add_argument("--every", type=int, default=250, help="print a progress line every N steps")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels", type=int, default=128)
    ap.add_argument("--input-depth", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--reg-noise-std", type=float, default=1.0 / 30.0)
    ap.add_argument("--exp-weight", type=float, default=0.99)
    ap.add_argument("--show-every", type=int, default=100, help="backtracking is skipped when i %% this == 0")
    ap.add_argument("--save", default=None, help="optional: write the final smoothed output here (PNG)")
    ap.add_argument("--init", default=None,
                    help="start from this initial state instead of drawing one: INIT.json (paramShapes, "
                         "inputShape) beside INIT.bin (float32 LE: every parameter in parameters() order, then z)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    clean_full = load_rgb(args.image)
    noisy_full = load_rgb(args.noisy)
    if args.crop == 0:
        ch, cw = (clean_full.shape[0] // 32) * 32, (clean_full.shape[1] // 32) * 32
    else:
        if args.crop % 32:
            ap.error("--crop must be a multiple of 32 (or 0)")
        ch = cw = args.crop
    if clean_full.shape[0] < ch or clean_full.shape[1] < cw:
        ap.error(f"--image is {clean_full.shape[1]}x{clean_full.shape[0]}, smaller than the crop")
    if noisy_full.shape[0] < ch or noisy_full.shape[1] < cw:
        ap.error(f"--noisy is {noisy_full.shape[1]}x{noisy_full.shape[0]}, smaller than the crop")
    clean = centre_crop(clean_full, ch, cw).transpose(2, 0, 1).copy()  # 3 x H x W
    noisy = centre_crop(noisy_full, ch, cw).transpose(2, 0, 1).copy()

    c = args.channels
    net = SkipNet(input_depth=args.input_depth, n_out=3, nd=[c] * 5, nu=[c] * 5, ns=[4] * 5, kd=3, ku=3,
                  pad="reflection", upsample_mode="bilinear", slope=0.2, need1x1_up=True)
    z = torch.rand(1, args.input_depth, ch, cw) * 0.1
    if args.init:
        z = load_initial_state(args.init, net, z.shape)
    noise = torch.empty_like(z)
    noisy_t = torch.from_numpy(noisy)[None]
    opt = torch.optim.Adam(net.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)

    out_avg = None
    i = 0  # the notebook's counter (not advanced on a fallback step)
    psnr_noisy_last = 0.0
    last_params = None
    fallbacks = 0
    best_sm, best_it = -float("inf"), 0
    psnr_gt = psnr_sm = float("nan")

    t0 = time.perf_counter()
    for step in range(1, args.iterations + 1):
        opt.zero_grad()
        inp = z + noise.normal_() * args.reg_noise_std if args.reg_noise_std > 0 else z
        out = net(inp)
        out_d = out.detach()
        out_avg = out_d.clone() if out_avg is None else out_avg * args.exp_weight + out_d * (1 - args.exp_weight)
        loss = torch.mean((out - noisy_t) ** 2)
        loss.backward()

        out_np = out_d[0].numpy()
        psnr_noisy = psnr(noisy, out_np)
        psnr_gt = psnr(clean, out_np)
        psnr_sm = psnr(clean, out_avg[0].numpy())
        if psnr_sm > best_sm:
            best_sm, best_it = psnr_sm, step

        fell_back = False
        if i % args.show_every:
            if psnr_noisy - psnr_noisy_last < -5:
                with torch.no_grad():
                    for p, saved in zip(net.parameters(), last_params):
                        p.copy_(saved)
                fallbacks += 1
                fell_back = True
            else:
                last_params = [p.detach().clone() for p in net.parameters()]
                psnr_noisy_last = psnr_noisy
        if not fell_back:
            i += 1

        opt.step()

        if args.every > 0 and step % args.every == 0:
            print(json.dumps({"iteration": step, "psnr": round(psnr_gt, 4), "psnrSmoothed": round(psnr_sm, 4),
                              "seconds": round(time.perf_counter() - t0, 3)}), flush=True)

    seconds = time.perf_counter() - t0
    if args.save and out_avg is not None:
        arr = np.clip(out_avg[0].numpy().transpose(1, 2, 0), 0, 1)
        Image.fromarray((arr * 255.0 + 0.5).astype(np.uint8)).save(args.save)
    print(json.dumps({"done": True, "bestPsnrSmoothed": round(best_sm, 4), "bestIteration": best_it,
                      "seconds": round(seconds, 3), "iterations": args.iterations,
                      "finalPsnr": round(psnr_gt, 4), "finalPsnrSmoothed": round(psnr_sm, 4),
                      "noisyPsnr": round(psnr(clean, noisy), 4), "fallbacks": fallbacks,
                      "size": [ch, cw], "channels": c, "threads": args.threads, "seed": args.seed,
                      "torch": torch.__version__, "init": "shared" if args.init else "own"}), flush=True)


if __name__ == "__main__":
    main()
