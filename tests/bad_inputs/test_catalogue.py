"""The bad-input catalogue: hostile and broken PRDs, architecture.yml files and ids.

Every case is built twice, as CI does it: `mkdocs build --strict` through the MkDocs API,
and `archplugin check`. Each must end with the expected outcome and report the problem on
one located line (`file:line[:col]: code: message`), leak no traceback, leave the project's
files byte-identical, and write nothing outside the site directory. Cases whose failure mode
is hanging also finish within a bound. docs/security.md describes the policy they hold to.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sites import ARCHITECTURE, PRD, build_site, make_site

from mkdocs_archplugin.cli import main

#: A line `archplugin check` prints for a diagnostic: severity, location, code. `prd-missing`
#: and `prd-invalid` stop everything and print their code first.
CHECK_LINE = re.compile(
    r"^(?:ERROR|WARN |INFO ) (?:[^\s:]+(?::\d+){0,2}: [a-z]+(?:-[a-z]+)+: |prd-(?:missing|invalid): )"
)

#: Text that would run script or template code if any page used it unescaped.
HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> {{ 12345*2 }} {% if 1 %}J{% endif %} "
    "[j](javascript:alert(3)) a | b {: onclick=alert(4) } x\" onmouseover=\"alert(5) "
    "') [k](java&#115;cript:alert(6)) ('"
)


def _yaml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


#: Long enough that no loaded machine trips it, short enough that a hang fails the test. Speed
#: itself is never a wall-clock limit here: the linear-time tests compare sizes N and 8N, and
#: bench/ measures seconds.
HANG_GUARD = 120.0


@dataclass(frozen=True)
class Case:
    """One bad input and what the product must make of it."""

    name: str
    prd: str | bytes | None = PRD  # docs/prd.md; None: no such file
    architecture: str | bytes | None = ARCHITECTURE
    plugin: dict | None = None
    setup: Callable[[Path], None] | None = None  # anything else: folders, templates
    builds: bool = False  # `mkdocs build --strict` succeeds
    exit_status: int = 1  # of `archplugin check`
    message: str = ""  # the located line both report (a regex)
    check_message: str | None = None  # what `archplugin check` says instead, if it differs
    may_hang: bool = False  # an input whose failure mode is hanging: guarded by HANG_GUARD
    build: bool = True  # False: only `archplugin check` (a site too big to render in a test)
    pages_safe: bool = False  # generated pages must hold nothing that runs script
    extra: dict = field(default_factory=dict)  # more mkdocs.yml settings


# -- inputs made for the cases ---------------------------------------------------------------

COMPONENTS_ONLY = "components: []\n"

ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "components: []\n"
)

COVERED = "requirements: [FR-1, FR-2]"


def _components(ids: list[str]) -> str:
    return "components:\n" + "".join(
        f"  - id: {_yaml(item)}\n    name: {_yaml('Component ' + str(n))}\n    {COVERED}\n"
        for n, item in enumerate(ids)
    )


def _decisions(ids: list[str]) -> str:
    return "decisions:\n" + "".join(
        f"  - id: {_yaml(item)}\n    title: T\n    status: accepted\n    requirements: [NFR-1, NFR-2]\n"
        for item in ids
    )


ESCAPING_IDS = [
    "../../escape", "/etc/passwd", "..\\..\\windows", "C:\\evil", "CON", "nul", "index", "README",
    "x" * 5000, "y" * 61, "y" * 62, "api", "API", "ａｐｉ", "аpi", "\u202eevil", ".", "..", "~", "%2e%2e",
    "a/b/c", "<b>", "{{ 7*7 }}",
]

HOSTILE_PRD = f"""# PRD {HOSTILE}

## Functional requirements

- **FR-1:** {HOSTILE} sign in.
- **FR-2:** Search | with pipe and <b>bold</b> {{{{ 12345*2 }}}}.

## Non-functional requirements

### Performance

- **NFR-1:** {HOSTILE} < 200 ms p95.

