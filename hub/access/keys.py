"""API keys: bearer tokens for the ministry and provincial offices, kept only as hashes."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from hub.store.engine import SQLITE_BUSY_TIMEOUT_MS, session_scope
from hub.store.models import ApiKey, Province, PushJob, utcnow
from hub.vocabulary import Role

TOKEN_PREFIX = "ocop_"


class ApiKeyError(ValueError):
    """A key cannot be created or changed as asked (unknown province, wrong role/province pair)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling. ``None`` in place of a Principal means an anonymous researcher."""

    key_id: int
    name: str
    role: Role
    province_code: str | None

    def may_write(self, province_code: str) -> bool:
        return self.role is Role.MINISTRY or self.province_code == province_code

    @property
    def actor(self) -> str:
        return f"key:{self.key_id}:{self.name}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_key(engine: Engine, *, role: Role, name: str, province_code: str | None = None) -> tuple[ApiKey, str]:
    """Create a key and return it with its token: the only time the token exists in clear."""
    if not name.strip():
        raise ApiKeyError("a key needs a --name saying who holds it")
    if role is Role.PROVINCE and not province_code:
        raise ApiKeyError("a province key needs --province CODE (the two-digit code, e.g. 22)")
    if role is Role.MINISTRY and province_code:
        raise ApiKeyError("a ministry key covers every province: do not give --province")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with session_scope(engine) as session:
        if province_code is not None:
            province_code = province_code.zfill(2)
            if session.get(Province, province_code) is None:
                raise ApiKeyError(f"unknown province code '{province_code}': use one of the 34 current codes")
        key = ApiKey(name=name.strip(), role=role.value, province_code=province_code,
                     token_hash=hash_token(token), prefix=token[: len(TOKEN_PREFIX) + 6])
        session.add(key)
        session.flush()
    return key, token


def list_keys(engine: Engine) -> list[ApiKey]:
    with Session(engine) as session:
        return list(session.execute(select(ApiKey).order_by(ApiKey.id)).scalars())


REVOKED_JOB_ERROR = "KEY_REVOKED: the key was revoked before this job started; nothing was applied"


def revoke_key(engine: Engine, key_id: int) -> bool:
    """Revoke a key, and fail its queued push jobs in the same transaction (hub.push.jobs checks the key
    again when a job starts and before it commits); False when no such active key exists."""
    now = utcnow()
    with session_scope(engine) as session:
        result = session.execute(
            update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=now)
        )
        session.execute(update(PushJob).where(PushJob.key_id == key_id, PushJob.status == "queued")
                        .values(status="failed", error=REVOKED_JOB_ERROR, finished_at=now))
    return (result.rowcount or 0) > 0


LAST_USED_RESOLUTION = timedelta(minutes=10)
"""``api_key.last_used_at`` is noted at most once per key in this time, so that authenticating is
not a write per request; ``ocop-hub keys list`` shows it, to find keys nobody uses any more."""


def verify_token(engine: Engine, token: str) -> Principal | None:
    """The principal of a valid, unrevoked token; None for an unknown or revoked one."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with Session(engine) as session:
        key = session.execute(select(ApiKey).where(ApiKey.token_hash == hash_token(token))).scalar_one_or_none()
        if key is None or key.revoked_at is not None:
            return None
        principal = Principal(key_id=key.id, name=key.name, role=Role(key.role), province_code=key.province_code)
        last_used = key.last_used_at
    now = utcnow()
    if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
        _note_use(engine, principal.key_id, now)
    return principal


def _note_use(engine: Engine, key_id: int, now: datetime) -> None:
    """Best effort, never waiting for a lock: while a harvest holds SQLite's write lock (or, on
    PostgreSQL, something holds the key's row) the use is noted by a later request instead."""
    try:
        with engine.connect() as connection:
            if connection.dialect.name != "sqlite":
                connection.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
                _set_last_used(connection, key_id, now)
                return
            sqlite = connection.connection.dbapi_connection
            sqlite.execute("PRAGMA busy_timeout = 0")
            try:
                _set_last_used(connection, key_id, now)
            finally:
                sqlite.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    except OperationalError:
        pass  # locked: this use is not noted; the next one after the lock is


def _set_last_used(connection: Connection, key_id: int, now: datetime) -> None:
    connection.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))
    connection.commit()
