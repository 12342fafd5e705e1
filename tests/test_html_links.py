"""Generated links handed to MkDocs as tokens and written as HTML after conversion
and large tables as HTML blocks (render/html_links.py): what Python-Markdown wrote for them,
checked as MkDocs checks Markdown links."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_archplugin.render.html_links import HtmlBlocks, HtmlLinks, LinkTarget
from mkdocs_archplugin.render.text import html_text, link_title, plain
from sites import ARCHITECTURE, PRD, build_site, make_site

_BUILD_DATE = re.compile(r"Build Date UTC : [^\n]*")


def _pages(site_dir: Path) -> dict[str, str]:
    return {p.relative_to(site_dir).as_posix(): _BUILD_DATE.sub("", p.read_text(encoding="utf-8"))
            for p in sorted(site_dir.rglob("*")) if p.suffix in (".html", ".json")}


#: Titles, targets and categories that HTML and Markdown read differently, and a risk that
#: mitigates an NFR (its title a text token in the matrix).
_AWKWARD_PRD = PRD.replace("email and password", "email & <b>password</b> | *fast*").replace(
    "### Security", "### Security & <i>privacy</i>").replace("< 200 ms", "< 200 ms | `p95` & *up*")
_AWKWARD_ARCHITECTURE = ARCHITECTURE + """\
risks:
  - id: R-1
    title: Slow <search> & "ranking"
    likelihood: low
    impact: high
    mitigation: Cache the ranking.
    requirements: [NFR-1]
"""
_TABLE = re.compile(r"<table>\n(.*?)\n</table>", re.S)
_ROW = re.compile(r"<tr>\n(.*?)\n</tr>", re.S)
_CELL = re.compile(r"<t[hd]>(.*?)</t[hd]>")


_TAG = re.compile(r"(<[^>]+>)")


def _markdown_cell(cell_html: str) -> str:
    """A pipe-table cell that Python-Markdown reads as `cell_html`: tags as inline HTML, the
    text between them with Markdown's syntax escaped."""
    return "".join(part if _TAG.fullmatch(part) else re.sub(r"([\\`*_\[\]|])", r"\\\1", part)
                   for part in _TAG.split(cell_html))


def _as_markdown_table(table_html: str) -> str:
    """The pipe table whose cells are the given table's cells."""
    rows = [[_markdown_cell(cell) for cell in _CELL.findall(row)] for row in _ROW.findall(table_html)]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


def test_tables_written_as_html_are_the_tables_python_markdown_writes(tmp_path: Path) -> None:
    # The plugin writes the tables whose rows grow with the PRD as HTML itself (html_block):
    # each must be what Python-Markdown's tables extension makes of the same cells, so themes,
    # search and their CSS see what they saw when the tables were Markdown.
    site = make_site(tmp_path, prd=_AWKWARD_PRD, architecture=_AWKWARD_ARCHITECTURE,
                     pages={"matrix.md": "# Matrix\n\n<!-- archplugin:traceability -->\n"})
    assert build_site(site), site.warnings()
    pages = _pages(site.site_dir)
    assert not [path for path, text in pages.items() if "archlink" in text]
    tables = [table for text in pages.values() for table in _TABLE.findall(text)]
    assert len(tables) >= 6
    for table in tables:
        expected = markdown.markdown(_as_markdown_table("<table>\n" + table + "\n</table>"), extensions=["tables"])
        assert "<table>\n" + table + "\n</table>" == expected
    matrix = pages["architecture/traceability/index.html"]
    assert "<td>Customers sign in with email &amp; password | fast</td>" in matrix
    assert "<td>Security &amp; privacy</td>" in pages["architecture/index.html"]
    assert "Slow &lt;search&gt; &amp; \"ranking\" (risk mitigation)" in matrix
    assert pages["matrix/index.html"].count("<tr>") == pages["architecture/traceability/index.html"].count(
        "<tr>") - pages["architecture/traceability/index.html"].split('id="matrix"')[0].count("<tr>")


_FIELDS = re.compile(r"<ul>\n(<li><strong>Listed in:</strong>.*?)\n</ul>", re.S)
_ITEM = re.compile(r"<li>(.*?)</li>")


def test_field_lists_written_as_html_are_the_lists_python_markdown_writes(tmp_path: Path) -> None:
    # The fields that open each component and decision page (html_fields) are HTML too.
    architecture = _AWKWARD_ARCHITECTURE.replace("technology: [React]", "technology: [C++ & <Qt>, \"*fast*_\"]").replace(
        "location: web/", "location: \"web/<x> & `y`\"")
    site = make_site(tmp_path, prd=_AWKWARD_PRD, architecture=architecture)
    assert build_site(site), site.warnings()
    pages = _pages(site.site_dir)
    lists = {path: _FIELDS.findall(text) for path, text in pages.items() if "/components/" in path or "/decisions/" in path}
    assert lists and all(len(found) == 1 for found in lists.values()), lists
    for (items,) in lists.values():
        markdown_list = "\n".join("- " + _markdown_cell(item) for item in _ITEM.findall(items))
        assert "<ul>\n" + items + "\n</ul>" == markdown.markdown(markdown_list)
    web = pages["architecture/components/web/index.html"]
    assert "<li><strong>Technology:</strong> C++ &amp; &lt;Qt&gt;, *fast*_</li>" in web
    assert "<li><strong>Location:</strong> <code>web/&lt;x&gt; &amp; 'y'</code></li>" in web
    assert '<li><strong>Listed in:</strong> <a href="../../">Components</a> of the System Architecture Document</li>' in web


def test_block_token_is_replaced_with_its_paragraph() -> None:
    links = HtmlLinks()
    blocks = HtmlBlocks(links)
    token = blocks.token("<table>\n<tr><td>x</td></tr>\n</table>\n")
    html = f"<h2>Matrix</h2>\n<p>{token.strip()}</p>\n<p>after</p>"
    assert blocks.replace(html) == "<h2>Matrix</h2>\n<table>\n<tr><td>x</td></tr>\n</table>\n<p>after</p>"
    # A token of another build, or of no block, is left as written.
    other = HtmlBlocks(HtmlLinks())
    assert blocks.replace(other.token("<b>x</b>")) == other.token("<b>x</b>")
    assert blocks.replace(blocks.prefix + "0" * 16) == blocks.prefix + "0" * 16


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


_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))


@settings(max_examples=300, deadline=None)
@given(st.text(_PRINTABLE, max_size=40))
def test_html_text_is_what_python_markdown_makes_of_plain(text: str) -> None:
    # The two contexts of one text: what the plugin writes as HTML itself (tables, tokens)
    # must read as what Python-Markdown made of the same text escaped for Markdown.
    # `tables`: MkDocs always loads it, and it makes `\|` an escape.
    assert markdown.markdown(f"x {plain(text)} y", extensions=["tables"]) == f"<p>x {html_text(text)} y</p>"


@settings(max_examples=300, deadline=None)
@given(st.text(_PRINTABLE, max_size=40))
def test_link_element_is_the_link_python_markdown_writes(text: str) -> None:
    title = link_title(text)
    label = plain(text) or "x"
    written = LinkTarget(html_text(text) or "x", "prd.md", "req-x", title).element("../prd/#req-x")
    link = f'[{label}](../prd/#req-x "{title}")' if title else f"[{label}](../prd/#req-x)"
    assert markdown.markdown(f"x {link} y", extensions=["tables"]) == f"<p>x {written} y</p>"
