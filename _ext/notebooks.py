"""The book's pages as Jupyter notebooks: to download, to launch, to hand out.

The pages are MyST Markdown notebooks (``.md`` with a jupytext header). Colab opens
only ``.ipynb`` files, Jupyter Book 1 publishes the ``.ipynb`` it executed (outputs,
embedded widget frames and all) and a course needs a copy without the solutions, so
this module converts a page itself:

- :func:`strip_solutions` removes ``{solution}`` directives and whole
  ``{solution-start}`` ... ``{solution-end}`` regions (the code cells between them
  too); the exercises stay.
- :func:`page_notebook` turns a page into a notebook with no outputs: exercise and
  solution directives become plain Markdown (Jupyter and Colab show a directive as a
  code block, with its math unrendered), and a first cell installs this book's package
  when the notebook runs on Colab, where it is missing.

As a Sphinx extension (``_config.yml``) it writes each notebook page's instructor copy
to ``_build/html/_sources/<page>.ipynb``, the ``.ipynb`` entry of the download menu,
and points the Binder and Colab launch buttons at the same notebook on the
``notebooks`` branch, which the deploy workflow publishes (the repository holds only
the ``.md`` pages, and Colab cannot open those).

As a script (``make notebooks``) it writes every notebook page, twice (``instructor/``
and ``student/``), each copy with the package and the pinned requirements, plus one zip
of each copy::

    python _ext/notebooks.py --out notebooks
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml
from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
BUNDLE_NAME = "activations-derived"
DEFAULT_BRANCH = "notebooks"

# CommonMark fences (backticks, tildes) and MyST colon fences, indented at most 3
_FENCE = re.compile(r"^ {0,3}(?P<mark>`{3,}|~{3,}|:{3,})(?P<info>.*?)\s*$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:")


@dataclass(frozen=True)
class Block:
    """A run of lines: one top-level fenced block, or one line outside any fence."""

    lines: list[str]
    directive: str | None = None  # "exercise" for ```{exercise}, None otherwise
    argument: str = ""

    @property
    def body(self) -> list[str]:
        """The lines between the fences, without the directive's ``:option:`` lines."""
        inner = self.lines[1:-1]
        while inner and _OPTION.match(inner[0]):
            inner = inner[1:]
        return inner

    def option(self, name: str) -> str | None:
        for line in self.lines[1:-1]:
            if not _OPTION.match(line):
                break
            key, _, value = line.strip()[1:].partition(":")
            if key == name:
                return value.strip()
        return None


def blocks(text: str) -> Iterator[Block]:
    """Split MyST text into top-level fenced blocks and single other lines.

    A fence closes on a line of the same character, at least as long, with nothing
    after it, so longer fences may nest shorter ones (as MyST requires).
    """
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            yield Block([lines[i]])
            i += 1
            continue
        mark = opening["mark"]
        j = i + 1
        while j < len(lines):
            closing = _FENCE.match(lines[j])
            if (
                closing
                and not closing["info"]
                and closing["mark"][0] == mark[0]
                and len(closing["mark"]) >= len(mark)
            ):
                break
            j += 1
        directive = _DIRECTIVE.match(opening["info"].strip())
        yield Block(
            lines[i : j + 1],
            directive["name"] if directive else None,
            directive["argument"].strip() if directive else "",
        )
        i = j + 1


ANSWER_CELL = "\n```{code-cell} ipython3\n# your answer\n```\n"
"""The code cell a student's copy adds after every exercise."""


def strip_solutions(text: str) -> str:
    """The page without its solutions: a student's copy.

    Removes every ``{solution}`` directive and every region from a
    ``{solution-start}`` to its ``{solution-end}``, whatever it holds (prose, code
    cells, figures). ``{exercise}`` directives are kept, each followed by an empty
    code cell (:data:`ANSWER_CELL`) to work in.
    """
    kept: list[str] = []
    inside = False
    for block in blocks(text):
        if block.directive == "solution-start":
            if inside:
                raise ValueError("{solution-start} inside another solution")
            inside = True
        elif block.directive == "solution-end":
            if not inside:
                raise ValueError("{solution-end} without a {solution-start}")
            inside = False
        elif block.directive != "solution" and not inside:
            kept.extend(block.lines)
            if block.directive == "exercise":
                kept.append(ANSWER_CELL)
    if inside:
        raise ValueError("{solution-start} without a {solution-end}")
    return re.sub(r"\n{3,}", "\n\n", "".join(kept))


