"""What the parser looks for: the id grammar and the words that name sections.

Defaults cover BMAD, spec-kit, Kiro, IEEE-830-style SRS documents and free-form PRDs;
every field is configurable from `mkdocs.yml` (`id_patterns`, `section_words`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

#: FR-001, FR1, FR-1.2, FR_12, NFR-001, NFR-PERF-01, NFR1, FR-PM-01 (case-sensitive prefixes).
DEFAULT_ID_PATTERN = r"(?:NFR|FR)(?:[-_ ]?[A-Z][A-Z0-9]*)?[-_]?\d+(?:\.\d+)*"

#: Heading ids in Kiro's `requirements.md` ("### Requirement 3: Title") become `REQ-3`.
DEFAULT_NUMBERED_HEADING_WORDS = ("Requirement",)

DEFAULT_SECTION_WORDS: dict[str, tuple[str, ...]] = {
    # Checked in this order: "non-functional" must win over "functional".
    "non-functional": (
        "non-functional",
        "non functional",
        "nonfunctional",
        "quality attribute",
        "quality requirement",
        "非功能",
    ),
    "functional": ("functional", "功能需求", "功能要求"),
    "requirements": ("requirements", "需求"),
    # Sections that only ever mention ids: their rows and items are never definitions.
    "mentions": (
        "traceability",
        "matrix",
        "change log",
        "changelog",
        "revision",
        "document history",
        "document control",
        "version history",
        "coverage",
    ),
    "persona": ("persona", "target user", "user role", "actors", "用户角色", "stakeholder"),
    "use-case": ("use case",),
    "user-story": ("user stor",),
    "epic": ("epic",),
    "constraint": ("constraint",),
    "assumption": ("assumption",),
    "dependency": ("dependenc",),
    "glossary": ("glossary", "definitions", "terminology", "acronyms", "术语"),
}


@dataclass(frozen=True)
class PrdSettings:
    """The configurable parts of the PRD grammar."""

    id_patterns: tuple[str, ...] = (DEFAULT_ID_PATTERN,)
    #: An id whose prefix is one of these is non-functional; every other id is functional.
    non_functional_prefixes: tuple[str, ...] = ("NFR", "NF", "QR")
    numbered_heading_words: tuple[str, ...] = DEFAULT_NUMBERED_HEADING_WORDS
    section_words: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_SECTION_WORDS)
    )

    def __hash__(self) -> int:
        return hash((self.id_patterns, self.non_functional_prefixes, self.numbered_heading_words,
                     tuple(sorted(self.section_words.items()))))

    @cached_property
    def id_regex(self) -> re.Pattern[str]:
        """Any requirement id, delimited so `XFR-1` or `FR-1a` are not ids."""
        alternatives = "|".join(f"(?:{p})" for p in self.id_patterns)
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-]*\w)")

    @cached_property
    def numbered_heading_regex(self) -> re.Pattern[str]:
        words = "|".join(re.escape(w) for w in self.numbered_heading_words)
        return re.compile(rf"^(?:{words})\s+(\d+(?:\.\d+)*)\b", re.IGNORECASE)

    def kind_of(self, requirement_id: str) -> str:
        """`non-functional` when the id starts with a non-functional prefix."""
        upper = requirement_id.upper()
        for prefix in self.non_functional_prefixes:
            if upper.startswith(prefix) and not upper[len(prefix) : len(prefix) + 1].isalpha():
                return "non-functional"
        return "functional"

    def section_role(self, title: str) -> str | None:
        """The first role whose words appear in a heading title, in DEFAULT order."""
        lowered = title.lower()
        for role, words in self.section_words.items():
            if any(word in lowered for word in words):
                return role
        return None
