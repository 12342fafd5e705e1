"""Fuzzing the core: generated PRDs and architecture.yml files, valid and mutated.

Whatever the inputs, the core returns a build with diagnostics or raises the product's own
error (ArchPluginError, for a PRD it cannot read); every diagnostic is one line; valid
inputs always build, also through MkDocs, and no generated page holds anything that runs
script. Fast by default; a long campaign raises the number of examples:
`ARCHPLUGIN_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sites import ARCHITECTURE, PRD, build_site, make_site

from mkdocs_archplugin.architecture import load_architecture
from mkdocs_archplugin.architecture.yaml_reader import Yaml12Resolver
from mkdocs_archplugin.diagnostics import ArchPluginError
from mkdocs_archplugin.prd import parse_markdown
from mkdocs_archplugin.project import ArchProject, Build, ProjectConfig

EXAMPLES = int(os.environ.get("ARCHPLUGIN_FUZZ_EXAMPLES", "0")) or None


def _settings(examples: int) -> settings:
    return settings(
        max_examples=EXAMPLES or examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- text ----------------------------------------------------------------------------------

#: Fragments that have broken, or could break, a parser, a template or a page.
NASTY = [
    "\t", "\x00", "\x1b", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\ufeff", "\u200b", "\u202e", "\ud7ff",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "[r]: javascript:alert(1)", "{: onclick=alert(1) }", "{{ 7*7 }}", "{% raw %}", "{#", "${x}",
    "|", "\\|", "`", "```", "~~~", "**", "__", "[", "]", "(", ")", "<!--", "-->", "---", "#", "> ", "- ",
    "1. ", "&amp;", "&#106;", "%", ":", ": ", "::", "..", "../", "/", "\\", "'", '"', "@", "*a", "&a ",
    "<<", "!!", "?", "9" * 60, "FR-1..FR-99999", "FR-", "NFR-PERF-01", "FR-1.1.1", "é", "ａｐｉ", "аpi",
    "可维护性", "🚀", "✅", "⚠️ (partial)", " " * 40,
]

TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(NASTY) | st.text(max_size=6), max_size=6).map("".join),
)
#: Text that validates as a name, an id or a title (it says something).
WORDS = st.builds(lambda head, tail: head + tail, st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True), TEXT)

REQUIREMENT_IDS = st.one_of(
    st.from_regex(r"(?:N?FR)-[0-9]{1,3}(?:\.[0-9])?", fullmatch=True),
    st.sampled_from(["FR1", "FR_12", "NFR-PERF-01", "NFR-SEC-2", "FR-1.2.3", "NFR1"]),
)


def _mutated(text: str, draw) -> str:
    """`text` with a few random edits: insertions of nasty fragments, deletions, repeats."""
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "repeat", "replace"]))
        if operation == "insert":
            text = text[:position] + draw(st.sampled_from(NASTY)) + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)) :]
        elif operation == "repeat":
            lines = text.split("\n")
            line = draw(st.integers(0, len(lines) - 1))
            lines.insert(line, lines[line])
            text = "\n".join(lines)
        else:
            text = text[:position] + draw(st.characters()) + text[position + 1 :]
    return text


# -- PRD Markdown --------------------------------------------------------------------------


@st.composite
def prd_markdown(draw) -> str:
    """A PRD whose requirements are written in every shape the parser knows."""
    lines = [f"# {draw(WORDS)}", ""]
    for section in draw(st.lists(st.sampled_from(
        ["Functional requirements", "Non-functional requirements", "Performance", "Security",
         "Personas", "Glossary", "Traceability", "User stories", "Constraints"]), min_size=1, max_size=4)):
        lines += [f"## {section}", ""]
        for _ in range(draw(st.integers(0, 5))):
            rid, title, text = draw(REQUIREMENT_IDS), draw(WORDS), draw(TEXT)
            shape = draw(st.sampled_from(["list", "bold", "heading", "table", "checkbox", "numbered", "prose"]))
            if shape == "list":
                lines.append(f"- **{rid}:** {title}: {text}")
            elif shape == "bold":
                lines += [f"**{rid}** {title} — {text}", ""]
            elif shape == "heading":
                lines += [f"### {rid}: {title}", "", text, "", "#### Acceptance Criteria", "", f"1. {text}", ""]
            elif shape == "table":
                lines += ["", "| ID | Title | Priority | Target |", "|---|---|---|---|",
                          f"| {rid} | {title.replace('|', '/')} | {draw(st.sampled_from(['Must', 'P1', 'High', '']))} "
                          f"| {draw(st.sampled_from(['< 200 ms p95', '99.9 %', '']))} |", ""]
            elif shape == "checkbox":
                lines.append(f"- [ ] {rid} (Security): {text}")
            elif shape == "numbered":
                lines.append(f"1. **{rid}** — {title}")
            else:
                lines += [f"{text} mentions {rid}.", ""]
        lines.append("")
    if draw(st.booleans()):
        lines[0:0] = ["---", f"title: {draw(TEXT)}", "---"]
    return "\n".join(lines) + "\n"


@st.composite
def mutated_prd(draw) -> str:
    return _mutated(draw(prd_markdown()), draw)


# -- architecture.yml ----------------------------------------------------------------------


@st.composite
def architecture(draw, requirement_ids: list[str]) -> dict:
    """A valid architecture naming these requirement ids (and components, decisions of its own)."""
    refs = st.lists(st.sampled_from(requirement_ids), max_size=3) if requirement_ids else st.just([])
    component_ids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True) | WORDS,
                                  min_size=1, max_size=5, unique=True))
    decision_ids = [f"ADR-{n}" for n in range(draw(st.integers(0, 4)))]
    entity_names = draw(st.lists(WORDS, max_size=3, unique=True))
    text, optional_text = TEXT, st.none() | TEXT
    data: dict = {
        "product": draw(WORDS),
        "version": draw(st.sampled_from(["1.0", "2", "0.1.0-beta"])),
        "status": draw(optional_text),
        "overview": {"purpose": draw(text), "goals": [{"goal": draw(WORDS), "requirements": draw(refs)}]},
        "stack": [{"layer": draw(text), "name": draw(WORDS), "rationale": draw(text), "requirements": draw(refs)}
                  for _ in range(draw(st.integers(0, 2)))],
        "pattern": {"name": draw(WORDS), "rationale": draw(text)},
        "components": [
            {"id": cid, "name": draw(WORDS), "purpose": draw(optional_text),
             "responsibilities": draw(st.lists(text, max_size=2)), "technology": draw(st.lists(text, max_size=2)),
             "location": draw(optional_text), "depends_on": draw(st.lists(st.sampled_from(component_ids), max_size=2)),
             "requirements": draw(refs)}
            for cid in component_ids
        ],
        "entities": [
            {"name": name, "purpose": draw(optional_text), "component": draw(st.sampled_from(component_ids)),
             "attributes": [{"name": draw(WORDS), "type": draw(WORDS), "constraints": draw(st.lists(text, max_size=2))}],
             "relationships": [{"target": draw(st.sampled_from(entity_names)),
                                "kind": draw(st.sampled_from(["one-to-one", "one-to-many", "many-to-many"]))}],
             "requirements": draw(refs)}
            for name in entity_names
        ],
        "api": {"style": draw(text), "endpoints": [
            {"method": draw(st.sampled_from(["GET", "POST", "DELETE"])), "path": "/" + draw(WORDS),
             "purpose": draw(optional_text), "component": draw(st.sampled_from(component_ids)),
             "responses": [{"status": draw(st.integers(100, 599)), "example": draw(st.none() | st.dictionaries(
                 st.text(max_size=5), st.integers() | st.text(max_size=10), max_size=3))}],
             "requirements": draw(refs)}
            for _ in range(draw(st.integers(0, 3)))]},
        "decisions": [
            {"id": did, "title": draw(WORDS), "status": draw(st.sampled_from(["proposed", "accepted", "superseded"])),
             "context": draw(optional_text), "decision": draw(optional_text),
             "options": [draw(WORDS)], "consequences": draw(st.lists(text, max_size=2)),
             "supersedes": draw(st.lists(st.sampled_from(decision_ids), max_size=1)),
             "components": draw(st.lists(st.sampled_from(component_ids), max_size=2)),
             "requirements": draw(refs)}
            for did in decision_ids
        ],
        "tradeoffs": [{"title": draw(WORDS), "pros": [draw(text)], "requirements": draw(refs)}],
        "glossary": [{"term": draw(WORDS), "definition": draw(WORDS)}],
        "references": [{"title": draw(WORDS), "url": draw(st.sampled_from(
            ["https://example.com", "javascript:alert(1)", "../doc.md", draw(text)]))}],
    }
    for section in ("security", "scalability", "deployment", "observability", "guidelines", "future"):
        if draw(st.booleans()):
            data[section] = {"text": draw(text), "requirements": draw(refs)}
    return data


class _Yaml12Dumper(yaml.SafeDumper):
    """Quotes what the product's YAML 1.2 loader would not read back as text (`1e100`)."""

    yaml_implicit_resolvers = Yaml12Resolver.yaml_implicit_resolvers


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Yaml12Dumper, sort_keys=False, allow_unicode=True, width=1000)


