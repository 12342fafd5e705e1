"""Real MkDocs builds of small sites: pages, links, backlinks, markers, nav, diagnostics, strict gate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sites import ARCHITECTURE, PRD, build_site, make_site, tree_digest

SAD_SECTIONS = [
    "Overview", "Technology stack", "Third-party services", "System architecture", "Components",
    "Data architecture", "API design", "Security", "Scalability & performance", "Deployment",
    "Monitoring & observability", "Development guidelines", "Runtime view", "Source tree",
    "Architectural decisions", "Trade-offs", "Risks and technical debt", "Future considerations", "Appendix",
    "NFRs addressed",
]


def _h2(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [h.get_text().replace("¶", "").strip() for h in soup.select("h2")]


def test_generated_pages_and_sections(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert build_site(site), site.warnings()
    sad = site.html("architecture/index.html")
    assert _h2(sad) == SAD_SECTIONS
    for page in ("architecture/components/web/index.html", "architecture/components/api/index.html",
                 "architecture/decisions/adr-001/index.html", "architecture/traceability/index.html",
                 "architecture/todo/index.html"):
        assert (site.site_dir / page).is_file(), page
    component = site.html("architecture/components/api/index.html")
    assert "Used by" in component and 'href="../web/"' in component
    assert "graph LR" in component  # without a Mermaid fence configured: a readable code block


def test_every_generated_link_resolves(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert build_site(site), site.warnings()
    for html_file in (site.site_dir / "architecture").rglob("index.html"):
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("div[role=main] a[href], .col-md-9 a[href]"):
            href = a["href"]
            if href.startswith(("http", "#", "mailto:")) or not href:
                continue
            path, _, anchor = href.partition("#")
            target = (html_file.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{html_file}: {href}"
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{html_file}: {href}"


def test_prd_backlinks_and_anchors(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert build_site(site)
    prd = BeautifulSoup(site.html("prd/index.html"), "html.parser")
    fr1 = prd.find(id="req-fr-1").parent
    assert "Traced to:" in fr1.get_text()
    assert {a["href"] for a in fr1.select("small a")} >= {"../architecture/components/api/"}
    assert prd.find(id="req-nfr-2") is not None


@pytest.mark.parametrize("head, newline", [
    ("---\ntitle: Shop\ntags: [prd]\n---\n\n\n", "\n"),   # YAML front matter, then blank lines
    ("---\rtitle: Shop\r---\r\n\n", "\n"),                   # front matter ending lines with CR
    ("Title: Shop\nAuthor: PM\n\n", "\n"),                   # MultiMarkdown meta-data
    ("", "\r\n"),                                               # Windows line endings
], ids=["yaml-front-matter", "front-matter-cr", "multimarkdown-meta", "crlf"])
def test_backlinks_land_on_their_definitions_whatever_precedes_the_page(
    tmp_path: Path, head: str, newline: str
) -> None:
    site = make_site(tmp_path, prd=None)
    (tmp_path / "docs" / "prd.md").write_bytes((head + PRD).replace("\n", newline).encode("utf-8"))
    assert build_site(site), site.warnings()
    prd = BeautifulSoup(site.html("prd/index.html"), "html.parser")
    for anchor, words in [("req-fr-1", "sign in"), ("req-fr-2", "search the catalogue"),
                          ("req-nfr-1", "200 ms"), ("req-nfr-2", "Argon2id")]:
        item = prd.find(id=anchor).parent
        assert words in item.get_text() and "Traced to:" in item.get_text(), (anchor, item)


def test_uncovered_nfr_warns_and_fails_strict_naming_it(tmp_path: Path) -> None:
    architecture = ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]")
    site = make_site(tmp_path, architecture=architecture)
    assert not build_site(site)
    assert any("nfr-without-decision" in w and "NFR-2" in w and "prd.md:" in w for w in site.warnings())
    assert build_site(site, strict=False)
    prd = BeautifulSoup(site.html("prd/index.html"), "html.parser")
    assert "Nothing addresses this NFR" in prd.find(id="req-nfr-2").parent.get_text()
    assert "NFR-2" in site.html("architecture/todo/index.html")


def test_check_severity_override(tmp_path: Path) -> None:
    architecture = ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]")
    site = make_site(tmp_path, architecture=architecture, plugin={"checks": {"nfr-without-decision": "info"}})
    assert build_site(site), site.warnings()
    assert any("nfr-without-decision" in m for _, m in site.messages)


def test_unknown_check_is_a_config_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"checks": {"nfr-without-desicion": "info"}})
    assert not build_site(site)
    assert any("unknown check nfr-without-desicion" in m for m in site.warnings())


def test_markers_are_replaced_and_unknown_markers_warn(tmp_path: Path) -> None:
    page = (
        "# Status\n\n<!-- archplugin:summary -->\n\n<!-- archplugin:nfr-coverage -->\n\n"
        "<!-- archplugin:component api -->\n\n<!-- archplugin:decisions -->\n\n"
        "<!-- archplugin:traceability -->\n\n```\n<!-- archplugin:bogus -->\n```\n"
    )
    site = make_site(tmp_path, pages={"status.md": page})
    assert build_site(site), site.warnings()
    html = site.html("status/index.html")
    assert "NFR coverage 2/2" in html and "ADR-002" in html and 'href="../architecture/components/api/"' in html
    assert "archplugin:bogus" in html  # inside a code block: shown, not replaced

    site = make_site(tmp_path, pages={"status.md": "# S\n\n<!-- archplugin:bogus x -->\n"})
    assert not build_site(site)
    assert any(w.startswith("status.md:3: unknown-marker") for w in site.warnings())


def test_nav_without_explicit_nav_uses_section_title(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"nav_section": "System design"})
    assert build_site(site)
    assert "System design" in site.html("index.html")


def test_explicit_nav_gets_the_section_once(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra={"nav": ["index.md", {"PRD": "prd.md"}]})
    assert build_site(site), site.warnings()
    home = site.html("index.html")
    assert home.count(">Architecture<") + home.count(">Architecture\n") >= 1
    assert 'href="architecture/traceability/"' in home

    listed = {"Design": ["architecture/index.md", "architecture/traceability.md"]}
    site = make_site(tmp_path, extra={"nav": ["index.md", "prd.md", listed]})
    assert build_site(site), site.warnings()
    home = site.html("index.html")
    assert home.count('href="architecture/traceability/"') == 1
    assert 'href="architecture/todo/"' in home


@pytest.mark.parametrize("explicit_nav", [False, True], ids=["folder-nav", "explicit-nav"])
def test_item_pages_beyond_nav_item_limit_are_built_but_not_in_the_nav(tmp_path: Path, explicit_nav: bool) -> None:
    extra = {"nav": ["index.md", "prd.md"]} if explicit_nav else {}
    # Two components, two decisions: a limit of 1 leaves both kinds out, 2 keeps them in.
    site = make_site(tmp_path, plugin={"nav_item_limit": 1}, extra=extra)
    assert build_site(site), site.warnings()  # `omitted_files: warn` and --strict: no warning
    nav = BeautifulSoup(site.html("index.html"), "html.parser").select("nav, .bs-sidebar, .navbar")
    nav_links = {a.get("href") for part in nav for a in part.find_all("a", href=True)}
    assert "architecture/traceability/" in nav_links
    assert not [link for link in nav_links if "/components/" in link or "/decisions/" in link]
    assert (site.site_dir / "architecture/components/api/index.html").exists()
    assert (site.site_dir / "architecture/decisions/adr-001/index.html").exists()
    assert 'href="components/api/"' in site.html("architecture/index.html")

    site = make_site(tmp_path, plugin={"nav_item_limit": 2}, extra=extra)
    assert build_site(site), site.warnings()
    assert 'href="architecture/components/api/"' in site.html("index.html")


def test_nav_section_false_leaves_even_item_pages_to_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"nav_section": False, "nav_item_limit": 0})
    assert build_site(site), site.warnings()
    assert 'href="architecture/components/api/"' in site.html("index.html")


def test_nav_section_false_leaves_nav_alone(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"nav_section": False}, extra={"nav": ["index.md", "prd.md"]})
    build_site(site, strict=False)
    assert "architecture/traceability/" not in site.html("index.html")


def test_missing_prd_stops_the_build_with_the_message(tmp_path: Path) -> None:
    site = make_site(tmp_path, prd=None)
    assert not build_site(site)
    assert any("Cannot create architecture without PRD" in w and "prd.md not found" in w for w in site.warnings())


def test_invalid_yaml_is_located_and_pages_show_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=ARCHITECTURE + "  - broken: [\n")
    assert not build_site(site)
    assert any(re.match(r"architecture\.yml:\d+:\d+: yaml-invalid", w) for w in site.warnings()), site.warnings()
    build_site(site, strict=False)
    assert "could not be read" in site.html("architecture/index.html")


def test_docs_dir_is_untouched_and_builds_are_deterministic(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = tree_digest(site.docs)
    assert build_site(site)
    first = {p: p.read_bytes() for p in (site.site_dir / "architecture").rglob("*") if p.is_file()}
    assert build_site(site)
    second = {p: p.read_bytes() for p in (site.site_dir / "architecture").rglob("*") if p.is_file()}
    assert tree_digest(site.docs) == before
    assert first == second


def test_template_override_is_used(tmp_path: Path) -> None:
    (tmp_path / "overrides").mkdir(parents=True)
    (tmp_path / "overrides" / "todo.md.j2").write_text(
        "# Custom todo\n\n{{ site.todos | length }} items.\n", encoding="utf-8")
    site = make_site(tmp_path, plugin={"templates_dir": "overrides"})
    assert build_site(site), site.warnings()
    assert "Custom todo" in site.html("architecture/todo/index.html")


def test_template_override_runs_in_a_sandbox(tmp_path: Path) -> None:
    (tmp_path / "overrides").mkdir(parents=True)
    (tmp_path / "overrides" / "todo.md.j2").write_text(
        "# T\n{{ site.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    site = make_site(tmp_path, plugin={"templates_dir": "overrides"})
    assert not build_site(site)
    assert any(w.startswith("todo.md.j2") and "unsafe" in w for w in site.warnings()), site.warnings()


def test_override_can_write_a_table_as_an_html_block(tmp_path: Path) -> None:
    (tmp_path / "overrides").mkdir(parents=True)
    (tmp_path / "overrides" / "todo.md.j2").write_text(
        '{% import "_macros.md.j2" as m %}\n# Todo\n\n{% filter html_block %}\n'
        '{{ m.html_head(["Requirement"]) }}\n{% for req in site.requirements %}\n'
        '{{ m.html_row([link.req(req.id) ~ " " ~ req.title | htmlcell]) }}\n{% endfor %}\n'
        '{{ m.html_foot() }}\n{% endfilter %}\n', encoding="utf-8")
    site = make_site(tmp_path, plugin={"templates_dir": "overrides"})
    assert build_site(site), site.warnings()
    html = site.html("architecture/todo/index.html")
    assert '<td><a href="../../prd/#req-fr-1" title="Customers sign in with email and password">FR-1</a>' in html


def test_html_block_outside_a_page_template_is_a_one_line_error(tmp_path: Path) -> None:
    # A macro imported without context has no `site` to hold the block.
    (tmp_path / "overrides").mkdir(parents=True)
    (tmp_path / "overrides" / "mine.md.j2").write_text(
        "{% macro table() %}{% filter html_block %}<table></table>{% endfilter %}{% endmacro %}\n", encoding="utf-8")
    (tmp_path / "overrides" / "todo.md.j2").write_text(
        '{% import "mine.md.j2" as mine %}\n# Todo\n\n{{ mine.table() }}\n', encoding="utf-8")
    site = make_site(tmp_path, plugin={"templates_dir": "overrides"})
    assert not build_site(site)
    assert any(w.startswith("todo.md.j2") and "html_block works in page templates only" in w
               for w in site.warnings()), site.warnings()


def test_html_in_inputs_is_escaped(tmp_path: Path) -> None:
    prd = PRD.replace("Customers search the catalogue.", "Search <script>alert(1)</script> {{ 7*7 }} | pipe")
    arch = ARCHITECTURE.replace("purpose: The storefront.", "purpose: \"<img src=x onerror=alert(1)> {{ 7*7 }}\"")
    site = make_site(tmp_path, prd=prd, architecture=arch)
    assert build_site(site, strict=False)
    for page in ("architecture/index.html", "architecture/traceability/index.html",
                 "architecture/components/web/index.html"):
        html = site.html(page)
        assert "<script>alert" not in html and "<img src=x" not in html
        shown = html.replace("\u200b", "")  # the zero-width space that keeps `{{` from being a tag
        assert "{{ 7*7 }}" in shown or "{{ 7*7 }}" in shown.replace("&#123;", "{")
        assert "49" not in re.sub(r"<[^>]+>", "", html).split("{{")[0][-5:]
