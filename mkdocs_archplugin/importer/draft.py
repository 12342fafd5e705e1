"""An architecture document → a draft architecture.yml, by rules a reader can predict.

The rules, in short (docs/migrating.md has them with examples):

1. A top-level section goes to the key its heading names (`Tech Stack` → `stack`, `Data
   Models` → `entities`, …: `SECTION_KEYS`). The document's title gives `product`. A section
   no key matches keeps its text as prose; its sub-sections are matched by their headings.
2. In a section of items (components, services, entities, endpoints, flows, decisions,
   trade-offs, risks), each sub-heading is one item, named by its heading.
3. Inside an item, a paragraph or list item opening with `**Label:**` starts a field. A
   label alone on its line takes the blocks after it, up to the next label; a label with
   text after it is that text (and a code block right after it, such as an example). A sub-heading is a field too
   (`#### Context` in an ADR). Labels have synonyms (`Responsibility` → `purpose`).
4. Tables are read by their column headers; sequence diagrams give flow steps; SQL fences
   give the schema (and entities when the document has no data models); an OpenAPI block
   gives endpoints; a tree fence gives the source tree.
5. An item's requirements are its `Requirements:` field when it has one, else every
   requirement id its text mentions outside code (an id in a code block is an example).
6. Blocks marked `<!-- archplugin:derived -->` (what `export --markdown` derives from the
   rest) are skipped. Whatever else fits no rule is kept as prose in `overview.purpose`
   and reported with its `file:line`; a last pass keeps any block whose words the draft
   does not hold, so nothing is dropped silently. C4 diagrams give components and context.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it.tree import SyntaxTreeNode

from mkdocs_archplugin.importer.reader import Block, Section, inline_of, inline_text, table_rows
from mkdocs_archplugin.render.text import slug

#: Heading words → key, first match wins (so `Data Models` is entities before `models`).
SECTION_KEYS: tuple[tuple[str, str], ...] = (
    ("nfrs_addressed", r"nfrs? addressed"),
    ("decisions", r"decision|\badrs?\b|research"),
    ("tradeoffs", r"trade-?offs?|取舍"),
    ("risks", r"risk|technical debt"),
    ("source_tree", r"source tree|project structure|folder structure|repository structure|directory|file organi"),
    ("stack", r"tech(nology)? stack|technology choices|technologies|technical context|\bstack\b"),
    ("services", r"third-party|third party|external (apis?|services)|integrations?"),
    ("data_models", r"data models?|entities|domain model|data architecture|数据模型"),
    ("database_schema", r"database schema|\bschema\b|\bddl\b"),
    ("workflows", r"workflows?|\bflows?\b|sequence|runtime|数据流"),
    ("components", r"components?|modules?|containers?|\bservices\b|组件|容器|模块"),
    ("api", r"\bapi\b|apis\b|endpoints?|contracts?|interfaces?|接口"),
    ("security", r"security|安全"),
    ("scalability", r"scalab|performance"),
    ("deployment", r"deploy|infrastructure|topology"),
    ("observability", r"monitor|observab|logging"),
    ("guidelines", r"coding standards|guidelines|conventions|development workflow|error handling|test(ing)? strategy"),
    ("future", r"future|roadmap"),
    ("glossary", r"glossary"),
    ("references", r"references"),
    ("high_level", r"high.level|architecture overview|system overview|system architecture|patterns?|context"),
    ("overview", r"introduction|overview|summary|purpose|goals"),
)

PROSE_KEYS = ("security", "scalability", "deployment", "observability", "guidelines", "future")

#: Field labels → field, per kind of item (lower case; trailing `s` and punctuation ignored).
_LABELS: dict[str, dict[str, str]] = {
    "component": {
        "id": "id", "layer": "layer", "kind": "kind", "type": "kind", "purpose": "purpose",
        "responsibility": "purpose", "description": "purpose", "role": "purpose", "summary": "purpose",
        "responsibilitie": "responsibilities", "key responsibilitie": "responsibilities",
        "technology": "technology", "technology stack": "technology", "tech stack": "technology", "tech": "technology",
        "location": "location", "path": "location", "code": "location", "source": "location",
        "depends on": "depends_on", "dependencie": "depends_on", "use": "uses", "requirement": "requirements",
    },
    "service": {"purpose": "purpose", "description": "purpose", "justification": "justification",
                "rationale": "justification", "base url": "base_url", "auth": "auth", "authentication": "auth",
                "doc": "docs", "documentation": "docs", "limit": "limits", "rate limit": "limits",
                "requirement": "requirements"},
    "entity": {"purpose": "purpose", "description": "purpose", "component": "component",
               "relationship": "relationships", "indexe": "indexes", "requirement": "requirements",
               "attribute": "attributes", "key attribute": "attributes", "field": "attributes"},
    "endpoint": {"purpose": "purpose", "description": "purpose", "summary": "purpose", "auth": "auth",
                 "authentication": "auth", "component": "component", "requirement": "requirements",
                 "request": "request", "response": "response"},
    "interface": {"kind": "kind", "component": "component", "description": "description",
                  "contract": "contract", "requirement": "requirements"},
    "flow": {"id": "id", "description": "description", "requirement": "requirements"},
    "decision": {"id": "id", "status": "status", "date": "date", "supersede": "supersedes",
                 "component": "components", "context": "context", "context and problem statement": "context",
                 "problem": "context", "option": "options", "considered option": "options",
                 "alternative": "options", "alternatives considered": "options", "decision": "decision",
                 "decision outcome": "decision", "outcome": "decision", "chosen": "decision",
                 "rationale": "rationale", "justification": "rationale", "why": "rationale",
                 "consequence": "consequences", "requirement": "requirements"},
    "tradeoff": {"choice": "choice", "decision": "choice", "pro": "pros", "con": "cons",
                 "justification": "justification", "rationale": "justification", "requirement": "requirements"},
    "risk": {"status": "status", "likelihood": "likelihood", "probability": "likelihood", "impact": "impact",
             "description": "description", "mitigation": "mitigation", "requirement": "requirements"},
    "pattern": {"diagram": "diagram", "rationale": "rationale", "requirement": "requirements"},
    "api": {"style": "style", "base url": "base_url", "convention": "conventions", "requirement": "requirements"},
    "overview": {"version": "version", "status": "status", "date": "date", "author": "authors",
                 "purpose": "purpose"},
}

#: Words of a document's title that name the kind of document, not the product.
_GENERIC_TITLE = re.compile(r"\b(fullstack|full-stack|brownfield|enhancement|technical|system|software|high-level|"
                            r"architecture|document|design|overview|sdd|sad|implementation|plan|research|data model|"
                            r"feature|specification)\b", re.I)
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_ENDPOINT_TITLE = re.compile(r"^`?(" + "|".join(_METHODS) + r")\s+(/\S*?)`?$")
_LABEL_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\*\*([^*\n]{1,60}?)(?::\*\*|\*\*\s*:)\s*(.*)$")
_LABEL_START = re.compile(r"^\s*(?:[-*+]\s+)?\*\*([^*\n]{1,60}?)(?::\*\*|\*\*\s*:)\s*")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\\?\.?|[A-Z]\.)\s+")
_DECISION_STATUSES = ("proposed", "accepted", "superseded", "deprecated", "rejected")
_RISK_STATUSES = ("open", "mitigated", "accepted", "closed")
_COMPONENT_KINDS = ("service", "library", "job", "ui", "datastore", "external")
_INTERFACE_KINDS = ("http", "grpc", "graphql", "event", "cli", "hook", "file", "other")


@dataclass
class Draft:
    """What the import found: the architecture as plain data, where each item came from, the
    requirement ids mentioned, and what it could not place."""

    data: dict[str, Any] = field(default_factory=dict)
    #: Where each item came from, by identity (the item is held, so its id is never reused).
    sources: dict[int, tuple[object, str]] = field(default_factory=dict)
    unplaced: list[tuple[str, str]] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)
    unknown_ids: list[tuple[str, str]] = field(default_factory=list)

    def note(self, item: object, where: str) -> None:
        self.sources[id(item)] = (item, where)

    def where(self, item: object) -> str | None:
        """The `file:line` an item came from, if known."""
        entry = self.sources.get(id(item))
        return entry[1] if entry and entry[0] is item else None

    def add(self, key: str, item: dict[str, Any], where: str) -> dict[str, Any]:
        for name in ("name", "title", "term", "path", "id", "definition"):
            if name in item and not str(item[name]).strip():  # a heading with no text
                item[name] = f"untitled-{where.rsplit(':', 1)[-1]}"
                self.unplaced.append((where, f"an item without a {name}: named {item[name]}"))
        self.data.setdefault(key, []).append(item)
        self.note(item, where)
        return item


class Importer:
    """Reads the sections of one or more documents into one Draft."""

    def __init__(self, requirement_ids: Callable[[str], list[str]]) -> None:
        #: The requirement ids a text mentions (the PRD's, with --prd; else FR/NFR-shaped).
        self.requirement_ids = requirement_ids
        self.draft = Draft()

    # ---- documents and sections -----------------------------------------------------

    def read(self, root: Section) -> None:
        top = root.children
        if len(top) == 1 and top[0].level == 1 and _is_title(top[0]):
            title = top[0]
            self._product(title.title, title.where)
            self._section(Section("Introduction", 2, title.file, title.line, title.blocks), "overview")
            top = title.children
        for section in top:
            self._section(section, _section_key(section.title))
        for block in root.all_blocks():
            if block.kind == "fence" and not block.derived and _C4_DIAGRAM.search(_fence_text(block)):
                self._c4(block)
        self._keep_leftovers(root)

    def _c4(self, block: Block) -> None:
        """A C4 diagram (Mermaid's C4Context…, or PlantUML's C4 macros): its containers and
        components become components (`Rel` their dependencies), its people and external
        systems the context. Items the document already names are not repeated."""
        components = self.draft.data.setdefault("components", [])
        known = {slug(c["name"]) for c in components} | {c["id"] for c in components}
        aliases: dict[str, str] = {}
        context = self.draft.data.get("context")
        for offset, line in enumerate(_fence_text(block).splitlines(), 1):
            element = _C4_ELEMENT.match(line)
            if not element:
                continue
            macro, arguments = element.group(1), _c4_arguments(element.group(2))
            if len(arguments) < 2:
                continue
            alias, label, rest = arguments[0], arguments[1], arguments[2:]
            where = f"{block.file}:{block.line + offset}"
            if macro.startswith(("Container", "Component")):
                aliases[alias] = slug(label)
                if slug(label) in known:
                    continue
                technology, description = (rest + ["", ""])[:2]
                if technology and not description and len(technology.split()) > 3:  # Component(a, "X", "what it does")
                    technology, description = "", technology
                component: dict[str, Any] = {"id": slug(label), "name": label}
                if description:
                    component["purpose"] = description
                if technology:
                    component["technology"] = _split(technology)
                if macro.endswith("_Ext"):
                    component["kind"] = "external"
                elif "Db" in macro:
                    component["kind"] = "datastore"
                component.update(self._requirements([], " ".join(arguments)))
                known.add(slug(label))
                self.draft.add("components", component, where)
            elif macro.startswith("Person") or macro.startswith("System") and macro.endswith("_Ext"):
                if context is None:
                    context = self.draft.data.setdefault("context", {})
                    self.draft.note(context, where)
                kind = "people" if macro.startswith("Person") else "external_systems"
                if any(item["name"] == label for item in context.get(kind, [])):
                    continue
                item = {"name": label}
                if rest and rest[-1]:
                    item["description"] = rest[-1]
                context.setdefault(kind, []).append(item)
        by_id = {c["id"]: c for c in components}
        for line in _fence_text(block).splitlines():
            relation = _C4_RELATION.match(line)
            if not relation:
                continue
            arguments = _c4_arguments(relation.group(1))
            if len(arguments) >= 2 and aliases.get(arguments[0]) in by_id and aliases.get(arguments[1]) in by_id:
                source, target = by_id[aliases[arguments[0]]], aliases[arguments[1]]
                if target != source["id"] and target not in source.setdefault("depends_on", []):
                    source["depends_on"].append(target)
        for component in components:
            if component.get("depends_on") == []:
                del component["depends_on"]
        if not components:
            del self.draft.data["components"]

    def _keep_leftovers(self, root: Section) -> None:
        """The safety net under every rule: a block whose words are not in the draft (most of
        its word pairs missing) is kept as prose and reported, so nothing is dropped silently."""
        found = _word_pairs(_strings(self.draft.data))
        for section in root.walk():
            if _is_contents(section):
                continue  # a table of contents repeats the headings
            for block in section.blocks:
                if block.derived or block.used or (section.level == 0 and not section.title):
                    continue
                pairs = _word_pairs([_block_text(block)])
                if len(pairs) >= 2 and len(pairs & found) * 2 < len(pairs):
                    self._keep(Section(section.title, section.level, block.file, block.line), "no rule placed it",
                               [block])
                    found |= pairs

    def _product(self, title: str, where: str) -> None:
        head, _, tail = title.partition(":")
        if tail.strip() and not _GENERIC_TITLE.sub("", head).strip():  # `Implementation Plan: Lists`
            title = tail
        name = re.split(r"\s+[—–-]\s+|\s*:\s+", title.strip(), maxsplit=1)[0]
        name = _GENERIC_TITLE.sub("", name)
        name = " ".join(name.split()).strip(" -—–:")
        if name and "product" not in self.draft.data:
            self.draft.data["product"] = name

    def _section(self, section: Section, key: str | None) -> None:
        if key == "nfrs_addressed" or _is_contents(section):
            return
        if key in PROSE_KEYS:
            self._read_prose(section, key)
            return
        handler = getattr(self, f"_read_{key}", None) if key else None
        if handler is None:
            self._unmatched(section)
            return
        handler(section)

    def _unmatched(self, section: Section) -> None:
        """A section no key matches: its own text is kept; its sub-sections are matched by their
        own headings (`## Architecture` › `### Sequence Diagram: Login` is a flow)."""
        if _sequence_fence(Section(section.title, section.level, section.file, section.line, section.blocks)):
            self._flow(Section(section.title, section.level, section.file, section.line, section.blocks))
        elif any(not b.derived for b in section.blocks):
            self._keep(Section(section.title, section.level, section.file, section.line, section.blocks),
                       "no section key matches its heading")
        for child in section.children:
            key = _section_key(child.title)
            if key is None and _sequence_fence(child) is not None:
                self._flow(child)
            else:
                self._section(child, key)

    def _keep(self, section: Section, why: str, blocks: list[Block] | None = None) -> None:
        """Text no rule places: kept as prose in `overview.purpose`, under its own heading."""
        text = _markdown(section, blocks)
        if not text.strip():
            return
        self.draft.unplaced.append((section.where, f"{section.title or 'text'}: {why}; kept in overview.purpose"))
        overview = self._overview()
        purpose = overview.get("purpose", "")
        overview["purpose"] = (purpose + "\n\n" if purpose else "") + f"#### {section.title}\n\n{text}".strip()

    def _overview(self) -> dict[str, Any]:
        overview = self.draft.data.setdefault("overview", {})
        if self.draft.where(overview) is None:
            self.draft.note(overview, "")
        return overview

    # ---- the sections ---------------------------------------------------------------

    def _read_overview(self, section: Section) -> None:
        fields, rest = _fields(section, _LABELS["overview"])
        for name in ("version", "status", "date"):
            if name in fields:
                self.draft.data[name] = fields[name].text()
        if "authors" in fields:
            self.draft.data["authors"] = fields["authors"].items()
        overview = self._overview()
        self.draft.note(overview, section.where)
        prose: list[Block] = []
        for block in (fields["purpose"].blocks() if "purpose" in fields else []) + rest:
            header, rows = table_rows(block) if block.kind == "table" else ([], [])
            if header[:1] == ["goal"]:
                for line, cells in rows:
                    goal = {"goal": _raw(cells[0])}
                    goal.update(self._requirements(cells[1:2], _raw(cells[0]), explicit="requirements" in header))
                    overview.setdefault("goals", []).append(goal)
            elif not block.derived:
                prose.append(block)
        text = "\n\n".join(b.source for b in prose)
        if "purpose" in fields and fields["purpose"].inline:
            text = (fields["purpose"].inline + "\n\n" + text).strip()
        if text:
            overview["purpose"] = (overview.get("purpose", "") + "\n\n" + text).strip() if overview.get("purpose") else text
        for child in section.children:
            key = _section_key(child.title)
            if key in (None, "overview", "high_level"):
                self._append_prose(overview, child)
            else:
                self._section(child, key)

    def _append_prose(self, overview: dict[str, Any], section: Section) -> None:
        if _sequence_fence(section) is not None:  # a sequence diagram is a flow wherever it is
            self._flow(section)
            return
        text = _markdown(section)
        if text:
            purpose = overview.get("purpose", "")
            overview["purpose"] = (purpose + "\n\n" if purpose else "") + f"#### {section.title}\n\n{text}"

    def _read_stack(self, section: Section) -> None:
        for sub in section.walk():
            for block in sub.blocks:
                if block.kind == "paragraph" and _LABEL_LINE.match(block.source.split("\n")[0]):
                    # spec-kit's Technical Context: `**Language/Version**: Python 3.12`, a line each
                    for offset, line in enumerate(block.source.split("\n")):
                        match = _LABEL_LINE.match(line)
                        if match and match.group(2).strip():
                            entry = {"layer": _plain(match.group(1)), "name": _plain(match.group(2))}
                            entry.update(self._requirements([], match.group(2)))
                            self.draft.add("stack", entry, f"{block.file}:{block.line + offset}")
                elif block.kind == "table":
                    self._stack_table(block, sub.title if sub is not section else None)
                elif block.kind == "list" and sub is not section:
                    for item, line in _list_items(block):
                        name, _, rationale = _raw_item(item).partition(":")
                        entry = {"layer": sub.title, "name": _plain(name)}
                        if rationale.strip():
                            entry["rationale"] = rationale.strip()
                        entry.update(self._requirements([], rationale))
                        self.draft.add("stack", entry, f"{block.file}:{line}")

    def _stack_table(self, block: Block, layer: str | None) -> None:
        header, rows = table_rows(block)
        columns = _columns(header, {
            "layer": ("layer", "category", "area", "tier", "concern", "type"),
            "name": ("technology", "name", "tool", "framework", "choice", "library", "stack", "component"),
            "version": ("version",),
            "purpose": ("purpose", "use", "usage", "role", "description", "notes"),
            "rationale": ("rationale", "why", "reason", "justification"),
            "requirements": ("requirements",),
        })
        if "name" not in columns:
            self._keep(Section("table", 0, block.file, block.line, [block]), "a table without a technology column",
                       [block])
            return
        for line, cells in rows:
            entry: dict[str, Any] = {}
            value = _cell_getter(cells, columns)
            if value("layer", plain=True) or layer:
                entry["layer"] = value("layer", plain=True) or layer
            entry["name"] = value("name", plain=True)
            if not entry["name"]:
                continue
            if value("version", plain=True):
                entry["version"] = value("version", plain=True)
            rationale = " — ".join(v for v in (value("purpose"), value("rationale")) if v)
            if rationale:
                entry["rationale"] = rationale
            entry.update(self._requirements(cells[columns["requirements"]:columns["requirements"] + 1]
                                            if "requirements" in columns else [],
                                            " ".join(_raw(c) for c in cells), explicit="requirements" in columns))
            self.draft.add("stack", entry, f"{block.file}:{line}")

    def _read_services(self, section: Section) -> None:
        for sub in section.children:
            fields, rest = _fields(sub, _LABELS["service"])
            service: dict[str, Any] = {"name": _plain(_NUMBERING.sub("", sub.title))}
            for name in ("purpose", "justification", "auth", "limits"):
                if name in fields:
                    service[name] = fields[name].prose(one_line=True)
            for name in ("base_url", "docs"):
                if name in fields:
                    service[name] = fields[name].text().strip("<>")
            if "purpose" not in service and rest:
                service["purpose"] = " ".join(" ".join(b.source.split()) for b in rest if b.kind == "paragraph")
                if not service["purpose"]:
                    del service["purpose"]
            service.update(self._item_requirements(fields, sub))
            self.draft.add("services", service, sub.where)
        self._keep_loose_blocks(section)

    def _read_high_level(self, section: Section) -> None:
        for sub in section.children:
            key = _section_key(sub.title)
            title = sub.title
            if re.match(r"pattern\s*:", title, re.I):
                self._pattern(sub, title.split(":", 1)[1].strip())
            elif re.search(r"\bcontext\b", title, re.I) and any(b.kind == "table" for b in sub.blocks):
                self._context(sub)
            elif re.search(r"pattern", title, re.I) and any(b.kind == "list" for b in sub.blocks):
                for block in sub.blocks:
                    if block.kind != "list":
                        continue
                    for item, line in _list_items(block):
                        name, _, rationale = _raw_item(item).partition(":")
                        pattern = {"name": _plain(name)}
                        if rationale.strip():
                            pattern["rationale"] = rationale.strip()
                        pattern.update(self._requirements([], rationale))
                        self.draft.add("patterns", pattern, f"{block.file}:{line}")
            elif key not in (None, "high_level", "overview"):
                self._section(sub, key)
            elif all(b.derived for b in sub.blocks) and not sub.children:
                continue
            else:
                self._append_prose(self._overview(), sub)
        if any(not b.derived for b in section.blocks):
            self._append_prose(self._overview(), Section(section.title, section.level, section.file,
                                                         section.line, section.blocks))

    def _pattern(self, section: Section, name: str) -> None:
        fields, rest = _fields(section, _LABELS["pattern"])
        pattern: dict[str, Any] = {"name": name}
        rationale = "\n\n".join(b.source for b in rest if not b.derived and b.kind != "fence")
        if rationale:
            pattern["rationale"] = rationale
        fences = [b for b in (fields["diagram"].blocks() if "diagram" in fields else rest) if b.kind == "fence"]
        if fences:
            pattern["diagram"] = _fence_text(fences[0])
        pattern.update(self._item_requirements(fields, section, text=rationale))
        self.draft.add("patterns", pattern, section.where)

    def _context(self, section: Section) -> None:
        context = self.draft.data.setdefault("context", {})
        self.draft.note(context, section.where)
        for block in section.blocks:
            if block.kind != "table":
                continue
            header, rows = table_rows(block)
            for line, cells in rows:
                value = _cell_getter(cells, {name: i for i, name in enumerate(header)})
                if header and header[0] == "person":
                    person = {"name": value("person", plain=True)}
                    if value("description"):
                        person["description"] = value("description")
                    context.setdefault("people", []).append(person)
                elif header and header[0].startswith("external"):
                    system = {"name": value(header[0], plain=True)}
                    if value("description"):
                        system["description"] = value("description")
                    system.update(self._requirements(cells[2:3] if "requirements" in header else [],
                                                     value("description"), explicit="requirements" in header))
                    context.setdefault("external_systems", []).append(system)

    def _read_components(self, section: Section) -> None:
        subs = [s for s in section.children if not _is_diagram(s)]
        for sub in subs:
            fields, rest = _fields(sub, _LABELS["component"])
            name = _plain(_NUMBERING.sub("", sub.title))
            component: dict[str, Any] = {"id": fields["id"].text() if "id" in fields else slug(name), "name": name}
            for key in ("layer", "kind"):
                if key in fields:
                    component[key] = fields[key].text().lower() if key == "kind" else fields[key].text()
            if component.get("kind") not in (None, *_COMPONENT_KINDS):
                component.pop("kind")
            purpose = fields["purpose"].prose() if "purpose" in fields else ""
            extra = "\n\n".join(b.source for b in rest if not b.derived)
            if purpose or extra:
                component["purpose"] = "\n\n".join(p for p in (purpose, extra) if p)
            for key in ("responsibilities", "technology", "uses"):
                if key in fields:
                    component[key] = fields[key].items()
            if "location" in fields:
                component["location"] = fields["location"].text()
            if "depends_on" in fields:
                component["depends_on"] = [_plain(name) for name in fields["depends_on"].items()]
            component.update(self._item_requirements(fields, sub))
            self.draft.add("components", component, sub.where)
        for sub in section.children:
            if sub not in subs:
                self._append_prose(self._overview(), sub)
        for block in section.blocks:
            if block.kind == "table":
                self._component_table(block)
            elif block.kind == "list" and _bold_led(block):
                self._component_list(block)
            elif not block.derived:
                self._keep(Section(section.title, 0, block.file, block.line), "prose between components", [block])

    def _component_list(self, block: Block) -> None:
        """`1. **Ingestion Engine**: what it does` with detail bullets: one component per item."""
        for item, line in _list_items(block):
            name, purpose = _bold_lead(_raw_item(item))
            component: dict[str, Any] = {"id": slug(name), "name": name}
            if purpose:
                component["purpose"] = purpose
            details = [_raw_item(sub) for child in item.children if child.type in ("bullet_list", "ordered_list")
                       for sub in child.children]
            if details:
                component["responsibilities"] = details
            component.update(self._requirements([], " ".join([name, purpose, *details])))
            self.draft.add("components", component, f"{block.file}:{line}")

    def _component_table(self, block: Block) -> None:
        header, rows = table_rows(block)
        columns = _columns(header, {"name": ("component", "name", "module", "service", "container", "组件", "容器", "模块", "服务"),
                                    "purpose": ("purpose", "responsibilit", "description", "role", "职责", "说明", "描述"),
                                    "technology": ("technology", "tech", "stack", "技术"),
                                    "location": ("location", "path")})
        if "name" not in columns:  # the first column names the items, the next says what they do
            columns = {"name": 0, **({"purpose": 1} if len(header) > 1 and 1 not in columns.values() else {}),
                       **{k: v for k, v in columns.items() if v != 0}}
        for line, cells in rows:
            value = _cell_getter(cells, columns)
            name = value("name", plain=True)
            if not name:
                continue
            component: dict[str, Any] = {"id": slug(name), "name": name}
            if value("purpose"):
                component["purpose"] = value("purpose")
            if value("technology", plain=True):
                component["technology"] = _split(value("technology", plain=True))
            if value("location", plain=True):
                component["location"] = value("location", plain=True)
            component.update(self._requirements([], " ".join(_raw(c) for c in cells)))
            self.draft.add("components", component, f"{block.file}:{line}")

    def _read_data_models(self, section: Section) -> None:
        for sub in section.children:
            if _is_diagram(sub):
                self._append_prose(self._overview(), sub)
                continue
            self._entity(sub)
        for block in section.blocks:
            if not block.derived and block.kind != "fence":
                self._keep(Section(section.title, 0, block.file, block.line), "prose between entities", [block])

    def _entity(self, section: Section) -> None:
        fields, rest = _fields(section, _LABELS["entity"])
        name = _plain(re.sub(r"\s*\(.*\)$", "", _NUMBERING.sub("", section.title))).replace(" ", "")
        entity: dict[str, Any] = {"name": name or section.title}
        purpose = fields["purpose"].prose() if "purpose" in fields else ""
        extra = "\n\n".join(b.source for b in rest if b.kind == "paragraph" and not b.derived)
        if purpose or extra:
            entity["purpose"] = "\n\n".join(p for p in (purpose, extra) if p)
        if "component" in fields:
            entity["component"] = fields["component"].text()
        attributes: list[dict[str, Any]] = []
        for block in [*rest, *(fields["attributes"].blocks() if "attributes" in fields else [])]:
            if block.kind == "table":
                attributes += _attribute_table(block)
            elif block.kind == "list" and "attributes" in fields and block in fields["attributes"].blocks():
                attributes += [_attribute_item(_raw_item(item)) for item, _ in _list_items(block)]
            elif block.kind == "fence" and not attributes:
                attributes += _interface_attributes(_fence_text(block))
        if attributes:
            entity["attributes"] = [a for a in attributes if a]
        if "relationships" in fields:
            relationships = [r for r in (_relationship(_plain(t)) for t in fields["relationships"].items()) if r]
            if relationships:
                entity["relationships"] = relationships
        if "indexes" in fields:
            indexes = [i for i in (_index(_plain(t)) for t in fields["indexes"].items()) if i]
            if indexes:
                entity["indexes"] = indexes
        entity.update(self._item_requirements(fields, section))
        self.draft.add("entities", entity, section.where)

    def _read_database_schema(self, section: Section) -> None:
        fences = [b for b in section.all_blocks() if b.kind == "fence" and not b.derived
                  and (_fence_info(b) in ("sql", "") or "create table" in b.source.lower())]
        if fences:
            schema = "\n\n".join(_fence_text(b) for b in fences)
            self.draft.data["schema"] = schema
            self.draft.note(schema, fences[0].where)

    def _read_api(self, section: Section) -> None:
        fields, rest = _fields(section, _LABELS["api"])
        api = self.draft.data.setdefault("api", {})
        self.draft.note(api, section.where)
        for name in ("style", "base_url"):
            if name in fields:
                api[name] = fields[name].text()
        if "conventions" in fields:
            api["conventions"] = fields["conventions"].items(raw=True)
        if "requirements" in fields:
            api.update(self._item_requirements(fields, section))
        for block in rest:
            if block.kind == "fence":
                self._openapi(block, api)
            elif block.kind == "table":
                self._endpoint_table(block, api)
        for sub in section.walk():
            if sub is section:
                continue
            match = _ENDPOINT_TITLE.match(sub.title.strip())
            if match:
                self._endpoint(sub, match.group(1), match.group(2), api)
            elif re.match(r"interface\s*:", sub.title, re.I):
                self._interface(sub, sub.title.split(":", 1)[1].strip())
            else:
                for block in sub.blocks:
                    if block.kind == "fence":
                        self._openapi(block, api)
                    elif block.kind == "table":
                        self._endpoint_table(block, api)
        if not api:
            del self.draft.data["api"]

    def _endpoint(self, section: Section, method: str, path: str, api: dict[str, Any]) -> None:
        fields, rest = _fields(section, _LABELS["endpoint"])
        endpoint: dict[str, Any] = {"method": method, "path": path}
        if "purpose" in fields:
            endpoint["purpose"] = fields["purpose"].prose()
        elif rest and rest[0].kind == "paragraph":
            endpoint["purpose"] = rest[0].source
        if "auth" in fields:
            endpoint["auth"] = fields["auth"].prose(one_line=True)
        if "component" in fields:
            endpoint["component"] = fields["component"].text()
        for label, value in fields.items():
            if label.startswith("request"):
                endpoint["request"] = _example_part(value, None)
            elif re.fullmatch(r"response \d{3}", label):
                endpoint.setdefault("responses", []).append(_example_part(value, int(label.split()[1])))
        errors = [b for b in rest if b.kind == "table" and table_rows(b)[0][:1] == ["status"]]
        for block in errors:
            for _, cells in table_rows(block)[1]:
                error: dict[str, Any] = {"status": int(inline_text(cells[0]) or 500)}
                if inline_text(cells[1]) not in ("", "—"):
                    error["code"] = inline_text(cells[1])
                if _raw(cells[2]) not in ("", "—"):
                    error["description"] = _raw(cells[2])
                endpoint.setdefault("errors", []).append(error)
        endpoint.update(self._item_requirements(fields, section))
        api.setdefault("endpoints", []).append(endpoint)
        self.draft.note(endpoint, section.where)

    def _openapi(self, block: Block, api: dict[str, Any]) -> None:
        """The paths of an OpenAPI document in a YAML or JSON fence, as endpoints."""
        text = _fence_text(block)
        if not re.search(r"^\s*[\"']?(openapi|swagger)[\"']?\s*:", text, re.M):
            return
        try:
            spec = yaml.safe_load(text) if _fence_info(block) != "json" else json.loads(text)
        except (yaml.YAMLError, ValueError) as error:
            self.draft.unplaced.append((block.where, f"an OpenAPI block that does not parse ({type(error).__name__})"))
            return
        if isinstance(spec, dict) and isinstance(spec.get("servers"), list) and spec["servers"] \
                and isinstance(spec["servers"][0], dict) and "base_url" not in api:
            api["base_url"] = str(spec["servers"][0].get("url", ""))
        paths = spec.get("paths") if isinstance(spec, dict) else None
        for path, operations in (paths or {}).items():
            if not isinstance(operations, dict):
                continue
            for method, operation in operations.items():
                if method.upper() not in _METHODS or not isinstance(operation, dict):
                    continue
                endpoint: dict[str, Any] = {"method": method.upper(), "path": str(path)}
                summary = operation.get("summary") or operation.get("description")
                if summary:
                    endpoint["purpose"] = " ".join(str(summary).split())
                endpoint.update(self._requirements([], json.dumps(operation, default=str)))
                api.setdefault("endpoints", []).append(endpoint)
                self.draft.note(endpoint, block.where)

    def _endpoint_table(self, block: Block, api: dict[str, Any]) -> None:
        header, rows = table_rows(block)
        columns = _columns(header, {"method": ("method", "verb"), "path": ("path", "endpoint", "route", "url"),
                                    "purpose": ("purpose", "description", "summary"), "auth": ("auth",)})
        if "path" not in columns:
            return
        for line, cells in rows:
            value = _cell_getter(cells, columns)
            path, method = value("path", plain=True), value("method", plain=True).upper()
            match = re.match(r"^(" + "|".join(_METHODS) + r")\s+(\S+)", path)
            if match:
                method, path = match.group(1), match.group(2)
            if method not in _METHODS or not path.startswith("/"):
                continue
            endpoint: dict[str, Any] = {"method": method, "path": path}
            if value("purpose"):
                endpoint["purpose"] = value("purpose")
            if value("auth", plain=True):
                endpoint["auth"] = value("auth", plain=True)
            endpoint.update(self._requirements([], " ".join(_raw(c) for c in cells)))
            api.setdefault("endpoints", []).append(endpoint)
            self.draft.note(endpoint, f"{block.file}:{line}")

    def _interface(self, section: Section, name: str) -> None:
        fields, rest = _fields(section, _LABELS["interface"])
        kind = fields["kind"].text().lower() if "kind" in fields else "other"
        interface: dict[str, Any] = {"kind": kind if kind in _INTERFACE_KINDS else "other", "name": name}
        if "component" in fields:
            interface["component"] = fields["component"].text()
        if "description" in fields:
            interface["description"] = fields["description"].prose()
        if "contract" in fields:
            fences = [b for b in fields["contract"].blocks() if b.kind == "fence"]
            if fences:
                interface["contract"] = _fence_text(fences[0])
        interface.update(self._item_requirements(fields, section))
        self.draft.add("interfaces", interface, section.where)

    def _read_workflows(self, section: Section) -> None:
        for sub in section.children or [section]:  # no sub-sections: the section is one flow
            self._flow(sub)

    def _flow(self, sub: Section) -> None:
        """One runtime flow: its description, and its steps from a steps table or a sequence diagram."""
        fields, rest = _fields(sub, _LABELS["flow"])
        title = _plain(_NUMBERING.sub("", sub.title))
        flow: dict[str, Any] = {"id": fields["id"].text() if "id" in fields else slug(title), "title": title}
        description = "\n\n".join(b.source for b in rest if b.kind in ("paragraph", "list", "quote")
                                   and not b.derived)
        if "description" in fields:
            description = fields["description"].prose()
        if description:
            flow["description"] = description
        steps: list[dict[str, Any]] = []
        for block in rest:
            if block.kind == "table" and table_rows(block)[0][:3] == ["step", "from", "to"]:
                for _, cells in table_rows(block)[1]:
                    step = {"from": inline_text(cells[1]), "to": inline_text(cells[2]), "message": _raw(cells[3])}
                    if _raw(cells[4]) not in ("", "—"):
                        step["note"] = _raw(cells[4])
                    steps.append(step)
        if not steps and _sequence_fence(sub) is not None:
            steps = _sequence_steps(_fence_text(_sequence_fence(sub)))
        if steps:
            flow["steps"] = steps
        flow.update(self._item_requirements(fields, sub))
        self.draft.add("flows", flow, sub.where)

    def _read_prose(self, section: Section, key: str) -> None:
        fields, rest = _fields(section, {"requirement": "requirements"}, nested=False)
        text = _markdown(section, rest)
        if not text:
            return
        prose: dict[str, Any] = {"text": text}
        prose.update(self._item_requirements(fields, section, text=text))
        if key in self.draft.data:  # a second section of the same kind: one prose section
            existing = self.draft.data[key]
            existing["text"] += "\n\n" + text
            merged = list(dict.fromkeys([*existing.get("requirements", []), *prose.get("requirements", [])]))
            if merged:
                existing["requirements"] = merged
            return
        self.draft.data[key] = prose
        self.draft.note(prose, section.where)

    def _read_source_tree(self, section: Section) -> None:
        for block in section.all_blocks():
            if block.kind == "table":
                header, rows = table_rows(block)
                columns = _columns(header, {"path": ("path", "folder", "file", "directory"),
                                            "purpose": ("purpose", "description", "contents"),
                                            "component": ("component",)})
                for line, cells in rows:
                    value = _cell_getter(cells, columns)
                    entry: dict[str, Any] = {"path": value("path", plain=True)}
                    if value("purpose"):
                        entry["purpose"] = value("purpose")
                    if "component" in columns and value("component", plain=True) not in ("", "—"):
                        entry["component"] = self._component_id(cells[columns["component"]])
                    self.draft.add("source_tree", entry, f"{block.file}:{line}")
            elif block.kind == "fence":
                for path, purpose, line in _tree_entries(_fence_text(block)):
                    entry = {"path": path}
                    if purpose:
                        entry["purpose"] = purpose
                    self.draft.add("source_tree", entry, f"{block.file}:{block.line + line}")

    def _read_decisions(self, section: Section) -> None:
        subs = [s for s in section.children]
        for number, sub in enumerate(subs, 1):
            fields, rest = _fields(sub, _LABELS["decision"])
            head, _, tail = sub.title.partition(":")
            if tail.strip() and re.fullmatch(r"[A-Za-z][\w.-]*\s?-?\d+[\w.-]*", head.strip()):
                decision_id, title = head.strip(), tail.strip()
            else:
                match = re.match(r"^((?:ADR|DR|D|DEC)[-_ ]?\d+)\s*[-—–.:]?\s*(.*)$", sub.title, re.I)
                decision_id, title = (match.group(1), match.group(2) or sub.title) if match else (f"D-{number}", sub.title)
            if "id" in fields:
                decision_id = fields["id"].text()
            decision: dict[str, Any] = {"id": decision_id, "title": _plain(title)}
            status = fields["status"].text().lower() if "status" in fields else "accepted"
            decision["status"] = next((s for s in _DECISION_STATUSES if status.startswith(s)), "accepted")
            if "date" in fields:
                decision["date"] = fields["date"].text()
            for key in ("context", "decision", "rationale"):
                if key in fields:
                    decision[key] = fields[key].prose()
            if "context" not in decision and rest:
                text = "\n\n".join(b.source for b in rest if not b.derived)
                if text:
                    decision["context"] = text
            if "options" in fields:
                decision["options"] = _options(fields["options"])
            if "consequences" in fields:
                decision["consequences"] = fields["consequences"].items(raw=True)
            if "supersedes" in fields:
                decision["supersedes"] = [_plain(old) for old in fields["supersedes"].items()]
            if "components" in fields:
                decision["components"] = [_plain(name) for name in fields["components"].items()]
            decision.update(self._item_requirements(fields, sub))
            self.draft.add("decisions", decision, sub.where)

    def _read_tradeoffs(self, section: Section) -> None:
        for sub in section.children:
            fields, rest = _fields(sub, _LABELS["tradeoff"])
            tradeoff: dict[str, Any] = {"title": _plain(sub.title)}
            if "choice" in fields:
                tradeoff["choice"] = fields["choice"].prose(one_line=True)
            for key in ("pros", "cons"):
                if key in fields:
                    tradeoff[key] = fields[key].items(raw=True)
            justification = fields["justification"].prose() if "justification" in fields else \
                "\n\n".join(b.source for b in rest if not b.derived)
            if justification:
                tradeoff["justification"] = justification
            tradeoff.update(self._item_requirements(fields, sub))
            self.draft.add("tradeoffs", tradeoff, sub.where)
        for block in section.blocks:
            if block.kind == "table":
                header, rows = table_rows(block)
                for line, cells in rows:
                    title = inline_text(cells[0])
                    if title:
                        tradeoff = {"title": title, "justification": " — ".join(_raw(c) for c in cells[1:] if _raw(c))}
                        tradeoff.update(self._requirements([], " ".join(_raw(c) for c in cells)))
                        self.draft.add("tradeoffs", tradeoff, f"{block.file}:{line}")

    def _read_risks(self, section: Section) -> None:
        for number, sub in enumerate(section.children, 1):
            fields, rest = _fields(sub, _LABELS["risk"])
            head, _, tail = sub.title.partition(":")
            risk_id, title = (head.strip(), tail.strip()) if tail.strip() and len(head.split()) == 1 \
                else (f"RISK-{number}", sub.title)
            risk: dict[str, Any] = {"id": risk_id, "title": _plain(title)}
            status = fields["status"].text().lower() if "status" in fields else "open"
            risk["status"] = status if status in _RISK_STATUSES else "open"
            for key in ("likelihood", "impact"):
                if key in fields:
                    risk[key] = fields[key].prose(one_line=True)
            for key in ("description", "mitigation"):
                if key in fields:
                    risk[key] = fields[key].prose()
            if "description" not in risk:
                text = "\n\n".join(b.source for b in rest if not b.derived)
                if text:
                    risk["description"] = text
            risk.update(self._item_requirements(fields, sub))
            self.draft.add("risks", risk, sub.where)
        for block in section.blocks:
            if block.kind != "table":
                continue
            header, rows = table_rows(block)
            columns = _columns(header, {"title": ("risk", "title", "description"), "likelihood": ("likelihood", "probability"),
                                        "impact": ("impact", "severity"), "mitigation": ("mitigation", "response")})
            for number, (line, cells) in enumerate(rows, len(self.draft.data.get("risks", [])) + 1):
                value = _cell_getter(cells, columns)
                if not value("title", plain=True):
                    continue
                risk = {"id": f"RISK-{number}", "title": value("title", plain=True), "status": "open"}
                for key in ("likelihood", "impact", "mitigation"):
                    if value(key):
                        risk[key] = value(key)
                risk.update(self._requirements([], " ".join(_raw(c) for c in cells)))
                self.draft.add("risks", risk, f"{block.file}:{line}")

    def _read_glossary(self, section: Section) -> None:
        for block in section.all_blocks():
            if block.kind == "table":
                for line, cells in table_rows(block)[1]:
                    if len(cells) >= 2 and inline_text(cells[0]):
                        self.draft.add("glossary", {"term": inline_text(cells[0]), "definition": _raw(cells[1])},
                                       f"{block.file}:{line}")
            elif block.kind == "list":
                for item, line in _list_items(block):
                    term, _, definition = _raw_item(item).partition(":")
                    if definition.strip():
                        self.draft.add("glossary", {"term": _plain(term), "definition": definition.strip()},
                                       f"{block.file}:{line}")

    def _read_references(self, section: Section) -> None:
        for block in section.all_blocks():
            if block.kind != "list":
                continue
            for item, line in _list_items(block):
                inline = inline_of(item)
                links = [c for c in (inline.children if inline else []) if c.type == "link"]
                reference: dict[str, Any] = {}
                raw = _raw_item(item)
                if links:
                    reference["title"] = inline_text(links[0])
                    reference["url"] = links[0].attrs.get("href", "")
                    rest = raw.split(")", 1)[1] if ")" in raw else ""
                else:
                    reference["title"], _, rest = [p.strip() for p in raw.partition(":")]
                    reference["title"] = _plain(reference["title"])
                rest = rest.strip().lstrip(":").strip()
                if rest:
                    reference["description"] = rest
                self.draft.add("references", reference, f"{block.file}:{line}")

    def _keep_loose_blocks(self, section: Section) -> None:
        for block in section.blocks:
            if not block.derived:
                self._keep(Section(section.title, 0, block.file, block.line), "text outside an item", [block])

    # ---- requirements and references ------------------------------------------------

    def _item_requirements(self, fields: dict[str, Field], section: Section, text: str | None = None) -> dict[str, Any]:
        if "requirements" in fields:
            ids = self._ids(fields["requirements"].raw_text(), fields["requirements"].where, ranges=True)
            return {"requirements": ids} if ids else {}
        # The heading names the item too (`### 2.1 FR-1 — Model registry`).
        ids = self._ids(section.title + "\n\n" + (text if text is not None else _markdown(section)), section.where)
        return {"requirements": ids} if ids else {}

    def _requirements(self, cells: list, text: str, explicit: bool = False) -> dict[str, Any]:
        source = " ".join(_raw(c) for c in cells) if explicit else text
        ids = self._ids(source, "", ranges=explicit)
        return {"requirements": ids} if ids else {}

    def _ids(self, text: str, where: str, ranges: bool = False) -> list[str]:
        found = self.requirement_ids(_without_code(text))
        if ranges:
            found = _with_ranges(text, found)
        for rid in found:
            if rid not in self.draft.mentioned:
                self.draft.mentioned.append(rid)
        return list(dict.fromkeys(found))

    def _component_id(self, cell: SyntaxTreeNode | None) -> str:
        return self._component_id_of(inline_text(cell))

    def _component_id_of(self, name: str) -> str:
        for component in self.draft.data.get("components", []):
            if name in (component["name"], component["id"]):
                return component["id"]
        return slug(name)

    def resolve_names(self) -> None:
        """Component references written as names (`Depends on: Rule Engine`) → their ids."""
        components = self.draft.data.get("components", [])
        by_name = {c["name"].lower(): c["id"] for c in components}
        by_name.update({c["id"].lower(): c["id"] for c in components})
        by_name.update({slug(c["name"]): c["id"] for c in components})

        def resolve(name: str) -> str:
            return by_name.get(name.lower()) or by_name.get(slug(name)) or name

        for component in components:
            if "depends_on" in component:
                component["depends_on"] = [resolve(n) for n in component["depends_on"]]
        for key, items in (("entities", self.draft.data.get("entities", [])),
                           ("endpoints", self.draft.data.get("api", {}).get("endpoints", [])),
                           ("interfaces", self.draft.data.get("interfaces", []))):
            for item in items:
                if "component" in item:
                    item["component"] = resolve(item["component"])
        for decision in self.draft.data.get("decisions", []):
            if "components" in decision:
                decision["components"] = [resolve(n) for n in decision["components"]]
        for entry in self.draft.data.get("source_tree", []):
            if "component" in entry:
                entry["component"] = resolve(entry["component"])


# ---- fields of an item ----------------------------------------------------------------


@dataclass
class Field:
    """One labelled field: the text after its label, and the blocks that follow it."""

    label: str
    where: str
    inline: str
    following: list[Block] = field(default_factory=list)
    nested: list[str] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        return self.following

    def text(self) -> str:
        """The value as plain text on one line (`code` and links shown as their text)."""
        if self.inline:
            return _plain(self.inline)
        return " ".join(_plain(b.source) for b in self.following if b.kind == "paragraph")

    def raw_text(self) -> str:
        return " ".join([self.inline, *(b.source for b in self.following)])

    def prose(self, one_line: bool = False) -> str:
        """The value as the Markdown its author wrote."""
        parts = [self.inline] if self.inline else []
        parts += [b.source for b in self.following if not b.derived]
        text = "\n\n".join(parts).strip()
        return " ".join(text.split()) if one_line else text

    def items(self, raw: bool = False) -> list[str]:
        """A list value: the items of the list after the label (as written), else the text after
        the label split at `,` or `;` (as plain text unless `raw`)."""
        lists = [b for b in self.following if b.kind == "list"]
        if lists:  # list items are Markdown as written, like any prose
            return [_raw_item(item) for item, _ in _list_items(lists[0])]
        if self.nested:
            return self.nested
        return _split(self.inline if raw else _plain(self.inline))


def _fields(section: Section, labels: dict[str, str], nested: bool = True) -> tuple[dict[str, Field], list[Block]]:
    """The labelled fields of an item section, and the blocks that belong to no label."""
    fields: dict[str, Field] = {}
    rest: list[Block] = []
    current: Field | None = None
    for block in section.blocks:
        if block.kind == "paragraph":
            match = _LABEL_START.match(block.source)
            name = _label(match.group(1), labels) if match else None
            if name is not None:
                current = fields.setdefault(name, Field(name, block.where, block.source[match.end():].strip()))
                block.used = True
                continue
            if match is None and current is None:
                rest.append(block)
                continue
            if match is not None:
                current = None
                rest.append(block)
                continue
        if block.kind == "list":
            items = _list_items(block)
            labelled = [(item, line, _LABEL_START.match(_item_source(item, block))) for item, line in items]
            if labelled and all(m for _, _, m in labelled) and all(_label(m.group(1), labels) for *_, m in labelled):
                for item, line, match in labelled:
                    name = _label(match.group(1), labels)
                    source = _item_source(item, block)
                    first, *more = source[match.end():].split("\n", 1)
                    nested_items = [re.sub(r"^\s*[-*+]\s+", "", n).strip() for n in "".join(more).split("\n")
                                    if re.match(r"^\s*[-*+]\s+", n)]
                    fields[name] = Field(name, f"{block.file}:{line}", first.strip(), [], nested_items)
                block.used = True
                current = None
                continue
        if current is not None and (not current.inline or block.kind == "fence"):
            current.following.append(block)
            block.used = True
        else:
            current = None
            rest.append(block)
    if nested:
        for child in section.children:
            name = _label(child.title, labels)
            if name is None:
                rest.extend(child.all_blocks())
                continue
            fields[name] = Field(name, child.where, "", child.all_blocks())
    return fields, rest


def _label(text: str, labels: dict[str, str]) -> str | None:
    key = " ".join(re.sub(r"[^\w\s-]", " ", text.lower()).split())
    status = re.fullmatch(r"(?:response|status)\s+(\d{3})", key)
    if status and "response" in labels:
        return f"response {status.group(1)}"
    key = key[:-1] if key.endswith("s") and key[:-1] in labels else key
    if key in labels:
        return labels[key]
    singular = re.sub(r"s\b", "", key)
    return labels.get(singular)


_C4_DIAGRAM = re.compile(r"^\s*(C4Context|C4Container|C4Component|C4Dynamic|C4Deployment)\b|!include\s+\S*C4_", re.M)
_C4_ELEMENT = re.compile(r"^\s*(Person(?:_Ext)?|System(?:Db|Queue)?(?:_Ext)?|Container(?:Db|Queue)?(?:_Ext)?|"
                         r"Component(?:Db|Queue)?(?:_Ext)?)\s*\((.*)\)\s*(?:\{\s*)?$")
_C4_RELATION = re.compile(r"^\s*(?:Bi)?Rel(?:_[A-Za-z]+)?\s*\((.*)\)\s*$")


def _c4_arguments(text: str) -> list[str]:
    """`web, "Web App", "React"` → ['web', 'Web App', 'React'] (quoted or bare, `$key=` ones left out)."""
    return [(quoted if quoted else bare).strip() for quoted, bare in re.findall(r'"([^"]*)"|([^,"]+)', text)
            if not (bare or "").strip().startswith("$") and (quoted or bare.strip())]


def _sequence_fence(section: Section) -> Block | None:
    """The first Mermaid sequence diagram a section (and its sub-sections) draws, not derived."""
    for block in section.all_blocks():
        if block.kind == "fence" and not block.derived and _fence_text(block).lstrip().startswith("sequenceDiagram"):
            return block
    return None


def _bold_led(block: Block) -> bool:
    """A list whose every item opens with bold text: a list of named items."""
    return all(_raw_item(item).startswith("**") for item, _ in _list_items(block))


def _bold_lead(text: str) -> tuple[str, str]:
    """`**Name**: what it does` (or `**Name:** …`, `**Name** — …`) → (name, what it does)."""
    match = re.match(r"^\*\*(.+?)\*\*\s*[:：—–-]?\s*(.*)$", text)
    if not match:
        return _plain(text), ""
    return _plain(match.group(1)).rstrip(":：").strip(), match.group(2).strip()


def _is_diagram(section: Section) -> bool:
    """A sub-section that only draws (`### Component Diagram`): not an item of its section."""
    blocks = section.all_blocks()
    return bool(blocks) and "diagram" in section.title.lower() and all(b.kind == "fence" or b.derived for b in blocks)


def _is_title(heading: Section) -> bool:
    """Whether a document's one H1 is its title (sections below it), not a shard's section
    (`# Components` in `components.md`, items below it). A shard is named after its heading,
    as BMAD's shard-doc names it; an `index.md` holds the title; otherwise the H1 is a title
    when its words name no section, or when most of its sub-headings do."""
    name = heading.file.rsplit("/", 1)[-1].lower()
    if name == slug(heading.title) + ".md":
        return False
    if name in ("index.md", "readme.md") or _section_key(heading.title) is None:
        return True
    keyed = sum(1 for child in heading.children if _section_key(child.title) is not None)
    return bool(heading.children) and keyed * 2 > len(heading.children)


def _is_contents(section: Section) -> bool:
    """A table of contents: nothing but lists whose every item is a link within the document
    or to one of its files (and no sub-section); a list of web links is references."""
    if section.children or not section.blocks:
        return False
    for block in section.blocks:
        if block.kind != "list":
            return False
        for item, _ in _list_items(block):
            inline = inline_of(item)
            children = [c for c in (inline.children if inline else []) if not (c.type == "text" and not c.content.strip())]
            if len(children) != 1 or children[0].type != "link" or \
                    re.match(r"^[a-z][a-z0-9+.-]*:", str(children[0].attrs.get("href", "")), re.I):
                return False
    return True


def _section_key(title: str) -> str | None:
    text = title.lower()
    for key, pattern in SECTION_KEYS:
        if re.search(pattern, text):
            return key
    return None


# ---- small readers --------------------------------------------------------------------


def _strings(value: object) -> list[str]:
    """Every string of the draft, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _strings(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _strings(inner)]
    return []


