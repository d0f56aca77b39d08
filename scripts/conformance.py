#!/usr/bin/python3
"""Conformance of mlc's importer against PyTorch's own operator tests.

For every OpInfo of ``torch.testing._internal.common_methods_invocations.
op_db``, every dtype of float32, float64, int64, int32 and bool the op
supports on the CPU, and every sample input torch provides for it (or, with
``--modules``, every ModuleInfo of ``common_modules.module_db`` in float32
and float64 with each of its module inputs, the module in eval mode): the
call is wrapped in an ``nn.Module`` whose inputs are the sample's tensors, traced
with fx, imported with ``mlc.frontend.from_fx``, built, run and compared
with eager PyTorch (shape, dtype and values, with torch.testing's default
tolerances per dtype, or the larger ones the OpInfo's own tests declare).
A float16/float32 value that is not that close passes when it is as
accurate as torch's own: its root-mean-square error against torch's result
of the same call in float64 is at most twice torch's plus atol / 10 (the
criterion of torch._dynamo's `same(..., fp64_ref)` for compiled code,
which sums in another order than torch's kernels; such passes are recorded
with a detail). Each case runs in a forked child, so a crash costs one
case. A case is:

  pass         mlc's outputs equal torch's
  unsupported  mlc refused it with an error naming what (MLCError)
  mismatch     mlc ran and returned a different shape, dtype or value
  crash        any other exception, or the child died
  untraceable  fx cannot trace the call (not counted)
  invalid      eager PyTorch itself fails on the sample (not counted)

Prints a table per op family and the totals (in scope, out of scope), and
writes every case to JSON (--json). ``--quick`` runs a few samples per op
and dtype, as CI does.

Usage: scripts/conformance.py [--quick] [--ops add,mul] [--json out.json]
       scripts/conformance.py --modules [--ops nn.Conv2d]
"""

import argparse
import collections
import copy
import itertools
import json
import os
import pickle
import signal
import sys
import time
import traceback
import types
import unittest
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.environ.get("MLC_BUILD_DIR",
                                               os.path.join(ROOT, "build")),
                                "python"))

# op_db imports expecttest, which Debian lacks: a stand-in is enough.
_expecttest = types.ModuleType("expecttest")
_expecttest.TestCase = unittest.TestCase
_expecttest.ACCEPT = False
sys.modules.setdefault("expecttest", _expecttest)

import torch  # noqa: E402
from torch import fx, nn  # noqa: E402

DTYPES = {"float32": torch.float32, "float64": torch.float64,
          "int64": torch.int64, "int32": torch.int32, "bool": torch.bool}
# Run when asked for (--dtypes): the pass rates count DTYPES.
MORE_DTYPES = {"uint8": torch.uint8, "int8": torch.int8,
               "int16": torch.int16, "float16": torch.float16}

# Out of scope for the pass rates (their figures are still reported).
OUT_OF_SCOPE_PREFIXES = ("linalg.", "fft.", "special.", "sparse.", "masked.",
                         "_masked.", "signal.")
RANDOM_OPS = {
    "bernoulli", "normal", "multinomial", "rand_like", "randn_like",
    "randint_like", "randint", "uniform", "exponential", "geometric",
    "cauchy", "log_normal", "random_", "nn.functional.dropout",
    "nn.functional.dropout2d", "nn.functional.dropout3d",
    "nn.functional.alpha_dropout", "nn.functional.feature_alpha_dropout",
    "nn.functional.rrelu", "normal.number_mean", "poisson",
    "nn.functional.gumbel_softmax", "randn", "rand", "empty",
    "empty_like", "new_empty", "new_empty_strided", "empty_strided",
    "bernoulli.p", "nn.functional.fractional_max_pool2d",
    "nn.functional.fractional_max_pool3d",
    # Half of its samples draw dropout (dropout_p=0.5); those with
    # dropout_p=0 pass.
    "nn.functional._scaled_dot_product_attention",
}
# Ops whose values are unspecified (uninitialized memory): only shapes and
# dtypes are compared.
UNINITIALIZED_OPS = {"empty", "empty_like", "new_empty", "new_empty_strided",
                     "empty_strided"}
