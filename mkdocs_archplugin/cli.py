"""`archplugin`: the command-line front end over the same core as the plugin."""

from __future__ import annotations

import argparse
import json
import os
import sys
from functools import partial
from pathlib import Path

from mkdocs_archplugin import __version__
from mkdocs_archplugin.diagnostics import ArchPluginError
from mkdocs_archplugin.report_formats import REPORT_FORMATS


def _cmd_requirements(args: argparse.Namespace) -> int:
    from mkdocs_archplugin.prd import PrdSettings, assemble_prd, parse_texts, read_prd_texts

    settings, paths, root = PrdSettings(), [Path(p) for p in args.paths], None
    if args.config_file:
        site = _load_site(args.config_file)
        settings = site.settings
        if not paths:
            paths, root = [site.prd], site.docs_dir
    if not paths:
        raise ArchPluginError("no PRD given", "name the PRD file or folder, or the site with -f mkdocs.yml")
    parses, final = parse_texts(read_prd_texts(paths, root), settings)
    prd = assemble_prd(parses)
    if args.json:
        print(json.dumps(prd_to_json(prd), indent=2, ensure_ascii=False))
        return 0
    if args.explain:
        from mkdocs_archplugin.prd.explain import explain

        _print_explanation(explain(parses, prd, final))
        return 0
    rows = [("ID", "KIND", "CATEGORY", "PRIORITY", "SOURCE", "TITLE")]
    for req in prd.requirements:
        rows.append(
            (
                req.id,
                "NFR" if req.is_nfr else "FR",
                req.category or "",
                req.priority or "",
                str(req.source),
                req.title,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True)) + "  " + row[5])
    fr, nfr = len(prd.functional), len(prd.non_functional)
    if args.verbosity >= 0:
        print(f"\n{fr} functional, {nfr} non-functional requirements in {len(prd.files)} file(s)")
    for diagnostic in prd.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    return 0


def _print_explanation(explanation) -> None:
    """Per section: role, why, and what it defines; then the id families and the totals."""
    current = None
    for report in explanation.sections:
        if report.file != current:
            current = report.file
            print(f"{current}")
        s = report.section
        counts = []
        if report.identified:
            counts.append(f"{report.identified} with id")
        if report.derived:
            counts.append(f"{report.derived} without id")
        if report.restated:
            counts.append(f"{report.restated} restatement(s) left out")
        role = s.role or "-"
        print(f"  {s.line:>5}  {'  ' * (s.level - 1)}{s.title[:60]}  [{role}: {report.reason}]"
              + (f"  {', '.join(counts)}" if counts else ""))
    print("\nid families:")
    for family in explanation.families:
        if family.status in ("distractor", "too few"):
            why = ("never a requirement unless id_patterns names it" if family.status == "distractor"
                   else "too few ids open items to count as a family")
            print(f"  {family.prefix:<12} {family.ids:>5} id(s)  left out: {why}")
        else:
            print(f"  {family.prefix:<12} {family.ids:>5} id(s)  {family.functional} FR, {family.non_functional} NFR"
                  f"  ({family.status})")
    prd = explanation.prd
    print(f"\n{len(prd.functional)} functional, {len(prd.non_functional)} non-functional requirements, "
          f"{len(prd.groups)} group(s) in {len(prd.files)} file(s)")


def prd_to_json(prd) -> dict[str, object]:
    """The parser's view of a PRD as plain JSON (the `requirements --json` output)."""
    return {
        "files": list(prd.files),
        "requirements": [req.to_dict() for req in prd.requirements],
        "groups": [group.to_dict() for group in prd.groups],
        "items": [item.to_dict() for item in prd.items],
        "diagnostics": [d.to_dict() for d in prd.diagnostics],
    }


def _cmd_schema(args: argparse.Namespace) -> int:
    from mkdocs_archplugin.architecture.model import architecture_json_schema_text

    sys.stdout.write(architecture_json_schema_text(shard=args.shard))
    return 0


