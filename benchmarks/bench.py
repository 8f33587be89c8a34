"""Every benchmark of the book in one run, and the table of budgets it writes.

``make bench`` runs this file. In order it measures

1. throughput of every elementwise activation (``throughput.py``), against PyTorch
   on one thread where PyTorch is importable, else against ``np.tanh``;
2. accuracy of every activation against mpmath (``accuracy.py``);
3. explorer latency in a live kernel (``latency.py``);
4. a clean build of the book with execution (``_build`` removed first), then a
   rebuild with nothing changed, wall time;
5. the page weight of the built site (``page_weight.py``),

then writes ``benchmarks/results.md`` (the budgets, then every table; the book's
benchmarks page includes it), ``benchmarks/results.json`` (the numbers), and the
budget table into README.md between its ``benchmarks`` markers, and rebuilds the
book once more (untimed) so that its benchmarks page shows the new tables.

    python benchmarks/bench.py                  # everything, about 10 minutes
    python benchmarks/bench.py --skip-build     # reuse _build/html (no build times)

The exit status is 1 when a budget is not met; the files are written either way.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import accuracy  # noqa: E402 - the sibling scripts, not installed packages
import latency  # noqa: E402
import page_weight  # noqa: E402
import throughput  # noqa: E402

import activations as act  # noqa: E402

BUILD = [sys.executable, str(ROOT / "_ext" / "build_book.py"), "build", str(ROOT),
         "-W", "-n", "--keep-going"]
RESULTS_MD = HERE / "results.md"
RESULTS_JSON = HERE / "results.json"
README = ROOT / "README.md"
MARKERS = ("<!-- benchmarks:start -->", "<!-- benchmarks:end -->")

BUDGETS = {
    "throughput_median": 2.0,    # NumPy / PyTorch, median over the shared functions
    "throughput_max": 4.0,       # ... and the worst of them
    "accuracy_ulp": 4.0,         # condition-scaled ULP, worst activation
    "redraw_median_ms": 50.0,    # live explorer, slider to finished figure
    "clean_build_s": 300.0,      # clean build with execution
    "rebuild_s": 30.0,           # no-change rebuild
    "heaviest_page_mb": 2.5,     # gzipped
}


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy
    import scipy

    info = {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    return info


def timed_build() -> float:
    t = time.perf_counter()
    subprocess.run(BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def run(skip_build: bool, repeat: int) -> dict:
    results: dict = {"machine": machine()}

    elementwise = [a.name for a in act.all_activations() if a.elementwise]
    print("throughput ...", file=sys.stderr, flush=True)
    dtypes = ["float32", "float64"]
    results["throughput"] = throughput.measure(elementwise, throughput.N, repeat,
                                               dtypes)

    print("accuracy ...", file=sys.stderr, flush=True)
    results["accuracy"] = accuracy.measure(act.names())

    print("explorer latency ...", file=sys.stderr, flush=True)
    results["latency"] = [latency.measure(n, 10) for n in act.names()]

    if skip_build:
        results["build"] = None
    else:
        if not RESULTS_MD.exists():  # the book's benchmarks page includes it
            RESULTS_MD.write_text("No measurements yet: run `make bench`.\n")
        print("clean build ...", file=sys.stderr, flush=True)
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        clean = timed_build()
        print("no-change rebuild ...", file=sys.stderr, flush=True)
        results["build"] = {"clean_s": clean, "rebuild_s": timed_build()}

    print("page weight ...", file=sys.stderr, flush=True)
    results["page_weight"] = page_weight.measure_site()
    return results


def budget_rows(r: dict) -> list[tuple[str, str, str, bool | None]]:
    """(what, budget, measured, met) for the budget table."""
    rows = []
    tp = r["throughput"]
    for dtype in ("float32", "float64"):
        mine = [x for x in tp if x["dtype"] == dtype]
        if any("ratio_to_torch" in x for x in mine):
            ratios = {x["activation"]: x["ratio_to_torch"] for x in mine
                      if "ratio_to_torch" in x}
            med = statistics.median(ratios.values())
            worst = max(ratios, key=ratios.get)
            over = sorted((n for n, v in ratios.items()
                           if v > BUDGETS["throughput_max"]), key=lambda n: -ratios[n])
            rows.append((f"throughput {dtype}, median NumPy / PyTorch over "
                         f"{len(ratios)} functions", "≤ 2", f"{med:.2f}",
                         med <= BUDGETS["throughput_median"]))
            cap = f"{BUDGETS['throughput_max']:g}"
            rows.append((f"throughput {dtype}, worst NumPy / PyTorch", f"≤ {cap}",
                         f"{ratios[worst]:.1f} ({worst})"
                         + (f"; above {cap}: {', '.join(over)}" if over else ""),
                         not over))
        else:
            ratios = {x["activation"]: x["ratio_to_tanh"] for x in mine}
            med = statistics.median(ratios.values())
            rows.append((f"throughput {dtype}, median × np.tanh "
                         "(PyTorch not installed)",
                         "—", f"{med:.1f}", None))
    worst = max(r["accuracy"], key=lambda x: max(x["value_ulp"], x["derivative_ulp"]))
    err = max(worst["value_ulp"], worst["derivative_ulp"])
    which = "f" if worst["value_ulp"] >= worst["derivative_ulp"] else "f′"
    rows.append(("accuracy, worst activation (condition-scaled ULP)", "≤ 4",
                 f"{err:.2f} ({worst['activation']} {which}, {worst['dtype']})",
                 err <= BUDGETS["accuracy_ulp"]))
    lat = latency.summary(r["latency"])
    rows.append(("explorer redraw, median over every move (ms)", "< 50",
                 f"{lat['median_ms']:.1f} (slowest explorer: {lat['slowest']}, "
                 f"{lat['slowest_median_ms']:.1f})",
                 lat["median_ms"] < BUDGETS["redraw_median_ms"]))
    if r["build"]:
        b = r["build"]
        rows.append(("clean build with execution", "< 5 min",
                     f"{b['clean_s'] // 60:.0f} min {b['clean_s'] % 60:.0f} s",
                     b["clean_s"] < BUDGETS["clean_build_s"]))
        rows.append(("no-change rebuild", "< 30 s", f"{b['rebuild_s']:.1f} s",
                     b["rebuild_s"] < BUDGETS["rebuild_s"]))
    pw = r["page_weight"]["summary"]
    rows.append(("heaviest page, gzipped", "< 2.5 MB",
                 f"{pw['heaviest_gzip_mb']:.2f} MB ({pw['heaviest_page']}); "
                 f"median page {pw['median_gzip_mb']:.2f} MB",
                 pw["heaviest_gzip_mb"] < BUDGETS["heaviest_page_mb"]))
    return rows


def budget_table(r: dict) -> str:
    m = r["machine"]
    lines = [
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores; "
        f"Python {m['python']}, "
        f"NumPy {m['numpy']}, SciPy {m['scipy']}"
        + (f", PyTorch {m['torch']} (CPU, one thread)" if m["torch"] else "")
        + ". Produced by `make bench`.",
        "",
        "| measure | budget | measured | met |",
        "|---|---|---|---|",
    ]
    for what, budget, measured, met in budget_rows(r):
        mark = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {what} | {budget} | {measured} | {mark} |")
    return "\n".join(lines)


def report(r: dict) -> str:
    dtypes = ["float32", "float64"]
    parts = [
        "## Budgets",
        budget_table(r),
        "## Throughput",
        "Forward pass and derivative together (`value_and_derivative`), 10⁶ elements "
        "drawn from N(0, 4²), best of several runs; PyTorch: its built-in function, "
        "forward and autograd backward, one thread.",
        throughput.table(r["throughput"], dtypes),
        "## Accuracy",
        "Worst error of the value and of the derivative against mpmath, in "
        "condition-scaled ULP, over the test grid and every parameter set "
        "(`activations.verify`).",
        accuracy.tables(r["accuracy"]),
        "## Explorer latency",
        "Live kernel: from a slider's (or button's) new value to the new PNG in the "
        "image widget.",
        latency.table(r["latency"]),
        "## Page weight",
        "Every response a first visit downloads (HTML, styles, scripts, fonts, "
        "images, MathJax components), gzipped; the ten heaviest pages.",
        page_weight.table(r["page_weight"], top=10),
    ]
    return "\n\n".join(parts) + "\n"


def update_readme(table: str) -> None:
    text = README.read_text()
    start, end = MARKERS
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {start} ... {end} block to fill")
    README.write_text(pattern.sub(lambda _: f"{start}\n{table}\n{end}", text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true",
                        help="measure the existing _build/html; no build times")
    parser.add_argument("--repeat", type=int, default=7, help="throughput repeats")
    args = parser.parse_args(argv)
    r = run(args.skip_build, args.repeat)
    RESULTS_JSON.write_text(json.dumps(r, indent=1) + "\n")
    RESULTS_MD.write_text(report(r))
    update_readme(budget_table(r))
    if not args.skip_build:
        print("rebuilding the benchmarks page with these results ...", file=sys.stderr)
        timed_build()
    print(budget_table(r))
    return 0 if all(met is not False for *_, met in budget_rows(r)) else 1


if __name__ == "__main__":
    sys.exit(main())
