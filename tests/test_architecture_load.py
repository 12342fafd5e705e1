"""Loading architecture.yml: safe YAML with limits, located errors, folders, partial models."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_archplugin import inputs
from mkdocs_archplugin.architecture import load_architecture, yaml_reader
from mkdocs_archplugin.architecture.yaml_reader import parse_yaml_text

LOADERS = [yaml_reader._PurePythonLoader]
if hasattr(yaml_reader, "_LibyamlLoader"):
    LOADERS.append(yaml_reader._LibyamlLoader)


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__.strip("_"))
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test with each YAML event source: libyaml when built in, and pure Python
    (which also turns off the event-driven fast path, as PyYAML without libyaml does)."""
    monkeypatch.setattr(yaml_reader, "_LOADER", request.param)
    if request.param is yaml_reader._PurePythonLoader:
        monkeypatch.setattr(yaml_reader, "CParser", None)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _load(text: str | bytes, name: str = "architecture.yml"):
    path = Path(name)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_architecture(path)


def _messages(text: str | bytes) -> list[str]:
    return [d.format() for d in _load(text)[1]]


# -- schema errors: file, line, column, key path, what was expected ------------------------

SCHEMA_CASES = {
    "requirement-not-an-id": (
        "components:\n  - id: api\n    name: API\n    requirements:\n      - FR-001\n      - 12\n",
        "architecture.yml:6:9: schema-invalid: components[0].requirements[1]: "
        "expected a requirement id such as NFR-001, got 12",
    ),
    "unknown-top-level-key": (
        "components: []\ndecsions: []\n",
        "architecture.yml:2:1: schema-invalid: unknown key 'decsions'; did you mean 'decisions'?",
    ),
    "unknown-nested-key": (
        "components:\n  - id: api\n    nmae: API\n    name: API\n",
        "architecture.yml:3:5: schema-invalid: components[0]: unknown key 'nmae'; did you mean 'name'?",
    ),
    "unknown-key-far-from-any": (
        "components: []\nzebra: 1\n",
        "architecture.yml:2:1: schema-invalid: unknown key 'zebra' (hint: allowed keys: product,",
    ),
    "missing-required-key": (
        "components:\n  - name: API\n",
        "architecture.yml:2:5: schema-invalid: components[0]: missing required key 'id'",
    ),
    "missing-components": (
        "product: Shop\n",
        "architecture.yml:1:1: schema-invalid: missing required key 'components'",
    ),
    "status-typo": (
        "components: []\ndecisions:\n  - id: ADR-1\n    title: T\n    status: acepted\n",
        "architecture.yml:5:13: schema-invalid: decisions[0].status: expected one of proposed, "
        "accepted, superseded, deprecated, rejected, got \"acepted\"; did you mean 'accepted'?",
    ),
    "method-case": (
        "components: []\napi:\n  endpoints:\n    - method: get\n      path: /users\n",
        "architecture.yml:4:15: schema-invalid: api.endpoints[0].method: expected one of GET, POST",
    ),
    "version-float": (
        "version: 3.10\ncomponents: []\n",
        'architecture.yml:1:10: schema-invalid: version: expected a version in quotes such as "3.10", got 3.1',
    ),
    "list-expected": (
        "components:\n  - id: a\n    name: A\n    depends_on: {b: 1}\n",
        "architecture.yml:4:17: schema-invalid: components[0].depends_on: expected a list, got a mapping",
    ),
    "mapping-expected": (
        "components:\n  - 12\n",
        "architecture.yml:2:5: schema-invalid: components[0]: expected a mapping, got 12",
    ),
    "string-expected": (
        "components:\n  - id: a\n    name: true\n",
        "architecture.yml:3:11: schema-invalid: components[0].name: expected a string, got true",
    ),
    "blank-name": (
        'components:\n  - id: a\n    name: "  "\n',
        'architecture.yml:3:11: schema-invalid: components[0].name: expected a non-empty string, got "  "',
    ),
    "empty-value": (
        "components:\n  - id: a\n    name:\n",
        "architecture.yml:3:10: schema-invalid: components[0].name: expected a string, got an empty value",
    ),
    "status-code-range": (
        "components: []\napi:\n  endpoints:\n    - method: GET\n      path: /\n"
        "      responses:\n        - status: 2000\n",
        "architecture.yml:7:19: schema-invalid: api.endpoints[0].responses[0].status: "
        "expected a number <= 599, got 2000",
    ),
    "whole-number-expected": (
        "components: []\napi:\n  endpoints:\n    - method: GET\n      path: /\n"
        "      errors:\n        - status: often\n",
        "architecture.yml:7:19: schema-invalid: api.endpoints[0].errors[0].status: "
        'expected a whole number, got "often"',
    ),
    "boolean-expected": (
        "components: []\nentities:\n  - name: U\n    indexes:\n      - columns: [a]\n        unique: maybe\n",
        "architecture.yml:6:17: schema-invalid: entities[0].indexes[0].unique: expected true or false, "
        'got "maybe"',
    ),
    "range-backwards": (
        "components:\n  - id: a\n    name: A\n    requirements: [FR-004..FR-001]\n",
        "architecture.yml:4:20: schema-invalid: components[0].requirements[0]: "
        "the range ends (FR-001) before it starts (FR-004)",
    ),
    "range-mixed-prefixes": (
        "components:\n  - id: a\n    name: A\n    requirements: [FR-001..NFR-004]\n",
        "architecture.yml:4:20: schema-invalid: components[0].requirements[0]: expected a range of ids "
        "that differ only in their last number",
    ),
    "ids-in-one-string": (
        "components:\n  - id: a\n    name: A\n    requirements: FR-001, FR-002\n",
        "architecture.yml:4:19: schema-invalid: components[0].requirements[0]: "
        'expected one requirement id per entry, as in [FR-001, FR-002], got "FR-001, FR-002"',
    ),
    "prose-of-wrong-type": (
        "components: []\nsecurity: 12\n",
        "architecture.yml:2:11: schema-invalid: security: expected text or a mapping with `text`, got 12",
    ),
    "relationship-kind": (
        "components: []\nentities:\n  - name: U\n    relationships:\n      - target: O\n        kind: 1:N\n",
        "architecture.yml:6:15: schema-invalid: entities[0].relationships[0].kind: expected one of "
        "one-to-one, one-to-many, many-to-one, many-to-many",
    ),
    "non-string-key": (
        "components: []\n1: x\n",
        "architecture.yml:2:1: schema-invalid: keys must be strings, got 1",
    ),
    "root-is-null": (
        "~\n",
        "architecture.yml:1:1: schema-invalid: expected a mapping of top-level keys such as "
        "components, got an empty value",
    ),
    "root-is-a-list": (
        "- components\n",
        "architecture.yml:1:1: schema-invalid: expected a mapping of top-level keys such as "
        "components, got a list",
    ),
}


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=str)
def test_schema_error_names_file_line_column_and_key_path(case: str, in_tmp: Path) -> None:
    text, expected = SCHEMA_CASES[case]
    messages = _messages(text)
    assert any(message.startswith(expected) for message in messages), messages