def _cmd_scaffold(args: argparse.Namespace) -> int:
    from mkdocs_archplugin.architecture.scaffold import render_scaffold
    from mkdocs_archplugin.prd import parse_prd

    output = Path(args.output)
    if args.output != "-" and output.exists() and not args.force:
        raise ArchPluginError(f"{output} already exists", "use --force to overwrite it")
    prd = parse_prd([Path(p) for p in args.paths])
    text = render_scaffold(prd, args.schema_url) if args.schema_url else render_scaffold(prd)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ArchPluginError(f"cannot write {output}: {error.strerror}") from None
    if args.verbosity >= 0:
        print(f"wrote {output}: {len(prd.non_functional)} decision(s) to make, one per NFR; "
              f"{len(prd.functional)} FR(s) to assign to components")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from mkdocs_archplugin.architecture.load import load_architecture
    from mkdocs_archplugin.importer import import_documents, prd_ids
    from mkdocs_archplugin.prd import parse_prd

    output = Path(args.output)
    if args.output != "-" and output.exists() and not args.force:
        raise ArchPluginError(f"{output} already exists", "use --force to overwrite it, or -o another file")
    paths = [Path(p) for p in args.paths]
    for path in paths:
        if not path.exists():
            raise ArchPluginError(f"{path}: not found", "name an architecture document or a folder of them")
    defined = parse_prd([Path(p) for p in args.prd]).by_id if args.prd else None
    result = import_documents(paths, prd_ids(list(defined)) if defined is not None else None)
    for where, what in result.draft.unplaced:
        print(f"{where}: not placed: {what}", file=sys.stderr)
    if defined is not None and args.verbosity >= 0:
        traced = sum(1 for rid in result.draft.mentioned if rid in defined)
        print(f"{traced} of the {len(defined)} PRD requirement(s) traced", file=sys.stderr)
    if args.output == "-":
        sys.stdout.write(result.yaml)
        return 0
    try:
        output.write_text(result.yaml, encoding="utf-8")
    except OSError as error:
        raise ArchPluginError(f"cannot write {output}: {error.strerror}") from None
    _, problems = load_architecture(output)
    counts = ", ".join(f"{n} {key}" for key, n in result.counts().items())
    if args.verbosity >= 0 or problems:
        print(f"wrote {output}: {counts}; {len(result.draft.unplaced)} block(s) kept as prose"
              + (f"; {len(problems)} schema problem(s), see `archplugin check`" if problems else ""), file=sys.stderr)
    return 0


def _cmd_prd_from_needs(args: argparse.Namespace) -> int:
    from mkdocs_archplugin.prd.from_needs import prd_from_needs, read_needs_json

    output = Path(args.output)
    if args.output != "-" and output.exists() and not args.force:
        raise ArchPluginError(f"{output} already exists", "use --force to overwrite it")
    settings = _load_site(args.config_file).settings if args.config_file else None
    project, needs = read_needs_json(Path(args.needs_json), args.version)
    converted = prd_from_needs(needs, project, fr_types=args.fr_types.split(","), nfr_types=args.nfr_types.split(","),
                               settings=settings)
    if args.output == "-":
        sys.stdout.write(converted.markdown)
    else:
        try:
            output.write_text(converted.markdown, encoding="utf-8")
        except OSError as error:
            raise ArchPluginError(f"cannot write {output}: {error.strerror}") from None
        print(f"wrote {output}: {converted.requirements} requirement(s); {converted.skipped} need(s) of other "
              "types left out", file=sys.stderr)
    for problem in converted.problems:
        print(f"archplugin: warning: {args.needs_json}: {problem}", file=sys.stderr)
    return 1 if converted.problems else 0


def _load_site(config_file: str):
    """The plugin's view of a site, from its mkdocs.yml, through MkDocs' own config loading."""
    import logging
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from mkdocs_archplugin.plugin import project_config

    if not Path(config_file).is_file():
        raise ArchPluginError(f"{config_file}: not found", "pass the site's config with -f mkdocs.yml")
    try:
        config = load_config(config_file)
    except MkDocsException as error:  # MkDocs has logged each configuration error above
        raise ArchPluginError(f"{config_file}: {' '.join(str(error).split())}",
                              "fix the configuration errors listed above") from None
    plugin = config.plugins.get("archplugin")
    if plugin is None:
        raise ArchPluginError(f"{config_file}: the archplugin plugin is not enabled",
                              "add `- archplugin` under `plugins:`")
    return project_config(plugin.config, config)


