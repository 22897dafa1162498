"""The `driverkit` command: a thin shell over the library, one function per command.

Exit codes: 0 no errors, 1 errors found (or warnings with --strict), 2 usage, 3 internal error.
Everything printed goes through driverkit.checks.report.emit, which shows control characters from a file
(or a file name) as escapes, so no project can drive the terminal it is checked on.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import dataclasses
import gc
import os
import re
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from driverkit.project.files import MAX_BYTES, FileRefused, is_project_file, project_files_in, read_regular

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
STARTER = "starter.yaml"
SCHEMA_FILE = "driverkit.schema.json"


# What the command leaves for the end of its process (see `console`); None when `main` is called
# from Python, which frees what it made as usual.
_KEPT: Optional[list[object]] = None


def console() -> None:
    """The `driverkit` command (and `python -m driverkit`): `main`, then the exit.

    The command owns its process, so it ends it at once: once every exit handler registered after
    this one has run (they remove temporary folders), its output flushed. Tearing the interpreter
    down, freeing every object and module one by one, is for nothing: a sixth of a cold `check` of
    one file, a third of a second for a programme of 136 members. For the same reason the cyclic
    garbage collector stays paused to the end (a preview, which runs for hours, turns it back on):
    turned on again after the command, it would first walk every object the command made."""
    global _KEPT
    _KEPT = []
    codes: list[int] = []

    def end_at_once() -> None:
        if not codes:
            return  # an exit of argparse's own (--help, a usage error): as usual
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            return  # a reader that went away: the interpreter ends as usual, and says so as usual
        os._exit(codes[0])

    atexit.register(end_at_once)  # registered first, so it runs last
    gc.disable()  # `main` then leaves it paused
    codes.append(main())
    raise SystemExit(codes[0])


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        with _gc_paused(), warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a file the user named cannot be written: their path, not our bug
        _error(f"driverkit {args.command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return EXIT_USAGE
    except Exception as exc:  # a bug in driverkit, never in the user's file: say so briefly
        if os.environ.get("DRIVERKIT_DEBUG"):
            raise
        _error(f"driverkit: internal error ({type(exc).__name__}: {exc}).\n"
               "This is a bug in driverkit, not in your file. Please report it with the file that caused it; "
               "set DRIVERKIT_DEBUG=1 to see the traceback.")
        return EXIT_INTERNAL


def _say(text: str = "") -> None:
    """One line of results on standard output (a line break from a file is shown as `\\n`)."""
    from driverkit.checks.report import emit

    emit(text, sys.stdout, lines=False)


def _say_all(text: str) -> None:
    """Text that carries its own line ends (a document: the schema, the rules)."""
    from driverkit.checks.report import emit

    emit(text, sys.stdout, end="")


def _error(text: str) -> None:
    from driverkit.checks.report import emit

    emit(text, sys.stderr)


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
    """A warning raised while a command runs (from a library drawing a label, say), printed safely."""
    _error(f"warning: {message}")


class _Parser(argparse.ArgumentParser):
    """argparse, whose messages quote what was typed, printed through the same safe path."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            from driverkit.checks.report import emit

            emit(message, file or sys.stderr, end="")


