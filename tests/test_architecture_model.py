"""The architecture.yml model: every key of the schema read from YAML, typed, and located."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from mkdocs_archplugin.architecture import Architecture, load_architecture
from mkdocs_archplugin.architecture.load import _unwrap
from mkdocs_archplugin.architecture.model import Location, Source, parse_range
from mkdocs_archplugin.architecture.yaml_reader import (
    LocatedList,
    LocatedMap,
    read_yaml_file,
)

FIXTURES = Path(__file__).parent / "fixtures" / "architecture"
FULL = FIXTURES / "full.yml"


@pytest.fixture(scope="module")
def full() -> Architecture:
    arch, diagnostics = load_architecture(FULL)
    assert diagnostics == []
    assert arch is not None
    return arch


def _models_and_keys() -> set[tuple[str, str]]:
    """Every (model, key) pair the schema allows, from Architecture down."""
    pairs: set[tuple[str, str]] = set()
    todo: list[type[BaseModel]] = [Architecture]
    seen: set[type[BaseModel]] = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            pairs.add((model.__name__, field.alias or name))
            todo.extend(_models_in(field.annotation))
    return pairs


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return (
        [m for arg in get_args(annotation) for m in _models_in(arg)]
        if get_origin(annotation)
        else []
    )


def _keys_written(raw: object, model: type[BaseModel], found: set[tuple[str, str]]) -> None:
    if not isinstance(raw, LocatedMap):
        return
    for key, value in raw.items():
        found.add((model.__name__, key))
        field = next(f for n, f in model.model_fields.items() if (f.alias or n) == key)
        inner = _models_in(field.annotation)
        if not inner:
            continue
        for item in value if isinstance(value, LocatedList) else [value]:
            _keys_written(item, inner[0], found)


def test_the_full_fixture_writes_every_key_of_the_schema() -> None:
    raw, diagnostics = read_yaml_file(FULL, "full.yml")
    assert diagnostics == []
    found: set[tuple[str, str]] = set()
    _keys_written(raw, Architecture, found)
    assert _models_and_keys() - found == set()


def test_header_keys(full: Architecture) -> None:
    assert (full.product, full.version, full.status) == ("Shop", "2.1", "approved")
    # YAML 1.2, as editors read it: an unquoted date stays text.
    assert full.date == "2024-05-01"
    assert full.authors == ["Ada", "Linus"]


def test_overview_goals_accept_text_or_mapping(full: Architecture) -> None:
    assert full.overview is not None
    assert full.overview.purpose == "Sell things online."
    first, second = full.overview.goals
    assert (first.goal, first.requirements) == ("Checkout in under a minute", ["FR-001", "NFR-001"])
    assert (second.goal, second.requirements) == ("Grow without rewrites", [])


def test_stack_and_services(full: Architecture) -> None:
    fastapi, postgres = full.stack
    assert (fastapi.layer, fastapi.name, fastapi.rationale) == (
        "backend",
        "FastAPI",
        "Async Python.",
    )
    # A whole number is an unambiguous version; a single id stands for a list of one.
    assert fastapi.version == "16" and fastapi.requirements == ["NFR-001"]
    assert (postgres.layer, postgres.version) == (None, "16.2")
    (stripe,) = full.services
    assert (stripe.name, stripe.purpose, stripe.justification) == (
        "Stripe",
        "Payments",
        "PCI scope stays with them.",
    )
    assert stripe.requirements == ["FR-003"]


def test_pattern(full: Architecture) -> None:
    assert full.pattern is not None
    assert full.pattern.name == "Modular monolith"
    assert full.pattern.diagram == "graph LR\n  web --> api\n"
    assert full.pattern.requirements == ["NFR-002"]


def test_components(full: Architecture) -> None:
    web, api, db = full.components
    assert web.id == "web" and web.name == "Web app" and web.purpose == "The storefront."
    assert web.responsibilities == ["Render the catalogue", "Run the checkout"]
    assert web.technology == ["React", "Vite"] and web.location == "apps/web/"
    assert web.depends_on == ["api"] and web.requirements == ["FR-001..FR-002"]
    assert api.technology == ["FastAPI"] and api.depends_on == ["db"]
    assert db.requirements == [] and db.depends_on == []


def test_entities_with_attributes_relationships_indexes(full: Architecture) -> None:
    user, order = full.entities
    assert (user.name, user.purpose, user.component) == ("User", "A customer.", "db")
    identity, email = user.attributes
    assert (identity.name, identity.type, identity.constraints, identity.purpose) == (
        "id",
        "uuid",
        ["primary key"],
        "Identity.",
    )
    assert email.constraints == ["unique"]
    (places,) = user.relationships
    assert (places.target, places.kind, places.description) == ("Order", "one-to-many", "places")
    by_email, by_id = user.indexes
    assert (by_email.columns, by_email.name, by_email.unique) == (["email"], "user_email", True)
    assert (by_id.columns, by_id.unique) == (["id"], False)
    assert order.relationships[0].kind == "many-to-one"


def test_schema_is_read_from_the_schema_key(full: Architecture) -> None:
    assert full.schema_ == 'CREATE TABLE "user" (id uuid PRIMARY KEY, email text UNIQUE);\nCREATE TABLE "order" (id uuid PRIMARY KEY);\n'
    assert full.model_dump(by_alias=True)["schema"] == full.schema_


def test_api_endpoints_with_examples_and_errors(full: Architecture) -> None:
    api = full.api
    assert api is not None
    assert (api.style, api.base_url, api.conventions) == (
        "REST",
        "/api/v1",
        ["JSON bodies in camelCase"],
    )
    assert api.requirements == ["NFR-002"]
    order, health = api.endpoints
    assert (order.method, order.path, order.purpose, order.auth, order.component) == (
        "POST",
        "/orders",
        "Place an order.",
        "bearer token",
        "api",
    )
    assert order.request is not None
    assert order.request.description == "The cart to order."
    assert order.request.content_type == "application/json"
    # Examples are plain data, free of the loader's located types.
    assert order.request.example == {"items": [{"sku": "A1", "quantity": 2}]}
    assert type(order.request.example) is dict and type(order.request.example["items"]) is list
    (created,) = order.responses
    assert (created.status, created.description, created.content_type, created.example) == (
        201,
        "Created.",
        "application/json",
        {"id": 42},
    )
    (conflict,) = order.errors
    assert (conflict.status, conflict.code, conflict.description) == (
        409,
        "out_of_stock",
        "An item ran out.",
    )
    assert order.requirements == ["FR-002"]
    assert (health.request, health.responses, health.errors) == (None, [], [])


def test_prose_sections_accept_text_or_mapping(full: Architecture) -> None:
    assert full.security is not None and full.security.requirements == ["NFR-003"]
    assert full.security.text.startswith("TLS everywhere")
    assert full.scalability is not None and full.scalability.requirements == []
    assert full.scalability.text == "Horizontal scaling of stateless API pods."
    texts = {key: section.text for key, section in full.prose_sections()}
    assert list(texts) == [
        "security",
        "scalability",
        "deployment",
        "observability",
        "guidelines",
        "future",
    ]
    assert texts["deployment"] == "Kubernetes on two regions."
    assert texts["future"] == "A mobile app."


def test_decisions(full: Architecture) -> None:
    adr1, adr0 = full.decisions
    assert (adr1.id, adr1.title, adr1.status, adr1.date) == (
        "ADR-001",
        "Use PostgreSQL",
        "accepted",
        "2024-04-01",
    )
    assert adr1.context == "We need transactions."
    postgres, mongo = adr1.options
    assert (postgres.name, postgres.description, postgres.pros, postgres.cons) == (
        "PostgreSQL",
        "The relational default.",
        ["Transactions"],
        ["Operations work"],
    )
    assert mongo.name == "MongoDB" and mongo.pros == []
    assert adr1.decision == "PostgreSQL 16."
    assert adr1.rationale.startswith("Transactions matter")
    assert adr1.consequences == ["We run migrations."]
    assert adr1.supersedes == ["ADR-000"] and adr1.components == ["db"]
    assert adr1.requirements == ["NFR-001"]
    assert adr0.status == "superseded"


def test_a_decision_is_proposed_unless_it_says_otherwise() -> None:
    arch = Architecture.model_validate({"components": [], "decisions": [{"id": "A", "title": "T"}]})
    assert arch.decisions[0].status == "proposed"


def test_tradeoffs_glossary_references(full: Architecture) -> None:
    (tradeoff,) = full.tradeoffs
    assert (tradeoff.title, tradeoff.choice, tradeoff.pros, tradeoff.cons) == (
        "Consistency over availability",
        "Synchronous replication",
        ["No lost orders"],
        ["Higher write latency"],
    )
    assert tradeoff.justification == "Orders are money." and tradeoff.requirements == ["NFR-002"]
    (sku,) = full.glossary
    assert (sku.term, sku.definition) == ("SKU", "Stock keeping unit.")
    c4, prd = full.references
    assert (c4.title, c4.url, c4.description) == (
        "C4 model",
        "https://c4model.com",
        "Diagram notation.",
    )
    assert (prd.title, prd.url) == ("The PRD", None)


def test_models_are_frozen(full: Architecture) -> None:
    with pytest.raises(Exception, match="frozen"):
        full.components[0].id = "other"  # type: ignore[misc]


def test_every_item_knows_where_it_was_written(full: Architecture) -> None:
    web = full.components[0]
    assert web.source == Source(str(FULL), 50)
    file, line = web.source
    assert (file, line) == (str(FULL), 50)
    assert str(web.source).endswith("full.yml:50")
    assert web.source_location.column == 5
    # A key, and an entry of a list, are located too; unknown paths fall back to the item.
    assert web.location_of("depends_on").line == 60
    assert web.location_of("requirements", 0)[1:] == (62, 20)
    assert web.location_of("nothing", 3) == web.source_location
    assert full.decisions[0].options[1].source.line == 170
    assert full.security is not None and full.security.source.line == 149
    # A section written as plain text is located at its key.
    assert full.future is not None and full.future.source.line == 158
    assert full.api is not None and full.api.endpoints[1].source.line == 128


def test_items_built_in_code_have_no_location() -> None:
    arch = Architecture.model_validate({"components": [{"id": "a", "name": "A"}]})
    assert arch.components[0].source == Source("", 0)
    assert arch.components[0].location_of("id") == Location("", 0, 0)


@pytest.mark.parametrize(
    ("ref", "ids"),
    [
        ("FR-001..FR-004", ["FR-001", "FR-002", "FR-003", "FR-004"]),
        ("FR8..FR11", ["FR8", "FR9", "FR10", "FR11"]),
        ("FR1.7..FR1.9", ["FR1.7", "FR1.8", "FR1.9"]),
        ("NFR-PERF-09..NFR-PERF-10", ["NFR-PERF-09", "NFR-PERF-10"]),
    ],
)
def test_short_ranges_expand_to_sequential_ids(ref: str, ids: list[str]) -> None:
    id_range = parse_range(ref)
    assert id_range is not None and list(id_range.ids()) == ids and len(id_range) == len(ids)


def test_a_single_id_is_not_a_range() -> None:
    assert parse_range("FR-1.2") is None
