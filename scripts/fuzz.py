#!/usr/bin/python3
"""Structured mutation fuzzer of mlc-opt (and mlc-run) over test/'s inputs.

Each run takes a case of a lit input (split at `// -----`), applies a few
mutations that keep it close to valid MLIR — an integer or a dimension
replaced by an edge value (0, -1, 2^40, ...), a type or an op name swapped
for another one of the corpus, a line deleted, duplicated or swapped, an SSA
use redirected — and runs `mlc-opt` with one of mlc's passes or pipelines
(the case's own RUN flags more often than the others), now and then
`mlc-run --random-inputs` on it too. A run is a finding when the tool dies
of a signal, prints a crash or sanitizer report ("PLEASE submit a bug
report", "LLVM ERROR", "AddressSanitizer", "runtime error:"), or hangs.
Diagnostics and exit code 1 are the expected answer to bad input.

Findings are minimized (lines dropped while the crash stays) and written to
the output folder with the command that reproduces them. Triage: a crash
whose stack has no frame of mlc's code (only MLIR's and LLVM's libraries,
e.g. MLIR 22's parser on `array<index: 0>`, docs/robustness.md) is
reported as upstream and does not fail the run; any other is mlc's, and
the script exits 1.

    scripts/fuzz.py --minutes 30                 # the acceptance run
    scripts/fuzz.py --seconds 120 --bin build-sanitize/bin   # as CI does
"""

import argparse
import concurrent.futures
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FLAGS = [
    [],
    ["--mlir-print-op-generic"],
    ["--relax-legalize"],
    ["--relax-fuse"],
    ["--relax-legalize", "--relax-fuse"],
    ["--relax-transpose-constant-weights"],
    ["--pass-pipeline=builtin.module(tir.func(tir-check-bounds))"],
    ["--convert-tir-to-linalg"],
    ["--relax-legalize", "--convert-tir-to-linalg", "--convert-relax-to-func"],
    ["--mlc-lower-to-llvm"],
    ["--mlc-lower-to-llvm=threads=2"],
    ["--mlc-lower-to-llvm=vectorize=false"],
    ["--mlc-codegen"],
    ["--mlc-codegen=threads=2"],
    ["--pass-pipeline=builtin.module(func.func(mlc-select-lowering-config,"
     "mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks))"],
    # Each later stage alone, on whatever configs the input carries.
    ["--mlc-distribute-to-threads"],
    ["--mlc-pack-panels"],
    ["--mlc-tile-register-blocks"],
    ["--mlc-vectorize"],
    ["--mlc-hoist-vector-transfers", "--mlc-lower-vector-contractions"],
    ["--pass-pipeline=builtin.module(func.func(mlc-elementwise-in-place))"],
    ["--convert-forall-to-openmp"],
]

EDGE_INTEGERS = ["0", "1", "-1", "2", "3", "7", "64", "-3", "65536",
                 "2147483647", "-2147483648", "1099511627776",
                 "9223372036854775807", "-9223372036854775808"]
EDGE_DIMS = ["?", "0", "1", "3", "65", "1099511627776"]
TYPES = ["f32", "f16", "f64", "i1", "i8", "i32", "i64", "index", "bf16"]

CRASH_MARKERS = ["PLEASE submit a bug report", "LLVM ERROR",
                 "AddressSanitizer", "LeakSanitizer", "runtime error:",
                 "Stack dump", "terminate called", "Segmentation fault"]


def load_corpus():
    """Every case of every .mlir under test/, with the flags of its RUN
    lines that name mlc-opt."""
    cases = []
    for folder, _, files in os.walk(os.path.join(ROOT, "test")):
        for name in sorted(files):
            if not name.endswith(".mlir"):
                continue
            path = os.path.join(folder, name)
            with open(path) as f:
                text = f.read()
            own = []
            for line in text.splitlines():
                m = re.match(r"//\s*RUN:.*?mlc-opt\s+%s\s+(.*?)(\||$)", line)
                if m:
                    flags = [a.strip('"') for a in m.group(1).split()
                             if a not in ("--split-input-file",
                                          "--verify-diagnostics")]
                    own.append(flags)
            for case in re.split(r"^// -----$", text, flags=re.M):
                lines = [l for l in case.splitlines()
                         if not l.lstrip().startswith("//")]
                if any(l.strip() for l in lines):
                    cases.append(("\n".join(lines) + "\n", own, path))
    return cases


