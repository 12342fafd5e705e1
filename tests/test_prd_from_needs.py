"""`archplugin prd-from-needs`: a Markdown PRD from sphinx-needs' needs.json, read by the PRD parser."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_needs_json import example_config, needs_of, sphinx_build

from mkdocs_archplugin.exports import needs_document
from mkdocs_archplugin.prd import PrdSettings, assemble_prd, parse_texts
from mkdocs_archplugin.prd.from_needs import prd_from_needs, read_needs_json
from mkdocs_archplugin.project import ArchProject

#: A Sphinx project whose requirements are needs, as a team on sphinx-needs writes them.
SPHINX_CONF = """\
project = "Fleet"
version = "2.1"
extensions = ["sphinx_needs"]
needs_types = [
    {"directive": "req", "title": "Requirement", "prefix": "REQ_", "color": "#BFD8D2", "style": "node"},
    {"directive": "nfreq", "title": "Quality requirement", "prefix": "QR_", "color": "#DCB239", "style": "node"},
    {"directive": "spec", "title": "Specification", "prefix": "SPEC_", "color": "#FEDCD2", "style": "node"},
]
needs_build_json = True
needs_reproducible_json = True
"""
SPHINX_INDEX = """\
Fleet requirements
==================

.. req:: Drivers sign in with their badge
   :id: REQ_001
   :status: open
   :tags: auth

   A driver signs in by holding the *badge* to the reader; see ``badge.py``.

   Second paragraph: the session ends after 8 h.

.. req:: Dispatchers see every truck on a map
   :id: REQ_002
   :links: REQ_001

   The map refreshes every 10 s.

.. req:: Exports <b>CSV</b> & {{ 7*7 }}
   :id: REQ_003

   - a list item in rST
   - and another

.. nfreq:: Map answers fast
   :id: QR_PERF_01

   The map loads in < 2 s p95.

.. nfreq:: Data stays in the EU
   :id: QR_PRIV_02

   Hosting in eu-central-1 only.

.. spec:: Map tiles from OpenStreetMap
   :id: SPEC_MAP_01
   :links: REQ_002