def _block_text(block: Block) -> str:
    """A block's words: table cells one by one (each is a value of its own), else its source."""
    if block.kind == "table":
        return "\n".join(inline_text(cell) for _, cells in table_rows(block)[1] for cell in cells)
    return block.source


def _word_pairs(texts: list[str]) -> set[tuple[str, str]]:
    """Consecutive word pairs, lower case, within each line: what a block shares with the draft."""
    pairs: set[tuple[str, str]] = set()
    for text in texts:
        for line in text.lower().split("\n"):
            words = re.findall(r"\w+", line)
            pairs.update(zip(words, words[1:]))
    return pairs


def _markdown(section: Section, blocks: list[Block] | None = None) -> str:
    """A section's Markdown as written: its blocks (or `blocks`), then its sub-sections with
    their headings."""
    parts = [b.source for b in (section.blocks if blocks is None else blocks) if not b.derived]
    for child in section.children:
        body = _markdown(child)
        parts.append(f"{'#' * min(6, child.level + 1)} {child.title}" + (f"\n\n{body}" if body else ""))
    return "\n\n".join(p for p in parts if p.strip()).strip()


def _list_items(block: Block) -> list[tuple[SyntaxTreeNode, int]]:
    return [(item, (item.map[0] + 1) if item.map else block.line) for item in block.node.children]


