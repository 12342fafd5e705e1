"""MkDocs hook of this documentation site: reference sections generated from the live code.

A line `<!-- reference:NAME -->` of its own in a page is replaced by a generated block, so
the reference pages cannot drift from the code they describe:

| marker | source |
|---|---|
| `config` | `ArchConfig`'s options: name, type, default, docstring; an example each from OPTION_EXAMPLES |
| `diagnostics` | `DEFAULT_SEVERITIES`, with the when / example / fix of `diagnostic_docs.DIAGNOSTICS` |
| `diagnostics-table` | `DEFAULT_SEVERITIES` as one summary table |
| `cli` | the argparse help of `archplugin` and of each subcommand |
| `schema` | `architecture_json_schema()`: a section per top-level key, an example from example_site |
| `section-words` | the heading words the PRD parser knows, per role (`DEFAULT_SECTION_WORDS`) |
| `id-pattern` | the default requirement id pattern |
| `quality-words` | the heading words that name a quality (`DEFAULT_QUALITY_WORDS`) |
| `distractor-prefixes` | the id prefixes family detection leaves out (`DISTRACTOR_PREFIXES`) |
| `parsed` | what the PRD parser reads from the fenced block just above the marker |
| `bench` | `bench/results.md`, once it exists |
| `changelog` | `CHANGELOG.md` |
| `dependencies` | pyproject.toml's dependencies, with the reason each from DEPENDENCY_REASONS |
| `schemastore` | `docs/schema/schemastore-catalog-entry.json`, the entry for SchemaStore's catalog |

The archplugin plugin runs first (MkDocs runs hooks after plugins) and only replaces
`archplugin:` markers, so the two never touch each other's markers.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import itertools
import logging
import os
import re
import textwrap
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import config_options as c

from mkdocs_archplugin.architecture.model import (
    REQUIREMENT_REF_PATTERN,
    architecture_json_schema,
)
from mkdocs_archplugin.cli import _build_parser
from mkdocs_archplugin.diagnostic_docs import DIAGNOSTICS
from mkdocs_archplugin.diagnostics import DEFAULT_SEVERITIES
from mkdocs_archplugin.plugin import ArchConfig
from mkdocs_archplugin.prd.assemble import assemble_prd
from mkdocs_archplugin.prd.parser import parse_markdown
from mkdocs_archplugin.prd.settings import (
    DEFAULT_ID_PATTERN,
    DEFAULT_QUALITY_WORDS,
    DEFAULT_SECTION_WORDS,
    DISTRACTOR_PREFIXES,
)

log = logging.getLogger("mkdocs.hooks.reference")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_ARCHITECTURE = ROOT / "example_site" / "architecture.yml"
BENCH_RESULTS = ROOT / "bench" / "results.md"
CHANGELOG = ROOT / "CHANGELOG.md"
PYPROJECT = ROOT / "pyproject.toml"
SCHEMASTORE_ENTRY = ROOT / "docs" / "schema" / "schemastore-catalog-entry.json"

_MARKER = re.compile(r"^<!--\s*reference:([a-z-]+)\s*-->\s*$")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")


# ---- the hand-written parts: the tests check they cover the code exactly --------------
# (the diagnostics' when / example / fix live in the package, mkdocs_archplugin/diagnostic_docs.py,
# because `archplugin check --format sarif` ships them as rule help)


#: One example per ArchConfig option (tests/test_docs_site.py checks both ways).
OPTION_EXAMPLES: dict[str, str] = {
    "prd": "prd: requirements/        # the shards in docs/requirements/, index.md first",
    "decisions": "decisions: docs/architecture/  # every .yml file of the folder, merged",
    "output_dir": "output_dir: design        # pages under design/, exports in site/design/",
    "nav_section": "nav_section: false        # leave the nav alone: list the pages yourself",
    "nav_item_limit": "nav_item_limit: 0         # component and decision pages never in the nav",
    "backlinks": "backlinks: false          # the PRD page stays exactly as written",
    "exports": "exports: [json, needs]    # traceability.json and needs.json; [] for none",
    "checks": (
        "checks:\n"
        "  fr-without-component: info      # reported, never fails --strict\n"
        "  dependency-cycle: ignore        # not reported at all"
    ),
    "templates_dir": "templates_dir: overrides/architecture  # relative to mkdocs.yml",
    "id_patterns": (
        "id_patterns:\n"
        "  - 'REQ-\\d+'                    # REQ-1, REQ-42 as well as …\n"
        "  - '(?:NFR|FR)-\\d+'             # … FR-1 and NFR-1"
    ),
    "non_functional_prefixes": "non_functional_prefixes: [NFR, QA]   # QA-3 is non-functional too",
    "addressed_by": (
        "addressed_by: [decisions]          # every NFR needs an accepted ADR\n"
        "# or accept more than the default: [decisions, stack, services, tradeoffs, patterns,\n"
        "#   risks, strategies, components]"
    ),
    "schema_dialect": "schema_dialect: mysql        # the generated DDL in MySQL's dialect",
    "markdown_export": "markdown_export: docs/architecture.md   # what `archplugin export --markdown` writes",
    "mermaid_js": (
        "mermaid_js: node_modules/mermaid/dist/mermaid.min.js  # copied into the site, no CDN\n"
        "# or a file of docs_dir: docs/javascripts/mermaid.min.js; or an intranet mirror:\n"
        "#   https://npm.example.internal/mermaid@11/dist/mermaid.min.js"
    ),
    "section_words": (
        "section_words:\n"
        "  non-functional: [qualities, service levels]\n"
        "  mentions: [test plan]           # a section that only mentions ids"
    ),
}

#: Why each dependency of pyproject.toml is there, by normalised name (tests check both ways).
DEPENDENCY_REASONS: dict[str, str] = {
    "mkdocs": (
        "The host: the plugin API, typed config options, `File.generated` for virtual pages "
        "(new in 1.6) and the live-reload server."
    ),
    "markdown-it-py": (
        "Reads the PRD: a CommonMark token stream in which every block knows its source lines, "
        "so definitions are told from code blocks and every message has a line."
    ),
    "mdit-py-plugins": "The front-matter plugin for markdown-it-py, so front matter never yields requirements.",
    "sqlglot": (
        "Parses and writes SQL: the DDL generated from `entities` in the site's `schema_dialect` "
        "(types as written, reserved names quoted, constraints kept and checked), and the "
        "tables of a written `schema` for the `schema-drift` check. Pure Python, no database."
    ),
    "watchdog": (
        "MkDocs' own file watcher (installed with MkDocs): under `mkdocs serve` the plugin sets "
        "up the watch of an input folder again when the folder is deleted and created anew."
    ),
    "pydantic": (
        "The architecture.yml model: one definition validates the file, types the code and "
        "exports the JSON Schema editors use. At least 2.7: attribute docstrings become the "
        "schema's field descriptions from that version on."
    ),
    "pyyaml": (
        "Loads architecture.yml with the safe loader; its node tree gives every value a line "
        "and column and lets the loader count aliases and depth before building anything. "
        "MkDocs needs it already."
    ),
    "jinja2": (
        "Renders the generated pages from templates, and user overrides in its sandbox. MkDocs "
        "needs it already. The `test` extra pins the release the shipped templates' compiled "
        "modules (`render/compiled/`) are generated with, so the test comparing them runs."
    ),
    "pytest": "Runs the test suite (`python -m pytest`).",
    "hypothesis": "Feeds the PRD parser and the YAML loader arbitrary text and bytes: they must never raise.",
    "jsonschema": "Validates `traceability.json` against its JSON Schema in the tests.",
    "mkdocs-material": (
        "The theme of the example site and of this site, and the reference setup for Mermaid "
        "diagrams; the tests build with it."
    ),
    "beautifulsoup4": "Reads the built HTML in the integration tests.",
    "playwright": (
        "Drives headless Chromium in the browser tests: diagrams render, links and anchors "
        "resolve, search works. The tests skip without a Chromium on the machine."
    ),
    "properdocs": "The MkDocs fork the plugin also supports; the compatibility tests build with it.",
    "mkdocs-gen-files": (
        "Pages generated by code, a plugin often used beside this one; the compatibility tests "
        "build a site with both."
    ),
    "mkdocs-literate-nav": (
        "Navigation from a SUMMARY.md; the compatibility tests build a site with both plugins."
    ),
    "mkdocs-awesome-pages-plugin": (
        "Navigation from `.pages` files; the compatibility tests build a site with both plugins."
    ),
    "mkdocs-static-i18n": "Translated sites; the compatibility tests build a site with both plugins.",
    "mkdocs-macros-plugin": "Jinja in pages; the compatibility tests build a site with both plugins.",
    "build": "PyPA's package builder: the packaging test builds the sdist in an isolated environment, as a release does.",
    "cmarkgfm": (
        "GitHub's own renderer (cmark-gfm): the tests render `export --markdown` with it and follow "
        "every link and anchor."
    ),
    "pre-commit": "Runs this repository's `.pre-commit-hooks.yaml` for real (`pre-commit try-repo`) in the tests.",
}


# ---- the hook ---------------------------------------------------------------------------


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Replace each `<!-- reference:NAME -->` line outside code blocks by its generated block."""
    if "reference:" not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    fence: str | None = None
    last_block: list[str] = []
    block: list[str] = []
    for number, line in enumerate(lines, 1):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(2)[0] == fence[0] and len(opening.group(2)) >= len(fence) \
                    and not line.strip()[len(opening.group(2)):].strip():
                fence, last_block = None, block
            else:
                block.append(line)
            out.append(line)
            continue
        if opening:
            fence, block = opening.group(2), []
            out.append(line)
            continue
        marker = _MARKER.match(line)
        if marker is None:
            out.append(line)
            continue
        name = marker.group(1)
        if name == "parsed":
            out.extend(["", parsed_table("\n".join(_dedent_block(last_block))), ""])
            continue
        render = RENDERERS.get(name)
        if render is None:
            log.warning(f"{page.file.src_uri}:{number}: unknown reference marker '{name}'")
            out.append(line)
            continue
        out.extend(["", render().rstrip("\n"), ""])
    return "\n".join(out)