def plain_exercises(text: str) -> str:
    """Exercise and solution directives as plain Markdown that Jupyter renders."""
    parsed = list(blocks(text))
    titles = {
        b.option("label"): b.argument for b in parsed if b.directive == "exercise"
    }
    out: list[str] = []
    for block in parsed:
        if block.directive == "exercise":
            title = f": {block.argument}" if block.argument else ""
            out += [f"**Exercise{title}**\n", "\n", *block.body, "\n"]
        elif block.directive in ("solution", "solution-start"):
            title = titles.get(block.argument, "")
            out.append(f"**Solution{f' ({title})' if title else ''}**\n")
            out += ["\n", *block.body, "\n"] if block.directive == "solution" else []
        elif block.directive != "solution-end":
            out.extend(block.lines)
    return re.sub(r"\n{3,}", "\n\n", "".join(out))


def install_url(repository_url: str, branch: str = DEFAULT_BRANCH) -> str:
    """What pip installs this book's package from: the published notebooks branch."""
    return f"git+{repository_url.rstrip('/')}@{branch}"


def setup_cell_source(package_url: str) -> str:
    return f"""\
# Colab starts without this book's package: install it there. Elsewhere
# `pip install -r requirements.txt` has installed it and this cell does nothing.
import importlib.util
import subprocess
import sys

if "google.colab" in sys.modules and importlib.util.find_spec("activations") is None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "{package_url}"],
        check=True,
    )"""


def is_notebook_page(path: Path) -> bool:
    """True for a page with a jupytext header and a kernel: a page with code."""
    return "kernelspec" in jupytext.read(path).metadata


def page_notebook(
    path: Path, *, student: bool = False, package_url: str | None = None
) -> nbformat.NotebookNode:
    """A page as a notebook without outputs, ready to run top to bottom."""
    text = Path(path).read_text(encoding="utf8")
    if student:
        text = strip_solutions(text)
    nb = jupytext.reads(plain_exercises(text), fmt="md:myst")
    # the jupytext metadata would mark the notebook as paired with a text file
    nb.metadata.pop("jupytext", None)
    nb.metadata["language_info"] = {"name": "python"}
    if package_url:
        nb.cells.insert(0, nbformat.v4.new_code_cell(setup_cell_source(package_url)))
    for i, cell in enumerate(nb.cells):
        # stable ids, so an unchanged page gives a byte-identical notebook
        cell["id"] = f"cell-{i}"
    nbformat.validate(nb)
    return nb


