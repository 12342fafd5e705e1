"""Reading the files of a PRD and assembling their definitions into one Prd."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from mkdocs_archplugin.diagnostics import ArchPluginError, Diagnostic
from mkdocs_archplugin.inputs import InputError, read_input
from mkdocs_archplugin.prd.model import Prd, Requirement, RequirementGroup
from mkdocs_archplugin.prd.parser import FileParse, detect_families, walk_markdown
from mkdocs_archplugin.prd.settings import PrdSettings

#: A PRD larger than this is refused: no real PRD comes close, and markdown-it needs
#: memory proportional to its size (one million lines parse, in about a minute).
MAX_PRD_BYTES = 64 * 1024 * 1024
#: A PRD with more lines than this, all files together, is refused before it is parsed:
#: 10,000 requirements take about 30,000 lines, and parsing takes some 70 µs a line.
MAX_PRD_LINES = 200_000


def prd_files(path: Path) -> list[Path]:
    """The Markdown files of a PRD: the file itself, or a folder's `.md` files, index first."""
    if path.is_dir():
        # Every entry but folders: a FIFO or device named `x.md` is reported by the reader.
        files = sorted(p for p in path.rglob("*.md") if not p.is_dir())
        if not files:
            raise ArchPluginError(f"{path}: no Markdown files in this folder",
                                  "a PRD folder holds the shards as .md files", "prd-missing")
        files.sort(key=lambda p: (p.relative_to(path).parts[:-1], p.name.lower() != "index.md", p.name))
        return files
    if path.exists() or path.is_symlink():
        return [path]
    raise ArchPluginError(f"Cannot create architecture without PRD: {path} not found",
                          "set the plugin's `prd:` option, or write the PRD and run `archplugin scaffold PRD`",
                          "prd-missing")


def read_prd_file(path: Path, label: str, folder: Path | None = None) -> str:
    """The text of one PRD file, read safely (`read_input`) inside `folder`; an unreadable,
    undecodable or oversized file is the product's error."""
    try:
        data = read_input(path, MAX_PRD_BYTES, folder, "split it into shards in a folder")
    except InputError as error:
        raise ArchPluginError(f"{label}: the PRD {error.message}", error.hint, "prd-invalid") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArchPluginError(f"{label}:{line}: the PRD is not valid UTF-8 (byte 0x{data[error.start]:02x})",
                              "save the file as UTF-8", "prd-invalid") from None


class PrdCache:
    """Per-file parse results keyed by content, so `mkdocs serve` re-parses only what changed."""

    def __init__(self) -> None:
        self._parses: dict[tuple[str, str, int], FileParse] = {}
        self._texts: dict[str, tuple[str, FileParse]] = {}
        self.hits = 0
        self.misses = 0

    def latest(self, label: str) -> tuple[str, FileParse] | None:
        """The text of `label` parsed last, with its parse: the PRD page's backlinks reuse it."""
        return self._texts.get(label)

    def parse(self, text: str, label: str, settings: PrdSettings) -> FileParse:
        key = (label, hashlib.sha256(text.encode("utf-8")).hexdigest(), hash(settings))
        cached = self._parses.get(key)
        if cached is not None:
            self.hits += 1
            self._texts[label] = (text, cached)
            return cached
        self.misses += 1
        # Keep the newest parse per file and settings, two settings per file at most (the
        # family-detection pass and the final one): the cache never outgrows the PRD.
        mine = [k for k in self._parses if k[0] == label]
        for old in [k for k in mine if k[2] == key[2]] + [k for k in mine if k[2] != key[2]][:-1]:
            del self._parses[old]
        parsed = self._parses[key] = walk_markdown(text, label, settings)
        self._texts[label] = (text, parsed)
        return parsed


def parse_prd(
    paths: Sequence[Path],
    settings: PrdSettings | None = None,
    *,
    root: Path | None = None,
    cache: PrdCache | None = None,
) -> Prd:
    """Parse the PRD at `paths` (files or folders of shards); labels are relative to `root`."""
    return assemble_prd(parse_texts(read_prd_texts(paths, root), settings or PrdSettings(), cache)[0])


def read_prd_texts(paths: Sequence[Path], root: Path | None = None) -> list[tuple[str, str]]:
    """The text and label of every file of the PRD at `paths`, within the size limits."""
    texts: list[tuple[str, str]] = []
    lines = 0
    for path in paths:
        folder = path if path.is_dir() else path.parent
        for file in prd_files(path):
            label = _label(file, root)
            text = read_prd_file(file, label, folder)
            lines += text.count("\n") + 1
            if lines > MAX_PRD_LINES:
                raise ArchPluginError(f"{label}: the PRD has more than {MAX_PRD_LINES:,} lines; no PRD is that long",
                                      "check that `prd:` names the PRD, and nothing else", "prd-invalid")
            texts.append((text, label))
    return texts