@st.composite
def mutated_architecture(draw) -> str:
    text = _dump(draw(architecture(["FR-1", "NFR-1"])))
    return _mutated(text, draw)


# -- running the core ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_dir() -> Iterator[Path]:
    """One folder for every example of a module (hypothesis runs examples in one test call)."""
    root = Path(tempfile.mkdtemp(prefix="archplugin-fuzz-"))
    (root / "docs").mkdir()
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _build(root: Path, prd: str | bytes, architecture_yml: str | bytes) -> Build | None:
    """The core pipeline on these inputs; None when it stopped with the product's own error."""
    for path, content in ((root / "docs" / "prd.md", prd), (root / "architecture.yml", architecture_yml)):
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    config = ProjectConfig(prd=root / "docs" / "prd.md", decisions=root / "architecture.yml",
                           docs_dir=root / "docs", config_dir=root)
    try:
        build = ArchProject().build(config)
    except ArchPluginError as error:
        assert "\n" not in str(error)
        return None
    for diagnostic in build.analysis.diagnostics:
        assert len(diagnostic.format().splitlines()) == 1, diagnostic
    assert all(page.markdown for page in build.pages)
    return build


@given(prd=mutated_prd(), architecture_yml=mutated_architecture())
@_settings(60)
def test_mutated_inputs_give_diagnostics_never_a_crash(project_dir: Path, prd: str, architecture_yml: str) -> None:
    _build(project_dir, prd, architecture_yml)


