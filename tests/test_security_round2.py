"""Security round 2: each class of the adversarial catalogue, through real builds and the CLI.

Template code through another plugin, script from titles and link schemes, hangs and memory
through special files and links, CI command injection, and page titles in themes' attributes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from mkdocs_archplugin.render.text import link_title, page_title, safe_url, template_inert

from sites import ARCHITECTURE, PRD, build_site, make_site

ARCHPLUGIN = [sys.executable, "-m", "mkdocs_archplugin"]


def _script_attributes(html: str) -> list[str]:
    """Every element attribute that could run script: on* handlers and javascript: links."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            compact = "".join(text.split()).lower()
            if name.lower().startswith("on") or compact.startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"<{element.name} {name}={text!r}>")
    return found


# -- 1. template code through another plugin -------------------------------------------------


@pytest.mark.parametrize("order", ["macros-after", "macros-before"])
def test_a_marker_block_is_inert_for_mkdocs_macros_in_either_order(tmp_path: Path, order: str) -> None:
    witness = tmp_path / "PWNED"
    payload = "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('touch " + str(witness) + "').read() }}"
    arch = ARCHITECTURE.replace("purpose: The storefront.", f"purpose: \"{payload} and {{{{ 12345*3 }}}}\"")
    prd = PRD.replace("Customers sign in", "Customers &#123;&#123; 12345*3 &#125;&#125; sign in", 1)  # a tooltip
    plugins = ["search", {"archplugin": {}}, "macros"] if order == "macros-after" else ["search", "macros", {"archplugin": {}}]
    site = make_site(tmp_path, prd=prd, architecture=arch,
                     pages={"index.md": "# Home\n\n<!-- archplugin:component web -->\n\n<!-- archplugin:traceability -->\n"},
                     extra={"plugins": plugins})
    build_site(site, strict=False)
    assert not witness.exists()
    text = BeautifulSoup(site.html("index.html"), "html.parser").get_text()
    assert "37035" not in text  # 12345*3, had a template engine evaluated it
    assert "12345*3" in text.replace("\u200b", "")  # shown as written


def test_template_inert_leaves_no_tag_opening() -> None:
    for text in ("{{ x }}", "{% for %}", "{# c #}", "{{{{", "a{b}c"):
        inert = template_inert(text)
        assert "{{" not in inert and "{%" not in inert and "{#" not in inert
        assert inert.replace("\u200b", "") == text


# -- 2. script on load from a title ----------------------------------------------------------


def test_a_hostile_requirement_title_stays_text_in_link_titles(tmp_path: Path) -> None:
    hostile = "x' y') &lt;img src=x onerror=alert(1)&gt; \" onmouseover=\"alert(2)"
    site = make_site(tmp_path, prd=PRD.replace("Users sign up", hostile, 1))
    assert build_site(site, strict=False)
    for page in ("architecture/index.html", "architecture/traceability/index.html",
                 "architecture/components/web/index.html"):
        assert _script_attributes(site.html(page)) == [], page
    assert not set(link_title(hostile)) & set("\"'()<>[]\\|`&")


# -- 3. script on click: schemes broken by line breaks ---------------------------------------


@pytest.mark.parametrize("url", ["java\nscript:alert(1)", "java\rscript:alert(1)", "java\tscript:alert(1)",
                                 " javascript:alert(1)", "\x01javascript:alert(1)"])
def test_a_scheme_split_by_whitespace_is_no_safe_link(url: str) -> None:
    assert not safe_url(url)


def test_hostile_links_in_prose_and_references_do_not_link_script(tmp_path: Path) -> None:
    arch = ARCHITECTURE + (
        "references:\n  - title: Evil\n    url: \"java\\nscript:alert(1)\"\n"
        "future: \"[click](java\\nscript:alert(1)) and [tab](java\\tscript:alert(2))\"\n"
    )
    site = make_site(tmp_path, architecture=arch)
    build_site(site, strict=False)
    assert _script_attributes(site.html("architecture/index.html")) == []


# -- 5, 6, 10. special files, links out of the folder, sizes -------------------------------------


