"""Throughput of every elementwise activation: forward pass plus derivative.

For each registered elementwise activation, times ``a.value_and_derivative(x)``
(the forward pass and the derivative, as a training step needs them) on one million
inputs drawn from N(0, 4^2) (so both sides of
every kink and the saturated tails are exercised), best of several repeats, in
float32 and float64. The reference measured in the same run is ``np.tanh`` on the
same array (one transcendental function per element), so the ratio column is
comparable across machines.

Where PyTorch is importable (a CPU build, installed only in the benchmark's own
environment, never in the book's), the same array also goes through PyTorch's
built-in function and its autograd backward on one thread, and the table gains the
ratio NumPy / PyTorch for the functions both have.

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


def torch_functions() -> dict:
    """PyTorch's built-in function for each activation that has one, at this
    book's default parameters; empty when PyTorch is not installed."""
    try:
        import torch
        import torch.nn.functional as F  # noqa: N812 - PyTorch's own spelling
    except ImportError:
        return {}
    torch.set_num_threads(1)
    return {
        "relu": torch.relu, "leaky_relu": F.leaky_relu, "relu6": F.relu6,
        "prelu": lambda t: F.prelu(t, torch.tensor([0.25], dtype=t.dtype)),
        "rrelu": lambda t: F.rrelu(t, training=False),
        "elu": F.elu, "selu": F.selu, "celu": F.celu, "gelu": F.gelu,
        "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"), "silu": F.silu,
        "mish": F.mish, "hard_swish": F.hardswish, "hard_sigmoid": F.hardsigmoid,
        "hard_tanh": F.hardtanh, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
        "softsign": F.softsign, "softplus": F.softplus, "log_sigmoid": F.logsigmoid,
        "softshrink": F.softshrink, "hardshrink": F.hardshrink,
        "tanhshrink": F.tanhshrink, "threshold": lambda t: F.threshold(t, 1.0, 0.0),
        "sin": torch.sin, "cos": torch.cos, "exponential": torch.exp,
        "absolute": torch.abs, "sign": torch.sign, "arctan": torch.atan,
        "normal_cdf": torch.special.ndtr,
    }


FLOORS = {
    # Phi by rational approximations of erfc (activations._erf): one exponential
    # and the ratio's Horner passes; the exponential alone is the floor
    "gelu": ("np.exp", np.exp),
    "normal_cdf": ("np.exp", np.exp),
}
"""The library calls an activation cannot do without (its value and derivative need
them), timed alone where the activation is more than twice PyTorch's time: a
floor for its ratio."""

FLOOR_ABOVE = 2.0


def torch_time(fn, x: np.ndarray, repeat: int) -> float:
    """Forward and autograd backward (the derivative times a gradient of ones)."""
    import torch

    t = torch.from_numpy(x)
    ones = torch.ones_like(t)

    def run():
        leaf = t.detach().requires_grad_(True)
        fn(leaf).backward(ones)
        return leaf.grad

    return best_of(run, repeat)


def measure(names: list[str], n: int, repeat: int, dtypes: list[str]) -> list[dict]:
    rng = np.random.default_rng(0)
    base = 4.0 * rng.standard_normal(n)
    torch_fns = torch_functions()
    rows = []
    for dtype in dtypes:
        x = base.astype(dtype)
        ref = best_of(lambda x=x: np.tanh(x), repeat)
        # The first arrays of this size cost extra page faults until the allocator
        # keeps such blocks instead of returning them to the system: pay that here,
        # for both sides, before anything is timed.
        best_of(lambda x=x: act.get(names[0]).value_and_derivative(x), repeat)
        if torch_fns:
            torch_time(next(iter(torch_fns.values())), x, repeat)
        for name in names:
            a = act.get(name)
            t = best_of(lambda a=a, x=x: a.value_and_derivative(x), repeat)
            row = {
                "activation": name,
                "dtype": dtype,
                "ms": 1e3 * t,
                "melem_per_s": n / t / 1e6,
                "ratio_to_tanh": t / ref,
                "tanh_ms": 1e3 * ref,
            }
            if name in torch_fns:
                tt = torch_time(torch_fns[name], x, repeat)
                row |= {"torch_ms": 1e3 * tt, "ratio_to_torch": t / tt}
                if t / tt > FLOOR_ABOVE and name in FLOORS:
                    label, floor = FLOORS[name]
                    tf = best_of(lambda x=x, floor=floor: floor(x), repeat)
                    row |= {"floor": label, "floor_ms": 1e3 * tf,
                            "floor_ratio": tf / tt}
            rows.append(row)
    return rows


def table(rows: list[dict], dtypes: list[str]) -> str:
    """One Markdown table per dtype, then its summary lines."""
    names = list(dict.fromkeys(r["activation"] for r in rows))
    by = {(r["activation"], r["dtype"]): r for r in rows}
    torch = any("torch_ms" in r for r in rows)
    parts = []
    for d in dtypes:
        head = ("| activation | ms | × np.tanh |"
                + (" PyTorch ms | × PyTorch |" if torch else ""))
        rule = "|---|---:|---:|" + ("---:|---:|" if torch else "")
        lines = [f"**{d}**", "", head, rule]
        for name in names:
            r = by[(name, d)]
            cells = [f"{r['ms']:.2f}", f"{r['ratio_to_tanh']:.2f}"]
            if torch:
                cells += ([f"{r['torch_ms']:.2f}", f"{r['ratio_to_torch']:.2f}"]
                          if "torch_ms" in r else ["-", "-"])
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        ratios = {n_: by[(n_, d)]["ratio_to_tanh"] for n_ in names}
        slowest = max(ratios, key=ratios.get)
        tanh_ms = by[(names[0], d)]["tanh_ms"]
        lines.append(
            f"\n{d}: np.tanh alone {tanh_ms:.2f} ms; forward + derivative "
            f"median {statistics.median(ratios.values()):.2f} × np.tanh, "
            f"max {ratios[slowest]:.2f} × ({slowest})"
        )
        both = [n_ for n_ in names if "torch_ms" in by[(n_, d)]]
        if both:
            tr = {n_: by[(n_, d)]["ratio_to_torch"] for n_ in both}
            worst = max(tr, key=tr.get)
            lines.append(
                f"\n{d}: NumPy / PyTorch (one thread, forward + backward) over "
                f"{len(both)} functions: median {statistics.median(tr.values()):.2f}, "
                f"max {tr[worst]:.2f} ({worst}); budget median <= 2, none > 4"
            )
            for n_ in both:
                r = by[(n_, d)]
                if "floor" in r:
                    lines.append(
                        f"\n{d}: {n_} is {r['ratio_to_torch']:.1f} × PyTorch; "
                        f"{r['floor']} alone, which it cannot do without, takes "
                        f"{r['floor_ms']:.2f} ms = {r['floor_ratio']:.1f} × PyTorch's "
                        "forward and backward"
                    )
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


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
    vector = [n for n in names if not act.get(n).elementwise]
    if vector:
        parser.error(f"not elementwise (no forward + derivative to time): {vector}")
    rows = measure(names, args.n, args.repeat, args.dtype)
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(f"Forward + derivative, {args.n:,} elements, best of {args.repeat}\n")
        print(table(rows, args.dtype))


if __name__ == "__main__":
    main()