def _jobs(text: str) -> int:
    """--jobs: a whole number of processes, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes: give a whole number, 1 or more")
    return value


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("a score is from 0 to 100")
    return value


def _add_allow_path(command: argparse.ArgumentParser) -> None:
    command.add_argument("--allow-path", dest="allow", action="append", default=[], metavar="PATH",
                         help="a folder or file outside the project's repository that the data and font files "
                              "a project names may be read from (by default they must be inside the git repository "
                              "holding the project file, or its folder outside a repository); repeatable")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the life of a command.

    Loading a large project builds hundreds of thousands of objects that all stay alive; the
    collector would rescan that growing heap many times and find nothing (about a third of the
    time on a 100,000-element file). The command line owns its process, so it can afford this;
    the library leaves the collector alone.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parser() -> argparse.ArgumentParser:
    from driverkit import __version__
    from driverkit.checks.report import FORMATS

    parser = _Parser(prog="driverkit", description="Improvement projects as code: check the aim, the driver diagram and the measures.")
    parser.add_argument("--version", action="version", version=f"driverkit {__version__}")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    check = commands.add_parser("check", help="validate project files and check their logic chain")
    check.add_argument("files", nargs="+", metavar="FILE",
                       help="project files, or folders to search for them (*.yaml and *.yml files that start a `driverkit:` document); - reads standard input")
    check.add_argument("--format", choices=("auto",) + FORMATS, default="auto",
                       help="output format (default: github under GitHub Actions, text otherwise)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--disable", action="append", default=[], metavar="RULE", help="switch a rule off (code or name); repeatable")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the text output")
    check.add_argument("--all", action="store_true",
                       help="every finding on a line of its own: the text format shows a rule that fires more than 3 times "
                            "in one file as one line (first place, count, ids), and a draft project (`draft: true`) holds back "
                            "the findings about what a draft does not have yet; --all does neither")
    check.add_argument("--stdin-filename", default="<stdin>", metavar="NAME", help="the file name to report for standard input")
    check.add_argument("--changed", action="store_true",
                       help="the files are those a commit changed (as pre-commit passes them): YAML that is not a project "
                            "file is skipped silently, and any other file (a data CSV) stands for the project files under "
                            "the current folder that name it")
    _add_allow_path(check)
    check.set_defaults(run=run_check)

    init = commands.add_parser("init", help="write a commented starter project file")
    init.add_argument("path", nargs="?", default="project.yaml", help="where to write it (default: project.yaml)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(run=run_init)

    schema = commands.add_parser("schema", help="write the JSON Schema of the file format (for editors)")
    schema.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of standard output")
    schema.set_defaults(run=run_schema)

    render = commands.add_parser("render", help="draw the driver diagram, its link matrices and the logic model, write the plans and the PDSA log")
    render.add_argument("files", nargs="+", metavar="FILE", help="project files, or folders to search for them")
    render.add_argument("-o", "--output", default="out", metavar="DIR", help="the folder to write into (default: out)")
    render.add_argument("--view", action="append", metavar="VIEW",
                        help="driver-diagram, measurement-plan, logic-model, pdsa, spread, matrix, report, measure-data, "
                             "deck, or all; repeatable (default: the driver diagram, and for a format it cannot be "
                             "written in, the first view that can: -f pptx gives the deck)")
    render.add_argument("-f", "--format", action="append", metavar="FORMAT",
                        help="driver-diagram: svg, png, pdf, dot, mermaid; measurement-plan: html, md, csv, xlsx; "
                             "logic-model: svg, png, pdf, dot, html, md; pdsa and spread: html, md, csv, xlsx; matrix: "
                             "svg, png, pdf, html, md; report: html, pdf; measure-data: csv, xlsx; deck: pptx; repeat "
                             "or separate with commas (default: each view's first)")
    render.add_argument("--pptx-template", metavar="PATH", help="a .pptx whose master, layouts, fonts and colours the deck takes")
    render.add_argument("--pdf-engine", choices=("auto", "chromium", "xhtml2pdf"), default="auto",
                        help="what prints the report as PDF: a system Chromium when there is one (auto), or xhtml2pdf")
    render.add_argument("--templates", metavar="DIR", help="a folder of templates that replace the shipped ones of the same name")
    render.add_argument("--backend", choices=("auto", "system", "embedded"), default="auto",
                        help="Graphviz to use: the system `dot`, the embedded one, or auto (system when present)")
    render.add_argument("--theme", choices=("default", "print", "colourblind"), help="overrides the project's render: theme")
    render.add_argument("--font-size", type=float, metavar="POINTS", help="size of box text")
    render.add_argument("--show-ids", action="store_true", default=None, help="show each element's id")
    render.add_argument("--hide-abandoned", action="store_true", default=None, help="leave abandoned change ideas out")
    render.add_argument("--no-measures", dest="show_measures", action="store_false", default=None, help="no measure badges")
    render.add_argument("--no-legend", dest="legend", action="store_false", default=None, help="no legend or measure key")
    render.add_argument("--primary", metavar="ID",
                        help="only this primary driver and what feeds it (an id that is not a primary driver is an error, "
                             "which lists the primary drivers there are)")
    render.add_argument("--driver", metavar="ID",
                        help="only this driver (at any level), what feeds it and its path to the aim (an id that is not a driver "
                             "is an error, which lists the drivers there are)")
    render.add_argument("--status", action="append", metavar="STATUS",
                        help="only change ideas with this status (repeatable); a view that matches nothing is still "
                             "written, with the aim alone, and a warning says so")
    render.add_argument("--tag", action="append", metavar="TAG",
                        help="only elements with this tag and what ties them to the aim (repeatable; a tag nobody uses "
                             "is an error when no tag given matches, which lists the tags there are)")
    render.add_argument("--descriptions", action="store_true", default=None,
                        help="draw each element's description as a smaller second line in its box; overrides the "
                             "project's render: descriptions")
    render.add_argument("--order", choices=("balanced", "file"),
                        help="boxes of each column: balanced (fewest crossing links, near what they are written under) "
                             "or file (as written); overrides the project's render: order")
    render.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N", help="processes to use, 1 or more (default: one per core)")
    _add_allow_path(render)
    render.set_defaults(run=run_render)

    chart = commands.add_parser("chart", help="draw the run chart or SPC chart of each measure that has data")
    chart.add_argument("files", nargs="+", metavar="FILE", help="project files, or folders of them")
    chart.add_argument("--measure", action="append", metavar="ID", help="only this measure (repeatable)")
    chart.add_argument("-o", "--output", default="out", metavar="DIR", help="the folder to write into (default: out)")
    chart.add_argument("-f", "--format", default="svg", help="svg or png, or both separated by a comma (default: svg)")
    chart.add_argument("--json", action="store_true", help="print the analysis (centre lines, limits, signals) as JSON")
    _add_allow_path(chart)
    chart.set_defaults(run=run_chart)

    programme = commands.add_parser("programme", help="a programme and its member projects at once: links, coverage, common ground, spread, comparison")
    programme.add_argument("file", metavar="FILE", help="the programme's project file (its `programme: members:` lists the members)")
    programme.add_argument("--format", choices=("text", "json"), default="text", help="the summary on standard output (default: text)")
    programme.add_argument("-o", "--output", metavar="DIR", help="write the map, the report and the comparison charts into DIR")
    programme.add_argument("-f", "--formats", default="svg,html,md",
                           help="with -o: the map in svg, png, pdf or dot; the report in html or md; charts in svg or png "
                                "(separated by commas; default: svg,html,md)")
    programme.add_argument("--threshold", type=_threshold, default=None, metavar="SCORE",
                           help="the score from 0 to 100 from which texts of two members count as the same (default: 80)")
    programme.add_argument("--review-from", type=_threshold, default=None, metavar="SCORE",
                           help="also list the pairs of texts in no one group that score SCORE or more (40 or more, below "
                                "the threshold), for people to decide; 60 finds much of what the groups miss (a slower search)")
    programme.add_argument("--window", metavar="FROM:TO", help="the periods of the funnel plots, e.g. 2020-01:2020-12 (default: the last 12)")
    programme.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    programme.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                           help="processes that load the members, 1 or more (default: 2 for a large programme on a machine with 2 cores or more)")
    _add_allow_path(programme)
    programme.set_defaults(run=run_programme)

    review = commands.add_parser("review", help="decide the common ground of a programme, one question at a time: each answer "
                                                 "is written into the programme file at once")
    review.add_argument("file", metavar="FILE", help="the programme's project file (the answers go into its `programme: decisions:`)")
    review.add_argument("--from", dest="review_from", type=_threshold, default=None, metavar="SCORE",
                        help="ask about the pairs of texts in no one group that score SCORE or more, best first (40 or more, "
                             "below the threshold; default: 45; 60 starts sooner on a large programme)")
    review.add_argument("--threshold", type=_threshold, default=None, metavar="SCORE",
                        help="the score from which texts count as the same, as for `programme` (default: 80)")
    review.add_argument("--kind", choices=("change", "driver", "measure"), action="append", metavar="KIND",
                        help="only the change ideas, drivers or measures (change, driver or measure; repeatable; default: all)")
    review.add_argument("--note", metavar="TEXT", help="a note written with every decision, e.g. who decided and when")
    review.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N", help="processes that load the members, as for `programme`")
    _add_allow_path(review)
    review.set_defaults(run=run_review)

    imported = commands.add_parser("import", help="write a project file from a driver diagram kept in a spreadsheet (XLSX, CSV) or a FreeSPC export")
    imported.add_argument("file", metavar="FILE", help="the spreadsheet outline (.xlsx, .csv) or FreeSPC CSV export")
    imported.add_argument("-o", "--output", required=True, metavar="PATH", help="the project file to write ('-' for standard output)")
    imported.add_argument("--sheet", metavar="NAME", help="the worksheet to read (default: the first with a recognisable header)")
    imported.add_argument("--title", metavar="TEXT", help="the project's title (default: a title row above the header, or the file's name)")
    imported.add_argument("--force", action="store_true", help="overwrite an existing file")
    imported.set_defaults(run=run_import)

    watch = commands.add_parser("watch", help="a live preview on http://127.0.0.1:PORT/ that redraws on every save")
    watch.add_argument("files", nargs="+", metavar="FILE", help="project files, or folders of them")
    watch.add_argument("--port", type=int, default=8000, help="the port to serve on, on 127.0.0.1 only (default: 8000; 0 picks a free one)")
    watch.add_argument("--backend", choices=("auto", "system", "embedded"), default="auto", help="Graphviz to use, as for render")
    _add_allow_path(watch)
    watch.set_defaults(run=run_watch)

    rules = commands.add_parser("rules", help="list the rules, or explain the ones named")
    rules.add_argument("names", nargs="*", metavar="RULE", help="codes or names of rules to explain (default: list them all)")
    rules.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    rules.set_defaults(run=run_rules)
    return parser


def run_check(args: argparse.Namespace) -> int:
    from driverkit import __version__
    from driverkit.programme.checking import check_file, check_text
    from driverkit.project.diagnostics import Diagnostic, ProjectError, Severity
    from driverkit.checks.report import emit, format_diagnostics
    from driverkit.checks.rules import find_rule
    from driverkit.project.source import decode

    for name in args.disable:
        rule = find_rule(name)
        if rule is None or not rule.can_disable:
            why = "no rule is named" if rule is None else "this rule reports a file that cannot be read and cannot be switched off:"
            _error(f"driverkit check: error: {why} {name} (see `driverkit rules`)")
            return EXIT_USAGE
    results: dict[str, list[Diagnostic]] = {}
    for file in (_changed_projects(args.files) if args.changed else _expand(args.files)):
        if file == "-":
            try:  # one byte over the limit is enough to refuse it
                text = decode(sys.stdin.buffer.read(MAX_BYTES + 1), args.stdin_filename)
            except ProjectError as exc:
                results[args.stdin_filename] = exc.diagnostics
                continue
            results[args.stdin_filename] = check_text(text, args.stdin_filename, args.disable, args.allow, hold_back=not args.all)
        else:
            results[file] = check_file(file, args.disable, args.allow, hold_back=not args.all)

    fmt = args.format
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    if fmt == "auto":
        fmt = "github" if in_actions else "text"
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty()
                                        and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb")
    root = _repository_root() if fmt == "sarif" or in_actions else None
    emit(format_diagnostics(results, fmt, colour, group=not args.all, root=root, version=__version__), end="", safe=True)  # each piece from a file is escaped
    if in_actions:
        _github_summary(results, fmt, root)
    sys.stdout.flush()

    severities = {d.severity for ds in results.values() for d in ds}
    if Severity.ERROR in severities or (args.strict and Severity.WARNING in severities):
        return EXIT_PROBLEMS
    return EXIT_OK


def _repository_root() -> Optional[Path]:
    """The root file names are given from in SARIF and in a job summary: GITHUB_WORKSPACE when
    set, else the top of the git working tree holding the current folder, else None (as given)."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace)
    here = Path.cwd()
    return next((folder for folder in (here, *here.parents) if (folder / ".git").exists()), None)


