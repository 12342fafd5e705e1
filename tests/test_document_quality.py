"""What a reader of the generated pages needs at real size: decision titles and statuses,
requirement titles in the matrix, superseded decisions marked, the API layout with and
without a base URL, captions under every diagram, todo lines that name their requirement
once, and a nav in the order the SAD lists its items."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from sites import ARCHITECTURE, build_site, make_site

SUPERSEDED = ARCHITECTURE.replace(
    "  - id: ADR-002\n    title: Argon2id for passwords\n",
    "  - id: ADR-000\n    title: Bcrypt for passwords\n    status: superseded\n    decision: Hash with bcrypt.\n"
    "    requirements: [NFR-2]\n"
    "  - id: ADR-002\n    title: Argon2id for passwords\n    supersedes: [ADR-000]\n",
).replace("api:\n  style: REST\n", "api:\n  style: REST\n  conventions: [JSON bodies, ISO 8601 dates]\n")

# Ids in one order, names in another: the nav must follow the SAD (the YAML's order).
ORDERED = ARCHITECTURE.replace("  - id: web\n    name: Web app\n", "  - id: a-web\n    name: Zebra web app\n").replace(
    "depends_on: [api]", "depends_on: [z-api]").replace("  - id: api\n    name: API\n", "  - id: z-api\n    name: Alpha API\n").replace(
    "component: api,", "component: z-api,").replace("components: [api]", "components: [z-api]")


def _sad(tmp_path: Path, architecture: str) -> tuple[str, BeautifulSoup]:
    site = make_site(tmp_path, architecture=architecture)
    build_site(site, strict=False)
    markdown_site = site.root / "site"
    html = (markdown_site / "architecture" / "index.html").read_text(encoding="utf-8")
    return html, BeautifulSoup(html, "html.parser")


def _table_after(soup: BeautifulSoup, heading: str):
    title = soup.find(lambda tag: tag.name in ("h2", "h3") and tag.get_text(strip=True).startswith(heading))
    return title.find_next("table")


def test_the_decisions_table_gives_each_title_and_status(tmp_path: Path) -> None:
    _, soup = _sad(tmp_path, SUPERSEDED)
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in _table_after(soup, "Architectural decisions").find_all("tr")[1:]]
    assert ["ADR-000", "Bcrypt for passwords", "superseded"] == rows[1][:3]
    assert ["ADR-002", "Argon2id for passwords", "accepted"] == rows[2][:3]


def test_the_matrix_has_a_title_column_and_marks_a_superseded_decision(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=SUPERSEDED)
    build_site(site, strict=False)
    soup = BeautifulSoup((site.root / "site" / "architecture" / "traceability" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    table = next(t for t in soup.find_all("table") if "Title" in t.find("tr").get_text())
    header = [th.get_text(strip=True) for th in table.find("tr").find_all("th")]
    assert header[:2] == ["Requirement", "Title"]
    row = next(r for r in table.find_all("tr") if r.find("td") and r.find("td").get_text(strip=True) == "NFR-2")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1] == "Passwords are hashed with Argon2id"  # the title as text, not only a tooltip
    assert "ADR-000 (superseded, not counted)" in cells[3] and "ADR-002" in cells[3]


def test_conventions_and_style_without_a_base_url_are_lists_not_a_run_on_line(tmp_path: Path) -> None:
    html, soup = _sad(tmp_path, SUPERSEDED)
    api = soup.find("h2", string=re.compile("API design"))
    items = [li.get_text(" ", strip=True) for li in api.find_next("ul").find_all("li")]
    assert items == ["Style: REST"]  # no base URL: no empty Base URL line
    conventions = api.find_next("p", string="Conventions")
    assert [li.get_text(strip=True) for li in conventions.find_next("ul").find_all("li")] == ["JSON bodies",
                                                                                              "ISO 8601 dates"]
    endpoint_table = _table_after(soup, "API design")
    assert "POST /sessions" in endpoint_table.get_text(" ", strip=True)  # a table, not raw pipes
    assert "| POST" not in html


def test_every_diagram_of_the_sad_has_a_caption(tmp_path: Path) -> None:
    _, soup = _sad(tmp_path, SUPERSEDED)
    # The test site has no Mermaid fence set up: the diagrams are code blocks of Mermaid source.
    diagrams = [block for block in soup.select("div.highlight")
                if block.get_text().split(None, 1)[0] in ("graph", "flowchart", "erDiagram", "sequenceDiagram")]
    assert len(diagrams) >= 2
    for diagram in diagrams:
        caption = diagram.find_next(["p"])
        assert caption is not None and caption.get_text(strip=True).startswith("Figure:"), caption


def test_a_todo_line_names_its_requirement_once(tmp_path: Path) -> None:
    gap = ARCHITECTURE.replace("requirements: [NFR-2]", "requirements: [FR-1]")
    site = make_site(tmp_path, architecture=gap)
    build_site(site, strict=False)
    soup = BeautifulSoup((site.root / "site" / "architecture" / "todo" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    line = next(li for li in soup.find_all("li") if "NFR-2" in li.get_text())
    assert line.get_text().count("NFR-2") == 1, line.get_text()


def test_the_nav_lists_components_in_the_order_of_the_sad(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=ORDERED)
    assert build_site(site, strict=False)
    soup = BeautifulSoup((site.root / "site" / "architecture" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    nav = [a.get_text(strip=True) for a in soup.select("nav a, .navbar a, .dropdown-menu a")]
    assert nav.index("Zebra web app") < nav.index("Alpha API")  # the YAML's order, not the ids' or names'
    rows = [row.find("td").get_text(strip=True) for row in _table_after(soup, "Components").find_all("tr")[1:]]
    assert rows == ["Zebra web app", "Alpha API"]
