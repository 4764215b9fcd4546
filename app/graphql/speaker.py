"""The Speaker type: one real person or organisation across all articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Speaker as SpeakerRow
from app.graphql.enums import Classes, QuoteKind, SpeakerKind, class_values, enum_value
from app.graphql.node import LoadedNode
from app.graphql.pagination import (
    CLAIMS,
    QUOTES,
    After,
    Before,
    Connection,
    First,
    Last,
    Since,
    Source,
    Until,
    connection,
)
from app.services import queries

if TYPE_CHECKING:
    from app.graphql.claim import Claim
    from app.graphql.quote import Quote


@strawberry.type(
    description=(
        "A real person or organisation quoted in the news. Articles that give the same full "
        "name (or a known multi-word alias) share one speaker; a speaker an article knows only "
        'by a description ("the ministry", "officials") belongs to that article alone, and '
        "the description is its name and alias."
    )
)
class Speaker(LoadedNode):
    loader_name: ClassVar[str] = "speaker"

    id: relay.NodeID[int]
    name: str = strawberry.field(
        description='Canonical full name, e.g. "Benjamin Netanyahu", "Bank of Canada" (no '
        'leading "the"), or the description an article gave, e.g. "the ministry".'
    )
    kind: SpeakerKind = strawberry.field(description="Person, organisation or unknown.")
    role: str | None = strawberry.field(
        description='Latest known role or title, e.g. "US Secretary of State".'
    )

    @strawberry.field(
        description='Every surface form seen naming this speaker ("Netanyahu", "Bibi").'
    )
    async def aliases(self, info: Info) -> list[str]:
        rows = await info.context.loaders.aliases_by_speaker.load(self.id)
        return [row.alias for row in rows]

    @strawberry.field(
        description="How many quotes (speech: what `quotes` lists by default) are attributed "
        "to this speaker."
    )
    async def quote_count(self, info: Info) -> int:
        count: int = await info.context.loaders.quote_count_by_speaker.load(self.id)
        return count

    @strawberry.field(description="This speaker's quotes, newest first.")
    async def quotes(
        self,
        info: Info,
        kind: Annotated[
            QuoteKind | None, strawberry.argument(description="Only quotes of this kind.")
        ] = None,
        since: Since = None,
        until: Until = None,
        search: Annotated[
            str | None, strawberry.argument(description="Only quotes with these words (stemmed).")
        ] = None,
        classes: Classes = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Quote, strawberry.lazy("app.graphql.quote")]]:
        from app.graphql.quote import Quote

        where = queries.QuoteFilter(
            speaker_id=self.id,
            kind=enum_value(kind),
            since=since,
            until=until,
            search=search,
            classes=class_values(classes),
        )
        return await connection(
            info,
            Source(QUOTES, lambda session: queries.quotes_listing(session, where), Quote.from_row),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Check-worthy claims this speaker made, newest first. With "
        "`reviewed: true`, what this speaker said that fact-checkers checked: each claim's "
        "`reviews` give the verdicts (`rating`)."
    )
    async def claims(
        self,
        info: Info,
        reviewed: Annotated[
            bool | None,
            strawberry.argument(
                description="Only claims with (true) or without (false) linked fact-checks."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Claim, strawberry.lazy("app.graphql.claim")]]:
        from app.graphql.claim import Claim

        where = queries.ClaimFilter(claimant_id=self.id, reviewed=reviewed)
        return await connection(
            info,
            Source(CLAIMS, lambda session: queries.claims_listing(session, where), Claim.from_row),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @classmethod
    def from_row(cls, row: SpeakerRow) -> Speaker:
        assert row.id is not None
        return cls(id=row.id, name=row.name, kind=SpeakerKind(row.kind), role=row.role)
