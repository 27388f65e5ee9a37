#!/usr/bin/env python3
"""The benchmark net's training step in PyTorch, timed as `autodiff time-step` times ours.

Conv2d(1→16, 5, pad 2) → ReLU → MaxPool 2 → Conv2d(16→32, 5, pad 2) → ReLU → MaxPool 2 → Flatten →
Linear(1568→128) → ReLU → Linear(128→10), cross-entropy, Adam 1e-3, on the first 64 training digits of the
repository's MNIST: 20 untimed steps, then rounds of 5 steps, the median round, for each thread count
(torch.set_num_threads). --compile runs the model through torch.compile (Inductor) first.

    python3 Benchmarks/Scaling/torch_step.py --threads 1,2,4,8,16 [--rounds 20] [--compile]

Written for a machine with PyTorch (the device of Benchmarks/Scaling/README.md); this repository's own machine
has none, so it has not run here.
"""
import argparse
import gzip
import statistics
import time

import numpy as np
import torch
import torch.nn as nn


def batch_of_digits(batch):
    with gzip.open("data/mnist/train-images-idx3-ubyte.gz") as f:
        pixels = np.frombuffer(f.read(), np.uint8, offset=16)[: batch * 784]
    with gzip.open("data/mnist/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:batch]
    images = torch.tensor(pixels.reshape(batch, 1, 28, 28).astype(np.float32) / 255)
    return images, torch.tensor(labels.astype(np.int64))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--compile", action="store_true")
    args = parser.parse_args()
    images, labels = batch_of_digits(args.batch)
    print(f"PyTorch {torch.__version__}, {'compiled' if args.compile else 'eager'}, batch {args.batch}")
    first = None
    for threads in (int(t) for t in args.threads.split(",")):
        torch.set_num_threads(threads)
        torch.manual_seed(1)
        net = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))
        model = torch.compile(net) if args.compile else net
        optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()

        def step():
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            return loss.item()

        for _ in range(20):
            step()
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for _ in range(5):
                step()
            times.append((time.perf_counter() - start) * 1000 / 5)
        median = statistics.median(times)
        images_per_second = args.batch * 1000 / median
        first = first or images_per_second
        print(f"{threads:3} thread(s): {median:7.2f} ms a step, {images_per_second:8,.0f} images/s, {images_per_second / first:.2f}× the first")


if __name__ == "__main__":
    main()