@given(data=st.binary(max_size=600), broken=st.sampled_from(["prd", "architecture"]))
@_settings(150)
def test_any_bytes_give_diagnostics_never_a_crash(project_dir: Path, data: bytes, broken: str) -> None:
    if broken == "prd":
        _build(project_dir, data, ARCHITECTURE)
    else:
        _build(project_dir, PRD, data)


@given(text=st.text(max_size=300) | st.lists(st.sampled_from(NASTY), max_size=30).map("".join))
@_settings(150)
def test_any_yaml_text_loads_or_gives_diagnostics(project_dir: Path, text: str) -> None:
    path = project_dir / "any.yml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    model, diagnostics = load_architecture(path, "any.yml")
    assert model is not None or diagnostics
    for diagnostic in diagnostics:
        assert diagnostic.file.startswith("any.yml") and len(diagnostic.format().splitlines()) == 1


@st.composite
def valid_site(draw) -> tuple[str, str]:
    prd = draw(prd_markdown())
    ids = sorted({req.id for req in parse_markdown(prd, "prd.md").requirements})
    return prd, _dump(draw(architecture(ids)))


@given(site=valid_site())
@_settings(40)
def test_valid_inputs_always_build(project_dir: Path, site: tuple[str, str]) -> None:
    build = _build(project_dir, *site)
    assert build is not None
    unreadable = [d for d in build.analysis.diagnostics if d.code in ("yaml-invalid", "schema-invalid")]
    assert unreadable == []


@given(site=valid_site())
@_settings(5)
def test_valid_inputs_build_with_mkdocs(site: tuple[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        built = make_site(Path(folder), prd=site[0], architecture=site[1])
        assert build_site(built, strict=False), built.warnings()
        assert not [m for level, m in built.messages if level == "ERROR"], built.messages
        for page in (built.site_dir / "architecture").rglob("*.html"):
            _assert_inert(page)


def _assert_inert(page: Path) -> None:
    """No script, event handler or script link that text from the inputs could have made.

    The content only: the theme's nav shows the PRD page's front-matter `title:` as MkDocs
    does on every site, raw (docs/security.md, "Known limits outside the plugin").
    """
    main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("div[role=main]")
    assert main is not None, page
    for element in main.find_all(True):
        assert not (element.name == "script" and "alert" in element.get_text()), (page, element)
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (page, element)
            if name in ("href", "src"):
                assert not re.sub(r"[\x00-\x20]", "", str(value)).lower().startswith(
                    ("javascript:", "data:", "vbscript:")), (page, element)
