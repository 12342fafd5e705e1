"""Property tests: any text and any bytes parse or give the product's error, never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_archplugin.diagnostics import ArchPluginError
from mkdocs_archplugin.prd import assemble_prd, parse_markdown, parse_prd

_LINES = st.sampled_from(
    [
        "# PRD", "## Functional Requirements", "## Non-functional requirements", "### Performance",
        "### FR-1: Title", "### Requirement 2: Kiro", "#### Acceptance Criteria", "- **FR1:** The system shall",
        "- FR-2: wrapped", "  continued line", "1. **NFR-3** — Availability: 99.9 %", "- [ ] NFR-SEC-02 (Security): x",
        "| ID | Title | Priority |", "|---|---|---|", "| FR-4 | Search | Must |", "| Category | Requirement |",
        "| **Perf** | < 200 ms p95 |", "**NFR-005** Latency: < 5 s", "**Priority:** High", "```", "<!--", "-->",
        "---", "", "    - FR-9 indented", "> - FR-10: quoted", "- Users can do things", "  - nested FR-11: x",
        "**Epic 1: Foundation** - goal", "### Story 1.1: Setup", "## Glossary", "| Term | Definition |",
        "- **Term**: meaning", "## Traceability", "FR-1 FR-1.1 FR1.1.1", "\u200b", "\ufeff# BOM", "\r",
    ]
)


@given(st.lists(_LINES, max_size=40).map("\n".join))
@settings(max_examples=300, deadline=None)
def test_prd_shaped_markdown_always_parses(text: str) -> None:
    prd = assemble_prd([parse_markdown(text, "prd.md")])
    lines = text.count("\n") + 1
    for req in prd.requirements:
        assert req.id and req.kind in ("functional", "non-functional")
        assert 1 <= req.source.line <= lines
    assert len(prd.by_id) == len(prd.requirements)


@given(st.text(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_parses(text: str) -> None:
    assemble_prd([parse_markdown(text, "prd.md")])


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_bytes_parse_or_give_the_products_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "prd.md"
    path.write_bytes(data)
    try:
        parse_prd([path])
    except ArchPluginError as error:
        assert "prd.md" in str(error) and "\n" not in str(error)


def test_parsing_is_deterministic() -> None:
    text = "## Requirements\n- FR-1: a\n| ID | Title |\n|---|---|\n| NFR-2 | b |\n"
    assert parse_markdown(text, "p.md") == parse_markdown(text, "p.md")
