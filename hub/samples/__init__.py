"""Generate the sample provincial registries for the demo and the tests.

``python -m hub.samples --out DIR [--seed 2026]`` writes ``DIR/sources.yaml``, ``DIR/registries/*``,
``DIR/manifest.json`` (per source: rows written, certified rows, rows stored with a warning and bad
rows, each with its expected code) and ``DIR/README.md``. Everything is combined from word lists and
the real administrative unit names (the ``vietnamadminunits`` data set) by a seeded
``random.Random``: the same seed writes the same bytes.

The certified rows reproduce the press figures of the seed articles (Quảng Ninh 449 products of
175 producers; Bắc Kạn 2018 37 of 32; Trà Vinh 80 of 49 …). Some of them are written messily on
purpose and are stored with a warning; the bad rows the ingest rejects are extra rows.

Modules: ``words`` (word lists), ``places`` (administrative units), ``names`` (producers and
products), ``files`` (the manifest entry and file-format helpers), one module per province's
registry, ``output`` (sources.yaml, manifest.json, README.md) and ``build`` (``generate``, ``main``).
"""
from hub.samples.build import DEFAULT_SEED, generate, main
from hub.samples.files import SourceOut, csv_text, mojibake
from hub.samples.names import Names, Producer, Product, producer_core
from hub.samples.places import Place, current_places, legacy_places
from hub.samples.words import (BRAND_WORDS, CATALOGUE, FAMILY, GIVEN, HTX_TRADES, MIDDLE, PRODUCER_KINDS, REGIONAL,
                               VARIANTS, group_text)

# The names bench/generate.py imports from before the split.
_csv_text, _group_text, _mojibake = csv_text, group_text, mojibake

__all__ = [
    "BRAND_WORDS", "CATALOGUE", "DEFAULT_SEED", "FAMILY", "GIVEN", "HTX_TRADES", "MIDDLE", "PRODUCER_KINDS", "REGIONAL",
    "VARIANTS", "Names", "Place", "Producer", "Product", "SourceOut", "csv_text", "current_places", "generate",
    "group_text", "legacy_places", "main", "mojibake", "producer_core",
]
