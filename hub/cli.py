"""``ocop-hub``: the command line of the hub (store, harvest, serve, schema)."""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from sqlalchemy.engine import Engine
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from hub.ingest.summary import ImportSummary

app = typer.Typer(help="OCOP Hub: harvest, store and serve Vietnam's OCOP product registries.",
                  no_args_is_help=True)
db_app = typer.Typer(help="The store: migrations and reference data.", no_args_is_help=True)
schema_app = typer.Typer(help="Published contracts.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (bearer tokens) for the ministry and provincial offices.",
                       no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(schema_app, name="schema")
# Pipes and CI logs get a wide console so the summary table is never truncated.
console = Console(width=None if sys.stdout.isatty() else 120)

DEFAULT_SOURCES = Path("samples/sources.yaml")


def _engine() -> Engine:
    """The store of the settings, migrated and with its reference units: every command's start."""
    from hub.settings import load_settings
    from hub.store import init_store

    return init_store(load_settings().database_url)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations and load the administrative reference units (idempotent)."""
    from hub.store import current_revision

    engine = _engine()
    console.print(f"store at {engine.url.render_as_string()} is at revision {current_revision(engine)}")


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., "--role", help="ministry | province"),
    name: str = typer.Option(..., "--name", help="Who holds the key, e.g. 'Sở NN&PTNT Quảng Ninh'."),
    province: Optional[str] = typer.Option(None, "--province", help="Current province code (province keys)."),
) -> None:
    """Create a key and print its token once: only its hash is stored."""
    from hub.auth import ApiKeyError, create_key
    from hub.models import Role

    try:
        key, token = create_key(_engine(), role=Role(role), name=name, province_code=province)
    except ValueError as exc:  # ApiKeyError, or an unknown role
        message = str(exc) if isinstance(exc, ApiKeyError) else f"--role must be ministry or province, not '{role}'"
        console.print(f"[red]error:[/red] {message}")
        raise typer.Exit(2)
    console.print(f"key {key.id} ({key.role}{' ' + key.province_code if key.province_code else ''}) "
                  f"for {key.name}. Token (shown once, keep it secret):")
    print(token)


@keys_app.command("list")
def keys_list() -> None:
    """List keys: id, role, province, holder, token prefix, created, last used, revoked (UTC)."""
    from hub.auth import list_keys

    table = Table(title="API keys (times in UTC)")
    for column in ("id", "role", "province", "name", "prefix", "created", "last used", "revoked"):
        table.add_column(column)
    for key in list_keys(_engine()):
        table.add_row(str(key.id), key.role, key.province_code or "-", key.name, key.prefix + "…",
                      *(when.strftime("%Y-%m-%d %H:%M") if when else "-"
                        for when in (key.created_at, key.last_used_at, key.revoked_at)))
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: int = typer.Argument(..., help="The key's id (see keys list).")) -> None:
    """Revoke a key: its token gets 401 from then on."""
    from hub.auth import revoke_key

    if not revoke_key(_engine(), key_id):
        console.print(f"[red]error:[/red] no active key with id {key_id}")
        raise typer.Exit(2)
    console.print(f"key {key_id} revoked")


@app.command()
def harvest(
    sources: Path = typer.Option(DEFAULT_SOURCES, "--sources", help="Sources file (YAML)."),
    source: Optional[list[str]] = typer.Option(None, "--source", help="Only these source names."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change, write nothing."),
) -> None:
    """Harvest the registries of a sources file into the store; exit 1 if any source failed."""
    from hub.harvest import harvest_source
    from hub.registries.sources_file import SourcesFileError, load_sources
    from hub.status import refresh_statuses
    from hub.store import analyze

    logging.basicConfig(level=logging.WARNING)
    try:
        specs = load_sources(sources)
    except SourcesFileError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    if source:
        unknown = sorted(set(source) - {s.name for s in specs})
        if unknown:
            console.print(f"[red]error:[/red] no source named {', '.join(unknown)} in {sources}")
            raise typer.Exit(2)
        specs = [s for s in specs if s.name in source]
    engine = _engine()
    summaries = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        overall = progress.add_task("sources", total=len(specs))
        for spec in specs:
            task = progress.add_task(f"  {spec.name}", total=None)
            summary = harvest_source(engine, spec, on_row=lambda t=task: progress.advance(t), dry_run=dry_run)
            progress.update(task, total=summary.rows_read, completed=summary.rows_read)
            progress.advance(overall)
            summaries.append(summary)
    table = Table(title="Harvest summary" + (" (dry run: nothing written)" if dry_run else ""))
    for column in ("source", "status", "read", "created", "updated", "unchanged", "withdrawn", "rejected",
                   "warned", "conflicts"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for s in summaries:
        style = "red" if s.failed else None
        table.add_row(s.source, s.status, str(s.rows_read), str(s.created), str(s.updated),
                      str(s.unchanged), str(s.withdrawn), str(s.rejected), str(s.warned), str(s.conflicts),
                      style=style)
    console.print(table)
    for s in summaries:
        _print_reading_notes(s)
    if not dry_run:
        analyze(engine)
        expired = refresh_statuses(engine)
        if expired:
            console.print(f"{expired} certificates passed their 36 months and are now expired")
    failed = [s for s in summaries if s.failed]
    for s in failed:
        console.print(f"[red]source {s.source} failed:[/red] {s.error}")
    if any(s.rejected for s in summaries):
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


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="A registry file: .xlsx, .csv or .html."),
    encoding: str = typer.Option("auto", "--encoding", help="Text encoding of a CSV/HTML file (auto detects)."),
    province: Optional[str] = typer.Option(None, "--province", help="The registry's province (code or name)."),
    rows: int = typer.Option(5, "--rows", help="How many rows to show as read."),
) -> None:
    """Show how the hub reads a registry file, before its first harvest; the store is not touched."""
    from hub.inspect import InspectError, inspect_file
    from hub.inspect_report import print_inspection

    try:
        inspection = inspect_file(file, encoding=encoding, province=province)
    except InspectError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)  # one line, whatever its length
        raise typer.Exit(2)
    print_inspection(console, inspection, rows)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the GraphQL API (GraphiQL on GET /graphql), /healthz and /export/... with uvicorn."""
    import uvicorn

    from hub.api.app import create_app

    engine = _engine()
    console.print(f"OCOP Hub API on http://{host}:{port}/graphql")
    uvicorn.run(create_app(engine), host=host, port=port, log_level="info")


@schema_app.command("export")
def schema_export(path: Path = typer.Option(Path("schema/schema.graphql"), "--path")) -> None:
    """Write the GraphQL SDL (checked for drift by the tests)."""
    from hub.api.schema import export_sdl

    export_sdl(path)
    console.print(f"wrote {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