def _cmd_check(args: argparse.Namespace) -> int:
    from mkdocs_archplugin.diagnostics import Diagnostic, Severity
    from mkdocs_archplugin.project import ArchProject
    from mkdocs_archplugin.architecture.load import architecture_files
    from mkdocs_archplugin.report_formats import Report, inputs_read, render_report, repository_path

    site = _load_site(args.config_file)
    path = partial(repository_path, docs_dir=site.docs_dir, config_dir=site.config_dir)
    try:
        # Rendered too, though nothing is written: a broken override template fails the
        # build, so it fails the check.
        analysis = ArchProject().build(site).analysis
    except ArchPluginError as error:
        if error.code is None:
            raise
        # No PRD, no analysis: the one diagnostic is the result, as failing as any other.
        # Located at the PRD, as every other diagnostic is (the message names it already).
        message = error.message.removeprefix(f"{_prd_label(site)}: ")
        stop = Diagnostic(str(site.prd), 0, 0, error.code, message, error.hint)
        report = Report([(Severity.ERROR, stop)], None, True, path)
    else:
        report = Report(analysis.reported, analysis.summary_line(), bool(analysis.failing), path,
                        inputs_read(analysis.prd, architecture_files(site.decisions), path),
                        len(analysis.diagnostics) - len(analysis.reported))
    sys.stdout.write(render_report(report, args.format, args.verbosity))
    return 1 if report.failed else 0


def _prd_label(site) -> str:
    """The PRD as messages name it: relative to docs_dir."""
    try:
        return Path(site.prd).relative_to(site.docs_dir).as_posix()
    except ValueError:
        return str(site.prd)


def _cmd_export(args: argparse.Namespace) -> int:
    from mkdocs_archplugin.exports import export_graph, export_json, export_needs_json
    from mkdocs_archplugin.project import ArchProject

    machine = ((args.json, export_json), (args.graph, export_graph), (args.needs_json, export_needs_json))
    targets = [(option, export) for option, export in machine if option]
    if not targets and args.markdown is None and args.markdown_dir is None:
        raise ArchPluginError("nothing to export", "pass --json FILE, --graph FILE, --needs-json FILE, "
                              "--markdown FILE or --markdown-dir DIR")
    if args.check and targets:
        raise ArchPluginError("--check compares the Markdown export only", "drop --json, --graph and --needs-json, or --check")
    site = _load_site(args.config_file)
    markdown = _markdown_target(args, site)
    for option, _ in targets:
        if option != "-":
            _check_export_target(Path(option), site)
    if markdown is not None:
        _check_export_target(markdown[0], site, folder=markdown[1])
    analysis = ArchProject().analyse(site)
    for option, export in targets:
        text = export(analysis)
        if option == "-":
            sys.stdout.write(text)
            continue
        try:
            Path(option).write_text(text, encoding="utf-8")
        except OSError as error:
            raise ArchPluginError(f"{option}: cannot write the export ({error.strerror})",
                                  "choose a writable file path") from None
        if args.verbosity >= 0:
            print(f"wrote {option}", file=sys.stderr)
    if markdown is not None:
        return _export_markdown(analysis, site, *markdown, check=args.check, quiet=args.verbosity < 0)
    return 0


def _markdown_target(args: argparse.Namespace, site) -> tuple[Path, bool] | None:
    """(path, sharded) of the Markdown export asked for, if any; a flag without a path takes
    the site's `markdown_export`."""
    if args.markdown is not None and args.markdown_dir is not None:
        raise ArchPluginError("--markdown and --markdown-dir exclude each other", "choose one file or one folder")
    option = args.markdown if args.markdown is not None else args.markdown_dir
    if option is None:
        if args.check:
            raise ArchPluginError("--check needs --markdown or --markdown-dir", "name the export to compare")
        return None
    if option == "":
        if site.markdown_export is None:
            raise ArchPluginError("no path given and no `markdown_export` in mkdocs.yml",
                                  "pass --markdown FILE, or set the plugin's markdown_export option")
        return site.markdown_export, args.markdown_dir is not None
    return Path(option), args.markdown_dir is not None


