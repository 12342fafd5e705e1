"""The example site in headless Chromium: diagrams render, links and anchors resolve, search works, no script errors.

The site is built with the real MkDocs API and served on loopback. The machine has no
internet, so the one request a reader's browser makes for the site to work, Mermaid from
the CDN Material for MkDocs names, is answered from a local `npm install` of the same
major version. Every other request that leaves loopback (only Material's Google Fonts
stylesheet today) is aborted and recorded; the "Failed to load resource" console line
Chromium logs for exactly those aborted URLs is the one console error the tests forgive.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from serving import static_site
from sites import Site, build_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_site"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("ARCHPLUGIN_CHROMIUM", "/usr/bin/chromium"))
# Flags for a closed network: without the background-networking ones Chromium keeps
# trying to reach Google's hosts at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FONT_HOSTS = {"fonts.googleapis.com", "fonts.gstatic.com"}
SEARCHED_REQUIREMENT = "NFR3"

# Material renders each diagram into a *closed* shadow root, out of reach of the DOM API.
# This observer records every shadow root so the tests can look inside; it changes nothing.
RECORD_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  window.__shadowRoots = [];
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    window.__shadowRoots.push([this, root]);
    return root;
  };
})();
"""

DIAGRAMS = """
() => window.__shadowRoots
  .filter(([host]) => host.classList.contains("mermaid"))
  .map(([host, root]) => {
    const svg = root.querySelector("svg");
    return {
      connected: host.isConnected,
      svg: svg !== null,
      width: svg ? svg.getBoundingClientRect().width : 0,
      text: svg ? svg.textContent.slice(0, 200) : "",
    };
  })
"""

CONTENT_LINKS = """
() => Array.from(document.querySelectorAll("article a[href]"), a => [a.getAttribute("href"), a.href])
"""

ELEMENT_IDS = "() => Array.from(document.querySelectorAll('[id]'), e => e.id)"


@pytest.fixture(scope="module")
def mermaid(test_cache: Path) -> tuple[str, bytes]:
    """The Mermaid URL Material's bundle loads, and the bytes of a local npm copy of that major version."""
    material = importlib.util.find_spec("material")
    assert material is not None and material.origin is not None, "Material for MkDocs is not installed"
    scripts = Path(material.origin).parent / "templates" / "assets" / "javascripts"
    found = {(m.group(0), m.group(1)) for bundle in sorted(scripts.glob("bundle.*.min.js"))
             for m in re.finditer(r"https://[\w./-]+/mermaid@(\d+)/[\w./-]+\.js", bundle.read_text(encoding="utf-8"))}
    assert len(found) == 1, f"Material's bundle no longer names one Mermaid URL: {found or 'none'}"
    url, major = found.pop()
    return url, _npm_mermaid(test_cache / f"mermaid@{major}", major).read_bytes()


def _npm_mermaid(cache: Path, major: str) -> Path:
    """dist/mermaid.min.js of `npm install mermaid@<major>`, installed once into `cache`."""
    script = cache / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    if script.is_file():
        return script
    if shutil.which("npm") is None:
        pytest.skip(f"npm is not installed and {script} is not cached (.ci/run installs both)")
    # Install beside the cache and move into place, so a concurrent run never sees half a tree.
    staging = cache.with_name(f"{cache.name}.{os.getpid()}")
    subprocess.run(["npm", "install", "--prefix", str(staging), f"mermaid@{major}", "--no-audit", "--no-fund"],
                   check=True, capture_output=True, timeout=300)
    try:
        staging.rename(cache)
    except OSError:  # another run finished first
        shutil.rmtree(staging, ignore_errors=True)
    return script


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """example_site copied to a temporary folder and built with --strict."""
    root = tmp_path_factory.mktemp("example") / "example_site"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site"))
    site = Site(root)
    assert build_site(site), site.warnings()
    return site


