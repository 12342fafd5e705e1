"""Links between docs-relative pages: the same as MkDocs resolves them (posixpath.relpath)."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from mkdocs_archplugin.render.text import relative_path

_PART = st.sampled_from(["a", "b", "ab", "architecture", "components", "prd", "x.y"])


@given(st.lists(_PART, max_size=4), st.lists(_PART, max_size=4), st.sampled_from(["index.md", "page.md"]))
def test_relative_path_is_posix_relpath(folder: list[str], target_folder: list[str], name: str) -> None:
    from_dir = "/".join(folder) or "."
    to_path = "/".join([*target_folder, name])
    assert relative_path(from_dir, to_path) == posixpath.relpath(to_path, from_dir)


def test_an_absolute_target_is_left_to_relpath() -> None:
    assert relative_path("architecture", "/home/u/prd.md") == posixpath.relpath("/home/u/prd.md", "architecture")
