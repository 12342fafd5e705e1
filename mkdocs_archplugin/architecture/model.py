"""The architecture.yml model: one pydantic definition that validates, types the code and exports
the JSON Schema editors use.

Every item read from YAML remembers where it was written (`item.source`, `item.location_of(…)`),
so checks and pages can cite `architecture.yml:LINE`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The prose sections: Markdown text plus the requirements they serve, in document order.
PROSE_SECTIONS = ("security", "scalability", "deployment", "observability", "guidelines", "future")


class Source(NamedTuple):
    """Where an item is written: the file (as given) and its 1-based line; prints `file:line`."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Location(NamedTuple):
    """Where a YAML value starts: the file (as given), 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Location("", 0, 0)

# -- field types --------------------------------------------------------------------------

# Id syntax is the PRD's to define (`id_patterns`, derived ids such as NFR-可维护性): any text
# without spaces or commas whose dots come alone; two dots make a range.
_ID = r"[^\s.,]+(?:\.[^\s.,]+)*"
REQUIREMENT_REF_PATTERN = rf"^{_ID}(?:\.\.{_ID})?$"
_REQUIREMENT_REF = re.compile(REQUIREMENT_REF_PATTERN)
# `(.*\D|)`, not a lazy `(.*?)`: the lazy form retries the digits at every position (quadratic).
_NUMBERED = re.compile(r"^(.*\D|)(\d+)$")
#: A range longer than this is a typo (FR-1..FR-1000000), not a design.
MAX_RANGE_LENGTH = 100_000
#: Numbers in ranges are shorter than this (Python refuses to read integers of 4,300 digits).
MAX_RANGE_DIGITS = 18


@dataclass(frozen=True)
class IdRange:
    """A short range of sequential requirement ids such as `FR-001..FR-004`."""

    first: str
    last: str
    prefix: str
    start: int
    stop: int
    width: int

    def ids(self) -> Iterator[str]:
        """Every id of the range, padded like its first id: FR-001, FR-002, …"""
        for number in range(self.start, self.stop + 1):
            yield self.id_of(number)

    def id_of(self, number: int) -> str:
        """The id of the range numbered `number`, padded like its first id."""
        return f"{self.prefix}{number:0{self.width}d}"

    def __len__(self) -> int:
        return self.stop - self.start + 1


def parse_range(ref: str) -> IdRange | None:
    """The range `ref` spells (`FR-001..FR-004`), None for a single id; ValueError if malformed."""
    if ".." not in ref:
        return None
    first, _, last = ref.partition("..")
    head, tail = numbered(first), numbered(last)
    if not head or not tail or head[0] != tail[0]:
        raise ValueError(
            "expected a range of ids that differ only in their last number, such as FR-001..FR-004"
        )
    if max(len(head[1]), len(tail[1])) > MAX_RANGE_DIGITS:
        raise ValueError(f"the numbers of a range have at most {MAX_RANGE_DIGITS} digits")
    start, stop = int(head[1]), int(tail[1])
    if stop < start:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    if stop - start >= MAX_RANGE_LENGTH:
        raise ValueError(f"the range holds more than {MAX_RANGE_LENGTH:,} ids")
    digits = head[1]
    width = len(digits) if digits.startswith("0") else 0
    return IdRange(first, last, head[0], start, stop, width)


def numbered(requirement_id: str) -> tuple[str, str] | None:
    """An id split before its last number, `FR-001` → (`FR-`, `001`); None without one."""
    match = _NUMBERED.match(requirement_id)
    return (match.group(1), match.group(2)) if match else None


def _requirement_ref(value: object) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("requirement_id", "expected a requirement id such as NFR-001")
    ref = re.sub(r"\s*\.\.\s*", "..", value.strip())
    if "," in ref:
        raise PydanticCustomError(
            "requirement_id", "expected one requirement id per entry, as in [FR-001, FR-002]"
        )
    if not _REQUIREMENT_REF.match(ref):
        raise PydanticCustomError(
            "requirement_id",
            "expected a requirement id such as NFR-001 or a range such as FR-001..FR-004",
        )
    try:
        parse_range(ref)
    except ValueError as error:
        raise PydanticCustomError("requirement_range", "{reason}", {"reason": str(error)}) from None
    return ref


RequirementRef = Annotated[
    str,
    PlainValidator(_requirement_ref),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": REQUIREMENT_REF_PATTERN,
            "description": "A requirement id defined by the PRD (NFR-001) or a range (FR-001..FR-004).",
        }
    ),
]

T = TypeVar("T")


class _OneOrMany:
    """Accept a single value where a list is expected: `requirements: NFR-001`."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_as_list, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        array = handler(schema)
        return {"anyOf": [array["items"], array]}


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


