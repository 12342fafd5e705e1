"""Model + analysis → the generated Markdown pages and marker blocks, through Jinja2 templates.

Templates ship in `render/templates/`; a site's `templates_dir` is searched first, so one
page can be overridden by name, and then every template renders in a `SandboxedEnvironment`.
Text from inputs is always data to templates, never template code.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateError,
                    TemplateRuntimeError, pass_context)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from mkdocs_archplugin.diagnostics import ArchPluginError
from mkdocs_archplugin.render.precompiled import ShippedTemplateCode
from mkdocs_archplugin.render.text import (cell_prose, html_text, inline_prose, page_title, plain, prose, safe_url,
                                          template_inert)
from mkdocs_archplugin.render.view import Links, SiteView


@dataclass(frozen=True)
class GeneratedPage:
    """A page to add to the site: docs-relative path and Markdown."""

    path: str
    markdown: str


def _cell(value: object) -> str:
    """Plain text for a table cell; an em dash when empty."""
    text = plain(value)
    return text or "—"


def _html_cell(value: object) -> str:
    """`_cell` for a table written as HTML (`html_block`)."""
    return html_text(value) or "—"


@pass_context
def _html_block(context: Context, html: str) -> str:
    """An HTML block handed to MkDocs as a token, written into the page after conversion
    (render/html_links.py): for the tables whose rows grow with the PRD."""
    site = context.get("site")
    if not isinstance(site, SiteView):
        raise TemplateRuntimeError("html_block works in page templates only (in a macro: "
                                   "import the macros `with context`)")
    return site.html_blocks.token(html)


def _cellprose(value: object) -> str:
    return cell_prose(value) or "—"


def _fence(text: str, language: str) -> str:
    """A fenced block longer than any backtick run inside, so input cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


def _example(value: object) -> str:
    """A request or response example as a fenced JSON (or YAML for text) block."""
    if isinstance(value, str):
        return _fence(value, "text")
    return _fence(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False, default=str), "json")


def _code(value: object) -> str:
    """Text inside a backtick code span: no backtick or line break (`\r` too) can end it early."""
    return "" if value is None else " ".join(str(value).split()).replace("`", "'")


def _url(value: object) -> str:
    """A reference's URL as a link destination; empty unless http(s), mailto or relative."""
    text = str(value).strip()
    if not safe_url(text):
        return ""
    return text.replace(" ", "%20").replace(")", "%29").replace("(", "%28")


def make_environment(templates_dir: Path | None = None) -> Environment:
    """The shipped templates; with a site's `templates_dir`, its overrides first, in a sandbox.

    The sandbox checks every attribute access, which costs a third of rendering time at
    scale: it is used exactly when a template the package does not ship can run. Without
    overrides the environment, and so its compiled templates, is shared by every build of
    the process, and those templates come compiled ahead of time (render/precompiled.py):
    compiling them takes longer than rendering a small site.
    """
    if templates_dir is None:
        return _shipped_environment()
    return _environment(templates_dir)


@functools.lru_cache(maxsize=1)
def _shipped_environment() -> Environment:
    return _environment(None)


def _environment(templates_dir: Path | None) -> Environment:
    loaders = [PackageLoader("mkdocs_archplugin.render", "templates")]
    environment = Environment
    shipped_code: ShippedTemplateCode | None = ShippedTemplateCode()
    if templates_dir is not None:
        loaders.insert(0, FileSystemLoader(str(templates_dir)))
        environment, shipped_code = SandboxedEnvironment, None
    env = environment(
        loader=ChoiceLoader(loaders),
        autoescape=False,  # Markdown output: escaping is explicit, through the filters below
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        # Shipped templates never change in a process, and an override environment lives for
        # one build: no need to stat every template file on each of 3,000 renders.
        auto_reload=False,
        # No constant folding: compiled code never holds a filter's result computed at compile
        # time, so the precompiled modules depend on the templates and settings alone.
        # (It saves nothing measurable here: the templates apply no filter to a literal.)
        optimized=False,
        bytecode_cache=shipped_code,
    )
    env.filters.update(
        plain=plain, prose=prose, inlineprose=inline_prose, cell=_cell, cellprose=_cellprose,
        fence=_fence, example=_example, code=_code, url=_url, pagetitle=page_title,
        htmlcell=_html_cell, html_block=_html_block,
    )
    return env