def _check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*ARCHPLUGIN, "check"], cwd=root, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_special_files_and_outside_links_are_one_line_errors_never_hangs(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=None, plugin={"decisions": "arch"})
    arch = site.root / "arch"
    (arch / "deeper").mkdir(parents=True)
    (arch / "a.yml").write_text("components: []\n", encoding="utf-8")
    os.mkfifo(arch / "b.yml")
    os.mkfifo(arch / "deeper" / "never-read.yml")  # a sub-folder the loader does not read
    (arch / "c.yml").symlink_to("/etc/passwd")
    (arch / "d.yml").symlink_to("/dev/zero")
    result = _check(site.root)
    lines = result.stdout.splitlines()
    assert any("arch/b.yml: yaml-invalid: the file is not a regular file" in line for line in lines), lines
    assert any("arch/c.yml: yaml-invalid: the file is a link to a file outside its folder" in line for line in lines)
    assert any("arch/d.yml: yaml-invalid: the file is a link to a file outside its folder" in line for line in lines)
    assert "root:" not in result.stdout and "Traceback" not in result.stderr
    assert build_site(site, strict=False)  # the build finishes too, with the same problems
    assert "root:" not in site.html("architecture/index.html")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "sparse"])
def test_a_prd_that_is_no_regular_bounded_file_is_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    site = make_site(tmp_path)
    prd = site.docs / "prd.md"
    prd.unlink()
    if kind == "fifo":
        os.mkfifo(prd)
    elif kind == "dev-zero":
        prd.symlink_to("/dev/zero")
    else:
        with prd.open("wb") as sparse:
            sparse.truncate(3 * 2**30)
    result = _check(site.root)
    assert result.returncode == 1
    assert result.stdout.startswith("ERROR docs/prd.md: prd-invalid: the PRD ")
    assert len(result.stdout.strip().splitlines()) == 1 and "Traceback" not in result.stderr


# -- 8. CI command injection --------------------------------------------------------------------


def test_github_annotations_escape_properties_and_messages(tmp_path: Path) -> None:
    site = make_site(tmp_path, architecture=None, plugin={"decisions": "arch"})
    (site.root / "arch").mkdir()
    name = "x\n::stop-commands::token,a:b.yml"
    (site.root / "arch" / name).write_text("components: [\n", encoding="utf-8")
    result = subprocess.run([*ARCHPLUGIN, "check", "--format", "github"], cwd=site.root, capture_output=True,
                            text=True, timeout=60)
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert commands and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in commands), commands
    annotation = next(line for line in commands if "stop-commands" in line)
    properties = annotation.split("::", 2)[1]
    assert "%0A%3A%3Astop-commands%3A%3Atoken%2Ca%3Ab.yml" in properties


# -- 20.1 page titles in themes' attributes ----------------------------------------------------


@pytest.mark.parametrize("theme", ["readthedocs", "mkdocs"])
def test_hostile_decision_ids_are_safe_page_titles_in_every_theme(tmp_path: Path, theme: str) -> None:
    hostile = 'X" onclick="alert(document.domain)" x="'
    arch = ARCHITECTURE.replace("decisions:\n", (
        "decisions:\n"
        f"  - id: '{hostile}'\n    title: \"<img src=x onerror=alert(1)> title\"\n    status: accepted\n"), 1)
    site = make_site(tmp_path, architecture=arch, extra={"theme": {"name": theme}})
    build_site(site, strict=False)
    pages = list((site.site_dir / "architecture" / "decisions").rglob("index.html"))
    assert len(pages) == 3  # the hostile decision has its page, between neighbours
    assert any("alert(document.domain)" in page.read_text(encoding="utf-8") for page in pages)
    for html_file in (site.site_dir / "architecture").rglob("*.html"):
        assert _script_attributes(html_file.read_text(encoding="utf-8")) == [], html_file
    assert page_title(hostile) == "X” onclick=”alert(document.domain)” x=”"


def test_nav_section_true_is_the_default_title(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"nav_section": True})
    assert build_site(site)
    nav = BeautifulSoup(site.html("index.html"), "html.parser").get_text()
    assert "Architecture" in nav and "True" not in nav


# -- 9. the CLI: exports go to files, never over an input ----------------------------------------