VALUE_DEPENDENT_OPS = {
    "nonzero", "unique", "unique_consecutive", "masked_select",
    "argwhere", "bincount", "histc", "histogram", "histogramdd",
    "repeat_interleave", "combinations", "nn.functional.unfold",
    "tensor_split", "take", "put", "index_put_", "item", "tolist",
    "allclose", "equal", "bucketize", "searchsorted",
}


def in_scope(info):
    name = info.name if not info.variant_test_name else \
        f"{info.name}.{info.variant_test_name}"
    if info.name.startswith(OUT_OF_SCOPE_PREFIXES):
        return False
    if info.name in RANDOM_OPS or name in RANDOM_OPS:
        return False
    if info.name in VALUE_DEPENDENT_OPS:
        return False
    real = {torch.float32, torch.float64, torch.int64, torch.int32,
            torch.bool, torch.float16, torch.int8, torch.int16, torch.uint8}
    return bool(set(info.supported_dtypes("cpu")) & real)


def family(info):
    kind = type(info).__name__
    name = info.name
    if name.startswith("nn.functional."):
        return "nn"
    if name.startswith(OUT_OF_SCOPE_PREFIXES):
        return name.split(".")[0]
    return {"UnaryUfuncInfo": "unary", "BinaryUfuncInfo": "binary",
            "ReductionOpInfo": "reduction", "ShapeFuncInfo": "shape",
            "ForeachFuncInfo": "foreach", "SpectralFuncInfo": "fft"}.get(
                kind, "other")


# --- one case ----------------------------------------------------------------


def _tensors_of(call):
    """A call's (args, kwargs) as (tensors, rebuild): rebuild(tensors)
    gives (args, kwargs) with those tensors substituted."""
    from torch.utils._pytree import tree_flatten, tree_unflatten
    flat, spec = tree_flatten(call)
    positions = [i for i, v in enumerate(flat) if isinstance(v, torch.Tensor)]

    def rebuild(tensors):
        values = list(flat)
        for p, t in zip(positions, tensors):
            values[p] = t
        return tree_unflatten(values, spec)
    return [flat[p].detach().clone() for p in positions], rebuild


def _wrapper(callee, rebuild, count):
    """An nn.Module whose forward(t0, ..., tn) calls `callee` (an op, or a
    module: then an fx leaf) with the call's tensors replaced by its inputs
    (fx needs a fixed arity)."""
    names = ", ".join(f"t{i}" for i in range(count))
    namespace = {}
    exec(f"def forward(self, {names}):\n"  # pylint: disable=exec-used
         f"    args, kwargs = self.rebuild([{names}])\n"
         f"    return self.callee(*args, **kwargs)\n", namespace)
    cls = type("Call", (nn.Module,), {"forward": namespace["forward"]})
    module = cls()
    module.callee = callee
    module.rebuild = rebuild
    return module


def _tolerance(dtype, overrides=None):
    """(rtol, atol): torch.testing's defaults for the dtype, or the larger
    tolerances the OpInfo's own tests declare (toleranceOverride)."""
    rtol, atol = {torch.float16: (1e-3, 1e-5), torch.float32: (1.3e-6, 1e-5),
                  torch.float64: (1e-7, 1e-7)}.get(dtype, (0, 0))
    if overrides and dtype in overrides:
        rtol = max(rtol, overrides[dtype][0])
        atol = max(atol, overrides[dtype][1])
    return rtol, atol


def tolerance_overrides(info):
    """{dtype: (rtol, atol)}: the largest toleranceOverride among the
    OpInfo's decorators of its CPU (or any device's) value tests."""
    from torch.testing._internal.common_device_type import toleranceOverride
    found = {}
    for decorate in getattr(info, "decorators", None) or ():
        if getattr(decorate, "device_type", None) not in (None, "cpu"):
            continue
        for d in getattr(decorate, "decorators", ()):
            if not isinstance(d, toleranceOverride):
                continue
            for dtype, tol in d.d.items():
                old = found.get(dtype, (0, 0))
                found[dtype] = (max(old[0], tol.rtol), max(old[1], tol.atol))
    return found