def _export_markdown(analysis, site, target: Path, sharded: bool, check: bool, quiet: bool = False) -> int:
    """Write the portable SAD where it changed; with `check`, only say whether it is stale."""
    from mkdocs_archplugin.exports.markdown import markdown_export

    if analysis.arch is None:
        raise ArchPluginError(f"{site.decisions}: no architecture to export", "fix the errors `archplugin check` lists")
    export = markdown_export(analysis, target, site.docs_dir, sharded, site.schema_dialect)
    for stray in export.strays():
        print(f"{stray}: not part of the export (left alone; delete it if its section is gone)", file=sys.stderr)
    if check:
        stale = export.stale()
        for path in stale:
            print(f"{path}: stale; run `archplugin export --markdown{'-dir' if sharded else ''} {target}`",
                  file=sys.stderr)
        return 1 if stale else 0
    try:
        written = export.write()
    except OSError as error:
        raise ArchPluginError(f"{target}: cannot write the export ({error.strerror})",
                              "choose a writable path") from None
    if not quiet:
        print(f"{target}: wrote {len(written)} file(s), {len(export.files) - len(written)} already up to date",
              file=sys.stderr)
    return 0


def _check_export_target(target: Path, site, folder: bool = False) -> None:
    """An export goes to a file path (or, sharded, a folder): not into a missing folder, never
    over an input (the PRD or architecture.yml)."""
    if folder:
        if target.exists() and not target.is_dir():
            raise ArchPluginError(f"{target}: is a file", "name a folder for the shards, such as docs/architecture")
    elif target.is_dir():
        raise ArchPluginError(f"{target}: is a folder", "name a file, such as traceability.json")
    if not target.parent.is_dir():
        raise ArchPluginError(f"{target}: the folder {target.parent} does not exist", "create it first")
    resolved = target.resolve()
    for source in (site.prd, site.decisions):
        source = source.resolve()
        if resolved == source or (source.is_dir() and source in resolved.parents) or (folder and resolved in source.parents):
            raise ArchPluginError(f"{target}: is an input of the site ({source.name})",
                                  "write the export elsewhere; exports never overwrite the PRD or architecture.yml")


#: `-q` of the commands whose only chatter is a status line (a count, "wrote FILE").
_QUIET = argparse.ArgumentParser(add_help=False)
_QUIET.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1, default=0,
                    help="print no status line, only the output and errors")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archplugin",
        description="Parse a PRD and architecture.yml, check traceability, export the results.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    requirements = commands.add_parser(
        "requirements", help="print the requirements the PRD parser sees", parents=[_QUIET]
    )
    requirements.add_argument("paths", nargs="*", metavar="PATH",
                              help="PRD file or folder of shards (default with -f: the site's PRD)")
    requirements.add_argument("-f", "--config-file", metavar="FILE",
                              help="read the PRD options (id_patterns, section_words, …) from this mkdocs.yml")
    requirements.add_argument("--json", action="store_true", help="print JSON instead of a table")
    requirements.add_argument("--explain", action="store_true",
                              help="show the role given to each section and why, and the id families found")
    requirements.set_defaults(run=_cmd_requirements)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of architecture.yml (for editors)"
    )
    schema.add_argument("--shard", action="store_true",
                        help="the schema of one file of a `decisions:` folder (no key required)")
    schema.set_defaults(run=_cmd_schema)

    scaffold = commands.add_parser(
        "scaffold", help="write a starter architecture.yml from a PRD", parents=[_QUIET]
    )
    scaffold.add_argument("paths", nargs="+", metavar="PRD", help="PRD file or folder of shards")
    scaffold.add_argument(
        "-o", "--output", default="architecture.yml", metavar="FILE",
        help="where to write it (default: architecture.yml; - for standard output)",
    )
    scaffold.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    scaffold.add_argument(
        "--schema-url", metavar="URL",
        help="the schema named in the yaml-language-server comment "
        "(default: ./architecture.schema.json)",
    )
    scaffold.set_defaults(run=_cmd_scaffold)

    importing = commands.add_parser(
        "import", help="write a draft architecture.yml from an existing architecture document", parents=[_QUIET]
    )
    importing.add_argument("paths", nargs="+", metavar="PATH",
                           help="a Markdown file, a folder of shards, a spec-kit feature folder or a Kiro design.md")
    importing.add_argument("--prd", action="append", default=[], metavar="PRD",
                           help="trace only the ids this PRD (file or folder) defines; report the others")
    importing.add_argument("-o", "--output", default="architecture.yml", metavar="FILE",
                           help="where to write it (default: architecture.yml; - for standard output)")
    importing.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    importing.set_defaults(run=_cmd_import)
    _add_prd_from_needs(commands)
    _add_site_commands(commands)
    return parser