@pytest.fixture(scope="module")
def base_url(example: Site) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1."""
    with static_site(example.site_dir) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium is not at {CHROMIUM} (.ci/run installs Debian's chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Network:
    """Requests that left loopback: answered from the npm copy, or aborted."""

    base_url: str
    mermaid_url: str
    mermaid_script: bytes
    aborted: list[str] = field(default_factory=list)

    def route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base_url):
            route.continue_()
        elif url == self.mermaid_url:
            route.fulfill(status=200, body=self.mermaid_script, content_type="text/javascript; charset=utf-8")
        else:
            self.aborted.append(url)
            route.abort()

    def is_aborted(self, url: str) -> bool:
        return url in self.aborted


@pytest.fixture(scope="module")
def network(base_url: str, mermaid: tuple[str, bytes]) -> Network:
    return Network(base_url, *mermaid)


@pytest.fixture(scope="module")
def context(browser, network: Network):
    """A browser context whose requests go through `network` and whose shadow roots are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_SHADOW_ROOTS)
    context.route("**/*", network.route)
    yield context
    context.close()


@dataclass
class Visit:
    """What one page showed in the browser."""

    url: str
    status: int
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href as written, absolute URL)
    mermaid_blocks: int = 0
    diagrams: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    base_url: str
    generated: list[str]  # URLs of the generated pages and the PRD page (with its backlinks)
    visits: dict[str, Visit]


def _page_url(base_url: str, site_dir: Path, html: Path) -> str:
    relative = html.relative_to(site_dir).as_posix()
    return base_url + relative.removesuffix("index.html")


@pytest.fixture(scope="module")
def crawl(example: Site, base_url: str, context, network: Network, tmp_path_factory) -> Crawl:
    """Every generated page, the PRD page, and every local page they link to, each visited once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    generated = sorted(_page_url(base_url, example.site_dir, p)
                       for p in (example.site_dir / "architecture").rglob("index.html"))
    generated.append(base_url + "prd/")
    visits: dict[str, Visit] = {}
    page = context.new_page()
    current: list[Visit] = []

    def console(message) -> None:
        if message.type == "error" and not network.is_aborted(message.location.get("url", "")):
            current[-1].errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: current[-1].errors.append(f"pageerror: {error}"))
    screenshots = tmp_path_factory.mktemp("screenshots")

    def visit(url: str) -> None:
        record = Visit(url, 0)
        current.append(record)
        visits[url] = record
        response = page.goto(url, wait_until="load")
        record.status = response.status if response else 0
        if record.status != 200:
            return
        record.mermaid_blocks = len(BeautifulSoup(response.text(), "html.parser").select(".mermaid"))
        if record.mermaid_blocks:
            try:
                page.wait_for_function(
                    "n => window.__shadowRoots.filter(([h]) => h.classList.contains('mermaid')).length >= n",
                    arg=record.mermaid_blocks, timeout=20_000)
            except PlaywrightTimeout:
                pass  # the test on diagrams reports what is missing
            record.diagrams = page.evaluate(DIAGRAMS)
        record.ids = set(page.evaluate(ELEMENT_IDS))
        record.links = [tuple(link) for link in page.evaluate(CONTENT_LINKS)]
        if url == base_url + "architecture/" or url.endswith("/components/scheduling/"):
            name = "architecture.png" if url.endswith("architecture/") else "component-scheduling.png"
            if page.locator("div.mermaid").count():
                page.locator("div.mermaid").first.scroll_into_view_if_needed()
            _keep_screenshot(page, screenshots / name)

    for url in generated:
        visit(url)
    targets = sorted({urldefrag(absolute).url for v in list(visits.values()) for _, absolute in v.links
                      if absolute.startswith(base_url)})
    for url in targets:
        if url in visits:
            continue
        if url.endswith(("/", ".html")):
            visit(url)
        else:
            visits[url] = Visit(url, context.request.get(url).status)
    page.close()
    return Crawl(base_url, generated, visits)


def _keep_screenshot(page, path: Path) -> None:
    """Screenshot into the test's temporary folder and, as a CI artifact, into test-artifacts/browser/."""
    page.screenshot(path=str(path))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, ARTIFACTS / path.name)


