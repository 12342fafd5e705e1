"""`archplugin scaffold`: a starter architecture.yml from a PRD, valid from the first save.

It holds a stub decision per NFR (status `proposed`, so each NFR stays reported as
`nfr-without-decision` until its decision is made and accepted) and lists the FRs in a
comment for assignment to components.
"""

from __future__ import annotations

import yaml
from yaml.reader import Reader

from mkdocs_archplugin.architecture.yaml_reader import Yaml12Resolver
from mkdocs_archplugin.prd.model import Prd, Requirement

#: Where editors find the schema: beside the file, written by `archplugin schema`.
DEFAULT_SCHEMA_URL = "./architecture.schema.json"


class _ScaffoldResolver(yaml.resolver.Resolver):
    """Quotes every string that YAML 1.1 or 1.2 would read as something else (`no`, `0o7`)."""


for _first, _resolvers in Yaml12Resolver.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        _ScaffoldResolver.add_implicit_resolver(_tag, _regexp, [_first])


class _ScaffoldDumper(
    yaml.emitter.Emitter,
    yaml.serializer.Serializer,
    yaml.representer.SafeRepresenter,
    _ScaffoldResolver,
):
    """Block style with indented lists; multi-line text as literal blocks."""

    def __init__(self, stream, **kwargs) -> None:
        yaml.emitter.Emitter.__init__(
            self, stream, width=kwargs.get("width"), allow_unicode=True, line_break=None
        )
        yaml.serializer.Serializer.__init__(self)
        yaml.representer.SafeRepresenter.__init__(self, sort_keys=False)
        _ScaffoldResolver.__init__(self)

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.representer.SafeRepresenter, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


class FlowList(list):
    """A short list written on one line: `requirements: [NFR-001]`."""


def _represent_flow_list(
    dumper: yaml.representer.SafeRepresenter, items: list
) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_ScaffoldDumper.add_representer(str, _represent_text)
_ScaffoldDumper.add_representer(FlowList, _represent_flow_list)


def dump_yaml(data: object) -> str:
    """Block-style YAML as the scaffold and the importer write it: every string that another
    YAML version would read as something else quoted, multi-line text as literal blocks."""
    # No folding: a title broken over two lines reads as two things.
    return yaml.dump(data, Dumper=_ScaffoldDumper, width=100_000, default_flow_style=False)


def render_scaffold(prd: Prd, schema_url: str = DEFAULT_SCHEMA_URL) -> str:
    """A starter architecture.yml for the PRD: it loads without error, and every NFR awaits its
    decision."""
    frs, nfrs = prd.functional, prd.non_functional
    title = _one_line(prd.title or "")
    parts = [
        f"# yaml-language-server: $schema={schema_url}\n",
        "#\n",
        "# Scaffolded by `archplugin scaffold` from the PRD\n",
        *(f"#   {_one_line(file)}\n" for file in prd.files),
        f"# with {len(frs)} functional and {len(nfrs)} non-functional requirements.\n",
        "# Write the schema for your editor with `archplugin schema > architecture.schema.json`.\n",
        "# Check it with `archplugin check`: every NFR stays a warning until an accepted decision,\n",
        "# a stack entry or a trade-off names it.\n",
        "\n",
        dump_yaml({"product": title or "TODO: product name", "version": "0.1.0", "status": "draft"}),
        "\n",
        "# overview:\n",
        "#   purpose: What the system is for, in a paragraph.\n",
        "#   goals:\n",
        "#     - goal: What it must achieve\n",
        "#       requirements: [FR-001]\n",
        "# stack:\n",
        "#   - layer: backend\n",
        "#     name: FastAPI\n",
        '#     version: "0.110"\n',
        "#     rationale: Why this technology.\n",
        "#     requirements: [NFR-001]\n",
        "# pattern:\n",
        "#   name: Modular monolith\n",
        "#   rationale: Why this pattern.\n",
        "\n",
    ]
    parts.extend(_components_comment(frs))
    parts.append("components: []\n\n")
    parts.extend(_decisions(nfrs))
    return "".join(parts)


def _components_comment(frs: list[Requirement]) -> list[str]:
    if not frs:
        return ["# The PRD defines no functional requirement (FR) to assign to components.\n"]
    lines = [
        "# Assign each functional requirement to the component (or entity, or endpoint) that\n",
        "# implements it, by adding its id to that item's `requirements`:\n",
        "#\n",
    ]
    width = max(len(fr.id) for fr in frs)
    for fr in frs:
        lines.append(f"#   {fr.id.ljust(width)}  {_one_line(fr.title)}".rstrip() + "\n")
    lines += [
        "#\n",
        "# - id: api\n",
        "#   name: API service\n",
        "#   purpose: What it is for.\n",
        "#   depends_on: [database]\n",
        f"#   requirements: [{frs[0].id}]\n",
    ]
    return lines


def _decisions(nfrs: list[Requirement]) -> list[str]:
    if not nfrs:
        return [
            "# The PRD defines no non-functional requirement (NFR) awaiting a decision.\n",
            "decisions: []\n",
        ]
    width = max(3, len(str(len(nfrs))))
    decisions = [
        {
            "id": f"ADR-{number:0{width}d}",
            "title": f"How to meet {nfr.id}: {_one_line(nfr.title) or nfr.category or 'TODO'}",
            "status": "proposed",
            "context": _context(nfr),
            "requirements": FlowList([nfr.id]),
        }
        for number, nfr in enumerate(nfrs, start=1)
    ]
    return [
        "# One decision per non-functional requirement. Weigh the options, write `decision`\n",
        "# and `rationale`, then set `status: accepted`: only then is the NFR addressed.\n",
        dump_yaml({"decisions": decisions}),
    ]


def _one_line(text: str) -> str:
    """Text on one line, safe in a YAML comment."""
    return " ".join(Reader.NON_PRINTABLE.sub("", text).split())


def _context(nfr: Requirement) -> str:
    """The NFR as the PRD states it, its measurable targets quoted."""
    category = f" ({_one_line(nfr.category)})" if nfr.category else ""
    lines = [f"{nfr.id}{category}: {_one_line(nfr.text) or _one_line(nfr.title)}"]
    if nfr.targets:
        lines.append("Targets: " + "; ".join(f'"{_one_line(t)}"' for t in nfr.targets))
    else:
        lines.append("Targets: none measurable in the PRD; agree on one before deciding.")
    lines.append(f"Source: {nfr.source}")
    return "\n".join(lines)
