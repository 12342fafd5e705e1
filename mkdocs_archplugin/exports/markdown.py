"""`export --markdown` / `--markdown-dir`: the portable SAD written to disk, only when it changed.

BMAD's agents and build caches read `architecture.md` (or its shards) from disk and key their
caches on mtimes: a file whose content is already right is left untouched, so an export in a
pre-commit hook or CI step changes nothing when nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs_archplugin.analysis.result import Analysis
from mkdocs_archplugin.render.portable import portable_markdown
from mkdocs_archplugin.render.view import Layout, SiteView


@dataclass(frozen=True)
class MarkdownExport:
    """The files of one export, by absolute path, and which of them differ from the disk."""

    files: dict[Path, str]

    def stale(self) -> list[Path]:
        """The files missing on disk or with other content, in export order."""
        return [path for path, text in self.files.items() if _read(path) != text]

    def write(self) -> list[Path]:
        """Write the stale files (creating a shard folder); the paths written."""
        written = self.stale()
        for path in written:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.files[path], encoding="utf-8", newline="\n")
        return written

    def strays(self) -> list[Path]:
        """Markdown files in a shard folder that this export does not write (a section that is
        gone, or someone else's file): reported, never deleted."""
        folders = {path.parent for path in self.files}
        if len(self.files) == 1:
            return []
        return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.md") if p not in self.files)


def markdown_export(analysis: Analysis, target: Path, docs_dir: Path, sharded: bool,
                    schema_dialect: str) -> MarkdownExport:
    """The export of `analysis` to `target` (a file, or with `sharded` a folder)."""
    site = SiteView(analysis, Layout(), {file: file for file in analysis.prd.files}, schema_dialect)
    target = Path(target).absolute()
    texts = portable_markdown(site, target.as_posix(), Path(docs_dir).absolute().as_posix(), sharded)
    if not sharded:
        return MarkdownExport({target: texts[""]})
    return MarkdownExport({target / name: text for name, text in texts.items()})


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
