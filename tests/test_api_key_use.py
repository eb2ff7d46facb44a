"""`api_key.last_used_at`: noted when a key authenticates, at most once per LAST_USED_RESOLUTION,
and never by waiting for another writer's lock (SQLite and PostgreSQL)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from hub.access import keys as auth
from hub.access.keys import create_key, verify_token
from hub.store.models import utcnow
from hub.vocabulary import Role


def last_used(engine: Engine, key_id: int) -> datetime | None:
    with engine.connect() as connection:
        value = connection.execute(text("SELECT last_used_at FROM api_key WHERE id = :id"), {"id": key_id}).scalar()
    if value is None:
        return None
    if isinstance(value, str):  # SQLite keeps the text form
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def test_a_key_in_use_is_noted_once_per_resolution(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    key, token = create_key(store, role=Role.MINISTRY, name="Bộ Nông nghiệp và Môi trường")
    assert last_used(store, key.id) is None
    assert verify_token(store, token) is not None
    first = last_used(store, key.id)
    assert first is not None and abs(utcnow() - first) < timedelta(minutes=1)

    assert verify_token(store, token) is not None
    assert last_used(store, key.id) == first  # within the resolution: not written again

    monkeypatch.setattr(auth, "LAST_USED_RESOLUTION", timedelta(0))
    time.sleep(0.01)
    assert verify_token(store, token) is not None
    assert last_used(store, key.id) > first


def test_an_unknown_or_revoked_token_notes_nothing(store: Engine) -> None:
    key, token = create_key(store, role=Role.PROVINCE, name="Sở NN&MT Quảng Ninh", province_code="22")
    assert verify_token(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert last_used(store, key.id) is None
    auth.revoke_key(store, key.id)
    assert verify_token(store, token) is None
    assert last_used(store, key.id) is None


def test_a_writer_holding_the_lock_does_not_hold_up_authentication(store: Engine) -> None:
    """A harvest keeps its transaction open for a whole source. Authentication must not wait for
    it (SQLite's busy timeout is 30 s): the use is noted by the next request after it."""
    key, token = create_key(store, role=Role.MINISTRY, name="Bộ Nông nghiệp và Môi trường")
    with store.connect() as holder:
        # Takes SQLite's write lock, and on PostgreSQL the key's row lock, until the rollback.
        holder.execute(text("UPDATE api_key SET name = name WHERE id = :id"), {"id": key.id})
        started = time.monotonic()
        principal = verify_token(store, token)
        waited = time.monotonic() - started
        assert principal is not None and principal.key_id == key.id
        assert waited < 5, f"authentication waited {waited:.1f} s for the writer's lock"
        holder.rollback()
    assert last_used(store, key.id) is None  # the use during the lock was not noted
    assert verify_token(store, token) is not None
    assert last_used(store, key.id) is not None


def test_the_sqlite_busy_timeout_is_restored_after_noting_a_use(store: Engine) -> None:
    if store.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's lock_timeout is SET LOCAL, ended with the transaction")
    key, token = create_key(store, role=Role.MINISTRY, name="Bộ Nông nghiệp và Môi trường")
    verify_token(store, token)
    with store.connect() as connection:  # the pool's connection that noted the use
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