def _item_source(item: SyntaxTreeNode, block: Block) -> str:
    lines = block.source.split("\n")
    start, end = item.map if item.map else (block.line - 1, block.line)
    return "\n".join(lines[start - (block.line - 1):end - (block.line - 1)])


def _raw_item(item: SyntaxTreeNode) -> str:
    """A list item's first paragraph as written (its inline source)."""
    inline = inline_of(item)
    return " ".join((inline.content if inline else "").split())


def _raw(cell: SyntaxTreeNode | None) -> str:
    """A table cell's Markdown as written, `\\|` unescaped; empty for an em dash."""
    if cell is None:
        return ""
    text = cell.content.replace("\\|", "|").strip()
    return "" if text == "—" else text


def _plain(text: str) -> str:
    """Markdown inline text → what it shows (for names, ids, versions)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(text)
    return inline_text(SyntaxTreeNode(tokens).children[0]) if tokens else ""


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]\s*", text) if part.strip() and part.strip() != "—"]


def _columns(header: list[str], names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column index per field, by the first header that names it."""
    result: dict[str, int] = {}
    for index, title in enumerate(header):
        for name, words in names.items():
            if name not in result and any(re.search(rf"\b{re.escape(w)}", title) for w in words):
                result[name] = index
                break
    return result


def _cell_getter(cells: list, columns: dict[str, int]) -> Callable[..., str]:
    def value(name: str, plain: bool = False) -> str:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return ""
        text = inline_text(cells[index]) if plain else _raw(cells[index])
        return "" if text == "—" else text
    return value


