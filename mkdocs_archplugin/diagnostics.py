"""The Diagnostic value shared by every part of the product, and its severities."""

from __future__ import annotations

import enum
from dataclasses import dataclass


def one_line(text: str) -> str:
    """A message on one line whatever the input it quotes (a name may hold a line break)."""
    return " ".join(text.splitlines())


class ArchPluginError(Exception):
    """The one error that stops everything (no PRD, unreadable input root).

    Problems *inside* inputs are Diagnostics returned with results, never exceptions.
    """

    def __init__(self, message: str, hint: str = "", code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        #: `prd-missing` / `prd-invalid` when the error is about the user's PRD.
        self.code = code

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}" if self.code else self.message
        return one_line(f"{text} (hint: {self.hint})" if self.hint else text)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARN = "warn"
    INFO = "info"
    IGNORE = "ignore"

    @property
    def fails_strict(self) -> bool:
        """Whether `mkdocs build --strict` (and `archplugin check`) fail on it."""
        return self in (Severity.ERROR, Severity.WARN)


#: Every diagnostic code the product emits, with its default severity (PRODUCT.md 4).
DEFAULT_SEVERITIES: dict[str, Severity] = {
    "prd-missing": Severity.ERROR,
    "prd-invalid": Severity.ERROR,
    "yaml-invalid": Severity.ERROR,
    "schema-invalid": Severity.ERROR,
    "nfr-without-decision": Severity.WARN,
    "unknown-requirement": Severity.WARN,
    "duplicate-requirement": Severity.WARN,
    "requirement-without-id": Severity.WARN,
    "duplicate-id": Severity.WARN,
    "unknown-reference": Severity.WARN,
    "fr-without-component": Severity.WARN,
    "decision-without-requirement": Severity.WARN,
    "unknown-marker": Severity.WARN,
    "schema-drift": Severity.WARN,
    "schema-outdated": Severity.WARN,
    "dependency-cycle": Severity.INFO,
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem in the user's inputs: `file:line:column: code: message`."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    #: The PRD requirement the problem is about, when there is one: todos and pages link it
    #: from here, never by reading the message.
    requirement: str | None = None

    def __post_init__(self) -> None:
        if self.code not in DEFAULT_SEVERITIES:
            raise ValueError(f"unknown diagnostic code {self.code!r}")

    @property
    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self) -> str:
        """The one-line form shown in logs and the CLI, hint included."""
        text = f"{self.location}: {self.code}: {self.message}"
        return one_line(f"{text} (hint: {self.hint})" if self.hint else text)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def severity_of(code: str, overrides: dict[str, str] | None = None) -> Severity:
    """The configured severity of a code: the user's `checks:` override, else the default."""
    if overrides and code in overrides:
        return Severity(overrides[code])
    return DEFAULT_SEVERITIES[code]
