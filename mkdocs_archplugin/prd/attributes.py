"""Reading a requirement's attributes from its text: targets, priority, category."""

from __future__ import annotations

import re

_COMPARATOR = (
    r"(?:[<>≤≥]=?|<=|>=|~|under|below|within|at least|at most|less than|more than|fewer than|"
    r"greater than|up to|over|above|exceed(?:s|ing)?|minimum(?: of)?|maximum(?: of)?|max\.?|min\.?)"
)
_UNIT = (
    r"(?:%|‰|ms|µs|us|ns|milliseconds?|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|"
    r"weeks?|months?|years?|[KMGTP]i?B(?:/s)?|bytes?|kbps|[KMG]bps|"
    r"(?:concurrent |simultaneous |active |daily |monthly )?(?:users?|sessions?|connections?|"
    r"requests?|transactions?|events?|messages?|records?|rows?|items?|files?|tenants?|devices?|"
    r"visitors?|queries|calls|jobs|documents?)(?:\s*(?:/|per)\s*(?:s|sec(?:ond)?|min(?:ute)?|h(?:our)?|day))?|"
    r"rps|qps|tps|req/s|fps|m/s|km/h|dB|[kMG]?Hz|°C|°F|[AVW]\b|x|×|findings?|violations?|errors?|failures?|"
    r"incidents?|defects?|(?:[a-z-]+ ){0,2}(?:updates?|pings?|writes?|reads?|examples?|jobs?|requirements?|"
    r"pages?|needs?)(?:\s*(?:/|per)\s*(?:s|sec(?:ond)?|min(?:ute)?|h(?:our)?|day|month|year))?)"
)
_PERCENTILE = r"(?:\s*\(?\s*(?:p|P)\d{2,3}(?:\.\d+)?\s*\)?)?"
_SCALE = r"(?:\s?(?:k|K|thousand|million|billion|M|bn)\b)?"
_NUMBER = re.compile(r"(?<![\w.])\d[\d,  ]*(?:\.\d+)?")
_AFTER_NUMBER = re.compile(rf"{_SCALE}\s?{_UNIT}(?![A-Za-z]){_PERCENTILE}", re.IGNORECASE)
_BEFORE_NUMBER = re.compile(rf"{_COMPARATOR}\s*$", re.IGNORECASE)


def find_targets(text: str) -> tuple[str, ...]:
    """Measurable values in a requirement's text (`< 200 ms p95`, `99.9 %`, `10,000 users`).

    Numbers are found first and only then their unit and comparator are matched around
    them: one pass over the text, not an alternation tried at every position.
    """
    found: dict[str, None] = {}  # ordered and deduplicated in linear time
    for number in _NUMBER.finditer(text):
        unit = _AFTER_NUMBER.match(text, number.end())
        if unit is None:
            continue
        start = number.start()
        comparator = _BEFORE_NUMBER.search(text[max(0, start - 24):start])
        if comparator:
            start -= len(comparator.group(0))
        found.setdefault(" ".join(text[start:unit.end()].split()))
    return tuple(found)


_PRIORITY_WORDS = {
    "must": "Must",
    "must have": "Must",
    "must-have": "Must",
    "should": "Should",
    "should have": "Should",
    "should-have": "Should",
    "could": "Could",
    "could have": "Could",
    "nice to have": "Could",
    "won't": "Won't",
    "wont": "Won't",
    "won't have": "Won't",
    "critical": "Critical",
    "high": "High",
    "medium": "Medium",
    "med": "Medium",
    "low": "Low",
}
_PRIORITY_REGEX = re.compile(
    r"^\s*(P[0-4]|must[- ]have|should[- ]have|could[- ]have|won'?t(?: have)?|nice to have|"
    r"must|should|could|critical|high|medium|med|low)\b",
    re.IGNORECASE,
)
PRIORITY_FIELD_REGEX = re.compile(r"\bpriority\s*[:=]\s*\**\s*([^\n.;,)*]+)", re.IGNORECASE)


def normalise_priority(value: str) -> str | None:
    """Must/Should/Could/Won't, P0–P4, Critical/High/Medium/Low from a cell, tag or field."""
    match = _PRIORITY_REGEX.match(value.strip().strip("*[]()"))
    if not match:
        return None
    word = match.group(1)
    if word[0] in "pP" and word[1:].isdigit():
        return word.upper()
    return _PRIORITY_WORDS.get(word.lower().replace("’", "'"), word.title())


#: Id segments and heading words that name an NFR category.
CATEGORY_NAMES = {
    "PERF": "Performance",
    "PERFORMANCE": "Performance",
    "SEC": "Security",
    "SECURITY": "Security",
    "REL": "Reliability",
    "RELIABILITY": "Reliability",
    "AVAIL": "Availability",
    "AVA": "Availability",
    "AVAILABILITY": "Availability",
    "SCAL": "Scalability",
    "SCA": "Scalability",
    "SCALABILITY": "Scalability",
    "USE": "Usability",
    "USAB": "Usability",
    "USABILITY": "Usability",
    "UX": "Usability",
    "ACC": "Accessibility",
    "A11Y": "Accessibility",
    "ACCESSIBILITY": "Accessibility",
    "MAINT": "Maintainability",
    "MAINTAINABILITY": "Maintainability",
    "OBS": "Observability",
    "OBSERVABILITY": "Observability",
    "PRIV": "Privacy",
    "PRIVACY": "Privacy",
    "COMP": "Compliance",
    "COMPLIANCE": "Compliance",
    "PORT": "Portability",
    "PORTABILITY": "Portability",
    "COMPAT": "Compatibility",
    "COMPATIBILITY": "Compatibility",
    "DATA": "Data",
    "OPS": "Operations",
    "I18N": "Internationalisation",
    "L10N": "Localisation",
}


def category_from_segment(segment: str) -> str:
    """`PERF` → `Performance`; an unknown segment is kept as written (`PM`)."""
    return CATEGORY_NAMES.get(segment.upper(), segment)


def known_category(title: str) -> str | None:
    """A title that is itself a category name (`### NFR-1: Performance`)."""
    words = re.sub(r"\(.*?\)", "", title).strip()
    return CATEGORY_NAMES.get(words.upper().replace(" ", ""))


_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+")


def strip_numbering(title: str) -> str:
    """`6.1 Project and Task Management` → `Project and Task Management`."""
    return _NUMBERING.sub("", title).strip()
