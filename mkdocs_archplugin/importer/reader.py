"""An architecture document as a tree of sections holding blocks, each with its source line.

markdown-it-py hands out block tokens with line maps, so every field the importer takes can
name `file:line`, and prose is taken as the Markdown its author wrote (the source lines), not
as re-rendered text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")

#: What `export --markdown` writes before a block derived from the others (diagrams, coverage).
DERIVED_MARK = "<!-- archplugin:derived -->"


@dataclass
class Block:
    """A paragraph, list, table, fence or HTML block: its kind, source and line (1-based)."""

    kind: str  # paragraph, list, table, fence, html, quote
    file: str
    line: int
    source: str
    node: SyntaxTreeNode
    derived: bool = False
    #: Taken as (part of) a labelled field: a rule placed it.
    used: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level."""

    title: str
    level: int
    file: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_blocks(self) -> list[Block]:
        return [block for section in self.walk() for block in section.blocks]


def read_document(text: str, file: str) -> Section:
    """The document as one root section (level 0) holding its headings' sections."""
    lines = text.split("\n")
    root = Section("", 0, file, 1)
    stack = [root]
    derived_next = False
    for node in SyntaxTreeNode(_MARKDOWN.parse(text)).children:
        start, end = node.map if node.map else (0, 0)
        if node.type == "heading":
            level = int(node.tag[1])
            while stack[-1].level >= level:
                stack.pop()
            section = Section(inline_text(node.children[0]) if node.children else "", level, file, start + 1)
            stack[-1].children.append(section)
            stack.append(section)
            continue
        source = "\n".join(lines[start:end]).rstrip()
        kind = {"paragraph": "paragraph", "bullet_list": "list", "ordered_list": "list", "table": "table",
                "fence": "fence", "code_block": "fence", "html_block": "html",
                "blockquote": "quote"}.get(node.type)
        if kind is None:
            continue
        if kind == "html" and source.strip() == DERIVED_MARK:
            derived_next = True
            continue
        if kind in ("html", "paragraph") and re.fullmatch(r"\s*<a (?:id|name)=\"[^\"]*\"></a>\s*", source):
            continue  # an anchor the export writes
        stack[-1].blocks.append(Block(kind, file, start + 1, source, node, derived_next))
        derived_next = False
    return root


def inline_text(node: SyntaxTreeNode | None) -> str:
    """The text an inline node shows: markup and escapes gone, code spans kept as their text."""
    if node is None:
        return ""
    parts: list[str] = []
    for child in node.children if node.type == "inline" else [node]:
        _collect(child, parts)
    return " ".join("".join(parts).replace("\u200b", "").split())


def _collect(node: SyntaxTreeNode, parts: list[str]) -> None:
    if node.type in ("text", "code_inline", "html_inline"):
        if node.type == "html_inline" and re.fullmatch(r"<a id=\"[^\"]*\"></a>", node.content):
            return
        parts.append(node.content)
    elif node.type in ("softbreak", "hardbreak"):
        parts.append(" ")
    for child in node.children:
        _collect(child, parts)


def inline_of(node: SyntaxTreeNode) -> SyntaxTreeNode | None:
    """The inline node of a paragraph, table cell, heading or list item's first paragraph."""
    if node.type == "inline":
        return node
    for child in node.children:
        found = inline_of(child) if child.type != "bullet_list" and child.type != "ordered_list" else None
        if found is not None:
            return found
    return None


def table_rows(block: Block) -> tuple[list[str], list[tuple[int, list[SyntaxTreeNode]]]]:
    """A table's header texts (lower case) and its rows as (line, cell inline nodes)."""
    header: list[str] = []
    rows: list[tuple[int, list[SyntaxTreeNode]]] = []
    for part in block.node.children:
        for row in part.children:
            cells = [inline_of(cell) for cell in row.children]
            if part.type == "thead":
                header = [inline_text(c).lower() for c in cells]
            else:
                rows.append(((row.map[0] + 1) if row.map else block.line, cells))
    return header, rows