OneOrMany = Annotated[list[T], _OneOrMany()]


@dataclass(frozen=True)
class _TextShorthand:
    """Accept plain text for a model whose main field is `field`: `security: "…"`."""

    field: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def expand(value: object) -> object:
            if isinstance(value, str):
                return {self.field: value}
            if not isinstance(value, dict):
                raise PydanticCustomError(
                    "text_or_mapping",
                    "expected text or a mapping with `{field}`",
                    {"field": self.field},
                )
            return value

        return core_schema.no_info_before_validator_function(expand, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"anyOf": [{"type": "string"}, handler(schema)]}


#: Text that must say something: names, ids, titles.
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]


def _version(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        written = getattr(value, "written", None) or str(value)
        if value.is_integer():  # `1.0`: an integer to the JSON Schema, so to editors too
            return written
        raise PydanticCustomError(
            "version_number",
            'expected a version in quotes such as "{suggestion}"',
            {"suggestion": written},
        )
    return value


#: A version: `16` is taken as "16" and `1.0` as "1.0", but `3.10` must be quoted (YAML
#: would read 3.1).
Version = Annotated[str, BeforeValidator(_version), WithJsonSchema({"type": ["string", "integer"]})]


def _plain(value: Any) -> Any:
    """Plain dicts and lists, so examples carry no loader types into renderers and exports."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):  # `!!set`: sorted, or the output would follow PYTHONHASHSEED
        return sorted((_plain(item) for item in value), key=repr)
    return value


#: A free-form example (request or response body): any YAML value.
Example = Annotated[Any, AfterValidator(_plain)]


# -- the base -----------------------------------------------------------------------------


class ArchModel(BaseModel):
    """An item of architecture.yml: unknown keys are errors, and it remembers where it was written."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    # A factory, not `default=`: pydantic deep-copies a private default for every item.
    _location: Location = PrivateAttr(default_factory=lambda: NOWHERE)
    _field_locations: dict[tuple[str | int, ...], Location] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> Source:
        """The file and line where the item starts (`("", 0)` when not read from YAML)."""
        return Source(self._location.file, self._location.line)

    @property
    def source_location(self) -> Location:
        """The file, line and column where the item starts."""
        return self._location

    def location_of(self, *path: str | int) -> Location:
        """Where a field of this item, or an entry of one of its lists, is written.

        A scalar field is located at its value, a list or mapping at its key;
        `component.location_of("depends_on", 2)` falls back to the key, then to the item.
        """
        while path:
            if path in self._field_locations:
                return self._field_locations[path]
            path = path[:-1]
        return self._location

    def _locate(self, location: Location, fields: dict[tuple[str | int, ...], Location]) -> None:
        """Record where the item and its keys were written (the loader calls this)."""
        self._location = location
        self._field_locations = fields


_REQUIREMENTS_DOC = "The requirement ids (NFR-001) or ranges (FR-001..FR-004) this item serves."


def _requirements() -> Any:
    return Field(default_factory=list, description=_REQUIREMENTS_DOC)


# -- the sections -------------------------------------------------------------------------


class Goal(ArchModel):
    """A goal of the system and the requirements behind it."""

    goal: Text
    """What the system must achieve."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class Overview(ArchModel):
    """What the system is for."""

    purpose: str | None = None
    """The system's purpose in a paragraph (Markdown)."""
    goals: list[Annotated[Goal, _TextShorthand("goal")]] = []
    """The goals, each with the requirements it serves."""


class StackEntry(ArchModel):
    """A technology chosen for one layer of the stack: a decision that can address NFRs."""

    layer: str | None = None
    """The layer it serves: frontend, backend, database, cache, infrastructure, …"""
    name: Text
    """The technology: PostgreSQL, FastAPI, …"""
    version: Version | None = None
    """The version in use, in quotes: "16", "3.12"."""
    rationale: str | None = None
    """Why this technology (Markdown)."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class Service(ArchModel):
    """A third-party service the system relies on: a decision that can address NFRs."""

    name: Text
    """The service: Stripe, SendGrid, Auth0, …"""
    purpose: str | None = None
    """What the system uses it for."""
    justification: str | None = None
    """Why a service rather than building it (Markdown)."""
    base_url: str | None = None
    """Where the system calls it: `https://api.stripe.com/v1`."""
    auth: str | None = None
    """How the system authenticates: API key in a header, OAuth client credentials, …"""
    docs: str | None = None
    """A link to its documentation (http or https)."""
    limits: str | None = None
    """Rate limits, quotas and costs that shape the design: "100 requests/s per key"."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class Person(ArchModel):
    """A person or role who uses the system (C4 context view)."""

    name: Text
    """The person or role: Customer, Support agent, …"""
    description: str | None = None
    """What they do with the system."""


class ExternalSystem(ArchModel):
    """A system outside this one that it talks to (C4 context view)."""

    name: Text
    """The system: Payment provider, Identity provider, Legacy ERP, …"""
    description: str | None = None
    """What it does for, or with, the system."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class Context(ArchModel):
    """The system in its environment: who uses it and which systems it talks to."""

    people: list[Person] = []
    """The people and roles who use the system."""
    external_systems: list[ExternalSystem] = []
    """The systems outside this one that it depends on or serves."""


class Pattern(ArchModel):
    """The architectural pattern of the system."""

    name: Text
    """The pattern: modular monolith, microservices, event-driven, …"""
    rationale: str | None = None
    """Why this pattern (Markdown)."""
    diagram: str | None = None
    """An optional Mermaid diagram; the component graph is generated either way."""
    requirements: OneOrMany[RequirementRef] = _requirements()


ComponentKind = Literal["service", "library", "job", "ui", "datastore", "external"]


class Component(ArchModel):
    """A component of the system: a service, module, app or job."""

    id: Text
    """A short unique id (`api`, `auth-service`) used by depends_on, endpoints and decisions."""
    name: Text
    """The component's name as readers know it."""
    purpose: str | None = None
    """What it is for (Markdown)."""
    responsibilities: OneOrMany[str] = []
    """What it does, one item each."""
    technology: OneOrMany[str] = []
    """The technologies it is built with."""
    location: str | None = None
    """Where it lives in the repository: `services/api/`."""
    layer: str | None = None
    """The layer it belongs to (free text): web, api, worker, data, … Diagrams group by it."""
    kind: ComponentKind | None = None
    """What sort of component: service, library, job, ui, datastore or external."""
    depends_on: OneOrMany[Text] = []
    """Ids of the components it calls or needs."""
    uses: OneOrMany[Text] = []
    """Names of the external systems (or people) of `context` it talks to."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class Attribute(ArchModel):
    """An attribute (column) of an entity."""

    name: Text
    """The attribute's name."""
    type: Text
    """Its type: uuid, text, timestamptz, integer, …"""
    constraints: OneOrMany[str] = []
    """Constraints: primary key, not null, unique, references user(id), …"""
    purpose: str | None = None
    """What it holds."""


RelationshipKind = Literal["one-to-one", "one-to-many", "many-to-one", "many-to-many"]


class Relationship(ArchModel):
    """A relationship from an entity to another."""

    target: Text
    """The name of the related entity."""
    kind: RelationshipKind
    """The cardinality, seen from the entity that declares it."""
    description: str | None = None
    """What the relationship means: "places", "belongs to", …"""


class Index(ArchModel):
    """A database index on an entity."""

    columns: OneOrMany[Text]
    """The indexed attributes, in order."""
    name: str | None = None
    """The index name, when it matters."""
    unique: bool = False
    """Whether the index enforces uniqueness."""


class Entity(ArchModel):
    """A data entity (table, document, aggregate)."""

    name: Text
    """The entity's unique name, used by relationships: User, Order, …"""
    purpose: str | None = None
    """What it represents."""
    component: str | None = None
    """The id of the component that owns and stores it."""
    attributes: list[Attribute] = []
    """Its attributes."""
    relationships: list[Relationship] = []
    """Its relationships to other entities."""
    indexes: list[Index] = []
    """Its indexes."""
    requirements: OneOrMany[RequirementRef] = _requirements()


HttpMethod = Literal[
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "RPC",
    "WS",
]


class Request(ArchModel):
    """What a client sends to an endpoint."""

    description: str | None = None
    """The request in words: parameters, body fields."""
    content_type: str | None = None
    """The body's media type: application/json, multipart/form-data, …"""
    example: Example = None
    """An example body, written as YAML."""


class Response(ArchModel):
    """One successful response of an endpoint."""

    status: int = Field(ge=100, le=599)
    """The HTTP status code."""
    description: str | None = None
    """When the endpoint answers this."""
    content_type: str | None = None
    """The body's media type."""
    example: Example = None
    """An example body, written as YAML."""


class ApiError(ArchModel):
    """One error an endpoint can answer with."""

    status: int = Field(ge=100, le=599)
    """The HTTP status code."""
    code: str | None = None
    """The application error code: invalid_credentials, …"""
    description: str | None = None
    """When it happens."""


class Endpoint(ArchModel):
    """An API endpoint (or operation, for GraphQL and RPC styles)."""

    method: HttpMethod
    """The HTTP method, or QUERY / MUTATION / SUBSCRIPTION / RPC / WS for other styles."""
    path: Text
    """The path (`/users/{id}`) or operation name."""
    purpose: str | None = None
    """What it does."""
    auth: str | None = None
    """Who may call it: none, bearer token, admin role, …"""
    component: str | None = None
    """The id of the component that serves it."""
    request: Request | None = None
    """The request, with an example body."""
    responses: list[Response] = []
    """The successful responses, with example bodies."""
    errors: list[ApiError] = []
    """The errors it can answer with."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class Api(ArchModel):
    """The API design."""

    style: str | None = None
    """REST, GraphQL, gRPC, …"""
    base_url: str | None = None
    """Where the API is served: `/api/v1`, `https://api.example.com`."""
    conventions: OneOrMany[str] = []
    """Conventions every endpoint follows: naming, pagination, errors, versioning, …"""
    endpoints: list[Endpoint] = []
    """The endpoints."""
    requirements: OneOrMany[RequirementRef] = _requirements()


InterfaceKind = Literal["http", "grpc", "graphql", "event", "cli", "hook", "file", "other"]


class Interface(ArchModel):
    """A contract other than an HTTP endpoint: an event, a CLI command, a hook, a gRPC service, …"""

    kind: InterfaceKind
    """http, grpc, graphql, event, cli, hook, file or other."""
    name: Text
    """The interface: `order.placed`, `archplugin check`, `pre-commit hook`, `Billing.Charge`."""
    component: str | None = None
    """The id of the component that provides it."""
    description: str | None = None
    """What it is for and who uses it (Markdown)."""
    contract: str | None = None
    """The contract: a schema, signature or example, shown as written."""
    requirements: OneOrMany[RequirementRef] = _requirements()

    @property
    def key(self) -> str:
        """What identifies it in messages, anchors and exports: `event order.placed`."""
        return f"{self.kind} {self.name}"


class FlowStep(ArchModel):
    """One message of a runtime flow."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True)

    from_: Text = Field(alias="from")
    """Who sends it: a component id, a person or an external system of `context`."""
    to: Text
    """Who receives it, named the same way."""
    message: Text
    """What is sent: "POST /orders", "order.placed", "renders the page"."""
    note: str | None = None
    """A note shown over the step."""


class Flow(ArchModel):
    """A runtime scenario: the messages between participants, drawn as a sequence diagram."""

    id: Text
    """A short unique id: checkout, pdf-upload, oauth-login."""
    title: Text
    """The scenario in a few words."""
    description: str | None = None
    """What happens and why it matters (Markdown)."""
    steps: list[FlowStep] = []
    """The messages, in order."""
    requirements: OneOrMany[RequirementRef] = _requirements()


RiskStatus = Literal["open", "mitigated", "accepted", "closed"]


class Risk(ArchModel):
    """A risk or a piece of technical debt (arc42 §11); its mitigation can address NFRs."""

    id: Text
    """A short unique id: R-1, DEBT-2."""
    title: Text
    """The risk in a few words."""
    description: str | None = None
    """What could go wrong, or what the debt is (Markdown)."""
    likelihood: str | None = None
    """How likely: low, medium, high."""
    impact: str | None = None
    """How bad: low, medium, high."""
    mitigation: str | None = None
    """What reduces it (Markdown); a risk without one does not address an NFR."""
    status: RiskStatus = "open"
    """open, mitigated, accepted or closed."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class SourcePath(ArchModel):
    """A folder or file of the repository and what it holds (for readers and coding agents)."""

    path: Text
    """The path from the repository root: `services/api/`, `docs/architecture/`."""
    purpose: str | None = None
    """What lives there."""
    component: str | None = None
    """The id of the component it belongs to."""


class ProseSection(ArchModel):
    """A prose section (Markdown) and the requirements it serves; plain text is accepted too."""

    text: str
    """The section's Markdown text."""
    requirements: OneOrMany[RequirementRef] = _requirements()


DecisionStatus = Literal["proposed", "accepted", "superseded", "deprecated", "rejected"]


class Option(ArchModel):
    """An option a decision considered; plain text names it."""

    name: Text
    """The option."""
    description: str | None = None
    """What it would mean."""
    pros: OneOrMany[str] = []
    """Its advantages."""
    cons: OneOrMany[str] = []
    """Its drawbacks."""


class Decision(ArchModel):
    """An architectural decision record (ADR): only an accepted decision addresses an NFR."""

    id: Text
    """A short unique id: ADR-001."""
    title: Text
    """The decision in a few words."""
    status: DecisionStatus = "proposed"
    """proposed, accepted, superseded, deprecated or rejected."""
    date: str | None = None
    """When it was decided: 2024-05-01."""
    context: str | None = None
    """The forces at play: the requirements and their targets (Markdown)."""
    options: list[Annotated[Option, _TextShorthand("name")]] = []
    """The options considered."""
    decision: str | None = None
    """What was decided (Markdown)."""
    rationale: str | None = None
    """Why (Markdown)."""
    consequences: OneOrMany[str] = []
    """What follows from it, good and bad."""
    supersedes: OneOrMany[Text] = []
    """Ids of the decisions it replaces."""
    components: OneOrMany[Text] = []
    """Ids of the components it shapes."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class Tradeoff(ArchModel):
    """A trade-off made knowingly: what was chosen and what it costs."""

    title: Text
    """The trade-off in a few words: "Consistency vs availability"."""
    choice: str | None = None
    """What was chosen."""
    pros: OneOrMany[str] = []
    """What the choice gains."""
    cons: OneOrMany[str] = []
    """What it costs."""
    justification: str | None = None
    """Why the cost is acceptable (Markdown)."""
    requirements: OneOrMany[RequirementRef] = _requirements()


class GlossaryEntry(ArchModel):
    """A term of the appendix glossary."""

    term: Text
    """The term."""
    definition: Text
    """What it means."""


class Reference(ArchModel):
    """A document of the appendix references; plain text is its title."""

    title: Text
    """The document's title."""
    url: str | None = None
    """Where to find it."""
    description: str | None = None
    """Why it matters."""


Prose = Annotated[ProseSection, _TextShorthand("text")]


class Architecture(ArchModel):
    """architecture.yml: the system's design, every part naming the requirements it serves."""

    product: str | None = None
    """The product's name."""
    version: Version | None = None
    """The document's version, in quotes: "1.0"."""
    status: str | None = None
    """The document's status: draft, in review, approved, …"""
    date: str | None = None
    """The document's date: 2024-05-01."""
    authors: OneOrMany[str] = []
    """Who wrote it."""
    overview: Overview | None = None
    """Purpose and goals."""
    stack: list[StackEntry] = []
    """The technology stack, one entry per layer and technology."""
    services: list[Service] = []
    """Third-party services."""
    pattern: Pattern | None = None
    """The architectural pattern (one; `patterns` takes several)."""
    patterns: list[Pattern] = []
    """The architectural patterns, when the system follows more than one."""
    context: Context | None = None
    """The system context: people and external systems."""
    components: list[Component]
    """The components of the system (required, may be empty while you start)."""
    entities: list[Entity] = []
    """The data entities."""
    schema_: str | None = Field(default=None, alias="schema")
    """The SQL schema, in the site's `schema_dialect`; generated from entities when absent. With
    both, a table or column in only one of them is `schema-drift`."""
    api: Api | None = None
    """The API design: conventions and endpoints."""
    interfaces: list[Interface] = []
    """Contracts other than HTTP endpoints: events, CLI commands, hooks, gRPC, GraphQL, files."""
    flows: list[Flow] = []
    """Runtime scenarios, each drawn as a sequence diagram."""
    security: Prose | None = None
    """Security: authentication, authorization, data protection (Markdown)."""
    scalability: Prose | None = None
    """Scalability and performance strategies (Markdown)."""
    deployment: Prose | None = None
    """Deployment: environments, infrastructure, CI/CD (Markdown)."""
    observability: Prose | None = None
    """Monitoring, logging, tracing, alerting (Markdown)."""
    guidelines: Prose | None = None
    """Development guidelines (Markdown)."""
    future: Prose | None = None
    """Future considerations (Markdown)."""
    decisions: list[Decision] = []
    """Architectural decisions (ADRs)."""
    tradeoffs: list[Tradeoff] = []
    """Trade-offs made knowingly."""
    risks: list[Risk] = []
    """Risks and technical debt."""
    source_tree: list[SourcePath] = []
    """The repository's layout: which folders hold what, and for which component."""
    glossary: list[GlossaryEntry] = []
    """Appendix: terms and their definitions."""
    references: list[Annotated[Reference, _TextShorthand("title")]] = []
    """Appendix: related documents."""

    def all_patterns(self) -> list[Pattern]:
        """`pattern` and `patterns` together, in that order."""
        return ([self.pattern] if self.pattern is not None else []) + list(self.patterns)

    def prose_sections(self) -> list[tuple[str, ProseSection]]:
        """The prose sections present, as (key, section) in document order."""
        sections = ((key, getattr(self, key)) for key in PROSE_SECTIONS)
        return [(key, section) for key, section in sections if section is not None]


#: Where the docs site publishes the schemas (`site_url` of this project's mkdocs.yml +
#: `schema/`): their `$id`s, stable across releases, and the URLs SchemaStore points at.
SCHEMA_BASE_URL = "https://mkdocs-archplugin.readthedocs.io/schema/"
SCHEMA_FILE = "architecture.schema.json"
#: A file of a `decisions:` folder holds any subset of the keys: `components` is required of
#: the merged folder (the loader says so), not of each file.
SHARD_SCHEMA_FILE = "architecture-shard.schema.json"


def architecture_json_schema_text(shard: bool = False) -> str:
    """The JSON Schema as shipped in architecture.schema.json (architecture-shard.schema.json)
    and printed by `archplugin schema [--shard]`."""
    return json.dumps(architecture_json_schema(shard), indent=2, ensure_ascii=False) + "\n"


def architecture_json_schema(shard: bool = False) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of architecture.yml, for editors and other tools; with
    `shard`, of one file of a folder of YAML files (the same keys, none required)."""
    schema = Architecture.model_json_schema(by_alias=True, mode="validation")
    if shard:
        del schema["required"]
        return {"$schema": JSON_SCHEMA_DIALECT, "$id": SCHEMA_BASE_URL + SHARD_SCHEMA_FILE, **schema,
                "title": "architecture.yml shard (one file of a folder of YAML files)"}
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": SCHEMA_BASE_URL + SCHEMA_FILE, **schema,
            "title": "architecture.yml"}