class Mutator:
    def __init__(self, corpus, rng):
        self.rng = rng
        text = "\n".join(c[0] for c in corpus)
        self.ops = sorted(set(re.findall(r"\b((?:relax|tir|linalg|arith|"
                                         r"tensor|memref|scf|vector|func)"
                                         r"\.[a-z_]+)\b", text)))
        self.lines = [l for c in corpus for l in c[0].splitlines()
                      if l.strip()]

    def mutate(self, text):
        for _ in range(self.rng.randint(1, 3)):
            text = self.rng.choice([
                self.integer, self.dimension, self.type, self.op_name,
                self.delete_line, self.duplicate_line, self.swap_lines,
                self.redirect_use, self.splice])(text)
        return text

    def replace_match(self, pattern, text, choices, group=0):
        matches = list(re.finditer(pattern, text))
        if not matches:
            return text
        m = self.rng.choice(matches)
        return (text[:m.start(group)] + self.rng.choice(choices) +
                text[m.end(group):])

    def integer(self, text):
        return self.replace_match(r"(?<![\w%#@.])-?\d+(?![\w.x])", text,
                                  EDGE_INTEGERS)

    def dimension(self, text):
        return self.replace_match(r"(?:tensor|memref|vector)<((?:\?|\d+))x",
                                  text, EDGE_DIMS, group=1)

    def type(self, text):
        return self.replace_match(r"\b(f16|f32|f64|bf16|i1|i8|i32|i64|index)"
                                  r"\b", text, TYPES)

    def op_name(self, text):
        if not self.ops:
            return text
        return self.replace_match(
            r"\b(?:relax|tir|linalg|arith|tensor|memref|scf|vector|func)"
            r"\.[a-z_]+\b", text, self.ops)

    def delete_line(self, text):
        lines = text.splitlines()
        if len(lines) > 1:
            del lines[self.rng.randrange(len(lines))]
        return "\n".join(lines) + "\n"

    def duplicate_line(self, text):
        lines = text.splitlines()
        if lines:
            i = self.rng.randrange(len(lines))
            lines.insert(i, lines[i])
        return "\n".join(lines) + "\n"

    def swap_lines(self, text):
        lines = text.splitlines()
        if len(lines) > 1:
            i, j = self.rng.randrange(len(lines)), self.rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines) + "\n"

    def redirect_use(self, text):
        names = sorted(set(re.findall(r"%[\w]+", text)))
        if len(names) < 2:
            return text
        return self.replace_match(r"(?<=[ ,(\[])%[\w]+", text, names)

    def splice(self, text):
        lines = text.splitlines()
        if not lines:
            return text
        lines.insert(self.rng.randrange(len(lines)), self.rng.choice(self.lines))
        return "\n".join(lines) + "\n"


