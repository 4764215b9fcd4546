"""Map domain errors to GraphQL errors with extensions.code; mask everything unexpected."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from graphql import GraphQLError

from app.services.errors import ServiceError

log = logging.getLogger("quotegraph.graphql")


def _extensions(error: ServiceError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": error.code}
    if error.field:
        extensions["field"] = error.field
    return extensions


def _already_coded(error: GraphQLError) -> bool:
    return bool(error.extensions and "code" in error.extensions)


def coded_errors(errors: list[GraphQLError]) -> list[GraphQLError]:
    return [coded_error(error) for error in errors]


def coded_error(error: GraphQLError) -> GraphQLError:
    """The same error with extensions.code set, and internals hidden when it was unexpected."""
    original = error.original_error
    if isinstance(original, ServiceError):
        return _with(error, original.message, _extensions(original))
    if _already_coded(error):
        return error
    if error.path is None:
        # Raised before execution: the request itself is wrong, never the server.
        if "tokens. Parsing aborted" in error.message:
            code = "TOKEN_LIMIT_EXCEEDED"
        elif error.message.startswith("Syntax Error"):
            code = "GRAPHQL_PARSE_FAILED"
        elif error.message.startswith("Variable '$") or "Expected value of type" in error.message:
            code = "BAD_USER_INPUT"
        else:
            code = "GRAPHQL_VALIDATION_FAILED"
        return _with(error, error.message, {**(error.extensions or {}), "code": code})
    request_id = uuid.uuid4().hex[:12]
    log.error("request %s failed: %s", request_id, error.message, exc_info=original)
    return _with(
        error,
        f"Something went wrong on our side (request id {request_id}); it has been logged.",
        {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, extensions=extensions
    )


def timeout_error(seconds: float) -> GraphQLError:
    return GraphQLError(
        f"The request took longer than {seconds:g} s and was stopped; ask for less at once.",
        extensions={"code": "TIMEOUT"},
    )
