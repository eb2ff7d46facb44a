"""``ocop-hub``: the command line of the hub (store, sources, harvest, serve, schema)."""
from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hub.cli.common import HubCommand, console, new_typer, print_error, store_engine, when_text
from hub.cli.sources import sources_app
from hub.settings import load_settings

if TYPE_CHECKING:
    from hub.ingest.summary import ImportSummary
    from hub.registries.sources_file import SourceSpec


app = new_typer("OCOP Hub: harvest, store and serve Vietnam's OCOP product registries.")
db_app = new_typer("The store: migrations and reference data.")
schema_app = new_typer("Published contracts.")
keys_app = new_typer("API keys (bearer tokens) for the ministry and provincial offices.")
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(schema_app, name="schema")
app.add_typer(sources_app, name="sources")

DEFAULT_SOURCES = Path("samples/sources.yaml")


@db_app.command("upgrade", cls=HubCommand)
def db_upgrade() -> None:
    """Apply migrations and load the administrative reference units (idempotent)."""
    from hub.store.schema import current_revision

    engine = store_engine()
    console.print(f"store at {engine.url.render_as_string()} is at revision {current_revision(engine)}")


@db_app.command("check", cls=HubCommand)
def db_check(
    repair: bool = typer.Option(False, "--repair", help="Count every province again first (after a writer "
                                                        "outside the hub changed products)."),
) -> None:
    """Compare the counts kept at ingest with a GROUP BY over the products, and the as-of answers at 100
    random dates with the certificates counted one by one (exit 1 on any mismatch)."""
    from hub.api.stats_check import check_as_of, check_counts
    from hub.store.engine import session_scope
    from hub.store.aggregates import recount_all

    engine = store_engine()
    if repair:
        with session_scope(engine) as session:
            recount_all(session)
    result = check_counts(engine)
    for mismatch in result.mismatches:
        console.print(f"[red]mismatch:[/red] {mismatch}")
    console.print(f"{result.compared} combinations of dimensions and filters compared, "
                  f"{len(result.mismatches)} mismatches")
    as_of = check_as_of(engine)
    for mismatch in as_of.mismatches:
        console.print(f"[red]mismatch:[/red] {mismatch}")
    console.print(f"{as_of.compared} dates and moments compared (stats asOf/knownAt against the certificates "
                  f"counted one by one), {len(as_of.mismatches)} mismatches")
    if result.mismatches or as_of.mismatches:
        raise typer.Exit(1)


@keys_app.command("create", cls=HubCommand)
def keys_create(
    role: str = typer.Option(..., "--role", help="ministry | province"),
    name: str = typer.Option(..., "--name", help="Who holds the key, e.g. 'Sở NN&PTNT Quảng Ninh'."),
    province: Optional[str] = typer.Option(None, "--province", help="Current province code (province keys)."),
) -> None:
    """Create a key and print its token once: only its hash is stored."""
    from hub.access.keys import ApiKeyError, create_key
    from hub.vocabulary import Role

    try:
        key, token = create_key(store_engine(), role=Role(role), name=name, province_code=province)
    except ValueError as exc:  # ApiKeyError, or an unknown role
        message = str(exc) if isinstance(exc, ApiKeyError) else f"--role must be ministry or province, not '{role}'"
        console.print(f"[red]error:[/red] {message}")
        raise typer.Exit(2)
    console.print(f"key {key.id} ({key.role}{' ' + key.province_code if key.province_code else ''}) "
                  f"for {key.name}. Token (shown once, keep it secret):")
    print(token)


@keys_app.command("list", cls=HubCommand)
def keys_list() -> None:
    """List keys: id, role, province, holder, token prefix, created, last used, revoked (UTC)."""
    from hub.access.keys import list_keys

    table = Table(title="API keys (times in UTC)")
    for column in ("id", "role", "province", "name", "prefix", "created", "last used", "revoked"):
        table.add_column(column)
    for key in list_keys(store_engine()):
        table.add_row(str(key.id), key.role, key.province_code or "-", key.name, key.prefix + "…",
                      *(when.strftime("%Y-%m-%d %H:%M") if when else "-"
                        for when in (key.created_at, key.last_used_at, key.revoked_at)))
    console.print(table)


@keys_app.command("revoke", cls=HubCommand)
def keys_revoke(key_id: int = typer.Argument(..., help="The key's id (see keys list).")) -> None:
    """Revoke a key: its token gets 401 from then on."""
    from hub.access.keys import revoke_key

    if not revoke_key(store_engine(), key_id):
        console.print(f"[red]error:[/red] no active key with id {key_id}")
        raise typer.Exit(2)
    console.print(f"key {key_id} revoked")


