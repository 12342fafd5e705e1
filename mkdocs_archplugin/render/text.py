"""Safe text and paths for generated Markdown: slugs that never escape `output_dir`, escaping.

The policy (docs/security.md, "Raw HTML in inputs"): plain-text fields taken from the PRD or
architecture.yml (titles, names, ids, table cells) are escaped so they render as the text
that was written; prose fields (`context`, `rationale`, `security`, …) are Markdown, with raw
HTML tags, links to anything but http(s), mailto or relative destinations, and attribute
lists that set attributes shown as written, since a generated page must not run a
contributor's script in a reader's browser.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import html
import posixpath
import re
import unicodedata
from collections.abc import Iterator

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


def requirement_anchors(ids: list[str]) -> dict[str, str]:
    """An anchor per requirement id, unique even when ids slug alike (`FR-1.2` and `FR_1.2`,
    ids cut at 60 characters, ids in other scripts): the first in sorted order keeps
    `req-<slug>`, the others get a suffix derived from their own text, so it stays put.
    """
    alike: dict[str, list[str]] = {}
    for requirement_id in sorted(set(ids)):
        alike.setdefault(requirement_anchor(requirement_id), []).append(requirement_id)
    anchors: dict[str, str] = {}
    for anchor, same in alike.items():
        anchors[same[0]] = anchor
        for requirement_id in same[1:]:
            anchors[requirement_id] = f"{anchor}-{hashlib.sha1(requirement_id.encode('utf-8')).hexdigest()[:8]}"
    return anchors


@functools.lru_cache(maxsize=65536)
def relative_path(from_dir: str, to_path: str) -> str:
    """`to_path` relative to the folder `from_dir`, as MkDocs resolves Markdown links (both
    docs-relative, `.` for the top folder)."""
    if to_path.startswith("/"):  # a PRD outside docs_dir is labelled with its absolute path
        return posixpath.relpath(to_path, from_dir)
    # Both are docs-relative: no need for posixpath.relpath, which makes each absolute first.
    start = [] if from_dir == "." else from_dir.split("/")
    target = to_path.split("/")
    common = 0
    while common < min(len(start), len(target) - 1) and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|{}!])")


def plain(text: object) -> str:
    """Input text shown as written: HTML and Markdown syntax escaped, on one line."""
    if text is None:
        return ""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;")
    return _MARKDOWN_SPECIAL.sub(lambda m: "&lt;" if m.group(1) == "<" else "&gt;" if m.group(1) == ">"
                                 else "\\" + m.group(1), value)


def html_text(text: object) -> str:
    """Input text shown as written in HTML text the plugin emits itself: `& < >` escaped, on
    one line, as Python-Markdown writes text. The HTML context of `plain`."""
    if text is None:
        return ""
    return _html_text(str(text))


@functools.lru_cache(maxsize=65536)
def _html_text(text: str) -> str:
    # Memoised: at 5,000 requirements the same titles and labels are escaped 90,000 times.
    return html.escape(" ".join(text.split()), quote=False)


def html_attribute(text: object) -> str:
    """`html_text` for a double-quoted attribute value (`href`, `title`): `"` escaped too, as
    Python-Markdown writes attributes."""
    return html_text(text).replace('"', "&quot;")


_TAG = re.compile(r"<(?=[A-Za-z/!?])")
#: `[text](` and `![alt](`: what follows is a link or image destination.
_LINK_OPENING = re.compile(r"\]\s*\(\s*<?")
#: `[label]:` and what follows: a link reference definition, its destination maybe on the next line.
_DEFINITION_OPENING = re.compile(r"\[[^\]\n]*\]:[ \t]*\n?[ \t]*<?")
#: A destination that is surely harmless, read on its raw text (before a browser decodes
#: entities such as `java&#115;cript:` or drops control characters): http(s), mailto, or
#: relative: no scheme before the first `/ ? #`.
_SAFE_DESTINATION = re.compile(r"https?://|mailto:|[A-Za-z0-9._~%+-]*(?:[/?#)>\"' ]|$)", re.IGNORECASE)
#: What URL parsers drop before reading a scheme: tabs and line breaks anywhere (so
#: `java\nscript:` is `javascript:`), C0 controls and spaces around it.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_EDGES = "".join(chr(c) for c in range(0x21))
#: A fenced code block's opening line, as Python-Markdown's fenced_code reads it; its closing line.
_FENCE_OPENING = re.compile(r"(`{3,}|~{3,})[ ]*(?:\.?[\w#.+-]*[ ]*)?")
_FENCE_CLOSING = re.compile(r"(`{3,}|~{3,})[ ]*")


def safe_url(url: str) -> bool:
    """Whether a link destination is http(s), mailto or relative: never script.

    Read as a browser reads it: tabs and line breaks removed, controls stripped at the start.
    """
    return _SAFE_DESTINATION.match(_URL_IGNORED.sub("", url).lstrip(_URL_EDGES)) is not None


def _safe_destination_at(text: str, position: int) -> bool:
    """`safe_url` for the destination that starts at `position` of a Markdown text."""
    return safe_url(text[position: position + 256])


#: Template syntax other tools may run over a page (Jinja for mkdocs-macros: `{{ }}`, `{% %}`,
#: `{# #}`; also Liquid, Mustache): a brace before one of these starts a tag.
_TEMPLATE_OPENING = re.compile(r"\{(?=[{%#])")


def template_inert(markdown: str) -> str:
    """Markdown that no template engine reads as a tag: a zero-width space after each `{` that
    would open one (`{{` → `{\u200b{`). It looks the same in every context (text, code, link
    titles), and another plugin that renders pages as templates (mkdocs-macros, before or
    after this one) finds no tag in what the inputs wrote."""
    return _TEMPLATE_OPENING.sub("{\u200b", markdown)


#: What ends or breaks a quoted link title, or opens markup inside it.
_TITLE_UNSAFE = re.compile(r'["\'()<>\[\]\\|`&*_]')


def link_title(text: object) -> str:
    """Text for a Markdown link title (`[x](url "TITLE")`): one line, and none of the
    characters that could end the title, the link, or start HTML (replaced by spaces)."""
    return " ".join(_TITLE_UNSAFE.sub(" ", "" if text is None else str(text)).split())


#: Characters that mean something in an HTML attribute or in Markdown, and their
#: typographic look-alikes: a page title is written into themes' attributes unescaped.
_TITLE_LOOKALIKES = str.maketrans({'"': "”", "'": "’", "<": "‹", ">": "›", "&": "＆", "`": "ʹ",
                                   "\\": "∖", "*": "∗", "_": " ", "[": "⟦", "]": "⟧", "#": "＃",
                                   "|": "∣", "{": "｛", "}": "｝", "!": "ǃ"})


def page_title(text: object) -> str:
    """A generated page's title (its H1 and nav entry) from plain text: markup characters
    replaced by look-alikes, so the title is safe in any theme's attributes and text."""
    return " ".join(str(text or "").translate(_TITLE_LOOKALIKES).split())


