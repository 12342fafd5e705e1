"""Retake the documentation's pictures of the SAD and its diagrams: `python bench/screenshots.py`.

Builds example_site/ and the 50-component fixture (tests/fixtures/large/) with the real
MkDocs, serves each on loopback and photographs them in Debian's Chromium through
Playwright, Mermaid answered from a local npm copy (the machine has no internet; run the
browser tests once to cache it, or pass --mermaid). Writes docs/images/architecture.png,
architecture-diagram.png, component-diagram.png and large-system.png, compressed with
pngquant when it is installed. The same inputs give the same pictures.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archplugin-tests"
MERMAID = CACHE / "mermaid@11" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
LARGE_PRD = """\
# Large system PRD

## Functional requirements

- **FR-1:** Users work with the system.

## Non-functional requirements

- **NFR-1:** The architecture diagrams stay readable at any size.
"""

#: Material draws each diagram into a closed shadow root: count them as they are attached.
COUNT_DIAGRAMS = """
window.__diagrams = 0;
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  if (this.classList.contains("mermaid")) window.__diagrams += 1;
  return attach.call(this, init);
};
"""


def built_site(work: Path, name: str, architecture: Path | None = None) -> Path:
    """example_site copied into `work`, with another architecture.yml if given, built."""
    root = work / name
    shutil.copytree(ROOT / "example_site", root, ignore=shutil.ignore_patterns("site"))
    if architecture is not None:
        shutil.copyfile(architecture, root / "architecture.yml")
        (root / "docs" / "prd.md").write_text(LARGE_PRD, encoding="utf-8")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    return root / "site"


@contextmanager
def served(site_dir: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site_dir))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def photograph(browser, base: str, mermaid: bytes, shots: list[tuple[str, str, str | None, int]]) -> None:
    """(image name, page, element to scroll to the top or None, viewport width) each."""
    for name, path, selector, width in shots:
        context = browser.new_context(viewport={"width": width, "height": 1600})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else (
            route.fulfill(body=mermaid, content_type="text/javascript") if route.request.url.endswith("mermaid.min.js")
            else route.abort()))
        context.add_init_script(COUNT_DIAGRAMS)
        page = context.new_page()
        page.goto(base + path, wait_until="load")
        page.wait_for_function("n => window.__diagrams >= n", arg=page.locator(".mermaid").count(), timeout=60_000)
        page.wait_for_timeout(500)  # the last diagram's layout
        if selector:
            page.locator(selector).first.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 70)")
        page.screenshot(path=str(IMAGES / name))
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mermaid", type=Path, default=MERMAID, help="mermaid.min.js of Mermaid 11")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    mermaid = args.mermaid.read_bytes()
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        with served(built_site(Path(work), "example")) as base:
            photograph(browser, base, mermaid, [
                ("architecture.png", "architecture/", None, 1280),
                ("architecture-diagram.png", "architecture/", "#components-and-their-dependencies", 1280),
                ("component-diagram.png", "architecture/components/scheduling/", "#dependencies", 1280),
            ])
        large = built_site(Path(work), "large", ROOT / "tests" / "fixtures" / "large" / "components-50.yml")
        with served(large) as base:
            photograph(browser, base, mermaid, [
                ("large-system.png", "architecture/", "#components-and-their-dependencies", 1400),
            ])
        browser.close()
    if shutil.which("pngquant"):
        for name in ("architecture.png", "architecture-diagram.png", "component-diagram.png", "large-system.png"):
            subprocess.run(["pngquant", "--force", "--skip-if-larger", "--output", str(IMAGES / name),
                            "--", str(IMAGES / name)], check=False)


if __name__ == "__main__":
    main()
