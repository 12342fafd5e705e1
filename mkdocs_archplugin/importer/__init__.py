"""`archplugin import`: an existing architecture document → a draft architecture.yml.

Reads one Markdown file, a folder of shards (BMAD `docs/architecture/`, in `index.md` order
when it links them), a spec-kit feature folder (`plan.md`, `research.md`, `data-model.md`,
`contracts/`) or a Kiro `design.md`. Every item of the output carries a comment naming the
line it came from; the rules are in `draft.py` and docs/migrating.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mkdocs_archplugin.architecture.model import Architecture
from mkdocs_archplugin.architecture.scaffold import FlowList, dump_yaml
from mkdocs_archplugin.importer.draft import Draft, Importer
from mkdocs_archplugin.importer.reader import read_document
from mkdocs_archplugin.diagnostics import ArchPluginError
from mkdocs_archplugin.inputs import InputError, read_input
from mkdocs_archplugin.prd.assemble import MAX_PRD_BYTES
from mkdocs_archplugin.prd.settings import DEFAULT_ID_PATTERN

#: spec-kit's plan files, read in this order; `contracts/` after them.
SPEC_KIT_FILES = ("plan.md", "research.md", "data-model.md", "quickstart.md")
#: Files a folder may hold that are not architecture (spec-kit's spec and tasks, READMEs).
_NOT_ARCHITECTURE = frozenset({"spec.md", "tasks.md", "readme.md", "requirements.md", "prd.md"})

#: The keys of architecture.yml in the order the schema lists them: the output's order.
_KEY_ORDER = tuple(field.alias or name for name, field in Architecture.model_fields.items())


@dataclass(frozen=True)
class ImportResult:
    """The draft YAML text, what could not be placed, and the requirement ids it mentions."""

    yaml: str
    draft: Draft

    def counts(self) -> dict[str, int]:
        data = self.draft.data
        return {
            "stack": len(data.get("stack", [])), "components": len(data.get("components", [])),
            "entities": len(data.get("entities", [])),
            "endpoints": len(data.get("api", {}).get("endpoints", [])),
            "decisions": len(data.get("decisions", [])), "flows": len(data.get("flows", [])),
        }


def document_files(paths: list[Path]) -> list[Path]:
    """The Markdown files to read, in reading order: a folder's `index.md` first and the files
    it links in its order, spec-kit's plan files in theirs, then the rest by name."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():  # a file, or something that is not: read_input says which
            files.append(path)
            continue
        candidates = sorted(p for p in path.rglob("*.md") if p.name.lower() not in _NOT_ARCHITECTURE)
        ordered: list[Path] = []
        index = path / "index.md"
        if index.is_file():
            ordered.append(index)
            text = index.read_text(encoding="utf-8", errors="replace")
            for target in re.findall(r"\]\(\.?/?([^)#\s]+\.md)", text):
                linked = (path / target)
                if linked in candidates and linked not in ordered:
                    ordered.append(linked)
        ordered += [path / name for name in SPEC_KIT_FILES if (path / name) in candidates and path / name not in ordered]
        ordered += [p for p in candidates if p not in ordered]
        files += ordered
    return list(dict.fromkeys(files))


def import_documents(paths: list[Path], requirement_ids: Callable[[str], list[str]] | None = None,
                     root: Path | None = None) -> ImportResult:
    """Import the documents at `paths`; labels relative to `root` (default: the current folder)."""
    importer = Importer(requirement_ids or _fr_nfr_ids)
    files = document_files(paths)
    root = root or Path.cwd()
    if not files:
        raise ArchPluginError(f"{', '.join(str(p) for p in paths)}: no Markdown document to import",
                              "name an architecture document, or a folder holding .md files")
    for file in files:
        text = _read(file, root)
        label = _label(file, root)
        importer.read(read_document(text, label))
        missing = sorted({target for target in re.findall(r"\]\(\.?/?([^)#\s:]+\.md)", text)
                          if not (file.parent / target).is_file()})
        if missing:  # an index of shards, read without them
            importer.draft.unplaced.append((f"{label}:1", f"links {len(missing)} file(s) that are not here "
                                            f"({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''}); "
                                            "import the folder that holds them"))
        for contract in _contract_files(file):
            _read_contract(importer, contract, root)
    importer.resolve_names()
    return ImportResult(_to_yaml(importer.draft, [_label(f, root) for f in files]), importer.draft)