def test_mermaid_diagrams_render_to_svg(crawl: Crawl) -> None:
    with_diagrams = {url: v for url, v in crawl.visits.items() if v.mermaid_blocks}
    assert crawl.base_url + "architecture/" in with_diagrams
    assert any("/components/" in url for url in with_diagrams)
    for url, visit in with_diagrams.items():
        assert len(visit.diagrams) == visit.mermaid_blocks, f"{url}: {visit.diagrams}"
        for diagram in visit.diagrams:
            assert diagram["connected"] and diagram["svg"] and diagram["width"] > 0, f"{url}: {diagram}"
            assert "Syntax error" not in diagram["text"], f"{url}: {diagram['text']}"


def test_every_generated_link_resolves(crawl: Crawl) -> None:
    broken = []
    checked = 0
    for source in crawl.generated:
        for href, absolute in crawl.visits[source].links:
            if not absolute.startswith(crawl.base_url):
                continue  # an external reference from architecture.yml: not reachable offline
            checked += 1
            target, fragment = urldefrag(absolute)
            visit = crawl.visits[target]
            if visit.status != 200:
                broken.append(f"{source}: {href} -> HTTP {visit.status}")
            elif fragment and unquote(fragment) not in visit.ids:
                broken.append(f"{source}: {href} -> no element with id {unquote(fragment)!r}")
    assert checked > 500, checked
    assert not broken, "\n".join(broken)


def test_prd_has_an_anchor_for_every_requirement_link(crawl: Crawl) -> None:
    prd = crawl.visits[crawl.base_url + "prd/"]
    linked = {unquote(urldefrag(absolute).fragment)
              for source in crawl.generated if source != prd.url
              for _, absolute in crawl.visits[source].links
              if absolute.startswith(prd.url + "#req-")}
    assert len(linked) >= 30, sorted(linked)  # the example PRD defines 24 FRs and 11 NFRs
    assert not linked - prd.ids, sorted(linked - prd.ids)


def test_no_javascript_errors(crawl: Crawl) -> None:
    errors = [f"{url}: {error}" for url, visit in crawl.visits.items() for error in visit.errors]
    assert not errors, "\n".join(errors)


def test_nothing_but_mermaid_and_fonts_is_fetched_from_the_internet(crawl: Crawl, network: Network) -> None:
    assert {urlsplit(url).hostname for url in network.aborted} <= FONT_HOSTS, network.aborted


def test_search_finds_a_requirement_id_on_generated_pages(base_url: str, context, tmp_path: Path) -> None:
    page = context.new_page()
    page.goto(base_url + "prd/")
    page.locator("input[data-md-component=search-query]").click()
    page.keyboard.type(SEARCHED_REQUIREMENT)
    page.wait_for_selector(".md-search-result__item a", timeout=15_000)
    results = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    _keep_screenshot(page, tmp_path / "search.png")
    page.close()
    assert any(url.startswith(base_url + "architecture/") for url in results), results


# ---- hostile inputs in every theme: no dialog on load, none on clicking a nav link ------------

