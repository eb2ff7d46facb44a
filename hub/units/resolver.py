"""Resolve administrative units as registries write them to the current (post-July-2025) units.

Built once (from the store or straight from the packages), then pure dict look-ups with a
result cache: fit for the ingest loop. Matching ignores type prefixes ("tỉnh", "TP.", "huyện",
"Q.", "xã", "P." ...), diacritics, case, spacing and tone placement (Hoá/Hóa), and folds the usual
spelling variants k/c (Bắc Kạn/Bắc Cạn, Đắk Lắk/Đắc Lắc) and final y/i (Mỹ/Mĩ).

Rules (see DESIGN.md, "Administrative units" and "Codes are reused"):

* ``province_code`` is always the CURRENT province. ``legacy_province`` is the name of the
  pre-2025 province the unit belonged to when the text tells it (an old province name, an old
  district or an old commune); a text naming only a post-reform province gives None. A name that
  is both an old and a current province (Quảng Ninh, Gia Lai) gives ``legacy_province`` = itself.
* ``unit_code``/``unit_code_version``: the most specific code matched and its code list
  ('pre2025' or 'post2025'): commune, else district (always pre2025), else province. A province
  text naming only an old province gives its old code ('Bình Định' → '52' pre2025); one naming a
  current province gives the current code ('Gia Lai' → '52' post2025).
* A commune is looked up within its district (when given) or province, never across provinces.
  A split pre-2025 ward maps to the package's default successor; a name that stays ambiguous
  leaves ``commune_code`` None rather than guessing.
* With an old district, the commune is read in the pre-2025 list. Without one, a text naming an
  old-only province (Bắc Kạn) reads the pre-2025 list first; a text naming a current province
  (including unchanged names: Hà Nội) reads the current list first, since pre-2025 addresses
  always had a district. A current commune grown out of a single old province gives that
  province as ``legacy_province`` (Thái Nguyên + Xã Bằng Thành → Bắc Kạn).
* Results are cached per distinct input: repeated units cost one dict look-up.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Iterable

from hub.vocabulary import CodeVersion
from hub.normalize.fold import search_key
from hub.normalize.problem import Problem
from hub.units.reference import canonical_name
from hub.units.names import COMMUNE_TYPES, DISTRICT_TYPES, bare_key, nearest_names, split_prefix, unit_key

__all__ = ["COMMUNE_TYPES", "DISTRICT_TYPES", "ResolvedUnit", "UNKNOWN_UNIT", "UnitResolver", "bare_key",
           "province_code_of", "split_prefix", "unit_key"]

PRE = CodeVersion.PRE_2025.value
POST = CodeVersion.POST_2025.value
UNKNOWN_UNIT = "UNKNOWN_UNIT"

# Province names the packages do not carry but which are unambiguous.
# Old-only aliases (they name a pre-2025 province): by pre-2025 code.
_EXTRA_OLD_ALIASES = {"46": ["Thừa Thiên Huế", "Thừa Thiên - Huế"]}
# Aliases of a province whose name did not change in 2025: by (pre-2025 code, current code).
_EXTRA_BOTH_ALIASES = {("79", "79"): ["Sài Gòn", "HCMC", "TPHCM"]}

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResolvedUnit:
    province_code: str
    commune_code: str | None
    legacy_province: str | None
    unit_code: str | None
    unit_code_version: str | None
    text: str


@dataclass(frozen=True)
class _Prov:
    current: str
    old: str | None          # pre-2025 province code the text names, if any
    code: str                # unit code matched for the province text
    version: str
    old_only: bool           # the text names an old province only (not also a current one)


@dataclass
class _Unit:
    code: str
    name: str
    bare_canon: str          # canonical (diacritic-keeping) name without its type
    typ: str | None
    old_province: str | None
    district: str | None
    current_province: str
    current_commune: str | None


# ---------------------------------------------------------------------------------------------
# Resolver
# ---------------------------------------------------------------------------------------------
class UnitResolver:
    """In-memory resolver; build with ``from_session`` or ``from_packages``."""

    def __init__(self, provinces: Iterable[dict[str, Any]], communes: Iterable[dict[str, Any]],
                 legacy: Iterable[dict[str, Any]], cache_size: int = 200_000) -> None:
        self._prov_name: dict[str, str] = {}
        self._prov_full: dict[str, str] = {}
        self._old_prov: dict[str, _Unit] = {}
        self._olds_of_current: dict[str, list[str]] = defaultdict(list)
        self._prov_idx: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._dist: dict[str, _Unit] = {}
        self._dist_idx: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._old_comm: dict[str, _Unit] = {}
        self._old_comm_by_dist: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._old_comm_by_prov: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._new_comm: dict[str, _Unit] = {}
        self._new_comm_by_prov: dict[tuple[str, str], list[str]] = defaultdict(list)

        for p in provinces:
            code = p["code"]
            self._prov_name[code] = p["name"]
            self._prov_full[code] = p["full_name"]
            self._prov_idx[unit_key(p["name"])[1]].add(("new", code))
        for c in communes:
            u = self._unit(c["code"], c["name"], None, None, c["province_code"], c["code"])
            self._new_comm[u.code] = u
            self._new_comm_by_prov[(u.current_province, bare_key(split_prefix(u.name)[1]))].append(u.code)
        for r in legacy:
            u = self._unit(r["code"], r["name"], r["legacy_province_code"], r.get("legacy_district_code"),
                           r["current_province_code"], r["current_commune_code"])
            key = bare_key(split_prefix(u.name)[1])
            if r["level"] == "province":
                self._old_prov[u.code] = u
                self._olds_of_current[u.current_province].append(u.code)
                self._prov_idx[key].add(("old", u.code))
            elif r["level"] == "district":
                self._dist[u.code] = u
                self._dist_idx[(u.old_province, key)].append(u.code)  # type: ignore[index]
            else:
                self._old_comm[u.code] = u
                self._old_comm_by_dist[(u.district, key)].append(u.code)  # type: ignore[index]
                self._old_comm_by_prov[(u.old_province, key)].append(u.code)  # type: ignore[index]
        for olds in self._olds_of_current.values():
            olds.sort()
        # where each current commune came from (default successors): a current commune name is
        # accepted under an old district/province only if it grew out of it
        self._new_from_dists: dict[str, set[str]] = defaultdict(set)
        self._new_from_provs: dict[str, set[str]] = defaultdict(set)
        for u in self._old_comm.values():
            if u.current_commune:
                self._new_from_dists[u.current_commune].add(u.district)  # type: ignore[arg-type]
                self._new_from_provs[u.current_commune].add(u.old_province)  # type: ignore[arg-type]
        for u in self._dist.values():
            if u.current_commune:
                self._new_from_dists[u.current_commune].add(u.code)
                self._new_from_provs[u.current_commune].add(u.old_province)  # type: ignore[arg-type]
        self._add_aliases()
        self._cached = lru_cache(maxsize=cache_size)(self._resolve_uncached)
        self._cached_province = lru_cache(maxsize=4096)(self._match_province)

    @staticmethod
    def _unit(code: str, name: str, old_prov: str | None, district: str | None, current_prov: str,
              current_commune: str | None) -> _Unit:
        typ, bare = split_prefix(name)
        return _Unit(code, name, canonical_name(bare), typ, old_prov, district, current_prov, current_commune)

    def _add_aliases(self) -> None:
        from hub.units.reference import package_province_aliases

        for old_code, aliases in package_province_aliases().items():
            if old_code not in self._old_prov:
                continue
            current = self._old_prov[old_code].current_province
            both = unit_key(self._old_prov[old_code].name)[1] == unit_key(self._prov_name[current])[1]
            for alias in aliases:
                self._prov_idx[bare_key(alias)].add(("old", old_code))
                if both:
                    self._prov_idx[bare_key(alias)].add(("new", current))
        for old_code, aliases in _EXTRA_OLD_ALIASES.items():
            for alias in aliases:
                self._prov_idx[unit_key(alias)[1]].add(("old", old_code))
        for (old_code, new_code), aliases in _EXTRA_BOTH_ALIASES.items():
            for alias in aliases:
                self._prov_idx[unit_key(alias)[1]].update({("old", old_code), ("new", new_code)})

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_packages(cls) -> "UnitResolver":
        from hub.units.reference import build_reference

        ref = build_reference()
        return cls(ref.provinces, ref.communes, ref.legacy)

    @classmethod
    def from_session(cls, session: Any) -> "UnitResolver":
        return cls(*cls.reference_rows(session))

    @staticmethod
    def reference_rows(session: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """The store's reference units as the resolver reads them: (provinces, communes, legacy)."""
        from sqlalchemy import select

        from hub.store.models import Commune, LegacyUnit, Province

        def rows(model: Any, cols: list[str]) -> list[dict[str, Any]]:
            result = session.execute(select(*[getattr(model, c) for c in cols])).all()
            return [dict(zip(cols, r)) for r in result]

        provinces = rows(Province, ["code", "name", "full_name"])
        if not provinces:
            raise LookupError("no provinces in the store: run hub.units.reference.load_reference first")
        communes = rows(Commune, ["code", "name", "province_code"])
        cols = ["level", "code", "code_version", "name", "legacy_province_code",
                "current_province_code", "current_commune_code"]
        if "legacy_district_code" in LegacyUnit.__table__.columns:
            legacy = rows(LegacyUnit, cols + ["legacy_district_code"])
        else:
            # The store keeps no parent district for a pre-2025 commune: take it from the frozen
            # pre-2025 code list of the package (a fact of the old code, never changes).
            from hub.units.reference import build_reference

            parent = {r["code"]: r["legacy_district_code"] for r in build_reference().legacy
                      if r["level"] == "commune"}
            legacy = rows(LegacyUnit, cols)
            for r in legacy:
                if r["level"] == "commune":
                    r["legacy_district_code"] = parent.get(r["code"])
        legacy = [r for r in legacy if r["code_version"] == PRE]
        return provinces, communes, legacy

    # -- convenience -----------------------------------------------------------------------
    def province_name(self, code: str) -> str:
        """Short name of a CURRENT province ('Hà Nội', 'Thái Nguyên'); KeyError if unknown."""
        return self._prov_name[code]

    def province_full_name(self, code: str) -> str:
        return self._prov_full[code]

    def province_codes(self) -> list[str]:
        return sorted(self._prov_name)

    def former_provinces(self, code: str) -> list[tuple[str, str]]:
        """(pre-2025 code, name) of the provinces current province ``code`` was merged from, by code."""
        return [(old, self._old_prov[old].name) for old in self._olds_of_current.get(code, [])]

    def nearest_provinces(self, text: str) -> list[str]:
        """Province names, current or former, closest to an unknown ``text`` (for its error)."""
        return nearest_names(text, [*self._prov_name.values(), *(u.name for u in self._old_prov.values())])

    def resolve_province_code(self, text: str | None) -> str | None:
        """The CURRENT province code a province text means (old or new name), or None."""
        if not text or not text.strip():
            return None
        p = self._cached_province(text)
        return p.current if p else None

    def legacy_unit(self, level: str, code: str) -> tuple[str, str] | None:
        """(name, current province code) of a pre-2025 code of the given level."""
        table = {"province": self._old_prov, "district": self._dist, "commune": self._old_comm}[level]
        u = table.get(code)
        return (u.name, u.current_province) if u else None

    def unit_name(self, code: str, version: str) -> str | None:
        """Name of a province (2 digits) or commune (5 digits) code in the given code list."""
        if version == POST:
            if len(code) == 2:
                return self._prov_name.get(code)
            u = self._new_comm.get(code)
            return u.name if u else None
        table = {2: self._old_prov, 3: self._dist, 5: self._old_comm}.get(len(code), {})
        u = table.get(code)
        return u.name if u else None

    @cached_property
    def _units_by_name(self) -> dict[tuple[str, str], list[tuple[dict[str, _Unit], str]]]:
        """Districts and communes, old and new, by level and bare name: built on first use (only a
        row whose unit is not in its source's province asks)."""
        by_name: dict[tuple[str, str], list[tuple[dict[str, _Unit], str]]] = defaultdict(list)
        for level, table in (("district", self._dist), ("commune", self._old_comm), ("commune", self._new_comm)):
            for code, unit in table.items():
                bare = split_prefix(unit.name)[1]
                # a ward named "Xuân Hương - Đà Lạt" since the reform is also written "phường Xuân Hương"
                for name in {bare, *re.split(r"\s+[-–]\s+", bare)}:
                    by_name[(level, bare_key(name))].append((table, code))
        return by_name

    def provinces_naming(self, text: str, level: str) -> set[str]:
        """The current provinces that have (or, before the reform, had) a district (``level``
        "district") or a commune ("commune") of this name, old or new, typed as written when
        one is. Evidence of where a row belongs when its unit is not in its source's province."""
        typ, key = unit_key(text)
        found: set[str] = set()
        for table in (self._dist, self._old_comm, self._new_comm):
            codes = [code for t, code in self._units_by_name.get((level, key), ()) if t is table]
            found.update(table[c].current_province for c in self._narrow(codes, table, typ, text))
        return found

    # -- resolving -------------------------------------------------------------------------
    def resolve(self, province: str | None, district: str | None = None, commune: str | None = None,
                address: str | None = None, default_province: str | None = None,
                strict: bool = True) -> ResolvedUnit | Problem:
        """Resolve a unit as written. With ``strict`` (default) an unknown district or commune is
        a Problem; without, the unit resolves at the level that did match."""
        return self._cached(_clean(province), _clean(district), _clean(commune), _clean(address),
                            _clean(default_province), strict)

    def _match_province(self, text: str) -> _Prov | None:
        typ, key = unit_key(text)
        hits = self._prov_idx.get(key)
        if not hits:
            return None
        olds = sorted(c for kind, c in hits if kind == "old")
        news = sorted(c for kind, c in hits if kind == "new")
        if len(olds) > 1 or len(news) > 1:
            return None
        if olds:
            o = olds[0]
            cur = self._old_prov[o].current_province
            if news and news[0] == cur:
                return _Prov(cur, o, cur, POST, False)
            return _Prov(cur, o, o, PRE, True)
        return _Prov(news[0], None, news[0], POST, False)

    def _resolve_uncached(self, province: str | None, district: str | None, commune: str | None,
                          address: str | None, default_province: str | None,
                          strict: bool) -> ResolvedUnit | Problem:
        use_address = bool(address) and not district and not commune
        written = [x for x in (commune, district, address if use_address else None, province) if x]
        text = ", ".join(written) or (default_province or "")

        prov: _Prov | None = None
        if province:
            prov = self._cached_province(province)
            if prov is None:
                return _problem("province", f"unknown province '{province}'", province)
        if use_address:
            parsed = self._parse_address(address, prov, default_province, strict)  # type: ignore[arg-type]
            if isinstance(parsed, Problem):
                return parsed
            prov, district, commune = parsed
        elif prov is None:
            if not default_province:
                return _problem("province", "no province given", None)
            prov = self._cached_province(default_province)
            if prov is None:
                return _problem("province", f"unknown province '{default_province}'", default_province)
        return self._resolve_below(prov, district, commune, text, strict, "district", "commune")

    def _resolve_below(self, prov: _Prov, district: str | None, commune: str | None, text: str,
                       strict: bool, district_field: str, commune_field: str) -> ResolvedUnit | Problem:
        legacy_code = prov.old
        unit_code, version = prov.code, prov.version
        dists: list[str] = []
        if district:
            dists = self._match_district(district, prov)
            if not dists:
                if strict:
                    return _problem(district_field, f"unknown district '{district}' in "
                                    f"{self._scope_name(prov)}", district)
            else:
                olds = {self._dist[d].old_province for d in dists}
                if len(olds) == 1:
                    legacy_code = olds.pop()
                if len(dists) == 1:
                    unit_code, version = dists[0], PRE
        commune_code: str | None = None
        if len(dists) == 1 and self._dist[dists[0]].current_commune:   # island district → đặc khu
            commune_code = self._dist[dists[0]].current_commune
        if commune:
            found = self._match_commune(commune, prov, dists)
            if found is None:
                if strict:
                    return _problem(commune_field, f"unknown commune '{commune}' in "
                                    f"{self._scope_name(prov, dists)}", commune)
            else:
                kind, codes = found
                if kind == "old":
                    units = [self._old_comm[c] for c in codes]
                    successors = {u.current_commune for u in units}
                    commune_code = successors.pop() if len(successors) == 1 else None
                    olds = {u.old_province for u in units}
                    if len(olds) == 1:
                        legacy_code = olds.pop()
                    if len(codes) == 1:
                        unit_code, version = codes[0], PRE
                elif kind == "new":
                    commune_code = codes[0] if len(codes) == 1 else None
                    if len(codes) == 1:
                        unit_code, version = codes[0], POST
                        # a current commune grown out of one old province tells the legacy one
                        # (unless the text named another old province explicitly)
                        origins = self._new_from_provs[codes[0]]
                        if len(origins) == 1 and not prov.old_only and not dists:
                            legacy_code = next(iter(origins))
        legacy_name = self._old_prov[legacy_code].name if legacy_code else None
        return ResolvedUnit(prov.current, commune_code, legacy_name, unit_code, version, text)

    def _scope_name(self, prov: _Prov, dists: list[str] | None = None) -> str:
        if dists and len(dists) == 1:
            d = self._dist[dists[0]]
            return f"{d.name}, {self._old_prov[d.old_province].name}"  # type: ignore[index]
        if prov.old:
            return self._old_prov[prov.old].name
        return self._prov_name[prov.current]

    def _old_scope(self, prov: _Prov) -> list[str]:
        siblings = self._olds_of_current[prov.current]
        if prov.old:
            return [prov.old] + [o for o in siblings if o != prov.old]
        return list(siblings)

    @staticmethod
    def _narrow(codes: list[str], table: dict[str, _Unit], typ: str | None, text: str) -> list[str]:
        """Several units share a folded key: keep those of the written type, then those whose
        name matches with its diacritics ('Tân Thạnh' vs 'Tân Thành')."""
        if len(codes) > 1 and typ:
            same = [c for c in codes if table[c].typ == typ]
            if same:
                codes = same
        if len(codes) > 1 and not text.isascii():
            canon = canonical_name(split_prefix(text)[1])
            same = [c for c in codes if table[c].bare_canon == canon]
            if same:
                codes = same
        return codes

    def _match_district(self, text: str, prov: _Prov) -> list[str]:
        typ, key = unit_key(text)
        for p in self._old_scope(prov):
            codes = self._dist_idx.get((p, key))
            if codes:
                return self._narrow(list(codes), self._dist, typ, text)
        return []

    def _match_commune(self, text: str, prov: _Prov, dists: list[str]) -> tuple[str, list[str]] | None:
        typ, key = unit_key(text)

        def old_in(keys: Iterable[tuple[str, str]], index: dict) -> list[str]:
            out: list[str] = []
            for k in keys:
                out.extend(index.get(k, ()))
            return self._narrow(out, self._old_comm, typ, text) if out else out

        new = self._new_comm_by_prov.get((prov.current, key), [])
        new = self._narrow(list(new), self._new_comm, typ, text) if new else []
        if dists:
            old = old_in([(d, key) for d in dists], self._old_comm_by_dist)
            if old:
                return ("old", old)
            new = [c for c in new if self._new_from_dists[c].intersection(dists)]
            return ("new", new) if new else None
        if prov.old_only:
            # the text names a pre-2025 province: an old commune of it, else a current commune
            # that grew out of it
            old = old_in([(prov.old, key)], self._old_comm_by_prov)
            if old:
                return ("old", old)
            new = [c for c in new if prov.old in self._new_from_provs[c]]
            return ("new", new) if new else None
        # a current province name (perhaps also an old one: Hà Nội, Thái Nguyên) and no district:
        # pre-2025 addresses always had a district, so the current commune list is read first
        if new:
            return ("new", new)
        old = old_in([(o, key) for o in self._olds_of_current[prov.current]], self._old_comm_by_prov)
        return ("old", old) if old else None

    # -- addresses -------------------------------------------------------------------------
    def _names_its_city(self, text: str, prov: _Prov) -> bool:
        """A province's name written with a district type ("Thành phố Sơn La", "TP. Thái Bình") that
        is also a district of that province names the city, not the province."""
        typ, _ = split_prefix(text)
        return typ in DISTRICT_TYPES and bool(self._match_district(text, prov))

    def _parse_address(self, address: str, prov: _Prov | None, default_province: str | None,
                       strict: bool) -> tuple[_Prov, str | None, str | None] | Problem:
        parts = [p.strip(" .") for p in re.split(r"[,;\n]", address) if p.strip(" .")]
        if len(parts) == 1 and " - " in parts[0] and not self._cached_province(parts[0]):
            parts = [p.strip() for p in parts[0].split(" - ") if p.strip()]
        while parts and search_key(parts[-1]) in {"viet nam", "vietnam", "vn"}:
            parts.pop()
        if parts:
            last = self._cached_province(parts[-1])
            if last is not None and self._names_its_city(parts[-1], last):
                last = None  # "Thành phố Sơn La" in an address of tỉnh Sơn La: its capital, a district
            if last is not None and (prov is None or last.current == prov.current):
                if prov is None or (prov.old is None and last.old is not None):
                    prov = last
                parts.pop()
        if prov is None:
            if default_province:
                prov = self._cached_province(default_province)
            if prov is None:
                return _problem("address", f"no known province in address '{address}'", address)
        district: str | None = None
        commune: str | None = None
        for part in reversed(parts):
            typ, _ = split_prefix(part)
            if district is None and typ in (None, *DISTRICT_TYPES):
                if self._match_district(part, prov):
                    district = part
                    continue
                if typ is not None:
                    if strict:
                        return _problem("address", f"unknown district '{part}' in address '{address}'", address)
                    continue
            if typ in (None, *COMMUNE_TYPES):
                dists = self._match_district(district, prov) if district else []
                if self._match_commune(part, prov, dists) is not None:
                    commune = part
                    break
                if typ is not None:
                    if strict:
                        return _problem("address", f"unknown commune '{part}' in address '{address}'", address)
                    break
        return prov, district, commune


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text or None


def _problem(field: str, message: str, value: str | None) -> Problem:
    return Problem(code=UNKNOWN_UNIT, field=field, message=message, value=value)


def province_code_of(resolver: UnitResolver, text: str | None) -> str | None:
    """The current province a province as written means, or None: a two-digit code is one of the
    CURRENT (post-July-2025) code list; a name may be old or new, in any spelling ("Tỉnh Bắc Kạn",
    "bac kan"), and a pre-reform one means its current successor. API filters read provinces so too."""
    text = (text or "").strip()
    if text.isdecimal():
        return text.zfill(2) if text.zfill(2) in resolver.province_codes() else None
    return resolver.resolve_province_code(text)
