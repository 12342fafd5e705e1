"""Serving test sites on a loopback port: a built site as static files, or `mkdocs serve`;
and polling their pages."""

from __future__ import annotations

import functools
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sites import Site


@contextmanager
def static_site(site_dir: Path) -> Iterator[str]:
    """A built site served as static files on 127.0.0.1: its base URL, for the browser tests."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def get(url: str) -> str | None:
    """The page's HTML, or None while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def main_text(html: str | None) -> str:
    """The page's content, without the theme around it."""
    main = (html or "").partition('role="main"')[2]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())[:600]


def wait_for(url: str, predicate: Callable[[str], bool], timeout: float = 30, what: str = "") -> str:
    """Poll until the page satisfies predicate; fail with what it last showed."""
    deadline = time.monotonic() + timeout
    text = None
    while time.monotonic() < deadline:
        text = get(url)
        if text is not None and predicate(text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"{what}: {url} never matched; last answer: {main_text(text)!r}")


@contextmanager
def serve(site: Site, *options: str, log_dir: os.PathLike | None = None) -> Iterator[str]:
    """Run `mkdocs serve` on the site; yield its base URL; no traceback may reach the log.

    `log_dir`: where the server's log goes (default: the site's folder, which the server
    watches non-recursively; a test of watching puts it elsewhere, or every log line would
    look like a change picked up)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A file, not a pipe: a pipe nobody reads fills up with the log, and the server blocks.
    log = (site.root if log_dir is None else Path(log_dir)) / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}",
             "-f", str(site.root / "mkdocs.yml")],
            cwd=site.root, stdout=output, stderr=subprocess.STDOUT, text=True,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        )
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text, text[-3000:]