def _github_summary(results: dict[str, Any], fmt: str, root: Optional[Path]) -> None:
    """Under GitHub Actions: the totals line (on standard error when standard output is a machine
    format), and the Markdown summary appended to the file GITHUB_STEP_SUMMARY names, if any."""
    from driverkit.checks.report import emit, summary
    from driverkit.output.step_summary import step_summary

    if fmt != "text":  # the text format ends with its totals already
        emit(f"driverkit check: {summary(results)}", sys.stdout if fmt == "github" else sys.stderr, lines=False)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(step_summary(results, root))
    except OSError as exc:  # the summary is a courtesy: the check's result stands without it
        _error(f"warning: cannot write the job summary to {target}: {exc.strerror or exc}")


def _expand(names: Sequence[str]) -> list[str]:
    """Files as named, each once; a folder stands for the project files below it, in name order."""
    files: list[str] = []
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = project_files_in(path)
            files.extend(str(p) for p in found)
            if not found:
                files.append(name)  # reported as a folder with no project files in it
        else:
            files.append(name)
    return list(dict.fromkeys(files))


# A `data_file:` or `font_file:` line of a project file, and the name it gives.
_NAMED_FILE = re.compile(r"^\s*(?:-\s+)?(?:data_file|font_file)\s*:\s*[\"']?([^\"'#\n]+?)[\"']?\s*(?:#.*)?$", re.MULTILINE)


def _changed_projects(names: Sequence[str]) -> list[str]:
    """The project files to check for a commit's changed files: the changed YAML files that are
    projects, and the projects under the current folder that name a changed data file."""
    yaml_files = [n for n in names if Path(n).suffix in (".yaml", ".yml")]
    projects = [n for n in yaml_files if is_project_file(n)]
    others = {Path(n).resolve() for n in names if n not in yaml_files}
    if others:
        for candidate in _expand(["."]):
            path = Path(candidate)
            try:
                text = read_regular(path, MAX_BYTES).decode("utf-8", errors="replace")
            except (OSError, FileRefused):
                continue
            named = {(path.parent / name.strip()).resolve() for name in _NAMED_FILE.findall(text)}
            if named & others:
                projects.append(str(path))
    return list(dict.fromkeys(projects))


