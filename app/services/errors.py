"""Domain errors raised by services; the GraphQL layer maps each to an extensions.code."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every expected error; `code` is what API clients see in extensions.code."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    """The caller sent something we cannot accept (empty text, a bad date, a bad cursor)."""

    code = "BAD_USER_INPUT"


class NotFound(ServiceError):
    """The thing asked for does not exist."""

    code = "NOT_FOUND"


class Conflict(ServiceError):
    """The request contradicts what is stored (e.g. a URL already used by another text)."""

    code = "CONFLICT"


class Unauthenticated(ServiceError):
    """No live API key came with a request that needs one."""

    code = "UNAUTHENTICATED"


class Forbidden(ServiceError):
    """The API key is live, but its role does not allow this (app.services.keys.ROLES)."""

    code = "FORBIDDEN"