def render_problem_page(message: str, hint: str, templates_dir: Path | None = None) -> str:
    """The page shown instead of the architecture when it cannot be built (`problem.md.j2`,
    overridable like the others): what went wrong and what to do."""
    environment = make_environment(templates_dir)
    try:
        text = environment.get_template("problem.md.j2").render(message=message, hint=hint)
    except TemplateError:
        # A broken override still shows the problem, with the shipped template.
        text = _shipped_environment().get_template("problem.md.j2").render(message=message, hint=hint)
    return template_inert(re.sub(r"\n{3,}", "\n\n", text).strip()) + "\n"


class Renderer:
    """Renders the site's pages and marker blocks from one SiteView."""

    def __init__(self, site: SiteView, templates_dir: Path | None = None) -> None:
        self.site = site
        self.env = make_environment(templates_dir)

    def _render(self, template: str, page: str, **context: object) -> str:
        try:
            text = self.env.get_template(template).render(site=self.site, link=Links(self.site, page), **context)
        except (TemplateError, OverflowError, RecursionError, MemoryError) as error:
            # The sandbox refuses `range(10**9)` with OverflowError, not a TemplateError.
            # Only an override template can fail here: name it, with its line when known.
            line = getattr(error, "lineno", None)
            where = f"{template}:{line}" if line else template
            raise ArchPluginError(f"{where}: {type(error).__name__}: {error}",
                                  "fix the override in templates_dir") from None
        return template_inert(re.sub(r"\n{3,}", "\n\n", text).strip()) + "\n"

    def _page(self, template: str, page: str, **context: object) -> str:
        # Text from inputs may look like Jinja (`{{ 7*7 }}`, `{#fff}`): mkdocs-macros, which
        # renders every page as a template by default, must leave generated pages alone.
        return "---\nrender_macros: false\n---\n\n" + self._render(template, page, **context)

    def pages(self) -> list[GeneratedPage]:
        """Every generated page, in a stable order."""
        layout = self.site.layout
        result = [
            GeneratedPage(layout.index, self._page("index.md.j2", layout.index)),
            GeneratedPage(layout.traceability, self._page("traceability.md.j2", layout.traceability)),
            GeneratedPage(layout.todo, self._page("todo.md.j2", layout.todo)),
        ]
        for component in self.site.components:
            if self.site.component_by_id[component.id] is not component:
                continue  # a duplicate id: reported, and the first one gets the page
            path = layout.component(self.site.component_slugs[component.id])
            result.append(GeneratedPage(path, self._page("component.md.j2", path, component=component)))
        for decision in self.site.decisions:
            if self.site.decision_by_id[decision.id] is not decision:
                continue
            path = layout.decision(self.site.decision_slugs[decision.id])
            result.append(GeneratedPage(path, self._page("decision.md.j2", path, decision=decision)))
        return result

    def marker(self, name: str, argument: str, page: str) -> str | None:
        """The Markdown block for `<!-- archplugin:NAME ARG -->`, or None for an unknown marker."""
        if name == "traceability":
            return self._render("_matrix.md.j2", page)
        if name == "nfr-coverage":
            return self._render("_nfr_coverage.md.j2", page)
        if name == "summary":
            return self._render("_summary.md.j2", page)
        if name == "decisions":
            return self._render("marker_decisions.md.j2", page)
        if name == "component":
            component = self.site.component_by_id.get(argument)
            if component is None:
                return None
            return self._render("marker_component.md.j2", page, component=component)
        return None

