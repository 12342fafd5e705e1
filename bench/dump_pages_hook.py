"""MkDocs hook: save the Markdown of the pages archplugin adds or changes, as plain files.

``bench/run.py`` builds the generated site once with the plugin and this hook
(``hooks: [bench/dump_pages_hook.py]``, ``ARCHPLUGIN_BENCH_DUMP`` naming a folder), then
builds a copy of the site with the plugin removed and these files laid over its
``docs_dir``: the same pages through MkDocs alone, so the difference between the two builds
is what the plugin costs beyond the pages it adds.

Saved: every generated page (``File.generated``), and every page whose Markdown an earlier
plugin changed (the PRD pages get anchors and "Traced to" lines), with its front matter.
The folders of generated pages kept out of the nav (``nav_item_limit``) are listed in
``not_in_nav.txt`` beside them, as ``not_in_nav:`` patterns for the copy's ``mkdocs.yml``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from mkdocs.plugins import event_priority

from mkdocs_archplugin.render.view import SiteView

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


if os.environ.get("ARCHPLUGIN_BENCH_DUMP"):
    # The copy is the pages as plain Markdown, links included: the plugin's link tokens
    # (render/html_links.py) would mean nothing without it, so this build writes Markdown links.
    SiteView.html_links = property(lambda self: None, lambda self, value: None)


# Last, so that the Markdown saved is what every plugin made of the page.
@event_priority(-1000)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Save the page's final Markdown when a plugin generated or changed it."""
    folder = os.environ.get("ARCHPLUGIN_BENCH_DUMP")
    # `page.markdown` still holds the source: MkDocs stores the result after every handler ran.
    if folder and (page.file.generated_by or markdown != page.markdown):
        target = Path(folder, page.file.src_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        front_matter = (
            f"---\n{yaml.safe_dump(page.meta, allow_unicode=True)}---\n\n" if page.meta else ""
        )
        target.write_text(front_matter + markdown, encoding="utf-8")
        if page.file.generated_by and page.file.inclusion.is_not_in_nav():
            pattern = "/" + page.file.src_uri.rsplit("/", 1)[0] + "/"
            listed = Path(folder, "not_in_nav.txt")
            known = listed.read_text(encoding="utf-8").split() if listed.exists() else []
            if pattern not in known:
                listed.write_text("".join(f"{line}\n" for line in [*known, pattern]), encoding="utf-8")
    return markdown
