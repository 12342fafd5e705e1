"""One build's analysis: the inputs, every diagnostic with its configured severity, todos, coverage."""

from __future__ import annotations

from dataclasses import dataclass, field

from mkdocs_archplugin.analysis.checks import check_traceability
from mkdocs_archplugin.analysis.todos import Todo, build_todos
from mkdocs_archplugin.analysis.traceability import DEFAULT_ADDRESSED_BY, Trace, build_trace
from mkdocs_archplugin.architecture.sql import DEFAULT_DIALECT
from mkdocs_archplugin.architecture.model import Architecture
from mkdocs_archplugin.diagnostics import Diagnostic, Severity, severity_of
from mkdocs_archplugin.prd.model import Prd


@dataclass(frozen=True)
class Analysis:
    """Everything the pages, exports and the CLI report come from."""

    prd: Prd
    arch: Architecture | None
    trace: Trace | None
    diagnostics: tuple[Diagnostic, ...]
    todos: tuple[Todo, ...]
    checks: dict[str, str] = field(default_factory=dict)
    #: What may address an NFR on this site (the `addressed_by` option).
    addressed_by: tuple[str, ...] = DEFAULT_ADDRESSED_BY

    def severity(self, diagnostic: Diagnostic) -> Severity:
        return severity_of(diagnostic.code, self.checks)

    @property
    def reported(self) -> list[tuple[Severity, Diagnostic]]:
        """Diagnostics not set to `ignore`, with their severities, in a stable order."""
        pairs = [(self.severity(d), d) for d in self.diagnostics]
        return [(s, d) for s, d in pairs if s is not Severity.IGNORE]

    @property
    def failing(self) -> list[Diagnostic]:
        """What fails `mkdocs build --strict` and `archplugin check`."""
        return [d for s, d in self.reported if s.fails_strict]

    @property
    def coverage(self) -> CoverageFigures:
        if self.trace is None:
            return CoverageFigures(0, len(self.prd.functional), 0, len(self.prd.non_functional))
        fr, nfr = self.trace.fr_coverage, self.trace.nfr_coverage
        return CoverageFigures(fr.covered, fr.total, nfr.covered, nfr.total)

    def summary_line(self) -> str:
        """The one INFO line a build ends with."""
        arch = self.arch
        cov = self.coverage
        endpoints = len(arch.api.endpoints) if arch and arch.api else 0
        problems = len(self.failing)
        return (
            f"{len(arch.components) if arch else 0} components, {len(arch.entities) if arch else 0} entities, "
            f"{endpoints} endpoints, {len(arch.decisions) if arch else 0} decisions; "
            f"FR coverage {cov.fr_covered}/{cov.fr_total}, NFR coverage {cov.nfr_covered}/{cov.nfr_total}; "
            f"{problems} problem{'s' if problems != 1 else ''}."
        )


@dataclass(frozen=True)
class CoverageFigures:
    """FRs covered by a component, entity, endpoint or interface; NFRs addressed (`addressers`)."""

    fr_covered: int
    fr_total: int
    nfr_covered: int
    nfr_total: int


def analyse(
    prd: Prd,
    arch: Architecture | None,
    input_diagnostics: list[Diagnostic],
    checks: dict[str, str] | None = None,
    addressed_by: tuple[str, ...] = DEFAULT_ADDRESSED_BY,
    schema_dialect: str = DEFAULT_DIALECT,
) -> Analysis:
    """Cross-check the PRD and the architecture, and derive the todos from what is missing."""
    diagnostics = list(prd.diagnostics) + list(input_diagnostics)
    trace = None
    if arch is not None:
        trace = build_trace(prd, arch, addressed_by)
        diagnostics += check_traceability(prd, arch, trace, schema_dialect)
    todos = build_todos(prd, arch, trace, diagnostics)
    return Analysis(prd, arch, trace, tuple(diagnostics), tuple(todos), dict(checks or {}), tuple(addressed_by))