def test_all_errors_of_a_file_are_reported_at_once_in_line_order(in_tmp: Path) -> None:
    text = (
        "components:\n"
        "  - id: api\n"
        "    name: API\n"
        "    requirements: [12]\n"
        "  - id: db\n"
        "    nmae: Database\n"
        "decisions:\n"
        "  - id: ADR-1\n"
        "    status: done\n"
    )
    arch, diagnostics = _load(text)
    assert [(d.line, d.message.split(":")[0]) for d in diagnostics] == [
        (4, "components[0].requirements[0]"),
        (5, "components[1]"),  # missing name
        (6, "components[1]"),  # unknown nmae
        (8, "decisions[0]"),  # missing title
        (9, "decisions[0].status"),
    ]
    assert {d.code for d in diagnostics} == {"schema-invalid"}


def test_invalid_items_are_left_out_and_the_rest_is_a_model(in_tmp: Path) -> None:
    text = (
        "components:\n"
        "  - id: api\n"
        "    name: API\n"
        "    requirements: [FR-001, 12]\n"
        "  - id: broken\n"
        "  - id: db\n"
        "    name: Database\n"
        "    colour: blue\n"
        "decisions:\n"
        "  - id: ADR-1\n"
        "    title: T\n"
        "    status: accepted\n"
        "    supersedes: {x: 1}\n"
    )
    arch, diagnostics = _load(text)
    assert len(diagnostics) == 4
    assert arch is not None
    # The bad entry goes, its component stays; an item missing a key goes; an unknown key goes.
    assert [(c.id, c.requirements) for c in arch.components] == [("api", ["FR-001"]), ("db", [])]
    assert arch.components[1].source.line == 6
    assert (arch.decisions[0].status, arch.decisions[0].supersedes) == ("accepted", [])


