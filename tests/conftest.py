from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """`../shared/corpus` beside the checkout, as CI has it."""
    if not (CORPUS / "manifest.tsv").is_file():
        pytest.skip(f"the PRD corpus is not at {CORPUS} (it sits beside the checkout in CI)")
    return CORPUS
