"""National counts of certified products by current province and star rating, recounted
automatically after any source's products change (declarative automation)."""

from collections import defaultdict

from dagster import AssetKey, AutomationCondition, MaterializeResult, MetadataValue, asset
from sqlalchemy import func, select
from sqlmodel import Session

from hub.store.models import Product, Province
from hub.vocabulary import ProductStatus
from pipelines.resources import HubStore

STARS = (1, 2, 3, 4, 5)

AFTER_ANY_HARVEST = (
    AutomationCondition.eager()
    .without(~AutomationCondition.any_deps_missing())
    .with_label("eager, even with sources never harvested")
)
"""Request a recount once any ``store_products`` partition has been materialized (from a run of
``harvest_job``, the CLI or the UI) and no harvest is still in progress. Plain ``eager()`` would
also wait until no upstream partition is missing, so one province whose registry has never been
read would hold back the national table for ever."""


@asset(group_name="aggregates", kinds={"sql"}, deps=[AssetKey("store_products")],
       automation_condition=AFTER_ANY_HARVEST)
def national_aggregates(hub_store: HubStore) -> MaterializeResult:
    """Products in the store (active or expired; withdrawn ones are not counted) per current
    province × stars, in one GROUP BY; the ministry's table as Markdown metadata."""
    with Session(hub_store.engine()) as session:
        rows = session.execute(
            select(Province.code, Province.name, Product.stars, func.count())
            .join(Province, Province.code == Product.province_code)
            .where(Product.status != ProductStatus.WITHDRAWN.value)
            .group_by(Province.code, Province.name, Product.stars)
        ).all()
    counts: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for code, name, stars, n in rows:
        counts[(code, name)][stars] = n
    return MaterializeResult(metadata={
        "products": sum(n for *_, n in rows),
        "provinces": len(counts),
        "by_province_and_stars": MetadataValue.md(markdown_table(counts)),
    })


def markdown_table(counts: dict[tuple[str, str], dict[int, int]]) -> str:
    header = "| Code | Province | " + " | ".join(f"{s}★" for s in STARS) + " | Total |"
    lines = [header, "|" + "---|" * (len(STARS) + 3)]
    totals = dict.fromkeys(STARS, 0)
    for (code, name), by_stars in sorted(counts.items()):
        for s in STARS:
            totals[s] += by_stars.get(s, 0)
        cells = " | ".join(str(by_stars.get(s, 0)) for s in STARS)
        lines.append(f"| {code} | {name} | {cells} | {sum(by_stars.values())} |")
    lines.append("| | **Total** | " + " | ".join(f"**{totals[s]}**" for s in STARS)
                 + f" | **{sum(totals.values())}** |")
    return "\n".join(lines)
