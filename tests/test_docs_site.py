"""This project's documentation site: built with `--strict` by the plugin on our own PRD and
architecture, with reference pages that cover the code, and a Getting started that works."""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_archplugin.architecture import Architecture, architecture_json_schema
from mkdocs_archplugin.cli import main as archplugin
from mkdocs_archplugin.diagnostics import DEFAULT_SEVERITIES
from mkdocs_archplugin.plugin import ArchConfig
from mkdocs_archplugin.prd import parse_prd

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOOK = DOCS / "hooks" / "reference.py"


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    """The site's reference hook, imported as MkDocs imports hooks."""
    spec = importlib.util.spec_from_file_location("docs_reference_hook", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Build:
    site_dir: Path
    ok: bool
    messages: list[tuple[str, str]] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return [m for level, m in self.messages if level in ("WARNING", "ERROR")]

    def page(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.site_dir / path / "index.html").read_text(encoding="utf-8"), "html.parser")


class _Collect(logging.Handler):
    def __init__(self, messages: list[tuple[str, str]]) -> None:
        super().__init__(logging.INFO)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelname, record.getMessage()))


def build_with_mkdocs(config_file: Path, site_dir: Path, *, strict: bool = True) -> Build:
    """`mkdocs build [--strict]` through the real MkDocs API, with the log collected."""
    result = Build(site_dir, ok=False)
    handler = _Collect(result.messages)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        build(load_config(str(config_file), strict=strict, site_dir=str(site_dir)))
        result.ok = True
    except Abort:
        result.ok = False
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return result


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_with_mkdocs(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("docs-site"))


def headings(soup: BeautifulSoup, level: str) -> set[str]:
    return {h.get_text(" ", strip=True).rstrip("¶").strip() for h in soup.find_all(level)}


# ---- the built site ----------------------------------------------------------------------


def test_the_docs_site_builds_with_strict(docs_site: Build) -> None:
    assert docs_site.ok, docs_site.warnings()
    assert docs_site.warnings() == []


@pytest.mark.parametrize("shard", [False, True], ids=["file", "shard"])
def test_the_docs_site_publishes_each_schema_at_its_id(docs_site: Build, shard: bool) -> None:
    schema = architecture_json_schema(shard)
    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    published = docs_site.site_dir / schema["$id"].removeprefix(site_url)
    assert json.loads(published.read_text(encoding="utf-8")) == schema


def test_the_architecture_page_shows_every_nfr_of_our_prd_addressed(docs_site: Build) -> None:
    prd_text = (DOCS / "prd.md").read_text(encoding="utf-8")
    # Counted without the parser, so a requirement the parser dropped cannot go unnoticed.
    nfrs = len(re.findall(r"^- \*\*NFR-\d+:\*\*", prd_text, re.MULTILINE))
    assert nfrs > 0
    assert len(parse_prd([DOCS / "prd.md"]).non_functional) == nfrs
    text = " ".join(docs_site.page("architecture").get_text(" ").split())
    assert f"NFR coverage {nfrs}/{nfrs}" in text
    assert f"{nfrs} of {nfrs} NFRs addressed" in text
    assert "nothing addresses this NFR" not in text


def test_the_configuration_page_documents_every_option(docs_site: Build) -> None:
    documented = headings(docs_site.page("configuration"), "h3")
    missing = [name for name, _ in ArchConfig._schema if name not in documented]
    assert missing == []


def test_the_diagnostics_page_documents_every_code(docs_site: Build) -> None:
    page = docs_site.page("diagnostics")
    documented = headings(page, "h3")
    assert [code for code in DEFAULT_SEVERITIES if code not in documented] == []
    table_codes = {td.get_text(strip=True) for td in page.select("table tr td:first-child")}
    assert set(DEFAULT_SEVERITIES) <= table_codes


def test_the_command_line_page_documents_every_subcommand(docs_site: Build, hook: ModuleType) -> None:
    page = docs_site.page("command-line")
    documented = headings(page, "h3")
    text = page.get_text()
    for name in hook.subcommands():
        assert f"archplugin {name}" in documented
        assert f"usage: archplugin {name}" in text


def test_the_schema_reference_documents_every_top_level_key(docs_site: Build, hook: ModuleType) -> None:
    documented = headings(docs_site.page("architecture-yml"), "h3")
    assert [key for key in hook.schema_keys() if key not in documented] == []


