"""What a PRD defines: requirements and the other product knowledge, each with its source line."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

from mkdocs_archplugin.diagnostics import Diagnostic

Kind = Literal["functional", "non-functional"]


@dataclass(frozen=True)
class Source:
    """Where a definition starts: a PRD file (as given) and its 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Requirement:
    """One functional or non-functional requirement defined by the PRD."""

    id: str
    kind: Kind
    title: str
    text: str
    source: Source
    category: str | None = None
    priority: str | None = None
    targets: tuple[str, ...] = ()
    acceptance: tuple[str, ...] = ()
    parent: str | None = None
    #: True when the PRD gave no id and the parser derived one (`requirement-without-id`).
    derived_id: bool = False
    #: The Markdown shape of the definition (`heading`, `list`, `table`, `paragraph`) and
    #: the last line of its first block: where backlinks go on the PRD page.
    shape: str = "list"
    end_line: int = 0

    @property
    def is_nfr(self) -> bool:
        return self.kind == "non-functional"

    def to_dict(self) -> dict[str, object]:
        # Field by field: `dataclasses.asdict` deep-copies every value, a second per 10,000.
        data = {field.name: getattr(self, field.name) for field in fields(self)}
        data["source"] = {"file": self.source.file, "line": self.source.line}
        data["targets"] = list(self.targets)
        data["acceptance"] = list(self.acceptance)
        return data


@dataclass(frozen=True)
class RequirementGroup:
    """A hierarchical parent id (`FR1` grouping `FR1.1…FR1.8`): kept, but not a requirement."""

    id: str
    kind: Kind
    title: str
    source: Source
    children: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "children": list(self.children),
            "source": {"file": self.source.file, "line": self.source.line},
        }


ItemKind = Literal[
    "persona",
    "use-case",
    "user-story",
    "epic",
    "story",
    "constraint",
    "assumption",
    "dependency",
    "glossary",
]


@dataclass(frozen=True)
class PrdItem:
    """Other PRD knowledge: a persona, use case, story, constraint, glossary term, …"""

    kind: ItemKind
    title: str
    text: str
    source: Source
    id: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "source": {"file": self.source.file, "line": self.source.line},
        }


@dataclass(frozen=True)
class Prd:
    """The parsed PRD: requirements in document order, groups, other items, diagnostics."""

    files: tuple[str, ...]
    requirements: tuple[Requirement, ...] = ()
    groups: tuple[RequirementGroup, ...] = ()
    items: tuple[PrdItem, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    title: str | None = None
    _index: dict[str, Requirement] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # First definition wins; later ones are `duplicate-requirement` diagnostics.
        for req in self.requirements:
            self._index.setdefault(req.id, req)

    @property
    def by_id(self) -> dict[str, Requirement]:
        return self._index

    @property
    def functional(self) -> list[Requirement]:
        return [r for r in self.by_id.values() if not r.is_nfr]

    @property
    def non_functional(self) -> list[Requirement]:
        return [r for r in self.by_id.values() if r.is_nfr]

    def items_of(self, kind: ItemKind) -> list[PrdItem]:
        return [item for item in self.items if item.kind == kind]
