"""`mkdocs serve` on loopback: a broken input never stops the server, and the next save recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sites import ARCHITECTURE, PRD, make_site

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, predicate, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    text = None
    while time.monotonic() < deadline:
        text = _get(url)
        if text is not None and predicate(text):
            return text
        time.sleep(0.3)
    raise AssertionError(f"{url} never matched; last answer: {(text or '')[:300]!r}")


@pytest.fixture(params=[False, True], ids=["serve", "serve-dirty"])
def served(tmp_path: Path, request):
    site = make_site(tmp_path)
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    dirty = ["--dirty"] if request.param else []
    log = tmp_path / "serve.log"  # a file, not a pipe: a full pipe would block the server
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *dirty, "-a", f"127.0.0.1:{port}",
             "-f", str(site.root / "mkdocs.yml")],
            cwd=site.root, stdout=out, stderr=subprocess.STDOUT, text=True, env=env,
        )
        try:
            yield site, f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    output = log.read_text(encoding="utf-8")
    assert "Traceback" not in output, output[-3000:]


def test_broken_yaml_is_shown_and_the_next_save_recovers(served) -> None:
    site, base = served
    page = f"{base}/architecture/"
    _wait_for(page, lambda t: "Web app" in t)
    for _ in range(2):
        (site.root / "architecture.yml").write_text(ARCHITECTURE + "  - broken: [\n", encoding="utf-8")
        _wait_for(page, lambda t: "could not be read" in t and "architecture.yml:" in t)
        assert _get(f"{base}/prd/") is not None  # still answering
        (site.root / "architecture.yml").write_text(ARCHITECTURE.replace("Web app", "Storefront"), encoding="utf-8")
        _wait_for(page, lambda t: "Storefront" in t and "could not be read" not in t)
        (site.root / "architecture.yml").write_text(ARCHITECTURE, encoding="utf-8")
        _wait_for(page, lambda t: "Web app" in t)


def test_deleted_prd_is_shown_and_recreating_it_recovers(served) -> None:
    site, base = served
    page = f"{base}/architecture/"
    _wait_for(page, lambda t: "Web app" in t)
    (site.docs / "prd.md").unlink()
    _wait_for(page, lambda t: "Cannot create architecture without PRD" in t)
    (site.docs / "prd.md").write_text(PRD.replace("Customers search", "Shoppers search"), encoding="utf-8")
    _wait_for(f"{base}/prd/", lambda t: "Shoppers search" in t and "req-fr-2" in t)
    _wait_for(page, lambda t: "Web app" in t and "Cannot create" not in t)


def test_yaml_only_change_updates_prd_backlinks(served) -> None:
    site, base = served
    _wait_for(f"{base}/prd/", lambda t: "Web app" in t)
    (site.root / "architecture.yml").write_text(ARCHITECTURE.replace("Web app", "Storefront"), encoding="utf-8")
    _wait_for(f"{base}/prd/", lambda t: "Storefront" in t and "Web app" not in t)