| ID | Title | Priority |
|---|---|---|
| NFR-2 | Pipes \\| inside {{{{ 12345*2 }}}} <script>alert(7)</script> | Must |
"""

# A lone carriage return is a line break to Markdown: it must not end a code span or a cell.
_H = _yaml(HOSTILE + "\r<script>alert(9)</script>")
_H2 = _yaml(HOSTILE + "\nsecond line | with a pipe\r\n\n- a list item\r<script>alert(10)</script>")
HOSTILE_ARCHITECTURE = f"""product: {_H}
version: {_H}
status: {_H}
overview:
  purpose: {_H2}
  goals:
    - {{goal: {_H}, requirements: [FR-1]}}
stack:
  - {{layer: {_H}, name: {_H}, version: {_H}, rationale: {_H2}, requirements: [NFR-1]}}
services:
  - {{name: {_H}, purpose: {_H}, justification: {_H2}, requirements: [FR-2]}}
pattern: {{name: {_H}, rationale: {_H2}}}
components:
  - id: {_H}
    name: {_H}
    purpose: {_H2}
    responsibilities: [{_H}, {_H2}]
    technology: [{_H}]
    location: {_H}
    requirements: [FR-1, FR-2]
  - {{id: plain, name: Plain, depends_on: [{_H}], requirements: [FR-2]}}
entities:
  - name: {_H}
    purpose: {_H2}
    attributes:
      - {{name: {_H}, type: {_H}, constraints: [{_H}], purpose: {_H}}}
    requirements: [FR-1]
api:
  style: {_H}
  conventions: {_H2}
  endpoints:
    - {{method: GET, path: {_H}, purpose: {_H2}, auth: {_H}, component: {_H}, requirements: [FR-1]}}
security: {_H2}
scalability: {_H2}
deployment: {{text: {_H2}, requirements: [NFR-1]}}
observability: {_H2}
guidelines: {_H2}
future: {_H2}
decisions:
  - id: ADR-1
    title: {_H}
    status: accepted
    context: {_H2}
    options:
      - {{name: {_H}, description: {_H2}, pros: [{_H}], cons: [{_H2}]}}
    decision: {_H2}
    rationale: {_H2}
    consequences: [{_H}, {_H2}]
    components: [{_H}]
    requirements: [NFR-1, NFR-2]
tradeoffs:
  - {{title: {_H}, choice: {_H}, pros: [{_H}], cons: [{_H}], justification: {_H2}, requirements: [NFR-2]}}
glossary:
  - {{term: {_H}, definition: {_H2}}}
references:
  - {{title: {_H}, url: "java&#115;cript:alert(8)", description: {_H2}}}
  - {{title: Safe, url: "https://example.com/a b(c)"}}
"""

# Every way a link or an attribute list can smuggle script through Markdown prose.
XSS_VECTORS = [
    "[a](javascript:alert(1))", "[b][r1]\n\n[r1]: javascript:alert(2)", "[c](java&#115;cript:alert(3))",
    "[d](&#106;avascript:alert(4))", "[e](<javascript:alert(5)>)", "<javascript:alert(6)>",
    "[f]( JAVASCRIPT:alert(7) )", "![g](javascript:alert(8))", "[h](javascript&colon;alert(9))",
    "[i](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=)", "[k][]\n\n[k]: <javascript:alert(11)>",
    "<a href='javascript:alert(12)'>x</a>", "<<script>alert(14)</script>", "<!-- --><script>alert(15)</script>",
    "[l](  \tjavascript:alert(16))", "[m](\u0001javascript:alert(17))", "[n]: javascript:alert(18)\n\n[n]",
    "para\n{: onmouseover=\"alert(20)\" }", "`x`{: onclick=alert(21)}", "[o](vbscript:msgbox(22))",
    "[p](https://ok.example){: onclick=alert(23)}", "> [q]: javascript:alert(24)\n\n[q]",
    "- [s]: javascript:alert(25)\n\n[s]", "x \\\\{: onclick=alert(26) }", "```\n{: onclick=alert(27)}\nx\n",
    "## T {: onclick=alert(28) }", "[t](#context){ href=\"javascript:alert(29)\" }",
]

XSS_ARCHITECTURE = _components(["api"]) + "decisions:\n" + "".join(
    f"  - id: ADR-{n}\n    title: T\n    status: accepted\n    context: {_yaml(vector)}\n"
    f"    consequences: [{_yaml(vector)}]\n    requirements: [NFR-1, NFR-2]\n"
    for n, vector in enumerate(XSS_VECTORS)
)

PIPES_PRD = """# PRD

## Functional requirements

