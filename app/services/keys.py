"""API keys: create (shown once), list, revoke, and authenticate in constant time; each key
has a role (reader < editor < admin) that says what it may do."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.db.engine import begin_write
from app.db.models import ApiKey, utcnow
from app.services.errors import Forbidden, InvalidInput, NotFound

KEY_PREFIX = "qg_"
ROLES = ("reader", "editor", "admin")
"""Each role may do what the roles before it may:
reader: read when reads are private (QUOTEGRAPH_PUBLIC_READS=false);
editor: also ingest articles, decide review links and curate (merge, split, re-attribute...);
admin: also delete articles, import fact-checks and archives, manage keys."""


def _digest(key: str) -> str:
    # Keys are 256 random bits, so a fast hash is safe here (no dictionary to guess from).
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"{role!r} is not a role; use one of {', '.join(ROLES)}.", field="role")
    return role


def allows(key: ApiKey, role: str) -> bool:
    """Whether `key` has `role` or a higher one."""
    return ROLES.index(key.role) >= ROLES.index(role) if key.role in ROLES else False


def require_role(key: ApiKey, role: str, what: str) -> None:
    """FORBIDDEN unless `key` has `role` or a higher one; `what` names the refused action."""
    if not allows(key, role):
        raise Forbidden(
            f"{what} needs an API key with the {role} role; this key ({key.prefix}, "
            f"{key.name!r}) is a {key.role}. An admin can create one with "
            f"`quotegraph keys create NAME --role {role}`."
        )


def create_key(session: Session, name: str, role: str = "admin") -> tuple[ApiKey, str]:
    """A new key; the plain key is returned once and never stored. (The role defaults to
    admin for callers written before roles, which could do everything; the CLI asks.)"""
    check_role(role)
    prefix = secrets.token_hex(4)
    plain = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    begin_write(session)
    key = ApiKey(
        name=name.strip() or "unnamed", prefix=prefix, secret_hash=_digest(plain), role=role
    )
    session.add(key)
    session.commit()
    return key, plain


def list_keys(session: Session) -> Sequence[ApiKey]:
    return session.exec(select(ApiKey).order_by(col(ApiKey.id))).all()


def revoke_key(session: Session, id_or_prefix: str) -> ApiKey:
    begin_write(session)
    # A hex prefix can be all digits, so the prefix is tried before the id.
    key = session.exec(
        select(ApiKey).where(col(ApiKey.prefix) == id_or_prefix.removeprefix(KEY_PREFIX))
    ).first()
    if key is None and id_or_prefix.isdigit():
        key = session.get(ApiKey, int(id_or_prefix))
    if key is None:
        session.rollback()
        raise NotFound(f"No API key {id_or_prefix!r}; `quotegraph keys list` shows them.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
    session.commit()
    return key


def bearer_token(authorization: str | bytes | None) -> str | None:
    """The key an `Authorization: Bearer <key>` header presents; None for no header, another
    scheme or an empty token. Every door (GraphQL context, lean path, response cache, rate
    limits) reads the header through this one function."""
    if isinstance(authorization, bytes):
        authorization = authorization.decode("latin-1")
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def authenticate(session: Session, presented: str) -> ApiKey | None:
    """The live key matching `presented`, else None; the secret is compared in constant time."""
    body = presented.removeprefix(KEY_PREFIX)
    prefix, _, _ = body.partition("_")
    key = session.exec(select(ApiKey).where(col(ApiKey.prefix) == prefix)).first()
    # Compare against a dummy digest when the prefix is unknown, so timing tells nothing.
    expected = key.secret_hash if key is not None else _digest("")
    matches = hmac.compare_digest(expected, _digest(presented))
    if key is None or not matches or key.revoked_at is not None:
        return None
    return key
