"""Reading the files of a PRD and assembling their definitions into one Prd."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from mkdocs_archplugin.diagnostics import ArchPluginError, Diagnostic
from mkdocs_archplugin.prd.model import Prd, Requirement, RequirementGroup
from mkdocs_archplugin.prd.parser import FileParse, parse_markdown
from mkdocs_archplugin.prd.settings import PrdSettings

#: A PRD larger than this is refused: no real PRD comes close, and markdown-it needs
#: memory proportional to its size (one million lines parse, in about a minute).
MAX_PRD_BYTES = 64 * 1024 * 1024
#: A PRD with more lines than this, all files together, is refused before it is parsed:
#: 10,000 requirements take about 30,000 lines, and parsing takes some 70 µs a line.
MAX_PRD_LINES = 200_000


def prd_files(path: Path) -> list[Path]:
    """The Markdown files of a PRD: the file itself, or a folder's `.md` files, index first."""
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.md") if p.is_file())
        if not files:
            raise ArchPluginError(f"{path}: no Markdown files in this folder",
                                  "a PRD folder holds the shards as .md files", "prd-missing")
        files.sort(key=lambda p: (p.relative_to(path).parts[:-1], p.name.lower() != "index.md", p.name))
        return files
    raise ArchPluginError(f"Cannot create architecture without PRD: {path} not found",
                          "set the plugin's `prd:` option, or write the PRD and run `archplugin scaffold PRD`",
                          "prd-missing")


def read_prd_file(path: Path, label: str) -> str:
    """The text of one PRD file; undecodable or oversized files are the product's error."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArchPluginError(f"{label}: cannot read the PRD ({error.strerror})",
                              "check the file's permissions", "prd-invalid") from None
    if len(data) > MAX_PRD_BYTES:
        raise ArchPluginError(f"{label}: the PRD is {len(data) // 2**20} MiB, more than the "
                              f"{MAX_PRD_BYTES // 2**20} MiB limit", "split it into shards in a folder",
                              "prd-invalid")
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
        # Keep only the newest parse per file: the cache never outgrows the PRD.
        for old in [k for k in self._parses if k[0] == label]:
            del self._parses[old]
        parsed = self._parses[key] = parse_markdown(text, label, settings)
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
    settings = settings or PrdSettings()
    parses: list[FileParse] = []
    lines = 0
    for path in paths:
        for file in prd_files(path):
            label = _label(file, root)
            text = read_prd_file(file, label)
            lines += text.count("\n") + 1
            if lines > MAX_PRD_LINES:
                raise ArchPluginError(f"{label}: the PRD has more than {MAX_PRD_LINES:,} lines; no PRD is that long",
                                      "check that `prd:` names the PRD, and nothing else", "prd-invalid")
            parses.append(cache.parse(text, label, settings) if cache else parse_markdown(text, label, settings))
    return assemble_prd(parses)


def _label(file: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return file.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return file.as_posix()


def assemble_prd(parses: Sequence[FileParse]) -> Prd:
    """Join per-file parses: hierarchical groups (`FR1` over `FR1.1`), duplicates reported."""
    definitions = [req for parse in parses for req in parse.requirements]
    diagnostics = [d for parse in parses for d in parse.diagnostics]
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
                "give one of them a new id, or turn this one into a mention",
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
