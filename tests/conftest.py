from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
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


def cell_venv(cache: Path, name: str, python: str, requirements: list[str], *, checkout: bool = True) -> Path:
    """A venv with `requirements` and (unless `checkout` is false) this checkout, editable,
    made once per requirement set under the test cache and reused; CI makes it on first use."""
    version = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True,
                             check=True).stdout.strip()
    if checkout:
        dependencies = [r for r in metadata.requires("mkdocs-archplugin") or [] if "extra ==" not in r]
        key_parts = [version, requirements, dependencies, str(ROOT)]
    else:
        key_parts = [version, requirements]
    key = hashlib.sha256(json.dumps(key_parts).encode()).hexdigest()[:12]
    venv = cache / "venvs" / f"{name}-{key}"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.with_name(venv.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one run builds it, a concurrent one waits
        if not (venv / "ready").is_file():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([python, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            result = subprocess.run([*pip, *requirements, *(["-e", str(ROOT)] if checkout else [])],
                                    capture_output=True, text=True, timeout=900, check=False)
            assert result.returncode == 0, result.stderr
            freeze = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "freeze"], capture_output=True,
                                    text=True, check=True).stdout
            (venv / "ready").write_text(freeze, encoding="utf-8")
    return venv


@pytest.fixture(scope="session")
def sphinx_venv(test_cache: Path) -> Path:
    """Sphinx and sphinx-needs in a venv of their own, apart from the test venv (made on first
    use, about a minute)."""
    return cell_venv(test_cache, "sphinx-needs", sys.executable, ["sphinx", "sphinx-needs"], checkout=False)
