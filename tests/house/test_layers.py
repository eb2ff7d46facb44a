"""The house keeps its layers (docs/architecture.md): no import circle among the modules of hub/
and pipelines/, and no import from a lower layer up to a higher one, read from the source with
``ast`` (imports inside functions count; ``if TYPE_CHECKING:`` ones never run and do not)."""
from __future__ import annotations

from pathlib import Path

from tests.house.import_graph import ROOT, cycles, edges

LAYERS: list[tuple[str, ...]] = [
    ("hub.vocabulary",),
    ("hub.normalize",),
    ("hub.records", "hub.settings"),
    ("hub.store",),
    ("hub.units",),
    ("hub.store_setup",),
    ("hub.registries",),
    ("hub.ingest",),
    ("hub.sources", "hub.push", "hub.audit", "hub.access"),
    ("hub.api",),
    ("hub.dashboard", "hub.submit"),
    ("hub.server", "hub.cli", "hub.samples"),
    ("pipelines",),
]
"""Lowest first; a module may import its own layer and those below (docs/architecture.md)."""


def layer_of(module: str) -> int | None:
    for number, names in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in names):
            return number
    return None


def test_no_import_circle() -> None:
    assert cycles(edges()) == []


def test_every_module_has_a_layer_and_imports_only_its_own_and_lower_ones() -> None:
    graph = edges()
    assert [m for m in graph if m not in ("hub", "pipelines") and layer_of(m) is None] == []
    upward = [f"{m} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)})"
              for m, targets in sorted(graph.items()) if m not in ("hub", "pipelines")
              for t in sorted(targets) if t not in ("hub", "pipelines") and layer_of(t) > layer_of(m)]
    assert upward == []


def test_hub_keeps_few_flat_modules() -> None:
    assert len(list((ROOT / "hub").glob("*.py"))) <= 8


def test_the_graph_sees_imports_in_functions_and_not_type_checking_ones(tmp_path: Path) -> None:
    """The reader itself: a module that imports upward inside a function is caught; one that
    imports only for type checking is not."""
    from tests.house.import_graph import _imports
    import ast

    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from hub.api import app\n"
                     "def f():\n    from hub.server import create_app\n")
    assert [(m, names) for m, names, _ in _imports(tree)] == [("typing", ["TYPE_CHECKING"]),
                                                             ("hub.server", ["create_app"])]
    graph = {"hub.store.x": {"hub.api.y"}, "hub.api.y": {"hub.store.x"}}
    assert cycles(graph) == [["hub.api.y", "hub.store.x"]]
