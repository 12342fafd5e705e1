"""MkDocs hook: save the Markdown of the pages archplugin adds or changes, as plain files.

``bench/run.py`` builds the generated site once with the plugin and this hook
(``hooks: [bench/dump_pages_hook.py]``, ``ARCHPLUGIN_BENCH_DUMP`` naming a folder), then
builds a copy of the site with the plugin removed and these files laid over its
``docs_dir``: the same pages through MkDocs alone, so the difference between the two builds
is what the plugin costs beyond the pages it adds.

Saved: every generated page (``File.generated``), and every page whose Markdown an earlier
plugin changed (the PRD pages get anchors and "Traced to" lines), with its front matter
and the plugin's tokens written out.
The folders of generated pages kept out of the nav (``nav_item_limit``) are listed in
``not_in_nav.txt`` beside them, as ``not_in_nav:`` patterns for the copy's ``mkdocs.yml``.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from mkdocs.plugins import event_priority

from mkdocs_archplugin.render.html_links import LinkTarget
from mkdocs_archplugin.render.text import relative_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


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
        target.write_text(front_matter + _tokens_written_out(markdown, page, config), encoding="utf-8")
        if page.file.generated_by and page.file.inclusion.is_not_in_nav():
            pattern = "/" + page.file.src_uri.rsplit("/", 1)[0] + "/"
            listed = Path(folder, "not_in_nav.txt")
            known = listed.read_text(encoding="utf-8").split() if listed.exists() else []
            if pattern not in known:
                listed.write_text("".join(f"{line}\n" for line in [*known, pattern]), encoding="utf-8")
    return markdown


def _tokens_written_out(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """The page with the plugin's tokens (render/html_links.py) written out, as they mean
    nothing without it: each link a Markdown link, each table its HTML block (links in it
    `<a>` elements, their `.md` targets left as written: the copy is timed, not read)."""
    plugin = config.plugins["archplugin"]
    folder = posixpath.dirname(page.file.src_uri) or "."

    def url(target: LinkTarget) -> str:
        return relative_path(folder, target.path) + (f"#{target.anchor}" if target.anchor else "")

    def markdown_link(target: LinkTarget, url: str) -> str:
        return f'[{target.label_html}]({url}' + (f' "{target.title}")' if target.title else ")")

    markdown = plugin.html_links.replace(markdown, url, markdown_link)
    markdown = plugin.build_result.renderer.site.html_blocks.replace(markdown)
    return plugin.html_links.replace(markdown, url)