def _label(file: Path, root: Path | None) -> str:
    if root is not None:
        try:
            # Absolute, links not followed: a link is labelled where it is, not where it points.
            return Path(os.path.abspath(file)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
    return file.as_posix()


def parse_texts(
    texts: Sequence[tuple[str, str]], settings: PrdSettings, cache: PrdCache | None = None
) -> tuple[list[FileParse], PrdSettings]:
    """Parse the files of one PRD: id families are detected over all of them, then applied to
    each. Returns the parses and the settings they were read with (families included)."""
    parse = cache.parse if cache else walk_markdown
    parses = [parse(text, label, settings) for text, label in texts]
    families = detect_families(parses, settings)
    if families != settings.families:
        settings = settings.with_families(families)
        parses = [parse(text, label, settings) for text, label in texts]
    return parses, settings


def assemble_prd(parses: Sequence[FileParse]) -> Prd:
    """Join per-file parses: restatements dropped, hierarchical groups (`FR1` over `FR1.1`), duplicates reported."""
    definitions, dropped = _without_restatements(parses)
    diagnostics = [d for parse in parses for d in parse.diagnostics
                   if not (d.code == "requirement-without-id" and (d.file, d.line) in dropped)]
    ids = {req.id for req in definitions}
    parents = _group_ids(ids)

    requirements: list[Requirement] = []
    groups: dict[str, RequirementGroup] = {}
    first_seen: dict[str, Requirement] = {}
    for req in definitions:
        if req.id in first_seen:
            first = first_seen[req.id]
            diagnostics.append(Diagnostic(
                req.source.file, req.source.line, 0, "duplicate-requirement",
                f"{req.id} is defined again; the definition at {first.source} is the one used",
                "give one of them a new id, or turn this one into a mention", req.id,
            ))
            continue
        first_seen[req.id] = req
        if req.id in parents:
            groups[req.id] = RequirementGroup(req.id, req.kind, req.title, req.source)
            continue
        requirements.append(req)

    children: dict[str, list[str]] = {}
    for index, req in enumerate(requirements):
        parent = _nearest_group(req.id, groups)
        if parent is not None:
            requirements[index] = replace(req, parent=parent)
            children.setdefault(parent, []).append(req.id)
    group_list = [replace(group, children=tuple(children.get(group.id, ()))) for group in groups.values()]
    title = next((parse.title for parse in parses if parse.title), None)
    return Prd(
        files=tuple(parse.file for parse in parses),
        requirements=tuple(requirements),
        groups=tuple(group_list),
        items=tuple(item for parse in parses for item in parse.items),
        diagnostics=tuple(diagnostics),
        title=title,
    )


def _without_restatements(parses: Sequence[FileParse]) -> tuple[list[Requirement], set[tuple[str, int]]]:
    """The definitions, less id-less items that restate requirements identified elsewhere.

    When the PRD identifies requirements of a kind, an id-less item of that kind counts only in
    a functional / non-functional section that also holds identified ones: a second section
    titled "Functional Requirements" without ids restates the first.
    """
    identified: dict[str, set[tuple[str, int]]] = {}
    for parse in parses:
        for req, section in zip(parse.requirements, parse.role_sections):
            if not req.derived_id:
                identified.setdefault(req.kind, set()).add((parse.file, section))
    kept: list[Requirement] = []
    dropped: set[tuple[str, int]] = set()
    for parse in parses:
        for req, section in zip(parse.requirements, parse.role_sections):
            sections = identified.get(req.kind)
            if req.derived_id and sections and (parse.file, section) not in sections:
                dropped.add((req.source.file, req.source.line))
                continue
            kept.append(req)
    return kept, dropped


def _group_ids(ids: set[str]) -> set[str]:
    """Ids that are a dotted prefix of another defined id: `FR1` when `FR1.1` exists."""
    parents: set[str] = set()
    for requirement_id in ids:
        head = requirement_id
        while "." in head:
            head = head.rsplit(".", 1)[0]
            if head in ids:
                parents.add(head)
    return parents


def _nearest_group(requirement_id: str, groups: dict[str, RequirementGroup]) -> str | None:
    head = requirement_id
    while "." in head:
        head = head.rsplit(".", 1)[0]
        if head in groups:
            return head
    return None
