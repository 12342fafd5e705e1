"""How fast the PRD parser reads a generated PRD: seconds and MB/s, and growth with N.

usage: python bench/parse_prd.py [N ...] [--repeat R]   (default: 1000 10000)

Generates each site with bench/generate.py into a temporary folder, then parses its PRD
folder R times in this process (the files are read once, so this is parser time only)
and prints the median CPU time (process time: steady on a busy machine), the Markdown size
and the throughput.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from mkdocs_archplugin.prd import assemble_prd, parse_markdown, prd_files  # noqa: E402


def measure(n: int, repeat: int) -> tuple[float, float, int, int]:
    """(median seconds, spread, bytes of Markdown, requirements found) for N requirements."""
    with tempfile.TemporaryDirectory() as folder:
        generate(n, Path(folder))
        files = prd_files(Path(folder) / "docs" / "prd")
        texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    size = sum(len(text.encode("utf-8")) for _, text in texts)
    times: list[float] = []
    found = 0
    for _ in range(repeat):
        start = time.process_time()
        prd = assemble_prd([parse_markdown(text, name) for name, text in texts])
        times.append(time.process_time() - start)
        found = len(prd.requirements)
    return statistics.median(times), max(times) - min(times), size, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'N':>7} {'found':>7} {'MB':>7} {'median s':>9} {'spread s':>9} {'MB/s':>7}")
    previous: tuple[int, float] | None = None
    for n in args.sizes:
        median, spread, size, found = measure(n, args.repeat)
        mb = size / 1e6
        print(f"{n:>7} {found:>7} {mb:>7.2f} {median:>9.3f} {spread:>9.3f} {mb / median:>7.2f}")
        if previous:
            print(f"        growth ×{median / previous[1]:.1f} for ×{n / previous[0]:.0f} requirements")
        previous = (n, median)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
