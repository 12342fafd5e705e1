"""traceability.json: the PRD, the architecture, their trace both ways, coverage, diagnostics
and todos in one machine-readable document.

Its shape is published as JSON Schema (Draft 2020-12) in `traceability.schema.json` beside this
module; `schema_version` changes whenever that shape does. Items of architecture.yml keep
their YAML fields as written (defaults filled in), except `requirements`, which lists the
PRD ids the item names with ranges and group ids expanded, so every id in the document
resolves to an entry of `requirements`. Requirements link back with `addressed_by`, whose
lists hold the keys items have in the document: component and decision `id`, entity `name`,
endpoint `id` (`GET /jobs`), stack entry, service, pattern and external system `name`,
trade-off `title`, goal `goal`, section `key`, interface `id` (`event order.placed`), flow and
risk `id`. `addressers` lists what *addresses* the requirement by the one definition
(`RequirementTrace.addressers`, the `addressed_by` option), each as `{kind, key}`.

Deterministic: document order everywhere, a fixed key order, no timestamps.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from importlib.resources import files
from typing import Any

from mkdocs_archplugin.analysis.result import Analysis
from mkdocs_archplugin.analysis.traceability import Coverage, RequirementTrace, Trace
from mkdocs_archplugin.architecture.model import Architecture, ArchModel
from mkdocs_archplugin.prd.model import Requirement

#: The version of the document's shape: major for breaking changes, minor for additions.
SCHEMA_VERSION = "1.1"
SCHEMA_FILE = "traceability.schema.json"

#: The lists of `addressed_by`, in the order they are written.
ADDRESSED_BY_KEYS = (
    "goals", "stack", "services", "components", "entities", "endpoints",
    "decisions", "accepted_decisions", "tradeoffs", "sections",
    "patterns", "external_systems", "interfaces", "flows", "risks",
)


def export_json(analysis: Analysis) -> str:
    """traceability.json as text: UTF-8 JSON, one top-level key per line and one list item per
    line, with a trailing newline.

    A line per item keeps diffs of the file readable; `indent=` would do that too, but only
    Python's pure-Python encoder indents, which takes seconds for 10,000 requirements.
    """
    dumps = functools.partial(json.dumps, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
    entries = []
    for key, value in traceability_document(analysis).items():
        if isinstance(value, list) and value:
            items = ",\n".join("    " + dumps(item) for item in value)
            entries.append(f"  {dumps(key)}: [\n{items}\n  ]")
        else:
            entries.append(f"  {dumps(key)}: {dumps(value)}")
    return "{\n" + ",\n".join(entries) + "\n}\n"


def traceability_json_schema() -> dict[str, Any]:
    """The JSON Schema of traceability.json, as shipped in the package."""
    text = files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def traceability_document(analysis: Analysis) -> dict[str, Any]:
    """The export as plain JSON values, in the order it is written."""
    trace = analysis.trace
    return {
        "schema_version": SCHEMA_VERSION,
        "product": _product(analysis),
        "requirements": [_requirement(req, trace) for req in analysis.prd.by_id.values()],
        "requirement_groups": [group.to_dict() for group in analysis.prd.groups],
        "prd_items": [item.to_dict() for item in analysis.prd.items],
        **_architecture(analysis.arch, trace),
        "coverage": _coverage(analysis, trace),
        "diagnostics": [
            {**diagnostic.to_dict(), "severity": analysis.severity(diagnostic).value}
            for diagnostic in analysis.diagnostics
        ],
        "todos": [todo.to_dict() for todo in analysis.todos],
    }


def _product(analysis: Analysis) -> dict[str, Any]:
    arch = analysis.arch
    return {
        "name": arch.product if arch else None,
        "version": arch.version if arch else None,
        "status": arch.status if arch else None,
        "date": arch.date if arch else None,
        "authors": list(arch.authors) if arch else [],
        "prd_title": analysis.prd.title,
        "prd_files": list(analysis.prd.files),
    }


def _requirement(req: Requirement, trace: Trace | None) -> dict[str, Any]:
    """Every field the PRD parser extracts, then what addresses the requirement."""
    links = trace.requirements.get(req.id) if trace is not None else None
    return {
        **req.to_dict(),
        "addressed_by": _addressed_by(links),
        "addressers": [{"kind": a.kind, "key": a.key} for a in links.addressers] if links else [],
        "covered": links.covered if links is not None else False,
    }


def _addressed_by(links: RequirementTrace | None) -> dict[str, list[str]]:
    if links is None:
        return {key: [] for key in ADDRESSED_BY_KEYS}
    return {
        "goals": [goal.goal for goal in links.goals],
        "stack": [entry.name for entry in links.stack],
        "services": [service.name for service in links.services],
        "components": [component.id for component in links.components],
        "entities": [entity.name for entity in links.entities],
        "endpoints": [f"{endpoint.method} {endpoint.path}" for endpoint in links.endpoints],
        "decisions": [decision.id for decision in links.decisions],
        "accepted_decisions": [decision.id for decision in links.accepted_decisions],
        "tradeoffs": [tradeoff.title for tradeoff in links.tradeoffs],
        "sections": list(links.sections),
        "patterns": [pattern.name for pattern in links.patterns],
        "external_systems": [system.name for system in links.external_systems],
        "interfaces": [interface.key for interface in links.interfaces],
        "flows": [flow.id for flow in links.flows],
        "risks": [risk.id for risk in links.risks],
    }


def _coverage(analysis: Analysis, trace: Trace | None) -> dict[str, Any]:
    figures = analysis.coverage
    fr = Coverage(figures.fr_covered, figures.fr_total)
    nfr = Coverage(figures.nfr_covered, figures.nfr_total)
    return {
        "functional": _figures(fr, trace.uncovered_frs if trace else analysis.prd.functional),
        "non_functional": _figures(nfr, trace.uncovered_nfrs if trace else analysis.prd.non_functional),
    }


def _figures(coverage: Coverage, uncovered: Iterable[Requirement]) -> dict[str, Any]:
    return {
        "covered": coverage.covered,
        "total": coverage.total,
        "ratio": round(coverage.ratio, 4),
        "uncovered": [req.id for req in uncovered],
    }


def _architecture(arch: Architecture | None, trace: Trace | None) -> dict[str, Any]:
    """The items of architecture.yml by kind; empty when it could not be read."""
    if arch is None or trace is None:
        return {key: None if key in ("pattern", "api", "context") else [] for key in _ARCHITECTURE_KEYS}
    items = _ArchItems(trace)
    endpoints = arch.api.endpoints if arch.api else []
    superseded_by: dict[str, list[str]] = {}
    for decision in arch.decisions:
        for old in decision.supersedes:
            superseded_by.setdefault(old, []).append(decision.id)
    api = items.dump(arch.api) if arch.api else None
    if api is not None:
        del api["endpoints"]  # the top-level `endpoints` hold them
    return {
        "goals": [items.dump(goal) for goal in (arch.overview.goals if arch.overview else [])],
        "stack": [items.dump(entry) for entry in arch.stack],
        "services": [items.dump(service) for service in arch.services],
        "pattern": items.dump(arch.pattern) if arch.pattern else None,
        "components": [items.dump(component) for component in arch.components],
        "entities": [items.dump(entity) for entity in arch.entities],
        "api": api,
        "endpoints": [items.dump(e, first={"id": f"{e.method} {e.path}"}) for e in endpoints],
        "sections": [items.dump(section, first={"key": key}) for key, section in arch.prose_sections()],
        "decisions": [items.dump(d, last={"superseded_by": superseded_by.get(d.id, [])}) for d in arch.decisions],
        "tradeoffs": [items.dump(tradeoff) for tradeoff in arch.tradeoffs],
        "patterns": [items.dump(pattern) for pattern in arch.patterns],
        "context": _context(arch, items),
        "interfaces": [items.dump(i, first={"id": i.key}) for i in arch.interfaces],
        "flows": [items.dump(flow) for flow in arch.flows],
        "risks": [items.dump(risk) for risk in arch.risks],
        "source_tree": [items.dump(entry) for entry in arch.source_tree],
    }


def _context(arch: Architecture, items: _ArchItems) -> dict[str, Any] | None:
    if arch.context is None:
        return None
    return {
        "people": [items.dump(person) for person in arch.context.people],
        "external_systems": [items.dump(system) for system in arch.context.external_systems],
        "source": items.dump(arch.context)["source"],
    }


_ARCHITECTURE_KEYS = (
    "goals", "stack", "services", "pattern", "components", "entities", "api", "endpoints",
    "sections", "decisions", "tradeoffs", "patterns", "context", "interfaces", "flows", "risks",
    "source_tree",
)


class _ArchItems:
    """architecture.yml items as JSON objects, with resolved requirement ids and sources."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace

    def dump(self, item: ArchModel, first: dict[str, Any] | None = None,
             last: dict[str, Any] | None = None) -> dict[str, Any]:
        """The item's fields as written (defaults filled in), `first` before them, `last` and
        its `source` after them; `requirements` as the PRD ids it names."""
        data = {**(first or {}), **item.model_dump(mode="json", by_alias=True), **(last or {})}
        if "requirements" in data:
            data["requirements"] = list(self.trace.requirements_of(item))
        file, line = item.source
        data["source"] = {"file": file, "line": line}
        return data
