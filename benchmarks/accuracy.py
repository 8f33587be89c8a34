"""Accuracy of every activation against mpmath, in condition-scaled ULP.

Runs ``activations.verify.verify`` (the machinery the tests and the pages use) for
every registered activation, in float64 and float32, at the default parameters and
at the ends and middle of each parameter's range, and reports the worst error of the
value and of the derivative (for vector-valued activations: of the Jacobian and of
the vector-Jacobian product) per activation and per family.

    python benchmarks/accuracy.py              # Markdown tables
    python benchmarks/accuracy.py --json       # the rows for a script
    python benchmarks/accuracy.py --only gelu softplus

The budget is 4 condition-scaled ULP (``verify.ULP_TOLERANCE``); the exit status is 1
above it.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

import activations as act
from activations import verify

DTYPES = ("float64", "float32")


def measure(names: list[str]) -> list[dict]:
    rows = []
    for name in names:
        a = act.get(name)
        for dtype in DTYPES:
            report = verify.verify(a, dtype=np.dtype(dtype), raise_on_failure=False)
            ulp = [c for c in report.checks if c.unit == "ulp*"]
            values = [c for c in ulp if c.what.startswith(("f:", "y:"))]
            slopes = [c for c in ulp if c not in values]
            worst_v = max(values, key=lambda c: c.error)
            worst_d = max(slopes, key=lambda c: c.error)
            rows.append({
                "activation": name,
                "family": a.family,
                "dtype": dtype,
                "value_ulp": worst_v.error,
                "value_at": worst_v.worst_x,
                "derivative_ulp": worst_d.error,
                "derivative_at": worst_d.worst_x,
                "derivative_check": worst_d.what,
                "passed": report.passed,
            })
    return rows


def tables(rows: list[dict]) -> str:
    out = ["| activation | family | float64 f | float64 f′ | float32 f | float32 f′ |",
           "|---|---|---:|---:|---:|---:|"]
    by = {(r["activation"], r["dtype"]): r for r in rows}
    names = list(dict.fromkeys(r["activation"] for r in rows))
    for n in names:
        r64, r32 = by[(n, "float64")], by[(n, "float32")]
        out.append(f"| {n} | {r64['family']} | {r64['value_ulp']:.2f} | "
                   f"{r64['derivative_ulp']:.2f} | {r32['value_ulp']:.2f} | "
                   f"{r32['derivative_ulp']:.2f} |")
    out += ["", "| family | activations | worst (condition-scaled ULP) | where |",
            "|---|---:|---:|---|"]
    families = sorted({r["family"] for r in rows})
    for fam in families:
        mine = [r for r in rows if r["family"] == fam]
        worst = max(mine, key=lambda r: max(r["value_ulp"], r["derivative_ulp"]))
        which = ("f" if worst["value_ulp"] >= worst["derivative_ulp"] else "f′")
        err = max(worst["value_ulp"], worst["derivative_ulp"])
        count = len({r["activation"] for r in mine})
        out.append(f"| {fam} | {count} | {err:.2f} | {worst['activation']} {which}, "
                   f"{worst['dtype']} |")
    overall = max(max(r["value_ulp"], r["derivative_ulp"]) for r in rows)
    out.append(f"\nWorst overall: {overall:.2f} (budget {verify.ULP_TOLERANCE:g}).")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", help="activation names to measure")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args()
    names = [act.get(n).name for n in args.only] if args.only else act.names()
    rows = measure(names)
    print(json.dumps(rows, indent=1) if args.json else tables(rows))
    if not all(r["passed"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
