"""The shipped templates compiled ahead of time (render/precompiled.py): current, used, and
giving the pages that compiling the templates from source gives; any mismatch falls back to
compiling from source."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from jinja2 import DictLoader, pass_context

from mkdocs_archplugin.project import ArchProject
from mkdocs_archplugin.render import pages, precompiled
from mkdocs_archplugin.render.html_links import HtmlLinks
from mkdocs_archplugin.render.portable import portable_markdown
from test_exports import example_config

COMPILED = Path(precompiled.__file__).with_name("compiled")
REGENERATE = "run `python -m mkdocs_archplugin.render.precompiled`"


def _index():
    return importlib.import_module(precompiled.PACKAGE)


def _counting_compiles(environment: jinja2.Environment, monkeypatch) -> list[str]:
    """The names of the templates `environment` compiles from source from now on."""
    compiled: list[str] = []
    compile_from_source = environment.compile

    def counting(source, name=None, *args, **kwargs):
        compiled.append(name)
        return compile_from_source(source, name, *args, **kwargs)

    monkeypatch.setattr(environment, "compile", counting)
    return compiled


def test_the_modules_are_current_for_the_pinned_jinja():
    """pyproject's `test` extra pins the Jinja the modules are generated with, so this byte
    comparison runs in CI whatever Jinja has been released since."""
    environment = pages.make_environment()
    assert precompiled.compile_settings(environment) == _index().SETTINGS, (
        f"installed Jinja {jinja2.__version__}, or the filters or settings changed: {REGENERATE}")
    expected = precompiled.generated_modules(environment)
    assert {path.name: path.read_text(encoding="utf-8") for path in COMPILED.glob("*.py")} == expected, REGENERATE
    assert set(_index().TEMPLATES) == set(environment.list_templates())


def test_the_shipped_environment_compiles_nothing(monkeypatch):
    environment = pages._environment(None)
    compiled = _counting_compiles(environment, monkeypatch)
    for name in environment.list_templates():
        template = environment.get_template(name)
        assert template.filename is not None and template.filename.endswith(f"templates/{name}")
    assert compiled == []


def test_another_jinja_release_compiles_every_template_from_source(monkeypatch):
    monkeypatch.setattr(jinja2, "__version__", "0.0.0")
    environment = pages._environment(None)
    compiled = _counting_compiles(environment, monkeypatch)
    names = environment.list_templates()
    for name in names:
        environment.get_template(name)
    assert compiled == names


def test_an_edited_template_is_compiled_from_its_source(monkeypatch):
    environment = pages._environment(None)
    environment.loader = DictLoader({"problem.md.j2": "edited {{ 6 * 7 }}"})
    compiled = _counting_compiles(environment, monkeypatch)
    assert environment.get_template("problem.md.j2").render() == "edited 42"
    assert compiled == ["problem.md.j2"]
    checksum = _index().TEMPLATES["problem.md.j2"]
    assert precompiled._compiled_code(environment, "problem.md.j2", checksum) is not None
    assert precompiled._compiled_code(environment, "problem.md.j2", "0" * 40) is None


@pytest.mark.parametrize("change", ["whitespace", "filter call"])
def test_other_compile_settings_are_compiled_from_source(change):
    environment = pages._environment(None)
    if change == "whitespace":
        environment.trim_blocks = False
    else:  # a filter that now takes the context is called differently by the generated code
        environment.filters["cell"] = pass_context(lambda context, value: value)
    checksum = _index().TEMPLATES["decision.md.j2"]
    assert precompiled._compiled_code(environment, "decision.md.j2", checksum) is None


def test_a_package_without_its_compiled_modules_compiles_from_source(monkeypatch):
    monkeypatch.setattr(precompiled, "PACKAGE", "mkdocs_archplugin.render.not_there")
    environment = pages._environment(None)
    assert environment.get_template("problem.md.j2").render(message="m", hint="h")


def test_compiled_and_source_templates_render_the_same_text(monkeypatch):
    """Every shipped template: the pages, the markers, the problem page and the portable export."""
    config = replace(example_config(), html_links=HtmlLinks())  # the same link tokens in both

    def everything() -> list[str]:
        build = ArchProject().build(config)
        renderer, site = build.renderer, build.renderer.site
        texts = [page.markdown for page in build.pages]
        texts += [renderer.marker(name, argument, "index.md") or "" for name, argument in
                  [("traceability", ""), ("nfr-coverage", ""), ("summary", ""), ("decisions", ""),
                   ("component", site.components[0].id)]]
        texts.append(pages.render_problem_page("a message", "a hint"))
        texts += portable_markdown(site, "architecture.md", ".", sharded=False).values()
        return texts

    compiled = everything()
    from_source = pages._environment(None)
    from_source.bytecode_cache = None
    monkeypatch.setattr(pages, "_shipped_environment", lambda: from_source)
    again = everything()
    # The second pass loaded every template into the source-compiled environment.
    assert len(from_source.cache) == len(from_source.list_templates())
    assert all(compiled) and len(compiled) > 15
    assert again == compiled
