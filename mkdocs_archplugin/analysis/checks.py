"""Cross-checks of architecture.yml against the PRD: each problem a located diagnostic with a hint.

Pure functions of the PRD, the architecture model and their trace; MkDocs is not involved.
Severities are not decided here: every code has its default in diagnostics.py and the user's
`checks:` may change it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence

from mkdocs_archplugin.analysis.traceability import (
    Trace,
    describe_addressing,
    UnresolvedRequirement,
    build_trace,
)
from mkdocs_archplugin.architecture.load import did_you_mean
from mkdocs_archplugin.architecture.sql import DEFAULT_DIALECT, entity_tables, parse_schema, snake
from mkdocs_archplugin.architecture.model import (
    Architecture,
    ArchModel,
    Component,
    Decision,
    Location,
)
from mkdocs_archplugin.diagnostics import Diagnostic
from mkdocs_archplugin.prd.model import Prd, Requirement

__all__ = ["check_traceability"]


def check_traceability(
    prd: Prd, arch: Architecture, trace: Trace | None = None, schema_dialect: str = DEFAULT_DIALECT
) -> list[Diagnostic]:
    """Every cross-check diagnostic, sorted by file, line, column and code."""
    if trace is None:
        trace = build_trace(prd, arch)
    return sorted(
        [
            *unknown_requirements(trace),
            *duplicate_ids(arch),
            *unknown_references(arch),
            *nfrs_without_decision(trace),
            *frs_without_component(trace),
            *decisions_without_requirement(arch),
            *dependency_cycles(arch),
            *schema_drift(arch, schema_dialect),
        ]
    )


def _at(where: Location, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(where.file, where.line, where.column, code, message, hint)


def _at_requirement(requirement: Requirement, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(requirement.source.file, requirement.source.line, 0, code, message, hint, requirement.id)


def _named(requirement: Requirement) -> str:
    title = requirement.title if len(requirement.title) <= 60 else requirement.title[:59] + "…"
    return f"{requirement.id} ({title})" if title else requirement.id


def _suggested(word: str, choices: Sequence[str]) -> str:
    suggestion = did_you_mean(word, list(choices))
    return f"; did you mean '{suggestion}'?" if suggestion else ""


#: How many names `did you mean` may compare unknown references with, per kind of item.
SUGGESTION_BUDGET = 200_000


class _Names:
    """The ids of one kind of item: membership in constant time, and `did you mean` within a
    budget of comparisons, so thousands of unknown references cannot make the check quadratic."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self._known = set(self.names)
        self._budget = SUGGESTION_BUDGET

    def __contains__(self, name: object) -> bool:
        return name in self._known

    def suggested(self, word: str, besides: str | None = None) -> str:
        """`; did you mean 'x'?` for the name closest to `word` other than `besides`, or ``."""
        if len(self.names) > self._budget:
            return ""
        self._budget -= len(self.names)
        return _suggested(word, [name for name in self.names if name != besides])


# -- unknown-requirement ------------------------------------------------------------------


def unknown_requirements(trace: Trace) -> Iterator[Diagnostic]:
    """`unknown-requirement`: the YAML names an id the PRD does not define (one per entry)."""
    entries: dict[tuple[int, int], list[UnresolvedRequirement]] = {}
    for unresolved in trace.unresolved:
        entries.setdefault((id(unresolved.traced.item), unresolved.index), []).append(unresolved)
    hint = "run `archplugin requirements PRD` to list the ids the PRD defines"
    for missing in entries.values():
        first = missing[0]
        where = first.traced.item.location_of("requirements", first.index)
        if first.missing == 1 and first.id == first.ref:
            message = f"{first.traced.label} names {first.id}, which the PRD does not define"
            if first.suggestion:
                message += f"; did you mean {first.suggestion}?"
        elif first.missing == 1:
            message = (
                f"{first.traced.label} names {first.id} (in range {first.ref}), "
                "which the PRD does not define"
            )
        else:
            shown = ", ".join(m.id for m in missing) + (", …" if first.missing > len(missing) else "")
            message = (
                f"{first.traced.label} names the range {first.ref}, whose ids {shown} "
                f"({first.missing} in all) the PRD does not define"
            )
        yield _at(where, "unknown-requirement", message, hint)


# -- duplicate-id ---------------------------------------------------------------------------


def duplicate_ids(arch: Architecture) -> Iterator[Diagnostic]:
    """`duplicate-id`: two components, decisions, entities or endpoints share an identity."""
    endpoints = arch.api.endpoints if arch.api is not None else []
    yield from _duplicates("component id", arch.components, lambda c: c.id, "id")
    yield from _duplicates("decision id", arch.decisions, lambda d: d.id, "id")
    # By table name: `Customer` and `CUSTOMER` are one table, one ER node, one anchor.
    yield from _duplicates("entity name", arch.entities, lambda e: snake(e.name), "name", lambda e: e.name)
    yield from _duplicates("endpoint", endpoints, lambda e: f"{e.method} {e.path}", "path")


