"""TVM's ``time_evaluator``: times a compiled function the way TVM does
(one untimed call, then `repeat` measurements of `number` calls, `number`
grown until a measurement lasts `min_repeat_ms`), the loop in native code.
"""

import statistics

__all__ = ["BenchmarkResult", "time_evaluator"]


class BenchmarkResult:
    """Seconds per call of each measurement (``results``) and their
    ``mean``, ``median``, ``std``, ``min`` and ``max``, as TVM's."""

    def __init__(self, results):
        self.results = tuple(results)
        self.mean = statistics.fmean(self.results)
        self.median = statistics.median(self.results)
        self.std = statistics.pstdev(self.results)
        self.min = min(self.results)
        self.max = max(self.results)

    def __repr__(self):
        return (f"BenchmarkResult(min={self.min}, mean={self.mean}, "
                f"median={self.median}, max={self.max}, std={self.std}, "
                f"{len(self.results)} measurements)")

    def __str__(self):
        return ("Execution time summary:\n"
                " mean (ms)   median (ms)    max (ms)     min (ms)     "
                "std (ms)\n"
                f"{self.mean * 1e3:10.4f}   {self.median * 1e3:10.4f}   "
                f"{self.max * 1e3:10.4f}   {self.min * 1e3:10.4f}   "
                f"{self.std * 1e3:10.4f}")


def time_evaluator(executable, func_name, dev, number=10, repeat=1,
                   min_repeat_ms=0, limit_zero_time_iterations=100,
                   cooldown_interval_ms=0, repeats_to_cooldown=1,
                   cache_flush_bytes=0, f_preproc="", inputs_of=None):
    """A function that times `func_name` of `executable` on its arguments
    and returns a BenchmarkResult. TVM's cooling and cache flushing options
    are not supported (an error unless left at their defaults).
    `inputs_of` maps the call's arguments to the function's inputs (a
    PrimFunc's output arguments are dropped: the timed call writes fresh
    buffers)."""
    from .device import Device
    if dev is not None and not isinstance(dev, Device):
        raise TypeError("time_evaluator: dev must be mlc.cpu()")
    for name, value, default in (
            ("cooldown_interval_ms", cooldown_interval_ms, 0),
            ("repeats_to_cooldown", repeats_to_cooldown, 1),
            ("cache_flush_bytes", cache_flush_bytes, 0),
            ("f_preproc", f_preproc, "")):
        if value != default:
            raise TypeError(f"time_evaluator: {name} is not supported")
    executable.signature(func_name)  # KeyError naming the functions

    def evaluate(*args):
        inputs = inputs_of(args) if inputs_of else list(args)
        arrays = executable.arrays(func_name, inputs)
        seconds = executable._native.time(
            func_name, arrays, int(number), int(repeat),
            float(min_repeat_ms), int(limit_zero_time_iterations))
        return BenchmarkResult(seconds)

    return evaluate
