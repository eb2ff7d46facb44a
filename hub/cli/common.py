"""What every ``ocop-hub`` command module shares: the console, the store, one-line errors, and
typer classes that show flags as flags."""
from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.engine import Engine
from typer.core import TyperCommand, TyperGroup

class _FlagHelp:
    """typer writes ``<bool>`` after every flag in ``--help``, as if it took a value: it takes none."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_bool_flag", False) and param.metavar is None:
                param.metavar = ""
        return params


class HubGroup(_FlagHelp, TyperGroup):
    pass


class HubCommand(_FlagHelp, TyperCommand):
    pass


def new_typer(help: str) -> typer.Typer:
    return typer.Typer(help=help, no_args_is_help=True, cls=HubGroup)


# Pipes and CI logs get a wide console so the summary table is never truncated.
console = Console(width=None if sys.stdout.isatty() else 120)


def store_engine() -> Engine:
    """The store of the settings, migrated and with its reference units: every command's start."""
    from hub.settings import load_settings
    from hub.store_setup import init_store

    return init_store(load_settings().database_url)


def print_error(message: str) -> None:
    """One line, whatever its length (a path, a list of names): scripts and tests read it whole."""
    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)


def when_text(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"
