"""`archplugin scaffold`: a starter architecture.yml that loads cleanly and awaits one decision per NFR."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS

import mkdocs_archplugin.prd as prd_package
from mkdocs_archplugin.analysis.checks import check_traceability
from mkdocs_archplugin.architecture import load_architecture
from mkdocs_archplugin.architecture.scaffold import render_scaffold
from mkdocs_archplugin.cli import main
from mkdocs_archplugin.prd.model import Prd, Requirement, Source


def _prd() -> Prd:
    return Prd(
        files=("docs/prd.md",),
        title="Shop: the online store",
        requirements=(
            Requirement(
                "FR-001",
                "functional",
                "User registration",
                "Users sign up.",
                Source("docs/prd.md", 10),
            ),
            Requirement(
                "FR-002",
                "functional",
                'Checkout with "one click" # fast',
                "",
                Source("docs/prd.md", 11),
            ),
            Requirement(
                "NFR-001",
                "non-functional",
                "Latency",
                "API answers in < 200 ms p95\nunder 10,000 concurrent users.",
                Source("docs/prd.md", 20),
                category="Performance",
                targets=("< 200 ms p95", "10,000 concurrent users"),
            ),
            Requirement("NFR-002", "non-functional", "no", "", Source("docs/prd.md", 21)),
            Requirement(
                "NFR-003",
                "non-functional",
                "Weird: [text] {x} & *y | >z \x07bell",
                "",
                Source("docs/prd.md", 22),
            ),
        ),
    )


def _load(text: str, tmp_path: Path):
    path = tmp_path / "architecture.yml"
    path.write_text(text, encoding="utf-8")
    return load_architecture(path)


def test_the_scaffold_loads_without_error(tmp_path: Path) -> None:
    arch, diagnostics = _load(render_scaffold(_prd()), tmp_path)
    assert diagnostics == []
    assert arch is not None
    assert (arch.product, arch.version, arch.status) == ("Shop: the online store", "0.1.0", "draft")
    assert arch.components == []


def test_one_stub_decision_per_nfr_each_awaiting_its_decision(tmp_path: Path) -> None:
    prd = _prd()
    arch, _ = _load(render_scaffold(prd), tmp_path)
    assert arch is not None
    assert [(d.id, d.status, d.requirements) for d in arch.decisions] == [
        ("ADR-001", "proposed", ["NFR-001"]),
        ("ADR-002", "proposed", ["NFR-002"]),
        ("ADR-003", "proposed", ["NFR-003"]),
    ]
    latency = arch.decisions[0]
    assert latency.title == "How to meet NFR-001: Latency"
    assert latency.context == (
        "NFR-001 (Performance): API answers in < 200 ms p95 under 10,000 concurrent users.\n"
        'Targets: "< 200 ms p95"; "10,000 concurrent users"\n'
        "Source: docs/prd.md:20"
    )
    assert arch.decisions[1].title == "How to meet NFR-002: no"
    diagnostics = check_traceability(prd, arch)
    assert Counter(d.code for d in diagnostics) == {
        "nfr-without-decision": 3,
        "fr-without-component": 2,
    }
    assert sorted(
        d.message.split()[0] for d in diagnostics if d.code == "nfr-without-decision"
    ) == [
        "NFR-001",
        "NFR-002",
        "NFR-003",
    ]


def test_accepting_a_stub_decision_addresses_its_nfr(tmp_path: Path) -> None:
    prd = _prd()
    text = render_scaffold(prd).replace("status: proposed", "status: accepted", 1)
    arch, _ = _load(text, tmp_path)
    assert arch is not None
    left = [
        d.message.split()[0]
        for d in check_traceability(prd, arch)
        if d.code == "nfr-without-decision"
    ]
    assert left == ["NFR-002", "NFR-003"]


def test_the_schema_comment_is_on_top_and_the_frs_are_listed_for_assignment() -> None:
    text = render_scaffold(_prd(), schema_url="https://example.com/architecture.schema.json")
    lines = text.splitlines()
    assert (
        lines[0] == "# yaml-language-server: $schema=https://example.com/architecture.schema.json"
    )
    assert "#   FR-001  User registration" in lines
    assert '#   FR-002  Checkout with "one click" # fast' in lines
    assert (
        render_scaffold(_prd()).splitlines()[0]
        == "# yaml-language-server: $schema=./architecture.schema.json"
    )


def test_the_scaffold_is_deterministic() -> None:
    assert render_scaffold(_prd()) == render_scaffold(_prd())


def test_a_prd_without_requirements_still_gives_a_valid_file(tmp_path: Path) -> None:
    arch, diagnostics = _load(render_scaffold(Prd(files=())), tmp_path)
    assert diagnostics == [] and arch is not None
    assert arch.decisions == [] and arch.product == "TODO: product name"


# -- the command --------------------------------------------------------------------------


@pytest.fixture
def fake_parser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """`parse_prd` returning the PRD above, whatever the parser of the day does."""
    monkeypatch.setattr(prd_package, "parse_prd", lambda paths: _prd(), raising=False)
    monkeypatch.chdir(tmp_path)
    Path("prd.md").write_text("# PRD\n", encoding="utf-8")
    return tmp_path


def test_scaffold_writes_architecture_yml(
    fake_parser: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scaffold", "prd.md"]) == 0
    assert Path("architecture.yml").read_text(encoding="utf-8") == render_scaffold(_prd())
    assert capsys.readouterr().out == (
        "wrote architecture.yml: 3 decision(s) to make, one per NFR; 2 FR(s) to assign to components\n"
    )


def test_scaffold_never_overwrites_without_force(
    fake_parser: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("mine.yml").write_text("components: []\n", encoding="utf-8")
    assert main(["scaffold", "prd.md", "-o", "mine.yml"]) == 2
    assert capsys.readouterr().err == (
        "archplugin: error: mine.yml already exists (hint: use --force to overwrite it)\n"
    )
    assert Path("mine.yml").read_text(encoding="utf-8") == "components: []\n"
    assert main(["scaffold", "prd.md", "-o", "mine.yml", "--force"]) == 0
    assert Path("mine.yml").read_text(encoding="utf-8") == render_scaffold(_prd())


def test_scaffold_to_standard_output(fake_parser: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scaffold", "prd.md", "-o", "-", "--schema-url", "s.json"]) == 0
    assert capsys.readouterr().out == render_scaffold(_prd(), "s.json")
    assert not Path("architecture.yml").exists()


# -- real PRDs ----------------------------------------------------------------------------


def _corpus_prds() -> list[str]:
    folder = CORPUS / "prd"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else ["no-corpus"]


@pytest.mark.parametrize("name", _corpus_prds())
def test_scaffold_of_each_corpus_prd_loads_and_awaits_each_nfr(
    name: str, corpus: Path, tmp_path: Path
) -> None:
    parse_prd = getattr(prd_package, "parse_prd", None)
    if parse_prd is None:
        pytest.skip("the PRD parser (mkdocs_archplugin.prd.parse_prd) is not there yet")
    prd = parse_prd([corpus / "prd" / name])
    arch, diagnostics = _load(render_scaffold(prd), tmp_path)
    assert diagnostics == []
    assert arch is not None
    found = check_traceability(prd, arch)
    awaiting = Counter(d.message.split()[0] for d in found if d.code == "nfr-without-decision")
    assert awaiting == Counter(r.id for r in prd.non_functional)
    assert {d.code for d in found} <= {"nfr-without-decision", "fr-without-component"}


@pytest.mark.parametrize("title", ["no", "0o17", "null", "2024-05-01", "1.0", "- item", "a: b", "#x"])
def test_text_that_yaml_would_read_otherwise_is_quoted(title: str, tmp_path: Path) -> None:
    arch, diagnostics = _load(render_scaffold(Prd(files=("prd.md",), title=title)), tmp_path)
    assert diagnostics == [] and arch is not None
    assert arch.product == title
