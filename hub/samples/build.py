"""Generate every sample registry: one seeded random stream per province, then its writers."""
from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from hub.samples.bac_kan import bac_kan, write_bac_kan
from hub.samples.bac_kan_annex import write_bac_kan_annex_docx, write_bac_kan_annex_pdf
from hub.samples.files import SourceOut
from hub.samples.ha_giang import ha_giang, write_ha_giang
from hub.samples.lam_dong import lam_dong, write_lam_dong
from hub.samples.names import Product
from hub.samples.output import write_manifest, write_readme, write_sources_yaml
from hub.samples.quang_ninh import quang_ninh, write_quang_ninh, write_quang_ninh_extra
from hub.samples.tra_vinh import tra_vinh, write_tra_vinh

DEFAULT_SEED = 2026

GENERATORS: tuple[tuple[Callable[[random.Random], list[Product]], tuple[Callable[..., SourceOut], ...]], ...] = (
    (quang_ninh, (write_quang_ninh, write_quang_ninh_extra)),
    (bac_kan, (write_bac_kan, write_bac_kan_annex_pdf, write_bac_kan_annex_docx)),
    (tra_vinh, (write_tra_vinh,)),
    (ha_giang, (write_ha_giang,)),
    (lam_dong, (write_lam_dong,)),
)


def generate(out: Path, seed: int = DEFAULT_SEED) -> list[SourceOut]:
    """Write every sample registry, sources.yaml, manifest.json and README.md under ``out``."""
    out = Path(out)
    folder = out / "registries"
    folder.mkdir(parents=True, exist_ok=True)
    sources: list[SourceOut] = []
    for index, (make, writers) in enumerate(GENERATORS):
        rng = random.Random(f"{seed}:{index}")  # one stream per province: editing one leaves the others
        products = make(rng)
        for writer in writers:
            sources.append(writer(rng, products, folder))
    write_sources_yaml(out / "sources.yaml", sources)
    write_manifest(out / "manifest.json", seed, sources)
    write_readme(out / "README.md", seed, sources)
    return sources


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m hub.samples",
                                     description="Generate the sample registries for the demo and the tests.")
    parser.add_argument("--out", required=True, type=Path, help="directory to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sources = generate(args.out, args.seed)
    for s in sources:
        print(f"{s.name:20} {s.kind:9} {s.rows:4} rows ({len(s.bad_rows)} bad, {len(s.warned_rows)} warned)"
              f"  {s.location}")