| ID | Title | Priority |
|---|---|---|
| FR-1 | Sign in \\| out, `a|b` | Must |
| FR-2 | Search <br> results | Should |

## Non-functional requirements

- **NFR-1:** Fast | very fast.
- **NFR-2:** Safe.
"""

PIPES_ARCHITECTURE = """components:
  - id: "a|b"
    name: "Name | with\\nnewline"
    purpose: "Line one\\n\\n| not | a | table |\\n|---|---|---|"
    technology: ["x | y", "z\\nw"]
    location: "src/|x"
    responsibilities: ["one | two\\nthree"]
    requirements: [FR-1, FR-2]
entities:
  - name: "Ent|ity"
    attributes:
      - {name: "a|b", type: "t\\n|x", constraints: ["c | d"], purpose: "p\\n| q"}
    requirements: [FR-1]
api:
  endpoints:
    - {method: GET, path: "/a|b", purpose: "p | q\\nr", auth: "x|y", component: "a|b", requirements: [FR-2]}
decisions:
  - {id: "ADR|1", title: "T | t\\nu", status: accepted, requirements: [NFR-1, NFR-2], consequences: ["c | d"]}
tradeoffs:
  - {title: "T|x", choice: "c\\n|d", requirements: [NFR-1]}
glossary:
  - {term: "a|b", definition: "d\\n|e"}
"""

COLLIDING_PRD = f"""# PRD

## Functional requirements

- **FR-1.2:** Dotted.
- **FR_1.2:** Underscored, the same slug.
- **FR-1{"0" * 70}:** Long one.
- **FR-1{"0" * 69}1:** Long two, the same first 60 characters.

## Non-functional requirements

- **NFR-1:** Fast.
"""

COLLIDING_ARCHITECTURE = f"""components:
  - id: a
    name: A
    requirements: [FR-1.2, FR_1.2, FR-1{"0" * 70}, FR-1{"0" * 69}1]
decisions:
  - {{id: D1, title: T, status: accepted, requirements: [NFR-1]}}
"""

CYCLES = """components:
  - {id: web, name: Web, depends_on: [api], requirements: [FR-1, FR-2]}
  - {id: api, name: API, depends_on: [web]}
  - {id: db, name: DB, depends_on: [db]}
decisions:
  - {id: ADR-1, title: One, status: accepted, supersedes: [ADR-2], requirements: [NFR-1, NFR-2]}
  - {id: ADR-2, title: Two, status: superseded, supersedes: [ADR-1], requirements: [NFR-1]}
  - {id: ADR-3, title: Three, status: accepted, supersedes: [ADR-3], requirements: [NFR-2]}