def _fields(value):
    kind = type(value)
    if hasattr(kind, "_fields"):
        return tuple(kind._fields)
    if hasattr(kind, "n_fields") and hasattr(kind, "__match_args__"):
        return tuple(kind.__match_args__)  # torch.return_types
    return None


def _rmse(a, b):
    return float(torch.sqrt(torch.mean((a - b) ** 2))) if a.numel() else 0.0


def _within_compiled_error(actual, expected, precise, atol):
    """torch._dynamo's accuracy criterion for compiled code (`utils.same`
    with an fp64 reference): a compiler may sum in another order than
    torch's kernels, so a float16/float32 result that is not close to
    torch's passes when its root-mean-square error against the same
    computation in float64 is at most twice torch's own plus atol / 10.
    Non-finite values must still be exactly torch's."""
    if not isinstance(precise, torch.Tensor) or \
            tuple(precise.shape) != tuple(expected.shape):
        return False
    a, e, p = actual.double(), expected.double(), precise.double()
    finite = torch.isfinite(e) & torch.isfinite(a) & torch.isfinite(p)
    same = (a == e) | (torch.isnan(a) & torch.isnan(e))
    if not bool(torch.all(finite | same)):
        return False
    return _rmse(a[finite], p[finite]) <= \
        2.0 * _rmse(e[finite], p[finite]) + atol / 10


def _compare(got, expected, values=True, overrides=None, where="output",
             precise=None):
    """None when equal, else why not: the same structure (tuples, lists,
    named tuples of the same name and fields, dicts, Python numbers,
    None), and tensors of the same shapes and dtypes, with equal values
    unless not `values`. `precise`, when given, is torch's result of the
    same call in float64 (same structure): float16/float32 values then
    pass by `_within_compiled_error` too."""
    import numpy as np
    from mlc.nd import NDArray
    e = expected
    if isinstance(e, torch.Size) and type(got) is tuple:
        # fx keeps a torch.Size computed at trace time as a plain tuple
        # constant (its GraphModule returns the tuple too).
        e = tuple(e)
    if isinstance(e, (tuple, list)):
        if type(got) is not type(e) and not (
                isinstance(got, tuple) and isinstance(e, tuple) and
                _fields(got) == _fields(e) and
                type(got).__name__ == type(e).__name__):
            return f"{where}: a {type(got).__name__}, torch a " \
                   f"{type(e).__name__}"
        if len(got) != len(e):
            return f"{where}: {len(got)} items, torch {len(e)}"
        for k, (g, x) in enumerate(zip(got, e)):
            why = _compare(g, x, values, overrides, f"{where}[{k}]",
                           _item(precise, k))
            if why:
                return why
        return None
    if isinstance(e, dict):
        if not isinstance(got, dict) or list(got) != list(e):
            return f"{where}: {got!r}, torch a dict of {list(e)}"
        for k in e:
            why = _compare(got[k], e[k], values, overrides,
                           f"{where}[{k!r}]", _item(precise, k))
            if why:
                return why
        return None
    if not isinstance(e, torch.Tensor):
        if isinstance(got, NDArray) or type(got) is not type(e) or not (
                got == e or (got != got and e != e)):
            return f"{where}: {got!r}, torch {e!r}"
        return None
    if not isinstance(got, NDArray):
        return f"{where}: a {type(got).__name__}, torch a tensor"
    actual = torch.from_numpy(np.array(got.numpy(), copy=True))  # 0-d kept
    if actual.dtype != e.dtype:
        return f"{where}: dtype {actual.dtype}, torch {e.dtype}"
    if tuple(actual.shape) != tuple(e.shape):
        return f"{where}: shape {tuple(actual.shape)}, torch " \
               f"{tuple(e.shape)}"
    if not values:
        return None
    rtol, atol = _tolerance(e.dtype, overrides)
    try:
        torch.testing.assert_close(actual, e.detach().contiguous(),
                                   rtol=rtol, atol=atol, equal_nan=True,
                                   check_stride=False)
    except AssertionError as err:
        if e.dtype in (torch.float16, torch.float32) and \
                _within_compiled_error(actual, e.detach(), precise, atol):
            return None
        return f"{where}: {str(err).splitlines()[0]} " + \
            " ".join(str(err).splitlines()[1:4])
    return None


