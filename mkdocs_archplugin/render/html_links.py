"""Links handed to MkDocs as inert tokens, written as HTML once the page is converted.

Python-Markdown parses each `[FR-0012](../prd.md#req-fr-0012 "…")` with its inline link
pattern (Python code, per character of the brackets), then MkDocs resolves and checks its
URL: at 5,000 requirements the pages carry 40,000 links and that is most of the build
(docs/performance.md). A token — a word of letters and digits — is plain text to every
inline pattern. After conversion the plugin replaces each token with the `<a>` element
Python-Markdown would have made, its URL resolved through MkDocs' File objects, and checks
the link as MkDocs would have (missing page, missing anchor).

The tokens carry a random part chosen per process: a PRD or YAML text cannot spell one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs_archplugin.render.text import html_text

_DIGEST = 16


@dataclass(frozen=True)
class LinkTarget:
    """One link: its HTML label (escaped already), docs-relative target page, anchor, title."""

    label_html: str
    path: str
    anchor: str = ""
    title: str = ""

    def element(self, url: str) -> str:
        """The `<a>` Python-Markdown writes for `[label](url "title")`."""
        title = f' title="{html_text(self.title)}"' if self.title else ""
        return f'<a href="{html_text(url)}"{title}>{self.label_html}</a>'


class HtmlLinks:
    """The tokens of one plugin instance (kept across `mkdocs serve` rebuilds) and their links."""

    def __init__(self) -> None:
        self.prefix = "archlink" + secrets.token_hex(4)
        self._pattern = re.compile(re.escape(self.prefix) + f"([0-9a-f]{{{_DIGEST}}})")
        self._targets: dict[str, LinkTarget] = {}

    def token(self, target: LinkTarget) -> str:
        """The token standing for a link; the same link always gets the same token."""
        key = "\0".join((target.label_html, target.path, target.anchor, target.title))
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=_DIGEST // 2).hexdigest()
        self._targets.setdefault(digest, target)
        return self.prefix + digest

    def replace(self, html: str, resolve: Callable[[LinkTarget], str | None]) -> str:
        """`html` with each token written as its link; `resolve` gives a target's URL from the
        page, or None for a target that is not in the site (then the label is shown alone)."""
        if self.prefix not in html:
            return html

        def element(match: re.Match[str]) -> str:
            target = self._targets.get(match.group(1))
            if target is None:
                return match.group(0)
            url = resolve(target)
            return target.label_html if url is None else target.element(url)

        return self._pattern.sub(element, html)
