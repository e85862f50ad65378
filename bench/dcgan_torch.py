"""PyTorch CPU reference for bench/dcgan.ts: the same DCGAN-MNIST as gankit's createGan() (NCHW),
or with BENCH_MODEL=tutorial64 the 64x64x3 DCGAN of the PyTorch DCGAN tutorial (batch 128), the same
as gankit's createGan({ imageSize: 64, channels: 3 }).

Driven over stdin/stdout by bench/dcgan.ts, one JSON object per line, so that the two sides
can be interleaved round by round:
  {"op": "info"}                                   -> versions and parameter counts
  {"op": "train", "threads": T, "runs": R, "warmup": W}    -> {"times": [ms, ...]}
  {"op": "sample", "threads": T, "runs": R, "warmup": W}   -> {"times": [ms, ...]}
  {"op": "profile", "threads": T}                  -> ops of one training step by self CPU time (torch.profiler)
Benchmark-only code; never imported by gankit.
"""
import json
import os
import sys
import time

import torch
from torch import nn

TUTORIAL = os.environ.get('BENCH_MODEL') == 'tutorial64'
NZ, NGF, NDF, SAMPLES = 100, 64, 64, 256
NC, SIZE, BATCH = (3, 64, 128) if TUTORIAL else (1, 28, 64)


def tutorial_generator() -> nn.Module:
    """The PyTorch DCGAN tutorial's generator: 1x1 -> 4 -> 8 -> 16 -> 32 -> 64."""
    return nn.Sequential(
        nn.ConvTranspose2d(NZ, NGF * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(NGF * 8), nn.ReLU(True),  # 4x4
        nn.ConvTranspose2d(NGF * 8, NGF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 4), nn.ReLU(True),  # 8x8
        nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 2), nn.ReLU(True),  # 16x16
        nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF), nn.ReLU(True),  # 32x32
        nn.ConvTranspose2d(NGF, NC, 4, 2, 1, bias=False), nn.Tanh(),  # 64x64
    )


def tutorial_discriminator() -> nn.Module:
    """The tutorial's discriminator, ending in a logit (its Sigmoid moves into BCEWithLogitsLoss)."""
    return nn.Sequential(
        nn.Conv2d(NC, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),  # 32x32
        nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 2), nn.LeakyReLU(0.2, inplace=True),  # 16x16
        nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 4), nn.LeakyReLU(0.2, inplace=True),  # 8x8
        nn.Conv2d(NDF * 4, NDF * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 8), nn.LeakyReLU(0.2, inplace=True),  # 4x4
        nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False), nn.Flatten(),  # one logit per image
    )


def generator() -> nn.Module:
    if TUTORIAL:
        return tutorial_generator()
    return nn.Sequential(
        nn.ConvTranspose2d(NZ, NGF * 2, 7, 1, 0, bias=False),  # 7x7x128
        nn.BatchNorm2d(NGF * 2, eps=1e-5, momentum=0.1), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False),  # 14x14x64
        nn.BatchNorm2d(NGF, eps=1e-5, momentum=0.1), nn.ReLU(True),
        nn.ConvTranspose2d(NGF, NC, 4, 2, 1, bias=False),  # 28x28x1
        nn.Tanh(),
    )


def discriminator() -> nn.Module:
    if TUTORIAL:
        return tutorial_discriminator()
    return nn.Sequential(
        nn.Conv2d(NC, NDF, 4, 2, 1, bias=False),  # 14x14x64
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False),  # 7x7x128
        nn.BatchNorm2d(NDF * 2, eps=1e-5, momentum=0.1), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 2, 1, 7, 1, 0, bias=False),  # 1x1x1
        nn.Flatten(),  # one logit per image
    )


def init_weights(m: nn.Module) -> None:
    name = type(m).__name__
    if 'Conv' in name:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif 'BatchNorm' in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


torch.manual_seed(0)
G, D = generator(), discriminator()
G.apply(init_weights)
D.apply(init_weights)
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
criterion = nn.BCEWithLogitsLoss()
real = torch.rand(BATCH, NC, SIZE, SIZE) * 2 - 1  # random real batch: the data loader is not part of the step
ones = torch.ones(BATCH, 1)
zeros = torch.zeros(BATCH, 1)


def train_step() -> None:
    """The PyTorch DCGAN tutorial step, as GanTrainer.trainStep (bce)."""
    G.train()
    D.train()
    z = torch.randn(BATCH, NZ, 1, 1)
    fake = G(z)
    # (1) Update D: maximize log(D(x)) + log(1 - D(G(z))) on the real batch and the detached fake
    D.zero_grad()
    out_real = D(real)
    out_fake = D(fake.detach())
    loss_d = criterion(out_real, ones) + criterion(out_fake, zeros)
    loss_d.backward()
    opt_d.step()
    # (2) Update G on the same noise with real labels; PyTorch reuses `fake`'s graph (no second G forward)
    G.zero_grad()
    out = D(fake)
    loss_g = criterion(out, ones)
    loss_g.backward()
    opt_g.step()
    # read the five reported scalars, as gankit's history does
    torch.stack([loss_d.detach(), loss_g.detach(), torch.sigmoid(out_real).mean().detach(),
                 torch.sigmoid(out_fake).mean().detach(), torch.sigmoid(out).mean().detach()]).tolist()


def sample() -> None:
    G.eval()
    with torch.no_grad():
        x = G(torch.randn(SAMPLES, NZ, 1, 1))
        x.sum().item()  # force completion, like reading the result


def timed(fn, runs: int, warmup: int) -> list:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def count(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters() if p.requires_grad)


def main() -> None:
    for line in sys.stdin:
        msg = json.loads(line)
        op = msg['op']
        if op == 'info':
            reply = {
                'torch': torch.__version__, 'python': sys.version.split()[0],
                'g_params': count(G), 'd_params': count(D),
                'g_buffers': sum(b.numel() for n, b in G.named_buffers() if 'num_batches' not in n),
                'interop_threads': torch.get_num_interop_threads(), 'default_threads': torch.get_num_threads(),
                'mkldnn': torch.backends.mkldnn.is_available(),
            }
        elif op in ('train', 'sample'):
            torch.set_num_threads(int(msg['threads']))
            fn = train_step if op == 'train' else sample
            reply = {'times': timed(fn, int(msg['runs']), int(msg.get('warmup', 1))), 'threads': torch.get_num_threads()}
        elif op == 'profile':
            torch.set_num_threads(int(msg['threads']))
            train_step()
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
                train_step()
            ev = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
            reply = {
                'ops': sum(e.count for e in ev), 'selfMs': sum(e.self_cpu_time_total for e in ev) / 1000,
                'top': [{'name': e.key, 'count': e.count, 'ms': e.self_cpu_time_total / 1000} for e in ev[:12]],
            }
        elif op == 'quit':
            break
        else:
            reply = {'error': f'unknown op {op}'}
        sys.stdout.write(json.dumps(reply) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
