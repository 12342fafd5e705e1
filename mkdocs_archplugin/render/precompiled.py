"""The shipped templates as Python modules compiled ahead of time (`render/compiled/`).

Jinja compiles a template to Python source and then to bytecode on first use: for the
shipped templates that is about 0.3 s in every process, most of the plugin's time on a
100-requirement site (docs/performance.md). The modules in `render/compiled/` hold the
Python source Jinja generates for each shipped template; Python's import system caches
their bytecode as for any module, and `ShippedTemplateCode` hands that code to Jinja.

A module is used only while it still matches: the template's source checksum, the installed
Jinja version and the environment's compile settings must be those it was generated with.
Otherwise the template is compiled from its source, as without this cache, so an edited
template or another Jinja release costs time, never correctness. Regenerate after editing a
template: `python -m mkdocs_archplugin.render.precompiled` (a test fails until then).
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import CodeType

import jinja2
from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

PACKAGE = "mkdocs_archplugin.render.compiled"
FOLDER = Path(__file__).with_name("compiled")


def compile_settings(environment: Environment) -> str:
    """What besides a template's source decides the Python Jinja generates from it: the
    Jinja release, the syntax and whitespace options, and how each filter and test is called
    (`@pass_context` ones get the context as first argument)."""

    def pass_arguments(functions: dict[str, object]) -> list[tuple[str, str | None]]:
        return sorted((name, getattr(getattr(function, "jinja_pass_arg", None), "name", None))
                      for name, function in functions.items())

    return repr((
        jinja2.__version__, environment.sandboxed, environment.code_generator_class.__name__,
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
        environment.keep_trailing_newline, environment.optimized, environment.autoescape,
        environment.finalize is not None, environment.is_async, sorted(environment.extensions),
        sorted(getattr(environment, "intercepted_binops", ())), sorted(getattr(environment, "intercepted_unops", ())),
        pass_arguments(environment.filters), pass_arguments(environment.tests),
    ))


def module_name(template: str) -> str:
    """`decision.md.j2` → `decision_md`."""
    return template.removesuffix(".j2").replace(".", "_")


class ShippedTemplateCode(BytecodeCache):
    """A bytecode cache that only reads: the code of `render/compiled/`, where it matches."""

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = Bucket(environment, name, self.get_source_checksum(source))
        code = _compiled_code(environment, name, bucket.checksum)
        # Tracebacks and `Template.filename` name the template, not the generated module.
        bucket.code = code if code is None or filename is None else _renamed(code, filename)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Nothing to load beyond `get_bucket`."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Nothing is written: a template that no longer matches is compiled in each process."""


def _compiled_code(environment: Environment, name: str, checksum: str) -> CodeType | None:
    """The compiled module's code for a template, or None: no module, or it does not match."""
    try:
        index = importlib.import_module(PACKAGE)
        if index.TEMPLATES.get(name) != checksum or index.SETTINGS != compile_settings(environment):
            return None
        spec = importlib.util.find_spec(f"{PACKAGE}.{module_name(name)}")
        get_code = getattr(spec.loader, "get_code", None) if spec is not None else None
        # The module is never imported: Jinja runs its code in a namespace of its own per template.
        return get_code(spec.name) if get_code is not None else None
    except (ImportError, OSError, SyntaxError, ValueError):
        # A package repacked without `compiled/`, an unreadable file: compile from source.
        return None


def _renamed(code: CodeType, filename: str) -> CodeType:
    """`code`, its nested functions too, as if compiled from `filename`."""
    constants = tuple(_renamed(value, filename) if isinstance(value, CodeType) else value
                      for value in code.co_consts)
    return code.replace(co_filename=filename, co_consts=constants)


def generated_modules(environment: Environment) -> dict[str, str]:
    """File name → text of every module of `render/compiled/`, for this Jinja and these templates."""
    loader = environment.loader
    assert loader is not None
    checksums: dict[str, str] = {}
    files: dict[str, str] = {}
    names = sorted(environment.list_templates())
    assert len({module_name(name) for name in names}) == len(names), "two templates, one module name"
    for name in names:
        source, _, _ = loader.get_source(environment, name)
        checksums[name] = ShippedTemplateCode().get_source_checksum(source)
        files[f"{module_name(name)}.py"] = (
            f"# Generated by `python -m mkdocs_archplugin.render.precompiled` from templates/{name}.\n"
            + environment.compile(source, name, raw=True))
    lines = [
        '"""The shipped templates compiled by Jinja (see render/precompiled.py). Generated: do not edit."""',
        "",
        f"SETTINGS = {compile_settings(environment)!r}",
        "TEMPLATES = {",
        *(f"    {name!r}: {checksum!r}," for name, checksum in checksums.items()),
        "}",
    ]
    files["__init__.py"] = "\n".join(lines) + "\n"
    return files


def main() -> None:
    from mkdocs_archplugin.render.pages import make_environment

    FOLDER.mkdir(exist_ok=True)
    expected = generated_modules(make_environment())
    for stale in FOLDER.glob("*.py"):
        if stale.name not in expected:
            stale.unlink()
    for file_name, text in expected.items():
        (FOLDER / file_name).write_text(text, encoding="utf-8")
    print(f"{len(expected)} files written to {FOLDER}")


if __name__ == "__main__":
    main()