"""


def _long_chain(n: int) -> str:
    lines = [_components(["api"]).rstrip("\n"), "decisions:"]
    for i in range(n):
        supersedes = f", supersedes: [D{i - 1}]" if i else ""
        status = "accepted" if i == n - 1 else "superseded"
        lines.append(f"  - {{id: D{i}, title: T, status: {status}{supersedes}, requirements: [NFR-1, NFR-2]}}")
    return "\n".join(lines) + "\n"


def _many_unknown_references(n: int) -> str:
    lines = ["components:"]
    lines += [f"  - {{id: c{i}, name: C, depends_on: [zz{i}], requirements: [XR-{i}]}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def _many_ranges(n: int) -> str:
    lines = ["components:"]
    lines += [f"  - {{id: c{i}, name: C, requirements: [FR-{i}..FR-{i + 99_990}]}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def _folder(files: dict[str, str | bytes]) -> Callable[[Path], None]:
    """Replace architecture.yml by a folder `arch/` of these files."""

    def setup(root: Path) -> None:
        (root / "architecture.yml").unlink(missing_ok=True)
        (root / "arch").mkdir()
        for name, content in files.items():
            path = root / "arch" / name
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return setup


def _directory_instead_of(relative: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / relative).mkdir(parents=True)

    return setup


def _template(name: str, text: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / "overrides").mkdir()
        (root / "overrides" / name).write_text(text, encoding="utf-8")

    return setup


def _deep_yaml_block(depth: int) -> str:
    return "components: []\nproduct:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, depth))


# -- the catalogue ---------------------------------------------------------------------------

CASES = [
    # The PRD: missing, empty, undecodable, a folder, hostile shapes.
    Case("prd-missing", prd=None,
         message=r"prd-missing: Cannot create architecture without PRD: \S*prd\.md not found"),
    Case("prd-empty", prd="",
         message=r"architecture\.yml:11:20: unknown-requirement: component web names FR-2, which the PRD does not define"),
    Case("prd-blank-lines", prd="\n \n\t\n",
         message=r"architecture\.yml:17:20: unknown-requirement: component api names FR-1"),
    Case("prd-undecodable", prd=b"# PRD\n\n- FR-1: caf\xe9\n",
         message=r"prd-invalid: prd\.md:3: the PRD is not valid UTF-8 \(byte 0xe9\)"),
    Case("prd-utf16", prd="# PRD\n\n- FR-1: x\n".encode("utf-16"),
         message=r"prd-invalid: prd\.md:1: the PRD is not valid UTF-8 \(byte 0xff\)"),
    Case("prd-folder-without-markdown", prd=None, setup=_directory_instead_of("docs/prd.md"),
         message=r"prd-missing: \S*prd\.md: no Markdown files in this folder"),
    Case("prd-nul-and-controls", prd=PRD.replace("Customers sign in", "Customers\x00 sign\x1b in\u2028"),
         builds=True, exit_status=0),
    Case("prd-duplicate-id", prd=PRD + "\n- **FR-1:** Defined again.\n",
         message=r"prd\.md:16: duplicate-requirement: FR-1 is defined again; the definition at prd\.md:5 is the one used"),
    Case("prd-deep-blockquote", prd=PRD + ">" * 20_000 + " - FR-9: deep\n", builds=True, exit_status=0, may_hang=True),
    Case("prd-long-line", prd=PRD + "\n- **FR-3:** " + "word " * 100_000 + "\n", may_hang=True,
         message=r"prd\.md:16: fr-without-component: FR-3 \(Word word"),
    Case("prd-ids-alike-after-slugging", prd=COLLIDING_PRD, architecture=COLLIDING_ARCHITECTURE,
         builds=True, exit_status=0),
    # architecture.yml: missing, empty, undecodable, malformed, wrong shapes.
    Case("yaml-missing", architecture=None,
         message=r"architecture\.yml: yaml-invalid: architecture file not found: architecture\.yml"),
    Case("yaml-empty", architecture="",
         message=r"architecture\.yml:1: yaml-invalid: the file is empty"),
    Case("yaml-comments-only", architecture="# nothing yet\n",
         message=r"architecture\.yml:1: yaml-invalid: the file holds only comments"),
    Case("yaml-undecodable", architecture=b"product: caf\xe9\ncomponents: []\n",
         message=r"architecture\.yml:1:13: yaml-invalid: not valid UTF-8: byte 0xe9 cannot be decoded"),
    Case("yaml-directory-without-yaml", architecture=None, setup=_directory_instead_of("architecture.yml"),
         message=r"architecture\.yml: yaml-invalid: no \.yml or \.yaml file in the folder"),
    Case("yaml-syntax-error", architecture=ARCHITECTURE + "  - broken: [\n",
         message=r"architecture\.yml:43:1: yaml-invalid: did not find expected node content"),
    Case("yaml-tab-indentation", architecture="components:\n\t- id: a\n",
         message=r"architecture\.yml:2:1: yaml-invalid: a tab character is not allowed here"),
    Case("yaml-nul-character", architecture="components: []\nproduct: a\x00b\n",
         message=r"architecture\.yml:2:11: yaml-invalid: character U\+0000 is not allowed in YAML"),
    Case("yaml-second-document", architecture="components: []\n---\ncomponents: []\n",
         message=r"architecture\.yml:2:1: yaml-invalid: a second YAML document starts here"),
    Case("yaml-python-tag", architecture="components: !!python/object/apply:os.system ['touch pwned']\n",
         message=r"architecture\.yml:1:13: yaml-invalid: could not determine a constructor for the tag"),
    Case("yaml-key-is-a-list", architecture="? [a, b]\n: 1\ncomponents: []\n",
         message=r"architecture\.yml:1:3: yaml-invalid: found a key that is a list or mapping"),
    Case("yaml-top-level-list", architecture="- components\n",
         message=r"architecture\.yml:1:1: schema-invalid: expected a mapping of top-level keys"),
    Case("yaml-wrong-type", architecture=ARCHITECTURE.replace("requirements: [FR-1, FR-2]", "requirements: [12]"),
         message=r"architecture\.yml:17:20: schema-invalid: components\[1\]\.requirements\[0\]: "
                 r"expected a requirement id such as NFR-001, got 12"),
    Case("yaml-wrong-shape", architecture=ARCHITECTURE.replace("technology: [React]", "technology: {a: 1}"),
         message=r"architecture\.yml:8:17: schema-invalid: components\[0\]\.technology: expected a list, got a mapping"),
    Case("yaml-unknown-key", architecture=ARCHITECTURE.replace("purpose: The storefront.", "purpse: The storefront."),
         message=r"architecture\.yml:7:5: schema-invalid: components\[0\]: unknown key 'purpse'; did you mean 'purpose'\?"),
    Case("yaml-duplicate-key", architecture="product: A\nproduct: B\n" + ARCHITECTURE.replace("product: Shop\n", ""),
         message=r"architecture\.yml:2:1: yaml-invalid: duplicate key 'product' \(first written at line 1\)"),
    Case("yaml-duplicate-key-across-folder", architecture=None, plugin={"decisions": "arch"},
         setup=_folder({"10-a.yml": ARCHITECTURE, "20-b.yml": "components: []\n"}),
         message=r"arch/20-b\.yml:1:1: yaml-invalid: components: already defined in arch/10-a\.yml:\d+"),
    Case("yaml-huge-integer", architecture="version: " + "9" * 5000 + "\n" + ARCHITECTURE.replace('version: "1.0"\n', ""),
         message=r"architecture\.yml:1:10: yaml-invalid: a number of 5,000 digits is too long"),
    Case("yaml-huge-range", architecture=ARCHITECTURE.replace("[FR-1, FR-2]", "[FR-1..FR-" + "9" * 5000 + "]"),
         message=r"architecture\.yml:17:20: schema-invalid: components\[1\]\.requirements\[0\]: "
                 r"the numbers of a range have at most 18 digits"),
    Case("yaml-too-large", architecture="components: []\n# " + "x" * (9 * 2**20) + "\n",
         message=r"architecture\.yml: yaml-invalid: the file is 9,437,202 bytes; the limit is 8,388,608"),
    Case("yaml-folder-too-large", architecture=None, plugin={"decisions": "arch"},
         setup=_folder({"a.yml": "components: []\n#" + "x" * 5 * 2**20, "b.yml": "#" + "x" * 5 * 2**20}),
         message=r"arch: yaml-invalid: the folder's YAML files total 10,485,777 bytes; the limit is 8,388,608"),
    # Hostile YAML: bounded time and memory.
    Case("yaml-alias-bomb", architecture=ALIAS_BOMB, may_hang=True,
         message=r"architecture\.yml:\d+:\d+: yaml-invalid: aliases expand to more than 100,000 values"),
    Case("yaml-recursive-alias", architecture="a: &a\n  b: *a\ncomponents: []\n", may_hang=True,
         message=r"architecture\.yml:2:6: yaml-invalid: alias \*a refers to a node that contains it"),
    Case("yaml-deep-flow-nesting", architecture="components: " + "[" * 100_000 + "]" * 100_000 + "\n", may_hang=True,
         message=r"architecture\.yml:1:\d+: yaml-invalid: (?:exceeded maximum nesting depth|nesting deeper than 64)"),
    Case("yaml-deep-block-nesting", architecture=_deep_yaml_block(1000), may_hang=True,
         message=r"architecture\.yml:\d+:\d+: yaml-invalid: nesting deeper than 64 levels"),
    Case("yaml-many-ranges", prd=PRD, architecture=_many_ranges(2000), build=False, may_hang=True,
         message=r"architecture\.yml:2:\d+: unknown-requirement: component c0 names the range FR-0\.\.FR-99990, "
                 r"whose ids FR-0, FR-3, FR-4, FR-5, FR-6, … \(99989 in all\)"),
    Case("yaml-many-unknown-references", architecture=_many_unknown_references(2000), build=False, may_hang=True,
         message=r"architecture\.yml:2:\d+: unknown-reference: component c0 depends on 'zz0', which is not a component"),
    # Relations: cycles, unknown references, duplicates.
    Case("yaml-dependency-and-supersession-cycles", architecture=CYCLES, builds=True, exit_status=0,
         message=r"architecture\.yml:6:\d+: dependency-cycle: decisions supersede each other in a loop: ADR-1 → ADR-2 → ADR-1"),
    Case("yaml-long-supersession-chain", architecture=_long_chain(40), builds=True, exit_status=0, may_hang=True),
    Case("yaml-unknown-reference", architecture=ARCHITECTURE.replace("depends_on: [api]", "depends_on: [api, apii]"),
         message=r"architecture\.yml:10:23: unknown-reference: component web depends on 'apii', which is not a "
                 r"component; did you mean 'api'\?"),
    Case("yaml-duplicate-ids", architecture=ARCHITECTURE.replace("id: ADR-002", "id: ADR-001"),
         message=r"architecture\.yml:36:9: duplicate-id: decision id 'ADR-001' is already used at architecture\.yml:29"),
    # Ids that try to leave output_dir, or to collide.
    Case("ids-escaping-output-dir", architecture=_components(ESCAPING_IDS) + _decisions(ESCAPING_IDS),
         builds=True, exit_status=0),
    Case("output-dir-outside-the-site", plugin={"output_dir": "../outside"}, exit_status=2,
         message=r"option 'output_dir': must be a relative folder inside the site",
         check_message=r"^archplugin: error: \S*mkdocs\.yml: Aborted with a configuration error!"),
    Case("output-dir-windows-absolute", plugin={"output_dir": "C:\\site"}, exit_status=2,
         message=r"option 'output_dir': must be a relative folder inside the site",
         check_message=r"^archplugin: error: \S*mkdocs\.yml: Aborted with a configuration error!"),
    # Text that must never run: HTML, script links, attribute lists, template syntax.
    # The PRD page is the author's: MkDocs itself reports the script links written in it.
    Case("hostile-text-everywhere", prd=HOSTILE_PRD, architecture=HOSTILE_ARCHITECTURE, builds=True,
         exit_status=0, pages_safe=True, extra={"validation": {"links": {"unrecognized_links": "info"}}}),
    Case("script-links-in-prose", architecture=XSS_ARCHITECTURE, builds=True, exit_status=0, pages_safe=True),
    Case("pipes-and-newlines-in-cells", prd=PIPES_PRD, architecture=PIPES_ARCHITECTURE, builds=True, exit_status=0),
    Case("template-override-escapes-sandbox", plugin={"templates_dir": "overrides"}, exit_status=2,
         setup=_template("component.md.j2", "# {{ component.__class__.__mro__ }}\n"),
         message=r"component\.md\.j2: SecurityError: access to attribute '__class__'"),
    Case("template-override-syntax-error", plugin={"templates_dir": "overrides"}, exit_status=2,
         setup=_template("component.md.j2", "# {{ component.name }\n"),
         message=r"component\.md\.j2:1: TemplateSyntaxError: unexpected '}'"),
]


# -- running a case --------------------------------------------------------------------------


def _state(root: Path) -> dict[str, str]:
    """Every path under root but the site, with a digest of each file's bytes."""
    state = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative == "site" or relative.startswith("site/"):
            continue
        state[relative] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return state


