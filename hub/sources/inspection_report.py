"""``ocop-hub inspect`` on a console: the reading, the columns, the first rows, every problem."""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hub.sources.inspection import Inspection, RowOutcome
from hub.normalize.problem import Problem


def print_inspection(console: Console, inspection: Inspection, preview_rows: int) -> None:
    reading = inspection.reading
    console.print(f"[bold]{escape(inspection.path)}[/bold] ({inspection.kind})")
    if inspection.encoding:
        console.print(f"encoding: {inspection.encoding}")
    if reading.sheet:
        console.print(f"sheet: {escape(reading.sheet)!s}")
    for table in getattr(reading, "tables", ()):  # a PDF or Word annex: which of its tables were read
        console.print(f"{escape(table)}")
    console.print("header rows: " + (", ".join(str(n) for n in reading.header_rows) or "-"))

    columns = Table(title="Columns")
    for name in ("#", "column as written", "field"):
        columns.add_column(name)
    for column in reading.columns:
        columns.add_row(str(column.index + 1), escape(column.header), column.field or "[yellow]not mapped[/yellow]")
    console.print(columns)
    if reading.unmapped:
        console.print("columns mapped to no field (their values stay in the raw rows): "
                      + ", ".join(repr(c) for c in reading.unmapped))
    if len(reading.sheets) > 1:
        console.print("sheets read: " + ", ".join(escape(repr(name)) for name in reading.sheets))
    for skipped in reading.skipped:
        if skipped.reason == "sheet":
            console.print(f"skipped, {escape(skipped.text)}")
        else:
            console.print(f"row {skipped.row_number}: skipped, {skipped.reason}: {escape(skipped.text)}")
    for mismatch in reading.section_count_mismatches:
        console.print(f"[yellow]warning:[/yellow] {escape(mismatch)}")

    shown = inspection.rows[:preview_rows]
    if shown:
        fields = [c.field for c in reading.columns if c.field]
        preview = Table(title=f"First {len(shown)} of {len(inspection.rows)} rows as read")
        preview.add_column("row")
        for name in dict.fromkeys(fields + sorted({f for r in shown for f in r.values} - set(fields))):
            preview.add_column(name)
        names = [c.header for c in preview.columns][1:]
        for row in shown:
            preview.add_row(str(row.row_number), *(escape(row.values.get(n, "")) for n in names))
        console.print(preview)

    stored = len(inspection.rows) - len(inspection.rejected)
    console.print(f"{len(inspection.rows)} rows: {stored} would be stored "
                  f"({len(inspection.warned)} with warnings), {len(inspection.rejected)} rejected")
    for row in inspection.rejected:
        _print_problems(console, row, "rejected", "red", row.problems)
    for row in inspection.warned:
        _print_problems(console, row, "warning", "yellow", row.warnings)
    if inspection.refusal:
        console.print(f"[red]the whole list would be refused[/red], {escape(inspection.refusal)}", soft_wrap=True)

    console.print("\nA sources-file entry with these columns (adjust name, province, columns):")
    console.print(escape(inspection.columns_snippet(Path(inspection.path).stem)), highlight=False)


def _print_problems(console: Console, row: RowOutcome, label: str, colour: str, problems: list[Problem]) -> None:
    for problem in problems:
        where = f" ({escape(row.location)})" if row.location else ""
        console.print(f"row {row.row_number}{where}: [{colour}]{label}[/{colour}] {problem.code} "
                      f"({problem.field}): {escape(problem.message)}")
