"""Reference data for administrative units, built from the installed packages (never typed by hand).

Sources, and what each one is used for:

* ``vietnam_provinces`` (GPL-3.0-or-later): the CURRENT (post-July-2025) list: 34 provinces and
  3,321 communes with their official codes. It is the authority for current codes and names.
* ``vietnamadminunits`` (MIT): the PRE-2025 list (63 provinces, 696 districts, 10,035 communes, with
  their old codes, in ``data/dataset.db``) and the old→new conversion (``data/converter_2025.json``:
  old province → new province, old commune → new commune, telling wards that went whole into one
  new commune from wards split over several, a split ward having one default successor).

The conversion names new communes by this package's own keys; they are joined to
``vietnam_provinces`` by (province code, name), not by code, because the two packages disagree on
about a hundred current commune codes (see ``ReferenceData.findings``).

``load_reference(session)`` writes the three tables; ``build_reference()`` gives the same rows to
pure code (``hub.units.resolver.UnitResolver.from_packages``).
"""
from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from hub.store.models import Commune, LegacyUnit, Province
from hub.vocabulary import CodeVersion
from hub.normalize.fold import search_key

PRE = CodeVersion.PRE_2025.value

_TONE_OLD_STYLE = re.compile(r"([oOuU])([\u0300\u0301\u0303\u0309\u0323])([aAeEyY])(?![a-zA-Z\u0300-\u036f])")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2018": "'"})


