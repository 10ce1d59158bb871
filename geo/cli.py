"""The `corridors` command: parses arguments and calls catalog, layers, io, mapping and routing; nothing more."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from geo.catalog import Catalog, load_catalog
from geo.errors import CatalogError, NoCatalog, UsageError, printable

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
PROGRESS_AFTER = 2.0  # seconds of work before a progress line appears
LAYER_NAMES = ("hubs", "routes", "corridors")  # the catalog's own entries (list, show)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corridors",
        description="Turn the corridor catalog (YAML in data/) into GeoJSON layers and HTML maps.",
        epilog="Exit status: 0 on success, 2 when the catalog is invalid (every problem is listed with file, line, "
               "column, entry and field), 3 when another build holds the output folders, 130 when interrupted, "
               "1 on an internal error.",
    )
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an internal error")
    parser.add_argument("--catalog", type=Path, default=Path("data"), help="catalog directory (default: data)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="validate the catalog and write layers/ (GeoJSON and data dictionary) and maps/*.html")
    build.add_argument("--layers", type=Path, default=Path("layers"), help="output directory for GeoJSON (default: layers)")
    build.add_argument("--maps", type=Path, default=Path("maps"), help="output directory for HTML maps (default: maps)")
    build.add_argument("--quiet", action="store_true", help="no progress line, even on a terminal")
    export = sub.add_parser("export", help="write the layers in another GIS format")
    export.add_argument("--format", required=True, choices=("gpkg", "flatgeobuf", "geoparquet", "kml", "csv"),
                        help="gpkg: one file, QGIS styles inside; flatgeobuf, geoparquet, csv: a folder with a file "
                             "per layer; kml: one file for Google Earth")
    export.add_argument("--out", required=True, type=Path, help="file (gpkg, kml) or folder (the others) to write; "
                                                                 "it must not exist yet, unless --force")
    export.add_argument("--force", action="store_true",
                        help="replace an earlier export of the same format at --out (nothing else is ever replaced)")
    check = sub.add_parser("check", help="compare hubs with GeoNames and Natural Earth, lengths with official figures, "
                                         "border crossings with named hubs")
    check.add_argument("--strict", action="store_true", help="exit with status 2 when anything is reported")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text: tables for reading (default); json: the same findings as one object")
    sub.add_parser("validate", help="check the catalog and report every problem; writes nothing")
    listing = sub.add_parser("list", help="list entries with their ids")
    listing.add_argument("kind", nargs="?", choices=LAYER_NAMES, help="only this kind (default: all)")
    show = sub.add_parser("show", help="everything known about one entry, computed lengths included")
    show.add_argument("id", help="id of a hub, route or corridor")
    route = sub.add_parser("route", help="the best path between two hubs: legs, km, transit days, countries, crossings")
    route.add_argument("start", metavar="FROM", help="hub id, name or alias")
    route.add_argument("end", metavar="TO", help="hub id, name or alias")
    route.add_argument("--via", nargs="+", default=[], metavar="HUB", help="pass through these hubs, in order")
    route.add_argument("--avoid", nargs="+", default=[], metavar="ISO3", type=str.upper,
                       help="enter none of these countries (ISO 3166-1 alpha-3, e.g. RUS)")
    route.add_argument("--mode", default="rail,road,sea", help="modes to use, comma-separated (default: rail,road,sea)")
    route.add_argument("--by", choices=("time", "km"), default="time", help="shortest by transit time (default) or distance")
    route.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or one JSON object")
    route.add_argument("--map", type=Path, metavar="FILE.html", help="also write a self-contained map of the path")
    extract = sub.add_parser("extract", help="what news or policy texts say about the catalog: entries named, figures, "
                                             "dates, places not in the catalog, differences (with offsets)")
    extract.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text or HTML files; - reads standard input")
    extract.add_argument("--format", choices=("text", "json", "yaml"), default="text",
                         help="text: a reviewer's report (default); json: one object per file, one per line; "
                              "yaml: only the proposed hub entries and changes")
    figure = sub.add_parser("figure", help="a map as a static figure for reports (PNG, PDF or SVG)")
    figure.add_argument("map_id", metavar="MAP_ID", help="a map of the site: index, a corridor id or a project id")
    figure.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.png, FILE.pdf or FILE.svg")
    figure.add_argument("--year", type=int, help="the year shown (default: the catalog's as-of year)")
    figure.add_argument("--lang", default="en", help="en (default), ru or kk")
    figure.add_argument("--width", type=int, default=1600, help="width in pixels (default 1600; at 200 dpi)")
    for command in (build, export, check, sub.choices["validate"], listing, show, route, extract, figure):
        command.add_argument("--catalog", type=Path, default=argparse.SUPPRESS, help="catalog directory (default: data)")
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


class Progress:
    """What a long command is doing, on one line of a terminal (stderr): shown once the work has taken
    PROGRESS_AFTER seconds (``$CORRIDORS_PROGRESS_AFTER``), even in the middle of a long stage (a
    timer shows the current one); never when stderr is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.after = float(os.environ.get("CORRIDORS_PROGRESS_AFTER", PROGRESS_AFTER))
        self.text, self.shown, self.done = "", False, False
        self.lock = threading.Lock()
        if self.enabled:
            self.timer = threading.Timer(self.after, self._show)
            self.timer.daemon = True
            self.timer.start()

    def __call__(self, text: str) -> None:
        with self.lock:
            self.text = text
            if self.enabled and not self.done and time.perf_counter() - self.start >= self.after:
                self._write()

    def _show(self) -> None:
        with self.lock:
            if not self.done and self.text:
                self._write()

    def _write(self) -> None:
        sys.stderr.write(f"\r\x1b[Kcorridors: {self.text}")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        with self.lock:
            self.done = True
            if self.enabled:
                self.timer.cancel()
            if self.shown:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
                self.shown = False