def _fence_info(block: Block) -> str:
    return (block.node.info or "").strip().split(" ")[0].lower() if block.node.type == "fence" else ""


def _fence_text(block: Block) -> str:
    return block.node.content.rstrip("\n")


def _attribute_table(block: Block) -> list[dict[str, Any]]:
    header, rows = table_rows(block)
    columns = _columns(header, {"name": ("attribute", "field", "column", "name"), "type": ("type",),
                                "constraints": ("constraint", "key", "null"),
                                "purpose": ("purpose", "description", "notes")})
    result = []
    for _, cells in rows:
        value = _cell_getter(cells, columns)
        if not value("name", plain=True):
            continue
        attribute: dict[str, Any] = {"name": value("name", plain=True), "type": value("type", plain=True) or "text"}
        if "constraints" in columns:
            cell = cells[columns["constraints"]]
            codes = [c.content for c in (cell.children if cell else []) if c.type == "code_inline"]
            constraints = codes or _split(value("constraints", plain=True))
            if constraints:
                attribute["constraints"] = constraints
        if value("purpose"):
            attribute["purpose"] = value("purpose")
        result.append(attribute)
    return result


def _attribute_item(text: str) -> dict[str, Any]:
    """`name: type - purpose`, `` `name` (type): purpose `` or `name - purpose`."""
    plain = _plain(text)
    match = re.match(r"^([\w.]+)\s*(?:\(([^)]*)\)|:\s*([^-–—,]+?))?\s*(?:[-–—:]\s*(.*))?$", plain)
    if not match:
        return {"name": slug(plain)[:40] or "field", "type": "text", "purpose": plain}
    attribute: dict[str, Any] = {"name": match.group(1), "type": (match.group(2) or match.group(3) or "text").strip()}
    if match.group(4):
        attribute["purpose"] = match.group(4).strip()
    return attribute


