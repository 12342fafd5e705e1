"""The JSON Schema of architecture.yml: valid Draft 2020-12, shipped, and agreeing with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from mkdocs_archplugin.architecture import architecture_json_schema, load_architecture
from mkdocs_archplugin.architecture.model import SCHEMA_BASE_URL, architecture_json_schema_text
from mkdocs_archplugin.architecture.yaml_reader import parse_yaml_text, read_yaml_file
from mkdocs_archplugin.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "mkdocs_archplugin" / "architecture" / "architecture.schema.json"
SHIPPED_SHARD = ROOT / "mkdocs_archplugin" / "architecture" / "architecture-shard.schema.json"
SCHEMASTORE_ENTRY = ROOT / "docs" / "schema" / "schemastore-catalog-entry.json"
#: SchemaStore's own schema of its catalog.json, copied from SchemaStore/schemastore
#: (src/schemas/json/schema-catalog.json): the entry we would submit must pass it.
SCHEMASTORE_CATALOG_SCHEMA = Path(__file__).parent / "fixtures" / "schemastore" / "schema-catalog.json"
#: Published, and named by editors' settings and SchemaStore: changing them breaks users.
STABLE_IDS = {
    False: "https://mkdocs-archplugin.readthedocs.io/schema/architecture.schema.json",
    True: "https://mkdocs-archplugin.readthedocs.io/schema/architecture-shard.schema.json",
}
FULL = Path(__file__).parent / "fixtures" / "architecture" / "full.yml"
EXAMPLE_SITE = ROOT / "example_site" / "architecture.yml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(architecture_json_schema())


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = architecture_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["components"]
    assert schema["additionalProperties"] is False
    assert "schema" in schema["properties"] and "schema_" not in schema["properties"]


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == architecture_json_schema_text(), (
        "regenerate it: archplugin schema > mkdocs_archplugin/architecture/architecture.schema.json"
    )


def test_the_shipped_shard_schema_is_the_generated_one() -> None:
    assert SHIPPED_SHARD.read_text(encoding="utf-8") == architecture_json_schema_text(shard=True), (
        "regenerate it: archplugin schema --shard > mkdocs_archplugin/architecture/architecture-shard.schema.json"
    )


def test_archplugin_schema_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == architecture_json_schema()
    assert main(["schema", "--shard"]) == 0
    assert json.loads(capsys.readouterr().out) == architecture_json_schema(shard=True)


@pytest.mark.parametrize("shard", [False, True], ids=["file", "shard"])
def test_each_schema_has_a_stable_id_under_the_docs_site(shard: bool) -> None:
    schema = architecture_json_schema(shard)
    assert schema["$id"] == STABLE_IDS[shard]
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))["site_url"]
    assert SCHEMA_BASE_URL == site_url.rstrip("/") + "/schema/"


def test_the_shard_schema_is_the_file_schema_with_no_key_required() -> None:
    whole, shard = architecture_json_schema(), architecture_json_schema(shard=True)
    assert "required" not in shard
    drop = {"$id", "title", "required"}
    assert {k: v for k, v in whole.items() if k not in drop} == {k: v for k, v in shard.items() if k not in drop}


SHARD = """\
decisions:
  - id: ADR-001
    title: PostgreSQL
    status: accepted
    requirements: [NFR-1]
