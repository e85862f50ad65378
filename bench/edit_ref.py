#!/usr/bin/env python3
"""Reference side of bench/edit.ts: Pillow (through torchvision.transforms.functional on PIL
images) on a ~12 MP photo, and torchvision.transforms.functional on a batch of torch tensors.

Run by bench/edit.ts with Debian's /usr/bin/python3 (python3-torch 1.13, python3-torchvision
0.14, python3-pil, python3-skimage). It speaks one JSON object per line on stdin / stdout:

  {"op": "info"}                                   versions and threads
  {"op": "photo", "path": P}                       make the benchmark photo P if it is missing
  {"op": "load", "path": P}                        decode P once (the in-memory rows start from it)
  {"op": "time", "case": NAME, "mode": M, "runs": R, "warmup": W}
      M = "mem":   op on the decoded PIL image, result a PIL image (pixels in memory)
      M = "file":  Image.open(P) -> op -> save JPEG quality 90
      M = "batch": op on a float32 NCHW batch [256, 3, 64, 64] in [0, 1]
  {"op": "quit"}

The photo: scikit-image's coffee.png (600x400, CC0), centre-cropped to 4:3 (533x400), upscaled
with Lanczos to 4000x3000 and saved as JPEG quality 95. The same file on every run (deterministic).
"""
import json
import os
import sys
import time
import warnings

import torch
import torchvision
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode
import PIL
from PIL import Image

warnings.filterwarnings("ignore")
THREADS = int(os.environ.get("BENCH_TORCH_THREADS", "2"))
torch.set_num_threads(THREADS)
BL = InterpolationMode.BILINEAR
BC = InterpolationMode.BICUBIC
SKIMAGE_COFFEE = "/usr/lib/python3/dist-packages/skimage/data/coffee.png"
PHOTO_W, PHOTO_H = 4000, 3000


def make_photo(path):
    if os.path.exists(path):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    src = Image.open(SKIMAGE_COFFEE).convert("RGB")
    w, h = src.size
    cw = round(h * 4 / 3)
    left = (w - cw) // 2
    big = src.crop((left, 0, left + cw, h)).resize((PHOTO_W, PHOTO_H), Image.LANCZOS)
    tmp = path + ".tmp.jpg"
    big.save(tmp, quality=95)
    os.replace(tmp, path)


def photo_cases(w, h):
    """Photo operations with the parameters bench/edit.ts uses (gankit's affine angle is
    counter-clockwise, torchvision's clockwise: -15 here is gankit's 15)."""
    dx, dy = w // 20, h // 20
    start = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]
    end = [[dx, dy], [w - 1 - 2 * dx, 0], [w - 1, h - 1 - dy], [0, h - 1 - 2 * dy]]
    return {
        "crop": lambda x: F.crop(x, 500, 700, 2000, 2600),
        "centerCrop": lambda x: F.center_crop(x, [2048, 2048]),
        "resize bilinear aa": lambda x: F.resize(x, [750, 1000], BL, antialias=True),
        "resize bicubic": lambda x: F.resize(x, [750, 1000], BC, antialias=True),
        "rotate": lambda x: F.rotate(x, 30, BL, expand=True),
        "hflip": F.hflip,
        "vflip": F.vflip,
        "affine": lambda x: F.affine(x, angle=-15, translate=[40, 20], scale=0.9, shear=[5.0, 0.0], interpolation=BL),
        "perspective": lambda x: F.perspective(x, start, end, BL),
        "brightness": lambda x: F.adjust_brightness(x, 1.3),
        "contrast": lambda x: F.adjust_contrast(x, 1.4),
        "saturation": lambda x: F.adjust_saturation(x, 1.5),
        "hue": lambda x: F.adjust_hue(x, 0.1),
        "gamma": lambda x: F.adjust_gamma(x, 0.8),
        "sharpness": lambda x: F.adjust_sharpness(x, 2.0),
        "grayscale": lambda x: F.rgb_to_grayscale(x, 1),
        "invert": F.invert,
        "posterize": lambda x: F.posterize(x, 3),
        "solarize": lambda x: F.solarize(x, 128),
        "autocontrast": F.autocontrast,
        "equalize": F.equalize,
        "gaussianBlur": lambda x: F.gaussian_blur(x, [9, 9], [2.0, 2.0]),
    }


def batch_cases():
    s = 64
    start = [[0, 0], [s - 1, 0], [s - 1, s - 1], [0, s - 1]]
    end = [[3, 3], [s - 7, 0], [s - 1, s - 4], [0, s - 7]]
    cases = photo_cases(s, s)
    cases.update({
        "crop": lambda x: F.crop(x, 8, 8, 48, 48),
        "centerCrop": lambda x: F.center_crop(x, [48, 48]),
        "resize bilinear aa": lambda x: F.resize(x, [32, 32], BL, antialias=True),
        "resize bicubic": lambda x: F.resize(x, [32, 32], BC, antialias=True),
        "affine": lambda x: F.affine(x, angle=-15, translate=[2, 1], scale=0.9, shear=[5.0, 0.0], interpolation=BL),
        "perspective": lambda x: F.perspective(x, start, end, BL),
        "solarize": lambda x: F.solarize(x, 0.5),
        "gaussianBlur": lambda x: F.gaussian_blur(x, [5, 5], [1.5, 1.5]),
        # torchvision 0.14 takes only uint8 tensors here (v2 added float):
        "posterize": None,
        "equalize": None,
    })
    return cases


def main():
    photo = None
    path = None
    batch = torch.rand(256, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    bcases = batch_cases()
    pcases = None
    out_path = "/tmp/gankit-bench-edit-ref-out.jpg"
    for line in sys.stdin:
        msg = json.loads(line)
        op = msg["op"]
        if op == "quit":
            break
        try:
            if op == "info":
                reply = {"torch": torch.__version__, "torchvision": torchvision.__version__, "pillow": PIL.__version__,
                         "python": sys.version.split()[0], "threads": torch.get_num_threads()}
            elif op == "photo":
                make_photo(msg["path"])
                reply = {"ok": True}
            elif op == "load":
                path = msg["path"]
                photo = Image.open(path)
                photo.load()
                pcases = photo_cases(*photo.size)
                reply = {"width": photo.size[0], "height": photo.size[1], "mode": photo.mode}
            elif op == "time":
                name, mode = msg["case"], msg["mode"]
                if mode == "batch":
                    f = bcases[name]
                    if f is None:
                        reply = {"times": None}
                        print(json.dumps(reply), flush=True)
                        continue
                    run = lambda: f(batch)
                elif mode == "mem":
                    f = pcases[name]
                    run = lambda: f(photo)
                else:
                    f = pcases[name]
                    def run():
                        with Image.open(path) as im:
                            f(im).save(out_path, quality=90)
                for _ in range(msg.get("warmup", 0)):
                    run()
                times = []
                for _ in range(msg.get("runs", 1)):
                    t0 = time.perf_counter()
                    run()
                    times.append((time.perf_counter() - t0) * 1000)
                reply = {"times": times}
            else:
                reply = {"error": f"unknown op {op}"}
        except Exception as e:  # report, keep serving
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