def _interface_attributes(text: str) -> list[dict[str, Any]]:
    """Fields of a TypeScript interface, a class or a struct: `name?: type;` lines."""
    result = []
    for match in re.finditer(r"^\s*(\w+)\??\s*:\s*([^;\n]+?);?\s*(?://\s*(.*))?$", text, re.M):
        attribute: dict[str, Any] = {"name": match.group(1), "type": match.group(2).strip()}
        if match.group(3):
            attribute["purpose"] = match.group(3).strip()
        result.append(attribute)
    return result


_RELATION_WORDS = (
    (r"^(one-to-one|one-to-many|many-to-one|many-to-many)\s+(.+)$", None),
    (r"^has many\s+(.+)$", "one-to-many"), (r"^has one\s+(.+)$", "one-to-one"),
    (r"^belongs to\s+(.+)$", "many-to-one"), (r"^many to many with\s+(.+)$", "many-to-many"),
)


def _relationship(text: str) -> dict[str, Any] | None:
    for pattern, kind in _RELATION_WORDS:
        match = re.match(pattern, text.strip(), re.I)
        if match:
            if kind is None:
                kind, rest = match.group(1).lower(), match.group(2)
            else:
                rest = match.group(1)
            target, _, description = rest.partition(":")
            relationship: dict[str, Any] = {"target": target.strip().rstrip(".").split(" (")[0], "kind": kind}
            if description.strip():
                relationship["description"] = description.strip()
            return relationship
    return None


