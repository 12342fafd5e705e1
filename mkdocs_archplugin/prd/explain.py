"""Why the parser read a PRD as it did: the role of each section, the id families, the counts.

`archplugin requirements --explain` prints this, so that a user who sees a wrong count knows
which rule applied and which option (`section_words`, `id_patterns`, …) bends it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from mkdocs_archplugin.prd.model import Prd
from mkdocs_archplugin.prd.parser import FAMILY_MIN_IDS, FileParse, SectionRole
from mkdocs_archplugin.prd.settings import PrdSettings


@dataclass(frozen=True)
class SectionReport:
    """One heading: its role and why, and the definitions directly under it."""

    file: str
    section: SectionRole
    identified: int
    derived: int
    restated: int

    @property
    def reason(self) -> str:
        s = self.section
        if s.defines:
            return "a requirement heading"
        if s.own_role and s.word:
            why = f"'{s.word}'"
        elif s.role:
            why = "inherited"
        else:
            why = "no section word"
        if s.quality:
            why += ", names a quality"
        return why


@dataclass(frozen=True)
class FamilyReport:
    """An id family seen at the start of items: detected, configured, or left out, and why."""

    prefix: str
    ids: int
    functional: int
    non_functional: int
    status: str  # "FR/NFR", "detected", "distractor", "too few"


@dataclass(frozen=True)
class Explanation:
    sections: tuple[SectionReport, ...]
    families: tuple[FamilyReport, ...]
    prd: Prd


def explain(parses: list[FileParse], prd: Prd, settings: PrdSettings) -> Explanation:
    """The sections, families and counts behind `prd`, parsed from `parses` with `settings`."""
    kept = {(r.source.file, r.source.line) for r in prd.requirements}
    kept.update((g.source.file, g.source.line) for g in prd.groups)
    reports: list[SectionReport] = []
    for parse in parses:
        lines = [s.line for s in parse.section_roles]
        counts: list[Counter[str]] = [Counter() for _ in lines]
        for req in parse.requirements:
            index = bisect_right(lines, req.source.line) - 1
            if index < 0:
                continue
            if not req.derived_id:
                counts[index]["identified"] += 1
            elif (req.source.file, req.source.line) in kept:
                counts[index]["derived"] += 1
            else:
                counts[index]["restated"] += 1
        for section, count in zip(parse.section_roles, counts):
            reports.append(SectionReport(parse.file, section, count["identified"], count["derived"],
                                         count["restated"]))
    return Explanation(tuple(reports), _families(parses, prd, settings), prd)


def _families(parses: list[FileParse], prd: Prd, settings: PrdSettings) -> tuple[FamilyReport, ...]:
    kinds: dict[str, Counter[str]] = {}
    for req in [*prd.requirements, *prd.groups]:
        if req.id.startswith(("FR", "NFR")) and not any(req.id.startswith(f) for f in settings.families):
            family = "FR/NFR"
        else:
            family = next((f for f in sorted(settings.families, key=len, reverse=True) if req.id.startswith(f)), None)
            if family is None:
                family = "id_patterns" if not req.derived_id else "derived"
        kinds.setdefault(family, Counter())[req.kind] += 1
    leads: dict[str, set[str]] = {}
    distractors: dict[str, set[str]] = {}
    for parse in parses:
        for prefix, ids in parse.family_leads.items():
            leads.setdefault(prefix, set()).update(ids)
        for prefix, ids in parse.distractor_leads.items():
            distractors.setdefault(prefix, set()).update(ids)
    reports = []
    for family, count in sorted(kinds.items()):
        status = "detected" if family in settings.families else family
        reports.append(FamilyReport(family, sum(count.values()), count["functional"], count["non-functional"], status))
    for prefix, ids in sorted(leads.items()):
        if prefix not in settings.families and len(ids) < FAMILY_MIN_IDS:
            reports.append(FamilyReport(prefix, len(ids), 0, 0, "too few"))
    for prefix, ids in sorted(distractors.items()):
        reports.append(FamilyReport(prefix, len(ids), 0, 0, "distractor"))
    return tuple(reports)