"""


def test_a_decisions_only_shard_is_valid_for_the_shard_schema_alone() -> None:
    data, _ = parse_yaml_text(SHARD, "decisions.yml")
    assert list(jsonschema.Draft202012Validator(architecture_json_schema(shard=True)).iter_errors(data)) == []
    assert [e.message for e in jsonschema.Draft202012Validator(architecture_json_schema()).iter_errors(data)] \
        == ["'components' is a required property"]


def test_the_shard_schema_still_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(architecture_json_schema(shard=True))
    for case in ("unknown-key", "requirement-not-an-id", "status-typo", "missing-id", "version-float"):
        data, _ = parse_yaml_text(INVALID[case].replace("components: []\n", ""), "part.yml")
        assert list(validator.iter_errors(data)), case


def test_the_schemastore_catalog_entry_is_valid_and_points_at_the_published_schema() -> None:
    entry = json.loads(SCHEMASTORE_ENTRY.read_text(encoding="utf-8"))
    catalog = {"$schema": "https://json.schemastore.org/schema-catalog.json", "version": 1, "schemas": [entry]}
    catalog_schema = json.loads(SCHEMASTORE_CATALOG_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(catalog_schema, format_checker=jsonschema.FormatChecker()).validate(catalog)
    assert entry["url"] == architecture_json_schema()["$id"]
    assert set(entry) == {"name", "description", "fileMatch", "url"}


def test_fields_carry_their_documentation_for_editors() -> None:
    component = architecture_json_schema()["$defs"]["Component"]
    assert (
        component["properties"]["depends_on"]["description"]
        == "Ids of the components it calls or needs."
    )
    assert component["additionalProperties"] is False


def test_the_full_fixture_is_valid_against_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data, diagnostics = read_yaml_file(FULL, "full.yml")
    assert diagnostics == []
    assert list(validator.iter_errors(data)) == []


def test_the_schema_comment_of_the_fixture_points_at_the_shipped_schema() -> None:
    first = FULL.read_text(encoding="utf-8").splitlines()[0]
    target = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert target is not None
    assert (FULL.parent / target.group(1)).resolve() == SHIPPED


def test_the_example_site_yaml_is_valid_against_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    if not EXAMPLE_SITE.is_file():
        pytest.skip(f"{EXAMPLE_SITE} is not there yet")
    data, diagnostics = read_yaml_file(EXAMPLE_SITE, "architecture.yml")
    assert diagnostics == []
    assert [error.message for error in validator.iter_errors(data)] == []
    arch, problems = load_architecture(EXAMPLE_SITE)
    assert problems == [] and arch is not None


INVALID = {
    "unknown-key": "components: []\ndecsions: []\n",
    "requirement-not-an-id": "components:\n  - {id: a, name: A, requirements: [12]}\n",
    "requirements-in-one-string": "components:\n  - {id: a, name: A, requirements: 'FR-1, FR-2'}\n",
    "status-typo": "components: []\ndecisions:\n  - {id: D, title: T, status: done}\n",
    "missing-id": "components:\n  - {name: A}\n",
    "missing-components": "product: X\n",
    "version-float": "version: 3.5\ncomponents: []\n",
    "prose-number": "components: []\nsecurity: 12\n",
    "status-code": "components: []\napi:\n  endpoints:\n    - {method: GET, path: /, errors: [{status: 99}]}\n",
    "blank-name": "components:\n  - {id: a, name: ' '}\n",
}


@pytest.mark.parametrize("case", INVALID, ids=str)
def test_the_schema_and_the_loader_reject_the_same_documents(
    case: str, validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    text = INVALID[case]
    data, _ = parse_yaml_text(text, "architecture.yml")
    assert list(validator.iter_errors(data)), "the JSON Schema accepts it"
    path = tmp_path / "architecture.yml"
    path.write_text(text, encoding="utf-8")
    assert [d.code for d in load_architecture(path)[1]] == ["schema-invalid"]


def test_shorthands_are_valid_for_the_schema_too(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data, _ = parse_yaml_text(
        "components:\n  - {id: a, name: A, requirements: FR-1, depends_on: b}\n"
        "security: Plain text.\n"
        "overview: {goals: [Just a goal]}\n"
        "decisions:\n  - {id: D, title: T, options: [One, {name: Two}], supersedes: C}\n"
        "references: [A book]\n"
        "stack:\n  - {name: PostgreSQL, version: 16}\n",
        "architecture.yml",
    )
    assert list(validator.iter_errors(data)) == []