def _version(value: bool) -> None:
    if value:
        console.print(f"ocop-hub {package_version('ocop-hub')}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """OCOP Hub: harvest, store and serve Vietnam's OCOP product registries."""


@contextmanager
def _harvest_log(verbose: bool) -> Iterator[Path]:
    """Failed sources' traces go to HUB_HOME/harvest.log, and to stderr as well with --verbose:
    the terminal gets one line per failure, never a traceback between the progress bars."""
    home = load_settings().home
    home.mkdir(parents=True, exist_ok=True)
    path = home / "harvest.log"
    handlers: list[logging.Handler] = [logging.FileHandler(path, encoding="utf-8")]
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    logger = logging.getLogger("hub")
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)
    try:
        yield path
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()


@app.command(cls=HubCommand)
def harvest(
    sources: Path = typer.Option(DEFAULT_SOURCES, "--sources", help="Sources file (YAML)."),
    source: Optional[list[str]] = typer.Option(None, "--source", help="Only these source names."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change, write nothing."),
    verbose: bool = typer.Option(False, "--verbose", help="Also print failed sources' tracebacks (stderr)."),
) -> None:
    """Harvest the registries of a sources file into the store.

    Exit 1 if any source failed (the others still land), 2 if the file is wrong (every problem
    listed, nothing harvested)."""
    with _harvest_log(verbose) as log_path:
        _harvest(sources, source, dry_run, verbose, log_path)


def _harvest(sources: Path, source: Optional[list[str]], dry_run: bool, verbose: bool, log_path: Path) -> None:
    from hub.sources.harvest import failure_line
    from hub.sources.read_ahead import harvest_sources
    from hub.sources.catalog import disabled_names
    from hub.sources.check import check_sources
    from hub.store.expiry import refresh_statuses
    from hub.store.schema import analyze

    engine = store_engine()
    check = check_sources(engine, sources)
    if check.problems:
        for problem in check.problems:
            print_error(problem)
        console.print(f"{len(check.problems)} problem{'s' if len(check.problems) != 1 else ''} in {sources}: "
                      "nothing was harvested. Fix them and run again "
                      f"(`ocop-hub sources check {sources}` lists them too).", soft_wrap=True)
        raise typer.Exit(2)
    specs = check.specs
    if source:
        unknown = sorted(set(source) - {s.name for s in specs})
        if unknown:
            print_error(f"no source named {', '.join(unknown)} in {sources}")
            raise typer.Exit(2)
        specs = [s for s in specs if s.name in source]
    disabled = disabled_names(engine)
    for spec in specs:
        if spec.name in disabled:
            console.print(f"source {spec.name} is disabled (since {when_text(disabled[spec.name])}): not harvested "
                          f"(`ocop-hub sources enable {spec.name}` to harvest it again)", soft_wrap=True)
    specs = [s for s in specs if s.name not in disabled]
    summaries = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        overall = progress.add_task("sources", total=len(specs))
        tasks: dict[str, Any] = {}

        def on_row(spec: SourceSpec) -> Callable[[], None]:
            task = tasks[spec.name] = progress.add_task(f"  {spec.name}", total=None)
            return lambda: progress.advance(task)

        for spec, summary in harvest_sources(engine, specs, on_row=on_row, dry_run=dry_run):
            progress.update(tasks[spec.name], total=summary.rows_read, completed=summary.rows_read)
            progress.advance(overall)
            summaries.append((spec, summary))
    table = Table(title="Harvest summary" + (" (dry run: nothing written)" if dry_run else ""))
    for column in ("source", "status", "read", "created", "updated", "unchanged", "withdrawn", "rejected",
                   "warned", "conflicts"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for _, s in summaries:
        style = "red" if s.failed else None
        table.add_row(s.source, s.status, str(s.rows_read), str(s.created), str(s.updated),
                      str(s.unchanged), str(s.withdrawn), str(s.rejected), str(s.warned), str(s.conflicts),
                      style=style)
    console.print(table)
    for _, s in summaries:
        _print_reading_notes(s)
    if not dry_run:
        analyze(engine)
        expired = refresh_statuses(engine)
        if expired:
            console.print(f"{expired} certificates passed their 36 months and are now expired")
    failed = [(spec, s) for spec, s in summaries if s.failed]
    for spec, s in failed:
        console.print(f"[red]{escape(failure_line(spec, s))}[/red]", soft_wrap=True)
    if failed and not verbose:
        console.print(f"the traces of the failures are in {log_path} (or run again with --verbose)", soft_wrap=True)
    if any(s.rejected for _, s in summaries):
        console.print("rejected rows are kept in full: query rejectedRecords(source: ...) or "
                      "GET /export/rejected.csv?source=NAME")
    if failed:
        raise typer.Exit(1)


def _print_reading_notes(summary: ImportSummary) -> None:
    """What the table says beyond its counts: every column read into no field, rows skipped, warnings."""
    name = summary.source
    if summary.same_as_batch:
        console.print(f"{name}: file unchanged since batch {summary.same_as_batch}, not read again "
                      "(its rows were marked seen, its rejections repeated)")
    if summary.unmapped_columns:
        console.print(f"{name}: columns mapped to no field (kept in the raw rows): "
                      + ", ".join(repr(c) for c in summary.unmapped_columns))
    skipped: dict[str, int] = {}
    for row in summary.skipped_rows:
        skipped[row["reason"]] = skipped.get(row["reason"], 0) + 1
    if skipped:
        console.print(f"{name}: rows that are not products, skipped: "
                      + ", ".join(f"{count} {reason}" for reason, count in sorted(skipped.items())))
    if summary.warning_counts:
        console.print(f"{name}: rows stored with warnings, by code: "
                      + ", ".join(f"{code} {count}" for code, count in summary.warning_counts.items()))


@app.command(cls=HubCommand)
def inspect(
    file: Path = typer.Argument(..., help="A registry file: .xlsx, .csv, .html, .pdf or .docx."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="Sheet of a workbook (default: the first with a header)."),
    encoding: str = typer.Option("auto", "--encoding", help="Text encoding of a CSV/HTML file (auto detects)."),
    province: Optional[str] = typer.Option(None, "--province", help="The registry's province (code or name)."),
    rows: int = typer.Option(5, "--rows", help="How many rows to show as read."),
    list_kind: str = typer.Option("products", "--list", help="What the file lists: products (a registry) or "
                                  "revocation (revoked certificates), as the sources file's `list:`."),
) -> None:
    """Show how the hub reads a registry file, before its first harvest; the store is not touched."""
    from hub.sources.inspection import InspectError, inspect_file
    from hub.sources.inspection_report import print_inspection

    try:
        inspection = inspect_file(file, encoding=encoding, province=province, sheet=sheet, list_kind=list_kind)
    except InspectError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)  # one line, whatever its length
        raise typer.Exit(2)
    print_inspection(console, inspection, rows)


@app.command(cls=HubCommand)
def release(
    out: Optional[Path] = typer.Option(None, "--out", help="The releases directory (default: HUB_RELEASES_DIR, "
                                       "else <HUB_HOME>/releases)."),
) -> None:
    """Write today's dated, immutable release of the public downloads (docs/exports.md#releases)."""
    from hub.api.releases import ReleaseError, write_release

    try:
        written, new = write_release(store_engine(), out)
    except ReleaseError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2)
    console.print(f"{'wrote' if new else 'already written, unchanged:'} {written.name} "
                  f"(as of {written.as_of}, data version {written.data_version})", soft_wrap=True)
    for f in written.files:
        console.print(f"  {f.sha256}  {f.name} ({f.bytes:,} bytes)", soft_wrap=True)


