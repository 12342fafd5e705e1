"""`mermaid_js`: Mermaid from a local file or a configured URL instead of Material's CDN.

The browser test (tests/test_browser.py) shows the diagrams render with every request off
loopback blocked; these build tests pin what the option changes in the site, and that
without it nothing changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from sites import build_site, make_site

MATERIAL = {"theme": {"name": "material"}}
SCRIPT = "/* a stand-in for mermaid.min.js */ window.mermaid = {};\n"


def _scripts(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_without_the_option_the_page_scripts_are_unchanged(tmp_path: Path) -> None:
    with_plugin = make_site(tmp_path / "a", extra=MATERIAL)
    assert build_site(with_plugin), with_plugin.warnings()
    assert not any("mermaid" in src for src in _scripts(with_plugin.html("index.html")))
    assert load_config(str(with_plugin.root / "mkdocs.yml")).extra_javascript == []


def test_a_file_outside_docs_dir_is_copied_into_the_site_and_loaded(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor" / "mermaid.min.js"
    vendor.parent.mkdir(parents=True)
    vendor.write_text(SCRIPT, encoding="utf-8")
    site = make_site(tmp_path, plugin={"mermaid_js": "vendor/mermaid.min.js"}, extra=MATERIAL)
    assert build_site(site), site.warnings()
    assert (site.site_dir / "assets" / "archplugin" / "mermaid.min.js").read_text(encoding="utf-8") == SCRIPT
    assert "assets/archplugin/mermaid.min.js" in _scripts(site.html("index.html"))
    # Relative from a page one level down, after Material's bundle.
    scripts = _scripts(site.html("architecture/index.html"))
    assert scripts.index("../assets/archplugin/mermaid.min.js") > next(
        i for i, src in enumerate(scripts) if "bundle" in src)


def test_a_file_of_docs_dir_is_used_where_it_is_and_listed_once(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"mermaid_js": "docs/js/mermaid.min.js"},
                     extra={**MATERIAL, "extra_javascript": ["js/mermaid.min.js"]}, pages={"js/mermaid.min.js": SCRIPT})
    assert build_site(site), site.warnings()
    assert _scripts(site.html("index.html")).count("js/mermaid.min.js") == 1
    assert not (site.site_dir / "assets" / "archplugin").exists()


def test_a_url_is_added_as_written(tmp_path: Path) -> None:
    url = "https://npm.example.internal/mermaid@11/dist/mermaid.min.js"
    site = make_site(tmp_path, plugin={"mermaid_js": url}, extra=MATERIAL)
    assert build_site(site), site.warnings()
    assert url in _scripts(site.html("index.html"))


def test_a_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, plugin={"mermaid_js": "vendor/mermaid.min.js"}, extra=MATERIAL)
    with pytest.raises((Abort, ConfigurationError)):
        load_config(str(site.root / "mkdocs.yml"))
    assert not build_site(site)
    assert any("mermaid_js" in w and "isn't an existing file" in w for w in site.warnings()), site.warnings()
