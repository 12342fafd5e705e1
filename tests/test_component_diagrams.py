"""The SAD's component diagrams: one graph while it is legible and within Mermaid's limits,
else a layer overview and one diagram per layer, else a table (never a blank box)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sites import build_site, make_site

from mkdocs_archplugin.architecture.load import load_architecture
from mkdocs_archplugin.architecture.model import Component
from mkdocs_archplugin.render import diagrams
from mkdocs_archplugin.render.diagrams import (
    LEGIBLE_COMPONENTS,
    LEGIBLE_LAYER_COMPONENTS,
    MERMAID_LIMITS,
    OTHER_LAYER,
    component_diagrams,
)

LARGE = Path(__file__).parent / "fixtures" / "large"


def _components(name: str) -> list[Component]:
    arch, problems = load_architecture(LARGE / name)
    assert arch is not None and not problems, problems
    return list(arch.components)


def test_the_limits_are_mermaids_own_defaults(test_cache: Path) -> None:
    """MERMAID_LIMITS against the config defaults of the Mermaid copy the browser test loads."""
    script = test_cache / "mermaid@11" / "node_modules" / "mermaid" / "dist" / "mermaid.js"
    if not script.is_file():
        pytest.skip(f"{script} is not cached (the browser test installs it)")
    text = script.read_text(encoding="utf-8")
    found = {key: float(value) for key, value in re.findall(r'"(maxEdges|maxTextSize)": ([0-9e.]+)', text)}
    assert found == {"maxEdges": MERMAID_LIMITS.max_edges, "maxTextSize": MERMAID_LIMITS.max_text_size}


def test_a_small_system_is_one_diagram_in_layer_bands() -> None:
    figures = component_diagrams([Component(id="web", name="Web", layer="ui", kind="ui", depends_on=["api"]),
                                  Component(id="api", name="API", layer="backend", kind="service", depends_on=["db"]),
                                  Component(id="db", name="DB", layer="data", kind="datastore")])
    assert not figures.by_layer
    source = figures.whole.source
    assert source.count("subgraph layer_") == 3 and 'c_db[("DB")]' in source and 'c_web("Web")' in source
    assert source.count("-->") == 2


def test_fifty_components_are_drawn_by_layer_with_every_dependency_counted() -> None:
    components = _components("components-50.yml")
    figures = component_diagrams(components)
    assert (figures.whole.nodes, figures.whole.edges) == (50, 150) and figures.whole.fits
    assert figures.by_layer and len(components) > LEGIBLE_COMPONENTS
    assert [layer.name for layer in figures.layers] == ["Presentation", "API", "Domain", "Data", "Integration",
                                                         OTHER_LAYER]
    assert sum(len(layer.components) for layer in figures.layers) == 50
    cross = sum(1 for c in components for t in c.depends_on
                if (c.layer or OTHER_LAYER) != (next(x for x in components if x.id == t).layer or OTHER_LAYER))
    assert sum(count for _, _, count in figures.layer_dependencies) == cross
    assert figures.overview is not None and figures.overview.nodes == 6
    overview_counts = [int(n) for n in re.findall(r"-->\|(\d+)\|", figures.overview.source)]
    assert sum(overview_counts) == cross
    for layer in figures.layers:
        assert layer.diagram.fits
        # every dependency touching the layer is an arrow, or counted on an arrow to another layer
        arrows = re.findall(r"-->(?:\|(\d+)\|)? ", layer.diagram.source)
        assert sum(int(n or 1) for n in arrows) == len(layer.dependencies), layer.name


def test_past_mermaids_edge_limit_the_graph_is_drawn_by_layer() -> None:
    figures = component_diagrams(_components("components-200.yml"))
    assert figures.whole.edges == 600 > MERMAID_LIMITS.max_edges and not figures.whole.fits
    assert figures.by_layer and all(layer.diagram.fits for layer in figures.layers)
    # Its layers of about 33 components would draw 3 px labels: tables instead.
    assert [layer.drawn for layer in figures.layers] == [len(layer.components) <= LEGIBLE_LAYER_COMPONENTS
                                                         for layer in figures.layers]
    assert not all(layer.drawn for layer in figures.layers)


def test_the_fifty_component_layers_are_all_drawn() -> None:
    assert all(layer.drawn for layer in component_diagrams(_components("components-50.yml")).layers)


def test_past_mermaids_text_limit_the_graph_is_drawn_by_layer() -> None:
    name = "Long name " * 600  # 6,000 characters, under 10 components
    components = [Component(id=f"c{n}", name=f"{name}{n}", layer=f"L{n % 2}") for n in range(10)]
    figures = component_diagrams(components)
    assert figures.whole.edges == 0 and len(figures.whole.source) > MERMAID_LIMITS.max_text_size
    assert figures.by_layer


def test_without_layers_a_legible_limit_does_not_split_the_graph() -> None:
    components = [Component(id=f"c{n}", name=f"C{n}", depends_on=[f"c{n - 1}"] if n else [])
                  for n in range(LEGIBLE_COMPONENTS + 5)]
    assert not component_diagrams(components).by_layer


def test_a_layer_past_the_limits_is_a_table_of_its_dependencies(tmp_path: Path) -> None:
    core = [f"  - id: k{n}\n    name: Core {n}\n    layer: core\n"
            f"    depends_on: [{', '.join(f'k{m}' for m in range(n))}]\n" for n in range(34)]  # 561 edges
    edge = "  - id: web\n    name: Web\n    layer: edge\n    depends_on: [k0, k1]\n"
    site = make_site(tmp_path, architecture="components:\n" + "".join(core) + edge)
    build_site(site, strict=False)
    soup = BeautifulSoup(site.html("architecture/index.html"), "html.parser")
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.find_all("h4")]
    assert [h for h in headings if h.startswith("Layer")] == ["Layer: core", "Layer: edge"]
    note = soup.find(string=re.compile("Layer core has more dependencies than one diagram can draw"))
    assert note is not None
    table = note.find_parent("p").find_next_sibling("table")
    assert len(table.find_all("tr")) == 1 + 561 + 2  # header, the core's own edges, web's two
    # the overview and the edge layer are still drawn, with captions
    assert [c.get_text().count("graph ") for c in soup.find_all("code") if "graph " in c.get_text()] == [1, 1]
    assert soup.find(string=re.compile("Figure: the 1 components of layer edge"))


def test_a_layer_name_cannot_change_a_diagram() -> None:
    hostile = 'x"] --> y['
    figures = component_diagrams([Component(id=f"c{n}", name=f"C{n}", layer=hostile if n % 2 else "b",
                                            depends_on=[f"c{(n + 1) % 20}"]) for n in range(20)])
    assert figures.by_layer and figures.overview is not None
    assert '["x -- y (10)"]' in figures.overview.source
    for diagram in [figures.overview, *(layer.diagram for layer in figures.layers)]:
        assert "y[" not in diagram.source