def _output_folder(name: str) -> None:
    """Make the output folder, and make sure a file can be written in it, before any work is done
    (OSError, a usage error, when not)."""
    folder = Path(name)
    if folder.exists() and not folder.is_dir():
        raise OSError(f"the output folder {name} is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OSError(f"cannot write into the output folder {name}: {exc.strerror or exc}") from None


def _data_problems(file: str, project: Any, measure: Any, problems: Sequence[Any]) -> list[str]:
    """Each problem of a measure's data (DK218) at its place, as `check` reports it: a row of its
    CSV, or the point or key in the project file."""
    placed = []
    for problem in problems:
        line, column = (problem.line, problem.column) if problem.file else project.location(problem.path)
        placed.append(f"{problem.file or file}:{line}:{column}: {measure.id}: {problem.message}")
    return placed


def run_render(args: argparse.Namespace) -> int:
    from driverkit.output.rendering import FORMATS, VIEWS, render_files

    views = [v.strip() for value in (args.view or ["driver-diagram"]) for v in value.split(",") if v.strip()]
    views = list(VIEWS) if "all" in views else list(dict.fromkeys(views))
    if not args.view:  # `-f pptx` alone: the first view written in a format the diagram is not
        wanted = [f.strip() for value in (args.format or []) for f in value.split(",") if f.strip()]
        views += [next(v for v, formats in VIEWS.items() if f in formats) for f in wanted
                  if f in FORMATS and f not in VIEWS["driver-diagram"]]
        views = list(dict.fromkeys(views))
    unknown = [v for v in views if v not in VIEWS]
    if unknown:
        _error(f"driverkit render: error: unknown view {', '.join(unknown)} (use {', '.join(VIEWS)} or all)")
        return EXIT_USAGE
    formats = [f.strip() for value in (args.format or []) for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        _error(f"driverkit render: error: unknown format {', '.join(unknown)} (use {', '.join(FORMATS)})")
        return EXIT_USAGE
    outputs = [(view, fmt) for view in views for fmt in (formats or [VIEWS[view][0]]) if fmt in VIEWS[view]]
    if not outputs:
        _error(f"driverkit render: error: {', '.join(views)} cannot be written as {', '.join(formats)}")
        return EXIT_USAGE
    skipped = [v for v in views if not any(chosen == v for chosen, _ in outputs)]
    if skipped:  # --view all -f svg: the pages have no svg; say so rather than leave them out silently
        named = ", ".join(f"{v} ({'/'.join(VIEWS[v])})" for v in skipped)
        _error(f"note: skipped {named}: {'it is' if len(skipped) == 1 else 'they are'} not written as {', '.join(formats)}")
    view = {"theme": args.theme, "font_size": args.font_size, "show_ids": args.show_ids, "hide_abandoned": args.hide_abandoned,
            "show_measures": args.show_measures, "legend": args.legend, "primary": args.primary,
            "driver": args.driver, "statuses": tuple(args.status or ()), "tags": tuple(args.tag or ()), "order": args.order,
            "descriptions": args.descriptions, "pdf_engine": args.pdf_engine}
    if args.pptx_template:
        view["pptx_template"] = args.pptx_template
    suffix = "".join(f"-{name}-{value}" for name, value in (("primary", args.primary), ("driver", args.driver),
                                                              ("status", "+".join(args.status or [])),
                                                              ("tag", "+".join(args.tag or []))) if value)
    files = _expand(args.files)
    if args.templates:
        if not Path(args.templates).is_dir():
            _error(f"driverkit render: error: the templates folder {args.templates} does not exist")
            return EXIT_USAGE
        view["templates"] = args.templates
    if args.allow:
        view["allow"] = tuple(args.allow)
    _output_folder(args.output)
    results = render_files(files, args.output, outputs, jobs=args.jobs, suffix=suffix, backend=args.backend, **view)
    filtered = any(v in ("driver-diagram", "matrix") for v, _ in outputs)
    projects = {file: _load_quietly(file, args.allow) for file in files}
    failed = unwritable = False
    for result in results:
        for output in result.outputs:
            _say(f"wrote {output}")
        for note in result.warnings:
            _error(f"warning: {note}")
        for problem in result.problems:
            _error(problem)
        for problem in getattr(result, "unwritable", []):  # outputs that could not be written: a usage error
            _error(problem)
            unwritable = True
        project = projects.get(result.source)
        if filtered and project is not None:
            for note in _view_notes(result.source, project, view):
                _error(note)
        failed = failed or bool(result.problems)
    for file in files:  # the data of each measure, read as `chart` and `check` read it: a bad row is an error
        for problem in _render_data_problems(file, projects.get(file)):
            _error(problem)
            failed = True
    return EXIT_USAGE if unwritable else EXIT_PROBLEMS if failed else EXIT_OK


def _load_quietly(file: str, allow: Sequence[str]) -> Any:
    """The project of a file, or None when it does not load (render has said why)."""
    from driverkit.project.diagnostics import ProjectError
    from driverkit.project.loader import load

    try:
        return load(file, allow=allow)
    except ProjectError:
        return None


def _render_data_problems(file: str, project: Any) -> list[str]:
    """The problems of the data of a project's measures, placed (none for a file that does not load)."""
    from driverkit.spc.series import load_series

    if project is None:
        return []
    return [line for measure in project.measures if measure.data or measure.data_file
            for line in _data_problems(file, project, measure, load_series(project, measure).problems)]


def _view_notes(file: str, project: Any, view: dict[str, Any]) -> list[str]:
    """What the filters of a view of the driver diagram found: the primary drivers there are when
    --primary names none of them, the tags in use when --tag names none, a status or tag that
    matches nothing, and a view that draws the aim alone (it is still written)."""
    from driverkit.documents.diagram import ViewError, ViewOptions, build_diagram
    from driverkit.project.model import STATUSES

    notes: list[str] = []
    primary, statuses, tags = view["primary"], view["statuses"], view["tags"]
    if primary and primary not in {str(d.id) for d in project.drivers}:
        there = ", ".join(f"{d.id} ({_short(d.text)})" for d in project.drivers)
        notes.append(f"{file}: the primary drivers are {there}" if there else f"{file}: the project has no primary drivers")
    driver = view.get("driver")
    if driver and driver not in {str(d.id) for d in project.all_drivers()}:
        there = ", ".join(str(d.id) for d in project.all_drivers())
        notes.append(f"{file}: the drivers are {there}" if there else f"{file}: the project has no drivers")
    in_use: dict[str, int] = {}
    for element in project.elements():
        for tag in getattr(element, "tags", None) or []:
            in_use[tag] = in_use.get(tag, 0) + 1
    unused = [t for t in tags if t not in in_use]
    if unused:
        there = ", ".join(f"{t} ({n})" for t, n in sorted(in_use.items()))
        where = f"the tags in use are {there}" if there else "no element has a tag"
        level = "" if len(unused) == len(tags) else "warning: "  # when none matches, render has reported the error
        notes.append(f"{level}{file}: no element has the tag {', '.join(unused)}; {where}")
    counts = {s: 0 for s in STATUSES}
    for change in project.all_changes():
        counts[change.status] = counts.get(change.status, 0) + 1
    idle = [s for s in statuses if s in counts and not counts[s]]
    why = ""
    if idle:
        there = ", ".join(f"{s} ({n})" for s, n in counts.items() if n)
        why = f"no change idea has the status {', '.join(idle)}; " + (f"the statuses in use are {there}" if there else "the project has no change ideas")
    empty = False
    if primary or statuses or tags or view.get("hide_abandoned"):
        fields = {f.name for f in dataclasses.fields(ViewOptions)}
        try:  # `order: file`: the view's contents, without the time spent ordering them
            options = ViewOptions.for_project(project, **{k: v for k, v in view.items() if k in fields and k != "order"}, order="file")
            empty = build_diagram(project, options).is_empty
        except ViewError:
            pass  # render has reported why the view cannot be drawn
    if empty:
        chosen = " ".join(f"--{name} {value}" for name, value in (("primary", primary), ("status", "+".join(statuses)),
                                                                  ("tag", "+".join(tags))) if value) or "--hide-abandoned"
        notes.append(f"warning: {file}: the view {chosen} holds nothing but the aim" + (f" ({why})" if why else "")
                     + "; it was written with the aim alone")
    elif why:
        notes.append(f"warning: {file}: {why}")
    return notes


def _short(text: str, width: int = 40) -> str:
    """An element's text, cut to `width` characters for a one-line list."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "\u2026"


def run_chart(args: argparse.Namespace) -> int:
    from driverkit.spc.charts import FORMATS
    from driverkit.project.diagnostics import ProjectError
    from driverkit.project.loader import load
    from driverkit.output.rendering import output_stems

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    if not formats or any(f not in FORMATS for f in formats):
        _error(f"driverkit chart: error: formats are {', '.join(FORMATS)}")
        return EXIT_USAGE
    if "-" in args.files:
        _error("driverkit chart: error: charts are drawn from project files, not standard input "
               "(a `data_file:` is found beside its project file)")
        return EXIT_USAGE
    files, seen = [], set()
    for file in _expand(args.files):  # each file once, however it is named
        if Path(file).resolve() not in seen:
            seen.add(Path(file).resolve())
            files.append(file)
    projects, failed = [], False
    for file, stem in zip(files, output_stems(files)):
        try:
            projects.append((file, stem, load(file, allow=args.allow)))
        except ProjectError as exc:
            for d in exc.diagnostics:
                _error(str(d))
            failed = True
    asked = set(args.measure or []) if not failed else set()  # a measure may be in a file that did not load
    unknown = sorted(asked - {str(m.id) for _, _, p in projects for m in p.measures})
    if unknown:
        _error(f"driverkit chart: error: no measure {', '.join(unknown)}")
        return EXIT_USAGE
    empty = sorted(asked - {str(m.id) for _, _, p in projects for m in p.measures if m.data or m.data_file})
    if empty:
        _error(f"driverkit chart: error: no data for {', '.join(empty)} (`data:` or `data_file:`)")
        return EXIT_USAGE
    if any(m.data or m.data_file for _, _, p in projects for m in p.measures):
        _output_folder(args.output)
    reports = []
    for file, stem, project in projects:
        reports += _chart_project(file, stem, project, args, formats)
    failed = failed or any(report["data_problems"] for report in reports)  # bad rows: left out of the charts, and errors
    if args.json:
        from driverkit.checks.report import emit, json_text

        emit(json_text(reports), end="")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _chart_project(file: str, stem: str, project: Any, args: argparse.Namespace, formats: list[str]) -> list[dict[str, Any]]:
    """The charts of one project's measures, written to `<stem>-<id>.<format>`; their problems,
    placed, on standard error; their readings in words (or, with --json, as data, returned)."""
    from driverkit.spc.charts import chart
    from driverkit.project.files import write_atomic
    from driverkit.project.graph import project_graph
    from driverkit.spc.analysis import analyse

    measures = [m for m in project.measures if (m.data or m.data_file) and (not args.measure or m.id in args.measure)]
    if not measures and not args.measure:
        _error(f"driverkit chart: no measure in {file} has data (`data:` or `data_file:`)")
    reports = []
    graph = project_graph(project)
    for measure in measures:
        analysis = analyse(project, measure, graph)
        for problem in _data_problems(file, project, measure, analysis.data_problems):  # DK218
            _error(problem)
        for setting, message in analysis.setting_problems:  # DK219
            line, column = project.location(analysis.setting_path(setting))
            _error(f"{file}:{line}:{column}: {measure.id}: {message}")
        for message in analysis.problems[len(analysis.data_problems):]:
            if message not in {m for _, m in analysis.setting_problems}:
                _error(f"{file}: {measure.id}: {message}")
        for fmt in formats:
            target = Path(args.output) / f"{stem}-{measure.id}.{fmt}"
            write_atomic(target, chart(project, measure, fmt, analysis))
            (_error if args.json else _say)(f"wrote {target}")  # stdout is the JSON alone
        if not args.json:
            for line in analysis.summary():
                _say(line)
        reports.append({"file": file, **analysis.as_dict()})
    return reports


def run_programme(args: argparse.Namespace) -> int:
    from driverkit.checks.report import emit, format_diagnostics, json_text
    from driverkit.project.diagnostics import Severity
    from driverkit.programme.summary import summary_lines

    window = None
    if args.window:
        first, _, last = args.window.partition(":")
        if not first or not last:
            _error("driverkit programme: error: --window is FROM:TO, e.g. 2020-01:2020-12")
            return EXIT_USAGE
        window = (first.strip(), last.strip())
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    known = ("svg", "png", "pdf", "dot", "html", "md")
    if any(f not in known for f in formats):
        _error(f"driverkit programme: error: formats are {', '.join(known)}")
        return EXIT_USAGE
    if args.output:
        _output_folder(args.output)
    programme = _analysed(args, "--review-from", window)
    if isinstance(programme, int):
        return programme
    if _KEPT is not None:
        _KEPT.append(programme)  # left for the end of the process (see `console`)
    if args.format == "json":
        emit(json_text(programme.as_dict()), end="")
    else:
        for line in summary_lines(programme):
            _say(line)
        shown = {}
        for d in programme.diagnostics:
            if d.severity != Severity.INFO:
                shown.setdefault(d.file, []).append(d)
        if shown:
            _say()
            emit(format_diagnostics(shown, "text"), end="", safe=True)
    if args.output:
        from driverkit.output.programme_files import write_programme_files

        for written in write_programme_files(programme, args.output, formats):
            (_error if args.format == "json" else _say)(f"wrote {written}")
    severities = {d.severity for d in programme.diagnostics}
    failed = Severity.ERROR in severities or (args.strict and Severity.WARNING in severities)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _analysed(args: argparse.Namespace, review_option: str, window: Optional[tuple[str, str]] = None, near: bool = True) -> Any:
    """The programme of `programme` and `review`, or the exit code when it cannot be had; its near
    matches from `args.review_from` unless `near` is False (the score is checked all the same)."""
    from driverkit.checks.report import emit, format_diagnostics
    from driverkit.project.diagnostics import ProjectError
    from driverkit.programme.analysis import THRESHOLD, load_programme, review_range_problem

    threshold = THRESHOLD if args.threshold is None else args.threshold
    problem = review_range_problem(args.review_from, threshold)
    if problem:
        _error(f"driverkit {args.command}: error: {review_option} {problem} (see --threshold)")
        return EXIT_USAGE
    try:
        return load_programme(args.file, allow=args.allow, threshold=threshold, window=window, jobs=args.jobs,
                              review_from=args.review_from if near else None)
    except ProjectError as exc:
        emit(format_diagnostics({args.file: exc.diagnostics}, "text"), sys.stderr, end="", safe=True)
        return EXIT_PROBLEMS


# After this many pairs in a row answered "different", the review says so, as a place to stop:
# below a score of 50 only 1 pair in 5 to 8 is the same change (benchmarks/README.md).
DIFFERENT_IN_A_ROW = 20
REVIEW_FROM = 45.0  # `driverkit review`'s default: answered rightly, the bar of the field is met from there (README)
_ANSWERS = {"s": "s", "same": "s", "d": "d", "different": "d", "n": "n", "next": "n", "skip": "n", "u": "u", "undo": "u",
            "q": "q", "quit": "q"}


def run_review(args: argparse.Namespace) -> int:
    from driverkit.checks.report import emit
    from driverkit.project.diagnostics import ProjectError
    from driverkit.programme.analysis import find_near_matches
    from driverkit.programme.recording import NotRecorded, check_recordable, decision_lines, file_text, record_decisions, restore
    from driverkit.programme.review import Review
    from driverkit.project.loader import load

    if args.review_from is None:  # 45, or the lowest there is when the threshold is that low
        from driverkit.programme.analysis import NEAR_LOWEST, THRESHOLD

        args.review_from = REVIEW_FROM if REVIEW_FROM < (THRESHOLD if args.threshold is None else args.threshold) else NEAR_LOWEST
    # The near matches are searched while the groups are asked about: the search from 45 takes
    # longer than the rest of the analysis of a large programme, and people answer slower still.
    programme = _analysed(args, "--from", near=False)
    if isinstance(programme, int):
        return programme
    if programme.project.programme is None:
        _error(f"driverkit review: error: {args.file} is not a programme: it has no `programme:` section listing its members")
        return EXIT_USAGE
    try:  # before the first question: no answer is given that could not be kept
        check_recordable(args.file)
        known = file_text(args.file)  # as this review last saw it: a hand edit since is taken into account
    except (NotRecorded, ProjectError, OSError) as exc:
        _error(f"driverkit review: error: decisions cannot be written into {_why(exc, args.file)}")
        return EXIT_PROBLEMS
    _show_decision_problems(programme)
    definitions = _measure_definitions(programme)
    review = Review(programme, set(args.kind) if args.kind else None)
    search: Optional[_Background] = _Background(lambda: find_near_matches(programme, args.review_from))
    questions = review.questions
    groups = len(questions)  # the programme was loaded without its near matches: all are groups
    pairs_asked = f"the near matches scoring {args.review_from:g} or more, best first (the same?)"
    _say((f"{groups} suggested group{'s' if groups != 1 else ''} (all the same?), then {pairs_asked}, searched meanwhile. " if groups else
          f"No suggested group; {pairs_asked}, are being searched. ") + f"Each answer is written into {args.file} at once; q stops, keeping them.")
    written: list[tuple[int, str, str, list[Any]]] = []  # (question, text before, text written, decisions), to undo
    skipped: set[int] = set()
    at, searched, refreshed = 0, True, False

    def reread() -> Any:  # the programme with its file read again (the members stay as loaded)
        return dataclasses.replace(programme, project=load(args.file, allow=(*args.allow, Path(args.file).resolve().parent)))

    different_in_a_row = 0  # pairs answered "different" one after the other: the scores left are lower still
    while at < len(questions) or search is not None:
        if at == len(questions) and search is not None:  # the groups done: the near matches, once found
            found, search = _near_matches_found(search, args.review_from), None
            if found is None:
                searched = False
                break
            review.add_pairs(found)
            if not questions:
                _say(f"Nothing to decide in {args.file}: no suggested group, and no pair in no one group scoring {args.review_from:g} or more.")
                return EXIT_OK
            _say()
            _say(f"{len(questions) - groups} near match{'es' if len(questions) - groups != 1 else ''} scoring {args.review_from:g} or more, best first.")
            continue
        question = questions[at]
        if review.moot(question):
            at += 1
            continue
        _say()
        _show_question(question, _numbered(at, groups, len(questions)), review.decided_together(question), definitions)
        split = question.can_be_split  # else a pair or a group of two, answered "different"
        legend = ("s = all the same, d = not all (`d 2 4`: 2 and 4 are each another change; `d 2+4`: one other change), " if split
                  else "s = the same, d = different, ") + "n = no decision, u = undo the last answer, q = quit"
        typed = _asked("[s/d/n/u/q] ")
        word, _, which = typed.partition(" ")
        answer = _ANSWERS.get(word.lower(), "")
        if which.strip() and not (answer == "d" and split):  # only `d` takes more: the parts that differ
            answer = ""
        if answer == "d" and split:
            apart = _split_asked(question, which)
            if apart == "q":
                break
            if apart is None:  # back to the question
                continue
        if answer in ("s", "d"):
            try:
                now = file_text(args.file)
                if now != known:  # changed by hand since this review last wrote it: its decisions count too
                    review.refresh(reread())
                    known, refreshed = now, True
                    if review.moot(question):
                        _say(f"Settled by what {args.file} says now.")
                        at += 1
                        continue
            except (ProjectError, OSError) as exc:
                _say(f"Not written: {args.file} was changed and does not load now ({_why(exc, args.file)}); "
                     "answer again once it does, or q.")
                continue
        if answer == "q":
            break
        if answer == "n":
            skipped.add(at)
            at += 1
        elif answer == "u":
            if not written:
                _say("Nothing to undo.")
                continue
            asked, before, text, _ = written[-1]
            try:
                restore(args.file, before, text)
            except (NotRecorded, ProjectError, OSError) as exc:
                _error(f"driverkit review: the answer to {_named(asked, groups)} is not undone: {_why(exc, args.file)}")
                continue
            written.pop()
            review.undo()
            known = before
            if refreshed:  # the decisions read from the file held this answer: read them again
                with contextlib.suppress(ProjectError, OSError):
                    review.refresh(reread())
            different_in_a_row = 0
            _say(f"Undone: the answer to {_named(asked, groups)} is no longer in {args.file}.")
            skipped = {k for k in skipped if k < asked}
            at = asked
        elif answer in ("s", "d"):
            try:
                decisions = review.split(question, apart, note=args.note) if answer == "d" and split else \
                    [review.answer(question, same=answer == "s", note=args.note)]
            except ValueError as exc:  # a split that would contradict a decision, or a `#` in a member's file name
                _say(f"Not written: {exc}.")
                continue
            try:
                before, text = record_decisions(args.file, decisions)
            except (NotRecorded, ProjectError, OSError) as exc:
                review.undo()
                _error(f"driverkit review: error: the answer could not be written into {_why(exc, args.file)}")
                _error("  to write it by hand, under `programme: decisions:`:")
                for decision in decisions:
                    for line in decision_lines(decision, "    ").splitlines():
                        emit(line, sys.stderr, lines=False)
                return EXIT_PROBLEMS
            written.append((at, before, text, decisions))
            known = text
            for decision in decisions:
                listed = decision.same or decision.different
                shown = ", ".join(listed) if len(listed) <= 6 else ", ".join(listed[:5]) + f" and {len(listed) - 5} more"
                _say(f"Written: {'the same' if decision.same else 'different'}: {shown}")
            at += 1
            if question.kind == "pair":
                different_in_a_row = 0 if answer == "s" else different_in_a_row + 1
                if different_in_a_row == DIFFERENT_IN_A_ROW and at < len(questions):
                    _say(f"The last {DIFFERENT_IN_A_ROW} pairs were all different changes, and those left score "
                         f"{question.score:.0f} or less: q stops here, keeping the answers.")
        else:
            _say(legend)
    kept = [decision for *_, decisions in written for decision in decisions]
    same = sum(1 for decision in kept if decision.same)
    rest = sum(1 for question in questions[at:] if not review.moot(question))
    _say()
    _say(f"{len(kept)} decision{'s' if len(kept) != 1 else ''} written into {args.file} "
         f"({same} same, {len(kept) - same} different); {len(skipped)} left undecided"
         + (f", {rest} not asked yet" if rest else "") + (", the near matches not asked yet" if search is not None else "") + ".")
    if review.answers:
        _say(f"`driverkit programme {args.file}` shows the groups they make.")
    return EXIT_OK if searched else EXIT_PROBLEMS


def _measure_definitions(programme: Any) -> dict[tuple[str, str], str]:
    """Each member's own measures, by (member, id): their operational definition in a line."""
    found: dict[tuple[str, str], str] = {}
    for member in programme.members:
        for measure in member.project.measures if member.project is not None else ():
            parts = [" ".join(measure.definition.split()).rstrip(".")] if measure.definition else []
            parts += [f"{name}: {' '.join(value.split())}" for name, value in
                      (("numerator", measure.numerator), ("denominator", measure.denominator), ("unit", measure.unit)) if value]
            found[(member.name, str(measure.id))] = "; ".join(parts)
    return found


def _show_decision_problems(programme: Any) -> None:
    """The problems of the decisions written already (DK802, DK810) and of the known changes
    (DK811): a review does not stop for them, but people should know before they add more."""
    from driverkit.checks.report import emit, format_diagnostics

    from driverkit.programme.analysis import decision_problems

    found = decision_problems(programme)
    if found:
        what = "decisions and known changes" if any(d.code == "DK811" for d in found) else "decisions"
        _say(f"The {what} in {programme.file} already have {len(found)} problem{'s' if len(found) != 1 else ''} "
             "(fix them by hand; the review goes on):")
        emit(format_diagnostics({programme.file: found}, "text"), sys.stdout, end="", safe=True)
        _say()


def _near_matches_found(search: "_Background", review_from: float) -> Optional[list[Any]]:
    """The near matches searched meanwhile, once found; None, said, when the search failed."""
    if not search.done() and sys.stdin.isatty():  # a note for people waiting, not in a script's output
        _say()
        _say(f"Searching the near matches scoring {review_from:g} or more…")
    try:
        return search.result()  # type: ignore[no-any-return]
    except Exception as exc:  # noqa: BLE001 - the answers given are kept; say why the rest is not asked
        _error(f"driverkit review: error: the near matches could not be searched ({type(exc).__name__}: {exc}); "
               "the answers given are written")
        return None


def _split_asked(question: Any, which: str) -> Any:
    """The other changes a `d` names among a group's parts (`d 2 4`, or asked for), as places
    from 0; None to ask the question again, "q" to quit."""
    count = len(question.parts)
    if not which.strip():
        what = {"change": "change idea"}.get(question.element, question.element)
        last = min(count, 4)  # examples with numbers the group has
        which = _asked(f"Which are not the {what} the others are? Their numbers, from 1 to {count}: `2 {last}` (each not "
                       f"that {what}; whether they are one is left open) or `2+{last}` (one other {what}); the others are "
                       "then decided the same. An empty line goes back, q quits: ")
        if _ANSWERS.get(which.lower()) == "q":
            return "q"
    apart = _parts_named(which, count)
    if apart is None and which.strip():
        _say(f"Numbers from 1 to {count}, each once: such as `2`, `2 3` or `2+3`.")
    return apart


def _parts_named(typed: str, count: int) -> Optional[list[tuple[int, ...]]]:
    """The other changes a split names, as places from 0: `2 4` or `2, 4` is two, `2+4` one;
    None unless each is a number from 1 to `count`, each named once."""
    changes = []
    for written in typed.replace(",", " ").split():
        numbers = written.split("+")
        if not all(number.isdecimal() and 1 <= int(number) <= count for number in numbers):
            return None
        changes.append(tuple(int(number) - 1 for number in numbers))
    named = [place for change in changes for place in change]
    return changes if changes and len(named) == len(set(named)) else None


class _Background:
    """Work done on a thread while this one goes on; `result()` waits for it and raises what it
    raised. The thread is a daemon: quitting does not wait for work no longer wanted."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._value: Any = None
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # noqa: BLE001 - raised again where the result is wanted
            self._error = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _asked(prompt: str) -> str:
    """A line typed after the prompt, stripped; "q" at the end of the input. A line given on
    standard input is shown where it was asked."""
    try:
        typed = input(prompt)
    except EOFError:
        typed = "q"
    if not sys.stdin.isatty():
        _say(typed.strip())
    return typed.strip()


def _why(exc: Exception, file: str) -> str:
    """What a NotRecorded, ProjectError or OSError says of `file`, in one line: where
    (`file:line:column` when it is known), then what and what to do."""
    from driverkit.project.diagnostics import ProjectError
    from driverkit.programme.recording import NotRecorded

    if isinstance(exc, NotRecorded):
        return f"{exc.where}: {exc.message}" + (f". {exc.hint}" if exc.hint else "")
    if isinstance(exc, ProjectError) and exc.diagnostics:
        first = exc.diagnostics[0]
        return f"{first.file}:{first.line}:{first.column}: {first.message}" + (f". {first.hint}" if first.hint else "")
    return f"{file}: {getattr(exc, 'strerror', None) or exc}"


def _numbered(at: int, groups: int, total: int) -> str:
    """Where question `at` stands: the groups are numbered among the groups and the near matches
    among the near matches, so that a count shown never grows when the near matches arrive."""
    return f"[{at + 1}/{groups}]" if at < groups else f"[{at - groups + 1}/{total - groups}]"


def _named(at: int, groups: int) -> str:
    """Question `at` in words, numbered as `_numbered` does: "suggested group 2", "near match 5"."""
    return f"suggested group {at + 1}" if at < groups else f"near match {at - groups + 1}"


def _show_question(question: Any, place: str, together: Sequence[Sequence[int]] = (),
                   definitions: Optional[dict[tuple[str, str], str]] = None) -> None:
    element = {"change": "change idea"}.get(question.element, question.element)
    if question.kind == "group":
        _say(f"{place} Suggested group of {len(question.items)}: "
             + (f"the same {element}?" if len(question.items) == 2 else f"all the same {element}?"))
    else:
        _say(f"{place} Near match, score {question.score:.0f}: the same {element}? ({question.why})")
    # Each wording once, with who wrote it: a large group is mostly one text copied many times.
    # Numbered when the group can be split (each member when all are worded alike), to say which differ.
    for number, items in enumerate(question.parts, start=1):
        text = " ".join(items[0].text.split())
        where = [f"{item.member} {item.id}" for item in items]
        mark = f"{number}. " if question.can_be_split else ""
        if len(where) == 1:
            _say(f"  {mark}{where[0]}: {text}")
        else:
            _say(f"  {mark}{text}")
            _say(f"    {' ' * len(mark)}written so by {len(where)}: {', '.join(where[:3])}" + (f" and {len(where) - 3} more" if len(where) > 3 else ""))
    for places in together:
        _say(f"  Decided the same already: {', '.join(str(place + 1) for place in places[:-1])} and {places[-1] + 1}.")
    if question.element == "measure" and definitions:  # a measure is its definition more than its name
        defined: dict[str, list[str]] = {}
        for item in question.items:
            defined.setdefault(definitions.get((item.member, item.id), "") or "no definition written", []).append(f"{item.member} {item.id}")
        _say("  Defined as:")
        for definition, where in defined.items():
            _say(f"    {definition} ({', '.join(where[:3])}" + (f" and {len(where) - 3} more)" if len(where) > 3 else ")"))


def run_import(args: argparse.Namespace) -> int:
    from driverkit.importing import ImportFailed, import_file, summary, write_import

    try:
        if args.output == "-":
            _say_all(import_file(args.file, args.sheet, args.title))
            return EXIT_OK
        text = write_import(args.file, args.output, args.sheet, args.title, overwrite=args.force)
    except ImportFailed as exc:
        _error(exc.text)
        return EXIT_USAGE if exc.output else EXIT_PROBLEMS
    _say(f"wrote {args.output}: {summary(text)}")
    _say(f"next: read the comments it wrote, then run `driverkit check {args.output}`")
    return EXIT_OK


def run_watch(args: argparse.Namespace) -> int:
    from driverkit.preview import serve

    if not 0 <= args.port <= 65535:
        _error(f"driverkit watch: --port {args.port} is not a port (0 to 65535)")
        return EXIT_USAGE
    missing = [name for name in args.files if not Path(name).exists()]
    if missing:
        _error(f"driverkit watch: no such file or folder: {', '.join(missing)}")
        return EXIT_USAGE

    def ready(address: str) -> None:
        _say(f"driverkit preview on {address} (Ctrl-C stops it)")
        sys.stdout.flush()

    def changed(names: list[str]) -> None:
        _say(f"redrawn after a save of {', '.join(names)}")
        sys.stdout.flush()

    gc.enable()  # paused for one-shot commands; a preview runs for hours
    serve(args.files, args.port, backend=args.backend, allow=args.allow, ready=ready, on_change=changed)
    _say("stopped")
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from driverkit.project.files import resource_dir, write_atomic
    from driverkit.project.schema import schema_text

    target = Path(args.path)
    if target.exists() and not args.force:
        _error(f"driverkit init: {target} already exists; use --force to overwrite it")
        return EXIT_USAGE
    starter = (resource_dir("templates") / STARTER).read_text(encoding="utf-8")
    write_atomic(target, starter)
    _say(f"wrote {target}")
    schema_path = target.parent / SCHEMA_FILE
    if not schema_path.exists():
        shipped = resource_dir("schemas") / SCHEMA_FILE
        write_atomic(schema_path, shipped.read_bytes() if shipped.is_file() else schema_text())
        _say(f"wrote {schema_path} (editors with yaml-language-server use it to complete and check keys)")
    _say(f"next: edit {target}, then run `driverkit check {target}`")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from driverkit.project.files import write_atomic
    from driverkit.project.schema import schema_text

    text = schema_text()
    if args.output:
        write_atomic(args.output, text)
    else:
        _say_all(text)
    return EXIT_OK


def run_rules(args: argparse.Namespace) -> int:
    from driverkit.checks.rules import all_rules, find_rule
    from driverkit.checks.rules.docs import rules_json, rules_markdown, rules_text

    chosen = all_rules()
    if args.names:
        found = [find_rule(name) for name in args.names]
        missing = [name for name, rule in zip(args.names, found) if rule is None]
        if missing:
            _error(f"driverkit rules: error: no rule named {', '.join(missing)}")
            return EXIT_USAGE
        chosen = [rule for rule in found if rule is not None]
        if args.format == "text":
            _say_all(rules_text(chosen, explain=True))
            return EXIT_OK
    writer = {"text": rules_text, "markdown": rules_markdown, "json": rules_json}[args.format]
    _say_all(writer(chosen))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