def test_wrong_components_still_give_a_model_without_components(in_tmp: Path) -> None:
    arch, diagnostics = _load("product: Shop\ncomponents: 12\n")
    assert [d.line for d in diagnostics] == [2]
    assert arch is not None and arch.product == "Shop" and arch.components == []


# -- YAML errors --------------------------------------------------------------------------

YAML_CASES = {
    "tab-indentation": (
        "components:\n\t- id: a\n",
        "architecture.yml:2:1: yaml-invalid: a tab character is not allowed here; YAML indents with spaces",
    ),
    "tab-in-nested-indentation": (
        "components:\n  - id: a\n\t  name: b\n",
        "architecture.yml:3:1: yaml-invalid: a tab character is not allowed here",
    ),
    "undecodable-bytes": (
        b"components: []\nproduct: caf\xe9\n",
        "architecture.yml:2:13: yaml-invalid: not valid UTF-8: byte 0xe9 cannot be decoded",
    ),
    "empty-file": (
        "",
        "architecture.yml:1: yaml-invalid: the file is empty; expected a mapping of top-level keys",
    ),
    "blank-file": (
        "\n   \n",
        "architecture.yml:1: yaml-invalid: the file is empty",
    ),
    "only-comments": (
        "# nothing yet\n",
        "architecture.yml:1: yaml-invalid: the file holds only comments",
    ),
    "second-document": (
        "components: []\n---\nproduct: x\n",
        "architecture.yml:2:1: yaml-invalid: a second YAML document starts here",
    ),
    "unclosed-flow-list": (
        "components: [\n",
        "architecture.yml:2:1: yaml-invalid: ",
    ),
    "bad-indentation": (
        "components:\n  - id: a\n   name: A\n",
        "architecture.yml:3:",
    ),
    "duplicate-key": (
        "components: []\nproduct: A\nproduct: B\n",
        "architecture.yml:3:1: yaml-invalid: duplicate key 'product' (first written at line 2)",
    ),
    "undefined-alias": (
        "components: *nothing\n",
        "architecture.yml:1:13: yaml-invalid: found undefined alias",
    ),
    "recursive-alias": (
        "components: &loop\n  - *loop\n",
        "architecture.yml:2:5: yaml-invalid: alias *loop refers to a node that contains it",
    ),
    "control-character": (
        'components: []\nproduct: "a\x07b"\n',
        "architecture.yml:2:12: yaml-invalid: character U+0007 is not allowed in YAML",
    ),
    "list-as-key": (
        "components: []\n? [a, b]\n: c\n",
        "architecture.yml:2:3: yaml-invalid: found a key that is a list or mapping",
    ),
    "python-tag": (
        "components: !!python/object:os.system []\n",
        "architecture.yml:1:13: yaml-invalid: could not determine a constructor",
    ),
}


@pytest.mark.parametrize("case", YAML_CASES, ids=str)
def test_yaml_error_names_file_and_line(case: str, in_tmp: Path, loader: None) -> None:
    text, expected = YAML_CASES[case]
    messages = _messages(text)
    assert any(message.startswith(expected) for message in messages), messages


def test_duplicate_key_keeps_the_first_and_still_loads(in_tmp: Path) -> None:
    arch, diagnostics = _load("product: A\nproduct: B\ncomponents: []\n")
    assert arch is not None and arch.product == "A"
    assert [d.code for d in diagnostics] == ["yaml-invalid"]


def test_merge_keys_override_without_duplicate_errors(in_tmp: Path, loader: None) -> None:
    text = (
        "x-defaults: &defaults {name: Same, purpose: Shared}\n"
        "components:\n"
        "  - <<: *defaults\n"
        "    id: a\n"
        "  - <<: *defaults\n"
        "    id: b\n"
        "    name: Own\n"
    )
    data, problems = parse_yaml_text(text, "architecture.yml")
    assert problems == []
    assert [dict(c) for c in data["components"]] == [
        {"name": "Same", "purpose": "Shared", "id": "a"},
        {"name": "Own", "purpose": "Shared", "id": "b"},
    ]


