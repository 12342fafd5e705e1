"""Mermaid source for the component graph, a component's neighbourhood, the ER diagram, the
system context and the runtime flows.

Labels are quoted and stripped of the characters Mermaid treats as syntax, so text from
architecture.yml can never change the diagram's structure.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from mkdocs_archplugin.architecture.model import Component, Entity, ExternalSystem, Flow, Person

_LABEL_UNSAFE = re.compile(r'["<>{}\[\]|`#;]')
_IDENT_UNSAFE = re.compile(r"[^A-Za-z0-9_]")

#: First words of Mermaid diagram sources: a `pattern.diagram` starting so is drawn.
MERMAID_KINDS = frozenset({
    "graph", "flowchart", "sequenceDiagram", "classDiagram", "stateDiagram", "stateDiagram-v2",
    "erDiagram", "journey", "gantt", "pie", "C4Context", "C4Container", "C4Component",
    "C4Dynamic", "C4Deployment", "mindmap", "timeline", "block-beta", "architecture-beta",
})

_CARDINALITY = {
    "one-to-one": "||--||",
    "one-to-many": "||--o{",
    "many-to-one": "}o--||",
    "many-to-many": "}o--o{",
}


def _label(text: str) -> str:
    return " ".join(_LABEL_UNSAFE.sub(" ", text).split()) or "?"


def _entity_name(text: str) -> str:
    """An ER diagram entity as Mermaid shows it: `Order Item` → `ORDER_ITEM`."""
    return _IDENT_UNSAFE.sub("_", text).upper()


def _node_id(prefix: str, text: str) -> str:
    """A Mermaid node id for an item id; ids that differ only in punctuation stay distinct."""
    safe = _IDENT_UNSAFE.sub("_", text)
    if safe == text:
        return prefix + safe
    return f"{prefix}{safe[:40]}_{hashlib.sha1(text.encode('utf-8')).hexdigest()[:6]}"


#: Mermaid's default `maxEdges`: a diagram with more edges renders as an error, not a graph.
MAX_MERMAID_EDGES = 500


#: Node shapes by component `kind`: a datastore is a cylinder, a job a parallelogram, …
_SHAPES = {
    "service": ("[", "]"), "library": ("[[", "]]"), "job": ("[/", "/]"), "ui": ("(", ")"),
    "datastore": ("[(", ")]"), "external": (">", "]"),  # not `{{ }}`: no template tag in output
}


def dependency_count(components: Iterable[Component]) -> int:
    """How many `depends_on` edges the component graph would draw."""
    components = list(components)
    known = {c.id for c in components}
    return sum(1 for c in components for target in c.depends_on if target in known)


def component_graph(components: Iterable[Component]) -> str:
    """The components and their `depends_on` edges (unknown targets left out).

    Top-down: a system's dependency graph is deeper than it is wide, so its labels stay
    legible in a content column; left-to-right shrinks them once there are a dozen nodes.
    """
    components = list(components)
    known = {c.id for c in components}
    lines = ["graph TD"]
    layers: dict[str, list[Component]] = {}
    for component in components:
        layers.setdefault(component.layer or "", []).append(component)
    for number, (layer, members) in enumerate(layers.items()):
        # One subgraph per `layer`, so the graph reads in bands; `kind` gives the node's shape.
        indent = "    "
        if layer:
            lines.append(f'    subgraph layer_{number}["{_label(layer)}"]')
            indent = "        "
        for component in members:
            opening, closing = _SHAPES.get(component.kind or "", ("[", "]"))
            lines.append(f'{indent}{_node_id("c_", component.id)}{opening}"{_label(component.name)}"{closing}')
        if layer:
            lines.append("    end")
    for component in components:
        for target in component.depends_on:
            if target in known:
                lines.append(f"    {_node_id('c_', component.id)} --> {_node_id('c_', target)}")
    return "\n".join(lines)


def neighbourhood(component: Component, depends_on: list[Component], used_by: list[Component]) -> str:
    """The component, what it depends on and what depends on it."""
    lines = ["graph LR"]
    seen: set[str] = set()
    for item in (component, *depends_on, *used_by):
        if item.id not in seen:
            seen.add(item.id)
            lines.append(f'    {_node_id("c_", item.id)}["{_label(item.name)}"]')
    for target in depends_on:
        lines.append(f"    {_node_id('c_', component.id)} --> {_node_id('c_', target.id)}")
    for user in used_by:
        lines.append(f"    {_node_id('c_', user.id)} --> {_node_id('c_', component.id)}")
    lines.append("    classDef focus stroke-width:3px")
    lines.append(f"    class {_node_id('c_', component.id)} focus")
    return "\n".join(lines)


def _word(text: str) -> str:
    return _IDENT_UNSAFE.sub("_", text.strip()) or "x"


#: What Mermaid accepts in an ER attribute type besides letters and digits.
_ER_TYPE_UNSAFE = re.compile(r"[^A-Za-z0-9_()\[\]-]")


def _er_type(text: str) -> str:
    """An attribute type as Mermaid's ER grammar takes it, close to as written:
    `varchar(255)`, `numeric(10-2)` (a comma would end it), `text[]`."""
    return _ER_TYPE_UNSAFE.sub("_", text.strip().replace(",", "-").replace(" ", "")) or "x"


def er_entity_names(entities: Iterable[Entity]) -> dict[str, str]:
    """The Mermaid name of each entity, distinct even when names differ only in case or
    punctuation (`Customer` and `CUSTOMER`): the later ones get a suffix."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for entity in entities:
        if entity.name in names:
            continue
        base = candidate = _entity_name(entity.name)
        n = 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        names[entity.name] = candidate
    return names