def _index(text: str) -> dict[str, Any] | None:
    unique = text.lower().startswith("unique ")
    body = text[7:] if unique else text
    columns_part, _, name = body.partition(" as ")
    columns = _split(columns_part)
    if not columns:
        return None
    index: dict[str, Any] = {"columns": columns}
    if name.strip():
        index["name"] = name.strip()
    if unique:
        index["unique"] = True
    return index


def _options(value: Field) -> list[dict[str, Any]]:
    lists = [b for b in value.following if b.kind == "list"]
    if not lists:
        return [{"name": name} for name in value.items()]
    options = []
    for item, _ in _list_items(lists[0]):
        raw = _raw_item(item)
        match = re.match(r"^\*\*(.+?)\*\*\s*:?\s*(.*)$", raw)
        name, description = (match.group(1), match.group(2)) if match else (raw.split(":")[0], raw.partition(":")[2])
        option: dict[str, Any] = {"name": _plain(name)}
        if description.strip():
            option["description"] = description.strip()
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                for sub in child.children:
                    text = _raw_item(sub)
                    kind, _, rest = text.partition(":")
                    if kind.strip().lower() in ("pro", "pros"):
                        option.setdefault("pros", []).append(rest.strip())
                    elif kind.strip().lower() in ("con", "cons"):
                        option.setdefault("cons", []).append(rest.strip())
        options.append(option)
    return options


