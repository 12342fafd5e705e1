"""`export --markdown` / `--markdown-dir` and `import`: portable Markdown, a fixed-point round
trip on real sites, and the import of the corpus's real architecture documents."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from mkdocs_archplugin.architecture.load import load_architecture
from mkdocs_archplugin.cli import main
from mkdocs_archplugin.importer import import_documents, prd_ids
from mkdocs_archplugin.prd import parse_prd

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_site"


def _site_copy(tmp_path: Path, source: Path = EXAMPLE) -> Path:
    site = tmp_path / "site"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("site", "__pycache__"))
    return site


def _export(site: Path, *args: str, config: str = "mkdocs.yml") -> int:
    return main(["export", "-f", str(site / config), *args])


def _gfm(text: str) -> str:
    """GitHub's own renderer (cmark-gfm), raw HTML kept as GitHub keeps anchors."""
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_single_file_export_renders_on_github_with_working_links(tmp_path: Path) -> None:
    site = _site_copy(tmp_path)
    target = site / "docs" / "architecture.md"
    assert _export(site, "--markdown", str(target)) == 0
    text = target.read_text(encoding="utf-8")
    assert "!!!" not in text and "{:" not in text  # no MkDocs-only syntax
    html = _gfm(text)
    assert html.count('<pre lang="mermaid">') >= 5  # component, context, ER, 2 flows
    anchors = _ids(html)
    for href in re.findall(r'href="([^"]+)"', html):
        if href.startswith("#"):
            assert href[1:] in anchors, href
        elif not re.match(r"^[a-z]+:", href):
            assert (target.parent / href.split("#")[0]).exists(), href
    assert "[NFR1](prd.md)" in text  # the PRD file, beside the export


def test_sharded_export_uses_bmad_names_and_links_across_shards(tmp_path: Path) -> None:
    site = _site_copy(tmp_path)
    folder = site / "docs" / "architecture"
    assert _export(site, "--markdown-dir", str(folder)) == 0
    names = {p.name for p in folder.glob("*.md")}
    assert {"index.md", "tech-stack.md", "source-tree.md", "coding-standards.md", "components.md"} <= names
    anchors = {p.name: _ids(_gfm(p.read_text(encoding="utf-8"))) for p in folder.glob("*.md")}
    for shard in folder.glob("*.md"):
        text = shard.read_text(encoding="utf-8")
        assert text.startswith("# "), shard.name
        for href in re.findall(r'href="([^"]+)"', _gfm(text)):
            if re.match(r"^[a-z]+:", href):
                continue
            file, _, anchor = href.partition("#")
            if file.endswith(".md") and (folder / file).exists():
                assert not anchor or anchor in anchors[file], (shard.name, href)
            elif file:
                assert (folder / file).exists(), (shard.name, href)
            else:
                assert anchor in anchors[shard.name], (shard.name, href)


