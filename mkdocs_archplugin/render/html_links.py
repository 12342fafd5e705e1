"""Links and large tables handed to MkDocs as inert tokens, written as HTML once the page is
converted.

Python-Markdown parses each `[FR-0012](../prd.md#req-fr-0012 "…")` with its inline link
pattern (Python code, per character of the brackets), then MkDocs resolves and checks its
URL: at 5,000 requirements the pages carry 40,000 links and that is most of the build
(docs/performance.md). A token — a word of letters and digits — is plain text to every
inline pattern. After conversion the plugin replaces each token with the `<a>` element
Python-Markdown would have made, its URL resolved through MkDocs' File objects, and checks
the link as MkDocs would have (missing page, missing anchor).

The tables whose rows grow with the PRD (the matrix, the NFR tables, an item's requirements)
go further: Python-Markdown's inline pass over their 30,000 cells at 5,000 requirements was
the largest cost left, and parsing them as raw HTML blocks costs half of it again. A template
writes such a table as HTML inside `{% filter html_block %}`; the page gets one paragraph
token instead, replaced by the table after conversion. The HTML is what Python-Markdown's
`tables` extension writes for the same table, so themes and search see what they saw.

The tokens carry a random part chosen per process: a PRD or YAML text cannot spell one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs_archplugin.render.text import html_attribute

_DIGEST = 16


@dataclass(frozen=True)
class LinkTarget:
    """One link: its HTML label (escaped already), docs-relative target page, anchor, title.
    Without a page it is no link: the label alone, text or HTML the plugin wrote."""

    label_html: str
    path: str
    anchor: str = ""
    title: str = ""

    def element(self, url: str) -> str:
        """The `<a>` Python-Markdown writes for `[label](url "title")`."""
        title = f' title="{html_attribute(self.title)}"' if self.title else ""
        return f'<a href="{html_attribute(url)}"{title}>{self.label_html}</a>'


class HtmlLinks:
    """The tokens of one plugin instance (kept across `mkdocs serve` rebuilds) and their links."""

    def __init__(self) -> None:
        self.prefix = "archlink" + secrets.token_hex(4)
        self._pattern = re.compile(re.escape(self.prefix) + f"([0-9a-f]{{{_DIGEST}}})")
        self._targets: dict[str, LinkTarget] = {}

    def forget(self) -> None:
        """Drop the links of earlier builds (the prefix stays): under `mkdocs serve` every
        build registers the links its pages use again, and a long session keeps no more."""
        self._targets.clear()

    def token(self, target: LinkTarget) -> str:
        """The token standing for a link; the same link always gets the same token."""
        key = "\0".join((target.label_html, target.path, target.anchor, target.title))
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=_DIGEST // 2).hexdigest()
        self._targets.setdefault(digest, target)
        return self.prefix + digest

    def replace(self, html: str, resolve: Callable[[LinkTarget], str | None],
                write: Callable[[LinkTarget, str], str] = LinkTarget.element) -> str:
        """`html` with each token written as its link; `resolve` gives a target's URL from the
        page, or None for a target that is not in the site (then the label is shown alone).
        `write` makes the link of a target and its URL: the `<a>` element, unless told."""
        if self.prefix not in html:
            return html

        def element(match: re.Match[str]) -> str:
            target = self._targets.get(match.group(1))
            if target is None:
                return match.group(0)
            if not target.path:  # text or HTML, maybe with links in it
                return self.replace(target.label_html, resolve, write)
            url = resolve(target)
            return target.label_html if url is None else write(target, url)

        return self._pattern.sub(element, html)


class HtmlBlocks:
    """The pre-rendered HTML blocks of one build's pages, each a paragraph token until the page
    is converted. Owned by one build, so what a serve session keeps is what its pages show."""

    def __init__(self, links: HtmlLinks) -> None:
        self.prefix = links.prefix + "block"
        self._pattern = re.compile(f"(?:<p>)?{re.escape(self.prefix)}([0-9a-f]{{{_DIGEST}}})(?:</p>)?")
        self._html: dict[str, str] = {}

    def token(self, html: str) -> str:
        """The token standing for a block, on a paragraph of its own."""
        digest = hashlib.blake2b(html.encode("utf-8"), digest_size=_DIGEST // 2).hexdigest()
        self._html.setdefault(digest, html.strip("\n"))
        return f"\n\n{self.prefix}{digest}\n\n"

    def replace(self, html: str) -> str:
        """`html` with each block token (and the paragraph Markdown put it in) written as its block."""
        if self.prefix not in html:
            return html
        return self._pattern.sub(lambda match: self._html.get(match.group(1), match.group(0)), html)
