"""knowledge-graph.jsonl: the architecture as a knowledge graph in the line format of the MCP
reference memory server (`@modelcontextprotocol/server-memory`), which loads it as its
`MEMORY_FILE_PATH`.

One compact JSON object per line, entities first, then relations, keys in the server's own
order: `{"type": "entity", "name", "entityType", "observations": [...]}` and
`{"type": "relation", "from", "to", "relationType"}`. The server parses every line and keeps
only these keys, so nothing else is written.

Names are unique and stable across builds: `<entityType>:<key>`, where the key is the id or
name written in the inputs, except requirements, which keep their PRD id.

| entityType | name | from |
|---|---|---|
| `functional_requirement`, `non_functional_requirement` | `FR-001`, `NFR-PERF-01` | the PRD |
| `persona` | `persona:Dana, dispatcher` | the PRD's personas |
| `technology` | `technology:PostgreSQL` | `stack[].name`, `services[].name` |
| `component` | `component:api` | `components[].id` |
| `data_model` | `data_model:User` | `entities[].name` |
| `endpoint` | `endpoint:GET /users/{id}` | `api.endpoints[]` method and path |
| `decision` | `decision:ADR-001` | `decisions[].id` |
| `tradeoff` | `tradeoff:Consistency vs availability` | `tradeoffs[].title` |
| `pattern` | `pattern:Modular monolith` | `pattern`, `patterns[].name` |
| `strategy` | `strategy:security` | the strategy sections (`security`, `scalability`, …) |
| `external_system` | `external_system:Stripe` | `context.external_systems[].name` |
| `interface` | `interface:event order.placed` | `interfaces[]` kind and name |
| `flow` | `flow:checkout` | `flows[].id` |
| `risk` | `risk:R-1` | `risks[].id` |

When two items of a kind share a key, the first one is the entity and the later ones are left
out, relations included (components and decisions sharing an id are a `duplicate-id` problem).

Relations, in the active voice the server asks for:
X `addresses` requirement for every X that addresses it by the one definition the checks and
pages use (`RequirementTrace.addressers`: accepted decisions, technologies, trade-offs,
patterns, risks with a mitigation, strategies by default; the `addressed_by` option changes
the list); a decision that names a requirement but is not accepted `concerns` it;
component, data_model, endpoint and interface `implements` requirement; flow `involves` its
participants (components and external systems); component `depends_on` component; component
`uses` technology and external_system; component `stores` data_model; component `exposes`
endpoint and interface; decision `supersedes` decision; decision `affects` component. A relation whose end is not an entity (an unknown reference, already a
diagnostic) is left out, so every relation's ends are entities of the file.

Technologies are the stack entries and services. A component `uses` those its `technology`
names: its entries are split at top-level commas (`React 18, Vite` → two terms), and a term
names a technology when, word by word and ignoring case, the term starts with the
technology's name before ` (` (`PostgreSQL with RLS` → `PostgreSQL (Amazon RDS) with
PostGIS`, `Stripe SDK` → `Stripe (Terminal)`) or the technology's name starts with the term
(`Twilio` → `Twilio Programmable Messaging`). The component's own wording stays in its
`Technology:` observation.

Observations are short facts from the inputs (text with whitespace collapsed, at most
`MAX_OBSERVATION` characters): a requirement's text, category, priority, targets and
acceptance criteria; a decision's title, status, date, decision and rationale; and every
entity's source `file:line`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from mkdocs_archplugin.analysis.result import Analysis
from mkdocs_archplugin.analysis.traceability import STRATEGY_SECTIONS, Trace, describe_addressing
from mkdocs_archplugin.architecture.model import Architecture, ArchModel, Service, StackEntry
from mkdocs_archplugin.prd.model import Prd

MAX_OBSERVATION = 500

#: The relation types the graph uses, as documented above.
RELATION_TYPES = (
    "addresses", "concerns", "implements", "involves", "depends_on", "uses", "stores", "exposes",
    "supersedes", "affects",
)


def export_graph(analysis: Analysis) -> str:
    """knowledge-graph.jsonl as text: one JSON object per line, with a trailing newline."""
    return "".join(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for record in graph_records(analysis))


def graph_records(analysis: Analysis) -> list[dict[str, object]]:
    """The graph's lines as JSON objects: entities in input order, then relations."""
    graph = _Graph()
    _add_requirements(graph, analysis.prd, analysis.trace)
    _add_personas(graph, analysis.prd)
    if analysis.arch is not None and analysis.trace is not None:
        _add_architecture(graph, analysis.arch, analysis.trace)
    return graph.records()


