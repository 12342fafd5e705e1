"""The MkDocs adapter: typed configuration and event handlers over the core pipeline."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from mkdocs_archplugin.analysis.traceability import ADDRESSING_KINDS, DEFAULT_ADDRESSED_BY
from mkdocs_archplugin.architecture.sql import DEFAULT_DIALECT, SQL_DIALECTS
from mkdocs_archplugin.converted import ConvertedPages
from mkdocs_archplugin.diagnostics import DEFAULT_SEVERITIES, ArchPluginError, Diagnostic, Severity
from mkdocs_archplugin.inputs import InputError, read_input
from mkdocs_archplugin.prd import PrdCache, PrdSettings
from mkdocs_archplugin.prd.assemble import MAX_PRD_BYTES
from mkdocs_archplugin.prd.parser import FileParse
from mkdocs_archplugin.prd.settings import DEFAULT_ID_PATTERN
from mkdocs_archplugin.project import ArchProject, Build, ProjectConfig
from mkdocs_archplugin.render.html_links import HtmlLinks, LinkTarget
from mkdocs_archplugin.render.pages import render_problem_page
from mkdocs_archplugin.render.prd_page import Marker, add_backlinks, replace_markers, traced_to_line
from mkdocs_archplugin.render.view import Links

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger("archplugin")

_SEVERITY_NAMES = tuple(s.value for s in Severity)
_NEWLINES = re.compile(r"\r\n?")


class _CheckSeverities(c.DictOfItems):
    """`checks: {code: severity}`; an unknown code is a configuration error, with the known ones."""

    def __init__(self) -> None:
        super().__init__(c.Choice(_SEVERITY_NAMES), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        result = super().run_validation(value)
        unknown = sorted(set(result) - set(DEFAULT_SEVERITIES))
        if unknown:
            raise c.ValidationError(
                f"unknown check {', '.join(unknown)}; the checks are: {', '.join(sorted(DEFAULT_SEVERITIES))}"
            )
        return result


class _Regex(c.Type):
    """A regular expression, compiled once to report a bad one as a configuration error."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        try:
            re.compile(text)
        except re.error as error:
            raise c.ValidationError(f"not a valid regular expression: {error}") from None
        return text


class _OutputDir(c.Type):
    """A folder inside the site: relative, no `..`."""

    def __init__(self) -> None:
        super().__init__(str, default="architecture")

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value).strip()
        parts = text.replace("\\", "/").rstrip("/").split("/")
        # Checked before anything is stripped: `/tmp/x` is absolute, not `tmp/x`; `.`, `a//b`
        # and `a/./b` would name the folder two ways and break the generated links.
        if not text or text.startswith(("/", "\\")) or os.path.isabs(text) or re.match(r"^[A-Za-z]:", text) \
                or any(part in ("", ".", "..") for part in parts):
            raise c.ValidationError("must be a relative folder inside the site, such as 'architecture' "
                                    "(no leading /, no . or .. parts, no empty parts)")
        return "/".join(parts)


_URL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


class _ScriptSource(c.File):
    """A script: an http(s) URL as written, else an existing file, relative to mkdocs.yml."""

    def __init__(self) -> None:
        super().__init__(exists=True)

    def run_validation(self, value: object) -> str:
        if isinstance(value, str) and _URL.match(value):
            return value
        return super().run_validation(value)


