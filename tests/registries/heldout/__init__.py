"""Held-out registries: layouts written without looking at the hub's header rules or its corpus,
each with a careful clerk's reading (tests/registries/test_heldout_layouts.py checks the hub
against it)."""
from __future__ import annotations

from .build import Layout, Product
from .marked_layouts import LAYOUTS as MARKED_LAYOUTS
from .text_layouts import LAYOUTS as TEXT_LAYOUTS
from .xlsx_layouts import LAYOUTS as XLSX_LAYOUTS

LAYOUTS: list[Layout] = [*XLSX_LAYOUTS, *TEXT_LAYOUTS, *MARKED_LAYOUTS]

__all__ = ["LAYOUTS", "Layout", "Product"]
