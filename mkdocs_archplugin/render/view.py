"""What templates see: the analysed site with lookups and links, computed once per build."""

from __future__ import annotations

import posixpath

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from mkdocs_archplugin.analysis.result import Analysis
from mkdocs_archplugin.analysis.traceability import STRATEGY_SECTIONS, Addresser, describe_addressing
from mkdocs_archplugin.architecture.sql import DEFAULT_DIALECT, entities_ddl
from mkdocs_archplugin.architecture.model import (
    Component,
    Decision,
    Endpoint,
    Entity,
    Flow,
    Interface,
    Pattern,
    Risk,
    SourcePath,
)
from mkdocs_archplugin.diagnostics import Severity
from mkdocs_archplugin.prd.model import Requirement
from mkdocs_archplugin.render import diagrams
from mkdocs_archplugin.render.html_links import HtmlBlocks, HtmlLinks, LinkTarget
from mkdocs_archplugin.render.text import (
    html_text,
    link_title,
    plain,
    relative_path,
    requirement_anchor,
    requirement_anchors,
    slug,
    unique_slugs,
)

#: How many decisions a supersession chain shows each side of the page's own: a long chain
#: shown whole on each of its pages would make the output quadratic in its length.
CHAIN_REACH = 5

PROSE_TITLES = (
    ("security", "Security"),
    ("scalability", "Scalability & performance"),
    ("deployment", "Deployment"),
    ("observability", "Monitoring & observability"),
    ("guidelines", "Development guidelines"),
)


@dataclass(frozen=True)
class Layout:
    """Where the generated pages go, docs-relative, and where the PRD page(s) are."""

    output_dir: str = "architecture"

    @property
    def index(self) -> str:
        return f"{self.output_dir}/index.md"

    @property
    def traceability(self) -> str:
        return f"{self.output_dir}/traceability.md"

    @property
    def todo(self) -> str:
        return f"{self.output_dir}/todo.md"

    def component(self, component_slug: str) -> str:
        return f"{self.output_dir}/components/{component_slug}.md"

    def decision(self, decision_slug: str) -> str:
        return f"{self.output_dir}/decisions/{decision_slug}.md"


