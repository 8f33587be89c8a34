"""Re-pin the two dependency sets from the current environment (``make lock``).

``requirements.txt`` holds what a reader installs to run the notebooks: the package's
dependencies and its ``lab`` extra (pyproject.toml), with everything they pull in.
``requirements-dev.txt`` adds what building and testing the book needs (the ``dev``
extra): every other package installed in the environment. Both are exact pins.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# Exact pins: the book is a build product. Regenerate with 'make lock'.\n"


def _pip(*args: str) -> str:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main() -> None:
    installed = _pip("freeze", "--exclude-editable").splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        constraints, report = Path(tmp, "constraints.txt"), Path(tmp, "report.json")
        constraints.write_text("\n".join(installed) + "\n")
        # what pip would install for a reader, held to the versions installed here
        _pip("install", "--dry-run", "--ignore-installed", "--quiet", "--report",
             str(report), "-c", str(constraints), f"{ROOT}[lab]")
        resolved = json.loads(report.read_text())["install"]
    reader = {i["metadata"]["name"].lower().replace("_", "-") for i in resolved}
    reader.discard("activations")

    def key(pin: str) -> str:
        return pin.split("==")[0].lower().replace("_", "-")

    pins = sorted(installed, key=str.lower)
    (ROOT / "requirements.txt").write_text(
        HEADER + "-e .[lab]\n" + "".join(f"{p}\n" for p in pins if key(p) in reader))
    (ROOT / "requirements-dev.txt").write_text(
        HEADER + "-r requirements.txt\n"
        + "".join(f"{p}\n" for p in pins if key(p) not in reader))


if __name__ == "__main__":
    main()
