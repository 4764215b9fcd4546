"""The write stamp: bumped by every session transaction that wrote (app.db.engine), read before
serving from the response cache, and by the replica router to see how far a replica replayed."""

from __future__ import annotations

from app.db.engine import read_write_stamp

__all__ = ["read_write_stamp"]
