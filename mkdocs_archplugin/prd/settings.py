"""What the parser looks for: the id grammar and the words that name sections.

Defaults cover BMAD, spec-kit, Kiro, IEEE-830-style SRS documents and free-form PRDs;
every field is configurable from `mkdocs.yml` (`id_patterns`, `section_words`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

#: FR-001, FR1, FR-1.2, FR_12, NFR-001, NFR-PERF-01, NFR1, FR-PM-01, FR-ADMIN-AUTH-01,
#: FR-PI-001A, FR-2a, FR-6-1 (case-sensitive prefixes; segments are letters; numbers joined
#: by dots or hyphens; one letter may end the id).
DEFAULT_ID_PATTERN = r"(?:NFR|FR)(?:[-_][A-Z]+)*[-_ ]?\d+(?:[.-]\d+)*[A-Za-z]?"

#: Any id-shaped token: an upper-case prefix (segments joined by `-` or `_`), an optional
#: separator, a number with optional dotted parts, an optional letter (`F-01`, `R2.1.3`,
#: `REQ-F-12`, `PF-004`, `SYS-REQ-4`, `A11Y-001`: digits inside a prefix are followed by a
#: letter). Family detection looks for these at the start of items.
ID_SHAPE = re.compile(
    r"(?<![\w-])(?P<prefix>[A-Z](?:[A-Z]|\d+[A-Z])*(?:[-_][A-Z](?:[A-Z]|\d+[A-Z])*)*)(?P<sep>[-_]?)(?P<number>\d+(?:[.-]\d+)*)[A-Za-z]?(?![\w-]*\w)"
)

#: Prefixes of id families that are not requirements unless `id_patterns` names them: user
#: stories, use cases, acceptance criteria, test cases, technical requirements, risks, epics,
#: stories, milestones, goals, decisions, user requirements; and priorities / versions / quarters.
DISTRACTOR_PREFIXES = (
    "US", "UST", "STORY", "UC", "AC", "TC", "TS", "T", "TEST", "TR", "TEX", "RISK", "RSK", "RK",
    "EPIC", "E", "S", "M", "MS", "G", "GOAL", "O", "OBJ", "OKR", "KR", "KPI", "SM", "ADR", "DEC",
    "D", "UR", "C", "CON", "A", "ASM", "DEP", "NG", "OQ", "TASK", "TSK", "SPRINT",
    "P", "V", "Q", "H", "BUG", "ISSUE", "CVE", "CWE", "ISO", "IEC", "RFC", "STEP", "PHASE",
)

#: Heading ids in Kiro's `requirements.md` ("### Requirement 3: Title") become `REQ-3`.
DEFAULT_NUMBERED_HEADING_WORDS = ("Requirement", "需求", "要件", "요구사항", "Requisito", "Anforderung",
                                  "Exigence", "Требование", "Persyaratan", "Kebutuhan", "Yêu cầu")

DEFAULT_SECTION_WORDS: dict[str, tuple[str, ...]] = {
    # Checked in this order, on word starts: the first role whose words appear wins.
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
    # Sections that define no requirement of their own, whatever else their title says.
    "other": ("other", "additional", "miscellaneous", "technical requirement", "out of scope",
              "non-goal", "lainnya", "其他"),
    # "non-functional" must be checked before "functional".
    "non-functional": (
        "non-functional",
        "non functional",
        "nonfunctional",
        "quality attribute",
        "quality requirement",
        "非功能",
        "nicht-funktional",
        "nichtfunktional",
        "no funcional",
        "não funcional",
        "não funcionais",
        "non fonctionnel",
        "non-fonctionnel",
        "non funzional",
        "non-fungsional",
        "non fungsional",
        "phi chức năng",
        "非機能",
        "비기능",
        "нефункциональн",
    ),
    # Words in scripts without spaces are compounds: `功能` alone also means "feature".
    "functional": ("functional", "功能需求", "功能要求", "功能性需求", "機能要件", "機能要求", "기능 요구",
                   "기능요구", "funktional", "funcional", "funcionais", "fonctionnel", "funzional",
                   "fungsional", "chức năng", "функциональн"),
    "requirements": ("requirement", "需求", "要求", "要件", "요구", "anforderung", "requisito", "exigence",
                     "yêu cầu", "kebutuhan", "persyaratan", "требовани"),
    # Planning sections: goals, metrics and roadmaps number their items too.
    "planning": ("goal", "objective", "success metric", "kpi", "milestone", "roadmap", "timeline",
                 "release plan", "open question", "future", "risk", "success criteria",
                 "measurable outcome", "acceptance criteria"),
    "persona": ("persona", "target user", "actor", "用户角色", "stakeholder"),
    "use-case": ("use case", "use-case"),
    "user-story": ("user story", "user stories"),
    "epic": ("epic",),
    "constraint": ("constraint",),
    "assumption": ("assumption",),
    "dependency": ("dependency", "dependencies"),
    "glossary": ("glossary", "definition", "terminology", "acronym", "术语"),
}

#: Heading words that name a quality: an id family defined under such a heading, outside any
#: section titled functional, is non-functional (`## 7. Security Requirements`, `SC-001`).
DEFAULT_QUALITY_WORDS: tuple[str, ...] = (
    "performance", "security", "safety", "reliability", "availability", "scalability",
    "usability", "ux", "accessibility", "maintainability", "portability", "compatibility",
    "compliance", "regulatory", "privacy", "quality", "accuracy", "latency", "resilience", "observability",
    "operability", "supportability", "capacity", "性能", "安全", "可用", "可靠", "隐私",
    "keamanan", "kinerja", "hiệu năng", "bảo mật", "sicherheit", "leistung", "verfügbarkeit",
    "zuverlässigkeit", "seguridad", "rendimiento", "desempeño", "disponibilidad", "segurança",
    "desempenho", "disponibilidade", "sécurité", "disponibilité", "fiabilité", "безопасност",
    "производительност", "надёжност", "надежност", "доступност", "масштабируем", "보안", "성능",
    "가용성", "セキュリティ", "可用性", "信頼性",
)


#: Plural and adjective endings after a section word, then the end of the word: English
#: `requirements`, French `fonctionnelles`, German `funktionale`, Italian `funzionali`,
#: (`functional` does not match "Functionality").
_INFLECTION = r"(?:s|es|e|en|le|les|i)?(?![^\W\d_])"


def _family_pattern(family: str) -> str:
    """The ids of a family: `REQ-` → `REQ-1`, `REQ-AUTH-001`, `REQ-2.1`, `REQ-6-1`, `REQ-2a`."""
    segments = r"(?:[A-Z]+[-_])*" if family[-1:] in "-_" else ""
    return re.escape(family) + segments + r"\d+(?:[.-]\d+)*[A-Za-z]?"


def _word_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `words` as whole words, plurals included: `ux` in "UX and Quality" (not in
    "Linux"), `requirement` in "Requirements", `functional` not in "Functionality". Words in
    scripts without spaces (`非功能`) match anywhere."""
    parts = sorted({w.lower() for w in words if w}, key=len, reverse=True)
    # One word-start lookbehind for all the words that need it: a lookbehind per alternative
    # made heading classification a tenth of the parse time.
    bounded = "|".join(re.escape(w) + (_INFLECTION if w[-1].isascii() and w[-1].isalpha() else "")
                       for w in parts if w[0].isascii() and w[0].isalnum())
    free = "|".join(re.escape(w) + (_INFLECTION if w[-1].isascii() and w[-1].isalpha() else "")
                    for w in parts if not (w[0].isascii() and w[0].isalnum()))
    alternatives = [f"(?<![^\\W\\d_])(?:{bounded})" if bounded else "", free]
    return re.compile("|".join(a for a in alternatives if a) or r"(?!)")