def _add_prd_from_needs(commands) -> None:
    convert = commands.add_parser("prd-from-needs", help="write a Markdown PRD from sphinx-needs' needs.json")
    convert.add_argument("needs_json", metavar="NEEDS_JSON", help="the needs.json sphinx-needs (or export) wrote")
    convert.add_argument("-o", "--output", default="prd.md", metavar="FILE",
                         help="where to write the PRD (default: prd.md; - for standard output)")
    convert.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    convert.add_argument("--fr-types", default="req", metavar="TYPES",
                         help="need types that are functional requirements, comma-separated (default: req)")
    convert.add_argument("--nfr-types", default="nfreq", metavar="TYPES",
                         help="need types that are non-functional requirements (default: nfreq)")
    convert.add_argument("--version", metavar="VERSION", help="the version of the file to read (default: current)")
    convert.add_argument("-f", "--config-file", metavar="FILE",
                         help="check the result with the PRD options (id_patterns, …) of this mkdocs.yml")
    convert.set_defaults(run=_cmd_prd_from_needs)


def _add_site_commands(commands) -> None:
    check = commands.add_parser(
        "check", help="report every diagnostic without building the site; exit 1 when one fails"
    )
    check.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="FILE", help="the site's mkdocs.yml")
    verbosity = check.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1, default=0,
                           help="text and github formats: only the diagnostics that fail, no summary")
    verbosity.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=1,
                           help="text and github formats: also each input file read and the ignored count")
    check.add_argument("--format", choices=REPORT_FORMATS,
                       default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
                       help="text, GitHub Actions annotations, JSON, SARIF 2.1.0 (code scanning) or "
                       "GitLab Code Quality JSON (default: github when GITHUB_ACTIONS=true, else text)")
    check.set_defaults(run=_cmd_check)

    export = commands.add_parser("export", help="write traceability.json, the knowledge graph, needs.json, or the SAD as Markdown",
                                 parents=[_QUIET])
    export.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="FILE", help="the site's mkdocs.yml")
    export.add_argument("--json", metavar="FILE", help="write traceability.json here (- for stdout)")
    export.add_argument("--graph", metavar="FILE", help="write knowledge-graph.jsonl here (- for stdout)")
    export.add_argument("--needs-json", metavar="FILE", help="write sphinx-needs' needs.json here (- for stdout)")
    export.add_argument("--markdown", metavar="FILE", nargs="?", const="",
                        help="write the System Architecture Document as portable Markdown (e.g. docs/architecture.md; "
                        "without FILE: the plugin's markdown_export)")
    export.add_argument("--markdown-dir", metavar="DIR", nargs="?", const="",
                        help="the same, sharded BMAD-style: DIR/index.md and one file per section")
    export.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when the Markdown export on disk is stale")
    export.set_defaults(run=_cmd_export)


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ArchPluginError as error:
        print(f"archplugin: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `archplugin … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
