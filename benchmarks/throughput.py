"""Throughput of every elementwise activation: forward pass plus derivative.

For each registered elementwise activation, times ``a(x)`` followed by
``a.derivative(x)`` on one million inputs drawn from N(0, 4^2) (so both sides of
every kink and the saturated tails are exercised), best of several repeats, in
float32 and float64. The reference measured in the same run is ``np.tanh`` on the
same array (one transcendental function per element, a floor that a NumPy
implementation of anything but a piecewise-linear function rarely beats), so the
ratio column is comparable across machines.

    python benchmarks/throughput.py                 # a Markdown table
    python benchmarks/throughput.py --json          # the same numbers for a script
    python benchmarks/throughput.py --n 100000 --repeat 3 --only relu gelu

Vector-valued activations (softmax, GLU, ...) are not elementwise and are left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

import activations as act

N = 1_000_000


def best_of(fn, repeat: int) -> float:
    """The fastest of ``repeat`` timed calls, in seconds (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(names: list[str], n: int, repeat: int, dtypes: list[str]) -> list[dict]:
    rng = np.random.default_rng(0)
    base = 4.0 * rng.standard_normal(n)
    rows = []
    for dtype in dtypes:
        x = base.astype(dtype)
        ref = best_of(lambda x=x: np.tanh(x), repeat)
        for name in names:
            a = act.get(name)
            t = best_of(lambda a=a, x=x: (a(x), a.derivative(x)), repeat)
            rows.append({
                "activation": name,
                "dtype": dtype,
                "ms": 1e3 * t,
                "melem_per_s": n / t / 1e6,
                "ratio_to_tanh": t / ref,
                "tanh_ms": 1e3 * ref,
            })
    return rows


def table(rows: list[dict], dtypes: list[str]) -> str:
    names = list(dict.fromkeys(r["activation"] for r in rows))
    by = {(r["activation"], r["dtype"]): r for r in rows}
    head = "| activation | " + " | ".join(
        f"{d} ms | {d} × np.tanh" for d in dtypes) + " |"
    rule = "|---|" + "---:|---:|" * len(dtypes)
    lines = [head, rule]
    for name in names:
        cells = []
        for d in dtypes:
            r = by[(name, d)]
            cells += [f"{r['ms']:.2f}", f"{r['ratio_to_tanh']:.2f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for d in dtypes:
        ratios = [by[(n_, d)]["ratio_to_tanh"] for n_ in names]
        tanh_ms = by[(names[0], d)]["tanh_ms"]
        lines.append(
            f"\n{d}: np.tanh alone {tanh_ms:.2f} ms; forward + derivative "
            f"median {statistics.median(ratios):.2f} × np.tanh, "
            f"max {max(ratios):.2f} × ({max(names, key=lambda n_: by[(n_, d)]['ratio_to_tanh'])})"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=N, help="elements per array")
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats")
    parser.add_argument("--dtype", nargs="+", default=["float32", "float64"])
    parser.add_argument("--only", nargs="+", help="activation names to time")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args()
    names = [act.get(n).name for n in args.only] if args.only else [
        a.name for a in act.all_activations() if a.elementwise]
    rows = measure(names, args.n, args.repeat, args.dtype)
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(f"Forward + derivative, {args.n:,} elements, best of {args.repeat}\n")
        print(table(rows, args.dtype))


if __name__ == "__main__":
    main()