def test_plain_scalars_follow_yaml_1_2_as_editors_do(loader: None) -> None:
    data, _ = parse_yaml_text(
        "a: no\nb: on\nc: 2024-05-01\nd: 1:30\ne: 010\nf: 0o17\ng: 0x1F\nh: true\ni: ~\nj: 1.5\nk: .inf\n",
        "x.yml",
    )
    assert dict(data) == {
        "a": "no",
        "b": "on",
        "c": "2024-05-01",
        "d": "1:30",
        "e": 10,
        "f": 15,
        "g": 31,
        "h": True,
        "i": None,
        "j": 1.5,
        "k": float("inf"),
    }


@pytest.mark.parametrize("written, version", [("1.0", "1.0"), ("2.00", "2.00"), ("16", "16"), ('"3.10"', "3.10")])
def test_a_version_editors_accept_loads_as_written(written: str, version: str, in_tmp: Path, loader: None) -> None:
    arch, diagnostics = _load(f"version: {written}\ncomponents: []\nstack:\n  - layer: db\n    name: PostgreSQL\n    version: {written}\n")
    assert diagnostics == []
    assert arch is not None and arch.version == version and arch.stack[0].version == version


def test_utf8_bom_and_utf16_are_read(in_tmp: Path) -> None:
    text = "product: Café\ncomponents: []\n"
    for encoded in (b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16")):
        arch, diagnostics = _load(encoded)
        assert diagnostics == [] and arch is not None and arch.product == "Café"


# -- limits -------------------------------------------------------------------------------


def _billion_laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\ncomponents: []\n"


def test_an_alias_bomb_fails_fast_in_bounded_memory(in_tmp: Path, loader: None) -> None:
    tracemalloc.start()
    arch, diagnostics = _load(_billion_laughs())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert arch is None
    (diagnostic,) = diagnostics
    assert diagnostic.format().startswith(
        "architecture.yml:5:45: yaml-invalid: aliases expand to more than 100,000 values (at alias *a3)"
    )
    assert peak < 5 * 1024 * 1024  # bounded memory is the guarantee; speed is measured in bench/


def test_modest_aliases_are_fine(in_tmp: Path) -> None:
    text = "x-team: &team [Ada, Linus]\ncomponents: []\nauthors: *team\n"
    arch, diagnostics = _load(text)
    assert [d.message for d in diagnostics] == ["unknown key 'x-team'"]
    assert arch is not None and arch.authors == ["Ada", "Linus"]


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused(style: str, in_tmp: Path, loader: None) -> None:
    depth = 5000
    if style == "flow":
        text = "components: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "components:\n" + "".join("  " * level + "-\n" for level in range(1, 200))
    arch, diagnostics = _load(text)
    assert arch is None
    (diagnostic,) = diagnostics
    assert diagnostic.code == "yaml-invalid" and diagnostic.line >= 1
    assert "nesting" in diagnostic.message


def test_a_file_over_the_size_limit_is_refused_unread(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_reader, "MAX_FILE_BYTES", 64)
    (diagnostic,) = _load("components: []\n" + "# padding\n" * 10)[1]
    assert diagnostic.format() == (
        "architecture.yml: yaml-invalid: the file is 115 bytes; the limit is 64 "
        "(hint: split the architecture into a folder of smaller YAML files)"
    )


# -- files and folders --------------------------------------------------------------------


def test_a_missing_path_is_a_diagnostic_not_an_exception(in_tmp: Path) -> None:
    arch, (diagnostic,) = load_architecture(Path("nowhere.yml"))
    assert arch is None
    assert diagnostic.format().startswith("nowhere.yml: yaml-invalid: architecture file not found")


def test_an_unreadable_file_is_a_diagnostic(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path("architecture.yml")
    path.write_text("components: []\n")

    def refuse(*args: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(inputs.os, "open", refuse)
    arch, (diagnostic,) = load_architecture(path)
    assert arch is None
    assert diagnostic.format() == (
        "architecture.yml: yaml-invalid: the file cannot be read (Permission denied) "
        "(hint: check that it exists and is readable)"
    )


def test_a_folder_is_merged_in_name_order(monkeypatch: pytest.MonkeyPatch) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    monkeypatch.chdir(fixtures)
    arch, diagnostics = load_architecture(Path("architecture/folder"))
    assert diagnostics == []
    assert arch is not None
    assert (arch.product, arch.version) == ("Shop", "1.0")
    assert [c.id for c in arch.components] == ["api"]
    assert [d.id for d in arch.decisions] == ["ADR-001"]
    # Every item cites the file of the folder it came from, as the folder was given.
    assert arch.components[0].source == ("architecture/folder/20-components.yaml", 2)
    assert arch.decisions[0].source == ("architecture/folder/30-decisions.yml", 2)


def test_a_key_defined_in_two_files_names_both(in_tmp: Path) -> None:
    Path("arch").mkdir()
    Path("arch/a.yml").write_text("components: []\ndecisions: []\n")
    Path("arch/b.yml").write_text("product: X\ndecisions:\n  - id: A\n    title: T\n")
    arch, diagnostics = load_architecture(Path("arch"))
    assert [d.format() for d in diagnostics] == [
        "arch/b.yml:2:1: yaml-invalid: decisions: already defined in arch/a.yml:2; "
        "a top-level key may be defined in one file only (hint: keep all of `decisions` in one file)"
    ]
    assert arch is not None and arch.decisions == [] and arch.product == "X"


def test_a_broken_file_in_a_folder_does_not_hide_the_others(in_tmp: Path) -> None:
    Path("arch").mkdir()
    Path("arch/a.yml").write_text("components: [\n")
    Path("arch/b.yml").write_text("product: X\ndecisions:\n  - id: A\n    title: T\n    bogus: 1\n")
    arch, diagnostics = load_architecture(Path("arch"))
    # No "missing components": they may be in the file that could not be read.
    assert [(d.file, d.line, d.code) for d in diagnostics] == [
        ("arch/a.yml", 2, "yaml-invalid"),
        ("arch/b.yml", 5, "schema-invalid"),
    ]
    assert arch is not None and arch.product == "X"


def test_an_empty_folder_is_a_diagnostic(in_tmp: Path) -> None:
    Path("arch").mkdir()
    Path("arch/readme.md").write_text("not yaml")
    arch, (diagnostic,) = load_architecture(Path("arch"))
    assert arch is None
    assert diagnostic.format() == "arch: yaml-invalid: no .yml or .yaml file in the folder"


# -- never raises -------------------------------------------------------------------------


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_any_text_loads_or_gives_diagnostics(text: str, tmp_path: Path) -> None:
    path = tmp_path / "architecture.yml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    arch, diagnostics = load_architecture(path)
    assert arch is not None or diagnostics


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.recursive(
        st.sampled_from(
            [
                "components",
                "id",
                "name",
                "- ",
                ": ",
                "[",
                "]",
                "{",
                "}",
                "&a ",
                "*a",
                "\n",
                "  ",
                "12",
                "FR-1",
                "#",
                '"',
                "<<: ",
            ]
        ),
        lambda inner: st.lists(inner, max_size=6).map("".join),
        max_leaves=30,
    )
)
def test_yaml_like_text_loads_or_gives_diagnostics(text: str, tmp_path: Path) -> None:
    path = tmp_path / "architecture.yml"
    path.write_text(text, encoding="utf-8")
    arch, diagnostics = load_architecture(path)
    assert arch is not None or diagnostics


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_any_bytes_load_or_give_diagnostics(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "architecture.yml"
    path.write_bytes(raw)
    arch, diagnostics = load_architecture(path)
    assert arch is not None or diagnostics


# -- syntax errors that say what to do ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("components:\n  - id: a\n    name: A\n    purpose: Note: this breaks\n",
         'a value holding ": " must be quoted: write "Note: this breaks"'),
        ("components:\n  - id: a\n    name: A\n   purpose: x\n",
         "the indentation does not match the lines above: indent this key like its siblings"),
        ('components:\n  - id: a\n    name: "A\n', "a quote is not closed: end the value with the same quote it starts with"),
        ("components: [a, b\nflows: []\n",
         "a bracket is not closed, or a value inside [ ] or { } holds a comma or colon: quote it"),
        ("components:\n\t- id: a\n", "replace tabs with spaces"),
    ],
    ids=["colon-in-value", "indentation", "unclosed-quote", "unclosed-bracket", "tab"],
)
def test_common_yaml_slips_get_a_hint(in_tmp: Path, text: str, hint: str) -> None:
    _, (diagnostic,) = _load(text)
    assert diagnostic.code == "yaml-invalid" and diagnostic.hint == hint