class SiteView:
    """The analysed inputs as templates use them; every lookup is a dict built once."""

    prose_titles = PROSE_TITLES

    def __init__(self, analysis: Analysis, layout: Layout, prd_pages: dict[str, str] | None = None,
                 schema_dialect: str = DEFAULT_DIALECT, html_links: HtmlLinks | None = None) -> None:
        #: Links and large tables become tokens, written as HTML after conversion: by the
        #: plugin, with its own `HtmlLinks`, which outlive a build under `mkdocs serve`.
        self.html_links = html_links or HtmlLinks()
        self.html_blocks = HtmlBlocks(self.html_links)
        #: The SQL dialect of the generated DDL (`schema_dialect` option).
        self.schema_dialect = schema_dialect
        self.analysis = analysis
        self.prd = analysis.prd
        self.arch = analysis.arch
        self.trace = analysis.trace
        self.layout = layout
        #: PRD source file label → its docs-relative page path (labels already are, in the plugin).
        self.prd_pages = prd_pages or {}
        self.prd_page_paths = frozenset(self.prd_pages.values())
        #: Requirement links by (folder linked from, id): every page of a folder links alike,
        #: and the matrix, the SAD and 3,000 item pages link 40,000 requirements at scale.
        self.requirement_links: dict[tuple[str, str], str] = {}

    # ---- inputs ---------------------------------------------------------------------

    @property
    def prd_title(self) -> str:
        return self.prd.title or "Product"

    @property
    def requirements(self) -> list[Requirement]:
        return list(self.prd.by_id.values())

    @cached_property
    def nfrs(self) -> list[Requirement]:
        return [r for r in self.requirements if r.is_nfr]

    @property
    def components(self) -> list[Component]:
        return list(self.arch.components) if self.arch else []

    @property
    def decisions(self) -> list[Decision]:
        return list(self.arch.decisions) if self.arch else []

    @property
    def entities(self) -> list[Entity]:
        return list(self.arch.entities) if self.arch else []

    @property
    def endpoints(self) -> list[Endpoint]:
        return list(self.arch.api.endpoints) if self.arch and self.arch.api else []

    @cached_property
    def component_slugs(self) -> dict[str, str]:
        return unique_slugs([c.id for c in self.components])

    @cached_property
    def decision_slugs(self) -> dict[str, str]:
        return unique_slugs([d.id for d in self.decisions])

    @cached_property
    def component_by_id(self) -> dict[str, Component]:
        result: dict[str, Component] = {}
        for component in self.components:
            result.setdefault(component.id, component)
        return result

    @cached_property
    def decision_by_id(self) -> dict[str, Decision]:
        result: dict[str, Decision] = {}
        for decision in self.decisions:
            result.setdefault(decision.id, decision)
        return result

    @cached_property
    def entity_names(self) -> set[str]:
        return {e.name for e in self.entities}

    @property
    def patterns(self) -> list[Pattern]:
        return self.arch.all_patterns() if self.arch else []

    @property
    def interfaces(self) -> list[Interface]:
        return list(self.arch.interfaces) if self.arch else []

    @property
    def flows(self) -> list[Flow]:
        return list(self.arch.flows) if self.arch else []

    @property
    def risks(self) -> list[Risk]:
        return list(self.arch.risks) if self.arch else []

    @property
    def source_tree(self) -> list[SourcePath]:
        return list(self.arch.source_tree) if self.arch else []

    @cached_property
    def _anchor_slugs(self) -> dict[tuple[str, str], str]:
        """Anchors on the SAD for risks, flows and interfaces, unique within each kind."""
        result: dict[tuple[str, str], str] = {}
        for kind, keys in (("risk", [r.id for r in self.risks]), ("flow", [f.id for f in self.flows]),
                           ("interface", [i.key for i in self.interfaces])):
            for key, value in unique_slugs(keys).items():
                result[kind, key] = f"{kind}-{value}"
        return result

    def anchor(self, kind: str, key: str) -> str:
        """The SAD anchor of a risk, flow or interface (`risk-r-1`), or of a strategy section."""
        if kind == "strategy":
            return f"strategy-{key}"
        return self._anchor_slugs.get((kind, key)) or f"{kind}-{slug(key)}"

    # ---- traceability ---------------------------------------------------------------

    def requirements_of(self, item: object) -> list[str]:
        """The requirement ids an architecture item names, ranges expanded, in PRD order."""
        if item is None or self.trace is None:
            return []
        return sorted(self.trace.requirements_of(item), key=self._prd_position.__getitem__)

    @cached_property
    def _prd_position(self) -> dict[str, int]:
        return {requirement_id: index for index, requirement_id in enumerate(self.prd.by_id)}

    def addressing(self, requirement_id: str):
        """The RequirementTrace of an id (empty when the YAML could not be read)."""
        if self.trace is None or requirement_id not in self.trace.requirements:
            return _NO_ADDRESSING
        return self.trace.of(requirement_id)

    def nfr_covered(self, requirement_id: str) -> bool:
        return self.addressing(requirement_id).covered

    @property
    def addressing_words(self) -> str:
        """What may address an NFR on this site, in words (`an accepted decision, … or …`)."""
        return describe_addressing(self.analysis.addressed_by)

    @property
    def coverage(self):
        return self.analysis.coverage

    @cached_property
    def gaps(self) -> list[tuple[Requirement, str]]:
        """Requirements without what should address them, NFRs first."""
        result: list[tuple[Requirement, str]] = []
        for req in self.nfrs:
            if not self.nfr_covered(req.id):
                result.append((req, f"addressed by no {self.addressing_words.split(' ', 1)[1]}"))
        for req in self.requirements:
            if not req.is_nfr and not self.addressing(req.id).covered:
                result.append((req, "no component, entity, endpoint or interface names it"))
        return result

    def nfr_targets(self) -> list[Requirement]:
        return [r for r in self.nfrs if r.targets]

    def addressed_by_links(self, requirement_id: str, link: "Links") -> str:
        """What addresses a requirement, each with its kind; decisions that name it but do not
        count (proposed, superseded, …) follow, marked. An em dash when there is nothing."""
        a = self.addressing(requirement_id)
        parts = [link.addresser(x) for x in a.addressers]
        if "decisions" in self.analysis.addressed_by:
            parts += [f"{link.decision(d.id)} ({d.status}, not counted)" for d in a.decisions if d.status != "accepted"]
        return ", ".join(parts) or "—"

    def traced_by_links(self, requirement_id: str, link: "Links") -> str:
        """The components, entities, endpoints, interfaces and flows that name a requirement."""
        a = self.addressing(requirement_id)
        parts = [link.component(c.id) for c in a.components]
        parts += [link.entity(e.name) for e in a.entities]
        parts += [link.endpoint(e) for e in a.endpoints]
        parts += [link.interface(i) for i in a.interfaces]
        parts += [link.flow(f) for f in a.flows]
        return ", ".join(parts) or "—"

    def traced_to(self, requirement_id: str, link: "Links") -> list[str]:
        """Everything a PRD backlink lists: what addresses the requirement, then what traces it."""
        a = self.addressing(requirement_id)
        parts = [link.addresser(x) for x in a.addressers]
        parts += [f"{link.decision(d.id)} ({d.status})" for d in a.decisions if d.status != "accepted"]
        traced = self.traced_by_links(requirement_id, link)
        return parts + ([traced] if traced != "—" else [])

    def kind_label(self, requirement_id: str) -> str:
        req = self.prd.by_id.get(requirement_id)
        return "NFR" if req and req.is_nfr else "FR" if req else "?"

    def requirement_title(self, requirement_id: str) -> str:
        req = self.prd.by_id.get(requirement_id)
        return req.title if req else "(not defined in the PRD)"

    def requirement_targets(self, requirement_id: str) -> tuple[str, ...]:
        req = self.prd.by_id.get(requirement_id)
        return req.targets if req else ()

    # ---- relations between architecture items --------------------------------------

    @cached_property
    def _used_by(self) -> dict[str, list[Component]]:
        return _grouped(self.components, lambda c: c.depends_on)

    def used_by(self, component_id: str) -> list[Component]:
        return self._used_by.get(component_id, [])

    @cached_property
    def _interfaces_by_component(self) -> dict[str, list[Interface]]:
        return _grouped(self.interfaces, lambda i: [i.component] if i.component else [])

    def interfaces_for_component(self, component_id: str) -> list[Interface]:
        return self._interfaces_by_component.get(component_id, [])

    @cached_property
    def _flows_by_participant(self) -> dict[str, list[Flow]]:
        return _grouped(self.flows, self.participants)

    def flows_for_component(self, component_id: str) -> list[Flow]:
        return self._flows_by_participant.get(component_id, [])

    @cached_property
    def _paths_by_component(self) -> dict[str, list[SourcePath]]:
        return _grouped(self.source_tree, lambda p: [p.component] if p.component else [])

    def paths_for_component(self, component_id: str) -> list[SourcePath]:
        return self._paths_by_component.get(component_id, [])

    @cached_property
    def _decisions_by_component(self) -> dict[str, list[Decision]]:
        return _grouped(self.decisions, lambda d: d.components)

    def decisions_for_component(self, component_id: str) -> list[Decision]:
        return self._decisions_by_component.get(component_id, [])

    @cached_property
    def _endpoints_by_component(self) -> dict[str, list[Endpoint]]:
        return _grouped(self.endpoints, lambda e: [e.component] if e.component else [])

    def endpoints_for_component(self, component_id: str) -> list[Endpoint]:
        return self._endpoints_by_component.get(component_id, [])

    @cached_property
    def _entities_by_component(self) -> dict[str, list[Entity]]:
        return _grouped(self.entities, lambda e: [e.component] if e.component else [])

    def entities_for_component(self, component_id: str) -> list[Entity]:
        return self._entities_by_component.get(component_id, [])

    @cached_property
    def _superseded_by(self) -> dict[str, list[Decision]]:
        return _grouped(self.decisions, lambda d: d.supersedes)

    def superseded_by(self, decision_id: str) -> list[Decision]:
        return self._superseded_by.get(decision_id, [])

    def supersession_chain(self, decision_id: str) -> list[Decision | None]:
        """Oldest to newest through `supersedes`, through this decision, stopping at a cycle or
        an unknown id; at most CHAIN_REACH decisions each side, None where the chain goes on."""
        current = self.decision_by_id.get(decision_id)
        if current is None:
            return []
        seen = {current.id}
        older: list[Decision] = []
        step = current
        while step.supersedes and len(older) <= CHAIN_REACH:
            previous = self.decision_by_id.get(step.supersedes[0])
            if previous is None or previous.id in seen:
                break
            seen.add(previous.id)
            older.append(previous)
            step = previous
        newer: list[Decision] = []
        step = current
        while len(newer) <= CHAIN_REACH:
            later = self.superseded_by(step.id)
            if not later or later[0].id in seen:
                break
            step = later[0]
            seen.add(step.id)
            newer.append(step)
        chain: list[Decision | None] = [*reversed(older[:CHAIN_REACH]), current, *newer[:CHAIN_REACH]]
        if len(older) > CHAIN_REACH:
            chain.insert(0, None)
        if len(newer) > CHAIN_REACH:
            chain.append(None)
        return chain

    # ---- diagrams and anchors -------------------------------------------------------

    @cached_property
    def component_diagrams(self) -> diagrams.ComponentDiagrams:
        return diagrams.component_diagrams(self.components)

    #: The figures the SAD's per-layer rule is stated with.
    mermaid_limits = diagrams.MERMAID_LIMITS
    legible_components = diagrams.LEGIBLE_COMPONENTS
    legible_layer_components = diagrams.LEGIBLE_LAYER_COMPONENTS

    def context_diagram(self) -> str:
        context = self.arch.context if self.arch else None
        name = (self.arch.product if self.arch and self.arch.product else None) or self.prd_title
        return diagrams.context_diagram(name, context.people if context else [],
                                        context.external_systems if context else [], self.components)

    @property
    def has_context(self) -> bool:
        context = self.arch.context if self.arch else None
        return bool(context and (context.people or context.external_systems))

    @cached_property
    def _participant_names(self) -> dict[str, str]:
        """Flow participants by what steps call them: component ids, people and system names."""
        names = {c.id: c.name for c in self.components}
        context = self.arch.context if self.arch else None
        if context:
            names.update({p.name: p.name for p in context.people})
            names.update({x.name: x.name for x in context.external_systems})
        return names

    def sequence_diagram(self, flow: Flow) -> str:
        return diagrams.sequence_diagram(flow, self._participant_names)

    @staticmethod
    def participants(flow: Flow) -> list[str]:
        """A flow's participants in order of appearance."""
        return list(dict.fromkeys(name for step in flow.steps for name in (step.from_, step.to)))

    def participant(self, name: str, link: "Links") -> str:
        """A flow participant: a link for a component, plain text for a person or system."""
        return link.component(name) if name in self.component_by_id else link.text(name)

    @property
    def open_risks_without_mitigation(self) -> list[Risk]:
        return [r for r in self.risks if r.status == "open" and not r.mitigation]

    def neighbourhood(self, component: Component) -> str:
        depends_on = [self.component_by_id[d] for d in component.depends_on if d in self.component_by_id]
        return diagrams.neighbourhood(component, depends_on, self.used_by(component.id))

    def er_diagram(self) -> str:
        return diagrams.er_diagram(self.entities)

    def sql_schema(self) -> str:
        if self.arch and self.arch.schema_:
            return self.arch.schema_
        return entities_ddl(self.entities, self.schema_dialect)

    @staticmethod
    def diagram_language(source: str) -> str:
        """`mermaid` for Mermaid source (drawn by the theme), else `text` (shown as written)."""
        first = source.strip().split(None, 1)[0] if source.strip() else ""
        return "mermaid" if first in diagrams.MERMAID_KINDS else "text"

    @cached_property
    def _requirement_anchors(self) -> dict[str, str]:
        return requirement_anchors([*self.prd.by_id, *(group.id for group in self.prd.groups)])

    def requirement_anchor(self, requirement_id: str) -> str:
        """The requirement's anchor on the PRD page, unique among the PRD's."""
        return self._requirement_anchors.get(requirement_id) or requirement_anchor(requirement_id)

    @cached_property
    def _entity_anchors(self) -> dict[str, str]:
        # Unique even for `Customer` and `CUSTOMER` (a `duplicate-id` problem all the same).
        return {name: "entity-" + value for name, value in unique_slugs([e.name for e in self.entities]).items()}

    def entity_anchor(self, name: str) -> str:
        return self._entity_anchors.get(name) or "entity-" + slug(name)

    @staticmethod
    def endpoint_anchor(endpoint: Endpoint) -> str:
        return "endpoint-" + slug(f"{endpoint.method} {endpoint.path}")

    # ---- problems and summary -------------------------------------------------------

    @cached_property
    def blocking(self):
        """Errors that kept an input from being read: shown on every generated page (so
        computed once, not once per page: thousands of pages times thousands of problems)."""
        return [d for d in self.analysis.diagnostics if self.analysis.severity(d) is Severity.ERROR]

    @property
    def todos(self):
        return self.analysis.todos

    @staticmethod
    def percent(part: int, whole: int) -> str:
        return f"{100 * part // whole} %" if whole else "—"

    @property
    def summary_sentence(self) -> str:
        return self.analysis.summary_line()


