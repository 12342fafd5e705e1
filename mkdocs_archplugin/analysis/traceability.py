"""Which parts of the architecture name which requirements: the trace both ways, and coverage.

Built in one pass over the architecture's items, indexed by requirement id: linear in the
size of the PRD plus the YAML, whatever their sizes.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

from mkdocs_archplugin.architecture.model import (
    MAX_RANGE_DIGITS,
    Api,
    Architecture,
    ArchModel,
    Component,
    Decision,
    Endpoint,
    Entity,
    ExternalSystem,
    Flow,
    Goal,
    IdRange,
    Interface,
    Pattern,
    ProseSection,
    Risk,
    Service,
    StackEntry,
    Tradeoff,
    numbered,
    parse_range,
)
from mkdocs_archplugin.prd.model import Prd, Requirement

ItemKind = Literal[
    "goal",
    "stack",
    "service",
    "pattern",
    "component",
    "entity",
    "api",
    "endpoint",
    "section",
    "decision",
    "tradeoff",
    "external_system",
    "interface",
    "flow",
    "risk",
]

#: The models whose items carry `requirements`.
TraceableModel = (
    Goal
    | StackEntry
    | Service
    | Pattern
    | Component
    | Entity
    | Api
    | Endpoint
    | ProseSection
    | Decision
    | Tradeoff
    | ExternalSystem
    | Interface
    | Flow
    | Risk
)

_KIND_LABELS: dict[str, str] = {
    "goal": "goal",
    "stack": "stack entry",
    "service": "service",
    "pattern": "pattern",
    "component": "component",
    "entity": "entity",
    "api": "api",
    "endpoint": "endpoint",
    "section": "section",
    "decision": "decision",
    "tradeoff": "trade-off",
    "external_system": "external system",
    "interface": "interface",
    "flow": "flow",
    "risk": "risk",
}

# -- what addresses an NFR: the one definition every check, page and export uses ------------

#: The kinds of item the `addressed_by` option may list, in the order pages show them.
ADDRESSING_KINDS = (
    "decisions", "stack", "services", "tradeoffs", "patterns", "risks", "strategies",
    "goals", "components", "entities", "endpoints", "interfaces", "flows", "external_systems",
)
#: By default an NFR is addressed by an explicit architectural choice that names it.
#: Components, entities, endpoints, interfaces and flows that name it only trace it.
DEFAULT_ADDRESSED_BY = ("decisions", "stack", "services", "tradeoffs", "patterns", "risks", "strategies")
#: The prose sections that state a strategy (`future` states none yet).
STRATEGY_SECTIONS = ("security", "scalability", "deployment", "observability", "guidelines")

#: How messages and pages name each kind of addressing item.
ADDRESSING_LABELS = {
    "decisions": "accepted decision", "stack": "stack entry", "services": "service",
    "tradeoffs": "trade-off", "patterns": "pattern", "risks": "risk mitigation",
    "strategies": "strategy section", "goals": "goal", "components": "component",
    "entities": "entity", "endpoints": "endpoint", "interfaces": "interface", "flows": "flow",
    "external_systems": "external system",
}


def describe_addressing(kinds: tuple[str, ...]) -> str:
    """`an accepted decision, stack entry or trade-off`: the kinds that may address, in words."""
    labels = [ADDRESSING_LABELS[k] for k in ADDRESSING_KINDS if k in kinds]
    if not labels:
        return "nothing"
    text = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return ("an " if text[0] in "aeiou" else "a ") + text


@dataclass(frozen=True)
class Addresser:
    """One item that addresses an NFR: its kind (`decisions`, `strategies`, …) and the item
    (a section key for strategies)."""

    kind: str
    item: Any = field(compare=False)

    @property
    def label(self) -> str:
        return ADDRESSING_LABELS[self.kind]

    @property
    def key(self) -> str:
        """What identifies the item within its kind, as exports write it: an id, a name, a
        title, a goal's text, `METHOD path`, an interface's key, a strategy section's key."""
        item = self.item
        if self.kind == "strategies":
            return item
        if self.kind == "endpoints":
            return f"{item.method} {item.path}"
        if self.kind == "interfaces":
            return item.key
        for name in ("id", "name", "title", "goal"):
            value = getattr(item, name, None)
            if value is not None:
                return value
        raise AssertionError(self.kind)


@dataclass(frozen=True)
class TracedItem:
    """An item of architecture.yml that can name requirements, and how to call it."""

    kind: ItemKind
    #: What identifies it within its kind: component or decision id, entity name,
    #: `GET /users`, stack entry or service name, trade-off title, section key, goal text.
    key: str
    item: TraceableModel = field(compare=False, repr=False)

    @property
    def label(self) -> str:
        """How messages name it: `component api`, `decision ADR-001`, `section security`."""
        return f"{_KIND_LABELS[self.kind]} {self.key}"


