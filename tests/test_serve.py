"""`mkdocs serve` on loopback: a broken input never stops the server, and the next save recovers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from serving import get as _get
from serving import serve
from serving import wait_for as _wait_for
from sites import ARCHITECTURE, PRD, make_site

pytestmark = pytest.mark.slow


@pytest.fixture(params=[False, True], ids=["serve", "serve-dirty"])
def served(tmp_path: Path, request):
    site = make_site(tmp_path)
    with serve(site, *(["--dirty"] if request.param else [])) as base:
        yield site, base


def test_broken_yaml_is_shown_and_the_next_save_recovers(served) -> None:
    site, base = served
    page = f"{base}/architecture/"
    _wait_for(page, lambda t: "Web app" in t)
    for _ in range(2):
        (site.root / "architecture.yml").write_text(ARCHITECTURE + "  - broken: [\n", encoding="utf-8")
        _wait_for(page, lambda t: "could not be read" in t and "architecture.yml:" in t)
        assert _get(f"{base}/prd/") is not None  # still answering
        (site.root / "architecture.yml").write_text(ARCHITECTURE.replace("Web app", "Storefront"), encoding="utf-8")
        _wait_for(page, lambda t: "Storefront" in t and "could not be read" not in t)
        (site.root / "architecture.yml").write_text(ARCHITECTURE, encoding="utf-8")
        _wait_for(page, lambda t: "Web app" in t)


def test_deleted_prd_is_shown_and_recreating_it_recovers(served) -> None:
    site, base = served
    page = f"{base}/architecture/"
    _wait_for(page, lambda t: "Web app" in t)
    (site.docs / "prd.md").unlink()
    _wait_for(page, lambda t: "Cannot create architecture without PRD" in t)
    (site.docs / "prd.md").write_text(PRD.replace("Customers search", "Shoppers search"), encoding="utf-8")
    _wait_for(f"{base}/prd/", lambda t: "Shoppers search" in t and "req-fr-2" in t)
    _wait_for(page, lambda t: "Web app" in t and "Cannot create" not in t)


def test_yaml_only_change_updates_prd_backlinks(served) -> None:
    site, base = served
    _wait_for(f"{base}/prd/", lambda t: "Web app" in t)
    (site.root / "architecture.yml").write_text(ARCHITECTURE.replace("Web app", "Storefront"), encoding="utf-8")
    _wait_for(f"{base}/prd/", lambda t: "Storefront" in t and "Web app" not in t)


def test_serve_dirty_rebuilds_only_the_generated_pages_that_changed(tmp_path: Path) -> None:
    """`--dirty` skips unchanged user pages; it skips unchanged generated pages too."""
    site = make_site(tmp_path)
    with serve(site, "--dirty", "-v") as base:
        _wait_for(f"{base}/architecture/components/api/", lambda t: "Serves the web app." in t)
        # The server's temporary site folder, from its debug log.
        site_dir = Path(re.search(r"'site_dir' = '([^']+)'", (site.root / "serve.log").read_text("utf-8")).group(1))
        pages = ["architecture/components/api", "architecture/index", "architecture/decisions/adr-002",
                 "architecture/components/web"]
        written = {page: (site_dir / page.removesuffix("/index") / "index.html").stat().st_mtime_ns
                   for page in pages}
        (site.root / "architecture.yml").write_text(
            ARCHITECTURE.replace("Serves the web app.", "Serves every client."), encoding="utf-8")
        _wait_for(f"{base}/architecture/components/api/", lambda t: "Serves every client." in t)
        _wait_for(f"{base}/architecture/", lambda t: "Serves every client." in t)
        rewritten = {page for page in pages
                     if (site_dir / page.removesuffix("/index") / "index.html").stat().st_mtime_ns != written[page]}
    # ADR-002 and the web component's pages show nothing that changed: left as they were.
    assert rewritten == {"architecture/components/api", "architecture/index"}
