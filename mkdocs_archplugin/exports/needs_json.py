"""needs.json: the requirements and the architecture as sphinx-needs needs, for `needimport`.

The envelope is the one sphinx-needs' `needs_build_json` writes: `current_version` (the
`version` of architecture.yml, else `""`, as sphinx-needs writes an unset Sphinx `version`),
`project` (`product`, else the PRD's title), and `versions: {<current_version>: {creator,
needs, needs_amount}}`. `created` is the `date` of architecture.yml when it has one and is
left out otherwise, as under sphinx-needs' own `needs_reproducible_json`: never the clock.

Each need has `id`, `type`, `type_name`, `title`, `content` (reStructuredText, `doctype`
`.rst`: input text escaped so it renders as written and cannot open a directive), `status`,
`tags`, three link types and `archplugin_id`, the id as the inputs write it:

| type | from | id | status | tags |
|---|---|---|---|---|
| `req`, `nfreq` | FRs, NFRs of the PRD | `REQ_<id>` (`FR-1` → `REQ_FR_1`) | `covered` or `gap` | `fr`/`nfr`, category, priority |
| `comp` | `components` | `COMP_<id>` | | `component`, layer |
| `adr` | `decisions` | `ADR_<id>` (`ADR_ADR_001`) | the decision's status | `decision` |
| `entity` | `entities` | `ENTITY_<name>` | | `entity` |
| `endpoint` | `api.endpoints` | `API_<method>_<path>` | | `endpoint` |
| `iface` | `interfaces` | `IFACE_<kind>_<name>` | | `interface`, kind |
| `flow` | `flows` | `FLOW_<id>` | | `flow` |
| `risk` | `risks` | `RISK_<id>` | the risk's status | `risk` |
| `tech` | `stack`, `services` | `TECH_<name>` | | `stack` or `service` |
| `tradeoff` | `tradeoffs` | `TRADEOFF_<title>` | | `tradeoff` |

An id is made valid for sphinx-needs' default `needs_id_regex` (`^[A-Z0-9_]{5,}`): the
type's prefix, then the id in upper case ASCII with every run of other characters one `_`.
Ids that come out alike get `_2`, `_3`, … in document order (requirements first). Links hold
need ids: `links` from an architecture item to the requirements it names, `depends_on` between components, `supersedes` between
decisions; a reference to nothing (already a diagnostic) is left out.

Deterministic: document order, a fixed key order, no clock.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mkdocs_archplugin import __version__
from mkdocs_archplugin.analysis.result import Analysis
from mkdocs_archplugin.analysis.traceability import Trace
from mkdocs_archplugin.architecture.model import Architecture, ArchModel

#: The need types the export uses: directive name → title, as a `needs_types` entry names them.
NEED_TYPES = {
    "req": "Requirement", "nfreq": "Non-functional requirement", "comp": "Component",
    "adr": "Decision", "entity": "Data entity", "endpoint": "API endpoint", "iface": "Interface",
    "flow": "Flow", "risk": "Risk", "tech": "Technology", "tradeoff": "Trade-off",
}
#: The link types besides sphinx-needs' own `links`, to declare in the importing project.
LINK_TYPES = ("depends_on", "supersedes")
#: The one extra field: the id as the PRD or architecture.yml writes it.
ORIGINAL_ID = "archplugin_id"
_NOT_ID = re.compile(r"[^A-Z0-9]+")


def export_needs_json(analysis: Analysis) -> str:
    """needs.json as text: keys sorted as `needs_build_json` writes them, and one need per
    line so that diffs of the file stay readable."""
    document = needs_document(analysis)
    version = document["versions"][document["current_version"]]
    needs, version["needs"] = version["needs"], _NEEDS_PLACEHOLDER
    lines = ",\n".join(f"    {_dumps(key)}: {_dumps(need)}" for key, need in needs.items())
    return _dumps(document).replace(_dumps(_NEEDS_PLACEHOLDER), "{\n" + lines + "\n  }" if needs else "{}") + "\n"


_NEEDS_PLACEHOLDER = "\0needs\0"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True)


def needs_document(analysis: Analysis) -> dict[str, Any]:
    """The needs.json document as plain JSON values."""
    arch = analysis.arch
    needs = _Needs()
    _add_requirements(needs, analysis)
    if arch is not None and analysis.trace is not None:
        _add_architecture(needs, arch, analysis.trace)
    version = arch.version if arch and arch.version else ""
    document: dict[str, Any] = {}
    if arch is not None and arch.date:
        document["created"] = arch.date
    document["current_version"] = version
    document["project"] = (arch.product if arch else None) or analysis.prd.title or ""
    document["versions"] = {version: {
        **({"created": arch.date} if arch is not None and arch.date else {}),
        "creator": {"program": "mkdocs-archplugin", "version": __version__},
        "needs": needs.resolved(),
        "needs_amount": len(needs.records),
    }}
    return document


def need_id(text: str, prefix: str) -> str:
    """A sphinx-needs id from an input's id: `FR-1.2` with prefix `REQ` → `REQ_FR_1_2`, `api`
    with prefix `COMP` → `COMP_API`. A prefix keeps kinds apart and every id at least five
    characters long."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    core = _NOT_ID.sub("_", ascii_text.upper()).strip("_")
    if not core:  # nothing ASCII in it: a stable stand-in
        core = "X" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8].upper()
    return f"{prefix}_{core}"


