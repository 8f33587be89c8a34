"""Notebooks from the pages: student copies without solutions, launch URLs, execution.

The conversion lives in ``_ext/notebooks.py`` (the Sphinx extension and the script
behind ``make notebooks``).
"""

from __future__ import annotations

import json
import sys
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import notebooks  # noqa: E402 - lives in _ext/, not an installed package

from activations import widgets  # noqa: E402

PAGE = textwrap.dedent(
    """\
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
        format_version: 0.13
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---

    # A page

    ```{code-cell} ipython3
    x = 1
    ```

    ## Exercises

    ```{exercise} First
    :label: ex-first

    Compute $x + 1$.
    ```

    ```{solution} ex-first
    :class: dropdown

    It is SOLUTION-ONE.
    ```

    ````{exercise} Second
    :label: ex-second

    Run this:

    ```python
    print("kept")
    ```
    ````

    ````{solution} ex-second
    :class: dropdown

    SOLUTION-TWO, with a fence inside:

    ```python
    print("dropped")
    ```
    ````

    :::{exercise} Third
    :label: ex-third

    Plot it.
    :::

    :::{solution} ex-third
    SOLUTION-THREE
    :::

    ```{solution-start} ex-third
    :class: dropdown
    ```

    SOLUTION-FOUR prose.

    ```{code-cell} ipython3
    solution_four = x + 3
    ```

    ```{solution-end}
    ```

    ## References

    After the exercises.
    """
)
SOLUTION_MARKS = ("SOLUTION-ONE", "SOLUTION-TWO", "SOLUTION-THREE", "SOLUTION-FOUR")


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf8")
    return path


def test_strip_solutions_removes_solution_directives():
    stripped = notebooks.strip_solutions(PAGE)
    for mark in SOLUTION_MARKS[:3]:
        assert mark not in stripped
    assert "{solution}" not in stripped
    assert 'print("dropped")' not in stripped


def test_strip_solutions_removes_solution_start_end_region_with_its_code():
    stripped = notebooks.strip_solutions(PAGE)
    assert "SOLUTION-FOUR" not in stripped
    assert "solution_four" not in stripped
    assert "{solution-start}" not in stripped
    assert "{solution-end}" not in stripped


def test_strip_solutions_keeps_exercises_and_the_rest():
    stripped = notebooks.strip_solutions(PAGE)
    for title in ("First", "Second", "Third"):
        assert f"{{exercise}} {title}" in stripped
    assert 'print("kept")' in stripped
    assert "x = 1" in stripped
    assert stripped.rstrip().endswith("After the exercises.")


def test_strip_solutions_rejects_an_unclosed_solution_region():
    with pytest.raises(ValueError, match="without a {solution-end}"):
        notebooks.strip_solutions("```{solution-start} ex\n```\n\nopen\n")


def test_student_notebook_has_exercises_and_no_solutions(page: Path):
    nb = notebooks.page_notebook(page, student=True)
    text = json.dumps(nb)
    assert not [mark for mark in SOLUTION_MARKS if mark in text]
    assert "**Exercise: First**" in text
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert sources == ["x = 1"] + ["# your answer"] * 3  # one per exercise


def test_instructor_notebook_keeps_solutions(page: Path):
    nb = notebooks.page_notebook(page, student=False)
    text = json.dumps(nb)
    assert [mark for mark in SOLUTION_MARKS if mark in text] == list(SOLUTION_MARKS)
    assert "**Solution (First)**" in text
    # the solution's code cell stays a code cell
    assert [c.source for c in nb.cells if c.cell_type == "code"] == [
        "x = 1",
        "solution_four = x + 3",
    ]
    # directives become Markdown that Jupyter renders
    assert "{exercise}" not in text and "{solution" not in text


def test_notebook_is_valid_without_outputs_and_unpaired(page: Path):
    nb = notebooks.page_notebook(page, package_url="git+https://example.org/r@b")
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert "jupytext" not in nb.metadata
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")


def test_setup_cell_installs_only_on_colab(page: Path):
    nb = notebooks.page_notebook(page, package_url="git+https://example.org/r@b")
    first = nb.cells[0]
    assert first.cell_type == "code"
    assert "git+https://example.org/r@b" in first.source
    assert '"google.colab" in sys.modules' in first.source
    compile(first.source, "setup-cell", "exec")


