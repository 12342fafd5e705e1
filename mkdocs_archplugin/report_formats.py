"""`archplugin check`'s report in each output format: text, GitHub workflow commands, JSON,
SARIF 2.1.0 (GitHub code scanning) and GitLab Code Quality (the merge request widget)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from mkdocs_archplugin import __version__
from mkdocs_archplugin.diagnostic_docs import DIAGNOSTICS
from mkdocs_archplugin.diagnostics import DEFAULT_SEVERITIES, Diagnostic, Severity

if TYPE_CHECKING:
    from mkdocs_archplugin.prd.model import Prd

REPORT_FORMATS = ("text", "github", "json", "sarif", "gitlab")

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARN: "warning", Severity.INFO: "notice"}
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARN: "warning", Severity.INFO: "note"}
# GitLab's scale is info < minor < major < critical < blocker. A warning fails the check as an
# error does, so both rank above "minor"; nothing we report blocks a merge by itself.
_GITLAB_SEVERITIES = {Severity.ERROR: "critical", Severity.WARN: "major", Severity.INFO: "info"}
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


@dataclass(frozen=True)
class Report:
    """What one `check` found, ready for any format."""

    #: Diagnostics not set to `ignore`, with their configured severities, in a stable order.
    reported: list[tuple[Severity, Diagnostic]]
    #: The summary line; None when the check could not run (no PRD).
    summary: str | None
    failed: bool
    #: A diagnostic's file label → its path from the repository root.
    path: Callable[[str], str]
    #: What `-v` adds to the text formats: a line per input file read.
    inputs: tuple[str, ...] = ()
    #: How many diagnostics `checks:` set to `ignore`.
    ignored: int = 0


def render_report(report: Report, fmt: str, verbosity: int = 0) -> str:
    """The report as `archplugin check --format FMT` prints it. `verbosity` (-1 for `-q`, 1 for
    `-v`) changes the text formats only: a machine format always holds every reported diagnostic."""
    return _RENDERERS[fmt](report, verbosity)


def inputs_read(prd: Prd, architecture: list[Path], path: Callable[[str], str]) -> tuple[str, ...]:
    """`-v`'s lines: each PRD file with the requirements it defines, each architecture file."""
    counts: Counter[tuple[str, bool]] = Counter((req.source.file, req.is_nfr) for req in prd.requirements)
    lines = []
    for file in prd.files:
        fr, nfr = counts[(file, False)], counts[(file, True)]
        lines.append(f"read {path(file)}: {fr + nfr} requirement(s), {fr} FR, {nfr} NFR")
    lines += [f"read {_from_root(Path(os.path.abspath(file)))}" for file in architecture if file.is_file()]
    return tuple(lines)


def repository_root() -> Path:
    """The folder CI tools match paths against: `GITHUB_WORKSPACE` or GitLab's
    `CI_PROJECT_DIR`, else the current folder."""
    return Path(os.environ.get("GITHUB_WORKSPACE") or os.environ.get("CI_PROJECT_DIR") or Path.cwd()).resolve()


def repository_path(file: str, docs_dir: Path, config_dir: Path) -> str:
    """A diagnostic's path relative to the repository root, as CI tools match it: PRD labels
    are relative to docs_dir, YAML labels to the folder of mkdocs.yml."""
    if Path(file).is_absolute():  # a missing PRD is named by its absolute path
        return _from_root(Path(file))
    for base in (docs_dir, config_dir):
        candidate = Path(base) / file
        if candidate.exists():
            return _from_root(Path(os.path.abspath(candidate)))
    return file


