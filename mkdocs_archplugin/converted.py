"""The HTML of the plugin's pages across `mkdocs serve` rebuilds, keyed by their Markdown.

After a save, `mkdocs serve` converts every page again, and at scale the generated pages are
most of that work (the matrix and the SAD of 5,000 requirements take seconds each), though
most of them come out the same: a PRD sentence changes no component page. A generated page
or a page the plugin changed (backlinks, markers) whose final Markdown is what the previous
build converted is handed to Python-Markdown empty, and gets back the HTML, table of
contents, title and anchors the previous conversion gave.

What else a conversion depends on is part of the key: the site's pages (links resolve to
them), the Markdown extensions and their options, the URL style. A reused page logs no link
warning again, as a page `mkdocs serve --dirty` skips.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@dataclass(frozen=True)
class _Converted:
    markdown: str
    html: str
    toc: Any
    title: str | None
    anchors: frozenset[str]
    #: Page links to other pages' anchors, for MkDocs' anchor check: by the target's src_uri.
    links_to_anchors: dict[str, dict[str, str]]


class ConvertedPages:
    """The previous conversions, and which pages of the current build reuse theirs."""

    def __init__(self) -> None:
        self._pages: dict[str, _Converted] = {}
        self._reused: set[str] = set()
        self._key: str | None = None

    def start_build(self, config: MkDocsConfig, files: Files) -> None:
        """Forget every conversion when what they depend on changed."""
        digest = hashlib.sha256()
        for file in files.documentation_pages():
            digest.update(file.src_uri.encode("utf-8") + b"\0")
        digest.update(repr((config.markdown_extensions, config.mdx_configs, config.use_directory_urls)).encode())
        key = digest.hexdigest()
        if key != self._key:
            self._pages.clear()
            self._key = key
        self._reused.clear()

    def markdown_to_convert(self, markdown: str, page: Page) -> str:
        """`markdown`, or nothing when the previous build converted the same Markdown."""
        previous = self._pages.get(page.file.src_uri)
        if previous is None or previous.markdown != markdown:
            return markdown
        self._reused.add(page.file.src_uri)
        return ""

    def reused(self, page: Page) -> bool:
        return page.file.src_uri in self._reused

    def restore(self, page: Page, files: Files) -> str:
        """The previous conversion's HTML, with its Markdown, TOC, title and anchors put back."""
        previous = self._pages[page.file.src_uri]
        page.markdown = previous.markdown
        page.toc = previous.toc
        page._title_from_render = previous.title  # what Page.render sets; MkDocs 1.6 has no setter
        page.present_anchor_ids = set(previous.anchors)
        if page.links_to_anchors is not None:
            targets = ((files.get_file_from_path(uri), links) for uri, links in previous.links_to_anchors.items())
            page.links_to_anchors = {file: dict(links) for file, links in targets if file is not None}
        return previous.html

    def keep(self, html: str, page: Page) -> None:
        """Remember a page's conversion (its HTML as the plugin made it) for the next build."""
        self._pages[page.file.src_uri] = _Converted(
            page.markdown or "", html, page.toc, page._title_from_render,
            frozenset(page.present_anchor_ids or ()),
            {file.src_uri: dict(links) for file, links in (page.links_to_anchors or {}).items()},
        )
