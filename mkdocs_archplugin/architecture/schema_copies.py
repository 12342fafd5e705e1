"""The repository's copies of the JSON Schema, compared with the installed one (`schema-outdated`).

Editors validate architecture.yml against the file its `# yaml-language-server: $schema=…`
comment names, usually a copy written once by `archplugin schema > FILE` and committed. After
an upgrade the copy still describes the old keys: the editor flags what the build accepts and
completes what it rejects. The copies looked at are the relative path such a comment names (in
architecture.yml or in any file of a `decisions:` folder) and `architecture.schema.json` /
`architecture-shard.schema.json` beside mkdocs.yml. The comment comes from an untrusted file:
the path is read only inside the folder of mkdocs.yml or of the architecture input, through
the same safe reader as every input.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs_archplugin import __version__
from mkdocs_archplugin.architecture.load import architecture_files
from mkdocs_archplugin.architecture.model import SCHEMA_FILE, SHARD_SCHEMA_FILE, architecture_json_schema
from mkdocs_archplugin.architecture.yaml_reader import MAX_FILE_BYTES
from mkdocs_archplugin.diagnostics import Diagnostic
from mkdocs_archplugin.inputs import InputError, read_input

#: yaml-language-server's modeline: a comment line `# yaml-language-server: $schema=URL`.
MODELINE = re.compile(rb"^[ \t]*#[ \t]+yaml-language-server[ \t]*:[^\n]*?\$schema=(\S+)", re.MULTILINE)
#: The installed schema is about 63 kB; a copy many times larger is no copy of it.
MAX_SCHEMA_BYTES = 1 << 20


@functools.cache
def installed_schema(shard: bool) -> dict[str, Any]:
    """The schema this installation validates with (generated once per process: ~35 ms)."""
    return architecture_json_schema(shard)


def outdated_schema_copies(decisions: Path, config_dir: Path, label: Callable[[Path], str]) -> list[Diagnostic]:
    """One `schema-outdated` per schema copy that is not the installed schema, located at the
    comment that names it (else at the copy); `label` names files as messages show them."""
    roots = [Path(os.path.abspath(config_dir)), Path(os.path.abspath(decisions if decisions.is_dir() else decisions.parent))]
    found: dict[Path, tuple[str, int, int]] = {}
    for file in architecture_files(decisions) if decisions.exists() else []:
        named = _modeline(file, decisions if decisions.is_dir() else decisions.parent)
        if named is not None:
            target, line, column = named
            found.setdefault(Path(os.path.abspath(file.parent / target)), (label(file), line, column))
    for name in (SCHEMA_FILE, SHARD_SCHEMA_FILE):
        found.setdefault(Path(os.path.abspath(config_dir / name)), (label(config_dir / name), 0, 0))
    diagnostics = []
    for copy, (file, line, column) in found.items():
        root = next((root for root in roots if copy.is_relative_to(root)), None)
        if root is None or not _exists(copy):
            continue  # outside the site's folders, or not written yet: nothing to compare
        problem, shard = _compare(copy, root)
        if problem:
            command = f"archplugin schema{' --shard' if shard else ''} > {label(copy)}"
            diagnostics.append(Diagnostic(file, line, column, "schema-outdated", f"{label(copy)} {problem}",
                                          f"run `{command}` and commit it"))
    return sorted(diagnostics)


def _exists(path: Path) -> bool:
    """Whether something is at the path; False for a name the system cannot even look up
    (too long, a NUL byte), as the comment naming it is untrusted."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _modeline(file: Path, folder: Path) -> tuple[str, int, int] | None:
    """The relative local path the file's yaml-language-server comment names, with its line and
    column; None without one, or for a URL or an absolute path (nothing in the repository)."""
    try:
        data = read_input(file, MAX_FILE_BYTES, folder)
    except InputError:
        return None  # the loader reports the file itself
    if b"yaml-language-server" not in data:  # the usual case, at C speed: no regex
        return None
    match = MODELINE.search(data)
    if match is None:
        return None
    target = match.group(1).decode("utf-8", "replace")
    if re.match(r"^[A-Za-z][\w+.-]*:", target) or os.path.isabs(target):
        return None
    start = match.start(1)
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    return target, data.count(b"\n", 0, start) + 1, column


def _compare(copy: Path, root: Path) -> tuple[str, bool]:
    """What is wrong with a copy ("" when it is the installed schema), and whether it is the
    shard schema (by its name or `$id`)."""
    shard = copy.name == SHARD_SCHEMA_FILE
    try:
        data = json.loads(read_input(copy, MAX_SCHEMA_BYTES, root))
    except InputError as error:
        return error.message, shard
    except ValueError:
        return "is not valid JSON, so editors ignore it", shard
    if isinstance(data, dict) and str(data.get("$id", "")).endswith("/" + SHARD_SCHEMA_FILE):
        shard = True
    if data == installed_schema(shard):
        return "", shard
    kind = "shard schema" if shard else "schema"
    return (f"is not the {kind} archplugin {__version__} installs: the editor checks architecture.yml "
            "against an outdated schema"), shard