@app.command(cls=HubCommand)
def serve(
    host: str = "127.0.0.1", port: int = 8000,
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=64, help=(
        "Worker processes (default: 1 on SQLite, whose writes are one at a time anyway; the number "
        "of CPUs on PostgreSQL).")),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help=(
        "Log every request (uvicorn's access log). Behind a proxy that logs, turning it off saves "
        "about a quarter of the cost of a cached answer (docs/api-load.md).")),
) -> None:
    """Serve the GraphQL API (GraphiQL on GET /graphql), the dashboard on /, /healthz and
    /export/... with uvicorn."""
    import os

    import uvicorn

    from hub.push.jobs import fail_leftover_jobs

    engine = store_engine()
    count = workers or (1 if engine.dialect.name == "sqlite" else os.cpu_count() or 1)
    console.print(f"OCOP Hub on http://{host}:{port}/ (API: /graphql), {count} worker process"
                  f"{'es' if count > 1 else ''}")
    server = server_options()
    if count == 1:
        from hub.server import create_app  # with more workers, each imports the app itself

        uvicorn.run(create_app(engine, settle_heap=True), host=host, port=port, log_level="info", access_log=access_log,
                    **server)
        return
    fail_leftover_jobs(engine)  # once, here: a worker must not fail the jobs its siblings run
    os.environ["HUB_WORKERS"] = str(count)  # each worker's rate limit takes its share
    os.environ["HUB_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    uvicorn.run("hub.server:app_from_environment", factory=True, workers=count, host=host, port=port,
                log_level="info", access_log=access_log, **server)


def server_options() -> dict[str, Any]:
    """uvicorn's options from the settings (docs/reliability.md): the header deadline
    (hub.api.server_protocol), the keep-alive timeout, and which proxies' X-Forwarded-For is
    believed: none unless HUB_FORWARDED_ALLOW_IPS names them (uvicorn's own default believes
    127.0.0.1, so any local client could pick the address the rate limit counts)."""
    settings = load_settings()
    trusted = settings.forwarded_allow_ips
    return {"http": "hub.api.server_protocol:DeadlineProtocol", "timeout_keep_alive": settings.keep_alive_s,
            "proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


@schema_app.command("export", cls=HubCommand)
def schema_export(path: Path = typer.Option(Path("schema/schema.graphql"), "--path")) -> None:
    """Write the GraphQL SDL (checked for drift by the tests)."""
    from hub.api.schema import export_sdl

    export_sdl(path)
    console.print(f"wrote {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
