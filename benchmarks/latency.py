"""Explorer latency: from a slider's new value to a finished figure, live kernel.

For every activation, builds the explorer a reader gets in a running kernel
(``activations.widgets.explorer(name, live=True)``), then moves each slider through
``--moves`` positions across its range and times each move: the widget's observer
redraws synchronously, so the time from ``slider.value = v`` to the return is the
time until the new PNG is in the image widget, ready for the browser (the transfer
to the browser is not counted: it is the same few kilobytes for every activation).
An explorer with no slider (ReLU, say) is timed on its overlay buttons instead.

    python benchmarks/latency.py              # a table, slowest first
    python benchmarks/latency.py --json       # the same numbers for a script
    python benchmarks/latency.py --only gelu softmax

The budget is a median redraw under 50 ms; the exit status is 1 above it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import ipywidgets as w
import matplotlib

matplotlib.use("Agg")

import activations as act  # noqa: E402 - after choosing the backend
from activations.widgets import explorer  # noqa: E402

BUDGET_MS = 50.0


def _controls(box: w.Widget) -> list[w.Widget]:
    """Every slider and button row inside the explorer, depth first."""
    found = []
    for child in getattr(box, "children", ()):
        if isinstance(child, w.FloatSlider | w.ToggleButtons):
            found.append(child)
        found += _controls(child)
    return found


def _image(box: w.Widget) -> w.Image:
    images = [c for c in getattr(box, "children", ()) if isinstance(c, w.Image)]
    if images:
        return images[-1]
    return next(_image(c) for c in box.children if getattr(c, "children", ()))


def measure(name: str, moves: int) -> dict:
    """Redraw times of one live explorer, in milliseconds."""
    t0 = time.perf_counter()
    box = explorer(name, live=True)
    first = 1e3 * (time.perf_counter() - t0)
    image = _image(box)
    times = []
    for control in _controls(box):
        if isinstance(control, w.FloatSlider):
            span = control.max - control.min
            targets = [control.min + span * (i + 0.5) / moves for i in range(moves)]
        else:
            options = [v for _, v in control.options]
            targets = [options[(i + 1) % len(options)] for i in range(moves)]
        start = control.value
        for v in targets:
            if v == control.value:
                continue
            before = image.value
            t = time.perf_counter()
            control.value = v
            times.append(1e3 * (time.perf_counter() - t))
            if image.value == before:
                raise RuntimeError(f"{name}: moving {control.description} to {v} "
                                   "did not redraw the figure")
        control.value = start
    return {
        "activation": name,
        "moves": len(times),
        "first_ms": first,
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "times_ms": times,
    }


def table(rows: list[dict]) -> str:
    lines = ["| activation | moves | median ms | max ms | first figure ms |",
             "|---|---:|---:|---:|---:|"]
    for r in sorted(rows, key=lambda r: -r["median_ms"]):
        lines.append(f"| {r['activation']} | {r['moves']} | {r['median_ms']:.1f} | "
                     f"{r['max_ms']:.1f} | {r['first_ms']:.0f} |")
    s = summary(rows)
    lines.append(f"\nMedian redraw over all {s['moves']} moves: "
                 f"{s['median_ms']:.1f} ms; slowest explorer {s['slowest']} at "
                 f"{s['slowest_median_ms']:.1f} ms median; "
                 f"budget median < {BUDGET_MS:g} ms")
    return "\n".join(lines)


def summary(rows: list[dict]) -> dict:
    slowest = max(rows, key=lambda r: r["median_ms"])
    all_moves = [t for r in rows for t in r["times_ms"]]
    return {
        "moves": len(all_moves),
        "median_ms": statistics.median(all_moves),
        "slowest": slowest["activation"],
        "slowest_median_ms": slowest["median_ms"],
        "budget_ms": BUDGET_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", help="activation names to time")
    parser.add_argument("--moves", type=int, default=10, help="moves per control")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args(argv)
    names = [act.get(n).name for n in args.only] if args.only else act.names()
    rows = [measure(n, args.moves) for n in names]
    print(json.dumps(rows, indent=1) if args.json else table(rows))
    return 0 if summary(rows)["median_ms"] < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