def test_the_prd_examples_show_what_the_parser_reads(docs_site: Build) -> None:
    page = docs_site.page("writing-the-prd")
    boxes = page.select(".admonition.example")
    assert len(boxes) >= 8
    assert "NFR-SEC-02" in boxes[0].get_text()


def test_the_performance_page_includes_the_benchmark_results(docs_site: Build) -> None:
    text = docs_site.page("performance").get_text()
    results = ROOT / "bench" / "results.md"
    if results.is_file():
        first_row = next(line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("|"))
        assert first_row.strip("| ").split("|")[0].strip() in text
    else:
        assert "No results yet" in text


# ---- the hand-written halves of the references cover the code exactly --------------------


def test_the_diagnostics_reference_covers_every_code_exactly(hook: ModuleType) -> None:
    assert list(hook.DIAGNOSTICS) == list(DEFAULT_SEVERITIES)


def test_every_example_message_carries_its_code(hook: ModuleType) -> None:
    for code, doc in hook.DIAGNOSTICS.items():
        if code not in hook.STOPS_THE_BUILD:
            assert f": {code}: " in doc.example, code


def test_every_config_option_has_a_docstring_and_an_example(hook: ModuleType) -> None:
    options = [name for name, _ in ArchConfig._schema]
    assert sorted(hook.option_docstrings()) == sorted(options)
    assert sorted(hook.OPTION_EXAMPLES) == sorted(options)


def test_every_config_example_is_valid_for_the_plugin(hook: ModuleType) -> None:
    for name, example in hook.OPTION_EXAMPLES.items():
        config = ArchConfig()
        values = yaml.safe_load(example)
        if name in ("templates_dir", "mermaid_js"):
            continue  # must name an existing folder, an existing file
        config.load_dict(values)
        failed, _ = config.validate()
        assert failed == [], (name, failed)


def test_every_dependency_has_a_reason(hook: ModuleType) -> None:
    declared = {hook.requirement_name(r) for group in hook.dependencies().values() for r in group}
    assert declared == set(hook.DEPENDENCY_REASONS)


def test_every_schema_example_is_valid_architecture_yaml(hook: ModuleType) -> None:
    examples = hook.schema_examples()
    assert set(examples) == set(hook.schema_keys())
    for key, (_, text) in examples.items():
        data = yaml.safe_load(text)
        assert isinstance(data, dict) and key in data, key
        data.setdefault("components", [])
        Architecture.model_validate(data)


# ---- Getting started, followed to the letter -------------------------------------------------


def _block(page: str, language: str, starts_with: str) -> str:
    for match in re.finditer(rf"^```{language}\n(.*?)^```", page, re.MULTILINE | re.DOTALL):
        if match.group(1).startswith(starts_with):
            return match.group(1)
    raise AssertionError(f"no ```{language} block starting with {starts_with!r}")


def test_getting_started_gives_a_working_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Welcome\n", encoding="utf-8")
    (tmp_path / "docs" / "prd.md").write_text(_block(page, "markdown", "# Bookshelf PRD"), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(_block(page, "yaml", "site_name: Bookshelf\n\ntheme:"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert archplugin(["scaffold", "docs/prd.md"]) == 0
    assert archplugin(["schema"]) == 0
    capsys.readouterr()

    first = build_with_mkdocs(tmp_path / "mkdocs.yml", tmp_path / "site", strict=False)
    assert first.ok
    shown = re.findall(r"^WARNING -  archplugin: (\S+: [a-z-]+):", _block(page, "console", "$ mkdocs build\n"),
                       re.MULTILINE)
    got = [re.match(r"archplugin: (\S+: [a-z-]+):", w).group(1) for w in first.warnings()]
    assert got == shown

    architecture = tmp_path / "architecture.yml"
    text = architecture.read_text(encoding="utf-8")
    text = text.replace("components: []", _block(page, "yaml", "components:").rstrip())
    for number, decided in (("1", "Render the shelf on the server."), ("2", "One-time sign-in links.")):
        text = re.sub(rf"(- id: ADR-00{number}\n    title: .*\n)    status: proposed\n",
                      rf"\1    status: accepted\n    decision: {decided}\n", text)
    architecture.write_text(text, encoding="utf-8")

    assert archplugin(["check"]) == 0
    assert "FR coverage 3/3, NFR coverage 2/2; 0 problems." in capsys.readouterr().out
    strict = build_with_mkdocs(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert strict.ok, strict.warnings()
    assert (tmp_path / "site" / "architecture" / "index.html").is_file()
