"""Safe text and paths for generated Markdown: slugs that never escape `output_dir`, escaping.

The policy (docs: "Raw HTML in inputs"): plain-text fields taken from the PRD or
architecture.yml (titles, names, ids, table cells) are escaped so they render as the text
that was written; prose fields (`context`, `rationale`, `security`, …) are Markdown, with raw
HTML tags and `javascript:` links neutralised, since a generated page must not run a
contributor's script in a reader's browser.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
#: File names that Windows refuses, or that MkDocs treats specially inside a folder.
_RESERVED = {"con", "prn", "aux", "nul", "index", "readme", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
MAX_SLUG = 60


def slug(text: str) -> str:
    """A lower-case ASCII slug for a path segment or anchor: `../ADR 7` → `adr-7`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = _SLUG_UNSAFE.sub("-", ascii_text.lower()).strip("-")[:MAX_SLUG].strip("-")
    if not value:
        value = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if value in _RESERVED:
        value += "-1"
    return value


def unique_slugs(ids: list[str]) -> dict[str, str]:
    """A slug per id, unique even when ids collide after slugging (`ADR 1` / `adr-1`).

    Ids are taken in sorted order, so the same ids always get the same slugs.
    """
    taken: set[str] = set()
    result: dict[str, str] = {}
    for item_id in sorted(set(ids)):
        base = slug(item_id)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        result[item_id] = candidate
    return result


def requirement_anchor(requirement_id: str) -> str:
    """The stable anchor of a requirement on the PRD page: `FR-1.2` → `req-fr-1-2`."""
    return "req-" + slug(requirement_id)


def relative_link(from_page: str, to_path: str, anchor: str = "") -> str:
    """A link from one docs-relative page to another, as MkDocs resolves Markdown links."""
    target = "" if to_path == from_page else _relative_path(posixpath.dirname(from_page) or ".", to_path)
    return f"{target}#{anchor}" if anchor else target


@functools.lru_cache(maxsize=65536)
def _relative_path(from_dir: str, to_path: str) -> str:
    # A site links the same few folders thousands of times: relpath is worth remembering.
    return posixpath.relpath(to_path, from_dir)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|{}!])")


def plain(text: object) -> str:
    """Input text shown as written: HTML and Markdown syntax escaped, on one line."""
    if text is None:
        return ""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;")
    return _MARKDOWN_SPECIAL.sub(lambda m: "&lt;" if m.group(1) == "<" else "&gt;" if m.group(1) == ">"
                                 else "\\" + m.group(1), value)


_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_SCRIPT_LINK = re.compile(r"\]\(\s*(?:javascript|vbscript|data):", re.IGNORECASE)


def prose(text: object) -> str:
    """Input Markdown kept as Markdown, with raw HTML tags and script links neutralised."""
    if text is None:
        return ""
    value = _TAG.sub("&lt;", str(text).strip())
    return _SCRIPT_LINK.sub("](#unsafe-link-removed:", value)


def inline_prose(text: object) -> str:
    """Prose for a table cell or a list item: one line, pipes escaped."""
    return " ".join(prose(text).split()).replace("|", "\\|")
