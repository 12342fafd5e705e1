"""The pipeline's caches: unchanged inputs are not parsed again across rebuilds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sites import ARCHITECTURE, make_site

from mkdocs_archplugin.project import ArchProject, ProjectConfig


def _config(root: Path) -> ProjectConfig:
    return ProjectConfig(prd=root / "docs" / "prd.md", decisions=root / "architecture.yml",
                         docs_dir=root / "docs", config_dir=root)


def test_unchanged_inputs_are_not_parsed_again(tmp_path: Path) -> None:
    make_site(tmp_path)
    project = ArchProject()
    first = project.build(_config(tmp_path))
    second = project.build(_config(tmp_path))
    assert (project.prd_cache.misses, project.prd_cache.hits, project.arch_loads) == (1, 1, 1)
    # Nothing changed: nothing analysed or rendered again either (a serve rebuild after
    # saving some other page).
    assert second.analysis is first.analysis and second.pages is first.pages
    assert "render" not in second.timings and second.timings is not first.timings


def test_a_changed_input_is_analysed_and_rendered_again(tmp_path: Path) -> None:
    make_site(tmp_path)
    project = ArchProject()
    first = project.build(_config(tmp_path))
    prd = tmp_path / "docs" / "prd.md"
    prd.write_text(prd.read_text(encoding="utf-8").replace("email and password", "a passkey"), encoding="utf-8")
    second = project.build(_config(tmp_path))
    assert second.analysis is not first.analysis
    assert "a passkey" in second.analysis.prd.by_id["FR-1"].text
    # Options are inputs too.
    third = project.build(replace(_config(tmp_path), output_dir="design"))
    assert third.pages[0].path == "design/index.md"


def test_a_changed_file_is_parsed_again_and_only_it(tmp_path: Path) -> None:
    make_site(tmp_path)
    project = ArchProject()
    project.build(_config(tmp_path))
    (tmp_path / "architecture.yml").write_text(ARCHITECTURE.replace("Web app", "Storefront"), encoding="utf-8")
    build = project.build(_config(tmp_path))
    assert (project.prd_cache.misses, project.arch_loads) == (1, 2)
    assert "Storefront" in build.pages[0].markdown


def test_pages_whose_links_were_forgotten_are_not_reused(tmp_path: Path, monkeypatch) -> None:
    # Under serve the links are tokens of one HtmlLinks, forgotten before each new render. A
    # render that fails after forgetting must not leave the older pages to be reused.
    from mkdocs_archplugin.render.html_links import HtmlLinks
    from mkdocs_archplugin.render.pages import Renderer

    make_site(tmp_path)
    config = replace(_config(tmp_path), html_links=HtmlLinks())
    project = ArchProject()
    first = project.build(config)
    arch = tmp_path / "architecture.yml"
    arch.write_text(ARCHITECTURE.replace("Web app", "Storefront"), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(Renderer, "pages", lambda self: (_ for _ in ()).throw(RuntimeError("render failed")))
        try:
            project.build(config)
        except RuntimeError:
            pass
    arch.write_text(ARCHITECTURE, encoding="utf-8")
    again = project.build(config)
    assert again.pages is not first.pages
    written = config.html_links.replace(again.pages[0].markdown, lambda target: "url")
    assert config.html_links.prefix not in written.replace(again.renderer.site.html_blocks.prefix, "")