def write_notebook(nb: nbformat.NotebookNode, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(nbformat.writes(nb) + "\n", encoding="utf8")


# ---------------------------------------------------------------- make notebooks


def toc_pages(root: Path = ROOT) -> list[str]:
    """Docnames of every page in ``_toc.yml``, in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf8"))
    pages = [toc["root"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                pages.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [os.path.splitext(p)[0] for p in dict.fromkeys(pages)]


def repository_url(root: Path = ROOT) -> str:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf8"))
    return config["repository"]["url"]


HANDOUT_README = """\
# {title}: notebooks ({copy} copy)

Every page of the book with code, as a Jupyter notebook{solutions}.
The notebooks import `activations`, the book's Python package, which is included
under `src/`.

Install (Python 3.11 or newer), then start JupyterLab:

```bash
python -m venv .venv
.venv/bin/pip install -r requirements.txt
.venv/bin/jupyter lab book/
```

Each notebook runs top to bottom in a fresh kernel.
On Colab (upload a notebook), the first cell installs the package instead.
"""


def _copy_package(root: Path, dest: Path) -> None:
    for name in ("requirements.txt", "pyproject.toml"):
        shutil.copy2(root / name, dest / name)
    shutil.copytree(
        root / "src",
        dest / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )


def _zip(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                # a fixed timestamp: an unchanged book gives an identical archive
                info = zipfile.ZipInfo(
                    str(Path(folder.name) / path.relative_to(folder)),
                    date_time=(2020, 1, 1, 0, 0, 0),
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())


def write_course(out: Path, root: Path = ROOT, branch: str = DEFAULT_BRANCH) -> dict:
    """Write the instructor and student copies and their zips; return the paths."""
    pages = [p for p in toc_pages(root) if is_notebook_page(root / f"{p}.md")]
    package_url = install_url(repository_url(root), branch)
    title = yaml.safe_load((root / "_config.yml").read_text(encoding="utf8"))["title"]
    written: dict[str, Any] = {"pages": pages}
    out.mkdir(parents=True, exist_ok=True)
    for copy, student in (("instructor", False), ("student", True)):
        folder = out / f"{BUNDLE_NAME}-{copy}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for page in pages:
            nb = page_notebook(
                root / f"{page}.md", student=student, package_url=package_url
            )
            write_notebook(nb, folder / f"{page}.ipynb")
        _copy_package(root, folder)
        solutions = " without the exercise solutions" if student else ""
        (folder / "README.md").write_text(
            HANDOUT_README.format(title=title, copy=copy, solutions=solutions),
            encoding="utf8",
        )
        archive = out / f"{folder.name}.zip"
        _zip(folder, archive)
        written[copy] = folder
        written[f"{copy}_zip"] = archive
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "notebooks")
    parser.add_argument(
        "--branch",
        default=DEFAULT_BRANCH,
        help="branch the Colab setup cell installs the package from",
    )
    args = parser.parse_args(argv)
    written = write_course(args.out, branch=args.branch)
    print(f"{len(written['pages'])} notebooks, twice:")
    for copy in ("instructor", "student"):
        print(f"  {written[copy]}/  {written[f'{copy}_zip']}")
    return 0


# ---------------------------------------------------------------- Sphinx extension


def _github_parts(url: str) -> tuple[str, str] | None:
    match = re.match(r"https://github\.com/([^/]+)/([^/#?]+?)(?:\.git)?/?$", url)
    return (match[1], match[2]) if match else None


def launch_urls(
    repository: str, branch: str, notebook: str, binderhub: str = "", colab: str = ""
) -> dict[str, str]:
    """Binder and Colab URLs of ``notebook`` (a path in the repository)."""
    parts = _github_parts(repository)
    if parts is None:
        return {}
    org, repo = parts
    urls = {}
    if binderhub:
        urls["Binder"] = (
            f"{binderhub.rstrip('/')}/v2/gh/{org}/{repo}/{branch}"
            f"?urlpath=lab/tree/{notebook}"
        )
    if colab:
        urls["Colab"] = (
            f"{colab.rstrip('/')}/github/{org}/{repo}/blob/{branch}/{notebook}"
        )
    return urls


def _publish_notebook(app, pagename: str, templatename, context: dict, doctree) -> None:
    """Write the page's notebook under _sources/; aim the launch buttons at it."""
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md":
        return
    options = app.config.html_theme_options
    repository = options.get("repository_url", "")
    branch = app.config.notebooks_branch
    nb = page_notebook(source, package_url=install_url(repository, branch))
    # same path as the theme's copy of the executed notebook, which this replaces
    write_notebook(nb, Path(app.outdir, "_sources", f"{pagename}.ipynb"))
    buttons = {b.get("label"): b for b in context.get("header_buttons", [])}
    if not context.get("ipynb_source") and "download-buttons" in buttons:
        buttons["download-buttons"]["buttons"].insert(
            0,
            {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/{pagename}.ipynb",
                "text": ".ipynb",
                "icon": "fas fa-code",
                "tooltip": "Download notebook file",
                "label": "download-notebook-button",
            },
        )
    context["ipynb_source"] = f"{pagename}.ipynb"
    launch = options.get("launch_buttons", {})
    book_path = options.get("path_to_docs", "").strip("/")
    notebook = f"{book_path}/{pagename}.ipynb" if book_path else f"{pagename}.ipynb"
    urls = launch_urls(
        repository,
        branch,
        notebook,
        launch.get("binderhub_url", ""),
        launch.get("colab_url", ""),
    )
    for button in buttons.get("launch-buttons", {}).get("buttons", []):
        if button.get("text") in urls:
            button["url"] = urls[button["text"]]


STATUS_WORDS = {"\N{WHITE HEAVY CHECK MARK}": "passed", "\N{CROSS MARK}": "failed"}


def _status_in_words(app, doctree, docname: str) -> None:
    """Write the execution table's status as words: many fonts lack the emoji."""
    for table in doctree.findall(nodes.table):
        header = [e.astext() for e in table.findall(nodes.entry)][:5]
        if header != ["Document", "Modified", "Method", "Run Time (s)", "Status"]:
            continue
        for text in list(table.findall(nodes.Text)):
            if str(text) in STATUS_WORDS:
                text.parent.replace(text, nodes.Text(STATUS_WORDS[str(text)]))


def setup(app) -> dict[str, Any]:
    app.add_config_value("notebooks_branch", DEFAULT_BRANCH, "html")
    # doctree-resolved runs after myst-nb's post-transform has built the table
    app.connect("doctree-resolved", _status_in_words)
    # after sphinx-book-theme's header and launch buttons (priority 501)
    app.connect("html-page-context", _publish_notebook, priority=502)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main())
