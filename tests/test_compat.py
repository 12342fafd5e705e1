"""The compatibility matrix (docs/compatibility.md): each cell is a real `--strict` build with the plugin.

Cells whose packages sit in the test extras build in-process with the MkDocs API. A cell
that needs other versions than the test environment (techdocs-core pins its own Material
and Markdown) or another Python builds in a venv of its own, made once per requirement set
under the test cache and reused (those are marked slow). ProperDocs runs as its own command
because it redirects every `mkdocs` import in the process that starts it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import cell_venv
from sites import ARCHITECTURE, PRD, Site, build_site, make_site

ROOT = Path(__file__).resolve().parent.parent
LOWEST_PYTHON = "3.10"  # requires-python in pyproject.toml
# The newest CPython on this machine kind (pyenv); 3.14 cannot be installed without internet.
HIGHEST_PYTHON = "3.13"

GENERATED = [
    "architecture/index.html", "architecture/traceability/index.html", "architecture/todo/index.html",
    "architecture/components/web/index.html", "architecture/components/api/index.html",
    "architecture/decisions/adr-001/index.html", "architecture/decisions/adr-002/index.html",
]
MERMAID_FORMAT = "!!python/name:pymdownx.superfences.fence_code_format"


def assert_architecture_built(site_dir: Path) -> None:
    """Every generated page is there and the PRD page carries its backlinks."""
    missing = [page for page in GENERATED if not (site_dir / page).is_file()]
    assert not missing, missing
    prd = BeautifulSoup((site_dir / "prd/index.html").read_text(encoding="utf-8"), "html.parser")
    assert prd.find(id="req-fr-1") is not None and "Traced to:" in prd.get_text()


def with_plugins(site: Site, plugins: list, **config) -> Site:
    """Replace the site's plugin list (and set more top-level keys) in its mkdocs.yml."""
    path = site.root / "mkdocs.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["plugins"] = plugins
    data.update(config)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return site


def with_mermaid_fence(site: Site) -> Site:
    """Material's documented Mermaid setup: a superfences custom fence (a Python tag YAML can't dump)."""
    path = site.root / "mkdocs.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    extensions = [e for e in data["markdown_extensions"] if e != "pymdownx.superfences"]
    extensions.append({"pymdownx.superfences": {"custom_fences": [
        {"name": "mermaid", "class": "mermaid", "format": "MERMAID_FORMAT"}]}})
    data["markdown_extensions"] = extensions
    text = yaml.safe_dump(data, sort_keys=False).replace("MERMAID_FORMAT", MERMAID_FORMAT)
    path.write_text(text, encoding="utf-8")
    return site


def nav_links(html: str) -> list[str]:
    """The page links of the `mkdocs` theme's navigation bar, in order."""
    soup = BeautifulSoup(html, "html.parser")
    return [str(a["href"]) for a in soup.select("ul.navbar-nav a[href]") if a["href"] != "#"]


# ---- themes --------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_plain_theme_builds_with_diagrams_as_code(tmp_path: Path, theme: str) -> None:
    site = make_site(tmp_path, extra={"theme": {"name": theme}})
    assert build_site(site), site.warnings()
    assert_architecture_built(site.site_dir)
    sad = BeautifulSoup(site.html("architecture/index.html"), "html.parser")
    assert any("graph" in code.get_text() for code in sad.select("pre code")), "the component graph is not readable code"