def _contract_files(file: Path) -> list[Path]:
    """spec-kit's `contracts/` beside its plan.md: OpenAPI and other schemas."""
    folder = file.parent / "contracts"
    if file.name != "plan.md" or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".json", ".md"))


def _read_contract(importer: Importer, path: Path, root: Path) -> None:
    text = _read(path, root)
    label = _label(path, root)
    if path.suffix.lower() == ".md":
        importer.read(read_document(text, label))
        return
    fence = "json" if path.suffix.lower() == ".json" else "yaml"
    importer.read(read_document(f"## API\n\n```{fence}\n{text}\n```\n", label))


def _read(path: Path, root: Path) -> str:
    """A document, read like every other untrusted input (regular file, bounded size)."""
    try:
        text = read_input(path, MAX_PRD_BYTES).decode("utf-8-sig", "replace")
    except InputError as error:
        raise ArchPluginError(f"{_label(path, root)}: {error.message}", error.hint) from None
    # One kind of line break: a lone `\r` (or U+2028) in a YAML block scalar would end it.
    return "\n".join(text.splitlines()) + "\n"


def _fr_nfr_ids(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(rf"(?<![\w-])({DEFAULT_ID_PATTERN})(?![\w-])", text)))


def prd_ids(defined: list[str]) -> Callable[[str], list[str]]:
    """The ids of a PRD that a text mentions, longest first so `FR-1` does not match in `FR-12`."""
    if not defined:
        return lambda text: []
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in sorted(defined, key=len, reverse=True))
                         + r")(?![\w-]|\.\d)")
    return lambda text: list(dict.fromkeys(pattern.findall(text)))


def _label(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


#: Lists of ids, written on one line: `requirements: [FR-1, NFR-2]`.
_ID_LISTS = frozenset({"requirements", "depends_on", "supersedes", "components", "columns"})


def _flow_id_lists(value: object) -> object:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in _ID_LISTS and isinstance(inner, list) and all(isinstance(i, str) for i in inner):
                value[key] = FlowList(inner)
            else:
                _flow_id_lists(inner)
    elif isinstance(value, list):
        for inner in value:
            _flow_id_lists(inner)
    return value


def _to_yaml(draft: Draft, files: list[str]) -> str:
    """The draft as YAML, keys in schema order, each item after a comment naming its source."""
    data = draft.data
    for key, value in data.items():
        if key != "components":
            _flow_id_lists(value)
        else:
            for component in value:
                _flow_id_lists(component)
    if "components" not in data:
        data["components"] = []
    out = [
        "# yaml-language-server: $schema=./architecture.schema.json\n",
        "#\n",
        "# Imported by `archplugin import` from\n",
        *(f"#   {f}\n" for f in files),
        "# A draft: check it with `archplugin check`, then edit it by hand.\n",
        "\n",
    ]
    for key in _KEY_ORDER:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, list) and value:
            out.append(f"{key}:\n")
            for item in value:
                where = draft.where(item)
                if where:
                    out.append(f"  # {where}\n")
                out.append(_indented(dump_yaml([item]), "  "))
            out.append("\n")
            continue
        if isinstance(value, dict) and key == "api" and value.get("endpoints"):
            out.append(_api_yaml(draft, value))
            continue
        where = draft.where(value)
        if where:
            out.append(f"# {where}\n")
        out.append(dump_yaml({key: value}))
        if isinstance(value, (dict, list)) or (isinstance(value, str) and "\n" in value):
            out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


def _api_yaml(draft: Draft, api: dict) -> str:
    head = {k: v for k, v in api.items() if k != "endpoints"}
    parts = []
    where = draft.where(api)
    if where:
        parts.append(f"# {where}\n")
    parts.append("api:\n")
    if head:
        parts.append(_indented(dump_yaml(head), "  "))
    parts.append("  endpoints:\n")
    for endpoint in api["endpoints"]:
        source = draft.where(endpoint)
        if source:
            parts.append(f"    # {source}\n")
        parts.append(_indented(dump_yaml([endpoint]), "    "))
    parts.append("\n")
    return "".join(parts)


def _indented(text: str, prefix: str) -> str:
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(keepends=True))
