"""The shipped templates compiled ahead of time (render/precompiled.py): current, used, and
giving the pages that compiling the templates from source gives."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

from jinja2 import DictLoader, Environment

from mkdocs_archplugin.project import ArchProject
from mkdocs_archplugin.render import pages, precompiled
from mkdocs_archplugin.render.html_links import HtmlLinks
from test_exports import example_config

COMPILED = Path(precompiled.__file__).with_name("compiled")
TEMPLATES = Path(precompiled.__file__).with_name("templates")


def _index():
    return importlib.import_module(precompiled.PACKAGE)


def test_every_shipped_template_has_its_current_module():
    """Fails after a template is edited until `python -m mkdocs_archplugin.render.precompiled` runs."""
    environment = pages.make_environment()
    sources = {path.name: path.read_text(encoding="utf-8") for path in TEMPLATES.glob("*.j2")}
    checksums = {name: precompiled.ShippedTemplateCode().get_source_checksum(text) for name, text in sources.items()}
    assert _index().TEMPLATES == checksums, "run `python -m mkdocs_archplugin.render.precompiled`"
    assert sorted(path.name for path in COMPILED.glob("*.py")) == sorted(
        ["__init__.py", *(f"{precompiled.module_name(name)}.py" for name in sources)])
    if _index().SETTINGS == precompiled.compile_settings(environment):
        # The Jinja they were generated with: regenerating gives the same files, byte for byte.
        expected = precompiled.generated_modules(environment)
        assert {path.name: path.read_text(encoding="utf-8") for path in COMPILED.glob("*.py")} == expected
    else:
        # Another Jinja release (the dependency-floor venv, a newer one): every template is
        # compiled from its source instead.
        assert all(precompiled._compiled_code(environment, name, checksum) is None
                   for name, checksum in checksums.items())


def test_the_shipped_environment_compiles_nothing(monkeypatch):
    environment = pages._environment(None)
    compiled: list[str] = []
    compile_from_source = environment.compile

    def counting(source, name=None, *args, **kwargs):
        compiled.append(name)
        return compile_from_source(source, name, *args, **kwargs)

    monkeypatch.setattr(environment, "compile", counting)
    names = environment.list_templates()
    for name in names:
        environment.get_template(name)
    current = _index().SETTINGS == precompiled.compile_settings(environment)
    assert compiled == ([] if current else names)


def test_an_edited_template_is_compiled_from_its_source():
    environment = Environment(loader=DictLoader({"decision.md.j2": "edited {{ 6 * 7 }}"}),
                              bytecode_cache=precompiled.ShippedTemplateCode())
    assert environment.get_template("decision.md.j2").render() == "edited 42"


def test_other_compile_settings_are_compiled_from_source():
    environment = pages._environment(None)
    environment.trim_blocks = False  # changes what Jinja generates, not the source
    checksum = _index().TEMPLATES["decision.md.j2"]
    assert precompiled._compiled_code(environment, "decision.md.j2", checksum) is None


def test_compiled_and_source_templates_render_the_same_pages(monkeypatch):
    config = replace(example_config(), html_links=HtmlLinks())  # the same link tokens in both
    compiled = ArchProject().build(config)
    from_source = pages._environment(None)
    from_source.bytecode_cache = None
    monkeypatch.setattr(pages, "_shipped_environment", lambda: from_source)
    again = ArchProject().build(config)
    assert from_source.cache, "the second build rendered with the source-compiled templates"
    assert len(compiled.pages) > 10
    assert [(page.path, page.markdown) for page in again.pages] == [(p.path, p.markdown) for p in compiled.pages]