def on_serve(server: Any, *, config: Any, builder: Any) -> Any:
    """Rebuild when a file a reference is read from changes (code changes need a restart)."""
    for path in (CHANGELOG, BENCH_RESULTS.parent, PYPROJECT, EXAMPLE_ARCHITECTURE):
        if path.exists():
            server.watch(str(path))
    return server


def _dedent_block(lines: list[str]) -> list[str]:
    return textwrap.dedent("\n".join(lines)).split("\n")


# ---- config ------------------------------------------------------------------------------


def option_docstrings(config_class: type = ArchConfig) -> dict[str, str]:
    """The docstring under each option of a config class, read from its source with `ast`."""
    source = textwrap.dedent(inspect.getsource(config_class))
    body = ast.parse(source).body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        target = None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign):
            target = statement.target
        if (isinstance(target, ast.Name) and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant) and isinstance(following.value.value, str)):
            docs[target.id] = inspect.cleandoc(following.value.value)
    return docs


def config_options() -> list[tuple[str, c.BaseConfigOption]]:
    """ArchConfig's options, in declaration order."""
    return list(ArchConfig._schema)


def option_type(option: c.BaseConfigOption) -> str:
    """A config option's type in words: `list of one of json, graph`."""
    if isinstance(option, c.Optional):
        return option_type(option.option)
    if isinstance(option, c.ListOfItems):
        return f"list of {option_type(option.option_type)}"
    if isinstance(option, c.DictOfItems):
        return f"mapping of names to {option_type(option.option_type)}"
    if isinstance(option, c.Choice):
        return "one of " + ", ".join(f"`{choice}`" for choice in option.choices)
    if isinstance(option, c.Dir):
        return "folder (must exist)"
    if isinstance(option, c.Type):
        kinds = option._type if isinstance(option._type, tuple) else (option._type,)
        if type(option).__name__ == "_Regex":
            return "regular expression"
        return " or ".join({str: "text", bool: "`true` / `false`", int: "number", list: "list",
                            dict: "mapping"}.get(kind, kind.__name__) for kind in kinds)
    return type(option).__name__