def test_export_rewrites_only_what_changed_and_check_finds_stale_files(tmp_path: Path) -> None:
    site = _site_copy(tmp_path)
    folder = tmp_path / "shards"
    assert _export(site, "--markdown-dir", str(folder)) == 0
    assert _export(site, "--markdown-dir", str(folder), "--check") == 0
    stack = folder / "tech-stack.md"
    os.utime(stack, (1_000_000, 1_000_000))
    assert _export(site, "--markdown-dir", str(folder)) == 0
    assert stack.stat().st_mtime == 1_000_000  # unchanged content, file untouched
    stack.write_text(stack.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert _export(site, "--markdown-dir", str(folder), "--check") == 1
    assert _export(site, "--markdown-dir", str(folder)) == 0
    assert _export(site, "--markdown-dir", str(folder), "--check") == 0


def test_markdown_export_option_is_the_default_target_and_left_out_of_the_site(tmp_path: Path) -> None:
    site = _site_copy(tmp_path)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - archplugin:\n", "  - archplugin:\n      markdown_export: docs/architecture.md\n", 1), encoding="utf-8")
    assert _export(site, "--markdown") == 0
    assert _export(site, "--markdown", "--check") == 0
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert "left 1 file(s) of the Markdown export docs/architecture.md out of the site" in result.stderr
    assert not (site / "site" / "architecture.html").exists() and not (site / "site" / "architecture" / "architecture").exists()


def _round_trip(site: Path, tmp_path: Path, config: str = "mkdocs.yml", decisions: str = "architecture.yml") -> None:
    first = tmp_path / "first.md"
    assert _export(site, "--markdown", str(first), config=config) == 0
    imported = tmp_path / "imported.yml"
    assert main(["import", str(first), "-o", str(imported)]) == 0
    original, _ = load_architecture(site / decisions)
    again, problems = load_architecture(imported)
    assert not problems, [p.format() for p in problems]
    shutil.copy(imported, site / decisions) if (site / decisions).is_file() else None
    second = tmp_path / "second.md"
    assert _export(site, "--markdown", str(second), config=config) == 0
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert _normalised(again) == _normalised(original)


def _normalised(arch) -> dict:
    """The model with prose compared as Markdown reads it (line breaks inside a paragraph are
    spaces) and `pattern` counted among `patterns`."""
    def norm(value):
        if isinstance(value, str):
            return " ".join(value.split())
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        return value
    data = norm(arch.model_dump(by_alias=True))
    data["patterns"] = ([data["pattern"]] if data.get("pattern") else []) + data["patterns"]
    data.pop("pattern")
    return data


def test_round_trip_is_a_fixed_point_on_the_example_site(tmp_path: Path) -> None:
    _round_trip(_site_copy(tmp_path), tmp_path)


def test_round_trip_is_a_fixed_point_on_the_project_docs(tmp_path: Path) -> None:
    site = tmp_path / "project"
    site.mkdir()
    shutil.copytree(ROOT / "docs", site / "docs")
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    shutil.copy(ROOT / "architecture.yml", site / "architecture.yml")
    _round_trip(site, tmp_path)


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    document = tmp_path / "architecture.md"
    document.write_text("# Shop\n\n## Tech Stack\n\n| Layer | Technology |\n|---|---|\n| API | FastAPI |\n", encoding="utf-8")
    output = tmp_path / "architecture.yml"
    output.write_text("keep me\n", encoding="utf-8")
    assert main(["import", str(document), "-o", str(output)]) == 2
    assert output.read_text(encoding="utf-8") == "keep me\n"
    assert main(["import", str(document), "-o", str(output), "--force"]) == 0
    assert "name: FastAPI" in output.read_text(encoding="utf-8")


def test_import_reads_a_bmad_style_document_and_reports_what_it_keeps_as_prose(tmp_path: Path, capsys) -> None:
    document = tmp_path / "architecture.md"
    document.write_text("""# Parcel Fullstack Architecture Document

## Change Log

| Date | Version |
|---|---|
| 2025-01-01 | 1.0 |

## Tech Stack

| Category | Technology | Version | Purpose | Rationale |
|---|---|---|---|---|
| Backend | FastAPI | 0.110 | HTTP API | Async, typed (NFR-2) |

## Components

### Label Service

**Responsibility:** Prints shipping labels for FR-1.

**Dependencies:** Rate Engine

**Technology Stack:** Python, Redis

### Rate Engine

**Responsibility:** Quotes carrier rates (FR-2).

## Data Models

### Parcel

**Purpose:** A parcel to ship.

**Key Attributes:**

- id: UUID - the parcel
- weight_grams: integer - its weight

#### Relationships

- Belongs to Customer

## REST API Spec

```yaml
openapi: 3.0.0
info: {title: Parcel API, version: "1"}
paths:
  /labels:
    post:
      summary: Print a label (FR-1)
```

## Core Workflows

```mermaid
sequenceDiagram
    participant U as User
    participant L as Label Service
    U->>L: POST /labels
    L-->>U: label PDF
```

## Architectural Decisions

### ADR-001: Use Redis for rate caching

**Status:** Accepted

**Context:** Carrier APIs are slow; NFR-1 asks for 200 ms quotes.

**Decision:** Cache quotes in Redis for 10 minutes.
""", encoding="utf-8")
    result = import_documents([document], root=tmp_path)
    data = result.draft.data
    assert data["product"] == "Parcel"
    assert data["stack"][0] == {"layer": "Backend", "name": "FastAPI", "version": "0.110",
                                "rationale": "HTTP API — Async, typed (NFR-2)", "requirements": ["NFR-2"]}
    label, rate = data["components"]
    assert label["id"] == "label-service" and label["depends_on"] == ["rate-engine"]
    assert label["technology"] == ["Python", "Redis"] and label["requirements"] == ["FR-1"]
    parcel = data["entities"][0]
    assert [a["name"] for a in parcel["attributes"]] == ["id", "weight_grams"]
    assert parcel["relationships"] == [{"target": "Customer", "kind": "many-to-one"}]
    assert data["api"]["endpoints"][0]["method"] == "POST" and data["api"]["endpoints"][0]["requirements"] == ["FR-1"]
    assert [s["message"] for s in data["flows"][0]["steps"]] == ["POST /labels", "label PDF"]
    decision = data["decisions"][0]
    assert decision["id"] == "ADR-001" and decision["status"] == "accepted" and decision["requirements"] == ["NFR-1"]
    assert any("Change Log" in what for _, what in result.draft.unplaced)
    assert "Change Log" in data["overview"]["purpose"]  # kept, not dropped
    output = tmp_path / "architecture.yml"
    output.write_text(result.yaml, encoding="utf-8")
    _, problems = load_architecture(output)
    assert not problems, [p.format() for p in problems]
    assert "  # architecture.md:" in result.yaml  # every item names its source line


def test_import_is_deterministic(tmp_path: Path) -> None:
    site = _site_copy(tmp_path)
    target = tmp_path / "a.md"
    assert _export(site, "--markdown", str(target)) == 0
    first = import_documents([target], root=tmp_path).yaml
    assert import_documents([target], root=tmp_path).yaml == first


def test_import_of_hostile_text_stays_data(tmp_path: Path) -> None:
    document = tmp_path / "architecture.md"
    document.write_text("# X\n\n## Components\n\n### <script>alert(1)</script>\n\n"
                        "**Responsibility:** {{ 7*7 }} <img src=x onerror=alert(1)>\n", encoding="utf-8")
    output = tmp_path / "architecture.yml"
    assert main(["import", str(document), "-o", str(output)]) == 0
    arch, problems = load_architecture(output)
    assert arch is not None and not problems


def test_import_of_a_fifo_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "architecture.md"
    os.mkfifo(fifo)
    assert main(["import", str(fifo), "-o", str(tmp_path / "out.yml")]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_every_corpus_architecture_document_imports_with_no_schema_error(corpus: Path, tmp_path: Path) -> None:
    documents = sorted((corpus / "arch").glob("*.md"))
    assert len(documents) == 20
    for document in documents:
        prd = next(p for p in (corpus / "prd").iterdir() if p.name.startswith(document.name[:2]))
        result = import_documents([document], prd_ids(list(parse_prd([prd]).by_id)), root=corpus)
        output = tmp_path / f"{document.stem}.yml"
        output.write_text(result.yaml, encoding="utf-8")
        arch, problems = load_architecture(output)
        assert arch is not None and not problems, (document.name, [p.format() for p in problems][:3])


def test_a_site_built_from_an_imported_document_carries_its_sections(corpus: Path, tmp_path: Path) -> None:
    document = corpus / "arch" / "01-cwe-chatbot.md"
    prd = next(p for p in (corpus / "prd").iterdir() if p.name.startswith("01"))
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    shutil.copy(prd, site / "docs" / "prd.md")
    assert main(["import", str(document), "--prd", str(prd), "-o", str(site / "architecture.yml")]) == 0
    (site / "mkdocs.yml").write_text("site_name: Imported\nplugins:\n  - archplugin\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(site / "mkdocs.yml")],
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    sad = (site / "site" / "architecture" / "index.html").read_text(encoding="utf-8")
    assert "Chainlit" in sad  # the tech stack table came through
    assert "/user/config" in sad  # and the endpoints of its OpenAPI block


def test_round_trip_through_shards_is_a_fixed_point(tmp_path: Path) -> None:
    site = _site_copy(tmp_path)
    folder = tmp_path / "shards"
    assert _export(site, "--markdown-dir", str(folder)) == 0
    first = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    original, _ = load_architecture(site / "architecture.yml")
    assert main(["import", str(folder), "-o", str(site / "architecture.yml"), "--force"]) == 0
    again, problems = load_architecture(site / "architecture.yml")
    assert not problems and _normalised(again) == _normalised(original)
    assert _export(site, "--markdown-dir", str(folder), "--check") == 0
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")} == first


def test_import_reads_a_spec_kit_feature_folder(tmp_path: Path) -> None:
    """plan.md (Technical Context, Project Structure), research.md (Decision / Rationale /
    Alternatives considered), data-model.md and contracts/ (OpenAPI); spec.md is not read."""
    folder = ROOT / "tests" / "fixtures" / "spec_kit_feature"
    result = import_documents([folder], root=folder)
    data = result.draft.data
    assert data["product"] == "Shared shopping lists"
    assert {"layer": "Storage", "name": "PostgreSQL 16"} in data["stack"]
    assert [d["title"] for d in data["decisions"]] == ["Real-time transport", "Conflict handling"]
    assert data["decisions"][0]["options"] == [{"name": "WebSockets"}, {"name": "polling every 5 s."}]
    assert data["decisions"][0]["requirements"] == ["NFR-001"]
    assert [e["name"] for e in data["entities"]] == ["List", "Item"]
    assert [(e["method"], e["path"]) for e in data["api"]["endpoints"]] == [
        ("POST", "/lists/{id}/items"), ("GET", "/lists/{id}/items"), ("GET", "/lists/{id}/events")]
    assert "backend/src/api/" in [entry["path"] for entry in data["source_tree"]]
    assert "Households MUST share lists" not in result.yaml  # spec.md is the PRD, not read
    output = tmp_path / "architecture.yml"
    output.write_text(result.yaml, encoding="utf-8")
    _, problems = load_architecture(output)
    assert not problems, [p.format() for p in problems]


def test_nothing_is_dropped_silently(tmp_path: Path) -> None:
    """Text in places no rule reads (prose in an API section, a list in a glossary, a paragraph
    between stack tables) is kept in the overview and reported with its line."""
    document = tmp_path / "architecture.md"
    document.write_text("""# Kiosk

## Tech Stack

Everything runs on one Raspberry Pi in the shop window.

| Layer | Technology |
|---|---|
| UI | Flutter |

## API

All calls go through the local gateway on port 8443 with mutual TLS.

## Glossary

A paragraph of ordinary words that explains the glossary conventions here.
""", encoding="utf-8")
    result = import_documents([document], root=tmp_path)
    reported = {where: what for where, what in result.draft.unplaced}
    assert {"architecture.md:5", "architecture.md:13", "architecture.md:17"} <= set(reported), reported
    purpose = result.draft.data["overview"]["purpose"]
    for text in ("Raspberry Pi in the shop window", "mutual TLS", "glossary conventions"):
        assert text in purpose


def test_a_c4_diagram_gives_components_dependencies_and_people(tmp_path: Path) -> None:
    document = tmp_path / "architecture.md"
    document.write_text('''# Tracker

## Container Diagram

```mermaid
C4Container
Person(student, "Student", "Tracks deadlines")
System_Ext(mail, "Mail provider", "Sends reminders")
Container(web, "Web App", "React", "What students use")
ContainerDb(db, "Database", "PostgreSQL", "Assignments")
Rel(student, web, "Uses")
Rel(web, db, "Reads and writes")
UpdateLayoutConfig($c4ShapeInRow="2")
```
''', encoding="utf-8")
    data = import_documents([document], root=tmp_path).draft.data
    web, db = data["components"]
    assert web == {"id": "web-app", "name": "Web App", "purpose": "What students use", "technology": ["React"],
                   "depends_on": ["database"]}
    assert db["kind"] == "datastore"
    assert data["context"] == {"people": [{"name": "Student", "description": "Tracks deadlines"}],
                               "external_systems": [{"name": "Mail provider", "description": "Sends reminders"}]}
    assert "C4Container" in data["overview"]["purpose"]  # the diagram itself is kept too


def test_an_index_without_its_shards_says_so(tmp_path: Path) -> None:
    index = tmp_path / "index.md"
    index.write_text("# Shop Architecture\n\n## Table of Contents\n\n- [Tech Stack](./tech-stack.md)\n"
                     "- [Components](./components.md)\n", encoding="utf-8")
    result = import_documents([index], root=tmp_path)
    assert result.draft.unplaced == [("index.md:1", "links 2 file(s) that are not here (components.md, tech-stack.md); "
                                      "import the folder that holds them")]
