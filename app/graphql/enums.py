"""GraphQL enums shared by several types."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from app.services.errors import InvalidInput
from app.services.queries import DEFAULT_CLASSES


@strawberry.enum(description="How a quote reproduces what was said.")
class QuoteKind(Enum):
    DIRECT = strawberry.enum_value("direct", description="Verbatim, inside quotation marks.")
    INDIRECT = strawberry.enum_value(
        "indirect", description="Reported speech, paraphrased without quotation marks."
    )
    MIXED = strawberry.enum_value(
        "mixed", description="Reported speech that quotes some words verbatim."
    )


@strawberry.enum(
    description="What an attribution reports. A quote in the everyday sense is SPEECH; "
    "BELIEF and EVIDENCE are attributions too (PolNeAR's scheme), listed only when asked for."
)
class AttributionClass(Enum):
    SPEECH = strawberry.enum_value(
        "speech", description='What someone said, told or wrote ("said", "told", "wrote").'
    )
    BELIEF = strawberry.enum_value(
        "belief",
        description='A belief, intention or stance ("believes", "wants", "plans", "supports").',
    )
    EVIDENCE = strawberry.enum_value(
        "evidence",
        description='What a record shows: a poll, report, study or data ("a poll shows", '
        '"the report found").',
    )


Classes = Annotated[
    list[AttributionClass] | None,
    strawberry.argument(
        description="Only quotes of these attribution classes. Null (the default) means "
        "[SPEECH], what people mean by a quote; [SPEECH, BELIEF, EVIDENCE] gives every "
        "attribution."
    ),
]


def class_values(classes: list[AttributionClass] | None) -> tuple[str, ...]:
    """The stored classes a `classes` argument asks for: speech when it is null."""
    if classes is None:
        return DEFAULT_CLASSES
    if not classes:
        raise InvalidInput(
            "`classes` is empty; give at least one class, or leave it out for SPEECH.",
            field="classes",
        )
    return tuple(dict.fromkeys(str(c.value) for c in classes))


@strawberry.enum(description="What sort of speaker this is.")
class SpeakerKind(Enum):
    PERSON = strawberry.enum_value("person", description="A named person.")
    ORGANISATION = strawberry.enum_value(
        "organisation", description="A body speaking as one: a ministry, company, party, agency."
    )
    UNKNOWN = strawberry.enum_value("unknown", description="Not determined.")


@strawberry.enum(description="The order of a list of quotes.")
class QuoteOrder(Enum):
    DATE_DESC = strawberry.enum_value("date", description="Newest first (the default).")
    CONFIDENCE_DESC = strawberry.enum_value(
        "confidence", description="Most confidently attributed first (then newest stored)."
    )


@strawberry.enum(description="The order of a list of speakers.")
class SpeakerOrder(Enum):
    NAME_ASC = strawberry.enum_value("name", description="By name, A to Z (the default).")
    QUOTE_COUNT_DESC = strawberry.enum_value(
        "quote_count",
        description="Most quoted first, by `quoteCount` (the kept counter of speech quotes; "
        "then by id).",
    )


def enum_value(member: Enum | None) -> str | None:
    """The stored string of an enum argument (mypy sees strawberry.enum_value, not the str)."""
    return None if member is None else str(member.value)