def _from_root(absolute: Path) -> str:
    try:
        return absolute.relative_to(repository_root()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _text(report: Report, verbosity: int) -> str:
    """`SEVERITY file:line: code: message`, the path from the repository root: a terminal or an
    editor opens it from there."""
    lines = list(report.inputs) if verbosity > 0 else []
    lines += [f"{severity.value.upper():5} {replace(d, file=report.path(d.file)).format()}"
              for severity, d in _shown(report, verbosity)]
    return _lines(lines + _tail(report, verbosity))


def _github(report: Report, verbosity: int) -> str:
    lines = list(report.inputs) if verbosity > 0 else []
    for severity, d in _shown(report, verbosity):
        lines.append(f"::{_GITHUB_LEVELS[severity]} file={github_property(report.path(d.file))},"
                     f"line={d.line or 1},col={d.column or 1},title={github_property(d.code)}::"
                     f"{github_escape(_message(d))}")
    return _lines(lines + _tail(report, verbosity))


def _shown(report: Report, verbosity: int) -> list[tuple[Severity, Diagnostic]]:
    """`-q` shows only what fails the check."""
    return [(s, d) for s, d in report.reported if verbosity >= 0 or s.fails_strict]


def _tail(report: Report, verbosity: int) -> list[str]:
    lines = []
    if verbosity > 0 and report.ignored:
        lines.append(f"{report.ignored} diagnostic(s) not shown: set to `ignore` under `checks:`")
    if verbosity >= 0 and report.summary:
        lines.append(report.summary)
    return lines


def _lines(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def github_escape(text: str) -> str:
    """A workflow command's message, escaped as the runner reads it: no line break can start
    a command of its own (`::stop-commands::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value (`file=`, `title=`): the message escapes, and
    `:` and `,`, which end a property."""
    return github_escape(text).replace(":", "%3A").replace(",", "%2C")


def _message(d: Diagnostic) -> str:
    return d.message + (" — " + d.hint if d.hint else "")


def _json(report: Report, verbosity: int) -> str:
    return json.dumps({
        "diagnostics": [dict(d.to_dict(), severity=s.value) for s, d in report.reported],
        "summary": report.summary,
        "failed": report.failed,
    }, indent=2, ensure_ascii=False) + "\n"


# ---- SARIF 2.1.0 ---------------------------------------------------------------------------


def _sarif(report: Report, verbosity: int) -> str:
    codes = list(DEFAULT_SEVERITIES)
    results = []
    for (severity, d), fingerprint in zip(report.reported, _fingerprints(report), strict=True):
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": codes.index(d.code),
            "level": _SARIF_LEVELS[severity],
            "message": {"text": _message(d)},
            "locations": [{"physicalLocation": _physical_location(d, report.path(d.file))}],
            "partialFingerprints": {"archplugin/v1": fingerprint},
        }
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "archplugin",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_sarif_rule(code) for code in codes],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(code: str) -> dict[str, object]:
    """A rule per diagnostic code, its help from the diagnostics reference (the one text)."""
    doc = DIAGNOSTICS[code]
    when, fix = _plain(doc.when), _plain(doc.fix)
    return {
        "id": code,
        "shortDescription": {"text": _plain(doc.summary)},
        "fullDescription": {"text": when},
        "help": {"text": f"{when}\n\nFix: {fix}", "markdown": f"{when}\n\n**Fix:** {fix}"},
        "defaultConfiguration": {"level": _SARIF_LEVELS[DEFAULT_SEVERITIES[code]]},
    }


def _plain(markdown: str) -> str:
    """The reference's Markdown without its links: they are relative to the docs site."""
    return _LINK.sub(r"\1", markdown)


def _physical_location(d: Diagnostic, path: str) -> dict[str, object]:
    if Path(path).is_absolute():
        artifact = {"uri": Path(path).as_uri()}
    else:
        artifact = {"uri": quote(path), "uriBaseId": "%SRCROOT%"}
    location: dict[str, object] = {"artifactLocation": artifact}
    if d.line:
        location["region"] = {"startLine": d.line, "startColumn": d.column or 1}
    return location


# ---- GitLab Code Quality -------------------------------------------------------------------


def _gitlab(report: Report, verbosity: int) -> str:
    issues = [
        {
            "description": _message(d),
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": _GITLAB_SEVERITIES[severity],
            "location": {"path": report.path(d.file), "lines": {"begin": d.line or 1}},
        }
        for (severity, d), fingerprint in zip(report.reported, _fingerprints(report), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _fingerprints(report: Report) -> list[str]:
    """A stable id per diagnostic: its code, file and message (not its line, so a problem keeps
    its id when lines above it move), and a count among identical ones, so none collide."""
    seen: Counter[tuple[str, str, str]] = Counter()
    fingerprints = []
    for _, d in report.reported:
        key = (d.code, report.path(d.file), d.message)
        seen[key] += 1
        text = "\0".join((*key, str(seen[key])))
        fingerprints.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:32])
    return fingerprints


_RENDERERS: dict[str, Callable[[Report, int], str]] = {
    "text": _text,
    "github": _github,
    "json": _json,
    "sarif": _sarif,
    "gitlab": _gitlab,
}
