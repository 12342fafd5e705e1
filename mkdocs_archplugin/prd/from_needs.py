"""A Markdown PRD from sphinx-needs' needs.json: the way in for teams whose requirements are
needs, so that the PRD stays one Markdown file that the parser's own rules read.

Each need of a requirement type becomes a heading definition, `### ID: title` with the need's
content as its text, under `## Functional requirements` or `## Non-functional requirements`
by its type (`fr_types`, `nfr_types`); needs of other types are left out and counted. The id
is the need's `archplugin_id` when it has one (a file `archplugin export --needs-json`
wrote), else the need id. Titles and text are escaped so that they read as written: no
Markdown, HTML or template syntax from a need reaches the page. reStructuredText escapes in
the content (`\\*`) are undone first; other markup (roles, directives) stays as literal text.

The result is checked by parsing it with the PRD parser: an id that does not come back with
its kind and title (an id family the parser does not recognise, such as sphinx-needs' hashed
`R_3F9A1`, or one of a single need) is reported, with the `id_patterns` option that reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs_archplugin.diagnostics import ArchPluginError
from mkdocs_archplugin.inputs import InputError, read_input
from mkdocs_archplugin.prd.assemble import assemble_prd, parse_texts
from mkdocs_archplugin.prd.settings import PrdSettings
from mkdocs_archplugin.render.text import plain, template_inert

MAX_NEEDS_JSON_BYTES = 64 * 1024 * 1024
DEFAULT_FR_TYPES = ("req",)
DEFAULT_NFR_TYPES = ("nfreq",)
#: What a PRD id may be: the need ids sphinx-needs writes and the ids a PRD defines, nothing
#: that could carry markup into a heading.
_PRD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}")
_RST_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
#: A paragraph start that Markdown reads as a block (list item, thematic break, fence,
#: definition) once `plain` has escaped the rest: one more backslash before it.
_MARKDOWN_BLOCK_START = re.compile(r"[-+=~:]|\d+[.)](\s|$)")


@dataclass(frozen=True)
class Converted:
    """The PRD text, and what the parser did not read back as the needs say."""

    markdown: str
    requirements: int
    skipped: int
    problems: tuple[str, ...]


def read_needs_json(path: Path, version: str | None = None) -> tuple[str, list[Mapping[str, Any]]]:
    """The project name and the needs of one version (default: `current_version`) of a
    needs.json, in the file's order. Raises ArchPluginError for a file that is none."""
    try:
        data = json.loads(read_input(path, MAX_NEEDS_JSON_BYTES).decode("utf-8"))
    except InputError as error:
        raise ArchPluginError(f"{path}: {error.message}", error.hint) from None
    except UnicodeDecodeError:
        raise ArchPluginError(f"{path}: not UTF-8 text", "pass the needs.json sphinx-needs wrote") from None
    except json.JSONDecodeError as error:
        raise ArchPluginError(f"{path}:{error.lineno}: not valid JSON: {error.msg}",
                              "pass the needs.json sphinx-needs wrote") from None
    versions = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(versions, dict):
        raise ArchPluginError(f"{path}: no `versions` object: not a needs.json",
                              "pass the needs.json of `needs_build_json = True` or `archplugin export --needs-json`")
    chosen = version if version is not None else data.get("current_version")
    needs = versions.get(chosen, {}).get("needs") if isinstance(versions.get(chosen), dict) else None
    if not isinstance(needs, dict):
        raise ArchPluginError(f"{path}: no needs for version {chosen!r}",
                              f"choose one of {', '.join(map(repr, versions)) or 'none'} with --version")
    project = data.get("project")
    return (project if isinstance(project, str) else ""), [need for need in needs.values() if isinstance(need, dict)]