def prose(text: object) -> str:
    """Input Markdown kept as Markdown, with what could run script neutralised.

    Raw HTML tags, link and image destinations other than http(s), mailto and relative
    ones, and attribute lists that set attributes (`{: onclick=…}`) are shown as written.
    Closed fenced code blocks are kept as they are: Markdown shows them as code. A fence
    left open is neutralised too, so it cannot pair with a fence further down the page.
    """
    if text is None:
        return ""
    # Lines as Python-Markdown will see them: it reads a lone `\r` as a line break too.
    lines = str(text).strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pieces: list[str] = []
    start = 0
    for opening, closing in _closed_fences(lines):
        if opening > start:
            pieces.append(_neutralised("\n".join(lines[start:opening])))
        pieces.append("\n".join(lines[opening : closing + 1]))
        start = closing + 1
    if start < len(lines):
        pieces.append(_neutralised("\n".join(lines[start:])))
    return "\n".join(pieces)


def inline_prose(text: object) -> str:
    """Prose for a list item or a line of its own: one line (so no code block)."""
    if text is None:
        return ""
    return _neutralised(" ".join(str(text).split()))


def cell_prose(text: object) -> str:
    """Prose for a table cell: one line, pipes escaped (GFM reads `\\|` as a pipe even inside a
    code span there; in a list item it would show the backslash)."""
    return inline_prose(text).replace("|", "\\|")


def _closed_fences(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(opening, closing) line numbers of each fenced code block that is closed."""
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        closing = _FENCE_CLOSING.fullmatch(line) if line[:1] in "`~" else None
        if closing is not None:
            closings.setdefault(closing.group(1), []).append(number)
    number = 0
    while number < len(lines):
        opening = _FENCE_OPENING.fullmatch(lines[number]) if lines[number][:1] in "`~" else None
        if opening is not None:
            candidates = closings.get(opening.group(1), [])
            after = bisect.bisect_right(candidates, number)
            if after < len(candidates):
                yield number, candidates[after]
                number = candidates[after]
        number += 1


def _neutralised(text: str) -> str:
    """Markdown outside code blocks with links, attribute lists, fences and tags made inert."""
    escape: set[int] = set()  # positions that get a backslash before them
    for opening in _DEFINITION_OPENING.finditer(text):
        if not _safe_destination_at(text, opening.end()):
            escape.add(opening.start())
    for opening in _LINK_OPENING.finditer(text):
        if not _safe_destination_at(text, opening.end()):
            escape.add(text.index("(", opening.start()))
    line_start = 0
    for line in text.split("\n"):
        escape.update(line_start + column for column in _attribute_list_braces(line))
        if line[:1] in "`~" and _FENCE_OPENING.fullmatch(line):
            escape.add(line_start)
        line_start += len(line) + 1
    pieces: list[str] = []
    last = 0
    for position in sorted(escape):
        backslashes = len(text[last:position]) - len(text[last:position].rstrip("\\"))
        if backslashes % 2 == 0:  # an odd count already escapes it: one more would undo that
            pieces.append(text[last:position] + "\\")
            last = position
    pieces.append(text[last:])
    return _TAG.sub("&lt;", "".join(pieces))


def _attribute_list_braces(line: str) -> list[int]:
    """Columns of the `{` that could open an attribute list setting an attribute.

    attr_list reads `key=value` pairs from a `{` up to the first `}` not inside a quoted
    value, and a quoted value follows a `=`: a `{` with no `=` before the next `}` (`{id}`)
    sets nothing, and is left alone.
    """
    braces: list[int] = []
    if "{" not in line or "=" not in line:
        return braces
    assigns = False  # a `=` between this column and the next `}`
    for column in range(len(line) - 1, -1, -1):
        char = line[column]
        if char == "}":
            assigns = False
        elif char == "=":
            assigns = True
        elif char == "{" and assigns:
            braces.append(column)
    return braces
