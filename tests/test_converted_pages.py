"""`mkdocs serve` rebuilds reuse the HTML of the plugin's unchanged pages (converted.py): the
site they give is the one a clean build gives, and only changed pages are converted again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_archplugin.converted import ConvertedPages
from sites import ARCHITECTURE, build_site, make_site

_BUILD_DATE = re.compile(r"Build Date UTC : [^\n]*")


def _pages(site_dir: Path) -> dict[str, str]:
    return {p.relative_to(site_dir).as_posix(): _BUILD_DATE.sub("", p.read_text(encoding="utf-8"))
            for p in sorted(site_dir.rglob("*")) if p.suffix in (".html", ".json")}


class _Serve:
    """Builds as `mkdocs serve` does: config reloaded each time, plugin instances kept."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.plugins = None
        #: The pages each build took from the previous conversion.
        self.reused: list[str] = []
        restore = ConvertedPages.restore

        def counting(pages: ConvertedPages, page, files) -> str:
            self.reused.append(page.file.src_uri)
            return restore(pages, page, files)

        monkeypatch.setattr(ConvertedPages, "restore", counting)

    def build(self) -> None:
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.root / "site"))
        if self.plugins is None:
            config.plugins.on_startup(command="serve", dirty=False)
            self.plugins = config.plugins
        else:  # what the server does: the instances that define on_startup are kept
            config.plugins = self.plugins
        self.reused = []
        build(config, serve_url="http://127.0.0.1:8000/")


def test_serve_rebuild_converts_only_changed_pages_and_gives_the_clean_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "served", extra={"site_url": "http://127.0.0.1:8000/"})
    served = _Serve(site.root, monkeypatch)
    served.build()
    # MkDocs keeps a plugin instance that defines on_startup for the whole process, as a
    # server keeps it: a page an earlier site's build converted alike may be reused already.
    generated = sorted(f"architecture/{page}.md" for page in (
        "index", "traceability", "todo", "components/web", "components/api", "decisions/adr-001",
        "decisions/adr-002"))
    # A sentence in the PRD changes the PRD page only: every generated page is reused.
    prd = site.docs / "prd.md"
    prd.write_text(prd.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    served.build()
    assert set(generated) <= set(served.reused) and "prd.md" not in served.reused, served.reused
    assert "One more sentence." in (site.site_dir / "prd/index.html").read_text(encoding="utf-8")
    # A renamed component changes the pages that name it; the decision pages stay.
    (site.root / "architecture.yml").write_text(ARCHITECTURE.replace("name: Web app", "name: Storefront"),
                                                encoding="utf-8")
    served.build()
    assert "architecture/decisions/adr-001.md" in served.reused
    assert "architecture/index.md" not in served.reused and "prd.md" not in served.reused
    assert "Storefront" in (site.site_dir / "architecture/components/web/index.html").read_text(encoding="utf-8")

    clean = make_site(tmp_path / "clean", extra={"site_url": "http://127.0.0.1:8000/"})
    (clean.docs / "prd.md").write_text(prd.read_text(encoding="utf-8"), encoding="utf-8")
    (clean.root / "architecture.yml").write_text((site.root / "architecture.yml").read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    config = load_config(str(clean.root / "mkdocs.yml"), site_dir=str(clean.site_dir))
    build(config, serve_url="http://127.0.0.1:8000/")
    assert _pages(site.site_dir) == _pages(clean.site_dir)


def test_a_reused_page_keeps_its_anchor_links_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without backlinks the generated links to requirement anchors are broken: MkDocs' anchor
    # check must report them after a rebuild that reused the pages too.
    site = make_site(tmp_path, plugin={"backlinks": False})
    served = _Serve(site.root, monkeypatch)
    served.build()
    (site.docs / "index.md").write_text("# Home\n\nEdited.\n", encoding="utf-8")
    assert not build_site(site)  # a plain build reports it
    records: list[str] = []
    monkeypatch.setattr("mkdocs.structure.pages.log.log", lambda level, message, *a, **k: records.append(message))
    served.build()
    assert "architecture/components/api.md" in served.reused
    assert "Edited." in (site.site_dir / "index.html").read_text(encoding="utf-8")
    assert any("does not contain an anchor '#req-fr-1'" in message for message in records), records
