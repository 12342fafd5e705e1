"""The core pipeline, shared by the plugin and the CLI: read inputs → analyse → pages and exports.

An ArchProject keeps content-keyed caches, so `mkdocs serve` re-parses only the inputs
that changed. It imports nothing from MkDocs.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from mkdocs_archplugin.analysis.result import Analysis, analyse
from mkdocs_archplugin.analysis.traceability import DEFAULT_ADDRESSED_BY
from mkdocs_archplugin.architecture import load_architecture
from mkdocs_archplugin.architecture.load import architecture_files
from mkdocs_archplugin.architecture.schema_copies import outdated_schema_copies
from mkdocs_archplugin.architecture.sql import DEFAULT_DIALECT
from mkdocs_archplugin.architecture.yaml_reader import MAX_FILE_BYTES
from mkdocs_archplugin.inputs import InputError, read_input
from mkdocs_archplugin.architecture.model import Architecture
from mkdocs_archplugin.diagnostics import Diagnostic
from mkdocs_archplugin.prd import Prd, PrdCache, PrdSettings, parse_prd
from mkdocs_archplugin.render.html_links import HtmlLinks
from mkdocs_archplugin.render.pages import GeneratedPage, Renderer
from mkdocs_archplugin.render.view import Layout, SiteView


@dataclass(frozen=True)
class ProjectConfig:
    """Resolved inputs of one site: absolute paths, output folder, checks, PRD grammar."""

    prd: Path
    decisions: Path
    docs_dir: Path
    config_dir: Path
    output_dir: str = "architecture"
    checks: dict[str, str] = field(default_factory=dict)
    settings: PrdSettings = field(default_factory=PrdSettings)
    templates_dir: Path | None = None
    exports: tuple[str, ...] = ("json", "graph")
    #: What may address an NFR (`addressed_by` option): kinds of ADDRESSING_KINDS.
    addressed_by: tuple[str, ...] = DEFAULT_ADDRESSED_BY
    #: The SQL dialect of the generated DDL and of a written `schema` (`schema_dialect` option).
    schema_dialect: str = DEFAULT_DIALECT
    #: Where `export --markdown` writes the portable SAD when not told (`markdown_export`).
    markdown_export: Path | None = None
    #: The plugin's link tokens (render/html_links.py), kept across serve rebuilds; None: each
    #: build makes its own, and its pages hold tokens that only the plugin writes out.
    html_links: HtmlLinks | None = field(default=None, compare=False)


@dataclass
class Build:
    """One run of the pipeline: the analysis, the pages, and how long each phase took."""

    analysis: Analysis
    pages: list[GeneratedPage]
    exports: dict[str, str]
    renderer: Renderer
    timings: dict[str, float]

    def add_timing(self, stage: str, seconds: float) -> None:
        """Count time the plugin spends on this build outside the pipeline (MkDocs events)."""
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds
        self.timings["total"] += seconds


class ArchProject:
    """Inputs → Build, with caches that survive `mkdocs serve` rebuilds."""

    def __init__(self) -> None:
        self.prd_cache = PrdCache()
        self._arch_key: str | None = None
        self._arch: tuple[Architecture | None, list[Diagnostic]] | None = None
        self.arch_loads = 0
        self._last: tuple[tuple[Prd, str | None, ProjectConfig], Build] | None = None

    def read_prd(self, config: ProjectConfig) -> Prd:
        """The PRD, labels relative to docs_dir; ArchPluginError when it is missing or unreadable."""
        return parse_prd([config.prd], config.settings, root=config.docs_dir, cache=self.prd_cache)

    def read_architecture(self, config: ProjectConfig) -> tuple[Architecture | None, list[Diagnostic]]:
        """architecture.yml, loaded again only when a file's bytes changed."""
        key = _content_key(config.decisions)
        if key != self._arch_key or self._arch is None:
            self._arch = load_architecture(config.decisions, _label(config.decisions, config.config_dir))
            self._arch_key = key
            self.arch_loads += 1
        return self._arch

    def analyse(self, config: ProjectConfig, timings: dict[str, float] | None = None) -> Analysis:
        """Parse and cross-check, without rendering (what `archplugin check` and `export` need).

        A missing or unreadable PRD raises ArchPluginError.
        """
        with cyclic_gc_paused():
            return self._analyse(config, {} if timings is None else timings)

    def _analyse(self, config: ProjectConfig, timings: dict[str, float]) -> Analysis:
        prd, arch, arch_diagnostics = self._read(config, timings)
        return self._cross_check(prd, arch, arch_diagnostics, config, timings)

    def _read(self, config: ProjectConfig, timings: dict[str, float]) -> tuple[Prd, Architecture | None, list[Diagnostic]]:
        mark = time.perf_counter()
        prd = self.read_prd(config)
        timings["parse_prd"] = time.perf_counter() - mark
        mark = time.perf_counter()
        arch, arch_diagnostics = self.read_architecture(config)
        # Not cached with the architecture: the copies change without architecture.yml changing.
        arch_diagnostics = arch_diagnostics + outdated_schema_copies(
            config.decisions, config.config_dir, lambda path: _label(path, config.config_dir))
        timings["load_architecture"] = time.perf_counter() - mark
        return prd, arch, arch_diagnostics

    @staticmethod
    def _cross_check(prd: Prd, arch: Architecture | None, arch_diagnostics: list[Diagnostic],
                     config: ProjectConfig, timings: dict[str, float]) -> Analysis:
        mark = time.perf_counter()
        analysis = analyse(prd, arch, arch_diagnostics, config.checks, config.addressed_by, config.schema_dialect)
        timings["analyse"] = time.perf_counter() - mark
        return analysis

    def build(self, config: ProjectConfig) -> Build:
        """Analyse, then render the pages and exports, timing each phase."""
        with cyclic_gc_paused():
            return self._build(config)

    def _build(self, config: ProjectConfig) -> Build:
        timings: dict[str, float] = {}
        start = time.perf_counter()
        prd, arch, arch_diagnostics = self._read(config, timings)
        # `mkdocs serve` rebuilds after any saved page: when neither input changed, the
        # previous pages are still right (unless override templates, which can change too).
        inputs = (prd, self._arch_key, config, tuple(arch_diagnostics))
        if self._last is not None and config.templates_dir is None and self._last[0] == inputs:
            timings["total"] = time.perf_counter() - start
            return replace(self._last[1], timings=timings)
        analysis = self._cross_check(prd, arch, arch_diagnostics, config, timings)

        mark = time.perf_counter()
        if config.html_links is not None:
            # The previous pages' links are forgotten: they can no longer be reused.
            self._last = None
            config.html_links.forget()
        layout = Layout(config.output_dir.strip("/"))
        site = SiteView(analysis, layout, {file: file for file in analysis.prd.files}, config.schema_dialect,
                        config.html_links)
        renderer = Renderer(site, config.templates_dir)
        pages = renderer.pages()
        timings["render"] = time.perf_counter() - mark

        mark = time.perf_counter()
        exports = render_exports(analysis, layout, config.exports)
        timings["exports"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - start
        build = Build(analysis, pages, exports, renderer, timings)
        self._last = (inputs, build)
        return build


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the pipeline runs.

    The pipeline allocates hundreds of thousands of long-lived objects (tokens, located YAML
    values, model items, page text); each allocation burst makes the collector walk all of
    them again, a third of the plugin's time at 10,000 requirements. Reference counting still
    frees what dies, and the collector catches up on cycles when it resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_exports(analysis: Analysis, layout: Layout, kinds: tuple[str, ...]) -> dict[str, str]:
    """Docs-relative path → content of each configured export."""
    from mkdocs_archplugin.exports import export_graph, export_json, export_needs_json

    result: dict[str, str] = {}
    if "json" in kinds:
        result[f"{layout.output_dir}/traceability.json"] = export_json(analysis)
    if "graph" in kinds:
        result[f"{layout.output_dir}/knowledge-graph.jsonl"] = export_graph(analysis)
    if "needs" in kinds:
        result[f"{layout.output_dir}/needs.json"] = export_needs_json(analysis)
    return result


def _content_key(path: Path) -> str:
    """A digest of a file's or folder's YAML bytes and names: equal keys, equal inputs."""
    digest = hashlib.sha256()
    folder = path if path.is_dir() else path.parent
    for file in architecture_files(path) if path.exists() else []:
        digest.update(file.as_posix().encode())
        try:
            digest.update(read_input(file, MAX_FILE_BYTES, folder))
        except InputError as error:
            digest.update(error.message.encode())
    return digest.hexdigest()


def _label(path: Path, root: Path) -> str:
    """`architecture.yml` rather than `/home/…/architecture.yml` in messages: relative to mkdocs.yml."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