def _build(catalog: Catalog, layers_dir: Path, maps_dir: Path, progress: Progress) -> str:
    from geo.dictionary import data_dictionary
    from geo.io import build_lock, geojson_text, staged_outputs
    from geo.layers import build_layers
    from geo.mapping import render_maps

    start = time.perf_counter()
    with build_lock([layers_dir, maps_dir]), staged_outputs([layers_dir, maps_dir]) as write:
        progress(f"drawing {len(catalog.routes):,} routes and cutting them by country")
        layers = build_layers(catalog)
        for name, frame in layers.items():
            progress(f"writing layer {name} ({len(frame):,} feature{'' if len(frame) == 1 else 's'})")
            write(layers_dir / f"{name}.geojson", geojson_text(name, frame))
        write(layers_dir / "README.md", data_dictionary())
        for count, (name, page) in enumerate(render_maps(layers, catalog), 1):
            progress(f"map {count} written ({name}, {len(page) / 1e6:.1f} MB)")
            write(maps_dir / name, page)
        progress("replacing the output folders")
    progress.clear()
    return (
        f"built {len(catalog.hubs)} hubs, {len(catalog.routes)} routes, {len(catalog.corridors)} corridors "
        f"into {layers_dir}/ and {maps_dir}/ in {time.perf_counter() - start:.1f} s"
    )


def _list(catalog: Catalog, kind: str | None) -> str:
    tables: dict[str, dict[str, Any]] = {"hubs": catalog.hubs, "routes": catalog.routes, "corridors": catalog.corridors}
    lines = []
    for name in [kind] if kind else LAYER_NAMES:
        lines.append(f"{name} ({len(tables[name])})")
        for entry_id, entry in sorted(tables[name].items()):
            detail = {"hubs": lambda h: f"{h.kind}, {h.country}", "routes": lambda r: f"{r.mode}, {r.status}",
                      "corridors": lambda c: f"{len(c.legs)} legs"}[name](entry)
            lines.append(f"  {entry_id:34} {entry.name} ({detail})")
    return "\n".join(lines)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM and SIGHUP unwind like Ctrl-C, so staged outputs are cleaned up


def _route(args: argparse.Namespace, catalog: Catalog) -> int:
    import json

    from geo.countries import countries
    from geo.layers import build_layers
    from geo.catalog import MODES
    from geo.routing import NoRoute, as_json, as_text, edges, find_path
    from geo.show import find

    stops = []
    for query in (args.start, *args.via, args.end):
        hub, why = find(catalog, query, hubs_only=True)
        if hub is None:
            raise UsageError(why)
        if stops and stops[-1] == hub.id:
            raise UsageError(f"{query!r} is {hub.name} again: a path needs two different hubs in a row")
        stops.append(hub.id)
    modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES] or ([] if modes else ["(none)"])
    if unknown:
        raise UsageError(f"unknown mode {unknown[0]!r}; modes are {', '.join(MODES)} (comma-separated)")
    codes = set(countries()[0])
    bad = [c for c in args.avoid if c not in codes]
    if bad:
        raise UsageError(f"unknown country code {bad[0]!r} for --avoid; use ISO 3166-1 alpha-3 codes such as RUS, IRN, KAZ")
    try:
        path = find_path(catalog, edges(catalog, build_layers(catalog)["routes"]), stops, args.avoid, modes, args.by)
    except NoRoute as none:
        print(f"corridors: {none.explain(catalog, modes, args.avoid)}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps(as_json(catalog, path, args.by, args.avoid, modes), ensure_ascii=False, indent=1)
          if args.format == "json" else as_text(catalog, path, args.by))
    if args.map:
        from geo.io import write_page
        from geo.mapping import render_path

        write_page(args.map, render_path(catalog, path, args.by))
    return EXIT_OK