"""


def parsed(markdown: str, settings: PrdSettings | None = None):
    return assemble_prd(parse_texts([(markdown, "prd.md")], settings or PrdSettings())[0])


@pytest.mark.slow
def test_a_real_sphinx_needs_export_converts_to_a_prd_the_parser_reads(tmp_path: Path, sphinx_venv: Path) -> None:
    source = tmp_path / "sphinx"
    source.mkdir()
    (source / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    (source / "index.rst").write_text(SPHINX_INDEX, encoding="utf-8")
    result = sphinx_build(sphinx_venv, source, tmp_path / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    exported = tmp_path / "html" / "needs.json"
    needs = needs_of(json.loads(exported.read_text(encoding="utf-8")))
    assert len(needs) == 6

    project, records = read_needs_json(exported)
    converted = prd_from_needs(records, project)

    assert converted.problems == () and (converted.requirements, converted.skipped) == (5, 1)
    prd = parsed(converted.markdown)
    expected = {key: ("non-functional" if need["type"] == "nfreq" else "functional", need["title"])
                for key, need in needs.items() if need["type"] in ("req", "nfreq")}
    assert {r.id: (r.kind, r.title) for r in prd.requirements} == expected
    assert prd.title == "Fleet"
    texts = {r.id: r.text for r in prd.requirements}
    assert texts["REQ_001"].startswith("A driver signs in by holding the *badge* to the reader; see ``badge.py``.")
    assert "8 h" in texts["REQ_001"] and texts["QR_PERF_01"] == "The map loads in < 2 s p95."
    assert "<b>" not in converted.markdown and "{{" not in converted.markdown


def test_our_export_round_trips_to_the_same_requirements() -> None:
    analysis = ArchProject().analyse(example_config())
    document = needs_document(analysis)

    converted = prd_from_needs(needs_of(document).values(), document["project"])

    assert converted.problems == ()
    prd = parsed(converted.markdown)
    assert [(r.id, r.kind) for r in prd.requirements] == [(r.id, r.kind) for r in analysis.prd.requirements]


def test_need_text_cannot_inject_markup() -> None:
    needs = [
        {"id": "REQ_001", "type": "req", "title": "<img src=x onerror=alert(1)> [x](javascript:alert(1))",
         "content": "<script>alert(1)</script>\n\n---\n\n```\n\n# heading\n\n1. one\n\n!!! note"},
        {"id": "REQ_002", "type": "req", "title": "Two {{ config }}", "content": "- item\n\n~~~"},
    ]
    converted = prd_from_needs(needs)
    prd = parsed(converted.markdown)
    assert [r.id for r in prd.requirements] == ["REQ_001", "REQ_002"]
    assert prd.requirements[0].title == "<img src=x onerror=alert(1)> [x](javascript:alert(1))"
    assert prd.requirements[0].text == "<script>alert(1)</script> --- ``` # heading 1. one !!! note"
    assert "<script" not in converted.markdown and "{{" not in converted.markdown
    assert converted.markdown.count("\n## ") == 1 and converted.markdown.count("\n### ") == 2


def test_ids_the_parser_does_not_read_are_reported_with_an_id_pattern() -> None:
    needs = [{"id": "R_3F9A1", "type": "req", "title": "Hashed id", "content": "x"},
             {"id": "NFR_1", "type": "req", "title": "Wrong kind", "content": "y"},
             {"id": "bad id <b>", "type": "req", "title": "Not an id"}]
    problems = prd_from_needs(needs).problems
    assert problems[0].startswith("need 'bad id <b>': not an id")
    assert "NFR_1: read as non-functional" in problems[1]
    assert "R_3F9A1" in problems[2] and "id_patterns" in problems[2]


def test_nfr_types_choose_the_section() -> None:
    needs = [{"id": "QR_PERF_01", "type": "quality", "title": "Fast"},
             {"id": "QR_PERF_02", "type": "quality", "title": "Faster"}]
    converted = prd_from_needs(needs, nfr_types=["quality"])
    assert {r.kind for r in parsed(converted.markdown).requirements} == {"non-functional"}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs_archplugin", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_never_overwrites_without_force_and_fails_on_problems(tmp_path: Path) -> None:
    document = {"current_version": "", "project": "P", "versions": {"": {"needs": {
        "REQ_001": {"id": "REQ_001", "type": "req", "title": "One"},
        "REQ_002": {"id": "REQ_002", "type": "req", "title": "Two"}}}}}
    (tmp_path / "needs.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "prd.md").write_text("mine\n", encoding="utf-8")

    refused = _run("prd-from-needs", "needs.json", cwd=tmp_path)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert (tmp_path / "prd.md").read_text(encoding="utf-8") == "mine\n"
    written = _run("prd-from-needs", "needs.json", "--force", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "### REQ_002: Two" in (tmp_path / "prd.md").read_text(encoding="utf-8")

    (tmp_path / "lone.json").write_text(json.dumps({**document, "versions": {"": {"needs": {
        "R_1F": {"id": "R_1F", "type": "req", "title": "Hashed"}}}}}), encoding="utf-8")
    failed = _run("prd-from-needs", "lone.json", "-o", "-", cwd=tmp_path)
    assert failed.returncode == 1 and "R_1F" in failed.stderr and "### R_1F: Hashed" in failed.stdout


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2]", "no `versions` object"),
    ('{"versions": {"1": {}}, "current_version": "1"}', "no needs for version '1'"),
    ("{\n  oops", "needs.json:2: not valid JSON"),
])
def test_cli_refuses_what_is_no_needs_json_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "needs.json").write_text(textwrap.dedent(text), encoding="utf-8")
    result = _run("prd-from-needs", "needs.json", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
