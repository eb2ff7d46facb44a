"""Small builders shared by the reader tests."""
from __future__ import annotations

from pathlib import Path

from hub.registries import SourceSpec


def spec(location: str | Path, kind: str, **kwargs: object) -> SourceSpec:
    return SourceSpec(name="test", province="Quảng Ninh", kind=kind, location=str(location), **kwargs)  # type: ignore[arg-type]