def prd_from_needs(needs: Iterable[Mapping[str, Any]], project: str = "", *,
                   fr_types: Iterable[str] = DEFAULT_FR_TYPES, nfr_types: Iterable[str] = DEFAULT_NFR_TYPES,
                   settings: PrdSettings | None = None) -> Converted:
    """The Markdown PRD of the requirement needs, checked by parsing it with `settings`."""
    kinds = {**{t: "functional" for t in fr_types}, **{t: "non-functional" for t in nfr_types}}
    sections: dict[str, list[tuple[str, str, str]]] = {"functional": [], "non-functional": []}
    problems: list[str] = []
    skipped = 0
    for need in needs:
        kind = kinds.get(need.get("type")) if isinstance(need.get("type"), str) else None
        if kind is None:
            skipped += 1
            continue
        requirement_id = _prd_id(need)
        if requirement_id is None:
            problems.append(f"need {str(need.get('id'))[:100]!r}: not an id a PRD can define; left out")
            continue
        title = need.get("title") if isinstance(need.get("title"), str) else ""
        content = need.get("content") if isinstance(need.get("content"), str) else ""
        sections[kind].append((requirement_id, " ".join(title.split()), content))
    markdown = _markdown(project, sections)
    problems += _read_back(markdown, sections, settings or PrdSettings())
    count = sum(len(entries) for entries in sections.values())
    return Converted(markdown, count, skipped, tuple(problems))


def _prd_id(need: Mapping[str, Any]) -> str | None:
    for key in ("archplugin_id", "id"):
        value = need.get(key)
        if isinstance(value, str) and _PRD_ID.fullmatch(value):
            return value
    return None


def _markdown(project: str, sections: Mapping[str, list[tuple[str, str, str]]]) -> str:
    lines = [f"# {plain(project) or 'Requirements'}", "",
             "<!-- Converted from sphinx-needs' needs.json by `archplugin prd-from-needs`. -->", ""]
    for kind, heading in (("functional", "Functional requirements"), ("non-functional", "Non-functional requirements")):
        if not sections[kind]:
            continue
        lines += [f"## {heading}", ""]
        for requirement_id, title, content in sections[kind]:
            lines += [f"### {requirement_id}: {plain(title)}" if title else f"### {requirement_id}", ""]
            lines += [paragraph + "\n" for paragraph in markdown_paragraphs(content)]
    return template_inert("\n".join(lines).rstrip("\n") + "\n")


def markdown_paragraphs(rst: str) -> list[str]:
    """A need's content as Markdown paragraphs of plain text: reStructuredText escapes undone,
    every paragraph on one line, escaped so that it renders as written."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", rst.strip()):
        text = plain(_RST_ESCAPE.sub(lambda m: "" if m.group(1).isspace() else m.group(1), paragraph))
        if _MARKDOWN_BLOCK_START.match(text):
            text = "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
        if text:
            paragraphs.append(text)
    return paragraphs


def _read_back(markdown: str, sections: Mapping[str, list[tuple[str, str, str]]], settings: PrdSettings) -> list[str]:
    """What the PRD parser reads differently from the needs: missing ids, other kinds or titles."""
    prd = assemble_prd(parse_texts([(markdown, "prd.md")], settings)[0])
    problems = []
    unread = []
    for kind, entries in sections.items():
        for requirement_id, title, _ in entries:
            found = prd.by_id.get(requirement_id)
            if found is None:
                unread.append(requirement_id)
            elif found.kind != kind:
                problems.append(f"{requirement_id}: read as {found.kind}, the need's type says {kind}")
            elif title and found.title != title:
                problems.append(f"{requirement_id}: title read as {found.title!r}")
    if unread:
        pattern = "|".join(re.escape(requirement_id) for requirement_id in unread[:20])
        problems.append(f"{len(unread)} id(s) the PRD parser does not recognise: {', '.join(unread[:20])}"
                        f"{' …' if len(unread) > 20 else ''}; add `id_patterns` to the plugin options, "
                        f"e.g. [{pattern!r}] (then list every family the PRD uses)")
    return problems
