"""The PRD parser is linear in its input: sizes N and 4N compared, never a wall-clock limit.

Each shape is the worst case of one rule (derived ids, targets, decorations, family
detection, nested leaves). A linear path takes about 4× as long at 4N, a quadratic one 16×;
the bound of 8× leaves room for noise on a busy machine, and the best of five runs is used.
"""

from __future__ import annotations

import gc
import time

import pytest

from mkdocs_archplugin.prd import assemble_prd, parse_markdown
from mkdocs_archplugin.project import cyclic_gc_paused


def _idless(n: int) -> str:
    return "## Non-Functional Requirements\n\n" + "- The service keeps working when a zone fails\n" * n


def _targets(n: int) -> str:
    return "## Non-Functional Requirements\n\n- NFR-1: Latency stays " + ", ".join(f"under {i} ms" for i in range(n)) + ".\n"


def _decorations(n: int) -> str:
    return "## Functional requirements\n\n- " + " " * n + "<a>" * (n // 4) + "✅" * n + " x\n"


def _family(n: int) -> str:
    return "# SRS\n\n## Performance Requirements\n\n" + "".join(f"- PF-{i}: Page {i} loads in 2 s\n" for i in range(n))


def _leaves(n: int) -> str:
    return "## Functional requirements\n\n- **R1** Accounts\n" + "".join(f"  - R1.{i} Item {i}\n" for i in range(n))


SHAPES = {"idless": (_idless, 500), "targets": (_targets, 2000), "decorations": (_decorations, 4000),
          "family": (_family, 500), "leaves": (_leaves, 500)}


def _seconds(markdown: str) -> float:
    # With the cyclic collector paused, as the pipeline runs: a collection walks every object
    # the whole test session keeps alive, so its cost depends on the tests that ran before,
    # not on the parser (8.9x at 4N once in CI).
    best = float("inf")
    for _ in range(5):
        gc.collect()
        with cyclic_gc_paused():
            start = time.process_time()
            assemble_prd([parse_markdown(markdown, "prd.md")])
            best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("shape", SHAPES)
def test_parse_time_grows_linearly(shape: str) -> None:
    make, n = SHAPES[shape]
    small, large = _seconds(make(n)), _seconds(make(4 * n))
    assert large < 8 * max(small, 0.002), (shape, small, large)


def test_the_shapes_are_what_they_claim() -> None:
    assert len(assemble_prd([parse_markdown(_idless(50), "p.md")]).requirements) == 50
    assert len(assemble_prd([parse_markdown(_targets(50), "p.md")]).requirements[0].targets) == 50
    assert len(assemble_prd([parse_markdown(_family(50), "p.md")]).requirements) == 50
    assert len(assemble_prd([parse_markdown(_leaves(50), "p.md")]).requirements) == 50