def _item(value, key):
    """value[key] of a precise result, None when it has no such item."""
    try:
        return value[key]
    except (TypeError, KeyError, IndexError):
        return None


def _in_float64(tensors):
    """The floating tensors of a call in float64 (others as they are)."""
    return [t.double() if t.is_floating_point() else t.clone()
            for t in tensors]


def run_case(op, sample, name="", overrides=None):
    """(status, detail) of one sample."""
    tensors, rebuild = _tensors_of(((sample.input,) + tuple(sample.args),
                                    sample.kwargs))
    try:
        with torch.no_grad():
            args, kwargs = rebuild([t.clone() for t in tensors])
            expected = op(*args, **kwargs)
    except Exception as e:  # pylint: disable=broad-except
        return "invalid", f"eager: {type(e).__name__}: {e}"[:300]

    def precise():
        args, kwargs = rebuild(_in_float64(tensors))
        return op(*args, **kwargs)
    return _import_and_compare(_wrapper(op, rebuild, len(tensors)), tensors,
                               expected, name not in UNINITIALIZED_OPS,
                               overrides, precise)


def run_module_case(info, dtype, index):
    """(status, detail) of ModuleInfo `info`'s module input `index`:
    the module is built with the input's constructor arguments, put in eval
    mode, and called with its forward arguments."""
    torch.manual_seed(index)
    try:
        sample = info.module_inputs_func(
            info, device="cpu", dtype=dtype, requires_grad=False,
            training=False)[index]
        ctor, forward = sample.constructor_input, sample.forward_input
        module = info.module_cls(*ctor.args, **ctor.kwargs).to(dtype).eval()
        tensors, rebuild = _tensors_of((forward.args, forward.kwargs))
        with torch.no_grad():
            args, kwargs = rebuild([t.clone() for t in tensors])
            expected = module(*args, **kwargs)  # materializes Lazy modules
    except Exception as e:  # pylint: disable=broad-except
        return "invalid", f"eager: {type(e).__name__}: {e}"[:300]

    def precise():
        args, kwargs = rebuild(_in_float64(tensors))
        return copy.deepcopy(module).double()(*args, **kwargs)
    return _import_and_compare(_wrapper(module, rebuild, len(tensors)),
                               tensors, expected, precise=precise)


def _import_and_compare(wrapper, tensors, expected, values=True,
                        overrides=None, precise=None):
    """Traces `wrapper` with fx, imports, builds and runs it on `tensors`,
    and classifies the result against torch's `expected`; a floating
    result that is not close is checked against `precise()` (the call in
    float64) as torch's tests of compiled code do."""
    import mlc
    from mlc import relax
    from mlc.frontend import from_fx
    try:
        gm = fx.symbolic_trace(wrapper)
    except Exception as e:  # pylint: disable=broad-except
        return "untraceable", f"{type(e).__name__}: {e}"[:300]
    try:
        mod = from_fx(gm, input_info=[(tuple(t.shape), t.dtype)
                                      for t in tensors],
                      example_inputs=[t.clone() for t in tensors])
        vm = relax.VirtualMachine(relax.vm.build(mod, threads=1), mlc.cpu())
        got = vm["main"](*[t.contiguous().numpy() for t in tensors])
    except mlc.MLCError as e:
        return "unsupported", f"{type(e).__name__}: {e}"[:400]
    except Exception as e:  # pylint: disable=broad-except
        return "crash", (f"{type(e).__name__}: {e}\n" +
                         traceback.format_exc()[-1200:])
    why = _compare(got, expected, values, overrides)
    if why is not None and values and precise is not None:
        try:
            with torch.no_grad():
                reference = precise()
        except Exception:  # pylint: disable=broad-except
            reference = None  # the op has no float64 kernel: stays a mismatch
        if reference is not None and _compare(
                got, expected, values, overrides, precise=reference) is None:
            return "pass", "within twice torch's error against float64"
    return ("pass", "") if why is None else ("mismatch", why[:500])