def test_notebook_is_identical_when_the_page_is(page: Path):
    first = nbformat.writes(notebooks.page_notebook(page))
    assert nbformat.writes(notebooks.page_notebook(page)) == first


def test_launch_urls_point_at_the_notebook_on_the_branch():
    urls = notebooks.launch_urls(
        "https://github.com/org/repo",
        "notebooks",
        "book/intro.ipynb",
        binderhub="https://mybinder.org",
        colab="https://colab.research.google.com",
    )
    assert urls == {
        "Binder": "https://mybinder.org/v2/gh/org/repo/notebooks"
        "?urlpath=lab/tree/book/intro.ipynb",
        "Colab": "https://colab.research.google.com/github/org/repo/blob/notebooks/"
        "book/intro.ipynb",
    }


def test_launch_urls_need_a_github_repository():
    assert (
        notebooks.launch_urls("https://example.org/r", "b", "p.ipynb", "x", "y") == {}
    )


def test_every_notebook_page_is_in_the_course(tmp_path: Path):
    written = notebooks.write_course(tmp_path)
    pages = written["pages"]
    expected = [
        p for p in notebooks.toc_pages() if notebooks.is_notebook_page(ROOT / f"{p}.md")
    ]
    assert pages == expected and "book/intro" in pages
    for copy in ("instructor", "student"):
        folder = written[copy]
        assert sorted(folder.rglob("*.ipynb")) == sorted(
            folder / f"{p}.ipynb" for p in pages
        )
        with zipfile.ZipFile(written[f"{copy}_zip"]) as zf:
            names = set(zf.namelist())
        root = folder.name
        assert {f"{root}/{p}.ipynb" for p in pages} <= names
        # what `pip install -r requirements.txt` needs in the unpacked folder
        for name in ("requirements.txt", "pyproject.toml", "README.md"):
            assert f"{root}/{name}" in names
        assert f"{root}/src/activations/__init__.py" in names


def test_student_copy_of_a_real_page_has_no_solution(tmp_path: Path):
    page = ROOT / "book/activations/rectifier/leaky_relu.md"
    instructor = notebooks.page_notebook(page)
    student = notebooks.page_notebook(page, student=True)
    assert "**Solution" in json.dumps(instructor)
    assert "**Solution" not in json.dumps(student)
    assert json.dumps(student).count("**Exercise") == json.dumps(instructor).count(
        "**Exercise"
    )
    n_code = [
        sum(c.cell_type == "code" and c.source != "# your answer" for c in nb.cells)
        for nb in (instructor, student)
    ]
    assert n_code[1] < n_code[0], "the code cells of solutions are dropped too"


# Two pages, both copies between them: a page whose solution runs code (instructor)
# and one whose student copy must still run without the solution cells.
EXECUTED = [
    ("book/activations/rectifier/leaky_relu", False),
    ("book/activations/sigmoidal/tanh", True),
]


@pytest.mark.book
@pytest.mark.parametrize(
    ("page", "student"),
    EXECUTED,
    ids=[f"{p}-{'student' if s else 'instructor'}" for p, s in EXECUTED],
)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(
    tmp_path: Path, page: str, student: bool, monkeypatch: pytest.MonkeyPatch
):
    from nbclient import NotebookClient

    # a reader's kernel: live explorers, not the book build's pre-rendered frames
    monkeypatch.setenv(widgets.MODE_VARIABLE, "live")
    nb = notebooks.page_notebook(
        ROOT / f"{page}.md",
        student=student,
        package_url=notebooks.install_url(notebooks.repository_url()),
    )
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": tmp_path}},
    ).execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert errors == []
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every code cell ran"


def test_a_students_copy_has_an_empty_code_cell_after_every_exercise():
    stripped = notebooks.strip_solutions(PAGE)
    n_exercises = sum(b.directive == "exercise" for b in notebooks.blocks(PAGE))
    assert n_exercises == 3 and stripped.count(notebooks.ANSWER_CELL) == n_exercises
    # each right after its exercise
    for block in notebooks.blocks(stripped):
        if block.directive == "exercise":
            after = stripped.split("".join(block.lines), 1)[1]
            assert after.startswith(notebooks.ANSWER_CELL)
