"""Next steps: one actionable item per gap, for `todo.md` and the `todos` of the JSON export.

Every diagnostic whose code is in TODO_ACTIONS becomes exactly one todo; architecture items
that are valid but unfinished (a proposed decision, a component without a location, an
endpoint without auth) add todos of their own kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs_archplugin.analysis.traceability import Trace
from mkdocs_archplugin.architecture.model import Architecture
from mkdocs_archplugin.diagnostics import Diagnostic
from mkdocs_archplugin.prd.model import Prd

#: Diagnostic code → (rank, short title, what to do). Lower rank comes first.
TODO_ACTIONS: dict[str, tuple[int, str, str]] = {
    "yaml-invalid": (0, "Fix architecture.yml", "make the file valid YAML again"),
    "schema-invalid": (0, "Fix architecture.yml", "correct the value so it matches the schema"),
    "nfr-without-decision": (1, "Decide how to meet an NFR",
                             "record the architectural choice that meets it (see the hint) and name the NFR there"),
    "fr-without-component": (2, "Assign an FR", "name it in the `requirements` of a component, entity or endpoint"),
    "unknown-requirement": (3, "Fix a requirement reference", "use an id the PRD defines, or define it"),
    "unknown-reference": (3, "Fix a reference", "point it at an existing component, entity or decision"),
    "duplicate-id": (3, "Rename a duplicate", "give each component and decision its own id"),
    "duplicate-requirement": (3, "Rename a duplicate requirement", "give each requirement its own id"),
    "requirement-without-id": (4, "Give a requirement an id", "start the item with an id such as FR-001"),
    "decision-without-requirement": (4, "Trace a decision", "name the requirements it serves"),
    "dependency-cycle": (5, "Break a dependency cycle", "remove one `depends_on` or `supersedes` edge of the loop"),
}

@dataclass(frozen=True, order=True)
class Todo:
    """One next step: what, where, and the requirement it serves."""

    rank: int
    file: str
    line: int
    kind: str  # a diagnostic code, or decision-proposed / risk-unmitigated / component-incomplete / endpoint-without-auth
    title: str
    action: str
    requirement: str | None = None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def code(self) -> str:
        return self.kind

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "title": self.title,
            "action": self.action,
            "requirement": self.requirement,
            "file": self.file,
            "line": self.line,
        }


def build_todos(prd: Prd, arch: Architecture | None, trace: Trace | None,
                diagnostics: list[Diagnostic]) -> list[Todo]:
    """The todo list: gaps from the diagnostics, then unfinished architecture items; sorted."""
    todos: list[Todo] = []
    for diagnostic in diagnostics:
        entry = TODO_ACTIONS.get(diagnostic.code)
        if entry is None:
            continue
        rank, title, action = entry
        todos.append(Todo(rank, diagnostic.file, diagnostic.line, diagnostic.code, title,
                          f"{diagnostic.message}: {action}", diagnostic.requirement))
    if arch is not None:
        for decision in arch.decisions:
            if decision.status == "proposed":
                file, line = decision.source
                first = (trace.requirements_of(decision)[:1] if trace else []) or [None]
                todos.append(Todo(6, file, line, "decision-proposed", f"Accept or reject {decision.id}",
                                  f"decision {decision.id} ({decision.title}) is still proposed", first[0]))
        for component in arch.components:
            missing = [name for name, value in (("location", component.location),
                                                ("technology", component.technology)) if not value]
            if missing:
                file, line = component.source
                first = (trace.requirements_of(component)[:1] if trace else []) or [None]
                todos.append(Todo(7, file, line, "component-incomplete", f"Complete component {component.id}",
                                  f"add its {' and '.join(missing)}", first[0]))
        for risk in arch.risks:
            if risk.status == "open" and not risk.mitigation:
                file, line = risk.source
                first = (trace.requirements_of(risk)[:1] if trace else []) or [None]
                todos.append(Todo(6, file, line, "risk-unmitigated", f"Mitigate risk {risk.id}",
                                  f"risk {risk.id} ({risk.title}) is open and has no `mitigation`", first[0]))
        for endpoint in arch.api.endpoints if arch.api else []:
            if not endpoint.auth:
                file, line = endpoint.source
                first = (trace.requirements_of(endpoint)[:1] if trace else []) or [None]
                todos.append(Todo(7, file, line, "endpoint-without-auth",
                                  f"Say who may call {endpoint.method} {endpoint.path}",
                                  "set its `auth` (use `none` for a public endpoint)", first[0]))
    return sorted(todos)
