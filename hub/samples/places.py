"""Administrative units the sample registries name, from the ``vietnamadminunits`` data set."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    district: str  # "huyện Pác Nặm"; "" after the 2025 reform
    commune: str   # "xã Bộc Bố"
    short: str     # "Bộc Bố"


def legacy_places(province: str) -> list[Place]:
    """Pre-2025 districts and communes of an old province, as the registries of the time wrote them.

    Units whose name only its type tells apart ("huyện" / "thị xã Duyên Hải", "xã" / "thị trấn Đầm
    Hà") are left out: the data set marks them with a suffix ("Duyên Hải (Huyện)") no registry writes.
    """
    from vietnamadminunits.database import query  # the package's own read-only data set

    rows = query(
        "SELECT DISTINCT districtType, districtShort, wardType, wardShort, wardCode FROM admin_units_legacy "
        f"WHERE provinceShort = '{province}' AND districtShortDuplicated = 0 AND wardShortDuplicated = 0 "
        "ORDER BY wardCode"
    )
    return [
        Place(f"{r['districtType'].lower()} {r['districtShort']}", f"{r['wardType'].lower()} {r['wardShort']}",
              r["wardShort"])
        for r in rows
    ]


def current_places(province: str) -> list[Place]:
    """Communes of a province after 1 July 2025 (no districts)."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT DISTINCT wardType, wardShort, wardCode FROM admin_units "
        f"WHERE provinceShort = '{province}' AND wardShortKeyDuplicated = 0 ORDER BY wardCode"
    )
    return [Place("", f"{r['wardType']} {r['wardShort']}", r["wardShort"]) for r in rows]