@pytest.mark.parametrize(("target", "message"), [
    (".", "is a folder"), ("nowhere/x.json", "does not exist"), ("/dev/full", "cannot write the export"),
    ("architecture.yml", "is an input of the site"), ("docs/prd.md", "is an input of the site"),
])
def test_export_refuses_bad_targets_in_one_line(tmp_path: Path, target: str, message: str) -> None:
    if target == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    site = make_site(tmp_path)
    before = {p: p.read_bytes() for p in (site.root / "architecture.yml", site.docs / "prd.md")}
    result = subprocess.run([*ARCHPLUGIN, "export", "--json", target], cwd=site.root, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in before} == before


# -- 10. output_dir is a relative folder, spelled one way ------------------------------------------


@pytest.mark.parametrize("output_dir", ["/tmp/x", ".", "a//b", "a/./b", "../x", "C:\\x"])
def test_output_dir_must_be_a_plain_relative_folder(tmp_path: Path, output_dir: str) -> None:
    site = make_site(tmp_path, plugin={"output_dir": output_dir})
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=site.root, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "must be a relative folder inside the site" in result.stderr


# -- 6. aliases are budgeted in bytes, not only in values ----------------------------------------


def test_aliases_of_one_large_string_are_refused_by_bytes(tmp_path: Path) -> None:
    from mkdocs_archplugin.architecture import load_architecture

    big = "x" * 100_000
    text = f"x-big: &big '{big}'\ncomponents: []\nauthors: [" + ", ".join(["*big"] * 300) + "]\n"
    (tmp_path / "architecture.yml").write_text(text, encoding="utf-8")
    arch, diagnostics = load_architecture(tmp_path / "architecture.yml")
    assert arch is None
    assert [d.message.split(" (at")[0] for d in diagnostics] == [
        "aliases expand to more than 8,388,608 bytes of text"]


# -- 4. script without superfences -------------------------------------------------------------


@pytest.mark.parametrize("extensions", [["admonition", "pymdownx.details"], ["admonition"], []],
                         ids=["details-no-superfences", "admonition-only", "mkdocs-defaults"])
def test_examples_with_blank_lines_stay_code_without_superfences(tmp_path: Path, extensions: list[str]) -> None:
    arch = ARCHITECTURE.replace(
        "{method: POST, path: /sessions, purpose: Sign in, auth: none, component: api, requirements: [FR-1]}",
        "{method: POST, path: /sessions, purpose: Sign in, auth: none, component: api, requirements: [FR-1],"
        " request: {example: \"a\\n\\n<img src=x onerror=alert(1)>\\n\\n```\\n\\n<img src=y onerror=alert(2)>\"}}")
    site = make_site(tmp_path, architecture=arch, extra={"markdown_extensions": extensions, "validation": {}})
    build_site(site, strict=False)
    html = site.html("architecture/index.html")
    assert "onerror=alert(1)" in html.replace("&lt;", "<")  # the example is shown …
    assert _script_attributes(html) == []                    # … as text


# -- 10. the smaller breaks ----------------------------------------------------------------------


def test_an_override_template_that_overflows_is_a_one_line_error(tmp_path: Path) -> None:
    templates = tmp_path / "overrides"
    templates.mkdir()
    (templates / "todo.md.j2").write_text("{% for i in range(10**9) %}{{ i }}{% endfor %}\n", encoding="utf-8")
    site = make_site(tmp_path / "site", plugin={"templates_dir": str(templates)})
    assert not build_site(site)
    assert any("todo.md.j2" in w and "OverflowError" in w for w in site.warnings()), site.warnings()


def test_todo_lines_show_decision_titles_as_text(tmp_path: Path) -> None:
    arch = ARCHITECTURE.replace("title: Argon2id for passwords\n    status: accepted",
                                "title: \"![x](https://tracker.example/p.png) **bold**\"\n    status: proposed")
    site = make_site(tmp_path, architecture=arch)
    build_site(site, strict=False)
    html = site.html("architecture/todo/index.html")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find("img", src=lambda s: s and "tracker" in s)
    assert "![x](https://tracker.example/p.png)" in soup.get_text()


