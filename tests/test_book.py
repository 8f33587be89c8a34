"""The book builds with warnings as errors, and publishes every page of the toc."""

from __future__ import annotations

from pathlib import Path

import glued_numbers  # _ext/, on the path from conftest
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.book
def test_build_succeeds_with_warnings_as_errors(built_book: Path):
    # the fixture runs `jupyter-book build . -W -n --keep-going`, checks its exit code
    assert (built_book / "index.html").is_file()


@pytest.mark.book
def test_toc_page_is_built(built_book: Path, toc_page: str):
    page = built_book / f"{toc_page}.html"
    assert page.is_file(), f"{toc_page} is in _toc.yml but {page} was not built"


@pytest.mark.book
def test_no_execution_reports_published(built_book: Path):
    # myst-nb writes a failing notebook's traceback here, which would then be published
    reports = built_book / "reports"
    leftovers = sorted(p.name for p in reports.iterdir()) if reports.is_dir() else []
    assert not leftovers, f"execution reports in {reports}: {leftovers}"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects duplicate mapping keys (PyYAML keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"duplicate key {key!r} (first at line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


@pytest.mark.parametrize("name", ["_config.yml", "_toc.yml"])
def test_yaml_has_no_duplicate_keys(name: str):
    # Jupyter Book silently lets the last of two equal keys win
    yaml.load((ROOT / name).read_text(encoding="utf8"), Loader=_UniqueKeyLoader)


def test_duplicate_key_loader_rejects_duplicates():
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'a'"):
        yaml.load("a: 1\nb: {c: 2}\na: 3\n", Loader=_UniqueKeyLoader)


def _soup(built_book: Path, toc_page: str):
    from bs4 import BeautifulSoup

    html = (built_book / f"{toc_page}.html").read_text(encoding="utf8")
    return BeautifulSoup(html, "html.parser")


@pytest.mark.book
def test_page_notebook_downloads_and_launches(built_book: Path, notebook_page: str):
    toc_page = notebook_page
    import nbformat

    soup = _soup(built_book, toc_page)
    download = soup.select_one("a.btn-download-notebook-button")
    assert download is not None, "no .ipynb entry in the download menu"
    target = (built_book / toc_page).parent / download["href"]
    assert target.resolve() == (built_book / "_sources" / f"{toc_page}.ipynb").resolve()
    nb = nbformat.read(target, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    # Colab cannot open .md: both hosted launchers must open this notebook
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
    branch = config["sphinx"]["config"]["notebooks_branch"]
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    links = {a.get_text(strip=True): a["href"] for a in soup.select("a.btn")}
    assert links["Colab"] == (
        f"https://colab.research.google.com/github/{repo}/blob/{branch}/"
        f"{toc_page}.ipynb"
    )
    assert links["Binder"] == (
        f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{toc_page}.ipynb"
    )


@pytest.mark.book
def test_output_figures_have_caption_and_alt_text(built_book: Path, toc_page: str):
    soup = _soup(built_book, toc_page)
    for img in soup.select("article img"):
        src = img.get("src", "")
        alt = (img.get("alt") or "").strip()
        # myst-nb falls back to the file name for an output image without alt text
        assert alt and alt != src, f"image without alt text: {src}"
        if not img.find_parent(class_="cell_output"):
            continue
        figure = img.find_parent("figure")
        assert figure is not None and figure.find("figcaption"), (
            f"output image outside a captioned figure: {src} ({alt[:60]})"
        )


def test_bibliography_parses_and_keys_are_unique():
    # a missing brace silently swallows the next entry in some readers and stops the
    # build in sphinxcontrib-bibtex; pybtex (its parser) refuses it and duplicate keys
    pybtex = pytest.importorskip("pybtex.database")
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    entries = pybtex.parse_string(text, "bibtex").entries
    assert len(entries) == text.count("\n@") + text.startswith("@")


@pytest.mark.book
def test_glued_numbers_in_e_notation_are_typeset(built_book: Path, toc_page: str):
    # _ext/glued_numbers.py turns a pasted "4.5e-05" into the math 4.5 x 10^-5
    soup = _soup(built_book, toc_page)
    raw = [s.get_text() for s in soup.select("article .pasted-text")
           if glued_numbers.as_latex(s.get_text()) is not None]
    assert not raw, f"{toc_page}: glued numbers left in e notation: {raw[:5]}"


@pytest.mark.parametrize("text, latex", [
    ("4.5e-05", r"4.5 \times 10^{-5}"), ("-1.3e+154", r"-1.3 \times 10^{154}"),
    ("1e-300", "10^{-300}"), ("-1e+03", "-10^{3}"), ("2.0e+00", r"2.0 \times 10^{0}"),
    ("0.25", None), ("-0", None), ("inf", None), ("tanh", None), ("1e5x", None),
])
def test_e_notation_becomes_latex(text: str, latex: str | None):
    assert glued_numbers.as_latex(text) == latex
