"""`mkdocs serve` keeps watching an input folder that is deleted and created again.

The server's log is written outside the watched folders: a log beside the site's
mkdocs.yml would make every step look picked up.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from serving import serve, wait_for
from sites import ARCHITECTURE, PRD, make_site

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("which", ["decisions", "prd"])
def test_a_deleted_and_recreated_input_folder_is_watched_again(tmp_path: Path, which: str) -> None:
    plugin = {"decisions": "arch"} if which == "decisions" else {"prd": "prd"}
    site = make_site(tmp_path / "site", architecture=None if which == "decisions" else ARCHITECTURE,
                     prd=PRD if which == "decisions" else None, plugin=plugin)
    folder = site.root / "arch" if which == "decisions" else site.docs / "prd"
    name = "arch.yml" if which == "decisions" else "requirements.md"
    original = ARCHITECTURE if which == "decisions" else PRD
    folder.mkdir()
    (folder / name).write_text(original, encoding="utf-8")
    if which == "prd":
        (folder / "index.md").write_text("# PRD\n", encoding="utf-8")
    page = "architecture/components/web/" if which == "decisions" else "architecture/traceability/"
    before, after = ("The storefront.", "The storefront, edited.") if which == "decisions" else (
        "Customers search the catalogue.", "Customers search the whole catalogue.")
    with tempfile.TemporaryDirectory() as logs, serve(site, log_dir=logs) as base:
        wait_for(f"{base}/{page}", lambda html: before.rstrip(".") in html, what="first build")
        saved = {p.name: p.read_bytes() for p in folder.iterdir()}
        shutil.rmtree(folder)
        time.sleep(1.5)
        folder.mkdir()
        for file_name, data in saved.items():
            (folder / file_name).write_bytes(data)
        time.sleep(1.5)
        target = folder / name
        target.write_text(target.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
        wait_for(f"{base}/{page}", lambda html: after.rstrip(".") in html, timeout=30,
                 what="an edit inside the re-created folder")