@dataclass
class _Graph:
    """Entities by name (first definition wins) and relations, both in insertion order."""

    entities: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    relations: dict[tuple[str, str, str], None] = field(default_factory=dict)

    def add_entity(self, name: str, entity_type: str, observations: Iterable[str | None]) -> bool:
        """Add an entity; False (and nothing added) when the name is taken."""
        if name in self.entities:
            return False
        facts = (_observation(text) for text in observations if text)
        self.entities[name] = (entity_type, list(dict.fromkeys(fact for fact in facts if fact)))
        return True

    def relate(self, source: str, target: str, relation_type: str) -> None:
        """Add a relation whose ends are both entities; drop it otherwise."""
        if source in self.entities and target in self.entities:
            self.relations[source, target, relation_type] = None

    def records(self) -> list[dict[str, object]]:
        entities: list[dict[str, object]] = [
            {"type": "entity", "name": name, "entityType": entity_type, "observations": observations}
            for name, (entity_type, observations) in self.entities.items()
        ]
        relations: list[dict[str, object]] = [
            {"type": "relation", "from": source, "to": target, "relationType": relation_type}
            for source, target, relation_type in self.relations
        ]
        return entities + relations


def _observation(text: str) -> str:
    """One line of at most MAX_OBSERVATION characters, cut at a word."""
    line = " ".join(str(text).split())
    if len(line) <= MAX_OBSERVATION:
        return line
    cut = line[: MAX_OBSERVATION - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _labelled(label: str, value: object) -> str | None:
    return f"{label}: {value}" if value not in (None, "", [], ()) else None


def _source(file: str, line: int) -> str | None:
    if not file:
        return None
    return f"Source: {file}:{line}" if line else f"Source: {file}"


def _add_requirements(graph: _Graph, prd: Prd, trace: Trace | None) -> None:
    for req in prd.by_id.values():
        status = None
        if trace is not None:
            links = trace.of(req.id)
            if req.is_nfr:
                kinds = describe_addressing(links.addressed_by)
                status = (f"Addressed by {', '.join(sorted({a.label for a in links.addressers}))}" if links.covered
                          else f"Gap: addressed by no {kinds.split(' ', 1)[1]}")
            else:
                status = ("Implemented by a component, entity, endpoint or interface" if links.covered
                          else "Gap: no component, entity, endpoint or interface implements it")
        # A list-item requirement's title is its text cut short: say it once.
        abridged = req.text.casefold().startswith(req.title.rstrip("…").casefold())
        entity_type = "non_functional_requirement" if req.is_nfr else "functional_requirement"
        graph.add_entity(req.id, entity_type, [
            None if abridged else _labelled("Title", req.title),
            req.text,
            _labelled("Category", req.category),
            _labelled("Priority", req.priority),
            *(_labelled("Target", target) for target in req.targets),
            *(_labelled("Acceptance", criterion) for criterion in req.acceptance),
            _labelled("Part of", req.parent),
            status,
            _source(req.source.file, req.source.line),
        ])


def _add_personas(graph: _Graph, prd: Prd) -> None:
    for persona in prd.items_of("persona"):
        graph.add_entity(f"persona:{persona.title}", "persona",
                         [persona.text, _source(persona.source.file, persona.source.line)])


def _add_architecture(graph: _Graph, arch: Architecture, trace: Trace) -> None:
    """Entities of architecture.yml in document order of their kinds, each with its relations."""
    technologies = _Technologies(graph)
    stack_and_services: list[StackEntry | Service] = [*arch.stack, *arch.services]
    for item in stack_and_services:
        technologies.add(item)
    for pattern in arch.all_patterns():
        graph.add_entity(f"pattern:{pattern.name}", "pattern", [
            _labelled("Rationale", pattern.rationale), _source(*pattern.source)])
    for key, section in arch.prose_sections():
        if key in STRATEGY_SECTIONS:
            graph.add_entity(f"strategy:{key}", "strategy", [section.text, _source(*section.source)])
    for system in arch.context.external_systems if arch.context else []:
        graph.add_entity(f"external_system:{system.name}", "external_system", [
            _labelled("Description", system.description), _source(*system.source)])
    _add_components(graph, arch, trace, technologies)
    _add_data_models(graph, arch, trace)
    _add_endpoints(graph, arch, trace)
    _add_interfaces(graph, arch, trace)
    _add_decisions(graph, arch, trace)
    for tradeoff in arch.tradeoffs:
        graph.add_entity(f"tradeoff:{tradeoff.title}", "tradeoff", [
            _labelled("Choice", tradeoff.choice),
            *(_labelled("Pro", pro) for pro in tradeoff.pros),
            *(_labelled("Con", con) for con in tradeoff.cons),
            _labelled("Justification", tradeoff.justification),
            _source(*tradeoff.source),
        ])
    for risk in arch.risks:
        graph.add_entity(f"risk:{risk.id}", "risk", [
            _labelled("Title", risk.title), _labelled("Description", risk.description),
            _labelled("Likelihood", risk.likelihood), _labelled("Impact", risk.impact),
            _labelled("Mitigation", risk.mitigation), _labelled("Status", risk.status),
            _source(*risk.source)])
    _add_flows(graph, arch, trace)
    _relate_addressers(graph, trace)


#: The entity type, as the prefix of entity names, of each kind of item that addresses a
#: requirement; the rest of the name is the item's key (`Addresser.key`).
_ENTITY_PREFIXES = {
    "decisions": "decision", "stack": "technology", "services": "technology", "tradeoffs": "tradeoff",
    "patterns": "pattern", "risks": "risk", "strategies": "strategy", "components": "component",
    "entities": "data_model", "endpoints": "endpoint", "interfaces": "interface", "flows": "flow",
    "external_systems": "external_system",
    "goals": "goal",  # goals are no entities: such relations are left out
}


def _relate_addressers(graph: _Graph, trace: Trace) -> None:
    """`addresses` from what addresses each requirement; `concerns` from decisions that do not."""
    for requirement_id, links in trace.requirements.items():
        for addresser in links.addressers:
            graph.relate(f"{_ENTITY_PREFIXES[addresser.kind]}:{addresser.key}", requirement_id, "addresses")
        for decision in links.decisions:
            if decision.status != "accepted":
                graph.relate(f"decision:{decision.id}", requirement_id, "concerns")


def _add_interfaces(graph: _Graph, arch: Architecture, trace: Trace) -> None:
    for interface in arch.interfaces:
        name = f"interface:{interface.key}"
        if graph.add_entity(name, "interface", [
            _labelled("Kind", interface.kind), _labelled("Description", interface.description),
            _source(*interface.source),
        ]):
            _relate_requirements(graph, trace, name, interface, "implements")
            if interface.component:
                graph.relate(f"component:{interface.component}", name, "exposes")


def _add_flows(graph: _Graph, arch: Architecture, trace: Trace) -> None:
    for flow in arch.flows:
        name = f"flow:{flow.id}"
        if not graph.add_entity(name, "flow", [
            _labelled("Title", flow.title), _labelled("Description", flow.description),
            *(f"Step: {step.from_} -> {step.to}: {step.message}" for step in flow.steps),
            _source(*flow.source),
        ]):
            continue
        for participant in dict.fromkeys(x for step in flow.steps for x in (step.from_, step.to)):
            graph.relate(name, f"component:{participant}", "involves")
            graph.relate(name, f"external_system:{participant}", "involves")


def _relate_requirements(graph: _Graph, trace: Trace, name: str, item: ArchModel, relation_type: str) -> None:
    for requirement_id in trace.requirements_of(item):
        graph.relate(name, requirement_id, relation_type)


def _add_components(graph: _Graph, arch: Architecture, trace: Trace, technologies: _Technologies) -> None:
    # Every component is an entity before any depends_on is related: later ones are targets too.
    components = [c for c in arch.components if graph.add_entity(f"component:{c.id}", "component", [
        _labelled("Name", c.name),
        _labelled("Purpose", c.purpose),
        *(_labelled("Responsibility", r) for r in c.responsibilities),
        _labelled("Technology", ", ".join(c.technology)),
        _labelled("Location", c.location),
        _source(*c.source),
    ])]
    for component in components:
        name = f"component:{component.id}"
        _relate_requirements(graph, trace, name, component, "implements")
        for dependency in component.depends_on:
            graph.relate(name, f"component:{dependency}", "depends_on")
        for term in _technology_terms(component.technology):
            for technology in technologies.named_by(term):
                graph.relate(name, technology, "uses")
        for system in component.uses:
            graph.relate(name, f"external_system:{system}", "uses")


def _add_data_models(graph: _Graph, arch: Architecture, trace: Trace) -> None:
    for entity in arch.entities:
        name = f"data_model:{entity.name}"
        relationships = (f"{r.kind} {r.target}" + (f" ({r.description})" if r.description else "")
                         for r in entity.relationships)
        if graph.add_entity(name, "data_model", [
            _labelled("Purpose", entity.purpose),
            _labelled("Attributes", ", ".join(f"{a.name} ({a.type})" for a in entity.attributes)),
            *(_labelled("Relationship", relationship) for relationship in relationships),
            _source(*entity.source),
        ]):
            _relate_requirements(graph, trace, name, entity, "implements")
            if entity.component:
                graph.relate(f"component:{entity.component}", name, "stores")


def _add_endpoints(graph: _Graph, arch: Architecture, trace: Trace) -> None:
    for endpoint in arch.api.endpoints if arch.api else []:
        name = f"endpoint:{endpoint.method} {endpoint.path}"
        if graph.add_entity(name, "endpoint", [
            _labelled("Purpose", endpoint.purpose),
            _labelled("Auth", endpoint.auth),
            _source(*endpoint.source),
        ]):
            _relate_requirements(graph, trace, name, endpoint, "implements")
            if endpoint.component:
                graph.relate(f"component:{endpoint.component}", name, "exposes")


def _add_decisions(graph: _Graph, arch: Architecture, trace: Trace) -> None:
    # Every decision is an entity before any supersedes is related: older ones may come later.
    decisions = [d for d in arch.decisions if graph.add_entity(f"decision:{d.id}", "decision", [
        _labelled("Title", d.title),
        _labelled("Status", d.status),
        _labelled("Date", d.date),
        _labelled("Decision", d.decision),
        _labelled("Rationale", d.rationale),
        _source(*d.source),
    ])]
    for decision in decisions:
        name = f"decision:{decision.id}"
        for old in decision.supersedes:
            graph.relate(name, f"decision:{old}", "supersedes")
        for component_id in decision.components:
            graph.relate(name, f"component:{component_id}", "affects")


class _Technologies:
    """Technology entities (stack entries and services), and which ones a component uses."""

    def __init__(self, graph: _Graph) -> None:
        self.graph = graph
        #: First word → (name's words, words before " (", entity name), for linear matching.
        self._by_first_word: dict[str, list[tuple[list[str], list[str], str]]] = {}

    def add(self, item: StackEntry | Service) -> bool:
        """Add a stack entry or service; False when a technology of that name exists."""
        name = f"technology:{item.name}"
        if isinstance(item, StackEntry):
            facts = [
                "Kind: stack entry",
                _labelled("Layer", item.layer),
                _labelled("Version", item.version),
                _labelled("Rationale", item.rationale),
            ]
        else:
            facts = [
                "Kind: third-party service",
                _labelled("Purpose", item.purpose),
                _labelled("Justification", item.justification),
            ]
        if not self.graph.add_entity(name, "technology", [*facts, _source(*item.source)]):
            return False
        words = _words(item.name)
        if words:
            self._by_first_word.setdefault(words[0], []).append((words, _words(_before_parenthesis(item.name)), name))
        return True

    def named_by(self, term: str) -> list[str]:
        """The technologies a component's technology term names, by the word-prefix rule."""
        words, base = _words(term), _words(_before_parenthesis(term))
        if not words:
            return []
        return [
            name
            for tech_words, tech_base, name in self._by_first_word.get(words[0], ())
            if _starts_with(words, tech_base) or _starts_with(base, tech_base) or _starts_with(tech_words, words)
        ]


def _words(text: str) -> list[str]:
    return text.casefold().split()


def _starts_with(words: list[str], prefix: list[str]) -> bool:
    return bool(prefix) and words[: len(prefix)] == prefix


def _before_parenthesis(name: str) -> str:
    return name.split(" (", 1)[0].strip()


def _technology_terms(entries: Iterable[str]) -> list[str]:
    """`["React 18, Vite (SSR, dev)"]` → `["React 18", "Vite (SSR, dev)"]`: commas in brackets stay."""
    terms: list[str] = []
    for entry in entries:
        depth, start = 0, 0
        for index, char in enumerate(entry + ","):
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth = max(0, depth - 1)
            elif char == "," and depth == 0:
                term = entry[start:index].strip()
                if term:
                    terms.append(term)
                start = index + 1
    return list(dict.fromkeys(terms))
