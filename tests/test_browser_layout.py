"""The generated pages at real size in Chromium: a 50-component and a 200-component system draw
every diagram with no Mermaid error and legible labels, and no page hides content sideways at
a phone's 390 px or a desktop's 1400 px.

Uses test_browser's Chromium, Mermaid copy and network rules; screenshots go to
test-artifacts/browser/ like the other browser tests'.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import static_site
from sites import Site, build_site
from test_browser import (ARTIFACTS, EXAMPLE, RECORD_SHADOW_ROOTS, Network, browser, example,  # noqa: F401
                          mermaid)

pytestmark = pytest.mark.browser

LARGE = Path(__file__).parent / "fixtures" / "large"
LARGE_PRD = """\
# Large system PRD

## Functional requirements

- **FR-1:** Users work with the system.

## Non-functional requirements

- **NFR-1:** The architecture diagrams stay readable at any size.
"""
#: The smallest label box a legible diagram may draw at 1400 px: a 16 px label is 24 px high
#: at full size, so 10 px means text of about 7 px, the least the eye reads without zooming.
MIN_LABEL_HEIGHT = 10

DIAGRAMS = """
() => window.__shadowRoots
  .filter(([host]) => host.classList.contains("mermaid"))
  .map(([host, root]) => {
    const svg = root.querySelector("svg");
    const labels = svg ? Array.from(svg.querySelectorAll(".nodeLabel"), e => e.getBoundingClientRect().height) : [];
    return {
      svg: svg !== null,
      width: svg ? svg.getBoundingClientRect().width : 0,
      error: svg ? /Syntax error|Maximum text size|error in text|Edge limit/i.test(svg.textContent) : true,
      smallest_label: labels.filter(h => h > 0).reduce((a, b) => Math.min(a, b), Infinity),
    };
  })
"""

#: Elements of the page's content that reach past the viewport's right edge with no scrolling
#: container around them to bring them into view.
HIDDEN_SIDEWAYS = """
() => {
  const limit = document.documentElement.clientWidth + 1;
  const scrolls = e => { const s = getComputedStyle(e).overflowX; return s === "auto" || s === "scroll"; };
  const out = [];
  for (const e of document.querySelectorAll(".md-content *")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit) continue;
    let p = e.parentElement, held = false;
    while (p && !held) { held = scrolls(p) && p.getBoundingClientRect().right <= limit; p = p.parentElement; }
    if (!held) out.push(`${e.tagName.toLowerCase()}.${e.className} right=${Math.round(r.right)}`);
  }
  return {hidden: out.slice(0, 10), count: out.length, page: document.documentElement.scrollWidth};
}
"""


@pytest.fixture(scope="module", params=[50, 200])
def large(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """The example site's configuration with a generated n-component architecture, built
    with --strict and served: (n, base URL)."""
    root = tmp_path_factory.mktemp(f"large{request.param}") / "site"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site"))
    shutil.copyfile(LARGE / f"components-{request.param}.yml", root / "architecture.yml")
    (root / "docs" / "prd.md").write_text(LARGE_PRD, encoding="utf-8")
    site = Site(root)
    assert build_site(site), site.warnings()
    with static_site(site.site_dir) as base:
        yield request.param, base


def _page(browser, network: Network, width: int):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    context.add_init_script(RECORD_SHADOW_ROOTS)
    context.route("**/*", network.route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not network.is_aborted(m.location.get("url", "")) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _diagrams(page, url: str) -> list[dict]:
    page.goto(url, wait_until="load")
    count = page.locator(".mermaid").count()
    page.wait_for_function("n => window.__shadowRoots.filter(([h]) => h.classList.contains('mermaid')).length >= n",
                           arg=count, timeout=60_000)
    return page.evaluate(DIAGRAMS)


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_a_large_system_draws_every_diagram_without_a_mermaid_error(large, browser, mermaid) -> None:
    n, base = large
    context, page, errors = _page(browser, Network(base, *mermaid), 1400)
    try:
        for url in (base + "architecture/", base + "architecture/components/c001/",
                    base + "architecture/components/c006/"):
            diagrams = _diagrams(page, url)
            assert diagrams, url
            for diagram in diagrams:
                assert diagram["svg"] and diagram["width"] > 0 and not diagram["error"], f"{url}: {diagram}"
            if url.endswith("architecture/"):
                # 50: the overview and six layers; 200: layers of about 33 are tables, not diagrams
                assert len(diagrams) >= (7 if n == 50 else 1), diagrams
                _screenshot(page, f"sad-{n}-components-1400.png")
                if n == 50:
                    smallest = min(d["smallest_label"] for d in diagrams)
                    assert smallest >= MIN_LABEL_HEIGHT, diagrams
        assert not errors, errors
    finally:
        context.close()


@pytest.fixture(scope="module")
def example_url(example: Site) -> Iterator[str]:  # noqa: F811
    with static_site(example.site_dir) as base:
        yield base


@pytest.mark.parametrize("width", [390, 1400])
def test_no_generated_page_hides_content_sideways(width: int, example_url: str, browser, mermaid) -> None:
    context, page, errors = _page(browser, Network(example_url, *mermaid), width)
    try:
        for path in ("architecture/", "architecture/traceability/", "architecture/components/scheduling/"):
            diagrams = _diagrams(page, example_url + path)
            assert all(d["svg"] and not d["error"] for d in diagrams), diagrams
            if path == "architecture/":  # the decisions table, the endpoint table, every diagram
                assert page.locator("table").count() >= 5
            result = page.evaluate(HIDDEN_SIDEWAYS)
            assert result["count"] == 0 and result["page"] <= width, f"{path} at {width} px: {result}"
            _screenshot(page, f"{path.strip('/').replace('/', '-')}-{width}.png")
        assert not errors, errors
    finally:
        context.close()