def _yaml_value(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    ticks = "``" if "`" in text else "`"
    pad = " " if ticks == "``" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def render_config() -> str:
    """A section per ArchConfig option: type, default, what it does, an example."""
    docs = option_docstrings()
    parts = []
    for name, option in config_options():
        default = option.default
        parts.append(f"### `{name}`\n")
        parts.append(f"{docs.get(name, '')}\n")
        parts.append(f"- **Type:** {option_type(option)}")
        parts.append(f"- **Default:** {_code(_yaml_value(default))}\n")
        example = OPTION_EXAMPLES.get(name)
        if example:
            indented = textwrap.indent(example, "      ")
            parts.append(f"```yaml\nplugins:\n  - archplugin:\n{indented}\n```\n")
    return "\n".join(parts)


# ---- diagnostics ---------------------------------------------------------------------------

#: Codes whose problem raises the product's one stopping error instead of being reported.
STOPS_THE_BUILD = ("prd-missing", "prd-invalid")

_SEVERITY_EFFECT = {
    "error": "logged as an error; fails `mkdocs build --strict` and `archplugin check`",
    "warn": "logged as a warning; fails `mkdocs build --strict` and `archplugin check`",
    "info": "logged as information; never fails a build",
    "ignore": "not reported",
}


def render_diagnostics_table() -> str:
    """Every code with its default severity, linked to its section."""
    rows = ["| code | default severity | when |", "|---|---|---|"]
    for code, severity in DEFAULT_SEVERITIES.items():
        doc = DIAGNOSTICS.get(code)
        when = doc.summary if doc else ""
        rows.append(f"| [`{code}`](#{code}) | {severity.value} | {when.replace('|', '&#124;')} |")
    return "\n".join(rows)


def render_diagnostics() -> str:
    """A section per code: default severity, when, a real message, how to fix it."""
    parts = []
    for code, severity in DEFAULT_SEVERITIES.items():
        doc = DIAGNOSTICS.get(code)
        parts.append(f"### `{code}`\n")
        if code in STOPS_THE_BUILD:
            parts.append(f"**Default severity:** `{severity.value}`: stops every build; `checks:` does not change it.\n")
        else:
            parts.append(f"**Default severity:** `{severity.value}` ({_SEVERITY_EFFECT[severity.value]}).\n")
        if doc is None:
            log.warning(f"the diagnostics reference has no entry for {code}")
            continue
        parts.append(f"**When:** {doc.when}\n")
        parts.append(f"```text\n{doc.example}\n```\n")
        parts.append(f"**Fix:** {doc.fix}\n")
    return "\n".join(parts)


# ---- command line -------------------------------------------------------------------------


def subcommands(parser: argparse.ArgumentParser | None = None) -> dict[str, argparse.ArgumentParser]:
    """`archplugin`'s subcommands and their parsers, in the order of `--help`."""
    parser = parser or _build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help(parser: argparse.ArgumentParser) -> str:
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal: fix the width for stable pages
    try:
        return parser.format_help().rstrip()
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def render_cli() -> str:
    """`archplugin --help`, then a section with the help of each subcommand."""
    parser = _build_parser()
    parts = ["```text\n$ archplugin --help\n" + _help(parser) + "\n```\n"]
    for name, sub in subcommands(parser).items():
        parts.append(f"### `archplugin {name}`\n")
        parts.append(f"```text\n$ archplugin {name} --help\n{_help(sub)}\n```\n")
        extra = CLI_NOTES.get(name)
        if extra:
            parts.append(extra + "\n")
    return "\n".join(parts)


#: What the help text cannot say; shown under each subcommand's help.
CLI_NOTES: dict[str, str] = {
    "requirements": (
        "Prints one line per requirement (id, kind, category, priority, `file:line`, title) and "
        "the PRD's own diagnostics (duplicates, requirements without an id) on standard error. "
        "`--json` prints everything the parser extracts: requirements with text, targets and "
        "acceptance criteria, requirement groups, personas, stories and the other items."
    ),
    "schema": (
        "Prints the JSON Schema of architecture.yml. Save it beside the file for the "
        "[editor setup](architecture-yml.md#editor-setup): `archplugin schema > architecture.schema.json`."
    ),
    "scaffold": (
        "Writes a starter file that loads without error: the header, a stub `proposed` decision "
        "per NFR (so each NFR stays reported until its decision is made and accepted) and the "
        "FRs in a comment, to assign to components. It never overwrites a file without `--force`."
    ),
    "prd-from-needs": (
        "Converts the requirement needs of a sphinx-needs `needs.json` into a Markdown PRD the parser "
        "reads, checks that it does, and never overwrites a file without `--force`: see "
        "[From sphinx-needs](writing-the-prd.md#from-sphinx-needs)."
    ),
    "check": (
        "Reads the plugin's options from `mkdocs.yml` (through MkDocs' own config loading), "
        "runs the parser and the checks, and prints every diagnostic that is not `ignore`d, then "
        "the summary line. It builds no site, so it answers in about a second. `--format github` "
        "prints [workflow commands](getting-started.md#github-actions) that GitHub shows as "
        "annotations on the changed lines; `--format json` prints `diagnostics`, `summary` and "
        "`failed`; `--format sarif` and `--format gitlab` are the [CI reports](#report-formats)."
    ),
    "export": (
        "Writes the [exports](exports.md) without building the site; `-` writes to standard "
        "output. `--json`, `--graph` and `--needs-json` are independent of the `exports:` option."
    ),
}


# ---- architecture.yml schema ----------------------------------------------------------------


def schema_keys() -> list[str]:
    """The top-level keys of architecture.yml, in the schema's order."""
    return list(architecture_json_schema()["properties"])


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def schema_type(schema: dict[str, Any]) -> str:
    """A JSON Schema fragment's type in words, with links to the sections of mappings."""
    if "$ref" in schema:
        return "mapping"
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        words = [schema_type(s) for s in options]
        if len(words) == 2 and words[1] == f"list of {words[0]}":
            return f"{words[1]} (or one alone)"
        return " or ".join(dict.fromkeys(words))
    if "enum" in schema:
        return "one of " + ", ".join(f"`{value}`" for value in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(schema_type({"type": k}) for k in kind)
    if kind == "array":
        return "list of " + schema_type(schema.get("items", {}))
    if kind == "string":
        if schema.get("pattern") == REQUIREMENT_REF_PATTERN:
            return "requirement id or range"
        return "text" if schema.get("minLength") is None else "text (not empty)"
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        return f"integer {low}–{high}" if low is not None and high is not None else "integer"
    if kind == "boolean":
        return "`true` / `false`"
    if kind == "object":
        return "mapping"
    if not schema or set(schema) <= {"default", "description", "title"}:
        return "any YAML value"
    return str(kind)


def _refs_in(schema: Any) -> list[str]:
    """The $defs a schema fragment refers to, in order of appearance."""
    found: list[str] = []
    if isinstance(schema, dict):
        name = _ref_name(schema)
        if name:
            found.append(name)
        for value in schema.values():
            found.extend(_refs_in(value))
    elif isinstance(schema, list):
        for value in schema:
            found.extend(_refs_in(value))
    return list(dict.fromkeys(found))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _fields_table(definition: dict[str, Any]) -> str:
    required = set(definition.get("required", ()))
    rows = ["| key | type | required | description |", "|---|---|---|---|"]
    for key, field in definition.get("properties", {}).items():
        rows.append(
            f"| `{key}` | {_cell(schema_type(field))} | {'yes' if key in required else ''} "
            f"| {_cell(field.get('description', ''))} |"
        )
    return "\n".join(rows)


def render_schema() -> str:
    """A section per top-level key: description, type, the fields of its items, an example."""
    schema = architecture_json_schema()
    defs = schema["$defs"]
    required = set(schema.get("required", ()))
    examples = schema_examples()
    shown: set[str] = set()
    parts = []
    for key, field in schema["properties"].items():
        parts.append(f"### `{key}`\n")
        parts.append(f"{field.get('description', '')}\n")
        parts.append(f"**Type:** {schema_type(field)}{' — **required**' if key in required else ''}\n")
        pending = [(name, key + ("[]" if field.get("type") == "array" else "")) for name in _refs_in(field)]
        while pending:
            name, path = pending.pop(0)
            if name in shown:
                continue
            shown.add(name)
            definition = defs[name]
            heading = "####" if path.rstrip("[]") == key else "#####"
            parts.append(f"{heading} `{path}` keys\n")
            parts.append(f"{definition.get('description', '')}\n")
            parts.append(_fields_table(definition) + "\n")
            for child_key, child in definition.get("properties", {}).items():
                suffix = "[]" if child.get("type") == "array" else ""
                pending.extend((child_name, f"{path}.{child_key}{suffix}") for child_name in _refs_in(child))
        if key in examples:
            source, example = examples[key]
            parts.append(f"Example, from {source}:\n\n```yaml\n{example}\n```\n")
    return "\n".join(parts)


#: Where the examples come from, first match wins: the example site uses almost every key.
EXAMPLE_SOURCES = (
    (EXAMPLE_ARCHITECTURE, "the example site's `example_site/architecture.yml`"),
    (ROOT / "architecture.yml", "this project's own `architecture.yml`"),
)


def schema_examples() -> dict[str, tuple[str, str]]:
    """Top-level key → (where from, excerpt), from the first file of EXAMPLE_SOURCES that has it."""
    examples: dict[str, tuple[str, str]] = {}
    for path, source in EXAMPLE_SOURCES:
        for key, text in file_excerpts(path).items():
            examples.setdefault(key, (source, text))
    return examples


def file_excerpts(path: Path) -> dict[str, str]:
    """Each top-level key's text in a YAML file, trimmed to a readable excerpt."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    examples: dict[str, str] = {}
    if not isinstance(root, yaml.MappingNode):
        return examples
    for key_node, value_node in root.value:
        first, last = key_node.start_mark.line, _last_line(value_node, lines)
        edits: list[tuple[int, int, str]] = []  # (first line, last line, replacement) to drop
        _trim(value_node, lines, edits)
        kept: list[str] = []
        skip_until = -1
        by_start = {start: (end, note) for start, end, note in edits}
        for number in range(first, last + 1):
            if number <= skip_until:
                continue
            if number in by_start:
                end, note = by_start[number]
                kept.append(note)
                skip_until = end
                continue
            kept.append(lines[number])
        examples[key_node.value] = "\n".join(kept).rstrip()
    return examples


#: An excerpt keeps the first item of a list of mappings and this many plain items.
_KEEP_SCALARS = 3
#: A literal block keeps this many lines.
_KEEP_LINES = 5


def _trim(node: yaml.Node, lines: list[str], edits: list[tuple[int, int, str]]) -> None:
    """Collect the line ranges an excerpt drops: surplus list items, the tail of long text."""
    if isinstance(node, yaml.SequenceNode):
        if node.flow_style:
            return
        keep = 1 if any(isinstance(item, yaml.MappingNode) for item in node.value) else _KEEP_SCALARS
        for item in node.value[:keep]:
            _trim(item, lines, edits)
        if len(node.value) > keep:
            start = node.value[keep].start_mark.line
            end = _last_line(node.value[-1], lines)
            indent = node.value[keep].start_mark.column - 2
            more = len(node.value) - keep
            edits.append((start, end, " " * max(indent, 0) + f"# … {more} more"))
    elif isinstance(node, yaml.MappingNode):
        if node.flow_style:
            return
        for _, value in node.value:
            _trim(value, lines, edits)
    elif isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        body_first = node.start_mark.line + 1
        body_last = _last_line(node, lines)
        if body_last - body_first + 1 > _KEEP_LINES + 1:
            start = body_first + _KEEP_LINES
            indent = len(lines[body_first]) - len(lines[body_first].lstrip())
            edits.append((start, body_last, " " * indent + "…"))


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The 0-based last line a node's text occupies (blank lines after it excluded)."""
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("|", ">"):
            end = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
            end = min(end, len(lines)) - 1
            while end > node.start_mark.line and not lines[end].strip():
                end -= 1
            return end
        return node.end_mark.line
    if getattr(node, "flow_style", False) or not node.value:
        return node.end_mark.line
    last = node.value[-1]
    if isinstance(node, yaml.MappingNode):
        return _last_line(last[1], lines)
    return _last_line(last, lines)


# ---- PRD parser --------------------------------------------------------------------------


def render_section_words() -> str:
    """The heading words per section role, from the parser's defaults."""
    meaning = {
        "non-functional": "requirements in it are non-functional (checked before `functional`)",
        "functional": "requirements in it are functional",
        "requirements": "a requirements section: detected id families may be defined in it (see Kind)",
        "mentions": "only mentions: nothing in it is a definition (checked first)",
        "other": "no requirement of its own: no id-less items, no detected families (checked before `non-functional`)",
        "planning": "goals, metrics, roadmaps, risks: no id-less items, no detected families",
        "persona": "personas",
        "use-case": "use cases",
        "user-story": "user stories",
        "epic": "epics",
        "constraint": "constraints",
        "assumption": "assumptions",
        "dependency": "dependencies",
        "glossary": "glossary terms",
    }
    rows = ["| role | a heading containing … | means |", "|---|---|---|"]
    for role, words in DEFAULT_SECTION_WORDS.items():
        listed = ", ".join(f"`{word}`" for word in words)
        rows.append(f"| `{role}` | {listed} | {meaning.get(role, '')} |")
    return "\n".join(rows)


def render_id_pattern() -> str:
    return f"```text\n{DEFAULT_ID_PATTERN}\n```"


def render_quality_words() -> str:
    """The heading words that make a detected family's requirements non-functional."""
    return ", ".join(f"`{word}`" for word in DEFAULT_QUALITY_WORDS)


def render_distractor_prefixes() -> str:
    """The id prefixes never detected as requirement families."""
    return ", ".join(f"`{prefix}`" for prefix in DISTRACTOR_PREFIXES)


def parsed_table(markdown: str) -> str:
    """What the PRD parser reads from a snippet, as the reader of the docs should see it."""
    prd = assemble_prd([parse_markdown(markdown, "prd.md")])
    if not prd.requirements:
        table = "*No requirement definitions.*"
    else:
        rows = ["| id | kind | title | category | priority | targets |", "|---|---|---|---|---|---|"]
        for req in prd.requirements:
            kind = "NFR" if req.is_nfr else "FR"
            rows.append(
                f"| `{req.id}` | {kind} | {_cell(_escape(req.title))} | {_cell(_escape(req.category or ''))} "
                f"| {req.priority or ''} | {_cell(_escape(', '.join(req.targets)))} |"
            )
        table = "\n".join(rows)
    for group in prd.groups:
        children = ", ".join(f"`{child}`" for child in group.children)
        table += f"\n\n`{group.id}` ({_escape(group.title)}) is a group of {children}."
    for req in prd.requirements:
        if req.acceptance:
            items = "\n".join(f"- {_escape(item)}" for item in req.acceptance)
            table += f"\n\nAcceptance criteria of `{req.id}`:\n\n{items}"
    messages = [d.format() for d in prd.diagnostics]
    if messages:
        table += "\n\n```text\n" + "\n".join(messages) + "\n```"
    return '!!! example "What the parser reads"\n\n' + textwrap.indent(table, "    ")


def _escape(text: str) -> str:
    """Input text shown as written inside Markdown: markup characters escaped, HTML as entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


# ---- files -----------------------------------------------------------------------------


def _shift_headings(markdown: str, by: int) -> str:
    """Headings one level deeper (outside code blocks), to sit under the page's own title."""
    out, fence = [], None
    for line in markdown.split("\n"):
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(2)[0] == fence[0]):
            fence = None if fence else opening.group(2)
        elif fence is None and re.match(r"^#{1,5} ", line):
            line = "#" * by + line
        out.append(line)
    return "\n".join(out)


def render_bench() -> str:
    """bench/results.md, one heading level down; a note while it does not exist."""
    if not BENCH_RESULTS.is_file():
        return (
            '!!! note "No results yet"\n\n'
            "    `bench/results.md` does not exist in this checkout yet: run the benchmark as "
            "described above and rebuild these docs."
        )
    return _shift_headings(BENCH_RESULTS.read_text(encoding="utf-8"), 1)


def render_changelog() -> str:
    """CHANGELOG.md without its title (the page has its own)."""
    text = CHANGELOG.read_text(encoding="utf-8")
    return re.sub(r"\A# [^\n]*\n", "", text).strip()


def normalised(name: str) -> str:
    """A distribution name as PyPI compares them: `PyYAML` → `pyyaml`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def dependencies() -> dict[str, list[str]]:
    """pyproject.toml's requirement strings: `runtime`, then each optional group."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: read the installed metadata instead
        from importlib.metadata import requires

        groups: dict[str, list[str]] = {"runtime": []}
        for requirement in requires("mkdocs-archplugin") or []:
            spec, _, marker = requirement.partition(";")
            extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)", marker)
            groups.setdefault(extra.group(1) if extra else "runtime", []).append(spec.strip())
        return groups
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    groups = {"runtime": list(project.get("dependencies", []))}
    groups.update(project.get("optional-dependencies", {}))
    return groups


