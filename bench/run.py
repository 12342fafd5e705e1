"""Benchmark mkdocs-archplugin against Sphinx + sphinx-needs on the same generated requirements.

For each N (default 100, 1,000, 5,000, 10,000), in one run, as whole processes, several
repetitions each (median and min–max):

- ``sphinx-build`` with sphinx-needs on the same requirements, architecture items, links and
  one needtable (in its own venv, ``bench/.venv-sphinx``, created here on first use);
- ``mkdocs build`` with the plugin, with archplugin's own time read from ``$ARCHPLUGIN_TIMINGS``;
- ``mkdocs build`` of the same site with the plugin removed and the pages it adds (and the
  PRD pages as it changes them) written out as plain Markdown;
- ``mkdocs serve``-style rebuilds after editing only ``architecture.yml`` and only one PRD
  shard, beside sphinx-build's incremental rebuilds after the matching edits;
- the peak RSS of every process.

It prints one table and writes it, with the machine's description, to ``bench/results.md``
(``--quick``: N = 100 and 1,000, two repetitions, into ``bench/out/results-quick.md``).
Run it with the project's venv: ``.venv/bin/python bench/run.py [--quick]``.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import generate

BENCH_DIR = Path(__file__).resolve().parent
SPHINX_VENV = BENCH_DIR / ".venv-sphinx"
SPHINX_PACKAGES = ("sphinx", "sphinx-needs")
DUMP_HOOK = BENCH_DIR / "dump_pages_hook.py"
SERVE_REBUILD = BENCH_DIR / "serve_rebuild.py"
FULL_SIZES = (100, 1_000, 5_000, 10_000)
QUICK_SIZES = (100, 1_000)
#: The stages the timings contract names, in pipeline order; others the plugin reports follow.
# The rows the headline compares.
SPHINX_BUILD = "sphinx-needs: full build"
PLUGIN_BUILD = "mkdocs build + archplugin"
PLAIN_BUILD = "mkdocs build, plugin's pages as plain Markdown"
PLUGIN_OWN = "archplugin's own time"
PLUGIN_STAGES = ("parse_prd", "load_architecture", "analyse", "render", "exports")
#: What each shape of `generate.py --shape` is, for the report.
SHAPE_WORDS = {
    "mixed": "N requirements (70 % FR, 30 % NFR) as list items, headings and table rows, an "
    "`architecture.yml` with N/10 components, N/5 decisions, N/20 entities and N/10 endpoints,",
    "bmad": "N requirements (80 % FR, 20 % NFR) as BMAD list items (`- **FR-0001:** …`), an "
    "`architecture.yml` with N/50 components, N/25 decisions, N/100 entities and N/50 endpoints "
    "(at N = 5,000: 4,000 FR, 1,000 NFR, 100 components, 200 decisions, as issue 18 measured),",
}


class StepFailed(Exception):
    """A measured command failed: its rows say so and the rest of the run goes on."""


@dataclass(frozen=True)
class Run:
    """One measured build: wall seconds, the process's peak RSS, archplugin's own timings."""

    seconds: float
    peak_rss_kib: int | None = None
    plugin: dict[str, float] | None = None
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)


@dataclass(frozen=True)
class Row:
    """One line of the results table; `note` says why a line has no figures."""

    n: int
    what: str
    seconds: tuple[float, ...] = ()
    #: Shown after `what` in the table, e.g. the plugin's share of its build.
    detail: str = ""
    peak_rss_kib: int | None = None
    #: The sphinx-needs figures this line is compared with.
    baseline: Row | None = None
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


# --------------------------------------------------------------------------- processes


def run_process(
    cmd: Sequence[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run a command to its end: wall time, and the peak RSS of that process alone (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env, stdout=out, stderr=err)
        # wait4, unlike getrusage(RUSAGE_CHILDREN), gives this child's own maximum.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            lines = err.read().decode(errors="replace").strip().splitlines()
            raise StepFailed(f"exit {proc.returncode}: {lines[-1] if lines else 'no output'}")
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            usage.ru_maxrss,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def environment(**extra: str | Path) -> dict[str, str]:
    """This process's environment without the benchmark's variables, then with `extra`."""
    ours = ("ARCHPLUGIN_TIMINGS", "ARCHPLUGIN_BENCH_DUMP")
    env = {key: value for key, value in os.environ.items() if key not in ours}
    # Material prints a banner about MkDocs 2.0 on every build unless told not to.
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update({key: str(value) for key, value in extra.items()})
    return env


def last_json_line(path: Path) -> dict[str, float] | None:
    """The last JSON line of a file (archplugin's timings of the last build), if any."""
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None


def plugin_unavailable() -> str | None:
    """Why this interpreter cannot build with archplugin, or None when it can."""
    if importlib.util.find_spec("mkdocs") is None:
        return "n/a (mkdocs not installed)"
    if not importlib.metadata.entry_points(group="mkdocs.plugins", name="archplugin"):
        return "n/a (plugin not installed)"
    try:
        if importlib.util.find_spec("mkdocs_archplugin.plugin") is None:
            return "n/a (plugin not installed)"
    except ImportError:
        return "n/a (plugin not installed)"
    return None


def ensure_sphinx_venv(log: Callable[[str], None]) -> Path:
    """The sphinx-build of bench/.venv-sphinx, creating the venv with Sphinx + sphinx-needs."""
    python = SPHINX_VENV / "bin" / "python"
    probe = [str(python), "-c", "import sphinx, sphinx_needs"]
    if not python.exists() or subprocess.run(probe, capture_output=True).returncode:
        log(f"creating bench/{SPHINX_VENV.name} with {', '.join(SPHINX_PACKAGES)}")
        subprocess.run([sys.executable, "-m", "venv", str(SPHINX_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                *SPHINX_PACKAGES,
            ],
            check=True,
        )
    return SPHINX_VENV / "bin" / "sphinx-build"


# --------------------------------------------------------------------------- measurements


def measure_sphinx(
    sphinx_build: Path, files: generate.SiteFiles, work: Path, reps: int
) -> dict[str, list[Run]]:
    """Full builds from scratch, then incremental rebuilds after editing one file."""
    assert files.sphinx_dir and files.sphinx_architecture
    html, doctrees = work / "sphinx-html", work / "sphinx-doctrees"
    command = [sphinx_build, "-b", "html", "-q", "-d", doctrees, files.sphinx_dir, html]
    results: dict[str, list[Run]] = {"full": [], "architecture": [], "shard": []}
    for _ in range(reps):
        shutil.rmtree(html, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
        results["full"].append(run_process(command))
    for key, path in (
        ("architecture", files.sphinx_architecture),
        ("shard", files.sphinx_shards[0]),
    ):
        for k in range(reps):
            generate.edit_for_rebuild(path, k)
            results[key].append(run_process(command))
    return results


def mkdocs_build(config_file: Path, site_dir: Path, env: dict[str, str]) -> Run:
    """One `mkdocs build -q`; an error it logs fails the step even when the build completes."""
    run = run_process(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config_file, "-d", site_dir], env=env
    )
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
    if errors:
        raise StepFailed(errors[0])
    return run


def measure_mkdocs_with_plugin(files: generate.SiteFiles, work: Path, reps: int) -> list[Run]:
    """`mkdocs build` with the plugin; each run carries the plugin's own timings."""
    runs = []
    for k in range(reps):
        timings = work / f"timings-build-{k}.jsonl"
        run = mkdocs_build(
            files.mkdocs_yml, work / "site-plugin", environment(ARCHPLUGIN_TIMINGS=timings)
        )
        runs.append(Run(run.seconds, run.peak_rss_kib, last_json_line(timings)))
    return runs


def write_plain_copy(files: generate.SiteFiles, work: Path, site_name: str, theme: str) -> Path:
    """The same site without the plugin, its pages written out as Markdown; its mkdocs.yml."""
    dump = work / "plugin-pages"
    dump_config = files.root / "mkdocs-dump.yml"
    dump_config.write_text(
        generate.mkdocs_config(site_name, theme=theme, hooks=(str(DUMP_HOOK),)), encoding="utf-8"
    )
    mkdocs_build(dump_config, work / "site-dump", environment(ARCHPLUGIN_BENCH_DUMP=dump))
    plain = work / "plain"
    shutil.copytree(files.docs_dir, plain / "docs")
    shutil.copytree(dump, plain / "docs", dirs_exist_ok=True, ignore=shutil.ignore_patterns("not_in_nav.txt"))
    # The pages the plugin keeps out of the nav stay out of it in the copy too.
    unlisted = dump / "not_in_nav.txt"
    patterns = unlisted.read_text(encoding="utf-8").split() if unlisted.exists() else []
    not_in_nav = "not_in_nav: |\n" + "".join(f"  {p}\n" for p in patterns) if patterns else ""
    config = plain / "mkdocs.yml"
    config.write_text(
        generate.mkdocs_config(site_name, theme=theme, plugin=False) + not_in_nav, encoding="utf-8"
    )
    return config


def measure_mkdocs_plain(config: Path, work: Path, reps: int) -> list[Run]:
    return [mkdocs_build(config, work / "site-plain", environment()) for _ in range(reps)]


def measure_serve(
    files: generate.SiteFiles, work: Path, reps: int, *, dirty: bool = False
) -> dict[str, list[Run]]:
    """Rebuilds in one serve-like process (`--dirty`: as `mkdocs serve --dirty`) after editing
    architecture.yml, then one PRD shard."""
    copy = work / ("serve-dirty" if dirty else "serve")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(files.root, copy, ignore=shutil.ignore_patterns("sphinx"))
    edits = {
        "architecture": files.architecture_yml.relative_to(files.root).as_posix(),
        "shard": files.prd_shards[0].relative_to(files.root).as_posix(),
    }
    command = [
        sys.executable,
        SERVE_REBUILD,
        copy / "mkdocs.yml",
        "--site-dir",
        work / ("site-serve-dirty" if dirty else "site-serve"),
    ]
    command += ["--reps", str(reps), *(["--dirty"] if dirty else [])]
    for path in edits.values():
        command += ["--edit", path]
    timings = work / ("timings-serve-dirty.jsonl" if dirty else "timings-serve.jsonl")
    process = run_process(command, env=environment(ARCHPLUGIN_TIMINGS=timings))
    report = json.loads(process.stdout)
    timed = report["initial"]["plugin"] is not None
    for edited, runs in [("nothing", [report["initial"]]), *report["rebuilds"].items()]:
        for run in runs:
            if run["errors"]:
                raise StepFailed(f"the build after editing {edited} logged: {run['errors'][0]}")
            # A rebuild without the timings line the first build wrote skipped the plugin's work.
            if timed and run["plugin"] is None:
                raise StepFailed(f"archplugin reported no timings after editing {edited}")
    return {
        key: [
            Run(r["seconds"], process.peak_rss_kib, r["plugin"]) for r in report["rebuilds"][path]
        ]
        for key, path in edits.items()
    }


# --------------------------------------------------------------------------- one size


def attempt(step: Callable[[], object]) -> tuple[object, str]:
    """A step's result, or None and the note the table shows instead."""
    try:
        return step(), ""
    except StepFailed as error:
        return None, f"failed ({error})"


@dataclass(frozen=True)
class SizeResult:
    """One N's table rows, and archplugin's own timings by kind of build."""

    rows: list[Row]
    plugin_timings: dict[str, list[dict[str, float]]]


def bench_size(
    n: int,
    *,
    reps: int,
    seed: int,
    work_root: Path,
    theme: str,
    shape: str,
    sphinx_build: Path | None,
    sphinx_note: str,
    plugin_note: str | None,
    log: Callable[[str], None],
) -> SizeResult:
    """Every measurement for one N."""
    work = work_root / str(n)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    site_name = f"Bench Product {n}"
    started = time.perf_counter()
    files = generate.generate(
        n, work / "site", seed=seed, sphinx=sphinx_build is not None, theme=theme, shape=shape
    )
    log(f"N={n:,}: generated in {time.perf_counter() - started:.2f} s")

    sphinx: dict[str, list[Run]] | None = None
    if sphinx_build is not None:
        log(f"N={n:,}: sphinx-needs, {reps} full builds and {2 * reps} incremental rebuilds")
        sphinx, sphinx_note = attempt(lambda: measure_sphinx(sphinx_build, files, work, reps))

    def sphinx_row(what: str, key: str) -> Row:
        return row_of(n, what, sphinx[key] if sphinx else None, None, sphinx_note)

    sphinx_full = sphinx_row(SPHINX_BUILD, "full")
    sphinx_arch = sphinx_row("sphinx-needs: rebuild after editing architecture.rst", "architecture")
    sphinx_shard = sphinx_row("sphinx-needs: rebuild after editing one shard", "shard")

    with_plugin = plain = serve = dirty = None
    note = plugin_note or ""
    if plugin_note is None:
        log(f"N={n:,}: mkdocs build with archplugin, {reps} runs")
        with_plugin, note = attempt(lambda: measure_mkdocs_with_plugin(files, work, reps))
    plain_note = serve_note = dirty_note = note
    if with_plugin is not None:
        log(f"N={n:,}: mkdocs build without the plugin, its pages as Markdown, {reps} runs")
        plain, plain_note = attempt(
            lambda: measure_mkdocs_plain(
                write_plain_copy(files, work, site_name, theme), work, reps
            )
        )
        log(f"N={n:,}: mkdocs serve-style rebuilds, {2 * reps}")
        serve, serve_note = attempt(lambda: measure_serve(files, work, reps))
        log(f"N={n:,}: mkdocs serve --dirty-style rebuilds, {2 * reps}")
        dirty, dirty_note = attempt(lambda: measure_serve(files, work, reps, dirty=True))

    timed = [run for run in with_plugin or () if run.plugin]
    own = Row(n, PLUGIN_OWN, baseline=sphinx_full, note=note or "n/a (no timings)")
    if timed:
        share = statistics.median(run.plugin["total"] / run.seconds for run in timed)
        own = Row(
            n,
            own.what,
            tuple(run.plugin["total"] for run in timed),
            detail=f"({share:.0%} of its build)",
            baseline=sphinx_full,
        )
    serve_arch = serve["architecture"] if serve else None
    serve_shard = serve["shard"] if serve else None
    dirty_arch = dirty["architecture"] if dirty else None
    dirty_shard = dirty["shard"] if dirty else None
    rows = [
        sphinx_full,
        row_of(n, PLUGIN_BUILD, with_plugin, sphinx_full, note),
        row_of(n, PLAIN_BUILD, plain, sphinx_full, plain_note),
        own,
        sphinx_arch,
        row_of(
            n,
            "mkdocs serve: rebuild after editing architecture.yml",
            serve_arch,
            sphinx_arch,
            serve_note,
        ),
        row_of(
            n,
            "mkdocs serve --dirty: rebuild after editing architecture.yml",
            dirty_arch,
            sphinx_arch,
            dirty_note,
        ),
        sphinx_shard,
        row_of(
            n,
            "mkdocs serve: rebuild after editing one PRD shard",
            serve_shard,
            sphinx_shard,
            serve_note,
        ),
        row_of(
            n,
            "mkdocs serve --dirty: rebuild after editing one PRD shard",
            dirty_shard,
            sphinx_shard,
            dirty_note,
        ),
    ]
    plugin_timings = {
        kind: [run.plugin for run in runs if run.plugin]
        for kind, runs in (
            ("mkdocs build", with_plugin),
            ("serve rebuild, architecture.yml edited", serve_arch),
            ("serve rebuild, PRD shard edited", serve_shard),
            ("serve --dirty rebuild, architecture.yml edited", dirty_arch),
            ("serve --dirty rebuild, PRD shard edited", dirty_shard),
        )
        if runs and any(run.plugin for run in runs)
    }
    # Keep the generated inputs for a look, not the built sites (gigabytes at N=10,000).
    for built in (
        "site-plugin",
        "site-dump",
        "site-plain",
        "site-serve",
        "site-serve-dirty",
        "sphinx-html",
    ):
        shutil.rmtree(work / built, ignore_errors=True)
    return SizeResult(rows, plugin_timings)


def row_of(n: int, what: str, runs: list[Run] | None, baseline: Row | None, note: str) -> Row:
    if not runs:
        return Row(n, what, baseline=baseline, note=note or "n/a")
    rss = [run.peak_rss_kib for run in runs if run.peak_rss_kib]
    return Row(
        n,
        what,
        tuple(run.seconds for run in runs),
        peak_rss_kib=max(rss) if rss else None,
        baseline=baseline,
    )


# --------------------------------------------------------------------------- report


def seconds_text(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def ratio_text(value: float | None, baseline: float | None) -> str:
    if value is None or not baseline:
        return "—"
    return f"{value / baseline:.2f}×"


def table(rows: list[Row]) -> str:
    """The results as one Markdown table, padded to read in a terminal too."""
    header = ("N", "measurement", "median", "min–max", "peak RSS", "time × sphinx-needs")
    lines = [header]
    for row in rows:
        what = f"{row.what} {row.detail}" if row.detail else row.what
        if not row.seconds:
            lines.append((f"{row.n:,}", what, row.note, "", "", ""))
            continue
        base = row.baseline
        rss = "—"
        if row.peak_rss_kib:
            rss = f"{row.peak_rss_kib / 1024:.0f} MiB"
            if base and base.peak_rss_kib and base is not row:
                rss += f" ({row.peak_rss_kib / base.peak_rss_kib:.2f}×)"
        lines.append(
            (
                f"{row.n:,}",
                what,
                seconds_text(row.median),
                f"{seconds_text(min(row.seconds))}–{seconds_text(max(row.seconds))}",
                rss,
                ratio_text(row.median, base.median if base else None),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    ]
    text.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(text)


def headline(rows: list[Row]) -> list[str]:
    """One sentence per N: mkdocs + archplugin against sphinx-needs, as ratios."""
    sentences = []
    for n in sorted({row.n for row in rows}):
        by_what = {row.what: row for row in rows if row.n == n}
        build, sphinx = by_what[PLUGIN_BUILD], by_what[SPHINX_BUILD]
        plain, own = by_what[PLAIN_BUILD], by_what[PLUGIN_OWN]
        if not (build.seconds and sphinx.seconds):
            continue
        sentence = (
            f"N={n:,}: mkdocs build + archplugin takes {build.median / sphinx.median:.2f}× "
            "the time of sphinx-needs"
        )
        if build.peak_rss_kib and sphinx.peak_rss_kib:
            sentence += f" and {build.peak_rss_kib / sphinx.peak_rss_kib:.2f}× its peak memory"
        if own.seconds:
            sentence += f"; the plugin's own work is {own.median / build.median:.0%} of the build"
        if plain.seconds:
            sentence += (
                f", and the build takes {build.median / plain.median:.2f}× as long as "
                "the same pages as plain Markdown"
            )
        sentences.append(sentence + ".")
    return sentences


def stage_table(plugin_timings: dict[int, dict[str, list[dict[str, float]]]]) -> str:
    """Medians of archplugin's own timings by stage, for full builds and serve rebuilds."""
    reported = {
        stage
        for by_kind in plugin_timings.values()
        for runs in by_kind.values()
        for timings in runs
        for stage in timings
    }
    extra = sorted(reported - {*PLUGIN_STAGES, "total"})
    stages = [*PLUGIN_STAGES, *extra, "total"]
    lines = ["| N | build | " + " | ".join(stages) + " |", "|---|---|" + "---|" * len(stages)]
    for n, by_kind in plugin_timings.items():
        for kind, runs in by_kind.items():
            cells = [
                seconds_text(statistics.median(timings.get(stage, 0.0) for timings in runs))
                for stage in stages
            ]
            lines.append(f"| {n:,} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine_description(sphinx_build: Path | None) -> list[str]:
    """What the figures were measured on: CPU, memory, OS, and every tool's version."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB memory"
                break
    except OSError:
        pass
    versions = []
    for dist in (
        "mkdocs",
        "mkdocs-material",
        "mkdocs-archplugin",
        "markdown-it-py",
        "PyYAML",
        "pydantic",
    ):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} not installed")
    lines = [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores{memory}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}: {', '.join(versions)}",
    ]
    if sphinx_build is not None:
        probe = (
            "import importlib.metadata as m, platform;"
            "print(f'Python {platform.python_version()}: ' + ', '.join("
            "f'{d} {m.version(d)}' for d in ('sphinx', 'sphinx-needs', 'docutils')))"
        )
        found = subprocess.run(
            [str(sphinx_build.parent / "python"), "-c", probe], capture_output=True, text=True
        )
        lines.append(
            f"- {found.stdout.strip() or 'Sphinx venv: versions unknown'} (bench/.venv-sphinx)"
        )
    return lines


def report(
    rows: list[Row],
    plugin_timings: dict[int, dict[str, list[dict[str, float]]]],
    machine: list[str],
    *,
    reps: int,
    seed: int,
    command: str,
    shape: str = "mixed",
) -> str:
    today = datetime.date.today().isoformat()
    sentences = headline(rows)
    parts = [
        "# Benchmark: mkdocs-archplugin against Sphinx + sphinx-needs",
        "",
        f"`{command}`, {today}, {reps} repetition(s) per figure, generator seed {seed}. "
        "Ratios are the headline: they carry over to other machines far better than seconds, "
        "which hold only for the machine below.",
        "",
        "## Machine",
        "",
        *machine,
        "",
        "## Results",
        "",
        *[f"- {sentence}" for sentence in sentences],
        *([""] if sentences else []),
        table(rows),
        "",
    ]
    if any(plugin_timings.values()):
        parts += [
            "## archplugin's own time by stage (medians)",
            "",
            stage_table(plugin_timings),
            "",
        ]
    parts += [
        "## What is measured",
        "",
        f"- Each N is a site from `bench/generate.py --shape {shape}`: {SHAPE_WORDS[shape]} over "
        "ceil(N/500) PRD shards, and the same requirements, architecture items and links as "
        "sphinx-needs needs in as many RST shards plus `architecture.rst`, with one needtable "
        "of all requirements and their back-links.",
        "- Full builds are whole processes from a clean output folder: `mkdocs build -q` and "
        "`sphinx-build -b html -q` (one process, no `-j`). Peak RSS is that process's own "
        "maximum resident set (`wait4`). The MkDocs site uses the `--theme` given (default "
        "Material, with `navigation.prune` as Material advises for large navigations) and "
        "Sphinx its default theme, alabaster.",
        "- archplugin's own time is what the plugin reports in `$ARCHPLUGIN_TIMINGS` for each "
        "build (parse, load, analyse, render, exports, adding the files to MkDocs, and the PRD "
        "page's backlinks); the share is of the same build's wall time.",
        "- The plain-Markdown site is the generated site built once with the plugin and "
        "`bench/dump_pages_hook.py`, which saves the Markdown of every page the plugin adds or "
        "changes; the copy is then built with the plugin removed from `mkdocs.yml`. The "
        "difference between the two builds is what the plugin costs beyond the pages it adds. "
        "Its links are Markdown links, as the plugin wrote them before it handed links to MkDocs "
        "as tokens written as HTML after conversion (docs/performance.md): the plugin's build "
        "can be the faster one.",
        "- Serve rebuilds run in one process as `mkdocs serve` does (config reloaded, plugin "
        "instances kept across builds, no HTTP server): the time of loading the config and "
        "rebuilding after adding a trade-off to `architecture.yml` (a change of the model, "
        "which every generated page can show) or a sentence to the first PRD shard. Their peak "
        "RSS is that process's, initial build included. sphinx-needs' counterparts are "
        "`sphinx-build` runs over the previous build's doctrees after the matching RST edit. "
        "The `--dirty` rows do the same in another process as `mkdocs serve --dirty` does: "
        "pages whose source did not change are not written again.",
        "",
    ]
    return "\n".join(parts)


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1,000, two repetitions")
    parser.add_argument("--sizes", help="comma-separated N values (default 100,1000,5000,10000)")
    parser.add_argument("--reps", type=int, help="repetitions per figure (default 3, --quick 2)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--theme", default="material", help="MkDocs theme (default material)")
    parser.add_argument(
        "--shape",
        choices=sorted(generate.SHAPES),
        default="mixed",
        help="the sites' shape (default mixed; bmad: issue 18's, see bench/README.md)",
    )
    parser.add_argument("--skip-sphinx", action="store_true", help="measure the MkDocs side only")
    parser.add_argument(
        "--work-dir", type=Path, default=BENCH_DIR / "out", help="default bench/out"
    )
    parser.add_argument(
        "--output", type=Path, help="default bench/results.md (--quick: in --work-dir)"
    )
    args = parser.parse_args(argv)

    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    if args.sizes:
        sizes = tuple(int(size.replace("_", "")) for size in args.sizes.split(","))
    if min(sizes) < generate.MIN_N:
        parser.error(f"every N must be at least {generate.MIN_N}")
    reps = args.reps or (2 if args.quick else 3)
    output = args.output or (
        args.work_dir / "results-quick.md" if args.quick else BENCH_DIR / "results.md"
    )

    def log(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    sphinx_build: Path | None = None
    sphinx_note = "skipped (--skip-sphinx)"
    if not args.skip_sphinx:
        try:
            sphinx_build = ensure_sphinx_venv(log)
        except (OSError, subprocess.CalledProcessError) as error:
            sphinx_note = f"n/a (no Sphinx venv: {error})"
    plugin_note = plugin_unavailable()
    load_at_start = os.getloadavg()[0]
    if plugin_note:
        log(f"mkdocs measurements: {plugin_note}")

    rows: list[Row] = []
    plugin_timings: dict[int, dict[str, list[dict[str, float]]]] = {}
    for n in sizes:
        result = bench_size(
            n,
            reps=reps,
            seed=args.seed,
            work_root=args.work_dir,
            theme=args.theme,
            shape=args.shape,
            sphinx_build=sphinx_build,
            sphinx_note=sphinx_note,
            plugin_note=plugin_note,
            log=log,
        )
        rows += result.rows
        plugin_timings[n] = result.plugin_timings

    command = " ".join(["python bench/run.py", *(sys.argv[1:] if argv is None else argv)])
    print(table(rows))
    for sentence in headline(rows):
        print(sentence)
    machine = machine_description(sphinx_build)
    machine.append(
        f"- Load average (1 min) at the start and the end of the run: {load_at_start:.2f}, "
        f"{os.getloadavg()[0]:.2f}: other work on the machine inflates seconds, ratios less"
    )
    text = report(
        rows, plugin_timings, machine, reps=reps, seed=args.seed, command=command, shape=args.shape
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    log(f"wrote {output}")
    return 1 if any(row.note.startswith("failed") for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