def test_a_broken_file_of_a_folder_names_the_keys_it_takes_out(in_tmp: Path) -> None:
    folder = Path("arch")
    folder.mkdir()
    (folder / "a.yml").write_text("components:\n  - id: a\n    name: A\n", encoding="utf-8")
    (folder / "b.yml").write_text("decisions:\n  - id: D\n    title: Note: x\nrisks: []\n", encoding="utf-8")
    arch, (diagnostic,) = load_architecture(folder)
    assert arch is not None and [c.id for c in arch.components] == ["a"]
    assert diagnostic.hint.endswith("until it is fixed, its keys decisions, risks are left out")


# -- the keys for what architects write: a located error for a wrong type and an unknown key ---

NEW_KEYS = {
    "context": ("context:\n  people:\n    - name: [x]\n", "context:\n  people:\n    - name: A\n      role: b\n",
                "context.people[0].name: expected a string, got a list", "context.people[0]: unknown key 'role'"),
    "external_systems": ("context:\n  external_systems:\n    - name: S\n      requirements: [12]\n",
                         "context:\n  external_systems:\n    - name: S\n      url: x\n",
                         "context.external_systems[0].requirements[0]: expected a requirement id",
                         "context.external_systems[0]: unknown key 'url'"),
    "layer-kind": ("components:\n  - id: a\n    name: A\n    kind: webapp\n",
                   "components:\n  - id: a\n    name: A\n    tier: web\n",
                   "components[0].kind: expected one of service, library, job, ui, datastore, external",
                   "components[0]: unknown key 'tier'"),
    "flows": ("flows:\n  - id: f\n    title: F\n    steps:\n      - {from: a, to: b, message: [m]}\n",
              "flows:\n  - id: f\n    title: F\n    steps:\n      - {from: a, too: b, message: m}\n",
              "flows[0].steps[0].message: expected a string, got a list", "flows[0].steps[0]: unknown key 'too'"),
    "interfaces": ("interfaces:\n  - kind: queue\n    name: e\n", "interfaces:\n  - kind: event\n    name: e\n    topic: t\n",
                   "interfaces[0].kind: expected one of http, grpc", "interfaces[0]: unknown key 'topic'"),
    "services": ("services:\n  - name: S\n    docs: [x]\n", "services:\n  - name: S\n    sla: x\n",
                 "services[0].docs: expected a string, got a list", "services[0]: unknown key 'sla'"),
    "patterns": ("patterns:\n  - name: P\n    rationale: {a: 1}\n", "patterns:\n  - name: P\n    why: x\n",
                 "patterns[0].rationale: expected a string, got a mapping", "patterns[0]: unknown key 'why'"),
    "risks": ("risks:\n  - id: R-1\n    title: T\n    status: maybe\n", "risks:\n  - id: R-1\n    title: T\n    owner: x\n",
              "risks[0].status: expected one of open, mitigated, accepted, closed", "risks[0]: unknown key 'owner'"),
    "source_tree": ("source_tree:\n  - path: 42\n", "source_tree:\n  - path: src\n    owner: x\n",
                    "source_tree[0].path: expected a string, got 42", "source_tree[0]: unknown key 'owner'"),
}


@pytest.mark.parametrize("key", NEW_KEYS)
def test_each_new_key_reports_a_located_error_for_a_wrong_type_and_an_unknown_key(in_tmp: Path, key: str) -> None:
    wrong_type, unknown, type_message, unknown_message = NEW_KEYS[key]
    for text, expected in ((wrong_type, type_message), (unknown, unknown_message)):
        body = text if text.startswith("components:") else "components: []\n" + text
        _, diagnostics = _load(body)
        matching = [d for d in diagnostics if d.code == "schema-invalid" and d.message.startswith(expected)]
        assert matching, [d.format() for d in diagnostics]
        assert matching[0].line > 1 and matching[0].column >= 1