def _example_part(value: Field, status: int | None) -> dict[str, Any]:
    part: dict[str, Any] = {} if status is None else {"status": status}
    inline = value.inline
    match = re.match(r"^`([\w.+-]+/[\w.+-]+)`\s*(.*)$", inline)  # a media type first
    if match:
        part["content_type"] = match.group(1)
        inline = match.group(2)
    if inline.strip():
        part["description"] = inline.strip()
    fences = [b for b in value.following if b.kind == "fence"]
    if fences:
        text = _fence_text(fences[0])
        if _fence_info(fences[0]) == "json":
            try:
                part["example"] = json.loads(text)
            except ValueError:
                part["example"] = text
        else:
            part["example"] = text
    return part


_SEQUENCE_STEP = re.compile(r"^\s*([\w.-]+)\s*-{1,2}>{1,2}[+-]?\s*([\w.-]+)\s*:\s*(.*)$")
_SEQUENCE_PARTICIPANT = re.compile(r"^\s*(?:participant|actor)\s+([\w.-]+)(?:\s+as\s+(.*))?$")
_SEQUENCE_NOTE = re.compile(r"^\s*Note\s+(?:over|left of|right of)\s+[^:]+:\s*(.*)$", re.I)


def _sequence_steps(source: str) -> list[dict[str, Any]]:
    """The messages of a Mermaid sequence diagram, participants by their shown names."""
    names: dict[str, str] = {}
    steps: list[dict[str, Any]] = []
    note: str | None = None
    for line in source.splitlines():
        participant = _SEQUENCE_PARTICIPANT.match(line)
        if participant:
            names[participant.group(1)] = (participant.group(2) or participant.group(1)).strip()
            continue
        found = _SEQUENCE_NOTE.match(line)
        if found:
            note = found.group(1).strip()
            continue
        step = _SEQUENCE_STEP.match(line)
        if step:
            entry: dict[str, Any] = {"from": names.get(step.group(1), step.group(1)),
                                     "to": names.get(step.group(2), step.group(2)),
                                     "message": step.group(3).strip() or "?"}
            if note:
                entry["note"] = note
                note = None
            steps.append(entry)
    return steps


