"""Mermaid source for the component graph, a component's neighbourhood, the ER diagram, the
system context and the runtime flows.

Labels are quoted and stripped of the characters Mermaid treats as syntax, so text from
architecture.yml can never change the diagram's structure.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class MermaidLimits:
    """What one Mermaid diagram can hold; past either limit Mermaid draws an error, not a graph.

    Mermaid 11's defaults (`maxEdges`, `maxTextSize` in its config), which Material for MkDocs
    leaves as they are; a site cannot raise them from a diagram (they are secure settings).
    """

    max_edges: int = 500
    max_text_size: int = 50_000  # characters of source, counted as JavaScript counts them


MERMAID_LIMITS = MermaidLimits()

#: Past this many components one system diagram is no longer legible in a content column:
#: measured in Chromium at 1400 px, 16 components with 31 dependencies drew labels 5 px high,
#: 10 with 30 about 7 px. Beyond it the SAD draws one diagram per layer (if there are layers).
LEGIBLE_COMPONENTS = 12

#: Past this many components one layer's diagram is no longer legible either: the 200-component
#: fixture's layers of about 33 drew labels 3 to 14 px high at 1400 px, the 50-component
#: fixture's layers of 8 to 10 at 11 to 24 px. Such a layer is a table of its dependencies.
LEGIBLE_LAYER_COMPONENTS = 20

#: The group of components that name no `layer` when the SAD draws one diagram per layer.
OTHER_LAYER = "Other"


@dataclass(frozen=True)
class Diagram:
    """Mermaid source and what it counts against the limits."""

    source: str
    nodes: int
    edges: int

    @property
    def fits(self) -> bool:
        """Whether Mermaid draws it (within MERMAID_LIMITS) rather than an error."""
        return (self.edges <= MERMAID_LIMITS.max_edges
                and len(self.source.encode("utf-16-le")) // 2 <= MERMAID_LIMITS.max_text_size)


#: Node shapes by component `kind`: a datastore is a cylinder, a job a parallelogram, …
_SHAPES = {
    "service": ("[", "]"), "library": ("[[", "]]"), "job": ("[/", "/]"), "ui": ("(", ")"),
    "datastore": ("[(", ")]"), "external": (">", "]"),  # not `{{ }}`: no template tag in output
}


def _component_node(component: Component) -> str:
    opening, closing = _SHAPES.get(component.kind or "", ("[", "]"))
    return f'{_node_id("c_", component.id)}{opening}"{_label(component.name)}"{closing}'


def component_graph(components: Iterable[Component]) -> Diagram:
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
        lines.extend(indent + _component_node(component) for component in members)
        if layer:
            lines.append("    end")
    edges = 0
    for component in components:
        for target in component.depends_on:
            if target in known:
                edges += 1
                lines.append(f"    {_node_id('c_', component.id)} --> {_node_id('c_', target)}")
    return Diagram("\n".join(lines), len(components), edges)


@dataclass(frozen=True)
class Layer:
    """One layer's share of the component graph, for the SAD's diagram per layer."""

    name: str
    components: list[Component]
    dependencies: list[tuple[Component, Component]]  # (from, to) with either end in this layer
    diagram: Diagram

    @property
    def drawn(self) -> bool:
        """Whether the SAD draws the layer (Mermaid can, and it stays legible) or tabulates it."""
        return self.diagram.fits and len(self.components) <= LEGIBLE_LAYER_COMPONENTS


@dataclass(frozen=True)
class ComponentDiagrams:
    """The SAD's component diagrams: the whole graph, or (`by_layer`) a layer-to-layer
    overview and one diagram per layer."""

    whole: Diagram
    overview: Diagram | None = None
    layer_dependencies: list[tuple[str, str, int]] = field(default_factory=list)  # from, to, count
    layers: list[Layer] = field(default_factory=list)

    @property
    def by_layer(self) -> bool:
        return bool(self.layers)


def component_diagrams(components: Iterable[Component]) -> ComponentDiagrams:
    """The whole component graph, split by layer when Mermaid cannot draw it or it has more
    than LEGIBLE_COMPONENTS components in more than one layer."""
    components = list(components)
    whole = component_graph(components)
    members: dict[str, list[Component]] = {}
    for component in components:
        members.setdefault(component.layer or OTHER_LAYER, []).append(component)
    if whole.fits and (len(components) <= LEGIBLE_COMPONENTS or len(members) == 1):
        return ComponentDiagrams(whole)
    by_id = {c.id: c for c in components}
    number = {name: n for n, name in enumerate(members)}
    dependencies = [(c, by_id[t]) for c in components for t in c.depends_on if t in by_id]
    between: dict[tuple[str, str], int] = {}
    touching: dict[str, list[tuple[Component, Component]]] = {name: [] for name in members}
    for source, target in dependencies:
        ends = (source.layer or OTHER_LAYER, target.layer or OTHER_LAYER)
        touching[ends[0]].append((source, target))
        if ends[0] != ends[1]:
            touching[ends[1]].append((source, target))
            between[ends] = between.get(ends, 0) + 1
    layer_dependencies = sorted(((a, b, n) for (a, b), n in between.items()),
                                key=lambda row: (number[row[0]], number[row[1]]))
    overview = _layer_overview(members, layer_dependencies) if len(members) > 1 else None
    return ComponentDiagrams(
        whole, overview, layer_dependencies,
        [Layer(name, members[name], touching[name], _layer_graph(name, members[name], touching[name], number))
         for name in members])


def _layer_overview(members: dict[str, list[Component]], between: list[tuple[str, str, int]]) -> Diagram:
    """One node per layer, an edge per pair of layers with a dependency, labelled with the count."""
    number = {name: n for n, name in enumerate(members)}
    lines = ["graph TD"]
    for name, components in members.items():
        lines.append(f'    layer_{number[name]}["{_label(name)} ({len(components)})"]')
    for source, target, count in between:
        lines.append(f"    layer_{number[source]} -->|{count}| layer_{number[target]}")
    return Diagram("\n".join(lines), len(members), len(between))


#: Closer ranks and nodes, labels wrapped at 110 px: a layer diagram is scaled down to the
#: content column less (widest layer of the 50-component fixture: 1,740 px -> 1,437 px).
_COMPACT = """---
config:
  flowchart:
    rankSpacing: 30
    nodeSpacing: 20
    wrappingWidth: 110