def _duplicates(
    what: str, items: Iterable[ArchModel], key: Callable[..., str], field: str,
    shown: Callable[..., str] | None = None,
) -> Iterator[Diagnostic]:
    first: dict[str, ArchModel] = {}
    for item in items:
        name = key(item)
        if name not in first:
            first[name] = item
            continue
        yield _at(
            item.location_of(field),
            "duplicate-id",
            f"{what} '{(shown or key)(item)}' is already used at {first[name].source}",
            "ids must be unique: rename one of them",
        )


# -- schema-drift ---------------------------------------------------------------------------


def schema_drift(arch: Architecture, dialect: str) -> Iterator[Diagnostic]:
    """`schema-drift`: a table or column in only one of `schema` (SQL) and `entities`; a
    `schema` sqlglot cannot read is `schema-invalid` at its line."""
    if not arch.schema_:
        return
    where = arch.location_of("schema_")
    parsed = parse_schema(arch.schema_, dialect)
    for problem in parsed.problems:
        # A block scalar starts on the line after its key.
        yield Diagnostic(where.file, where.line + problem.line, problem.column, "schema-invalid",
                         f"schema: the SQL is not valid {dialect}: {problem.message}",
                         "fix the statement, or set `schema_dialect` to the dialect it is written in")
    if parsed.problems or not arch.entities:
        return
    tables = entity_tables(list(arch.entities))
    by_table = {snake(e.name): e for e in arch.entities}
    for table, columns in parsed.tables.items():
        if table not in tables:
            yield _at(where, "schema-drift", f"table {table} is in `schema` but no entity describes it",
                      f"add an entity for it, or drop it from the schema at {where}")
            continue
        entity = by_table[table]
        for column in columns:
            if column not in tables[table]:
                yield _at(entity.location_of("attributes"), "schema-drift",
                          f"column {table}.{column} is in `schema` ({where}) but not an attribute of entity {entity.name}",
                          "add the attribute, or drop the column from the schema")
        for column in tables[table]:
            if column not in columns:
                yield _at(entity.location_of("attributes"), "schema-drift",
                          f"attribute {entity.name}.{column} has no column in table {table} of `schema` ({where})",
                          "add the column to the schema, or drop the attribute")
    for table, entity in by_table.items():
        if table not in parsed.tables:
            yield _at(entity.location_of("name"), "schema-drift",
                      f"entity {entity.name} has no table {table} in `schema` ({where})",
                      "add its CREATE TABLE to the schema, or drop the entity")


# -- unknown-reference ----------------------------------------------------------------------


def unknown_references(arch: Architecture) -> Iterator[Diagnostic]:
    """`unknown-reference`: depends_on, component, supersedes, relationship targets, index
    columns that name nothing."""
    components = _Names(c.id for c in arch.components)
    decisions = _Names(d.id for d in arch.decisions)
    entities = _Names(e.name for e in arch.entities)
    declare_component = "declare it under `components`, or correct the id"

    for component in arch.components:
        for index, target in enumerate(component.depends_on):
            if target not in components:
                yield _at(
                    component.location_of("depends_on", index),
                    "unknown-reference",
                    f"component {component.id} depends on '{target}', which is not a component"
                    + components.suggested(target, besides=component.id),
                    declare_component,
                )
    for entity in arch.entities:
        if entity.component is not None and entity.component not in components:
            yield _at(
                entity.location_of("component"),
                "unknown-reference",
                f"entity {entity.name} belongs to '{entity.component}', which is not a component"
                + components.suggested(entity.component),
                declare_component,
            )
        for relationship in entity.relationships:
            if relationship.target not in entities:
                yield _at(
                    relationship.location_of("target"),
                    "unknown-reference",
                    f"entity {entity.name} relates to '{relationship.target}', which is not an entity"
                    + entities.suggested(relationship.target),
                    "declare it under `entities`, or correct the name",
                )
        attributes = [attribute.name for attribute in entity.attributes]
        for db_index in entity.indexes if attributes else ():
            for position, column in enumerate(db_index.columns):
                if column not in attributes:
                    yield _at(
                        db_index.location_of("columns", position),
                        "unknown-reference",
                        f"entity {entity.name} has an index on '{column}', which is not one of "
                        "its attributes" + _suggested(column, attributes),
                        "index attributes the entity declares",
                    )
    if arch.api is not None:
        for endpoint in arch.api.endpoints:
            if endpoint.component is not None and endpoint.component not in components:
                yield _at(
                    endpoint.location_of("component"),
                    "unknown-reference",
                    f"endpoint {endpoint.method} {endpoint.path} is served by "
                    f"'{endpoint.component}', which is not a component"
                    + components.suggested(endpoint.component),
                    declare_component,
                )
    for decision in arch.decisions:
        for index, target in enumerate(decision.supersedes):
            if target not in decisions:
                yield _at(
                    decision.location_of("supersedes", index),
                    "unknown-reference",
                    f"decision {decision.id} supersedes '{target}', which is not a decision"
                    + decisions.suggested(target, besides=decision.id),
                    "keep superseded decisions in `decisions` with `status: superseded`",
                )
        for index, target in enumerate(decision.components):
            if target not in components:
                yield _at(
                    decision.location_of("components", index),
                    "unknown-reference",
                    f"decision {decision.id} names '{target}', which is not a component"
                    + components.suggested(target),
                    declare_component,
                )