def requirement_name(requirement: str) -> str:
    return normalised(re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group(0))


def render_dependencies() -> str:
    """One line per dependency of pyproject.toml: name, versions, why."""
    titles = {"runtime": "Runtime", "test": "Tests (`pip install -e \".[test]\"`)"}
    parts = []
    for group, requirements in dependencies().items():
        parts.append(f"## {titles.get(group, group)}\n")
        for requirement in requirements:
            name = requirement_name(requirement)
            reason = DEPENDENCY_REASONS.get(name)
            if reason is None:
                log.warning(f"the dependencies page has no reason for {name}")
                reason = ""
            parts.append(f"- **`{requirement.strip()}`**: {reason}")
        parts.append("")
    return "\n".join(parts)


def render_schemastore() -> str:
    """The SchemaStore catalog entry, as the file holds it."""
    return "```json\n" + SCHEMASTORE_ENTRY.read_text(encoding="utf-8").strip() + "\n```"


RENDERERS = {
    "config": render_config,
    "diagnostics": render_diagnostics,
    "diagnostics-table": render_diagnostics_table,
    "cli": render_cli,
    "schema": render_schema,
    "section-words": render_section_words,
    "id-pattern": render_id_pattern,
    "quality-words": render_quality_words,
    "distractor-prefixes": render_distractor_prefixes,
    "bench": render_bench,
    "changelog": render_changelog,
    "dependencies": render_dependencies,
    "schemastore": render_schemastore,
}