def test_material_with_instant_navigation_search_and_tags(tmp_path: Path) -> None:
    prd = "---\ntags: [requirements]\n---\n\n" + PRD
    site = make_site(tmp_path, prd=prd, pages={"tags.md": "# Tags\n\n<!-- material/tags -->\n"}, extra={
        "site_url": "https://example.org/docs/",
        "theme": {"name": "material", "features": ["navigation.instant", "navigation.instant.progress"]},
    })
    with_mermaid_fence(with_plugins(site, ["search", "tags", {"archplugin": {}}]))
    assert build_site(site), site.warnings()
    assert_architecture_built(site.site_dir)
    sad = BeautifulSoup(site.html("architecture/index.html"), "html.parser")
    assert len(sad.select("pre.mermaid")) == 2  # the component graph and the ER diagram
    tags = BeautifulSoup(site.html("tags/index.html"), "html.parser")
    assert any(str(a["href"]).endswith("prd/") for a in tags.select("article a[href]"))
    index = json.loads((site.site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(doc["location"].startswith("architecture/decisions/adr-001/") and "NFR-1" in doc["text"]
               for doc in index["docs"])


# ---- neighbour plugins ---------------------------------------------------------------


def test_gen_files_pages_link_to_generated_architecture(tmp_path: Path) -> None:
    script = (
        "import mkdocs_gen_files\n\n"
        "with mkdocs_gen_files.open('overview.md', 'w') as page:\n"
        "    page.write('# Overview\\n\\nSee the [architecture](architecture/index.md) and the\\n'\n"
        "               '[API component](architecture/components/api.md#responsibilities).\\n')\n"
    )
    site = make_site(tmp_path, pages={"../gen_pages.py": script})
    with_plugins(site, ["search", {"gen-files": {"scripts": ["gen_pages.py"]}}, {"archplugin": {}}])
    assert build_site(site), site.warnings()
    assert_architecture_built(site.site_dir)
    assert 'href="../architecture/components/api/' in site.html("overview/index.html")


def test_literate_nav_summary_takes_the_generated_folder(tmp_path: Path) -> None:
    summary = "* [Home](index.md)\n* [PRD](prd.md)\n* [Architecture](architecture/)\n"
    site = make_site(tmp_path, pages={"SUMMARY.md": summary})
    # literate-nav reads SUMMARY.md; excluded, MkDocs does not also render it as a page
    # (whose `architecture/` folder link its link validation would not recognise).
    with_plugins(site, ["search", {"archplugin": {}}, "literate-nav"], exclude_docs="SUMMARY.md\n")
    assert build_site(site), site.warnings()
    assert_architecture_built(site.site_dir)
    links = nav_links(site.html("index.html"))
    for page in GENERATED:
        assert page.removesuffix("index.html") in links, page


def test_literate_nav_summary_without_architecture_gets_the_section(tmp_path: Path) -> None:
    site = make_site(tmp_path, pages={"SUMMARY.md": "* [Home](index.md)\n* [PRD](prd.md)\n"})
    with_plugins(site, ["search", {"archplugin": {}}, "literate-nav"], exclude_docs="SUMMARY.md\n")
    assert build_site(site), site.warnings()
    assert "architecture/" in nav_links(site.html("index.html"))


def test_awesome_pages_orders_the_nav_and_keeps_the_section_title(tmp_path: Path) -> None:
    site = make_site(tmp_path, pages={".pages": "nav:\n  - prd.md\n  - ...\n  - index.md\n"})
    # awesome-pages rebuilds the nav in on_nav; listed before the plugin, the plugin titles it after.
    with_plugins(site, ["search", "awesome-pages", {"archplugin": {"nav_section": "System design"}}])
    assert build_site(site), site.warnings()
    assert_architecture_built(site.site_dir)
    html = site.html("index.html")
    assert "System design" in html
    links = nav_links(html)
    assert links[0] == "prd/" and links.index("architecture/") < links.index("."), links  # the .pages order


@pytest.mark.xfail(strict=True, raises=TypeError, reason=(
    "mkdocs-static-i18n 1.3.1 assumes every File has abs_src_path; MkDocs 1.6's "
    "File.generated(content=...) has none (upstream ultrabug/mkdocs-static-i18n#263)"))
def test_static_i18n_two_languages(tmp_path: Path) -> None:
    site = make_site(tmp_path, pages={"index.fr.md": "# Accueil\n"}, extra={"theme": {"name": "material"}})
    with_plugins(site, ["search", {"i18n": {"docs_structure": "suffix", "languages": [
        {"locale": "en", "default": True, "name": "English", "build": True},
        {"locale": "fr", "name": "Français", "build": True},
    ]}}, {"archplugin": {}}])
    assert build_site(site), site.warnings()
    assert_architecture_built(site.site_dir)
    assert (site.site_dir / "fr/architecture/index.html").is_file()


def test_macros_site_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path, pages={"index.md": "# {{ config.site_name }}\n"})
    with_plugins(site, ["search", "macros", {"archplugin": {}}])
    assert build_site(site), site.warnings()
    assert_architecture_built(site.site_dir)
    assert "Test site</h1>" in site.html("index.html")  # macros did render the user's page


@pytest.mark.parametrize("text", ["Theme {{ 7*7 }} colours", "Colour {#fff} by default", "Handlebars {{name} views"])
def test_macros_leave_jinja_looking_input_text_alone(tmp_path: Path, text: str) -> None:
    site = make_site(tmp_path, architecture=ARCHITECTURE.replace("purpose: The storefront.", f"purpose: '{text}'"))
    with_plugins(site, ["search", "macros", {"archplugin": {}}])
    assert build_site(site), site.warnings()
    shown = BeautifulSoup(site.html("architecture/components/web/index.html"), "html.parser").get_text()
    assert text in shown.replace("\u200b", "")  # a zero-width space keeps `{{` from being a tag


# ---- MkDocs forks and pinned distributions, each in a process of its own --------------


def test_properdocs_builds_the_site(tmp_path: Path) -> None:
    properdocs = Path(sys.executable).with_name("properdocs")
    if not properdocs.is_file():
        pytest.skip("properdocs is not installed (it is in the test extras)")
    site = make_site(tmp_path, extra={"theme": {"name": "material"}})
    (site.root / "mkdocs.yml").rename(site.root / "properdocs.yml")
    result = subprocess.run([str(properdocs), "build", "--strict"], cwd=site.root, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert_architecture_built(site.site_dir)
    assert 'content="mkdocs-ProperDocs' in site.html("index.html")  # built by ProperDocs, not MkDocs


@pytest.mark.slow
def test_techdocs_core_builds_the_site(tmp_path: Path, test_cache: Path) -> None:
    venv = cell_venv(test_cache, "techdocs-core", sys.executable, ["mkdocs-techdocs-core"])
    site = make_site(tmp_path)
    with_plugins(site, ["techdocs-core", {"archplugin": {}}])
    build_in(venv, site)
    assert_architecture_built(site.site_dir)
    assert "material" in site.html("index.html")  # techdocs-core switched the theme to Material
    # techdocs-core configures no Mermaid fence: the diagrams stay readable code
    assert "graph TD" in BeautifulSoup(site.html("architecture/index.html"), "html.parser").get_text()


@pytest.mark.slow
@pytest.mark.parametrize("version", [LOWEST_PYTHON, HIGHEST_PYTHON])
def test_python_version_builds_the_site(tmp_path: Path, test_cache: Path, version: str) -> None:
    python = find_python(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine")
    venv = cell_venv(test_cache, f"python{version}", python, ["mkdocs-material"])
    site = with_mermaid_fence(make_site(tmp_path, extra={"theme": {"name": "material"}}))
    build_in(venv, site)
    assert_architecture_built(site.site_dir)
    result = subprocess.run([str(venv / "bin" / "archplugin"), "check"], cwd=site.root, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def find_python(version: str) -> str | None:
    """An interpreter that really is Python `version` (pyenv shims answer for versions they lack)."""
    candidates = [shutil.which(f"python{version}"), f"/usr/bin/python{version}"]
    candidates += sorted(str(p) for p in (Path.home() / ".pyenv/versions").glob(f"{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        try:
            found = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                   capture_output=True, text=True, timeout=30, check=False).stdout.strip()
        except OSError:
            continue
        if found == version:
            return candidate
    return None


def build_in(venv: Path, site: Site) -> None:
    """`mkdocs build --strict` with the venv's MkDocs; the failure names the cell's package versions."""
    result = subprocess.run([str(venv / "bin" / "mkdocs"), "build", "--strict"], cwd=site.root,
                            capture_output=True, text=True, timeout=300, check=False)
    versions = " ".join(line for line in (venv / "ready").read_text().splitlines()
                        if re.match(r"(mkdocs|properdocs|pymdown|markdown=|Markdown=)", line, re.IGNORECASE))
    assert result.returncode == 0, f"{versions}\n{result.stderr}"