def _write(path: Path, content: str | bytes | None) -> None:
    if content is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def _check(root: Path) -> tuple[int, str]:
    """`archplugin check` in this process (a process per case would triple the catalogue's time)."""
    out, err = io.StringIO(), io.StringIO()
    logger = logging.getLogger("mkdocs")
    level = logger.level
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["check", "-f", str(root / "mkdocs.yml")])
    finally:
        logger.setLevel(level)
    return status, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, cwd = tmp_path / "project", tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # a relative path written by mistake lands here, and is caught
    site = make_site(root, prd=PRD, architecture=ARCHITECTURE, plugin=case.plugin, extra=case.extra or None)
    _write(root / "docs" / "prd.md", case.prd)
    _write(root / "architecture.yml", case.architecture)
    if case.setup is not None:
        case.setup(root)
    before = _state(root)

    start = time.monotonic()
    built = build_site(site) if case.build else None
    status, output = _check(root)
    elapsed = time.monotonic() - start

    logged = [message for _, message in site.messages]
    assert not any("Traceback" in text for text in [output, *logged])
    assert all("\n" not in message for message in logged), "a message spans lines"
    if case.build:
        assert built is case.builds, site.warnings()
    assert status == case.exit_status, output
    for line in output.splitlines():
        if line.startswith(("ERROR", "WARN", "INFO")):
            assert CHECK_LINE.match(line), f"not a located line: {line}"
    if case.message:
        expected = case.check_message or case.message
        assert any(re.search(expected, line) for line in output.splitlines()), output
        if case.build:
            assert any(re.search(case.message, message) for message in logged), logged
    if case.may_hang:
        assert elapsed < HANG_GUARD, f"took {elapsed:.1f} s: it hangs"

    assert _state(root) == before, "the project's files changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd", "project"]
    assert list(cwd.iterdir()) == [], "something was written to the working directory"
    if built:
        _assert_pages_stay_inside_the_output_dir(site.site_dir)
    if case.pages_safe:
        _assert_nothing_runs(site.site_dir)


