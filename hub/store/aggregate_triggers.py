"""The triggers that note, in ``stats_dirty``, every province whose counted product columns
change (hub/store/aggregates.py recounts them before the commit). Made by migration 0005, and
by ``metadata.create_all`` for stores built without migrations (the test fixtures)."""
from __future__ import annotations

from typing import Any

# The product columns the counts depend on: a change to any other column marks nothing.
COUNTED = ("province_code", "legacy_province", "stars", "group_code", "producer_id", "certified_year",
           "status", "expiry_date", "decision_date")

SQLITE_TRIGGERS = [
    """CREATE TRIGGER stats_dirty_product_insert AFTER INSERT ON product
       BEGIN INSERT OR IGNORE INTO stats_dirty (province_code) VALUES (NEW.province_code); END""",
    f"""CREATE TRIGGER stats_dirty_product_update AFTER UPDATE OF {', '.join(COUNTED)} ON product
       WHEN {' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in COUNTED)}
       BEGIN
         INSERT OR IGNORE INTO stats_dirty (province_code) VALUES (OLD.province_code);
         INSERT OR IGNORE INTO stats_dirty (province_code) VALUES (NEW.province_code);
       END""",
    """CREATE TRIGGER stats_dirty_product_delete AFTER DELETE ON product
       BEGIN INSERT OR IGNORE INTO stats_dirty (province_code) VALUES (OLD.province_code); END""",
    """CREATE TRIGGER stats_dirty_producer_type AFTER UPDATE OF producer_type ON producer
       WHEN OLD.producer_type IS NOT NEW.producer_type
       BEGIN
         INSERT OR IGNORE INTO stats_dirty (province_code)
         SELECT DISTINCT province_code FROM product WHERE producer_id = NEW.id;
       END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS stats_dirty_product_insert", "DROP TRIGGER IF EXISTS stats_dirty_product_update",
               "DROP TRIGGER IF EXISTS stats_dirty_product_delete", "DROP TRIGGER IF EXISTS stats_dirty_producer_type"]

# PostgreSQL: the bulk inserts of a harvest mark once per statement (a transition table), updates
# and deletes once per row that changes a counted column.
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION stats_dirty_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO stats_dirty (province_code) SELECT DISTINCT province_code FROM inserted
         ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION stats_dirty_row() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO stats_dirty (province_code) VALUES (OLD.province_code) ON CONFLICT DO NOTHING;
         IF TG_OP = 'UPDATE' THEN
           INSERT INTO stats_dirty (province_code) VALUES (NEW.province_code) ON CONFLICT DO NOTHING;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION stats_dirty_producer() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO stats_dirty (province_code)
         SELECT DISTINCT province_code FROM product WHERE producer_id = NEW.id ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER stats_dirty_product_insert AFTER INSERT ON product REFERENCING NEW TABLE AS inserted
       FOR EACH STATEMENT EXECUTE FUNCTION stats_dirty_inserted()""",
    f"""CREATE TRIGGER stats_dirty_product_update AFTER UPDATE OF {', '.join(COUNTED)} ON product FOR EACH ROW
       WHEN (ROW({', '.join(f'OLD.{c}' for c in COUNTED)}) IS DISTINCT FROM ROW({', '.join(f'NEW.{c}' for c in COUNTED)}))
       EXECUTE FUNCTION stats_dirty_row()""",
    """CREATE TRIGGER stats_dirty_product_delete AFTER DELETE ON product FOR EACH ROW
       EXECUTE FUNCTION stats_dirty_row()""",
    """CREATE TRIGGER stats_dirty_producer_type AFTER UPDATE OF producer_type ON producer FOR EACH ROW
       WHEN (OLD.producer_type IS DISTINCT FROM NEW.producer_type) EXECUTE FUNCTION stats_dirty_producer()""",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS stats_dirty_product_insert ON product",
                 "DROP TRIGGER IF EXISTS stats_dirty_product_update ON product",
                 "DROP TRIGGER IF EXISTS stats_dirty_product_delete ON product",
                 "DROP TRIGGER IF EXISTS stats_dirty_producer_type ON producer",
                 "DROP FUNCTION IF EXISTS stats_dirty_inserted()", "DROP FUNCTION IF EXISTS stats_dirty_row()",
                 "DROP FUNCTION IF EXISTS stats_dirty_producer()"]


def create_triggers(connection: Any) -> None:
    """Create the triggers on ``connection`` (a SQLAlchemy connection of either dialect)."""
    postgres = connection.dialect.name == "postgresql"
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        connection.exec_driver_sql(statement)


def drop_triggers(connection: Any) -> None:
    postgres = connection.dialect.name == "postgresql"
    for statement in POSTGRES_DROP if postgres else SQLITE_DROP:
        connection.exec_driver_sql(statement)