def module_cases(dtypes, max_samples, wanted):
    """(case, function, arguments) for each ModuleInfo x dtype x module
    input of module_db."""
    from torch.testing._internal.common_modules import module_db
    for info in module_db:
        if wanted and info.name not in wanted:
            continue
        for name, dtype in dtypes.items():
            if dtype not in info.dtypes:
                continue
            try:
                count = len(info.module_inputs_func(
                    info, device="cpu", dtype=dtype, requires_grad=False,
                    training=False))
            except Exception as e:  # pylint: disable=broad-except
                yield ({"op": info.name, "family": "module",
                        "in_scope": True, "dtype": name,
                        "status": "invalid",
                        "detail": f"module_inputs_func failed: {e}"},
                       None, None)
                continue
            for index in range(min(count, max_samples)):
                yield ({"op": info.name, "family": "module",
                        "in_scope": True, "dtype": name},
                       run_module_case, (info, dtype, index))


class Isolated:
    """Runs cases in forked children, `jobs` at a time: a crash, a hang
    (killed after `timeout` seconds) or an abort costs one case."""

    def __init__(self, jobs, timeout=300):
        self.jobs = jobs
        self.timeout = timeout
        self.running = {}  # pid -> (read end, key, start time)
        self.results = {}
        self.seconds = {}  # key -> wall time of the case

    def submit(self, key, fn, *args):
        while len(self.running) >= self.jobs:
            self._reap()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            signal.alarm(self.timeout)
            warnings.simplefilter("ignore")  # torch's deprecation notes
            try:
                result = fn(*args)
            except BaseException as e:  # pylint: disable=broad-except
                result = ("crash", f"{type(e).__name__}: {e}")
            with os.fdopen(write_fd, "wb") as f:
                pickle.dump(result, f)
            os._exit(0)
        os.close(write_fd)
        self.running[pid] = (os.fdopen(read_fd, "rb"), key, time.time())

    def _reap(self):
        pid, status = os.wait()
        if len(self.results) % 200 == 199:
            print(f"conformance: {len(self.results) + 1} cases done",
                  file=sys.stderr, flush=True)
        if pid not in self.running:
            return
        pipe, key, started = self.running.pop(pid)
        self.seconds[key] = round(time.time() - started, 3)
        data = pipe.read()
        pipe.close()
        if data:
            self.results[key] = pickle.loads(data)
        elif os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            self.results[key] = ("crash", "timed out" if sig == signal.SIGALRM
                                 else f"killed by signal {sig}")
        else:
            self.results[key] = ("crash",
                                 f"exit status {os.WEXITSTATUS(status)}")

    def finish(self):
        while self.running:
            self._reap()
        return self.results


# --- the run -----------------------------------------------------------------------


