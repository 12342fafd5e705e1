"""traceability.json and knowledge-graph.jsonl: schema, determinism, integrity, one todo list."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from mkdocs_archplugin.analysis.todos import TODO_ACTIONS
from mkdocs_archplugin.diagnostics import DEFAULT_SEVERITIES
from mkdocs_archplugin.exports import export_graph, export_json, traceability_json_schema
from mkdocs_archplugin.exports.knowledge_graph import MAX_OBSERVATION, RELATION_TYPES
from mkdocs_archplugin.prd.model import Requirement
from mkdocs_archplugin.project import ArchProject, Build, ProjectConfig, render_exports
from mkdocs_archplugin.render.view import Layout

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_site"
JSON_PATH = "architecture/traceability.json"
GRAPH_PATH = "architecture/knowledge-graph.jsonl"

#: A small project with one of every gap: each todo-producing diagnostic code, duplicates,
#: dangling references, a proposed decision, an incomplete component, a NaN in an example.
GAPPY_PRD = """\
# Gappy PRD

## Personas
- **Olga, operator:** runs the on-call rota.

## Functional requirements
- FR-001: Users sign in with their email address. (Must)
- FR-002: Users export reports.
- FR-002: Users export reports twice.

## Non-functional requirements
- NFR-001 (Performance): Pages load in < 200 ms p95.
- NFR-002 (Security): TLS 1.3 only.
"""

GAPPY_ARCHITECTURE = """\
product: Gappy
stack:
  - {name: React, layer: Frontend}
components:
  - id: web
    name: Web app
    technology: [React 18]
    location: apps/web
    depends_on: [api, ghost]
    requirements: [FR-001, FR-099]
  - id: api
    name: API
    depends_on: [web]
    requirements: [NFR-001]
  - id: api
    name: Second API
entities:
  - {name: User, component: api, requirements: [FR-001]}
api:
  endpoints:
    - method: GET
      path: /users
      component: nowhere
      responses:
        - {status: 200, example: {ratio: .nan}}
      requirements: [FR-001]
decisions:
  - {id: ADR-001, title: Cache pages, status: proposed, requirements: [NFR-001]}
  - {id: ADR-002, title: Untraced, status: accepted, supersedes: [ADR-000]}