_TREE_LINE = re.compile(r"^([\s│|├└─`\\+-]*?)([^\s│├└─#][^#]*?)\s*(?:#\s*(.*))?$")


def _tree_entries(text: str) -> Iterable[tuple[str, str, int]]:
    """(path, purpose, line offset) per line of a tree drawing (`├── src/  # code`)."""
    stack: list[tuple[int, str]] = []
    for offset, line in enumerate(text.splitlines(), 1):
        match = _TREE_LINE.match(line)
        if not match or not match.group(2).strip():
            continue
        depth = len(match.group(1))
        name = match.group(2).strip().strip("`")
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        path = (parent.rstrip("/") + "/" + name) if parent else name
        stack.append((depth, path))
        yield path, (match.group(3) or "").strip(), offset


_CODE = re.compile(r"(`{3,}|~{3,})[^\n]*\n.*?(?:\n\1[`~]*|\Z)|(`+)[^`\n]*?\2", re.S)


def _without_code(text: str) -> str:
    """Text with code blocks and spans removed: an id in code is an example, not a mention."""
    return _CODE.sub(" ", text)


def _with_ranges(text: str, ids: list[str]) -> list[str]:
    """Ids of a `Requirements:` field, with `A..B` ranges kept as written ranges."""
    result: list[str] = []
    for match in re.finditer(r"(\S+?)\]\([^)]*\)\.\.\[(\S+?)\]|(\S+?)\.\.(\S+)", text):
        first, last = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        if first in ids and last in ids:
            result.append(f"{first}..{last}")
    ranged = {part for ref in result for part in ref.split("..")}
    ordered: list[str] = []
    for rid in ids:
        if rid in ranged:
            ref = next(r for r in result if rid in r.split(".."))
            if ref not in ordered:
                ordered.append(ref)
        else:
            ordered.append(rid)
    return ordered
