"""Time `mkdocs serve`-style rebuilds: one process, an initial build, a rebuild after each edit.

``mkdocs serve`` reloads the config for every rebuild but keeps the instances of plugins that
define ``on_startup`` (and so their caches); this does the same, without the HTTP server and
the file watcher, and times what the server's builder does (load config + build).

    python bench/serve_rebuild.py MKDOCS_YML --site-dir DIR --reps R [--dirty] --edit PATH [--edit PATH ...]

``--dirty`` builds as ``mkdocs serve --dirty`` does: pages whose source did not change are
not written again.

Each PATH (relative to MKDOCS_YML's folder) is edited and the site rebuilt R times, PATH by
PATH. Prints JSON: ``{"initial": RUN, "rebuilds": {PATH: [RUN, ...]}}`` where RUN is
``{"seconds": s, "plugin": {...} or null, "errors": [...]}``: ``plugin`` is the line
archplugin appended to ``$ARCHPLUGIN_TIMINGS`` during that build, ``errors`` what was logged
at ERROR level or raised (``mkdocs serve`` logs both and keeps serving).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from generate import edit_for_rebuild

SERVE_URL = "http://127.0.0.1:8000/"


class ErrorLog(logging.Handler):
    """The errors MkDocs and its plugins log: `serve` shows them and keeps serving."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class NewTimings:
    """The lines archplugin appends to $ARCHPLUGIN_TIMINGS, one build at a time."""

    def __init__(self) -> None:
        self.path = os.environ.get("ARCHPLUGIN_TIMINGS")
        self.offset = 0

    def of_last_build(self) -> dict[str, float] | None:
        """The line appended since the previous call; None when the plugin wrote none."""
        if not self.path or not os.path.exists(self.path):
            return None
        with open(self.path, encoding="utf-8") as timings:
            timings.seek(self.offset)
            lines = [line for line in timings.read().splitlines() if line.strip()]
            self.offset = timings.tell()
        return json.loads(lines[-1]) if lines else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config_file", type=Path)
    parser.add_argument("--site-dir", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--edit", action="append", default=[], metavar="PATH")
    parser.add_argument("--dirty", action="store_true", help="as `mkdocs serve --dirty`")
    args = parser.parse_args(argv)
    # As quiet as `mkdocs build -q`, which the full builds use.
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    errors = ErrorLog()
    logging.getLogger("mkdocs").addHandler(errors)
    timings = NewTimings()

    configs = []

    def timed_build(*, startup: bool = False) -> dict[str, object]:
        errors.messages = []
        start = time.perf_counter()
        config = load_config(config_file=str(args.config_file), site_dir=str(args.site_dir))
        configs.append(config)
        if startup:
            config.plugins.on_startup(command="serve", dirty=args.dirty)
        config.site_url = SERVE_URL
        try:
            build(config, serve_url=SERVE_URL, dirty=args.dirty)
        except Exception as error:  # as the server does: report, keep serving
            errors.messages.append(f"{type(error).__name__}: {error}")
        return {
            "seconds": time.perf_counter() - start,
            "plugin": timings.of_last_build(),
            "errors": errors.messages,
        }

    initial = timed_build(startup=True)
    rebuilds: dict[str, list[dict[str, object]]] = {}
    root = args.config_file.parent
    for relative in args.edit:
        rebuilds[relative] = []
        for k in range(args.reps):
            edit_for_rebuild(root / relative, k)
            rebuilds[relative].append(timed_build())
    configs[0].plugins.on_shutdown()
    json.dump({"initial": initial, "rebuilds": rebuilds}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