class ArchConfig(base.Config):
    prd = c.Type(str, default="prd.md")
    """The PRD: a file or a folder of shards, relative to docs_dir."""
    decisions = c.Type(str, default="architecture.yml")
    """architecture.yml (file or folder), relative to mkdocs.yml."""
    output_dir = _OutputDir()
    """Where the generated pages go, inside the site."""
    nav_section = c.Type((str, bool), default="Architecture")
    """Title of the nav section for the generated pages; `false` leaves the nav alone."""
    nav_item_limit = c.Type(int, default=100)
    """Most component (and most decision) pages listed in the nav; beyond it they are reached
    from the System Architecture Document and the matrix. Material renders the whole nav into
    every page, so thousands of entries make the build quadratic (and the nav unreadable)."""
    backlinks = c.Type(bool, default=True)
    """Add anchors and "Traced to" lines to the PRD page."""
    exports = c.ListOfItems(c.Choice(("json", "graph", "needs")), default=["json", "graph"])
    """Machine exports to write: traceability.json (`json`), knowledge-graph.jsonl (`graph`),
    sphinx-needs' needs.json (`needs`)."""
    checks = _CheckSeverities()
    """Severity per diagnostic code: error, warn, info or ignore."""
    templates_dir = c.Optional(c.Dir(exists=True))
    """A folder of templates that override the shipped ones by name."""
    id_patterns = c.ListOfItems(_Regex(), default=[DEFAULT_ID_PATTERN])
    """Regular expressions of requirement ids. Setting it turns off the detection of other id
    families (`F-01`, `PF-004`): the list then names every family the PRD defines."""
    non_functional_prefixes = c.ListOfItems(c.Type(str), default=["NFR", "NF", "QR"])
    """Id prefixes that make a requirement non-functional."""
    addressed_by = c.ListOfItems(c.Choice(ADDRESSING_KINDS), default=list(DEFAULT_ADDRESSED_BY))
    """What addresses an NFR: kinds of architecture item that, naming it, answer it. The default
    is an explicit architectural choice (an accepted decision, a stack entry, a service, a
    trade-off, a pattern, a risk mitigation, a strategy section); `[decisions]` demands ADRs."""
    schema_dialect = c.Choice(SQL_DIALECTS, default=DEFAULT_DIALECT)
    """The SQL dialect of the DDL generated from `entities`, and of a written `schema`."""
    markdown_export = c.Optional(c.Type(str))
    """Where `archplugin export --markdown` (a `.md` file) or `--markdown-dir` (a folder) writes
    the portable SAD, relative to mkdocs.yml. Inside docs_dir, the build leaves it out of the
    site: it would duplicate the generated SAD."""
    section_words = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Extra words per section role (e.g. `non-functional: [qualities]`), added to the defaults."""
    mermaid_js = c.Optional(_ScriptSource())
    """Mermaid (`mermaid.min.js`, version 11) from this file, relative to mkdocs.yml, or this URL,
    added to `extra_javascript`: Material for MkDocs then uses it instead of fetching Mermaid
    from unpkg.com, so diagrams render offline and on an intranet. A file outside docs_dir is
    copied into the site as `assets/archplugin/<name>`."""


class ArchPlugin(BasePlugin[ArchConfig]):
    """Adds the generated architecture site, backlinks and exports; reports every gap."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.project = ArchProject()
        self.page_cache = PrdCache()  # PRD pages as MkDocs hands them over (front matter removed)
        self.serving = False
        self.dirty = False
        #: User pages whose Markdown the plugin changed (PRD backlinks, markers), and the
        #: digest of the analysis they were rendered from: `serve --dirty` must re-render them.
        self.dependent_pages: set[str] = set()
        self._rendered_from: str | None = None
        self.build_result: Build | None = None
        self.project_config: ProjectConfig | None = None
        self.prd_pages: set[str] = set()
        #: Generated pages kept out of the nav (`nav_item_limit`) in the current build.
        self.unlisted_pages: set[str] = set()
        #: The content of each generated file as last handed to MkDocs: `serve --dirty` skips
        #: the ones that stay the same.
        self._written: dict[str, str] = {}
        #: The `mermaid_js` script: its URL in the site, and the file to copy there (if any).
        self.mermaid_script: tuple[str, str | None] | None = None
        #: The links of generated pages and backlinks, handed to MkDocs as tokens.
        self.html_links = HtmlLinks()
        #: Under `mkdocs serve`, the previous build's HTML of the plugin's pages.
        self.converted = ConvertedPages()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep this instance (and its parse caches) across `mkdocs serve` rebuilds."""
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the PRD and architecture.yml paths and the PRD grammar."""
        self.project_config = replace(project_config(self.config, config), html_links=self.html_links)
        self.mermaid_script = mermaid_script(self.config.mermaid_js, config.docs_dir)
        if self.mermaid_script is not None:
            url = self.mermaid_script[0]
            # Material loads extra_javascript before it mounts diagrams (on DOMContentLoaded),
            # finds `window.mermaid` defined and skips its CDN fetch.
            if url not in (str(script) for script in config.extra_javascript):
                config.extra_javascript.append(url)
        return config

    def _on_files_generate(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Parse and analyse the inputs, report every diagnostic, add the generated pages."""
        assert self.project_config is not None
        if self.mermaid_script is not None and self.mermaid_script[1] is not None:
            url, source = self.mermaid_script
            if files.get_file_from_path(url) is None:
                files.append(File.generated(config, url, abs_src_path=source))
        self.build_result = None
        try:
            self.build_result = self.project.build(self.project_config)
        except ArchPluginError as error:
            if not self.serving:
                raise PluginError(str(error)) from None
            # In `mkdocs serve` a missing or broken PRD must not stop the server.
            log.error(str(error))
            self._drop_undecodable_prd_pages(files)
            self._add_problem_page(files, config, error)
            return files
        except Exception as error:  # our own bug: in serve, keep answering and say so
            if not self.serving:
                raise
            log.error(f"internal error, please report it: {type(error).__name__}: {error}")
            log.debug("the internal error's traceback, for the report", exc_info=True)
            self._add_problem_page(files, config, ArchPluginError(f"internal error: {error}",
                                                                  "please report it with the log"))
            return files
        result = self.build_result
        started = time.perf_counter()
        self._leave_out_markdown_export(files, config)
        self._report(result)
        self.prd_pages = set(result.analysis.prd.files)
        self.unlisted_pages = self._pages_left_out_of_nav([page.path for page in result.pages])
        for page in result.pages:
            inclusion = InclusionLevel.NOT_IN_NAV if page.path in self.unlisted_pages else InclusionLevel.UNDEFINED
            self._add_generated(files, config, page.path, page.markdown, inclusion)
        for path, content in result.exports.items():
            self._add_generated(files, config, path, content)
        # A long `serve` renames components and decisions: keep only what this build wrote.
        current = {page.path for page in result.pages} | set(result.exports)
        self._written = {path: text for path, text in self._written.items() if path in current}
        self._mark_dependent_pages_changed(files, result)
        self.dependent_pages.intersection_update(file.src_uri for file in files.documentation_pages())
        result.add_timing("add_files", time.perf_counter() - started)
        return files

    @event_priority(-200)  # after plugins that write `nav:` in on_files (literate-nav: -100)
    def _on_files_nav(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages an explicit nav does not list, under `nav_section`."""
        if self.serving:
            self.converted.start_build(config, files)
        if self.build_result is not None and config.nav is not None and self.config.nav_section:
            pages = [p.path for p in self.build_result.pages if p.path not in self.unlisted_pages]
            self._extend_explicit_nav(config, pages)
        return files

    on_files = CombinedEvent(_on_files_generate, _on_files_nav)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Title and order the generated section when MkDocs built the nav from folders."""
        if config.nav is None and self.config.nav_section:
            for item in nav.items:
                if getattr(item, "is_section", False) and _section_holds(item, self.config.output_dir):
                    item.title = self._nav_title
                    # Folder order is alphabetical (todo before traceability): read them in
                    # the order of the explicit-nav case instead.
                    order = {f"{self.config.output_dir}/{name}": rank for rank, name in
                             enumerate(("index.md", "traceability.md", "todo.md"))}
                    item.children.sort(key=lambda child: order.get(
                        getattr(getattr(child, "file", None), "src_uri", ""), len(order)))
                    # Component and decision pages in the order the SAD lists them (the order
                    # of architecture.yml), not by file name: the nav shows names, not slugs.
                    listed = {page.path: rank for rank, page in enumerate(self.build_result.pages)} \
                        if self.build_result else {}
                    for child in item.children:
                        if getattr(child, "is_section", False):
                            child.children.sort(key=lambda page: listed.get(
                                getattr(getattr(page, "file", None), "src_uri", ""), len(listed)))
        return nav

    def _on_page_markdown_change(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Add backlinks to the PRD page; replace markers in every page."""
        result = self.build_result
        if result is None:
            return markdown
        started = time.perf_counter()
        path = page.file.src_uri
        original = markdown
        if self.config.backlinks and path in self.prd_pages:
            markdown = self._with_backlinks(markdown, path)
        markdown, unknown = replace_markers(markdown, lambda m: self._marker_block(m, path))
        if markdown != original:
            self.dependent_pages.add(path)
        for marker in unknown:
            diagnostic = Diagnostic(
                path, marker.line, 0, "unknown-marker",
                f"unknown marker archplugin:{marker.name} {marker.argument}".rstrip(),
                "the markers are traceability, nfr-coverage, component ID, decisions and summary",
            )
            self._log(result.analysis.severity(diagnostic), diagnostic)
        result.add_timing("page_markdown", time.perf_counter() - started)
        return markdown

    @event_priority(-900)  # after every plugin that changes Markdown: the key is the final text
    def _on_page_markdown_reuse(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Under `mkdocs serve`, nothing to convert for a page of the plugin's that is unchanged."""
        if self._reusable(page):
            return self.converted.markdown_to_convert(markdown, page)
        return markdown

    on_page_markdown = CombinedEvent(_on_page_markdown_change, _on_page_markdown_reuse)

    def _reusable(self, page: Page) -> bool:
        """A page whose HTML is kept across serve rebuilds: one the plugin generates or changes."""
        return self.serving and (bool(page.file.generated_by) or page.file.src_uri in self.dependent_pages)

    @event_priority(50)  # before other plugins read the page's HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Write the table tokens as their tables and the link tokens as links, each link
        checked as MkDocs checks a Markdown link: a missing page at
        `validation.links.not_found`, anchors through MkDocs' own check. Under `mkdocs serve`,
        keep the result, or put back the previous one."""
        if self.converted.reused(page):
            return self.converted.restore(page, files)
        html = self._write_links(html, page, config, files)
        if self._reusable(page):
            self.converted.keep(html, page)
        return html

    def _write_links(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.html_links.prefix not in html:
            return html
        started = time.perf_counter()
        if self.build_result is not None:
            html = self.build_result.renderer.site.html_blocks.replace(html)
        found: dict[str, tuple[File, str] | None] = {}
        anchors = getattr(page, "links_to_anchors", None)  # None when MkDocs does not check anchors

        def resolve(target: LinkTarget) -> str | None:
            if target.path not in found:
                found[target.path] = self._link_target(target.path, page, config, files)
            if found[target.path] is None:
                return None
            file, url = found[target.path]
            if not target.anchor:
                return url
            if anchors is not None:
                anchors.setdefault(file, {}).setdefault(target.anchor, f"{target.path}#{target.anchor}")
            return f"{url}#{target.anchor}"

        html = self.html_links.replace(html, resolve)
        if self.build_result is not None:
            self.build_result.add_timing("page_content", time.perf_counter() - started)
        return html

    @staticmethod
    def _link_target(path: str, page: Page, config: MkDocsConfig, files: Files) -> tuple[File, str] | None:
        """The file a generated link points to and its URL from `page`; None, reported, when
        the site has no such page (excluded from the docs, replaced by a file that is not one)."""
        # `src_uris` first: the plugin's paths are already POSIX and normalised, and
        # `get_file_from_path` builds a PurePath for each of 40,000 lookups at 5,000 requirements.
        file = files.src_uris.get(path) or files.get_file_from_path(path)
        if file is None or not file.is_documentation_page():
            log.log(config.validation.links.not_found,
                    f"Doc file '{page.file.src_uri}' contains a generated link to '{path}', but the target "
                    f"is not found among documentation files: check exclude_docs and the prd option")
            return None
        if file.inclusion.is_excluded() and not page.file.inclusion.is_excluded():
            log.log(min(logging.INFO, config.validation.links.not_found),
                    f"Doc file '{page.file.src_uri}' contains a generated link to '{path}' which is excluded "
                    f"from the built site.")
        return file, "" if file is page.file else file.url_relative_to(page.file)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """End the build with one summary line (and the plugin's own timings when asked)."""
        if self.build_result is None:
            return
        log.info(self.build_result.analysis.summary_line())
        timings_file = os.environ.get("ARCHPLUGIN_TIMINGS")
        if timings_file:
            timings = dict(self.build_result.timings)
            with open(timings_file, "a", encoding="utf-8") as out:
                out.write(json.dumps(timings, sort_keys=True) + "\n")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Watch the PRD and architecture.yml, also when they live outside docs_dir.

        A watch on a file is lost when the file is deleted or replaced by a folder, so the
        folder holding each input is watched too (its own entries only). A watch on a folder
        input is lost when the folder is deleted; it is set up again when the folder comes back.
        """
        if self.project_config is not None:
            for path in (self.project_config.prd, self.project_config.decisions):
                server.watch(str(path))
                server.watch(str(path.parent), recursive=False)
                server.observer.schedule(_FolderRewatch(server, str(path)), str(path.parent), recursive=False)
        return server

    # ---- helpers --------------------------------------------------------------------

    def _leave_out_markdown_export(self, files: Files, config: MkDocsConfig) -> None:
        """The `markdown_export` file (or shard folder) duplicates the generated SAD: not a page."""
        if not self.config.markdown_export:
            return
        target = os.path.abspath(os.path.join(os.path.dirname(config.config_file_path or "."),
                                              self.config.markdown_export))
        left_out = [file for file in files if file.abs_src_path and (
            os.path.abspath(file.abs_src_path) == target
            or os.path.abspath(file.abs_src_path).startswith(target.rstrip(os.sep) + os.sep))]
        for file in left_out:
            files.remove(file)
        if left_out:
            log.info(f"left {len(left_out)} file(s) of the Markdown export {self.config.markdown_export} out of "
                     f"the site: they repeat the generated System Architecture Document")

    def _report(self, result: Build) -> None:
        for severity, diagnostic in result.analysis.reported:
            self._log(severity, diagnostic)

    @staticmethod
    def _log(severity: Severity, diagnostic: Diagnostic) -> None:
        if severity is Severity.ERROR:
            log.error(diagnostic.format())
        elif severity is Severity.WARN:
            log.warning(diagnostic.format())
        elif severity is Severity.INFO:
            log.info(diagnostic.format())

    def _mark_dependent_pages_changed(self, files: Files, result: Build) -> None:
        """Under `serve --dirty`, MkDocs skips pages whose source file did not change; a page
        with backlinks or markers changes when architecture.yml does, so give it its content."""
        digest = hashlib.sha256("".join(p.markdown for p in result.pages).encode("utf-8")).hexdigest()
        if self.dirty and self._rendered_from is not None and digest != self._rendered_from:
            for path in sorted(self.dependent_pages):
                file = files.get_file_from_path(path)
                if file is not None and not file.generated_by:
                    file.content_string = file.content_string  # in-memory content always counts as modified
        self._rendered_from = digest

    def _pages_left_out_of_nav(self, pages: list[str]) -> set[str]:
        """Component and decision pages of a kind that has more than `nav_item_limit` of them
        (none with `nav_section: false`, which leaves the nav to the site)."""
        assert self.project_config is not None
        out = self.project_config.output_dir
        unlisted: set[str] = set()
        if not self.config.nav_section:
            return unlisted
        for kind in ("components", "decisions"):
            of_kind = [p for p in pages if p.startswith(f"{out}/{kind}/")]
            if len(of_kind) > self.config.nav_item_limit:
                unlisted.update(of_kind)
        return unlisted

    @property
    def _nav_title(self) -> str:
        """The nav section's title: `nav_section: true` means the default, not "True"."""
        return "Architecture" if self.config.nav_section is True else str(self.config.nav_section)

    def _add_generated(self, files: Files, config: MkDocsConfig, path: str, content: str,
                       inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> None:
        existing = files.get_file_from_path(path)
        if existing is not None and not existing.generated_by:
            log.info(f"{path} exists in docs_dir: it is used instead of the generated page")
            return
        if existing is not None:
            files.remove(existing)
        file = _GeneratedFile.generated(config, path, content=content, inclusion=inclusion)
        file.unchanged = self.dirty and self._written.get(path) == content
        self._written[path] = content
        files.append(file)

    def _drop_undecodable_prd_pages(self, files: Files) -> None:
        """Leave out PRD pages that are not UTF-8: MkDocs would stop the rebuild reading them,
        with a traceback, and the problem page would never be shown."""
        assert self.project_config is not None
        prd = self.project_config.prd
        for file in list(files.documentation_pages()):
            path = Path(file.abs_src_path) if file.abs_src_path else None
            if path is None or not (path == prd or prd in path.parents):
                continue
            try:
                read_input(path, MAX_PRD_BYTES, prd if prd.is_dir() else prd.parent).decode("utf-8-sig")
            except (InputError, UnicodeDecodeError):
                files.remove(file)

    def _add_problem_page(self, files: Files, config: MkDocsConfig, error: ArchPluginError) -> None:
        assert self.project_config is not None
        path = f"{self.project_config.output_dir}/index.md"
        text = render_problem_page(error.message, error.hint, self.project_config.templates_dir)
        self._add_generated(files, config, path, text)

    def _with_backlinks(self, markdown: str, path: str) -> str:
        assert self.build_result is not None and self.project_config is not None
        result = self.build_result
        parsed, offset = self._parse_of_page(markdown, path)
        site = result.renderer.site
        links = Links(site, path)
        defined = result.analysis.prd.by_id
        # Only the definition that won (the first) gets the anchor, so every anchor is unique.
        seen: set[str] = set()
        mine = []
        for req in parsed.requirements:
            if req.id in defined and defined[req.id].source.file == path and req.id not in seen:
                seen.add(req.id)
                mine.append(req)

        def note(req):
            return traced_to_line(req, site.traced_to(req.id, links), site.addressing(req.id).covered)

        return add_backlinks(markdown, mine, note, site.requirement_anchor, offset, links.html)

    def _parse_of_page(self, markdown: str, path: str) -> tuple[FileParse, int]:
        """The PRD page's definitions, and how many lines before the page's Markdown they count.

        MkDocs hands over the file without its front matter: when the page is the tail of the
        text the core parsed, that parse is reused (parsing a page again costs as much as the
        whole PRD analysis); otherwise the page is parsed as it is.
        """
        assert self.project_config is not None
        latest = self.project.prd_cache.latest(path)
        if latest is not None:
            text, parsed = latest
            # MkDocs reads pages with universal newlines; markdown-it counts `\r\n` and a
            # lone `\r` as one line break too.
            text = _NEWLINES.sub("\n", text) if "\r" in text else text
            head = len(text) - len(markdown)
            if text.endswith(markdown) and (head == 0 or text[head - 1] == "\n"):
                return parsed, text.count("\n", 0, head)
        return self.page_cache.parse(markdown, path, self.project_config.settings), 0

    def _marker_block(self, marker: Marker, page: str) -> str | None:
        assert self.build_result is not None
        return self.build_result.renderer.marker(marker.name, marker.argument, page)

    def _extend_explicit_nav(self, config: MkDocsConfig, pages: list[str]) -> None:
        """Add the generated pages the user's `nav:` does not list, under `nav_section`."""
        listed = set(_nav_paths(config.nav))
        missing = [p for p in pages if p not in listed]
        if not missing:
            return
        out = f"{self.project_config.output_dir}/" if self.project_config else ""
        top = [p for p in missing if p.count("/") == out.count("/")]
        components = [p for p in missing if p.startswith(out + "components/")]
        decisions = [p for p in missing if p.startswith(out + "decisions/")]
        entries: list[Any] = list(top)
        if components:
            entries.append({"Components": components})
        if decisions:
            entries.append({"Decisions": decisions})
        config.nav.append({self._nav_title: entries})


class _FolderRewatch(FileSystemEventHandler):
    """Sets up the server's watch of an input folder again when the folder is created anew
    (deleted and restored, checked out, moved in): the old watch died with the old folder,
    and without it no edit inside the new one would rebuild the site."""

    def __init__(self, server: LiveReloadServer, folder: str) -> None:
        self.server = server
        self.folder = os.path.abspath(folder)

    def on_created(self, event: FileSystemEvent) -> None:
        self._renew(event.src_path, event.is_directory)

    def on_moved(self, event: FileSystemEvent) -> None:
        self._renew(getattr(event, "dest_path", ""), event.is_directory)

    def _renew(self, path: str | bytes, is_directory: bool) -> None:
        if not is_directory or os.path.abspath(os.fsdecode(path)) != self.folder:
            return
        try:
            self.server.unwatch(self.folder)
        except (KeyError, OSError):
            pass  # the old watch is gone already
        self.server.watch(self.folder)


class _GeneratedFile(File):
    """A generated file that `mkdocs serve --dirty` may skip, as it skips unchanged user pages:
    when its content is what the previous build wrote and the output is still there.

    MkDocs counts every in-memory file as modified; at scale that rebuilds thousands of
    component and decision pages after any save.
    """

    unchanged = False

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


def project_config(plugin: ArchConfig, config: MkDocsConfig) -> ProjectConfig:
    """The core's view of a site: the plugin's options resolved against mkdocs.yml."""
    docs_dir = Path(config.docs_dir)
    config_dir = Path(config.config_file_path or ".").resolve().parent
    return ProjectConfig(
        prd=docs_dir / plugin.prd,
        decisions=config_dir / plugin.decisions,
        docs_dir=docs_dir,
        config_dir=config_dir,
        output_dir=plugin.output_dir,
        checks=dict(plugin.checks),
        settings=PrdSettings.from_options(list(plugin.id_patterns), list(plugin.non_functional_prefixes),
                                          dict(plugin.section_words)),
        templates_dir=Path(plugin.templates_dir) if plugin.templates_dir else None,
        addressed_by=tuple(plugin.addressed_by),
        schema_dialect=plugin.schema_dialect,
        exports=tuple(plugin.exports),
        markdown_export=config_dir / plugin.markdown_export if plugin.markdown_export else None,
    )


def mermaid_script(option: str | None, docs_dir: str) -> tuple[str, str | None] | None:
    """The `mermaid_js` option as (URL in the site, file to copy there): a URL as written, a
    file of docs_dir at its own path (MkDocs copies it), any other file under assets/archplugin/."""
    if option is None:
        return None
    if _URL.match(option):
        return option, None
    docs = os.path.abspath(docs_dir)
    if option.startswith(docs.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(option, docs)).as_posix(), None
    return f"assets/archplugin/{os.path.basename(option)}", option


def _nav_paths(nav: Any) -> list[str]:
    """Every page path an explicit `nav:` lists, at any depth."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    return []


def _section_holds(section: Any, output_dir: str) -> bool:
    for child in getattr(section, "children", None) or []:
        file = getattr(child, "file", None)
        if file is not None and file.src_uri.startswith(output_dir + "/"):
            return True
        if getattr(child, "is_section", False) and _section_holds(child, output_dir):
            return True
    return False
