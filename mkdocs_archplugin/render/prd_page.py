"""What the plugin changes in user pages: backlinks on the PRD page, and marker blocks anywhere.

Both work on the Markdown MkDocs hands to `on_page_markdown` (front matter already removed),
located with markdown-it-py so nothing inside a code block is ever touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

from mkdocs_archplugin.prd.model import Requirement
from mkdocs_archplugin.render.text import requirement_anchor, template_inert

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
_MARKER = re.compile(r"^\s*<!--\s*archplugin:([A-Za-z0-9_-]+)(?:\s+(.*?))?\s*-->\s*$")
_LIST_MARKER = re.compile(r"^(\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)")
_QUOTE_PREFIX = re.compile(r"^(\s*(?:>\s*)*)")


@dataclass(frozen=True)
class Marker:
    """`<!-- archplugin:NAME ARGUMENT -->` on a line of its own (1-based line)."""

    line: int
    name: str
    argument: str


def find_markers(markdown: str) -> list[Marker]:
    """Markers in HTML blocks of their own; ones inside code blocks or inline text are not markers."""
    found: list[Marker] = []
    if "archplugin:" not in markdown:
        return found
    lines = markdown.split("\n")
    for token in _MARKDOWN.parse(markdown):
        if token.type != "html_block" or token.map is None:
            continue
        for index in range(token.map[0], token.map[1]):
            match = _MARKER.match(lines[index])
            if match:
                found.append(Marker(index + 1, match.group(1), (match.group(2) or "").strip()))
    return found


def replace_markers(markdown: str, render: Callable[[Marker], str | None]) -> tuple[str, list[Marker]]:
    """The page with each known marker replaced by its block; returns the unknown markers too."""
    markers = find_markers(markdown)
    if not markers:
        return markdown, []
    lines = markdown.split("\n")
    unknown: list[Marker] = []
    for marker in reversed(markers):
        block = render(marker)
        if block is None:
            unknown.append(marker)
            continue
        lines[marker.line - 1 : marker.line] = ["", block.rstrip("\n"), ""]
    return "\n".join(lines), list(reversed(unknown))


def add_backlinks(
    markdown: str,
    requirements: list[Requirement],
    traced_to: Callable[[Requirement], str],
    anchor_of: Callable[[str], str] = requirement_anchor,
    line_offset: int = 0,
    inline: Callable[[str], str] = lambda html: html,
) -> str:
    """Each definition gets its stable anchor and a "Traced to: …" line (or a gap warning).

    `requirements` must come from parsing this very Markdown, or a text that ends with it
    and has `line_offset` lines more before it (the file with its front matter).
    `traced_to` gives a definition's line as HTML, and `inline` how HTML is handed to
    Markdown: as it is, or as the plugin's token (render/html_links.py), which Python-Markdown
    converts in two thirds of the time (a 500-requirement shard: 0.14 s, not 0.21 s).
    """
    lines = markdown.split("\n")
    # Bottom-up, so inserting lines never moves a definition not yet handled.
    for req in sorted(requirements, key=lambda r: r.source.line, reverse=True):
        start = req.source.line - 1 - line_offset
        end = max(req.end_line, req.source.line) - 1 - line_offset
        if not 0 <= start < len(lines) or end >= len(lines):
            continue
        anchor = f'<a id="{anchor_of(req.id)}"></a>'
        note = traced_to(req)
        if req.shape == "heading":
            # After the heading's last line: a setext heading's underline stays with its text.
            lines[end + 1 : end + 1] = ["", anchor, "", inline(note), ""]
        elif req.shape == "table":
            lines[start] = _annotate_row(lines[start], anchor, inline("<br>" + note))
        else:
            prefix = _LIST_MARKER.match(lines[start]) if req.shape == "list" else _QUOTE_PREFIX.match(lines[start])
            cut = prefix.end() if prefix else 0
            lines[start] = lines[start][:cut] + anchor + lines[start][cut:]
            quote = _QUOTE_PREFIX.match(lines[end]).group(1).strip()
            continuation = (quote + " " if quote else "") + " " * (cut - len(quote) if req.shape == "list" else 0)
            # A lazy continuation line of the same paragraph: works at any list depth.
            lines.insert(end + 1, continuation + inline("<br>" + note))
    return "\n".join(lines)


def _annotate_row(row: str, anchor: str, note: str) -> str:
    """Anchor in the first cell, the note at the end of the last cell of a table row."""
    stripped = row.rstrip()
    leading = len(row) - len(row.lstrip())
    body = stripped.strip()
    has_outer = body.startswith("|")
    body = body[1:] if has_outer else body
    trailing = body.endswith("|") and not body.endswith("\\|")
    body = body[:-1] if trailing else body
    cells = re.split(r"(?<!\\)\|", body)
    cells[0] = " " + anchor + cells[0].lstrip()
    cells[-1] = cells[-1].rstrip() + " " + note.replace("|", "\\|") + " "
    joined = "|".join(cells)
    return " " * leading + ("|" if has_outer else "") + joined + ("|" if trailing else "")


def traced_to_line(req: Requirement, links: list[str], covered: bool) -> str:
    """The line under a definition, as HTML: what it is traced to, or a visible gap (inert
    for template engines, as every block the plugin writes into a user page)."""
    if req.is_nfr and not covered:
        return template_inert("<strong>⚠️ Nothing addresses this NFR yet.</strong>" + (
            f" <small>Named by: {', '.join(links)}</small>" if links else ""))
    if not links:
        return "<small>⚠️ <em>Not traced to the architecture yet.</em></small>"
    return template_inert(f"<small>Traced to: {', '.join(links)}</small>")
