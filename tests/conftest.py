from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def test_cache() -> Path:
    """Where tests keep what they install (npm packages, per-cell venvs) from one run to the next."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archplugin-tests"