---
"""


def _layer_graph(name: str, members: list[Component], dependencies: list[tuple[Component, Component]],
                 number: dict[str, int]) -> Diagram:
    """A layer's components and their dependencies, left to right. Another layer is a dashed
    node: before the components when it depends on them, after them when they depend on it
    (two nodes rather than one with arrows both ways, which doubles the width); an arrow to
    or from it carries how many dependencies it stands for."""
    lines = ["graph LR"]
    lines.extend("    " + _component_node(component) for component in members)
    others: dict[str, str] = {}  # node id -> layer name
    counts: dict[tuple[str, str], int] = {}
    for source, target in dependencies:
        source_layer, target_layer = source.layer or OTHER_LAYER, target.layer or OTHER_LAYER
        if source_layer != name:
            source_node = others.setdefault(f"from_{number[source_layer]}", source_layer) and f"from_{number[source_layer]}"
        else:
            source_node = _node_id("c_", source.id)
        if target_layer != name:
            target_node = others.setdefault(f"to_{number[target_layer]}", target_layer) and f"to_{number[target_layer]}"
        else:
            target_node = _node_id("c_", target.id)
        counts[(source_node, target_node)] = counts.get((source_node, target_node), 0) + 1
    lines.extend(f'    {node}(["{_label(layer)}"])' for node, layer in others.items())
    for (source_node, target_node), count in counts.items():
        label = f"|{count}|" if count > 1 else ""
        lines.append(f"    {source_node} -->{label} {target_node}")
    if others:
        lines.append("    classDef layer stroke-dasharray:4 2")
        lines.append("    class " + ",".join(others) + " layer")
    ranks = Counter(_ranks([_node_id("c_", c.id) for c in members] + list(others), list(counts)).values())
    if 2 * len(ranks) > 3 * max(ranks.values(), default=0):
        # A chain inside the layer longer than its widest rank: across the page it would shrink
        # (measured on the 50-component fixture: TD gave the Data layer 11.5 px labels, LR 10.3).
        lines[0] = "graph TD"
    return Diagram(_COMPACT + "\n".join(lines), len(members), len(counts))


def _ranks(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Each node's rank in a layered drawing: the longest path to it, once the edges that close
    a cycle are set aside (as dagre, Mermaid's layout, does)."""
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in edges:
        successors[source].append(target)
    # Depth-first post-order, iteratively (a layer may hold thousands of components).
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    order: list[str] = []
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(successors[root]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(successors[child])))
    position = {node: i for i, node in enumerate(reversed(order))}
    rank = dict.fromkeys(nodes, 0)
    for node in reversed(order):
        for child in successors[node]:
            if position[child] > position[node]:  # a forward edge; a backward one closes a cycle
                rank[child] = max(rank[child], rank[node] + 1)
    return rank


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