HOSTILE_ID = 'X" onclick="alert(document.domain)" x="'
HOSTILE_ARCHITECTURE = """\
product: "Shop <img src=x onerror=alert('product')>"
components:
  - id: web
    name: "Web <svg onload=alert('name')>"
    purpose: "[click](java\\nscript:alert('prose')) and {{ 12345*3 }}"
    requirements: [FR-1]
decisions:
  - id: ADR-1
    title: Before
    status: accepted
    requirements: [NFR-1]
  - id: 'X" onclick="alert(document.domain)" x="'
    title: "\\" onmouseover=\\"alert('title')\\" <img src=x onerror=alert('title2')>"
    status: accepted
    requirements: [NFR-1]
  - id: ADR-3
    title: After
    status: accepted
    requirements: [NFR-1]
references:
  - title: Evil
    url: "java\\tscript:alert('ref')"
"""
HOSTILE_PRD = """\
# PRD

## Functional requirements

- **FR-1:** x' y') &lt;img src=x onerror=alert('req')&gt; "quoted" sign in.

## Non-functional requirements

- **NFR-1:** Fast.
"""


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs", "material"])
def test_hostile_inputs_open_no_dialog_in_any_theme(theme: str, browser, mermaid, tmp_path: Path) -> None:
    from sites import make_site

    site = make_site(tmp_path / "site", prd=HOSTILE_PRD, architecture=HOSTILE_ARCHITECTURE,
                     extra={"theme": {"name": theme}, "validation": {}})
    build_site(site, strict=False)

    with static_site(site.site_dir) as base:
        context = browser.new_context()
        context.route("**/*", Network(base, *mermaid).route)
        dialogs: list[str] = []
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        try:
            urls = sorted(_page_url(base, site.site_dir, p) for p in (site.site_dir / "architecture").rglob("index.html"))
            urls += [base, base + "prd/"]
            assert len([u for u in urls if "/decisions/" in u]) == 3
            for url in urls:
                page.goto(url, wait_until="load")
                if "/decisions/" not in url:
                    continue  # loaded: a handler that runs on load has had its chance
                # On the hostile decision's neighbours and itself, hovering and clicking each link
                # of the navigation (previous / next buttons, the sidebar's entries for decisions)
                # would run a handler injected through a page title.
                links = page.locator(".rst-footer-buttons a, footer a[href], .md-footer a[href], "
                                     "nav a[href*='decisions']")
                for index in range(min(links.count(), 12)):
                    link = links.nth(index)
                    if not link.is_visible():
                        continue
                    link.hover()
                    href = link.get_attribute("href") or ""
                    if href.startswith(("http://", "https://")) and not href.startswith(base):
                        continue
                    link.click()
                    page.wait_for_load_state("load")
                    page.goto(url, wait_until="load")
            assert dialogs == []
        finally:
            context.close()


# ---- mermaid_js: no CDN at all -----------------------------------------------------------------


@pytest.mark.parametrize("local", [True, False], ids=["mermaid_js", "cdn-blocked"])
def test_diagrams_render_with_every_request_off_loopback_blocked_only_with_mermaid_js(
        local: bool, browser, mermaid, tmp_path: Path) -> None:
    """An air-gapped reader: nothing but the site's own server answers. With `mermaid_js`
    naming a vendored copy (npm's dist/mermaid.min.js), Material finds `window.mermaid` and
    never asks unpkg; without it the CDN request fails and the diagrams stay code."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from sites import make_site
    from test_compat import with_mermaid_fence

    cdn_url, script = mermaid
    vendored = tmp_path / "vendor" / "mermaid.min.js"
    vendored.parent.mkdir()
    vendored.write_bytes(script)
    site = with_mermaid_fence(make_site(tmp_path / "site", plugin={"mermaid_js": "../vendor/mermaid.min.js"} if local else {},
                                        extra={"theme": {"name": "material"}}))
    assert build_site(site), site.warnings()

    with static_site(site.site_dir) as base:
        blocked: list[str] = []

        def loopback_only(route) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context = browser.new_context()
        context.add_init_script(RECORD_SHADOW_ROOTS)
        context.route("**/*", loopback_only)
        try:
            page = context.new_page()
            response = page.goto(base + "architecture/", wait_until="load")
            assert response is not None and response.status == 200
            blocks = len(BeautifulSoup(response.text(), "html.parser").select(".mermaid"))
            assert blocks >= 2  # the component diagram and the decision graph, at least
            try:
                page.wait_for_function(
                    "n => window.__shadowRoots.filter(([h]) => h.classList.contains('mermaid')).length >= n",
                    arg=blocks, timeout=20_000 if local else 5_000)
            except PlaywrightTimeout:
                pass
            diagrams = page.evaluate(DIAGRAMS)
        finally:
            context.close()
    if local:
        assert len(diagrams) == blocks and all(d["svg"] and d["width"] > 0 for d in diagrams), diagrams
        assert cdn_url not in blocked, "Material still asked the CDN"
    else:
        assert diagrams == [] and cdn_url in blocked
