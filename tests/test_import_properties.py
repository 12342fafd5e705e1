"""Property tests of `archplugin import`: whatever Markdown it reads, it returns a draft that
loads with no schema error, the same draft every time, and never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_archplugin.architecture.load import load_architecture
from mkdocs_archplugin.importer import import_documents

_HEADINGS = ["Tech Stack", "Components", "Data Models", "REST API Spec", "Core Workflows", "Architectural Decisions",
             "Risks", "Source Tree", "Security", "Glossary", "References", "Trade-offs", "Change Log", "组件"]
_LINES = st.one_of(
    st.sampled_from(_HEADINGS).map(lambda title: f"## {title}"),
    st.text(min_size=1, max_size=30).map(lambda title: f"### {title}"),
    st.sampled_from(["**Responsibility:** x FR-1", "**Status:** Proposed", "**Dependencies:** A, B", "**Id:** `x`",
                     "- **Name**: thing (NFR-2)", "| Category | Technology |", "|---|---|", "| API | FastAPI |",
                     "```mermaid", "sequenceDiagram", "A->>B: hi", "```", "```yaml", "openapi: 3.0.0",
                     "paths: {/x: {get: {summary: s}}}", "├── src/  # code", "<!-- archplugin:derived -->",
                     "**Requirements:** FR-1..FR-3", "- has many Order", "**Request:** `application/json` x"]),
    st.text(max_size=40),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=40))
def test_any_document_imports_to_a_draft_that_loads(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "architecture.md"
        document.write_text("\n\n".join(lines), encoding="utf-8", newline="")
        first = import_documents([document], root=Path(folder))
        assert import_documents([document], root=Path(folder)).yaml == first.yaml
        output = Path(folder) / "architecture.yml"
        output.write_text(first.yaml, encoding="utf-8")
        arch, problems = load_architecture(output)
        assert arch is not None and not problems, ([p.format() for p in problems], first.yaml)