def test_sets_in_examples_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    arch = ARCHITECTURE.replace(
        "{method: POST, path: /sessions, purpose: Sign in, auth: none, component: api, requirements: [FR-1]}",
        "{method: POST, path: /sessions, purpose: Sign in, auth: none, component: api, requirements: [FR-1],"
        " request: {example: !!set {alpha, beta, gamma, delta, epsilon}}}")
    outputs = set()
    for seed in ("1", "2", "3"):
        site = make_site(tmp_path / seed, architecture=arch)
        subprocess.run([sys.executable, "-m", "mkdocs_archplugin", "export", "--json", "out.json"], cwd=site.root,
                       env={**os.environ, "PYTHONHASHSEED": seed}, check=True, capture_output=True, timeout=60)
        outputs.add((site.root / "out.json").read_text(encoding="utf-8"))
    assert len(outputs) == 1


def test_backlinks_leave_a_setext_heading_whole(tmp_path: Path) -> None:
    prd = "# PRD\n\n## Functional requirements\n\nFR-1: Sign in\n-------------\n\nCustomers sign in.\n"
    site = make_site(tmp_path, prd=prd)
    build_site(site, strict=False)
    soup = BeautifulSoup(site.html("prd/index.html"), "html.parser")
    assert [h.get_text(strip=True).rstrip("¶") for h in soup.find_all("h2")][-1] == "FR-1: Sign in"
    assert soup.find(id="req-fr-1") is not None


def test_more_dependencies_than_mermaid_draws_give_a_note_not_a_broken_diagram(tmp_path: Path) -> None:
    components = "components:\n" + "".join(
        f"  - id: c{n}\n    name: C{n}\n    depends_on: [{', '.join(f'c{m}' for m in range(n))}]\n"
        for n in range(34))  # 561 edges
    site = make_site(tmp_path, architecture=components)
    build_site(site, strict=False)
    html = site.html("architecture/index.html")
    assert "more dependencies than one diagram can draw" in html


def test_a_long_serve_forgets_pages_it_no_longer_writes(tmp_path: Path) -> None:
    """The plugin instance lives across `serve` rebuilds: renamed components must not pile up."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = make_site(tmp_path)
    config = load_config(str(site.root / "mkdocs.yml"))
    plugin = config.plugins["archplugin"]
    for n in range(3):
        arch = ARCHITECTURE.replace("id: web", f"id: web-{n}")
        (site.root / "architecture.yml").write_text(arch, encoding="utf-8")
        build(config)
    written = [path for path in plugin._written if "/components/web" in path]
    assert written == ["architecture/components/web-2.md"]


# -- the escaping helpers, fuzzed against a real Markdown renderer and HTML parser ---------------

from html.parser import HTMLParser  # noqa: E402

import markdown as python_markdown  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mkdocs_archplugin.render.text import plain, prose  # noqa: E402

HOSTILE_TEXT = st.lists(st.sampled_from(list("<>\"'&()[]{}!*_`\\|#=/:; \n\tajvscriptonerrolimg") + [
    "javascript:", "<img src=x onerror=alert(1)>", "{{", "{%", "&#123;", "\u2028", "](java\nscript:x)", "{: onclick=x}"]),
    max_size=30).map("".join)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def _parsed(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _render(text: str) -> str:
    return python_markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "fenced_code"])


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_plain_text_yields_no_element(text: str) -> None:
    assert {tag for tag, _ in _parsed(_render("x " + plain(text)))} <= {"p"}


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_link_titles_yield_one_link_with_href_and_title_only(text: str) -> None:
    elements = _parsed(_render(f'[x](page.md "{link_title(text)}")'))
    assert [tag for tag, _ in elements] == ["p", "a"]
    assert sorted(name for name, _ in elements[1][1]) == ["href", "title"]


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_page_titles_are_one_attribute_value_in_a_theme_template(text: str) -> None:
    elements = _parsed(f'<a href="x" title="{page_title(text)}">{page_title(text)}</a>')
    assert elements == [("a", [("href", "x"), ("title", elements[0][1][1][1])])]


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_prose_yields_no_handler_and_no_script_link(text: str) -> None:
    for _, attributes in _parsed(_render(prose(text))):
        for name, value in attributes:
            assert not name.lower().startswith("on")
            compact = "".join((value or "").split()).lower()
            assert not compact.startswith(("javascript:", "vbscript:", "data:")), value


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_template_inert_text_has_no_template_tag(text: str) -> None:
    inert = template_inert(text)
    assert "{{" not in inert and "{%" not in inert and "{#" not in inert
