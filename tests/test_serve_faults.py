"""`mkdocs serve` under faults: inputs broken, made unreadable, deleted and restored while
serving; the server keeps answering and converges to the pages of the newest inputs.

Tests run as root here, so `chmod 000` cannot make a file unreadable: a folder in place of
the file, and a file of undecodable bytes, stand in for an unreadable one.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving import get as _get
from serving import serve
from serving import wait_for as _wait_for
from sites import ARCHITECTURE, PRD, Site, make_site

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    site = make_site(tmp_path)
    with serve(site) as base:
        yield site, base


def _replace(path: Path, content: str | bytes | None) -> None:
    """Put `content` at path: text or bytes, a folder (`None`), whatever was there before."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


#: (what breaks, the input, what it holds then, what the Architecture page then shows).
FAULTS = [
    ("PRD undecodable", "prd", b"# PRD\n\n- FR-1: caf\xe9\n", "not valid UTF-8"),
    ("PRD a folder", "prd", None, "no Markdown files in this folder"),
    ("PRD deleted", "prd", "", "Cannot create architecture without PRD"),
    ("YAML syntax error", "yaml", ARCHITECTURE + "  - broken: [\n", "did not find expected node content"),
    ("YAML undecodable", "yaml", b"components: []\nproduct: caf\xe9\n", "not valid UTF-8"),
    ("YAML a folder", "yaml", None, "no .yml or .yaml file in the folder"),
    ("YAML deleted", "yaml", "", "architecture file not found"),
    ("YAML alias bomb", "yaml", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
    ) + "components: []\n", "alias bomb"),
]


def test_every_fault_is_shown_and_the_next_save_recovers(served: tuple[Site, str]) -> None:
    site, base = served
    inputs = {"prd": (site.docs / "prd.md", PRD), "yaml": (site.root / "architecture.yml", ARCHITECTURE)}
    page = f"{base}/architecture/"
    _wait_for(page, lambda text: "Web app" in text)
    for number, (fault, which, content, shown) in enumerate(FAULTS):
        path, good = inputs[which]
        if content == "":
            path.unlink()
        else:
            _replace(path, content)
        _wait_for(page, lambda text: shown in text, timeout=20, what=fault)
        assert _get(f"{base}/") is not None, f"{fault}: the server stopped answering"
        fixed = f"Web app {number}"
        _replace(path, good.replace("Web app", fixed) if which == "yaml" else good)
        if which == "prd":
            _replace(site.root / "architecture.yml", ARCHITECTURE.replace("Web app", fixed))
        _wait_for(page, lambda text: fixed in text and shown not in text, timeout=20, what=f"{fault}, fixed")


def test_rapid_breaking_saves_converge_to_the_last_one(served: tuple[Site, str]) -> None:
    site, base = served
    page = f"{base}/architecture/"
    _wait_for(page, lambda text: "Web app" in text)
    yaml_path, prd_path = site.root / "architecture.yml", site.docs / "prd.md"
    for round_ in range(12):  # faster than a rebuild: saves land while a build runs
        _replace(yaml_path, ARCHITECTURE + "  - broken: [\n" if round_ % 2 else ARCHITECTURE.replace("Web app", f"Save {round_}"))
        _replace(prd_path, b"\xff\xfe" if round_ % 3 == 0 else PRD.replace("Customers search", f"Search {round_}"))
        time.sleep(0.05)
    _replace(yaml_path, ARCHITECTURE.replace("Web app", "Final save"))
    _replace(prd_path, PRD.replace("Customers search", "Final search"))
    _wait_for(page, lambda text: "Final save" in text and "could not be" not in text)
    _wait_for(f"{base}/prd/", lambda text: "Final search" in text and "req-fr-2" in text)
    _wait_for(f"{base}/architecture/traceability/", lambda text: "Final save" in text)