def clean_name(name: str) -> str:
    """NFC, single spaces: the packages carry stray double spaces ('Xã  Bắc Đông Quan')."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def canonical_name(name: str) -> str:
    """A join key that keeps every diacritic but ignores tone placement (Hoà/Hòa), dash and
    apostrophe style, spacing and case. Stricter than ``search_key``: 'Tân Thạnh' ≠ 'Tân Thành'."""
    s = unicodedata.normalize("NFD", name.translate(_DASHES))
    s = _TONE_OLD_STYLE.sub(r"\1\3\2", s)
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


@dataclass(frozen=True)
class ReferenceData:
    provinces: list[dict[str, Any]]
    communes: list[dict[str, Any]]
    legacy: list[dict[str, Any]]
    findings: dict[str, Any] = field(default_factory=dict)


def _vau_data_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


def package_province_aliases() -> dict[str, list[str]]:
    """Province aliases the ``vietnamadminunits`` package carries ('hn', 'hcm', 'vungtau'), by
    pre-2025 province code (the 2025 table carries the same ones for the same codes)."""
    out: dict[str, list[str]] = {}
    with sqlite3.connect(_vau_data_dir() / "dataset.db") as conn:
        for code, aliases in conn.execute(
            "SELECT DISTINCT provinceCode, provinceAlias FROM admin_units_legacy WHERE provinceAlias IS NOT NULL"
        ):
            out[code] = list(json.loads(aliases))
    return out


@lru_cache(maxsize=1)
def build_reference() -> ReferenceData:
    """All rows for Province, Commune and LegacyUnit, as plain dicts (cached: the data is static)."""
    from vietnam_provinces import Province as VpProvince
    from vietnam_provinces import VietNamDivisionType, Ward

    # -- current provinces and communes (vietnam_provinces) ------------------------------------
    provinces: list[dict[str, Any]] = []
    for p in VpProvince.iter_all():
        code = f"{int(p.code):02d}"
        full = clean_name(p.name)
        if p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG:
            name = re.sub(r"^Thành phố\s+", "", full)
        else:
            name, full = full, f"Tỉnh {full}"
        provinces.append({"code": code, "name": name, "full_name": full, "search_key": search_key(name)})
    provinces.sort(key=lambda r: r["code"])
    province_codes = {r["code"] for r in provinces}

    communes: list[dict[str, Any]] = []
    vp_by_name: dict[tuple[str, str], str] = {}
    for w in Ward.iter_all():
        code, prov = f"{int(w.code):05d}", f"{int(w.province_code):02d}"
        name = clean_name(w.name)
        communes.append({"code": code, "name": name, "province_code": prov, "search_key": search_key(name)})
        vp_by_name[(prov, canonical_name(name))] = code
    communes.sort(key=lambda r: r["code"])

    # -- pre-2025 units and the conversion (vietnamadminunits) ---------------------------------
    data_dir = _vau_data_dir()
    conv = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(data_dir / "dataset.db") as conn:
        legacy_rows = conn.execute(
            "SELECT provinceCode, provinceShort, provinceKey, districtCode, district, districtKey,"
            " wardCode, ward, wardKey FROM admin_units_legacy"
        ).fetchall()
        new_rows = conn.execute(
            "SELECT provinceCode, provinceKey, ward, wardKey, wardCode FROM admin_units"
        ).fetchall()

    new_prov_code_by_key: dict[str, str] = {}
    new_commune_by_key: dict[tuple[str, str], str] = {}
    code_disagreements: list[tuple[str, str, str]] = []
    unjoined: list[str] = []
    for prov, pkey, ward, wkey, wcode in new_rows:
        new_prov_code_by_key[pkey] = prov
        vp_code = vp_by_name.get((prov, canonical_name(ward)))
        if vp_code is None:
            unjoined.append(ward)
            continue
        new_commune_by_key[(pkey, wkey)] = vp_code
        if vp_code != wcode:
            code_disagreements.append((clean_name(ward), vp_code, wcode))

    old_to_new_prov: dict[str, str] = {}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old_key in old_keys:
            old_to_new_prov[old_key] = new_prov_code_by_key[new_key]

    successor: dict[str, str | None] = {}  # "oldprov_olddist_oldward" -> current commune code
    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                successor[old_key] = new_commune_by_key.get((new_pkey, new_wkey))
    split_count = 0
    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, candidates in olds.items():
            split_count += 1
            default = next((c["newWardKey"] for c in candidates if c["isDefaultNewWard"]), None)
            successor[old_key] = new_commune_by_key.get((new_pkey, default)) if default else None

    legacy: list[dict[str, Any]] = []
    seen_prov: set[str] = set()
    seen_dist: set[str] = set()
    for pcode, pshort, pkey, dcode, dname, dkey, wcode, wname, wkey in legacy_rows:
        current_prov = old_to_new_prov[pkey]
        assert current_prov in province_codes, (pkey, current_prov)
        if pcode not in seen_prov:
            seen_prov.add(pcode)
            name = clean_name(pshort)
            legacy.append(_legacy("province", pcode, name, pcode, None, current_prov, None))
        if dcode not in seen_dist:
            seen_dist.add(dcode)
            # island districts became special zones (đặc khu): the district maps to one commune
            island = successor.get(f"{pkey}_{dkey}_") if not wcode else None
            legacy.append(_legacy("district", dcode, clean_name(dname), pcode, None, current_prov, island))
        if wcode:
            legacy.append(_legacy("commune", wcode, clean_name(wname), pcode, dcode, current_prov,
                                  successor.get(f"{pkey}_{dkey}_{wkey}")))
    order = {"province": 0, "district": 1, "commune": 2}
    legacy.sort(key=lambda r: (order[r["level"]], r["code"]))

    findings = {
        "current_commune_code_disagreements": len(code_disagreements),
        "current_commune_code_disagreement_examples": code_disagreements[:10],
        "current_communes_not_joined": unjoined,
        "split_legacy_communes": split_count,
        "legacy_communes_without_successor": sum(
            1 for r in legacy if r["level"] == "commune" and r["current_commune_code"] is None
        ),
    }
    return ReferenceData(provinces, communes, legacy, findings)


def _legacy(level: str, code: str, name: str, prov: str, dist: str | None, current_prov: str,
            current_commune: str | None) -> dict[str, Any]:
    return {
        "level": level, "code": code, "code_version": PRE, "name": name, "search_key": search_key(name),
        "legacy_province_code": prov, "legacy_district_code": dist,
        "current_province_code": current_prov, "current_commune_code": current_commune,
    }


def _sync(session: Session, model: Any, rows: list[dict[str, Any]], key: tuple[str, ...],
          pk: str | None = None) -> tuple[int, int]:
    """Insert missing rows and update changed ones (by natural ``key``); never deletes.
    Keys the table has no column for are left out (``legacy_district_code`` until the store has it)."""
    table_cols = set(model.__table__.columns.keys())
    rows = [{k: v for k, v in r.items() if k in table_cols} for r in rows]
    cols = list(rows[0].keys())
    columns = [getattr(model, c) for c in ([pk] if pk else []) + cols]
    existing: dict[tuple, tuple] = {}
    for r in session.execute(select(*columns)).all():
        values = tuple(r)
        rec = dict(zip(([pk] if pk else []) + cols, values))
        existing[tuple(rec[k] for k in key)] = rec  # type: ignore[assignment]
    inserts, updates = [], []
    for row in rows:
        old = existing.get(tuple(row[k] for k in key))
        if old is None:
            inserts.append(row)
        elif any(old[c] != row[c] for c in cols):  # type: ignore[index]
            updates.append({**row, pk: old[pk]} if pk else row)  # type: ignore[index]
    if inserts:
        session.execute(insert(model), inserts)
    if updates:
        session.execute(update(model), updates)
    return len(inserts), len(updates)


def load_reference(session: Session) -> dict[str, int]:
    """Fill Province (34), Commune (3,321) and LegacyUnit (63 provinces, 696 districts, 10,035
    communes, code_version 'pre2025') from the packages. Idempotent: a second run inserts and
    updates nothing. Flushes; the caller commits. Returns the counts per kind plus
    ``inserted``/``updated``."""
    ref = build_reference()
    ins = upd = 0
    for model, rows, key, pk in (
        (Province, ref.provinces, ("code",), None),
        (Commune, ref.communes, ("code",), None),
        (LegacyUnit, ref.legacy, ("level", "code", "code_version"), "id"),
    ):
        i, u = _sync(session, model, rows, key, pk)
        ins += i
        upd += u
    session.flush()
    levels = {lvl: sum(1 for r in ref.legacy if r["level"] == lvl) for lvl in ("province", "district", "commune")}
    return {
        "province": len(ref.provinces),
        "commune": len(ref.communes),
        "legacy_province": levels["province"],
        "legacy_district": levels["district"],
        "legacy_commune": levels["commune"],
        "inserted": ins,
        "updated": upd,
    }
