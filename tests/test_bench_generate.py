"""The benchmark harness stays runnable: its generator at small N, and builds of what it makes.

Nothing here asserts on time: `bench/run.py` measures, these tests only keep it working.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[1] / "bench"
N = 50

DEFINITION = re.compile(
    r"^(?:- \*\*(?P<listed>(?:FR|NFR)-\d{4,}):\*\*"
    r"|\| (?P<tabled>(?:FR|NFR)-\d{4,}) \|"
    r"|#{2,6} (?P<headed>(?:FR|NFR)-\d{4,}):)",
    re.MULTILINE,
)


def _load_bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


generate = _load_bench_module("generate")


@pytest.fixture
def site(tmp_path):
    return generate.generate(N, tmp_path / "site", sphinx=True)


def _expected_ids(n: int) -> list[str]:
    n_fr = round(n * generate.FR_SHARE)
    return [f"FR-{i:04d}" for i in range(1, n_fr + 1)] + [
        f"NFR-{i:04d}" for i in range(1, n - n_fr + 1)
    ]


def _traced(items: list[dict]) -> set[str]:
    return {req for item in items for req in item.get("requirements", [])}


def test_prd_defines_every_requirement_once_in_all_three_shapes(site):
    shapes: dict[str, list[str]] = {"listed": [], "tabled": [], "headed": []}
    for shard in site.prd_shards:
        for match in DEFINITION.finditer(shard.read_text(encoding="utf-8")):
            shape = match.lastgroup
            shapes[shape].append(match.group(shape))

    defined = [req for ids in shapes.values() for req in ids]
    assert sorted(defined) == sorted(_expected_ids(N))
    assert all(shapes.values()), {shape: len(ids) for shape, ids in shapes.items()}


def test_prd_has_functional_and_non_functional_sections_with_targets(site):
    text = "".join(shard.read_text(encoding="utf-8") for shard in site.prd_shards)

    assert "## Functional Requirements" in text
    assert "## Non-Functional Requirements" in text
    assert re.search(r"< \d+ ms p95|\d+(\.\d+)? %|[\d,]+ concurrent users", text)
    assert re.search(r"(See|Builds on|Related:) (FR|NFR)-\d{4}", text)


def test_architecture_traces_every_item_to_defined_requirements(site):
    arch = yaml.safe_load(site.architecture_yml.read_text(encoding="utf-8"))
    components, decisions = arch["components"], arch["decisions"]
    entities, endpoints = arch["entities"], arch["api"]["endpoints"]
    defined = set(_expected_ids(N))
    component_ids = {c["id"] for c in components}

    assert (len(components), len(decisions), len(entities), len(endpoints)) == (
        N // 10,
        N // 5,
        N // 20,
        N // 10,
    )
    for item in components + decisions + entities + endpoints:
        assert item["requirements"], item
        assert set(item["requirements"]) <= defined, item
    for component in components:
        assert set(component.get("depends_on", [])) <= component_ids
    assert {e["component"] for e in endpoints} <= component_ids
    assert {c for d in decisions for c in d["components"]} <= component_ids


@pytest.mark.parametrize("n", [N, 1_000])
def test_architecture_leaves_only_the_deliberate_gaps(n):
    model = generate.make_site(n)
    arch = model.architecture
    accepted = [d for d in arch["decisions"] if d["status"] == "accepted"]
    nfr_tracers = _traced(accepted + arch["stack"] + arch["tradeoffs"])
    fr_tracers = _traced(arch["components"] + arch["entities"] + arch["api"]["endpoints"])
    nfrs = {r for r in _expected_ids(n) if r.startswith("NFR")}
    frs = set(_expected_ids(n)) - nfrs

    assert 0 < len(model.uncovered_nfrs) == len(model.uncovered_frs) <= n // 100 + 1
    assert nfrs - nfr_tracers == set(model.uncovered_nfrs)
    assert frs - fr_tracers == set(model.uncovered_frs)
    assert {d["status"] for d in arch["decisions"]} >= {"accepted", "proposed"}


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path):
    first = generate.generate(N, tmp_path / "a", seed=7, sphinx=True).root
    second = generate.generate(N, tmp_path / "b", seed=7, sphinx=True).root
    other = generate.generate(N, tmp_path / "c", seed=8, sphinx=True).root

    def contents(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    assert contents(first) == contents(second)
    assert contents(first)["architecture.yml"] != contents(other)["architecture.yml"]


def test_large_n_shards_the_prd_and_keeps_ids_unique():
    model = generate.make_site(10_000)
    ids = [r.id for r in model.requirements]

    assert len(model.shards) == 20
    assert len(set(ids)) == 10_000
    assert ids[6_999] == "FR-7000" and ids[-1] == "NFR-3000"
    assert len(model.architecture["decisions"]) == 2_000


@pytest.mark.parametrize(
    "value",
    [
        "plain words",
        "yes",
        "No",
        "null",
        "1.0",
        "16",
        "a: b",
        "# not a comment",
        "/api/v1/x",
        "quote \" and ' inside",
        "ünïcode — dash",
        "",
        "-dash",
        "trailing ",
    ],
)
def test_dump_yaml_round_trips_tricky_strings(value):
    data = {"key": value, "items": [value, "FR-0001"], "nested": [{"name": value, "n": 3}]}

    assert yaml.safe_load(generate.dump_yaml(data)) == data


def test_dump_yaml_round_trips_the_whole_architecture():
    model = generate.make_site(N)

    assert yaml.safe_load(generate.dump_yaml(model.architecture)) == model.architecture


def test_sphinx_sources_hold_the_same_needs_and_one_needtable(site):
    arch = generate.make_site(N).architecture
    shard_ids = re.findall(
        r"^   :id: (\S+)$", "".join(p.read_text(encoding="utf-8") for p in site.sphinx_shards), re.M
    )
    architecture_ids = re.findall(
        r"^   :id: (\S+)$", site.sphinx_architecture.read_text(encoding="utf-8"), re.M
    )
    traceability = (site.sphinx_dir / "traceability.rst").read_text(encoding="utf-8")

    assert len(site.sphinx_shards) == len(site.prd_shards)
    assert sorted(shard_ids) == sorted(_expected_ids(N))
    expected_items = sum(
        len(items)
        for items in (
            arch["components"],
            arch["decisions"],
            arch["entities"],
            arch["api"]["endpoints"],
        )
    )
    assert len(architecture_ids) == len(set(architecture_ids)) == expected_items
    assert traceability.count(".. needtable::") == 1
    compile((site.sphinx_dir / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec")


def test_edit_for_rebuild_changes_content_every_time(site):
    for path in (site.architecture_yml, site.prd_shards[0], site.sphinx_shards[0]):
        before = path.read_text(encoding="utf-8")
        generate.edit_for_rebuild(path, 0)
        once = path.read_text(encoding="utf-8")
        generate.edit_for_rebuild(path, 1)

        assert before != once != path.read_text(encoding="utf-8")
    data = yaml.safe_load(site.architecture_yml.read_text(encoding="utf-8"))
    assert data["components"]
    # The YAML edit changes the model (a comment would leave nothing to rebuild).
    assert [t["title"] for t in data["tradeoffs"][-2:]] == [
        "Trade-off added by edit 0", "Trade-off added by edit 1"]


def test_generated_architecture_loads_without_diagnostics(site):
    architecture = pytest.importorskip("mkdocs_archplugin.architecture")
    load_architecture = getattr(architecture, "load_architecture", None)
    if load_architecture is None:
        pytest.skip("mkdocs_archplugin.architecture.load_architecture does not exist yet")

    _, diagnostics = load_architecture(site.architecture_yml)

    assert [d.format() for d in diagnostics] == []


def test_generated_site_builds_with_the_plugin(site, tmp_path):
    pytest.importorskip("mkdocs_archplugin.plugin")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    html = tmp_path / "html"
    build(load_config(config_file=str(site.mkdocs_yml), site_dir=str(html)))

    assert (html / "prd" / "requirements-1" / "index.html").is_file()
    assert (html / "architecture" / "index.html").is_file()
    assert "FR-0001" in (html / "prd" / "requirements-1" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_generated_sphinx_project_builds_with_sphinx_needs(site, tmp_path, sphinx_venv):
    """The benchmark's Sphinx side, built with the tests' own Sphinx + sphinx-needs venv."""
    html = tmp_path / "sphinx-html"
    subprocess.run(
        [str(sphinx_venv / "bin" / "sphinx-build"), "-b", "html", "-q", str(site.sphinx_dir), str(html)],
        check=True,
        capture_output=True,
    )
    table = (html / "traceability.html").read_text(encoding="utf-8")

    assert all(f'data-need-id="{req}"' in table for req in _expected_ids(N))


@pytest.mark.slow
def test_bmad_shape_is_issue_18s_site():
    site = generate.make_site(5000, shape="bmad")
    kinds = [r.kind for r in site.requirements]
    assert (kinds.count("FR"), kinds.count("NFR")) == (4000, 1000)
    sections = [s for shard in site.shards for s in (*shard.functional, *shard.non_functional)]
    assert sum(len(s.listed) for s in sections) == 5000
    assert not any(s.tabled or s.headed for s in sections)
    assert (len(site.architecture["components"]), len(site.architecture["decisions"])) == (100, 200)
    assert generate.make_site(N) == generate.make_site(N, shape="mixed")  # the default


def test_run_py_measures_the_mkdocs_side_and_writes_the_report(tmp_path):
    output = tmp_path / "results.md"
    command = [
        sys.executable,
        str(BENCH / "run.py"),
        "--sizes",
        str(N),
        "--reps",
        "1",
        "--skip-sphinx",
        "--work-dir",
        str(tmp_path / "work"),
        "--output",
        str(output),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)

    assert result.returncode == 0, result.stderr
    report = output.read_text(encoding="utf-8")
    assert "## Machine" in report and f"| {N} " in report
    rows = {
        line.split("|")[2].strip(): line
        for line in result.stdout.splitlines()
        if line.startswith("|")
    }
    if _plugin_installed():
        assert "n/a" not in rows["mkdocs build + archplugin"]
        assert "n/a" not in rows["mkdocs build, plugin's pages as plain Markdown"]
        assert "n/a" not in rows["mkdocs serve: rebuild after editing one PRD shard"]
        assert "n/a" not in rows["mkdocs serve --dirty: rebuild after editing one PRD shard"]
        own = next(line for what, line in rows.items() if what.startswith("archplugin's own time"))
        assert "n/a" not in own, "the plugin wrote no $ARCHPLUGIN_TIMINGS line"
    else:
        assert "n/a (plugin not installed)" in rows["mkdocs build + archplugin"]


def _plugin_installed() -> bool:
    """What bench/run.py asks too: MkDocs finds plugins by entry point, not on sys.path."""
    entry_points = importlib.metadata.entry_points(group="mkdocs.plugins", name="archplugin")
    return bool(entry_points) and importlib.util.find_spec("mkdocs_archplugin.plugin") is not None
