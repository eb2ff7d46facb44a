"""``ocop-hub sources``: check a sources file, and list, disable, enable or remove the registries
harvested (the logic is hub.sources.catalog and hub.sources.check, shared with the GraphQL API)."""
from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from hub.cli.common import HubCommand, console, new_typer, print_error, store_engine, when_text

if TYPE_CHECKING:
    from hub.sources.catalog import SourceState

sources_app = new_typer("The registries harvested: check a sources file, list, disable, enable, remove.")


def _cli_actor() -> str:
    """Who did it, for the audit log: the command line and the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in this environment (some containers)
        return "cli"


@sources_app.command("check", cls=HubCommand)
def sources_check(file: Path = typer.Argument(..., help="The sources file (YAML).")) -> None:
    """Find every problem of a sources file, harvesting nothing; exit 2 if any.

    Its shape, each entry's keys, provinces the unit tables do not know, names the store gives to
    another province, a push channel or a removed source, local files that are not there."""
    from hub.sources.check import check_sources

    check = check_sources(store_engine(), file)
    for problem in check.all_problems:
        print_error(problem)
    if check.all_problems:
        console.print(f"{len(check.all_problems)} problem{'s' if len(check.all_problems) != 1 else ''} in {file}",
                      soft_wrap=True)
        raise typer.Exit(2)
    console.print(f"{file}: {len(check.specs)} sources, no problem found "
                  f"({', '.join(spec.name for spec in check.specs)})", soft_wrap=True)


@sources_app.command("list", cls=HubCommand)
def sources_list(
    all_: bool = typer.Option(False, "--all", help="Include removed sources."),
) -> None:
    """List sources: province, kind, location, state, last batch, rows present, products it alone lists."""
    from hub.sources.catalog import list_sources

    table = Table(title="Sources (times in UTC)")
    for column in ("name", "province", "kind", "location", "state", "last batch", "rows", "alone"):
        table.add_column(column, justify="right" if column in ("rows", "alone") else "left",
                         overflow="fold")
    for state in list_sources(store_engine(), include_removed=all_):
        batch = state.last_batch
        last = f"{batch.id} {batch.kind} {batch.status} {when_text(batch.at)}" if batch else "never run"
        province = f"{state.province_code} {state.province_text}" if state.province_code else "many (rows name theirs)"
        table.add_row(state.name, province, state.kind,
                      state.location or "-", _state_label(state), last, str(state.present_rows),
                      str(state.sole_products))
    console.print(table)
    console.print("alone: products no other source lists (what `sources remove` would have to withdraw)")


def _state_label(state: SourceState) -> str:
    if state.removed_at:
        return f"removed {when_text(state.removed_at)}"
    if state.disabled_at:
        return f"disabled {when_text(state.disabled_at)}"
    return "enabled"


@sources_app.command("disable", cls=HubCommand)
def sources_disable(name: str = typer.Argument(..., help="Source name (see sources list).")) -> None:
    """Stop harvesting a source; it is not counted as stale and its products are kept."""
    from hub.sources.catalog import disable_source

    state = _managed(lambda engine: disable_source(engine, name))
    console.print(f"source {name} disabled since {when_text(state.disabled_at)}: the harvest skips it, coverage does "
                  f"not count it as stale, its {state.present_rows} rows and their products are kept", soft_wrap=True)


@sources_app.command("enable", cls=HubCommand)
def sources_enable(name: str = typer.Argument(..., help="Source name (see sources list).")) -> None:
    """Harvest a disabled source again."""
    from hub.sources.catalog import enable_source

    _managed(lambda engine: enable_source(engine, name))
    console.print(f"source {name} enabled: the next harvest takes it", soft_wrap=True)


@sources_app.command("remove", cls=HubCommand)
def sources_remove(
    name: str = typer.Argument(..., help="Source name (see sources list)."),
    withdraw_products: bool = typer.Option(False, "--withdraw-products", help=(
        "Also withdraw the products no other source lists (an audited batch, like a harvest's withdrawal).")),
) -> None:
    """Remove a source: refused while products depend on it alone, unless --withdraw-products.

    The source is marked removed, not deleted: its batches and the products' history stay."""
    from hub.sources.catalog import remove_source

    removal = _managed(lambda engine: remove_source(engine, name, withdraw_products=withdraw_products,
                                                    actor=_cli_actor()), name=name)
    console.print(f"source {name} removed in batch {removal.batch_id}: {removal.rows_unlisted} rows unlisted, "
                  f"{removal.products_withdrawn} products withdrawn (see importBatches and each product's history)",
                  soft_wrap=True)


def _managed(change: Any, name: str | None = None) -> Any:
    """Run a hub.sources.catalog change; a refusal is one error line (with the ways out of SOURCE_IN_USE), exit 2."""
    from hub.sources.catalog import SourceRefused

    try:
        return change(store_engine())
    except SourceRefused as exc:
        print_error(exc.message)
        if exc.code == "SOURCE_IN_USE" and name:
            console.print(f"  ocop-hub sources disable {name}                      keep it and its products, "
                          "stop harvesting it\n"
                          f"  ocop-hub sources remove {name} --withdraw-products   withdraw them, then remove it",
                          soft_wrap=True)
        raise typer.Exit(2)
