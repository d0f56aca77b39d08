"""Timing shared by the benchmark driver and its peer subprocesses."""

import time

import numpy as np


def median_time(fn, repeats, warmup=True):
    """The median wall time of `repeats` calls of `fn` (after one warm-up
    call unless `warmup` is false)."""
    if warmup:
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))
