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


def npm_installed(package: str, folder: Path, entry: Path, timeout: float = 300) -> Path:
    """`entry` of `npm install package` into `folder` (a cache), installed on first use.

    Installed beside the cache and renamed into place: an interrupted or concurrent install
    never leaves a half-filled cache behind. Skips the test where npm or Node.js is absent.
    """
    import shutil
    import subprocess
    import tempfile

    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.skip(f"npm and Node.js are needed for {package}; not found on PATH")
    if not entry.is_file():
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{folder.name}-", dir=folder.parent))
        try:
            result = subprocess.run([npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund",
                                     "--loglevel=error", package], capture_output=True, text=True, timeout=timeout)
            assert result.returncode == 0, f"npm install {package} failed:\n{result.stdout}\n{result.stderr}"
            if not entry.is_file():
                shutil.rmtree(folder, ignore_errors=True)
                staging.rename(folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return entry
