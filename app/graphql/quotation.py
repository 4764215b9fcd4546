"""The Quotation type: the same words of one speaker, reported in one or more articles."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Quotation as QuotationRow
from app.db.models import as_utc
from app.graphql import relations
from app.graphql.node import LoadedNode
from app.graphql.pagination import (
    QUOTES,
    After,
    Before,
    Connection,
    First,
    Last,
    Source,
    connection,
)
from app.services import queries

if TYPE_CHECKING:
    from app.graphql.quote import Quote
    from app.graphql.speaker import Speaker


@strawberry.type(
    description=(
        "A quotation, as Quotebank has them: what one speaker said, however many articles "
        "reported it. Quotes of a speaker whose normalised text is the same (case, accents, "
        "punctuation ignored), or that are trimmed or lightly edited versions of each other "
        "(with the same figures and negations), are occurrences of one quotation. Only "
        "speech is grouped: a belief or evidence (attributionClass) is in no quotation."
    )
)
class Quotation(LoadedNode):
    loader_name: ClassVar[str] = "quotation"

    id: relay.NodeID[int]
    text: str = strawberry.field(description="The words, as its longest occurrence gives them.")
    occurrences: int = strawberry.field(description="How many speech quotes (articles) report it.")
    first_seen: datetime = strawberry.field(description="Date of its earliest occurrence (UTC).")
    last_seen: datetime = strawberry.field(description="Date of its latest occurrence (UTC).")
    speaker_id: strawberry.Private[int]

    @strawberry.field(description="Who said it.")
    @relations.QUOTATION_SPEAKER.serves
    def speaker(self, info: Info) -> Annotated[Speaker, strawberry.lazy("app.graphql.speaker")]:
        return cast("Speaker", relations.QUOTATION_SPEAKER.resolve(info, self))

    @strawberry.field(
        description="An identifier made from the speaker and the normalised text: it resolves "
        "with node(id:) in any quotegraph database holding the same quotes (after an export "
        "and import, or a rebuild), unlike `id`."
    )
    @relations.QUOTATION_CONTENT_ID.serves
    def content_id(self, info: Info) -> str:
        return cast("str", relations.QUOTATION_CONTENT_ID.resolve(info, self))

    @strawberry.field(description="Its occurrences: the quotes that report it, newest first.")
    async def quotes(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Quote, strawberry.lazy("app.graphql.quote")]]:
        from app.graphql.quote import Quote

        where = queries.QuoteFilter(quotation_id=self.id)
        return await connection(
            info,
            Source(QUOTES, lambda session: queries.quotes_listing(session, where), Quote.from_row),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @classmethod
    def from_row(cls, row: QuotationRow) -> Quotation:
        assert row.id is not None
        return cls(
            id=row.id,
            text=row.text,
            occurrences=row.occurrences,
            first_seen=as_utc(row.first_seen),
            last_seen=as_utc(row.last_seen),
            speaker_id=row.speaker_id,
        )