def run_tool(command, text, timeout):
    """(finding kind or None, output) of one run on `text`."""
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        out = subprocess.run(command + [path], capture_output=True, text=True,
                             errors="replace", timeout=timeout,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "hang", ""
    finally:
        os.unlink(path)
    output = out.stderr + out.stdout[-2000:]
    if out.returncode < 0:
        return f"signal {-out.returncode}", output
    for marker in CRASH_MARKERS:
        if marker in output:
            return marker, output
    if out.returncode not in (0, 1):
        return f"exit {out.returncode}", output
    return None, output


def is_mlc_frame(frame):
    """Whether a stack frame is mlc's code: an mlc symbol, a source file of
    this tree (symbolized builds), or an address in mlc's tools (release
    builds); the tools' main() only hands over to MLIR."""
    frame = re.sub(r"^in ", "", frame)
    if frame.startswith("main "):
        return False
    if "mlc::" in frame or "mlc_" in frame:
        return True
    if any(os.path.join(ROOT, part) in frame
           for part in ("lib", "include", "tools", "python")):
        return True
    return bool(re.search(r"\((\S*/)?mlc-(opt|run)\+0x", frame))


def is_upstream(output):
    """Whether a crash is MLIR's or LLVM's own: no frame of mlc's code on
    the stack, or the crash is inside MLIR's generic parser below mlc's
    parse hooks (which only delegate to it)."""
    frames = re.findall(r"^\s*#\d+ 0x[0-9a-f]+ (.*)$", output, flags=re.M)
    if not frames:
        return False
    for depth, frame in enumerate(frames):
        if is_mlc_frame(frame):
            return any("mlir::detail::Parser::" in f for f in frames[:depth])
    return True


def minimize(command, text, kind, timeout, deadline):
    """Drops lines while the same kind of finding stays."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and time.time() < deadline:
        trial = lines[:i] + lines[i + 1:]
        found, _ = run_tool(command, "\n".join(trial) + "\n", timeout)
        if found == kind:
            lines = trial
        else:
            i += 1
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"),
                        help="folder of mlc-opt and mlc-run")
    parser.add_argument("--out", default=os.path.join(ROOT, "fuzz-findings"))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=30,
                        help="seconds one run may take before it is a hang")
    parser.add_argument("--run-rate", type=float, default=0.05,
                        help="share of runs that also execute with mlc-run")
    args = parser.parse_args()
    budget = (args.seconds if args.seconds is not None else
              60 * (args.minutes if args.minutes is not None else 2))
    seed = args.seed if args.seed is not None else int(time.time())
    corpus = load_corpus()
    opt = os.path.join(args.bin, "mlc-opt")
    run = os.path.join(args.bin, "mlc-run")
    print(f"fuzz: {len(corpus)} cases, {budget:.0f} s, {args.jobs} jobs, "
          f"seed {seed}", flush=True)

    lock = threading.Lock()
    stats = {"runs": 0, "mlc": 0, "upstream": 0}
    seen = set()
    start = time.time()
    deadline = start + budget

    def worker(index):
        rng = random.Random(seed * 1000 + index)
        mutator = Mutator(corpus, rng)
        while time.time() < deadline:
            text, own, source = rng.choice(corpus)
            text = mutator.mutate(text)
            if rng.random() < args.run_rate:
                command = [run, "--random-inputs", "--quiet"]
            else:
                flags = (rng.choice(own) if own and rng.random() < 0.5
                         else rng.choice(FLAGS))
                command = [opt] + flags
            kind, output = run_tool(command, text, args.timeout)
            with lock:
                stats["runs"] += 1
            if kind is None:
                continue
            upstream = is_upstream(output)
            # One report per kind of finding and first crashing frame.
            top = re.search(r"^\s*#[4-9] 0x[0-9a-f]+ (\S+)", output, re.M)
            key = (kind, top.group(1) if top else "", upstream,
                   " ".join(command[1:]))
            with lock:
                new = key not in seen
                seen.add(key)
                stats["upstream" if upstream else "mlc"] += 1
            if not new:
                continue
            small = minimize(command, text, kind, args.timeout,
                             min(deadline + 120, time.time() + 60))
            os.makedirs(args.out, exist_ok=True)
            name = os.path.join(
                args.out, f"{'upstream' if upstream else 'mlc'}-"
                f"{len(seen)}-{re.sub(r'[^a-z0-9]+', '-', kind.lower())}")
            with open(name + ".mlir", "w") as f:
                f.write(f"// {kind} ({'upstream' if upstream else 'mlc'}) "
                        f"from {os.path.relpath(source, ROOT)}\n")
                f.write("// " + " ".join(command) + " <this file>\n")
                f.write(small)
            with open(name + ".log", "w") as f:
                f.write(output)
            with lock:
                print(f"fuzz: {'upstream' if upstream else 'MLC'} finding "
                      f"({kind}): {name}.mlir", flush=True)

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(worker, range(args.jobs)))
    elapsed = time.time() - start
    print(f"fuzz: {stats['runs']} runs in {elapsed:.0f} s, "
          f"{stats['mlc']} mlc crashes, {stats['upstream']} upstream "
          f"(known MLIR bugs, not counted)", flush=True)
    return 1 if stats["mlc"] else 0


if __name__ == "__main__":
    sys.exit(main())
