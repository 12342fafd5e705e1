"""The event-driven YAML fast path gives exactly what the complete loader gives, or steps aside."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_archplugin.architecture import yaml_reader
from mkdocs_archplugin.architecture.yaml_reader import LocatedList, LocatedMap

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(yaml_reader.CParser is None, reason="PyYAML without libyaml")


def _same(fast: object, full: object, path: str = "$") -> None:
    """Equal values, equal types and equal locations, all the way down."""
    assert type(fast) is type(full), path
    if isinstance(full, LocatedMap):
        assert list(fast) == list(full), path
        assert fast.location == full.location, path
        assert fast.key_locations == full.key_locations, path
        assert fast.value_locations == full.value_locations, path
        for key in full:
            _same(fast[key], full[key], f"{path}.{key}")
    elif isinstance(full, LocatedList):
        assert len(fast) == len(full), path
        assert fast.location == full.location, path
        assert fast.item_locations == full.item_locations, path
        for index, (a, b) in enumerate(zip(fast, full)):
            _same(a, b, f"{path}[{index}]")
    elif isinstance(full, float) and math.isnan(full):
        assert math.isnan(fast), path
    else:
        assert fast == full, path


def _compare(text: str) -> bool:
    """Compare both loaders on `text`; False when the fast path stepped aside."""
    try:
        fast = yaml_reader._from_events(text, "a.yml")
    except yaml_reader._Unusual:
        return False
    full, problems = yaml_reader._from_nodes(text, "a.yml")
    assert not problems
    _same(fast, full)
    return True


@pytest.mark.parametrize(
    "path", ["architecture.yml", "example_site/architecture.yml"], ids=["own", "example"]
)
def test_real_architecture_files_take_the_fast_path_and_match(path: str) -> None:
    assert _compare((ROOT / path).read_text(encoding="utf-8"))


def test_a_generated_benchmark_architecture_takes_the_fast_path_and_matches(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "300", str(tmp_path)],
                   check=True, capture_output=True)
    assert _compare((tmp_path / "architecture.yml").read_text(encoding="utf-8"))


SCALARS = [
    "", "~", "null", "Null", "true", "False", "TRUE", "no", "on", "yes", "010", "0o17", "0x1F",
    "-3", "+4", "1.5", "1.", ".5", "-.inf", ".NaN", "1e3", "2024-05-01", "1:30", "FR-001",
    "NFR-PERF-01", "a: b", "<<", "'quoted'", '"dq"', "|\n  block\n", ">\n  folded\n", "- x",
    "[a, b]", "{a: 1}", "#c", "&a x", "*a", "!!str 1", "!custom x", "12" * 60,
]


@settings(max_examples=int(os.environ.get("ARCHPLUGIN_FUZZ_EXAMPLES", 300)), deadline=None)
@given(st.recursive(
    st.sampled_from(SCALARS),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["id", "name", "a", "b", "<<", "1", "true", ""]), inner, max_size=4),
    ),
    max_leaves=20,
), st.booleans())
def test_any_document_gives_the_same_data_and_locations(data: object, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    _compare(text)
    # The same scalars unquoted, where YAML resolves them by the core schema.
    _compare(text.replace("'", ""))


@pytest.mark.parametrize("text", [
    ".nan: 1\n.NaN: 2\n",           # one NaN key written twice: a duplicate in both loaders
    "a: .nan\nb: [.inf, -.inf, 1e3]\n",
    "a: ! |\n  12\n",               # a non-specific tag on a block scalar: text with its line break
    "a: ! |\n  true\n",
    "a: ! 12\nb: !!str 1\nc: !!int '7'\n",
])
def test_documents_at_the_edges_give_what_the_complete_loader_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(yaml_reader, "_from_events", _step_aside)
        try:
            data, problems = yaml_reader.parse_yaml_text(text, "a.yml")
            outcomes.append(("data", repr(data), [p.message for p in problems]))
        except yaml_reader.YamlProblem as problem:
            outcomes.append(("problem", problem.message))
    assert outcomes[0] == outcomes[1]


def test_a_tagged_block_scalar_is_text_not_a_crash() -> None:
    data, _ = yaml_reader.parse_yaml_text("a: ! |\n  true\nb: ! |\n  12\n", "a.yml")
    assert dict(data) == {"a": "true\n", "b": "12\n"}


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",           # anchors and aliases: bounded by the complete loader
    "a: !!str 1\n",               # explicit tags
    "<<: {a: 1}\nb: 2\n",         # merge keys
    "a: 1\na: 2\n",               # duplicate keys, reported by the complete loader
    "? [a]\n: 1\n",               # complex keys
    "a: 1\n---\nb: 2\n",          # several documents
    "# only a comment\n",
    "a: [1\n",                    # syntax errors
    "n: " + "9" * 200 + "\n",     # integers over the digit limit
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 80)),  # nesting over the depth limit
])
def test_unusual_documents_are_left_to_the_complete_loader(text: str) -> None:
    with pytest.raises(yaml_reader._Unusual):
        yaml_reader._from_events(text, "a.yml")


@pytest.mark.parametrize("depth", range(yaml_reader.MAX_DEPTH - 3, yaml_reader.MAX_DEPTH + 3))
def test_nesting_near_the_limit_gives_what_the_complete_loader_gives(depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "[" * depth + "x" + "]" * depth + "\n"
    outcomes = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(yaml_reader, "_from_events", _step_aside)
        try:
            outcomes.append(("data", yaml_reader.parse_yaml_text(text, "a.yml")[0]))
        except yaml_reader.YamlProblem as problem:
            outcomes.append(("problem", problem.message))
    assert outcomes[0] == outcomes[1]


def _step_aside(text: str, display: str) -> object:
    raise yaml_reader._Unusual