def _assert_pages_stay_inside_the_output_dir(site_dir: Path) -> None:
    expected_top = {"index.html", "prd", "architecture", "404.html", "sitemap.xml", "sitemap.xml.gz"}
    for path in site_dir.iterdir():
        if path.name not in expected_top:
            assert path.name in {"css", "js", "fonts", "img", "search", "assets", "webfonts"}, path


_SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|data):")


def _assert_nothing_runs(site_dir: Path) -> None:
    """No script, event handler or script link from the inputs on a generated page."""
    for page in (site_dir / "architecture").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            assert not (element.name == "script" and "alert" in element.get_text()), page
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), f"{page}: {element}"
                if name in ("href", "src", "action", "formaction"):
                    url = re.sub(r"[\x00-\x20]", "", str(value)).lower()
                    assert not _SCRIPT_SCHEME.match(url), f"{page}: {element}"
        assert "24690" not in soup.get_text(), f"{page}: template syntax from an input was evaluated"
    prd = BeautifulSoup((site_dir / "prd" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for note in prd.find_all("small"):  # what the plugin adds to the PRD page
        for element in [note, *note.find_all(True)]:
            assert not any(name.lower().startswith("on") for name in element.attrs), note


@pytest.mark.slow
@pytest.mark.parametrize("name", ["prd-undecodable", "yaml-alias-bomb"])
def test_bad_input_in_real_processes(name: str, tmp_path: Path) -> None:
    """The command lines CI runs: one located line on stderr or stdout, no traceback."""
    case = next(case for case in CASES if case.name == name)
    site = make_site(tmp_path, prd=PRD, architecture=ARCHITECTURE, plugin=case.plugin)
    _write(site.docs / "prd.md", case.prd)
    _write(tmp_path / "architecture.yml", case.architecture)
    if case.setup is not None:
        case.setup(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    for command, status in ((["mkdocs", "build", "--strict"], 1), (["mkdocs_archplugin", "check"], case.exit_status)):
        result = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, capture_output=True, text=True, env=env)
        output = result.stdout + result.stderr
        assert result.returncode == status, output
        assert "Traceback" not in output
        assert any(re.search(case.message, line) for line in output.splitlines()), output


# -- what particular cases produce, beyond the common assertions -----------------------------


def _built(tmp_path: Path, name: str) -> Path:
    case = next(case for case in CASES if case.name == name)
    site = make_site(tmp_path, prd=PRD, architecture=ARCHITECTURE, plugin=case.plugin, extra=case.extra or None)
    _write(site.docs / "prd.md", case.prd)
    _write(tmp_path / "architecture.yml", case.architecture)
    assert build_site(site), site.warnings()
    return site.site_dir


def test_escaping_ids_get_distinct_pages_inside_output_dir(tmp_path: Path) -> None:
    site_dir = _built(tmp_path, "ids-escaping-output-dir")
    for kind in ("components", "decisions"):
        pages = [p for p in (site_dir / "architecture" / kind).iterdir() if (p / "index.html").is_file()]
        assert len(pages) == len(set(ESCAPING_IDS)), kind
        assert all(re.fullmatch(r"[a-z0-9-]{1,70}", p.name) for p in pages), [p.name for p in pages]


def test_requirement_anchors_stay_unique_when_ids_slug_alike(tmp_path: Path) -> None:
    site_dir = _built(tmp_path, "prd-ids-alike-after-slugging")
    prd = (site_dir / "prd" / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'id="(req-[^"]+)"', prd)
    assert len(anchors) == 5 and len(set(anchors)) == 5, anchors
    component = (site_dir / "architecture" / "components" / "a" / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'href="\.\./\.\./\.\./prd/#(req-[^"]+)"', component)
    assert sorted(linked) == sorted(a for a in anchors if a != "req-nfr-1")


def test_template_syntax_in_inputs_is_shown_as_written(tmp_path: Path) -> None:
    site_dir = _built(tmp_path, "hostile-text-everywhere")
    for page in ("architecture/index.html", "architecture/traceability/index.html",
                 "architecture/decisions/adr-1/index.html"):
        text = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser").get_text()
        assert "{{ 12345*2 }}" in text and "{% if 1 %}J{% endif %}" in text, page
        assert "<script>alert(1)</script>" in text, page  # shown as text


def test_table_cells_keep_their_table(tmp_path: Path) -> None:
    site_dir = _built(tmp_path, "pipes-and-newlines-in-cells")
    tables = 0
    for page in (site_dir / "architecture").rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("div[role=main] table"):
            header = len(table.select("thead th"))
            rows = table.select("tbody tr")
            assert all(len(row.find_all(["td", "th"])) == header for row in rows), f"{page}: {table}"
            tables += 1
    assert tables >= 5


def test_long_supersession_chain_is_shown_around_each_decision(tmp_path: Path) -> None:
    site_dir = _built(tmp_path, "yaml-long-supersession-chain")
    page = (site_dir / "architecture" / "decisions" / "d20" / "index.html").read_text(encoding="utf-8")
    chain = next(p for p in BeautifulSoup(page, "html.parser").find_all("p") if "Supersession chain" in p.get_text())
    assert [a.get_text() for a in chain.find_all("a")] == [f"D{i}" for i in range(15, 26)]
    assert chain.get_text().count("…") == 2


def _hostile_architecture(n: int) -> str:
    """n components and n decisions naming what does not exist, and one supersession chain."""
    lines = ["components:"]
    lines += [f"  - {{id: c{i}, name: C, depends_on: [zz{i}], requirements: [XR-{i}, FR-{i}..FR-{i + 90_000}]}}"
              for i in range(n)]
    lines += ["decisions:"]
    lines += [f"  - {{id: D{i}, title: T, supersedes: [D{i - 1}], components: [yy{i}], requirements: [NFR-1]}}"
              for i in range(n)]
    lines += ["security: {text: x, requirements: [" + ", ".join(f"QQ-{i}" for i in range(n)) + "]}"]
    return "\n".join(lines) + "\n"


def test_hostile_architecture_costs_linear_time(tmp_path: Path) -> None:
    """Eight times the input, about eight times the work (a quadratic part would take 64)."""
    from mkdocs_archplugin.cli import _load_site
    from mkdocs_archplugin.project import ArchProject

    timings = {}
    for n in (20, 100, 800):  # the first only warms up: templates compiled, modules loaded
        root = tmp_path / str(n)
        make_site(root, architecture=_hostile_architecture(n))
        timings[n] = ArchProject().build(_load_site(str(root / "mkdocs.yml"))).timings
    for phase in ("analyse", "render"):  # where quadratic work hid; loading is linear PyYAML
        assert timings[800][phase] < 20 * max(timings[100][phase], 0.01), (phase, timings[100], timings[800])


@pytest.mark.slow
def test_prd_of_one_million_lines_is_refused_in_bounded_time(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    with (site.docs / "prd.md").open("w", encoding="utf-8") as prd:
        prd.write("# PRD\n\n## Functional requirements\n\n")
        prd.writelines(f"- FR-{n}: Thing {n}.\n" for n in range(1_000_000))
    start = time.monotonic()
    assert not build_site(site)
    status, output = _check(tmp_path)
    elapsed = time.monotonic() - start
    assert status == 1 and "docs/prd.md: prd-invalid: the PRD has more than 200,000 lines" in output
    assert any("prd-invalid: prd.md: the PRD has more than 200,000 lines" in w for w in site.warnings())
    assert elapsed < HANG_GUARD, f"took {elapsed:.1f} s: it hangs"
