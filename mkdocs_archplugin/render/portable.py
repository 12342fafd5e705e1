"""The System Architecture Document as portable Markdown: one file, or BMAD-style shards.

What BMAD's story and dev agents, spec-kit and a repository browser read from disk: GitHub /
GitLab flavoured Markdown with Mermaid fences, anchors that stay put across exports, and
links to the PRD file itself. The sections and their shard names are one table,
`PORTABLE_SECTIONS`, which `archplugin import` reads back as well.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs_archplugin.architecture.model import Architecture, Endpoint, IdRange, parse_range
from mkdocs_archplugin.render.pages import make_environment
from mkdocs_archplugin.render.text import plain, relative_path, slug, template_inert
from mkdocs_archplugin.render.view import Links, SiteView


@dataclass(frozen=True)
class PortableSection:
    """A top-level section: its key in architecture.yml terms, its heading, and whether the
    architecture has anything to show in it (empty sections are left out)."""

    key: str
    title: str
    present: Callable[[Architecture], bool]

    @property
    def shard(self) -> str:
        """The shard's file name, as BMAD's shard-doc names it: the heading, slugged."""
        return slug(self.title) + ".md"


def _prose(key: str) -> Callable[[Architecture], bool]:
    return lambda arch: getattr(arch, key) is not None


#: The sections in document order. Titles follow BMAD's architecture template where it has one
#: (Tech Stack, Data Models, Source Tree, Coding Standards, …), so the shards carry the file
#: names its agents load (`tech-stack.md`, `source-tree.md`, `coding-standards.md`).
PORTABLE_SECTIONS: tuple[PortableSection, ...] = (
    PortableSection("overview", "Introduction", lambda a: True),
    PortableSection("stack", "Tech Stack", lambda a: bool(a.stack)),
    PortableSection("services", "Third-party Services", lambda a: bool(a.services)),
    PortableSection("high_level", "High Level Architecture",
                    lambda a: bool(a.all_patterns() or a.context or a.components)),
    PortableSection("components", "Components", lambda a: bool(a.components)),
    PortableSection("data_models", "Data Models", lambda a: bool(a.entities)),
    PortableSection("database_schema", "Database Schema", lambda a: bool(a.entities or a.schema_)),
    PortableSection("api", "API Specification", lambda a: bool(a.api or a.interfaces)),
    PortableSection("workflows", "Core Workflows", lambda a: bool(a.flows)),
    PortableSection("security", "Security", _prose("security")),
    PortableSection("scalability", "Scalability and Performance", _prose("scalability")),
    PortableSection("deployment", "Deployment", _prose("deployment")),
    PortableSection("observability", "Monitoring and Observability", _prose("observability")),
    PortableSection("guidelines", "Coding Standards", _prose("guidelines")),
    PortableSection("source_tree", "Source Tree", lambda a: bool(a.source_tree)),
    PortableSection("decisions", "Architectural Decisions", lambda a: bool(a.decisions)),
    PortableSection("tradeoffs", "Trade-offs", lambda a: bool(a.tradeoffs)),
    PortableSection("risks", "Risks and Technical Debt", lambda a: bool(a.risks)),
    PortableSection("future", "Future Considerations", _prose("future")),
    PortableSection("glossary", "Glossary", lambda a: bool(a.glossary)),
    PortableSection("references", "References", lambda a: bool(a.references)),
    PortableSection("nfrs_addressed", "NFRs Addressed", lambda a: True),
)

#: The template macro of each section (prose sections share one).
_PROSE_KEYS = frozenset({"security", "scalability", "deployment", "observability", "guidelines", "future"})

#: Which section holds each kind of anchor, so a link from another shard names its file.
_ANCHOR_SECTION = {
    "component": "components", "decision": "decisions", "entity": "data_models",
    "endpoint": "api", "interface": "api", "flow": "workflows", "risk": "risks",
}

INDEX_FILE = "index.md"


class PortableLinks(Links):
    """Links between the export's own anchors (in one file or across shards) and to the PRD
    file as it lies in the repository: no link to a generated site page."""

    def __init__(self, site: SiteView, page: str, shards: dict[str, str], prd_folder: str) -> None:
        super().__init__(site, page)
        self.tokens = None  # a portable file is Markdown read outside MkDocs: never link tokens
        #: section key → the file (relative to the export folder) that holds it.
        self.shards = shards
        #: The PRD's docs folder, relative to the export folder.
        self.prd_folder = prd_folder

    def _anchor(self, section: str, anchor: str) -> str:
        file = self.shards.get(section, self.page)
        return f"#{anchor}" if file == self.page else f"{relative_path(self._folder, file)}#{anchor}"

    def component_anchor(self, component_id: str) -> str:
        return "component-" + self.site.component_slugs[component_id]

    def decision_anchor(self, decision_id: str) -> str:
        return "decision-" + self.site.decision_slugs[decision_id]

    def _requirement_link(self, requirement_id: str) -> str:
        req = self.site.prd.by_id.get(requirement_id)
        if req is None:
            return f"{self.text(requirement_id)} ⚠️"
        target = posixpath.normpath(posixpath.join(self.prd_folder, req.source.file))
        return f"[{plain(requirement_id)}]({target})"

    def req(self, requirement_id: str) -> str:
        return self._requirement_link(requirement_id)

    def ref(self, ref: str) -> str:
        """A requirement reference as written in architecture.yml: an id, or a range kept a range."""
        try:
            span: IdRange | None = parse_range(ref)
        except ValueError:
            span = None
        if span is None:
            return self.req(ref)
        return f"{self.req(span.first)}..{self.req(span.last)}"

    def component(self, component_id: str) -> str:
        component = self.site.component_by_id.get(component_id)
        if component is None:
            return f"{self.text(component_id)} ⚠️"
        return f"[{plain(component.name)}]({self._anchor('components', self.component_anchor(component_id))})"

    def decision(self, decision_id: str) -> str:
        if decision_id not in self.site.decision_by_id:
            return f"{self.text(decision_id)} ⚠️"
        return f"[{plain(decision_id)}]({self._anchor('decisions', self.decision_anchor(decision_id))})"

    def entity(self, name: str) -> str:
        if name not in self.site.entity_names:
            return f"{self.text(name)} ⚠️"
        return f"[{plain(name)}]({self._anchor('data_models', self.site.entity_anchor(name))})"

    def endpoint(self, endpoint: Endpoint) -> str:
        anchor = self.site.endpoint_anchor(endpoint)
        return f"[`{endpoint.method} {' '.join(endpoint.path.split())}`]({self._anchor('api', anchor)})"

    def _sad(self, text: str, text_html: str, kind: str, key: str) -> str:
        section = key if kind == "strategy" else _ANCHOR_SECTION[kind]
        return f"[{text}]({self._anchor(section, self.site.anchor(kind, key))})"

    def generated(self, name: str) -> str:
        return self._anchor("overview", "") if name == "index" else ""


def portable_markdown(site: SiteView, export_path: str, docs_dir: str, sharded: bool) -> dict[str, str]:
    """The export's files by path relative to the export location: `{"": text}` for one file
    (`export_path` is that file), or `index.md` plus one shard per section (`export_path` is
    the folder). `docs_dir` is where PRD labels are relative to; both are POSIX paths."""
    arch = site.arch
    if arch is None:
        raise ValueError("no architecture to export")
    sections = [section for section in PORTABLE_SECTIONS if section.present(arch)]
    folder = export_path if sharded else (posixpath.dirname(export_path) or ".")
    prd_folder = posixpath.relpath(docs_dir, folder) if docs_dir != folder else "."
    template = make_environment().get_template("portable.md.j2")
    if not sharded:
        links = PortableLinks(site, "", {}, prd_folder)
        module = template.make_module({"site": site, "arch": arch, "link": links})
        parts = [str(module.title())]
        for section in sections:
            parts.append(f"## {section.title}\n\n" + _section(module, section))
        return {"": _tidy("\n\n".join(parts))}
    shards = {section.key: section.shard for section in sections}
    files: dict[str, str] = {}
    title_links = PortableLinks(site, INDEX_FILE, shards, prd_folder)
    title = str(template.make_module({"site": site, "arch": arch, "link": title_links}).title())
    toc = "\n".join(f"- [{section.title}]({section.shard})" for section in sections)
    files[INDEX_FILE] = _tidy(f"{title}\n\n## Sections\n\n{toc}")
    for section in sections:
        links = PortableLinks(site, section.shard, shards, prd_folder)
        module = template.make_module({"site": site, "arch": arch, "link": links})
        files[section.shard] = _tidy(f"# {section.title}\n\n" + _promoted(_section(module, section)))
    return files


def _section(module, section: PortableSection) -> str:
    if section.key in _PROSE_KEYS:
        return str(module.prose_section(section.key))
    return str(getattr(module, section.key)())


_FENCE = re.compile(r"^(`{3,}|~{3,})")


def _promoted(text: str) -> str:
    """Headings one level up, as BMAD's sharding does (`### X` → `## X`); fences untouched."""
    out, fence = [], ""
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if line.startswith(fence) and line.strip() == fence:
                fence = ""
        elif opening:
            fence = opening.group(1)
        elif line.startswith("##"):
            line = line[1:]
        out.append(line)
    return "\n".join(out)


def _tidy(text: str) -> str:
    return template_inert(re.sub(r"\n{3,}", "\n\n", text).strip()) + "\n"