def er_diagram(entities: Iterable[Entity]) -> str:
    """`erDiagram` of entities, their attributes (PK/FK/UK from constraints) and relationships,
    each relationship once even when both entities declare it."""
    entities = list(entities)
    names = er_entity_names(entities)
    lines = ["erDiagram"]
    for entity in entities:
        name = names[entity.name]
        lines.append(f"    {name} {{")
        for attribute in entity.attributes:
            constraints = " ".join(attribute.constraints).lower()
            keys = [key for key, word in (("PK", "primary"), ("FK", "references"), ("UK", "unique"))
                    if word in constraints]
            if "foreign" in constraints and "FK" not in keys:
                keys.append("FK")
            key_text = f" {','.join(keys)}" if keys else ""
            lines.append(f"        {_er_type(attribute.type)} {_word(attribute.name)}{key_text}")
        lines.append("    }")
    drawn: set[frozenset[str]] = set()
    for entity in entities:
        for relation in entity.relationships:
            pair = frozenset((entity.name, relation.target))
            if relation.target not in names or pair in drawn:
                continue
            drawn.add(pair)
            label = _label(relation.description or relation.kind)
            lines.append(f'    {names[entity.name]} {_CARDINALITY[relation.kind]} {names[relation.target]} : "{label}"')
    return "\n".join(lines)


def context_diagram(system: str, people: Iterable[Person], external: Iterable[ExternalSystem],
                    components: Iterable[Component]) -> str:
    """The system in its context (C4 level 1): people use it, it talks to external systems.

    An edge goes to an external system (or person) that some component `uses`; every person
    uses the system. Drawn as a flowchart, so any Mermaid version with `graph` renders it.
    """
    people, external = list(people), list(external)
    used = {name for component in components for name in component.uses}
    lines = ["graph TB", f'    system["{_label(system)}"]']
    for person in people:
        lines.append(f'    {_node_id("p_", person.name)}(["{_label(person.name)}"])')
    for item in external:
        lines.append(f'    {_node_id("x_", item.name)}[("{_label(item.name)}")]')
    for person in people:
        lines.append(f"    {_node_id('p_', person.name)} --> system")
    for item in external:
        arrow = "-->" if item.name in used else "-.-"
        lines.append(f"    system {arrow} {_node_id('x_', item.name)}")
    lines.append("    classDef external stroke-dasharray:4 2")
    if external:
        lines.append("    class " + ",".join(_node_id("x_", item.name) for item in external) + " external")
    return "\n".join(lines)


def sequence_diagram(flow: Flow, names: dict[str, str]) -> str:
    """A flow's steps as a Mermaid sequence diagram; `names` maps participant ids to labels."""
    lines = ["sequenceDiagram"]
    seen: dict[str, str] = {}
    for step in flow.steps:
        for who in (step.from_, step.to):
            if who not in seen:
                seen[who] = _node_id("p_", who)
                lines.append(f"    participant {seen[who]} as {_sequence_text(names.get(who, who))}")
    for step in flow.steps:
        if step.note:
            lines.append(f"    Note over {seen[step.from_]},{seen[step.to]}: {_sequence_text(step.note)}")
        lines.append(f"    {seen[step.from_]}->>{seen[step.to]}: {_sequence_text(step.message)}")
    return "\n".join(lines)


#: Sequence diagram text ends at a line break, and `;`, `#`, `%%` and `:` are syntax there.
_SEQUENCE_UNSAFE = re.compile(r'[";#<>{}\[\]|`:%]')


def _sequence_text(text: str) -> str:
    return " ".join(_SEQUENCE_UNSAFE.sub(" ", text).split()) or "?"
