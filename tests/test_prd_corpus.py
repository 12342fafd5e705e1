"""The parser on real PRDs from other teams: ../shared/corpus/manifest.tsv must be met exactly."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mkdocs_archplugin.prd import parse_prd

from conftest import CORPUS


def _manifest() -> list[dict[str, str]]:
    path = CORPUS / "manifest.tsv"
    if not path.is_file():
        return []
    return list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))


def _saved(row: dict[str, str]) -> str:
    return re.search(r"saved=([^;]+);", row["notes"]).group(1).rstrip("/")


def _truth(doc: str) -> list[dict[str, str]]:
    return list(csv.DictReader((CORPUS / "ids" / f"{doc}.tsv").open(encoding="utf-8"), delimiter="\t"))


@pytest.mark.parametrize("row", _manifest() or [None], ids=lambda r: _saved(r) if r else "no-corpus")
def test_corpus_definitions_match_the_id_table(row: dict[str, str] | None, corpus: Path) -> None:
    """Every row of ids/NN.tsv: found at its file and line, with its kind and the document's
    own id (not a derived one); nothing else reported; the manifest's counts met."""
    path = corpus / "prd" / _saved(row)
    prd = parse_prd([path], root=path if path.is_dir() else path.parent)
    got = {(Path(r.source.file).name, r.source.line): r for r in prd.requirements}
    expected = []
    for t in _truth(row["id"]):
        req = got.pop((t["file"], int(t["line"])), None)
        want = (t["kind"], t["id"] if t["id"] != "-" else "derived")
        have = None if req is None else (
            "NFR" if req.is_nfr else "FR", "derived" if req.derived_id else req.id)
        expected.append((t["file"], int(t["line"]), want, have))
    wrong = [e for e in expected if e[2] != e[3]]
    assert not wrong, wrong[:10]
    assert not got, sorted(f"{r.id} at {k[0]}:{k[1]}" for k, r in got.items())[:10]
    functional = sum(1 for r in prd.requirements if not r.is_nfr)
    assert (functional, len(prd.requirements) - functional) == (int(row["fr_count"]), int(row["nfr_count"]))


def test_sharded_prd_reads_index_first_and_keeps_crlf_lines(corpus: Path) -> None:
    prd = parse_prd([corpus / "prd" / "06-walltrack"], root=corpus / "prd" / "06-walltrack")
    assert prd.files[0] == "index.md"
    nfr1 = prd.by_id["NFR-1"]
    assert (nfr1.source.file, nfr1.source.line) == ("non-functional-requirements.md", 3)
    assert nfr1.category == "Performance" and nfr1.priority == "Critical"
    assert "< 5 seconds (P95)" in nfr1.targets
    # technical-requirements.md defines TR-1..TR-6: neither FR nor NFR.
    assert not [r for r in prd.requirements if r.id.startswith("TR")]


def test_hierarchical_groups_keep_leaves_as_requirements(corpus: Path) -> None:
    prd = parse_prd([corpus / "prd" / "08-filedispatch.md"])
    assert [g.id for g in prd.groups] == ["FR1", "FR2", "FR3", "FR4", "FR5", "FR6", "FR7"]
    assert prd.groups[0].title == "Folder Watching"
    assert prd.groups[0].children == tuple(f"FR1.{n}" for n in range(1, 9))
    assert prd.by_id["FR1.3"].parent == "FR1"
    assert prd.by_id["NFR1.3"].category == "Performance"


def test_other_prd_knowledge_is_extracted(corpus: Path) -> None:
    pisad = parse_prd([corpus / "prd" / "02-pisad.md"])
    assert [e.id for e in pisad.items_of("epic")][:3] == ["Epic 1", "Epic 2", "Epic 3"]
    assert any(s.id == "Story 1.1" for s in pisad.items_of("story"))
    foretrace = parse_prd([corpus / "prd" / "22-foretrace.md"])
    assert [u.id for u in foretrace.items_of("use-case")][:2] == ["UC-01", "UC-02"]
    dpia = parse_prd([corpus / "prd" / "09-dpia-generator.md"])
    assert "Data Protection Officer" in [p.title for p in dpia.items_of("persona")]
    kiro = parse_prd([corpus / "prd" / "21-outbreak-radar-kiro.md"])
    assert "Nova_Service" in [g.title for g in kiro.items_of("glossary")]


def test_escaped_anchor_bmad_prd_scaffolds_its_own_nfrs_and_checks_without_id_warnings(corpus: Path) -> None:
    """Corpus 01 (`7.  \\<a id="X"\\>\\</a\\>**FR7: X** …`): one stub per real NFR, real ids, readable
    titles; no `requirement-without-id` from items whose id is right there."""
    import yaml

    from mkdocs_archplugin.architecture.scaffold import render_scaffold

    prd = parse_prd([corpus / "prd" / "01-cwe-chatbot.md"])
    assert not [d for d in prd.diagnostics if d.code == "requirement-without-id"]
    decisions = yaml.safe_load(render_scaffold(prd))["decisions"]
    assert [d["requirements"] for d in decisions] == [[f"NFR{n}"] for n in range(1, 52)]
    titles = [d["title"] for d in decisions]
    assert titles[0] == "How to meet NFR1: Latency"
    assert not [t for t in titles if "<a" in t or "\\" in t or "NFR-A-ID" in t]
    assert prd.by_id["FR7"].title == "USR_PSIRT_INPUT"