@dataclass
class _Needs:
    """Needs in document order, with unique ids, and the links by the inputs' ids until all
    are known (a component may depend on one defined after it)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    #: (need type, id as written) → need id; the first item of a key wins, as in the graph.
    ids: dict[tuple[str, str], str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def add(self, need_type: str, original: str, title: str, *, prefix: str, content: Iterable[str | None] = (),
            status: str | None = None, tags: Iterable[str | None] = (), links: Iterable[tuple[str, str]] = (),
            depends_on: Iterable[str] = (), supersedes: Iterable[str] = ()) -> None:
        key = ("req" if need_type == "nfreq" else need_type, original)
        if key in self.ids:
            return
        base = need_id(original, prefix)
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}_{n}", n + 1
        self.taken.add(candidate)
        self.ids[key] = candidate
        self.records.append({
            "id": candidate,
            "type": need_type,
            "type_name": NEED_TYPES[need_type],
            "title": " ".join(title.split()),
            "content": "\n\n".join(rst_text(text) for text in content if text and text.strip()),
            "doctype": ".rst",
            "status": status,
            "tags": list(dict.fromkeys(_tag(tag) for tag in tags if tag and _tag(tag))),
            "links": list(links),
            "depends_on": [("comp", target) for target in depends_on],
            "supersedes": [("adr", target) for target in supersedes],
            ORIGINAL_ID: original,
        })

    def resolved(self) -> dict[str, dict[str, Any]]:
        """The needs by id, each link turned into the need id of its target."""
        result = {}
        for record in self.records:
            for link_type in ("links", *LINK_TYPES):
                record[link_type] = list(dict.fromkeys(
                    self.ids[target] for target in record[link_type] if target in self.ids))
            result[record["id"]] = record
        return result


def _tag(text: str) -> str:
    return "-".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _add_requirements(needs: _Needs, analysis: Analysis) -> None:
    trace = analysis.trace
    for req in analysis.prd.by_id.values():
        covered = trace.of(req.id).covered if trace is not None else False
        needs.add(
            "nfreq" if req.is_nfr else "req", req.id, req.title, prefix="REQ",
            content=[req.text, *(f"Target: {target}" for target in req.targets),
                     *(f"Acceptance: {criterion}" for criterion in req.acceptance)],
            status="covered" if covered else "gap",
            tags=["nfr" if req.is_nfr else "fr", req.category, req.priority],
        )


def _add_architecture(needs: _Needs, arch: Architecture, trace: Trace) -> None:
    def links(item: ArchModel) -> list[tuple[str, str]]:
        return [("req", requirement_id) for requirement_id in trace.requirements_of(item)]

    for c in arch.components:
        needs.add("comp", c.id, c.name, prefix="COMP", content=[c.purpose, *c.responsibilities],
                  tags=["component", c.layer], links=links(c), depends_on=c.depends_on)
    for d in arch.decisions:
        needs.add("adr", d.id, d.title, prefix="ADR", content=[d.context, d.decision, d.rationale],
                  status=d.status, tags=["decision"], links=links(d), supersedes=d.supersedes)
    for e in arch.entities:
        needs.add("entity", e.name, e.name, prefix="ENTITY", content=[e.purpose], tags=["entity"], links=links(e))
    for endpoint in arch.api.endpoints if arch.api else []:
        key = f"{endpoint.method} {endpoint.path}"
        needs.add("endpoint", key, key, prefix="API", content=[endpoint.purpose], tags=["endpoint"],
                  links=links(endpoint))
    for i in arch.interfaces:
        needs.add("iface", i.key, i.key, prefix="IFACE", content=[i.description], tags=["interface", i.kind],
                  links=links(i))
    for flow in arch.flows:
        needs.add("flow", flow.id, flow.title, prefix="FLOW", content=[flow.description], tags=["flow"],
                  links=links(flow))
    for risk in arch.risks:
        needs.add("risk", risk.id, risk.title, prefix="RISK", content=[risk.description, risk.mitigation],
                  status=risk.status, tags=["risk"], links=links(risk))
    for entry in arch.stack:
        needs.add("tech", entry.name, entry.name, prefix="TECH", content=[entry.rationale],
                  tags=["stack", entry.layer], links=links(entry))
    for service in arch.services:
        needs.add("tech", service.name, service.name, prefix="TECH", content=[service.purpose, service.justification],
                  tags=["service"], links=links(service))
    for t in arch.tradeoffs:
        needs.add("tradeoff", t.title, t.title, prefix="TRADEOFF", content=[t.choice, t.justification],
                  tags=["tradeoff"], links=links(t))


#: Inline markup of reStructuredText, escaped everywhere: backslash, emphasis, literals and
#: roles, substitutions; `_` where it could end a reference (`word_`, `[1]_`) or start a target.
_RST_INLINE = re.compile(r"[\\*`|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|::")
#: What makes a paragraph's start a block construct: a bullet, an enumerator (`1.`, `a)`,
#: `(i)`), a comment or directive (`..`), a field (`:x:`), a quote (`>>>`), a table or a
#: section line.
_RST_BLOCK_START = re.compile(r"[^\w\s]|\(?\w{1,4}[.)]\s")


def rst_text(text: str) -> str:
    """Input text as reStructuredText that renders as written: paragraphs kept, each on one
    line; inline markup and block-starting characters escaped."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        line = _RST_INLINE.sub(lambda m: "\\:\\:" if m.group() == "::" else "\\" + m.group(), " ".join(paragraph.split()))
        if _RST_BLOCK_START.match(line) and not line.startswith("\\"):
            line = "\\" + line
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)
