"""How fast the PRD parser reads a PRD: seconds, MB/s and growth with N, for several shapes.

usage: python bench/parse_prd.py [N ...] [--repeat R] [--shape SHAPE ...]
       (default: 10000 20000 40000, every shape)

Shapes (each the worst case of one rule, so a quadratic path shows up as ×16 for ×4):
- `site`: the PRD of bench/generate.py (list items, headings, table rows, mentions, shards);
- `idless`: N id-less bullets with the same words under "Non-Functional Requirements"
  (derived ids and their suffixes);
- `targets`: one requirement whose text holds N distinct measurable targets;
- `family`: N items of a detected id family (`PF-1` …) under "Performance Requirements"
  (the detection pass, then the parse with the family).

The files are generated once, then parsed R times in this process (parser time only); the
median CPU time (process time: steady on a busy machine) is printed.
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

from mkdocs_archplugin.prd import PrdSettings, assemble_prd, parse_texts, prd_files  # noqa: E402


def texts_of(shape: str, n: int) -> list[tuple[str, str]]:
    """The (text, file name) pairs of a PRD of this shape with N requirements (or targets)."""
    if shape == "site":
        with tempfile.TemporaryDirectory() as folder:
            generate(n, Path(folder))
            return [(f.read_text(encoding="utf-8"), f.name) for f in prd_files(Path(folder) / "docs" / "prd")]
    if shape == "idless":
        body = "".join("- The service shall keep working when a zone fails\n" for _ in range(n))
        return [("# PRD\n\n## Non-Functional Requirements\n\n" + body, "prd.md")]
    if shape == "targets":
        targets = ", ".join(f"under {i} ms" for i in range(n))
        return [(f"# PRD\n\n## Non-Functional Requirements\n\n- NFR-1: Latency stays {targets}.\n", "prd.md")]
    if shape == "family":
        body = "".join(f"- PF-{i}: Page {i} loads in under 2 s\n" for i in range(1, n + 1))
        return [("# SRS\n\n## Functional Requirements\n\n- FR-1: Log in.\n\n## Performance Requirements\n\n" + body,
                 "prd.md")]
    raise ValueError(shape)


def measure(shape: str, n: int, repeat: int) -> tuple[float, float, int, int]:
    """(median seconds, spread, bytes of Markdown, requirements found)."""
    texts = texts_of(shape, n)
    size = sum(len(text.encode("utf-8")) for text, _ in texts)
    times: list[float] = []
    found = 0
    for _ in range(repeat):
        start = time.process_time()
        prd = assemble_prd(parse_texts([(text, name) for text, name in texts], PrdSettings())[0])
        times.append(time.process_time() - start)
        found = len(prd.requirements) if shape != "targets" else len(prd.requirements[0].targets)
    return statistics.median(times), max(times) - min(times), size, found


SHAPES = ("site", "idless", "targets", "family")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10000, 20000, 40000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shape", action="append", choices=SHAPES)
    args = parser.parse_args()
    print(f"{'shape':>8} {'N':>7} {'found':>7} {'MB':>7} {'median s':>9} {'spread s':>9} {'MB/s':>7}")
    for shape in args.shape or SHAPES:
        previous: tuple[int, float] | None = None
        for n in args.sizes:
            median, spread, size, found = measure(shape, n, args.repeat)
            mb = size / 1e6
            growth = f"  ×{median / previous[1]:.1f} for ×{n / previous[0]:.0f}" if previous else ""
            print(f"{shape:>8} {n:>7} {found:>7} {mb:>7.2f} {median:>9.3f} {spread:>9.3f} {mb / median:>7.2f}{growth}")
            previous = (n, median)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
