"""SQL through sqlglot: valid DDL in every supported dialect, schema-drift, and the ER diagram."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from mkdocs_archplugin.analysis.checks import check_traceability
from mkdocs_archplugin.architecture import load_architecture
from mkdocs_archplugin.architecture.model import Architecture
from mkdocs_archplugin.architecture.sql import SQL_DIALECTS, entities_ddl, parse_schema
from mkdocs_archplugin.prd.model import Prd
from mkdocs_archplugin.render.diagrams import er_diagram

from conftest import ROOT

ENTITIES = {
    "components": [],
    "entities": [
        {"name": "User", "attributes": [
            {"name": "id", "type": "uuid", "constraints": ["primary key"]},
            {"name": "email", "type": "varchar(255)", "constraints": ["unique", "not null"]},
            {"name": "region", "type": "text", "constraints": ["check (region in ('eu', 'us'))"]},
            {"name": "total", "type": "numeric(10,2)"},
            {"name": "tags", "type": "text[]"},
            {"name": "createdAt", "type": "timestamptz", "constraints": ["not null", "default now()"]},
            {"name": "order", "type": "int"},
            {"name": "orgId", "type": "uuid", "constraints": ["references organisation(id)"]},
        ], "relationships": [{"target": "Organisation", "kind": "many-to-one"}],
         "indexes": [{"columns": ["email"], "unique": True}]},
        {"name": "Organisation", "attributes": [{"name": "id", "type": "uuid", "constraints": ["primary key"]}],
         "relationships": [{"target": "User", "kind": "one-to-many"}]},
    ],
}


def _statements(sql: str, dialect: str) -> list[exp.Expression]:
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    statements = sqlglot.parse(sql, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    assert not [s for s in statements if isinstance(s, exp.Command)], sql  # parsed, not passed through
    return statements


@pytest.mark.parametrize("dialect", SQL_DIALECTS)
def test_generated_ddl_parses_in_every_dialect(dialect: str) -> None:
    arch = Architecture.model_validate(ENTITIES)
    ddl = entities_ddl(list(arch.entities), dialect)
    assert "not valid SQL" not in ddl
    statements = _statements(ddl, dialect)
    assert len(statements) == 3  # two tables and an index
    table = statements[0]
    assert table.this.this.name == "user" and table.this.this.this.args.get("quoted")  # reserved: quoted
    names = [c.name for c in table.this.expressions]
    assert names == ["id", "email", "region", "total", "tags", "created_at", "order", "org_id"]


def test_types_and_constraints_as_written() -> None:
    ddl = entities_ddl(list(Architecture.model_validate(ENTITIES).entities), "postgres")
    assert "email VARCHAR(255) UNIQUE NOT NULL" in ddl
    assert "CHECK (region IN ('eu', 'us'))" in ddl  # the literals keep their case
    assert "tags TEXT[]" in ddl and "TIMESTAMPTZ NOT NULL" in ddl and '"order" INT' in ddl
    assert "REFERENCES organisation (id)" in ddl


@pytest.mark.parametrize("site", ["example_site/architecture.yml", "architecture.yml"])
@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_the_shipped_sites_ddl_parses(site: str, dialect: str) -> None:
    arch, _ = load_architecture(ROOT / site)
    assert arch is not None
    if arch.entities:
        _statements(entities_ddl(list(arch.entities), dialect), dialect)


def test_schema_drift_names_both_places(tmp_path: Path) -> None:
    text = (
        "components: []\n"
        "entities:\n"
        "  - name: Customer\n    attributes:\n      - {name: id, type: uuid}\n      - {name: phone, type: text}\n"
        "  - name: Invoice\n    attributes:\n      - {name: id, type: uuid}\n"
        "schema: |\n"
        "  CREATE TABLE customer (id uuid, email text);\n"
        "  CREATE TABLE audit (id uuid);\n"
    )
    (tmp_path / "architecture.yml").write_text(text, encoding="utf-8")
    arch, _ = load_architecture(tmp_path / "architecture.yml")
    assert arch is not None
    messages = sorted(d.message for d in check_traceability(Prd(files=()), arch) if d.code == "schema-drift")
    assert messages == [
        f"attribute Customer.phone has no column in table customer of `schema` ({tmp_path}/architecture.yml:10:9)",
        f"column customer.email is in `schema` ({tmp_path}/architecture.yml:10:9) but not an attribute of entity Customer",
        f"entity Invoice has no table invoice in `schema` ({tmp_path}/architecture.yml:10:9)",
        "table audit is in `schema` but no entity describes it",
    ]


def test_a_schema_that_is_not_sql_is_a_located_error(tmp_path: Path) -> None:
    text = "components: []\nschema: |\n  CREATE TABLE customer (id uuid\n    email text);\n"
    (tmp_path / "architecture.yml").write_text(text, encoding="utf-8")
    arch, _ = load_architecture(tmp_path / "architecture.yml")
    assert arch is not None
    (diagnostic,) = [d for d in check_traceability(Prd(files=()), arch) if d.code == "schema-invalid"]
    assert diagnostic.line == 4 and "not valid postgres" in diagnostic.message


def test_parse_schema_reads_tables_and_columns() -> None:
    parsed = parse_schema('CREATE TABLE "user" (id uuid, "Email" text); CREATE INDEX i ON "user" (id);')
    assert parsed.tables == {"user": ["id", "email"]} and parsed.problems == []


def test_er_diagram_keeps_types_draws_a_relationship_once_and_separates_names() -> None:
    diagram = er_diagram(list(Architecture.model_validate(ENTITIES).entities))
    assert "varchar(255) email" in diagram and "numeric(10-2) total" in diagram
    assert sum(1 for line in diagram.splitlines() if "--" in line) == 1
    twins = Architecture.model_validate({"components": [], "entities": [{"name": "Customer"}, {"name": "CUSTOMER"}]})
    assert "CUSTOMER {" in er_diagram(list(twins.entities)) and "CUSTOMER_2 {" in er_diagram(list(twins.entities))
    codes = [d.code for d in check_traceability(Prd(files=()), twins)]
    assert codes.count("duplicate-id") == 1


def test_constraint_text_that_is_not_sql_is_a_comment_not_broken_ddl() -> None:
    arch = Architecture.model_validate({"components": [], "entities": [{"name": "Job", "attributes": [
        {"name": "state", "type": "text", "constraints": ["not null", "one of new/done"]},
        {"name": "size", "type": "a big number"}]}]})
    ddl = entities_ddl(list(arch.entities), "postgres")
    _statements(ddl, "postgres")
    assert "-- state: not SQL, left out: one of new/done" in ddl and "state TEXT NOT NULL" in ddl
    assert "-- size: not SQL, left out: type a big number" in ddl
