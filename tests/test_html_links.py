"""Generated links handed to MkDocs as tokens and written as HTML after conversion
(render/html_links.py): the same site as Markdown links gave, checked as MkDocs checks them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_archplugin.render.html_links import HtmlLinks, LinkTarget
from mkdocs_archplugin.render.view import SiteView
from sites import PRD, build_site, make_site

_BUILD_DATE = re.compile(r"Build Date UTC : [^\n]*")


def _pages(site_dir: Path) -> dict[str, str]:
    return {p.relative_to(site_dir).as_posix(): _BUILD_DATE.sub("", p.read_text(encoding="utf-8"))
            for p in sorted(site_dir.rglob("*")) if p.suffix in (".html", ".json")}


def test_site_is_the_one_markdown_links_gave(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = make_site(tmp_path / "tokens")
    assert build_site(tokens), tokens.warnings()
    built = _pages(tokens.site_dir)
    assert not [path for path, text in built.items() if "archlink" in text]
    with monkeypatch.context() as patch:
        # Without the plugin's tokens every link is a Markdown link, converted by MkDocs.
        patch.setattr(SiteView, "html_links", property(lambda self: None, lambda self, value: None), raising=False)
        markdown = make_site(tmp_path / "markdown")
        assert build_site(markdown), markdown.warnings()
    assert built == _pages(markdown.site_dir)
    assert '<a href="../../../prd/#req-fr-1" title="Customers sign in with email and password">FR-1</a>' in \
        built["architecture/components/api/index.html"]


def test_generated_link_to_a_page_not_in_the_site_fails_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", prd=None, plugin={"prd": "../../outside/prd.md"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "prd.md").write_text(PRD, encoding="utf-8")
    assert not build_site(site)
    assert any("contains a generated link to" in w and "outside/prd.md" in w for w in site.warnings()), \
        site.warnings()


def test_generated_link_to_a_missing_anchor_is_checked_by_mkdocs(tmp_path: Path) -> None:
    # Without backlinks the PRD page has no requirement anchors: MkDocs' anchor check reports
    # the generated links to them, as it reported them when they were Markdown links.
    site = make_site(tmp_path, plugin={"backlinks": False})
    assert not build_site(site)
    assert any("does not contain an anchor '#req-fr-1'" in w for w in site.warnings()), site.warnings()


def test_link_html_escapes_what_inputs_wrote() -> None:
    links = HtmlLinks()
    target = LinkTarget("&lt;b&gt;", "prd.md", "req-x", 'a "quoted" <title>')
    html = links.replace(f"<td>{links.token(target)}</td>", lambda t: "../prd/#req-x")
    assert html == '<td><a href="../prd/#req-x" title="a &quot;quoted&quot; &lt;title&gt;">&lt;b&gt;</a></td>'
    # Text that looks like a token of another process, or of no link, is left as written.
    other = HtmlLinks()
    assert links.replace(other.token(target), lambda t: "x") == other.token(target)
    assert links.replace(links.prefix + "0" * 16, lambda t: "x") == links.prefix + "0" * 16