"""


def example_config() -> ProjectConfig:
    return ProjectConfig(
        prd=(EXAMPLE / "docs" / "prd.md").resolve(),
        decisions=(EXAMPLE / "architecture.yml").resolve(),
        docs_dir=(EXAMPLE / "docs").resolve(),
        config_dir=EXAMPLE.resolve(),
    )


def project_config(root: Path, prd: str, architecture: str | None) -> ProjectConfig:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "prd.md").write_text(prd, encoding="utf-8")
    if architecture is not None:
        (root / "architecture.yml").write_text(architecture, encoding="utf-8")
    return ProjectConfig(prd=root / "docs" / "prd.md", decisions=root / "architecture.yml",
                         docs_dir=root / "docs", config_dir=root)


@pytest.fixture(scope="module")
def example() -> Build:
    return ArchProject().build(example_config())


@pytest.fixture(scope="module")
def gappy(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("gappy")
    return ArchProject().build(project_config(root, GAPPY_PRD, GAPPY_ARCHITECTURE))


@pytest.fixture(scope="module")
def without_architecture(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("no-yaml")
    return ArchProject().build(project_config(root, GAPPY_PRD, None))


@pytest.fixture(params=["example", "gappy", "without_architecture"])
def build(request: pytest.FixtureRequest) -> Build:
    return request.getfixturevalue(request.param)


def document(build: Build) -> dict:
    return json.loads(build.exports[JSON_PATH])


def graph_lines(build: Build) -> list[dict]:
    return [json.loads(line) for line in build.exports[GRAPH_PATH].splitlines()]


# ---- traceability.json ------------------------------------------------------------------


def test_shipped_schema_is_valid_draft_2020_12() -> None:
    schema = traceability_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_export_validates_against_shipped_schema(build: Build) -> None:
    validator = jsonschema.Draft202012Validator(traceability_json_schema())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document(build))]
    assert errors == []


def test_schema_knows_every_diagnostic_code() -> None:
    codes = traceability_json_schema()["$defs"]["diagnostic"]["properties"]["code"]["enum"]
    assert set(codes) == set(DEFAULT_SEVERITIES)


def test_requirements_carry_every_parser_field_and_their_links(example: Build) -> None:
    fields = {f.name for f in dataclasses.fields(Requirement)}
    requirements = document(example)["requirements"]
    assert [r["id"] for r in requirements] == list(example.analysis.prd.by_id)
    for requirement in requirements:
        assert fields <= set(requirement)
        assert {"addressed_by", "covered"} <= set(requirement)
    nfr5 = next(r for r in requirements if r["id"] == "NFR5")
    assert nfr5["targets"] and nfr5["covered"] is True
    assert "ADR-003" in nfr5["addressed_by"]["accepted_decisions"]
    assert "sync" in nfr5["addressed_by"]["components"]


def test_every_link_in_the_json_resolves(build: Build) -> None:
    data = document(build)
    requirement_ids = {r["id"] for r in data["requirements"]}
    keys = {
        "goals": {g["goal"] for g in data["goals"]},
        "stack": {s["name"] for s in data["stack"]},
        "services": {s["name"] for s in data["services"]},
        "components": {c["id"] for c in data["components"]},
        "entities": {e["name"] for e in data["entities"]},
        "endpoints": {e["id"] for e in data["endpoints"]},
        "decisions": {d["id"] for d in data["decisions"]},
        "accepted_decisions": {d["id"] for d in data["decisions"] if d["status"] == "accepted"},
        "tradeoffs": {t["title"] for t in data["tradeoffs"]},
        "sections": {s["key"] for s in data["sections"]} | {"api"},
        "patterns": {p["name"] for p in data["patterns"]} | ({data["pattern"]["name"]} if data["pattern"] else set()),
        "external_systems": {x["name"] for x in (data["context"] or {}).get("external_systems", [])},
        "interfaces": {i["id"] for i in data["interfaces"]},
        "flows": {f["id"] for f in data["flows"]},
        "risks": {r["id"] for r in data["risks"]},
    }
    for requirement in data["requirements"]:
        for bucket, names in requirement["addressed_by"].items():
            assert set(names) <= keys[bucket], (requirement["id"], bucket)
    items = [item for bucket in ("goals", "stack", "services", "components", "entities", "endpoints",
                                 "sections", "decisions", "tradeoffs", "patterns", "interfaces", "flows",
                                 "risks") for item in data[bucket]]
    items += [item for item in (data["pattern"], data["api"]) if item]
    for item in items:
        assert set(item["requirements"]) <= requirement_ids
    for figures in data["coverage"].values():
        assert set(figures["uncovered"]) <= requirement_ids


def test_coverage_figures_match_the_analysis(build: Build) -> None:
    coverage = build.analysis.coverage
    figures = document(build)["coverage"]
    assert (figures["functional"]["covered"], figures["functional"]["total"]) == (coverage.fr_covered, coverage.fr_total)
    assert (figures["non_functional"]["covered"], figures["non_functional"]["total"]) == (
        coverage.nfr_covered, coverage.nfr_total)


def test_diagnostics_carry_their_configured_severity(gappy: Build) -> None:
    diagnostics = document(gappy)["diagnostics"]
    assert len(diagnostics) == len(gappy.analysis.diagnostics)
    cycle = next(d for d in diagnostics if d["code"] == "dependency-cycle")
    assert cycle["severity"] == "info"


def test_nan_in_an_example_still_gives_valid_json(gappy: Build) -> None:
    text = gappy.exports[JSON_PATH]
    assert "NaN" not in text
    endpoint = document(gappy)["endpoints"][0]
    assert endpoint["responses"][0]["example"] == {"ratio": None}


# ---- todos: one list ---------------------------------------------------------------------


def test_json_todos_are_the_analysis_todo_list(build: Build) -> None:
    assert document(build)["todos"] == [todo.to_dict() for todo in build.analysis.todos]


def test_todo_page_lists_the_same_todos(build: Build) -> None:
    page = next(p for p in build.pages if p.path == "architecture/todo.md")
    listed = re.findall(r"^- \*\*.* · ([a-z-]+)</small>$", page.markdown, flags=re.MULTILINE)
    assert listed == [todo["kind"] for todo in document(build)["todos"]]


def test_todos_equal_the_todo_producing_diagnostics(build: Build) -> None:
    def located(code: str, file: str, line: int) -> tuple[str, str, int]:
        return code, file, line

    from_diagnostics = Counter(located(d.code, d.file, d.line) for d in build.analysis.diagnostics
                               if d.code in TODO_ACTIONS)
    from_todos = Counter(located(t["kind"], t["file"], t["line"]) for t in document(build)["todos"]
                         if t["kind"] in TODO_ACTIONS)
    assert from_todos == from_diagnostics


def test_gappy_project_produces_every_kind_of_todo(gappy: Build) -> None:
    kinds = {todo["kind"] for todo in document(gappy)["todos"]}
    expected = set(TODO_ACTIONS) - {"yaml-invalid", "schema-invalid", "requirement-without-id"}
    assert expected | {"decision-proposed", "component-incomplete", "endpoint-without-auth"} <= kinds


# ---- knowledge-graph.jsonl -----------------------------------------------------------------


def test_graph_lines_have_the_memory_server_shape(build: Build) -> None:
    text = build.exports[GRAPH_PATH]
    assert text.endswith("\n") and "\n\n" not in text
    for record in graph_lines(build):
        if record["type"] == "entity":
            assert list(record) == ["type", "name", "entityType", "observations"]
            assert all(isinstance(o, str) for o in record["observations"])
        else:
            assert list(record) == ["type", "from", "to", "relationType"]
            assert record["relationType"] in RELATION_TYPES


def test_graph_names_are_unique(build: Build) -> None:
    names = Counter(r["name"] for r in graph_lines(build) if r["type"] == "entity")
    assert [name for name, count in names.items() if count > 1] == []


def test_every_relation_connects_two_entities(build: Build) -> None:
    records = graph_lines(build)
    names = {r["name"] for r in records if r["type"] == "entity"}
    relations = [r for r in records if r["type"] == "relation"]
    assert [r for r in relations if r["from"] not in names or r["to"] not in names] == []
    assert len({(r["from"], r["to"], r["relationType"]) for r in relations}) == len(relations)


def test_relations_join_the_documented_entity_types(build: Build) -> None:
    records = graph_lines(build)
    types = {r["name"]: r["entityType"] for r in records if r["type"] == "entity"}
    requirement = {"functional_requirement", "non_functional_requirement"}
    allowed = {
        "implements": ({"component", "data_model", "endpoint", "interface"}, requirement),
        "addresses": ({"decision", "technology", "tradeoff", "pattern", "risk", "strategy"}, requirement),
        "concerns": ({"decision"}, requirement),
        "involves": ({"flow"}, {"component", "external_system"}),
        "depends_on": ({"component"}, {"component"}),
        "uses": ({"component"}, {"technology", "external_system"}),
        "stores": ({"component"}, {"data_model"}),
        "exposes": ({"component"}, {"endpoint", "interface"}),
        "supersedes": ({"decision"}, {"decision"}),
        "affects": ({"decision"}, {"component"}),
    }
    for relation in (r for r in records if r["type"] == "relation"):
        sources, targets = allowed[relation["relationType"]]
        assert types[relation["from"]] in sources and types[relation["to"]] in targets, relation


def test_graph_has_an_entity_for_every_input_item(example: Build) -> None:
    arch, prd = example.analysis.arch, example.analysis.prd
    names = {r["name"] for r in graph_lines(example) if r["type"] == "entity"}
    expected = set(prd.by_id)
    expected |= {f"persona:{p.title}" for p in prd.items_of("persona")}
    expected |= {f"technology:{t.name}" for t in [*arch.stack, *arch.services]}
    expected |= {f"component:{c.id}" for c in arch.components}
    expected |= {f"data_model:{e.name}" for e in arch.entities}
    expected |= {f"endpoint:{e.method} {e.path}" for e in arch.api.endpoints}
    expected |= {f"decision:{d.id}" for d in arch.decisions}
    expected |= {f"tradeoff:{t.title}" for t in arch.tradeoffs}
    expected |= {f"pattern:{p.name}" for p in arch.all_patterns()}
    expected |= {f"strategy:{key}" for key, _ in arch.prose_sections() if key != "future"}
    expected |= {f"external_system:{x.name}" for x in (arch.context.external_systems if arch.context else [])}
    expected |= {f"interface:{i.kind} {i.name}" for i in arch.interfaces}
    expected |= {f"flow:{f.id}" for f in arch.flows}
    expected |= {f"risk:{r.id}" for r in arch.risks}
    assert names == expected


def test_graph_relations_of_the_example(example: Build) -> None:
    relations = {(r["from"], r["to"], r["relationType"]) for r in graph_lines(example) if r["type"] == "relation"}
    assert ("decision:ADR-011", "decision:ADR-006", "supersedes") in relations
    assert ("decision:ADR-003", "NFR5", "addresses") in relations
    assert ("decision:ADR-003", "component:sync", "affects") in relations
    assert ("component:scheduling", "FR5", "implements") in relations
    assert ("component:scheduling", "component:route-optimizer", "depends_on") in relations
    assert ("component:scheduling", "data_model:Job", "stores") in relations
    assert ("component:scheduling", "endpoint:POST /jobs", "exposes") in relations
    assert ("component:notifications", "technology:Twilio Programmable Messaging", "uses") in relations
    assert ("component:notifications", "external_system:Twilio", "uses") in relations
    assert ("flow:offline-sync", "component:sync", "involves") in relations
    assert ("component:scheduling", "interface:event job.assigned", "exposes") in relations
    assert ("interface:event job.assigned", "FR5", "implements") in relations
    assert ("risk:R-1", "NFR2", "addresses") in relations
    assert ("risk:R-3", "NFR11", "addresses") not in relations  # open, no mitigation
    assert ("strategy:security", "NFR6", "addresses") in relations
    assert {r[2] for r in relations} == set(RELATION_TYPES)


def test_observations_state_requirement_and_decision_facts(example: Build) -> None:
    entities = {r["name"]: r for r in graph_lines(example) if r["type"] == "entity"}
    nfr1 = entities["NFR1"]
    assert nfr1["entityType"] == "non_functional_requirement"
    assert "Target: < 300 ms" in nfr1["observations"]
    assert any("p95 < 300 ms" in o for o in nfr1["observations"])
    adr6 = entities["decision:ADR-006"]["observations"]
    assert "Status: superseded" in adr6 and any(o.startswith("Rationale: ") for o in adr6)


def test_observations_are_short_single_lines(build: Build) -> None:
    for record in graph_lines(build):
        for observation in record.get("observations", []):
            assert "\n" not in observation and 0 < len(observation) <= MAX_OBSERVATION


def test_graph_leaves_out_duplicates_and_dangling_references(gappy: Build) -> None:
    records = graph_lines(gappy)
    api = [r for r in records if r.get("name") == "component:api"]
    assert len(api) == 1 and "Name: API" in api[0]["observations"]
    ends = {end for r in records if r["type"] == "relation" for end in (r["from"], r["to"])}
    assert not {"component:ghost", "decision:ADR-000", "FR-099", "component:nowhere"} & ends


def test_graph_without_architecture_holds_the_prd(without_architecture: Build) -> None:
    records = graph_lines(without_architecture)
    assert {r["entityType"] for r in records} == {
        "functional_requirement", "non_functional_requirement", "persona"}


# ---- determinism and configuration -----------------------------------------------------------


def test_two_builds_give_byte_identical_exports() -> None:
    first = ArchProject().build(example_config()).exports
    second = ArchProject().build(example_config()).exports
    assert first.keys() == {JSON_PATH, GRAPH_PATH}
    assert first == second
    assert all(text.endswith("\n") for text in first.values())


def test_exports_do_not_depend_on_the_working_directory(
        example: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert ArchProject().build(example_config()).exports == example.exports


def test_export_functions_are_pure(example: Build) -> None:
    assert export_json(example.analysis) == example.exports[JSON_PATH]
    assert export_graph(example.analysis) == example.exports[GRAPH_PATH]


@pytest.mark.parametrize(
    ("kinds", "paths"),
    [((), set()), (("json",), {JSON_PATH}), (("graph",), {GRAPH_PATH}), (("json", "graph"), {JSON_PATH, GRAPH_PATH})],
)
def test_exports_follow_configuration(example: Build, kinds: tuple[str, ...], paths: set[str]) -> None:
    assert set(render_exports(example.analysis, Layout("architecture"), kinds)) == paths


def test_exports_land_under_output_dir(example: Build) -> None:
    exports = render_exports(example.analysis, Layout("docs/arch"), ("json", "graph"))
    assert set(exports) == {"docs/arch/traceability.json", "docs/arch/knowledge-graph.jsonl"}