def _figure(args: argparse.Namespace, catalog: Catalog) -> int:
    from geo.figure import FORMATS, WIDTHS, render_figure
    from geo.layers import build_layers
    from geo.mapping import chosen_map

    if args.out.suffix.lower() not in FORMATS:
        raise UsageError(f"--out {args.out}: the file must end in {', '.join(FORMATS)}")
    if args.out.is_dir() or not args.out.parent.is_dir():
        raise UsageError(f"--out {args.out}: " + ("is a folder" if args.out.is_dir() else f"no folder {args.out.parent}"))
    if not WIDTHS[0] <= args.width <= WIDTHS[1]:
        raise UsageError(f"--width {args.width}: from {WIDTHS[0]} to {WIDTHS[1]} pixels")
    layers = build_layers(catalog)
    try:
        spec, _ = chosen_map(catalog, layers, args.map_id, args.year, args.lang)
    except ValueError as why:
        raise UsageError(str(why)) from None
    render_figure(catalog, layers, spec, args.out, args.year, args.width, args.lang)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    try:
        return _run(args)
    except NoCatalog as error:
        print(f"corridors: {error.problems[0].message}", file=sys.stderr)
        return EXIT_INVALID
    except UsageError as error:
        print(f"corridors: {printable(str(error))}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:  # the reader went away (corridors list | head): end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except CatalogError as error:  # from loading, or from a context file read during the build
        print(f"corridors: the catalog in {args.catalog} has {len(error.problems)} problem(s):", file=sys.stderr)
        for line in error.lines():
            print(f"  {line}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt as interrupt:
        from geo.io import InterruptedAfterPublish

        done = isinstance(interrupt, InterruptedAfterPublish)
        print("corridors: interrupted" + (" after the new layers/ and maps/ were in place; the build is complete"
                                          if done else "; layers/ and maps/ were left as they were"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the last line of defence, shown plainly unless --debug
        from geo.io import BuildBusy, PartlyPublished

        if isinstance(error, BuildBusy):
            print(f"corridors: {error}", file=sys.stderr)
            return EXIT_BUSY
        if isinstance(error, PartlyPublished):
            print(f"corridors: the build could not finish replacing its outputs: {error}", file=sys.stderr)
            return EXIT_FAILED
        if args.debug:
            raise
        print(f"corridors: internal error: {type(error).__name__}: {error} (run with --debug for details)", file=sys.stderr)
        return EXIT_FAILED


def _run(args: argparse.Namespace) -> int:
    progress = Progress(args.command == "build" and not args.quiet)
    progress(f"reading the catalog in {args.catalog}")
    try:
        catalog = load_catalog(args.catalog)
        gc.freeze()  # the modules and the catalog live as long as the command: the collector's passes need not walk them
        status = _command(args, catalog, progress)
    finally:
        progress.clear()  # before any message about a failure
    sys.stdout.flush()  # inside main's handlers, so a closed pipe is reported here and not at exit
    return status


def _command(args: argparse.Namespace, catalog: Catalog, progress: Progress) -> int:
    if args.command == "build":
        print(_build(catalog, args.layers, args.maps, progress))
    elif args.command == "export":
        from geo.export import export
        from geo.layers import build_layers

        print(export(build_layers(catalog), catalog, args.format, args.out, args.force))
    elif args.command == "check":
        import json

        from geo.check import as_text, findings
        from geo.layers import build_layers

        found = findings(catalog, build_layers(catalog), lambda text: print(f"corridors: {text}", file=sys.stderr, flush=True))
        print(json.dumps(found, ensure_ascii=False, indent=1) if args.format == "json" else as_text(found))
        if found["reports"] and args.strict:
            return EXIT_INVALID
    elif args.command == "validate":
        print(f"catalog OK: {len(catalog.hubs)} hubs, {len(catalog.routes)} routes, {len(catalog.corridors)} corridors, {len(catalog.sources)} sources")
    elif args.command == "list":
        print(_list(catalog, args.kind))
    elif args.command == "route":
        return _route(args, catalog)
    elif args.command == "figure":
        return _figure(args, catalog)
    elif args.command == "extract":
        from geo.extract import run

        report, readable = run(args.files, catalog, args.format,
                               lambda text: print(f"corridors extract: {printable(text)}", file=sys.stderr))
        if report:
            print(report)
        return EXIT_OK if readable else EXIT_INVALID
    else:
        from geo.layers import build_layers
        from geo.show import find, report

        entry, why = find(catalog, args.id)
        if entry is None:
            print(f"corridors: {printable(why)}", file=sys.stderr)
            return EXIT_INVALID
        print(report(catalog, entry, build_layers(catalog)))
    return EXIT_OK