@dataclass(frozen=True)
class PrdSettings:
    """The configurable parts of the PRD grammar."""

    id_patterns: tuple[str, ...] = (DEFAULT_ID_PATTERN,)
    #: An id whose prefix is one of these is non-functional; an `FR` id is functional; any
    #: other id takes its kind from the section that defines it.
    non_functional_prefixes: tuple[str, ...] = ("NFR", "NF", "QR")
    functional_prefixes: tuple[str, ...] = ("FR",)
    numbered_heading_words: tuple[str, ...] = DEFAULT_NUMBERED_HEADING_WORDS
    section_words: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_SECTION_WORDS)
    )
    quality_words: tuple[str, ...] = DEFAULT_QUALITY_WORDS
    #: Look for the other id families a document defines (`F-01`, `PF-004`, `R2.1`); off when
    #: the site sets `id_patterns`, which then names every family.
    detect_families: bool = True
    distractor_prefixes: tuple[str, ...] = DISTRACTOR_PREFIXES
    #: Families found in the document (`PF-`, `R`): their ids are requirement ids too.
    families: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash((self.id_patterns, self.non_functional_prefixes, self.functional_prefixes,
                     self.numbered_heading_words, tuple(sorted(self.section_words.items())),
                     self.quality_words, self.detect_families, self.distractor_prefixes, self.families))

    @classmethod
    def from_options(cls, id_patterns: list[str] | None = None, non_functional_prefixes: list[str] | None = None,
                     section_words: dict[str, list[str]] | None = None) -> PrdSettings:
        """The settings a site's plugin options give (`id_patterns`, `non_functional_prefixes`,
        `section_words`); the CLI and the plugin both build them here, so both read a PRD alike."""
        words = {role: tuple(w) for role, w in DEFAULT_SECTION_WORDS.items()}
        for role, extra in (section_words or {}).items():
            words[role] = tuple(extra) + words.get(role, ())
        patterns = tuple(id_patterns) if id_patterns else (DEFAULT_ID_PATTERN,)
        return cls(
            id_patterns=patterns,
            non_functional_prefixes=tuple(non_functional_prefixes) if non_functional_prefixes is not None
            else cls.non_functional_prefixes,
            section_words=words,
            detect_families=patterns == (DEFAULT_ID_PATTERN,),
        )

    def with_families(self, families: tuple[str, ...]) -> PrdSettings:
        return replace(self, families=families)

    @cached_property
    def id_regex(self) -> re.Pattern[str]:
        """Any requirement id, delimited so `XFR-1` or `FR-1a` are not ids."""
        patterns = list(self.id_patterns) + [_family_pattern(prefix) for prefix in self.families]
        alternatives = "|".join(f"(?:{p})" for p in patterns)
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-]*\w)")

    @cached_property
    def numbered_heading_regex(self) -> re.Pattern[str]:
        words = "|".join(re.escape(w) for w in self.numbered_heading_words)
        return re.compile(rf"^(?:{words})\s*(\d+(?:\.\d+)*)\b", re.IGNORECASE)

    def kind_of(self, requirement_id: str) -> str | None:
        """The kind an id's prefix says (`NFR…`, `FR…`), or None: its section decides."""
        upper = requirement_id.upper()
        for prefixes, kind in ((self.non_functional_prefixes, "non-functional"),
                               (self.functional_prefixes, "functional")):
            for prefix in prefixes:
                if upper.startswith(prefix.upper()) and not upper[len(prefix): len(prefix) + 1].isalpha():
                    return kind
        return None

    def family_of(self, token: str) -> str | None:
        """The family of an id-shaped token: its first letters and the separator after them.

        `PF-` of `PF-004`, `R` of `R2.1`, `REQ-` of `REQ-AUTH-001` and of `REQ-7`: the category
        segments of one scheme belong to one family.
        """
        match = ID_SHAPE.fullmatch(token)
        if not match:
            return None
        first = re.split(r"[-_]", match.group("prefix"))[0]
        after = token[len(first): len(first) + 1]
        return first + (after if after in ("-", "_") else "")

    def is_distractor(self, family: str) -> bool:
        """User stories, use cases, acceptance criteria, … (`DISTRACTOR_PREFIXES`)."""
        return family.rstrip("-_").upper() in self._distractors

    @cached_property
    def _distractors(self) -> frozenset[str]:
        return frozenset(p.upper() for p in self.distractor_prefixes)

    @cached_property
    def _role_regexes(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(role, _word_regex(words)) for role, words in self.section_words.items()]

    @cached_property
    def _quality_regex(self) -> re.Pattern[str]:
        return _word_regex(self.quality_words)

    def section_role(self, title: str) -> str | None:
        """The first role whose words appear in a heading title, in DEFAULT order."""
        return self.section_role_word(title)[0]

    def section_role_word(self, title: str) -> tuple[str | None, str | None]:
        """The role of a heading title and the word that gave it (`--explain` shows both)."""
        lowered = title.lower()
        for role, regex in self._role_regexes:
            found = regex.search(lowered)
            if found:
                if role == "non-functional" and self._functional_regex.search(regex.sub(" ", lowered)):
                    # "Functional and Non-Functional Requirements": both kinds, so neither.
                    return "requirements", found.group(0)
                return role, found.group(0)
        return None, None

    @cached_property
    def _functional_regex(self) -> re.Pattern[str]:
        return _word_regex(self.section_words.get("functional", ()))

    def names_quality(self, title: str) -> bool:
        return self._quality_regex.search(title.lower()) is not None