def op_cases(info, dtypes, max_samples):
    for name, dtype in dtypes.items():
        if dtype not in info.supported_dtypes("cpu"):
            continue
        try:
            # islice: a quick run does not make every sample first.
            samples = list(itertools.islice(
                info.sample_inputs("cpu", dtype, requires_grad=False),
                max_samples))
        except Exception as e:  # pylint: disable=broad-except
            yield name, None, f"sample_inputs failed: {e}"
            continue
        for sample in samples:
            yield name, sample, None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="2 samples per op and dtype (CI)")
    parser.add_argument("--samples", type=int, default=None,
                        help="samples per op and dtype (default all)")
    parser.add_argument("--ops", default=None,
                        help="comma-separated OpInfo names")
    parser.add_argument("--modules", action="store_true",
                        help="run module_db's ModuleInfos instead of op_db")
    parser.add_argument("--dtypes", default=None,
                        help="comma-separated (default: float32, float64, "
                        "int64, int32, bool; float32, float64 for modules; "
                        "also uint8, int8, int16, float16)")
    parser.add_argument("--json", default=None, help="write cases here")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="cases run at once (default: every core)")
    parser.add_argument("--show", type=int, default=0,
                        help="print the first N failures of each status")
    args = parser.parse_args(argv)
    from torch.testing._internal.common_methods_invocations import op_db
    # Imported once here, not in every forked child (most of a case's time).
    import mlc.frontend  # noqa: F401  pylint: disable=unused-import
    samples = args.samples or (2 if args.quick else 10 ** 9)
    names = args.dtypes or ("float32,float64" if args.modules
                            else ",".join(DTYPES))
    known = {**DTYPES, **MORE_DTYPES}
    unknown = [k for k in names.split(",") if k not in known]
    if unknown:
        parser.error(f"unknown dtype {', '.join(unknown)} (known: "
                     f"{', '.join(known)})")
    dtypes = {k: known[k] for k in names.split(",")}
    wanted = set(args.ops.split(",")) if args.ops else None
    torch.manual_seed(0)
    cases = []
    pool = Isolated(args.jobs)
    start = time.time()
    if args.modules:
        for case, fn, fn_args in module_cases(dtypes, samples, wanted):
            if fn is not None:
                pool.submit(len(cases), fn, *fn_args)
            cases.append(case)
    for info in [] if args.modules else op_db:
        full = info.name + (f".{info.variant_test_name}"
                            if info.variant_test_name else "")
        if wanted and info.name not in wanted and full not in wanted:
            continue
        overrides = tolerance_overrides(info)
        for dtype, sample, error in op_cases(info, dtypes, samples):
            case = {"op": full, "family": family(info),
                    "in_scope": in_scope(info), "dtype": dtype}
            if sample is None:
                case["status"], case["detail"] = "invalid", error
            else:
                pool.submit(len(cases), run_case, info.op, sample, info.name,
                            overrides)
            cases.append(case)
    for key, (status, detail) in pool.finish().items():
        cases[key]["status"], cases[key]["detail"] = status, detail
        cases[key]["seconds"] = pool.seconds.get(key)
    report(cases, time.time() - start, args.show)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(cases, f, indent=1)
    bad = [c for c in cases if c["status"] in ("mismatch", "crash")]
    return 1 if bad else 0


def summarize(cases):
    """Per-op figures: which ops pass all float32 samples / all samples of
    every dtype, among ops with at least one counted case."""
    ops = collections.defaultdict(list)
    for c in cases:
        if c["status"] not in ("untraceable", "invalid"):
            ops[c["op"]].append(c)
    all_f32 = sum(1 for cs in ops.values()
                  if any(c["dtype"] == "float32" for c in cs) and
                  all(c["status"] == "pass" for c in cs
                      if c["dtype"] == "float32"))
    with_f32 = sum(1 for cs in ops.values()
                   if any(c["dtype"] == "float32" for c in cs))
    all_dtypes = sum(1 for cs in ops.values()
                     if all(c["status"] == "pass" for c in cs))
    return {"ops": len(ops), "ops_with_float32": with_f32,
            "pass_all_float32": all_f32, "pass_all_dtypes": all_dtypes}


def report(cases, seconds, show):
    statuses = ["pass", "unsupported", "mismatch", "crash", "untraceable",
                "invalid"]
    for scope_name, scope in (("in scope", True), ("out of scope", False)):
        subset = [c for c in cases if c["in_scope"] == scope]
        if not subset:
            continue
        print(f"\n== {scope_name}: cases by family")
        print(f"{'family':<12}" + "".join(f"{s:>12}" for s in statuses))
        families = sorted({c["family"] for c in subset})
        for fam in families + ["total"]:
            rows = subset if fam == "total" else \
                [c for c in subset if c["family"] == fam]
            counts = collections.Counter(c["status"] for c in rows)
            print(f"{fam:<12}" + "".join(f"{counts[s]:>12}"
                                         for s in statuses))
        s = summarize(subset)
        pct = lambda a, b: f"{100.0 * a / b:.1f}%" if b else "n/a"  # noqa
        print(f"ops: {s['ops']}; pass all float32 samples: "
              f"{s['pass_all_float32']}/{s['ops_with_float32']} "
              f"({pct(s['pass_all_float32'], s['ops_with_float32'])}); "
              f"pass all samples of every dtype: {s['pass_all_dtypes']}/"
              f"{s['ops']} ({pct(s['pass_all_dtypes'], s['ops'])})")
    if show:
        for status in ("crash", "mismatch", "unsupported"):
            shown = [c for c in cases if c["status"] == status][:show]
            for c in shown:
                print(f"\n[{status}] {c['op']} {c['dtype']}: {c['detail']}")
    print(f"\n{len(cases)} cases in {seconds:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
