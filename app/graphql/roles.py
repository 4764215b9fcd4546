"""Which API key role each mutation needs (app.services.keys.ROLES), checked before execution
by the Guard: one table, so a new mutation is an editor's unless listed here."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from app.db.models import ApiKey
from app.services.keys import ROLES, allows

DEFAULT_MUTATION_ROLE = "editor"
MUTATION_ROLES = {
    # Deletes and bulk imports are an admin's.
    "deleteArticle": "admin",
    "reviewClaims": "admin",
}


def mutation_fields(document: DocumentNode, operation_name: str | None) -> list[str]:
    """The root fields an operation selects (through fragments), in order."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        chosen = operations[0] if len(operations) == 1 else None
    else:
        chosen = next((o for o in operations if o.name and o.name.value == operation_name), None)
    if chosen is None:
        return []
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return list(dict.fromkeys(_fields(chosen.selection_set, fragments, set())))


def _fields(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str],
) -> Iterator[str]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                seen.add(name)
                yield from _fields(fragments[name].selection_set, fragments, seen)


def needed_role(fields: list[str]) -> tuple[str, str | None]:
    """The highest role the fields need, and the first field that needs it."""
    role, field = "reader", None
    for name in fields:
        if name.startswith("__"):
            continue
        wanted = MUTATION_ROLES.get(name, DEFAULT_MUTATION_ROLE)
        if ROLES.index(wanted) > ROLES.index(role):
            role, field = wanted, name
    return role, field


def refusal(key: ApiKey, fields: list[str]) -> str | None:
    """Why `key` may not run a mutation selecting `fields`, or None when it may."""
    role, field = needed_role(fields)
    if allows(key, role):
        return None
    return (
        f"`{field}` needs an API key with the {role} role; this key ({key.prefix}, "
        f"{key.name!r}) is a {key.role}. An admin can create one with "
        f"`quotegraph keys create NAME --role {role}`."
    )