def traced_items(arch: Architecture) -> Iterator[TracedItem]:
    """Every item of the architecture that has `requirements`, in document order."""
    if arch.overview is not None:
        for goal in arch.overview.goals:
            yield TracedItem("goal", goal.goal, goal)
    for entry in arch.stack:
        yield TracedItem("stack", entry.name, entry)
    for service in arch.services:
        yield TracedItem("service", service.name, service)
    for pattern in arch.all_patterns():
        yield TracedItem("pattern", pattern.name, pattern)
    if arch.context is not None:
        for system in arch.context.external_systems:
            yield TracedItem("external_system", system.name, system)
    for component in arch.components:
        yield TracedItem("component", component.id, component)
    for entity in arch.entities:
        yield TracedItem("entity", entity.name, entity)
    if arch.api is not None:
        yield TracedItem("api", arch.api.style or "api", arch.api)
        for endpoint in arch.api.endpoints:
            yield TracedItem("endpoint", f"{endpoint.method} {endpoint.path}", endpoint)
    for interface in arch.interfaces:
        yield TracedItem("interface", interface.key, interface)
    for flow in arch.flows:
        yield TracedItem("flow", flow.id, flow)
    for key, section in arch.prose_sections():
        yield TracedItem("section", key, section)
    for decision in arch.decisions:
        yield TracedItem("decision", decision.id, decision)
    for tradeoff in arch.tradeoffs:
        yield TracedItem("tradeoff", tradeoff.title, tradeoff)
    for risk in arch.risks:
        yield TracedItem("risk", risk.id, risk)