def _grouped(items: list, keys_of: Callable[[Any], list[str]]) -> dict[str, list]:
    """Items under each id they name, in document order: one pass, then dict lookups."""
    result: dict[str, list] = {}
    for item in items:
        for key in keys_of(item):
            result.setdefault(key, []).append(item)
    return result


class _NoAddressing:
    components = decisions = accepted_decisions = stack = services = tradeoffs = entities = endpoints = ()
    goals = sections = patterns = external_systems = interfaces = flows = risks = addressers = ()
    covered = False


_NO_ADDRESSING = _NoAddressing()


class Links:
    """Links from one generated or user page to everything the site knows: the tokens of
    `site.html_links` (see render/html_links.py), so the same text serves in Markdown and in
    the HTML tables of `html_block`; Markdown links for a subclass without tokens."""

    def __init__(self, site: SiteView, page: str) -> None:
        self.site = site
        self.page = page
        self._folder = posixpath.dirname(page) or "."
        self.tokens = site.html_links

    def _to(self, path: str, anchor: str = "") -> str:
        target = "" if path == self.page else relative_path(self._folder, path)
        return f"{target}#{anchor}" if anchor else target

    def _link(self, label: str, label_html: str, path: str, anchor: str = "", title: str = "") -> str:
        """`[label](path#anchor "title")`, or its token: `label` is Markdown, `label_html` the
        same text as HTML, `title` a `link_title`."""
        if self.tokens is not None:
            return self.tokens.token(LinkTarget(label_html, path, anchor, title))
        return f'[{label}]({self._to(path, anchor)}' + (f' "{title}")' if title else ")")

    def text(self, text: object) -> str:
        """Input text shown as written where a link could stand: a text-only token, or `plain`."""
        if self.tokens is not None:
            return self.html(html_text(text))
        return plain(text)

    def html(self, html: str) -> str:
        """HTML the plugin wrote, links (tokens) in it included, as one token for Markdown."""
        assert self.tokens is not None, "HTML tokens are for the site's pages"
        return self.tokens.token(LinkTarget(html, ""))

    def req(self, requirement_id: str) -> str:
        """A link to the requirement's anchor on the PRD page; its title shows on hover."""
        # A PRD page links to its own anchors without a path: remembered per page, not folder.
        key = (self.page if self.page in self.site.prd_page_paths else self._folder, requirement_id)
        link = self.site.requirement_links.get(key)
        if link is None:
            link = self.site.requirement_links[key] = self._requirement_link(requirement_id)
        return link

    def _requirement_link(self, requirement_id: str) -> str:
        req = self.site.prd.by_id.get(requirement_id)
        if req is None:
            return f"{self.text(requirement_id)} ⚠️"
        page = self.site.prd_pages.get(req.source.file)
        if page is None:
            return self.text(requirement_id)
        return self._link(plain(requirement_id), html_text(requirement_id), page,
                          self.site.requirement_anchor(requirement_id), link_title(req.title))

    def component(self, component_id: str) -> str:
        component = self.site.component_by_id.get(component_id)
        if component is None:
            return f"{self.text(component_id)} ⚠️"
        path = self.site.layout.component(self.site.component_slugs[component_id])
        return self._link(plain(component.name), html_text(component.name), path)

    def decision(self, decision_id: str) -> str:
        decision = self.site.decision_by_id.get(decision_id)
        if decision is None:
            return f"{self.text(decision_id)} ⚠️"
        path = self.site.layout.decision(self.site.decision_slugs[decision_id])
        return self._link(plain(decision_id), html_text(decision_id), path)

    def entity(self, name: str) -> str:
        if name not in self.site.entity_names:
            return f"{self.text(name)} ⚠️"
        return self._link(plain(name), html_text(name), self.site.layout.index, self.site.entity_anchor(name))

    def generated(self, name: str) -> str:
        """A link target for one of the generated pages: `index`, `traceability` or `todo`."""
        return self._to(getattr(self.site.layout, name))

    def page_link(self, label: str, name: str) -> str:
        """A link to one of the generated pages (as `generated`), labelled: for HTML blocks."""
        return self._link(plain(label), html_text(label), getattr(self.site.layout, name))

    def endpoint(self, endpoint: Endpoint) -> str:
        code = f"{endpoint.method} {_code(endpoint.path)}"
        return self._link(f"`{code}`", f"<code>{html_text(code)}</code>", self.site.layout.index,
                          self.site.endpoint_anchor(endpoint))

    def _sad(self, text: str, text_html: str, kind: str, key: str) -> str:
        return self._link(text, text_html, self.site.layout.index, self.site.anchor(kind, key))

    def interface(self, interface: Interface) -> str:
        name = _code(interface.name)
        return self._sad(f"`{name}`", f"<code>{html_text(name)}</code>", "interface",
                         interface.key) + f" ({interface.kind})"

    def flow(self, flow: Flow) -> str:
        return self._sad(plain(flow.title), html_text(flow.title), "flow", flow.id) + " (flow)"

    def risk(self, risk: Risk) -> str:
        return self._sad(plain(risk.id), html_text(risk.id), "risk", risk.id)

    def addresser(self, addresser: Addresser) -> str:
        """One item that addresses an NFR, linked where it has a page or an anchor, with its kind."""
        kind, item = addresser.kind, addresser.item
        if kind == "decisions":
            return self.decision(item.id)
        if kind == "strategies":
            title = dict(PROSE_TITLES).get(item, item)
            return self._sad(plain(title), html_text(title), "strategy", item) + " (strategy)"
        if kind == "risks":
            return f"{self.risk(item)} {self.text(item.title)} (risk mitigation)"
        if kind == "components":
            return self.component(item.id)
        if kind == "entities":
            return self.entity(item.name)
        if kind == "endpoints":
            return self.endpoint(item)
        if kind == "interfaces":
            return self.interface(item)
        if kind == "flows":
            return self.flow(item)
        name = getattr(item, "name", None) or getattr(item, "title", None) or getattr(item, "goal", "")
        return f"{self.text(name)} ({addresser.label})"


def _code(text: object) -> str:
    """Text inside a backtick code span: no backtick or line break (`\r` too) can end it early."""
    return " ".join(str(text).split()).replace("`", "'")
