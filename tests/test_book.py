"""The book builds with warnings as errors, and publishes every page of the toc."""

from __future__ import annotations

from pathlib import Path

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