@dataclass(frozen=True)
class RequirementTrace:
    """Everything in the architecture that names one requirement, in document order."""

    requirement: Requirement
    goals: tuple[Goal, ...] = ()
    stack: tuple[StackEntry, ...] = ()
    services: tuple[Service, ...] = ()
    components: tuple[Component, ...] = ()
    entities: tuple[Entity, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    decisions: tuple[Decision, ...] = ()
    tradeoffs: tuple[Tradeoff, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    external_systems: tuple[ExternalSystem, ...] = ()
    interfaces: tuple[Interface, ...] = ()
    flows: tuple[Flow, ...] = ()
    risks: tuple[Risk, ...] = ()
    #: Single sections that name it: api, security, scalability, …
    sections: tuple[str, ...] = ()
    #: The kinds that may address it (the `addressed_by` option).
    addressed_by: tuple[str, ...] = field(default=DEFAULT_ADDRESSED_BY, compare=False)

    @cached_property
    def accepted_decisions(self) -> tuple[Decision, ...]:
        """The decisions that may address it: only an accepted decision has been made."""
        return tuple(d for d in self.decisions if d.status == "accepted")

    @cached_property
    def addressers(self) -> tuple[Addresser, ...]:
        """What addresses the requirement, by kind, in ADDRESSING_KINDS order: the one place that
        decides it. Proposed, rejected, superseded and deprecated decisions never address; a risk
        addresses through its mitigation; a strategy is a prose section of STRATEGY_SECTIONS."""
        candidates = {
            "decisions": self.accepted_decisions,
            "stack": self.stack,
            "services": self.services,
            "tradeoffs": self.tradeoffs,
            "patterns": self.patterns,
            "risks": tuple(r for r in self.risks if r.mitigation),
            "strategies": tuple(key for key in self.sections if key in STRATEGY_SECTIONS),
            "goals": self.goals,
            "components": self.components,
            "entities": self.entities,
            "endpoints": self.endpoints,
            "interfaces": self.interfaces,
            "flows": self.flows,
            "external_systems": self.external_systems,
        }
        return tuple(Addresser(kind, item) for kind in ADDRESSING_KINDS if kind in self.addressed_by
                     for item in candidates[kind])

    @property
    def covered(self) -> bool:
        """An NFR: something of `addressed_by` addresses it (see `addressers`). An FR: a
        component, entity, endpoint or interface names it."""
        if self.requirement.is_nfr:
            return bool(self.addressers)
        return bool(self.components or self.entities or self.endpoints or self.interfaces)

    @property
    def named(self) -> bool:
        """Whether anything in the architecture names it at all."""
        return bool(
            self.goals
            or self.stack
            or self.services
            or self.components
            or self.entities
            or self.endpoints
            or self.decisions
            or self.tradeoffs
            or self.patterns
            or self.external_systems
            or self.interfaces
            or self.flows
            or self.risks
            or self.sections
        )


@dataclass(frozen=True)
class UnresolvedRequirement:
    """An id the YAML names that the PRD does not define."""

    id: str
    #: As written in the YAML: the id itself, or the range it came from.
    ref: str
    traced: TracedItem
    #: Its position in the item's `requirements`, to locate it.
    index: int
    suggestion: str | None = None
    #: How many ids of `ref` the PRD does not define: a range lists only its first few.
    missing: int = 1


@dataclass(frozen=True)
class Coverage:
    """How many requirements of a kind are covered."""

    covered: int
    total: int

    @property
    def ratio(self) -> float:
        """Covered / total; 1.0 when there is nothing to cover."""
        return self.covered / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.covered}/{self.total} ({self.ratio:.0%})"


@dataclass(frozen=True)
class Trace:
    """Requirements → the architecture items that name them, and back; plus coverage."""

    #: One entry per requirement the PRD defines, in PRD order.
    requirements: Mapping[str, RequirementTrace]
    #: Every traceable item of the architecture, in document order.
    items: tuple[TracedItem, ...]
    #: Ids named in the YAML that the PRD does not define, in document order.
    unresolved: tuple[UnresolvedRequirement, ...]
    #: FRs covered by a component, entity or endpoint.
    fr_coverage: Coverage
    #: NFRs addressed (see `RequirementTrace.addressers`).
    nfr_coverage: Coverage
    _by_item: Mapping[int, tuple[str, ...]] = field(repr=False, compare=False)

    def of(self, requirement_id: str) -> RequirementTrace:
        """The trace of one requirement the PRD defines (KeyError otherwise)."""
        return self.requirements[requirement_id]

    def requirements_of(self, item: ArchModel) -> tuple[str, ...]:
        """The PRD requirement ids an item of this architecture names, ranges expanded."""
        return self._by_item.get(id(item), ())

    @property
    def uncovered_frs(self) -> tuple[Requirement, ...]:
        return tuple(
            t.requirement
            for t in self.requirements.values()
            if not t.requirement.is_nfr and not t.covered
        )

    @property
    def uncovered_nfrs(self) -> tuple[Requirement, ...]:
        return tuple(
            t.requirement
            for t in self.requirements.values()
            if t.requirement.is_nfr and not t.covered
        )


_BUCKETS: dict[str, str] = {
    "goal": "goals",
    "stack": "stack",
    "service": "services",
    "component": "components",
    "entity": "entities",
    "endpoint": "endpoints",
    "decision": "decisions",
    "tradeoff": "tradeoffs",
    "pattern": "patterns",
    "external_system": "external_systems",
    "interface": "interfaces",
    "flow": "flows",
    "risk": "risks",
}


def build_trace(prd: Prd, arch: Architecture, addressed_by: tuple[str, ...] = DEFAULT_ADDRESSED_BY) -> Trace:
    """The trace of every PRD requirement through the architecture, in one pass over its items."""
    ids = RequirementIds(prd)
    buckets: defaultdict[tuple[str, str], list[Any]] = defaultdict(list)
    by_item: dict[int, tuple[str, ...]] = {}
    unresolved: list[UnresolvedRequirement] = []
    items = tuple(traced_items(arch))
    for traced in items:
        named: dict[str, None] = {}
        for index, ref in enumerate(traced.item.requirements):
            known, unknown, missing = ids.resolve(ref)
            named.update(dict.fromkeys(known))
            unresolved.extend(
                UnresolvedRequirement(
                    name, ref, traced, index, ids.suggest(name) if name == ref else None, missing
                )
                for name in unknown
            )
        by_item[id(traced.item)] = tuple(named)
        entry: Any = traced.item
        bucket = _BUCKETS.get(traced.kind)
        if bucket is None:
            bucket, entry = "sections", traced.key if traced.kind == "section" else traced.kind
        for requirement_id in named:
            buckets[requirement_id, bucket].append(entry)

    traces = {}
    for requirement_id, requirement in prd.by_id.items():
        traces[requirement_id] = RequirementTrace(
            requirement,
            addressed_by=addressed_by,
            **{
                name: tuple(buckets.get((requirement_id, name), ()))
                for name in (*_BUCKETS.values(), "sections")
            },
        )
    frs = [t for t in traces.values() if not t.requirement.is_nfr]
    nfrs = [t for t in traces.values() if t.requirement.is_nfr]
    return Trace(
        requirements=MappingProxyType(traces),
        items=items,
        unresolved=tuple(unresolved),
        fr_coverage=Coverage(sum(t.covered for t in frs), len(frs)),
        nfr_coverage=Coverage(sum(t.covered for t in nfrs), len(nfrs)),
        _by_item=MappingProxyType(by_item),
    )


_SEPARATORS = re.compile(r"[-_.\s]")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")


def _normalized(requirement_id: str) -> str:
    """`fr-001`, `FR1`, `FR_01` → `fr1`: what a near-miss id most likely meant."""
    return _LEADING_ZEROS.sub("", _SEPARATORS.sub("", requirement_id)).casefold()


#: How many of a range's ids the PRD does not define are listed (the rest are counted).
LISTED_MISSING = 5
#: How many defined ids `did you mean` may compare unknown ids with, in all: plenty for the
#: typos of a real architecture.yml, and a bound for thousands of unknown ids (else quadratic).
SUGGESTION_BUDGET = 200_000


class RequirementIds:
    """What the YAML names (an id, a group id such as FR1 for FR1.1…, or a range) → PRD ids."""

    def __init__(self, prd: Prd) -> None:
        self._defined = prd.by_id
        self._groups = {group.id: group.children for group in prd.groups}
        self._resolved: dict[str, tuple[tuple[str, ...], tuple[str, ...], int]] = {}
        self._suggestions: dict[str, str | None] = {}
        self._by_normal: dict[str, str] | None = None
        self._by_length: dict[int, list[str]] | None = None
        self._by_prefix: dict[str, list[tuple[int, str]]] | None = None
        self._budget = SUGGESTION_BUDGET

    def resolve(self, ref: str) -> tuple[tuple[str, ...], tuple[str, ...], int]:
        """(PRD ids `ref` stands for, the first ids in it the PRD does not define, how many
        it does not define), in order.

        A range costs what the PRD defines inside it, not its length: a range may span
        100,000 ids, and a hostile file may hold thousands of ranges.
        """
        if ref in self._resolved:
            return self._resolved[ref]
        try:
            id_range = parse_range(ref)
        except ValueError:
            id_range = None
        names = self._defined_in(id_range) if id_range is not None else [ref]
        known: list[str] = []
        unknown: list[str] = []
        for name in names:
            if name in self._defined:
                known.append(name)
            elif name in self._groups:
                known.extend(child for child in self._groups[name] if child in self._defined)
            else:
                unknown.append(name)
        missing = len(unknown)
        if id_range is not None:
            missing = len(id_range) - len(names)
            unknown = _first_missing(id_range, set(names))
        result = self._resolved[ref] = (tuple(known), tuple(unknown), missing)
        return result

    def _defined_in(self, id_range: IdRange) -> list[str]:
        """The ids and group ids the PRD defines among a range's, in order."""
        if self._by_prefix is None:
            self._by_prefix = defaultdict(list)
            for name in (*self._defined, *self._groups):
                split = numbered(name)
                if split is not None and len(split[1]) <= MAX_RANGE_DIGITS:
                    self._by_prefix[split[0]].append((int(split[1]), name))
            for entries in self._by_prefix.values():
                entries.sort()
        entries = self._by_prefix.get(id_range.prefix, [])
        found: list[str] = []
        # By index: a slice `entries[i:]` would copy the rest of the list for every range.
        for index in range(bisect.bisect_left(entries, (id_range.start, "")), len(entries)):
            number, name = entries[index]
            if number > id_range.stop:
                break
            if name == id_range.id_of(number):
                found.append(name)
        return found

    def suggest(self, unknown_id: str) -> str | None:
        """The defined id an unknown one most likely meant, if any is close."""
        if unknown_id not in self._suggestions:
            self._suggestions[unknown_id] = self._closest(unknown_id)
        return self._suggestions[unknown_id]

    def _closest(self, unknown_id: str) -> str | None:
        if self._by_normal is None or self._by_length is None:
            self._by_normal, self._by_length = {}, defaultdict(list)
            for known in (*self._defined, *self._groups):
                self._by_normal.setdefault(_normalized(known), known)
                self._by_length[len(known)].append(known)
        same = self._by_normal.get(_normalized(unknown_id))
        if same is not None:
            return same
        # Close spellings have close lengths: compare with those only, not with every id.
        size = len(unknown_id)
        candidates = [
            known for n in (size - 1, size, size + 1) for known in self._by_length.get(n, ())
        ]
        if len(candidates) > self._budget:
            return None
        self._budget -= len(candidates)
        close = difflib.get_close_matches(unknown_id, candidates, n=1, cutoff=0.8)
        return close[0] if close else None


def _first_missing(id_range: IdRange, defined: set[str]) -> list[str]:
    """The first LISTED_MISSING ids of a range that are not in `defined`."""
    missing: list[str] = []
    for number in range(id_range.start, id_range.stop + 1):
        name = id_range.id_of(number)
        if name not in defined:
            missing.append(name)
            if len(missing) == LISTED_MISSING:
                break
    return missing