# -- coverage -------------------------------------------------------------------------------


def nfrs_without_decision(trace: Trace) -> Iterator[Diagnostic]:
    """`nfr-without-decision`: nothing of `addressed_by` addresses the NFR (`addressers`)."""
    for traced in trace.requirements.values():
        requirement = traced.requirement
        if not requirement.is_nfr or traced.covered:
            continue
        kinds = describe_addressing(traced.addressed_by)
        pending = [f"{d.id} ({d.status})" for d in traced.decisions if d.status != "accepted"]
        if pending and "decisions" in traced.addressed_by:
            hint = (
                f"named only by decisions not accepted: {', '.join(pending)}; "
                "set `status: accepted` once decided"
            )
        else:
            hint = f"add {requirement.id} to the `requirements` of {kinds} in architecture.yml"
        yield _at_requirement(
            requirement,
            "nfr-without-decision",
            f"{_named(requirement)} is addressed by no {kinds.split(' ', 1)[1]}",
            hint,
        )


def frs_without_component(trace: Trace) -> Iterator[Diagnostic]:
    """`fr-without-component`: no component, entity or endpoint names the FR."""
    for traced in trace.requirements.values():
        requirement = traced.requirement
        if requirement.is_nfr or traced.covered:
            continue
        yield _at_requirement(
            requirement,
            "fr-without-component",
            f"{_named(requirement)} is implemented by no component, entity or endpoint",
            f"add {requirement.id} to the `requirements` of the component that implements it",
        )


def decisions_without_requirement(arch: Architecture) -> Iterator[Diagnostic]:
    """`decision-without-requirement`: a decision names no requirement."""
    for decision in arch.decisions:
        if not decision.requirements:
            yield _at(
                decision.location_of("id"),
                "decision-without-requirement",
                f"decision {decision.id} names no requirement",
                "list the requirements it serves in its `requirements`",
            )


# -- dependency-cycle -----------------------------------------------------------------------


def dependency_cycles(arch: Architecture) -> Iterator[Diagnostic]:
    """`dependency-cycle`: components that depend on each other, or decisions that supersede
    each other, in a loop (one per loop)."""
    yield from _loops(
        arch.components, "depends_on", "components depend on each other in a loop",
        "break the loop, or accept it with `checks: {dependency-cycle: ignore}`",
    )
    yield from _loops(
        arch.decisions, "supersedes", "decisions supersede each other in a loop",
        "a decision supersedes older ones only: remove the `supersedes` that points forward",
    )


def _loops(
    items: Sequence[Component] | Sequence[Decision], edges: str, what: str, hint: str
) -> Iterator[Diagnostic]:
    """One diagnostic per loop of `edges` (an item's list of ids) among `items`."""
    by_id: dict[str, Component | Decision] = {}
    for item in items:
        by_id.setdefault(item.id, item)
    graph = {
        item_id: list(dict.fromkeys(t for t in getattr(item, edges) if t in by_id))
        for item_id, item in by_id.items()
    }
    for group in _strongly_connected(graph):
        start = min(group)
        if len(group) == 1 and start not in graph[start]:
            continue
        cycle = _cycle_through(start, set(group), graph)
        first = by_id[start]
        where = first.location_of(edges, getattr(first, edges).index(cycle[1 % len(cycle)]))
        loop = " → ".join([*cycle, start])
        yield _at(where, "dependency-cycle", f"{what}: {loop}", hint)


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit on big graphs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph[successor])))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(group)
    return groups


def _cycle_through(start: str, members: set[str], graph: dict[str, list[str]]) -> list[str]:
    """The shortest loop from `start` back to itself inside one strongly connected group."""
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in graph[node]:
            if successor == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])  # type: ignore[arg-type]
                return path[::-1]
            if successor in members and successor not in parent:
                parent[successor] = node
                queue.append(successor)
    return [start]
