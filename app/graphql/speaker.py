"""The Speaker type: one real person or organisation across all articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Speaker as SpeakerRow
from app.graphql import relations
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
    from app.graphql.aggregates import CoQuotedSpeaker
    from app.graphql.claim import Claim
    from app.graphql.curation import AuditEntry
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
    wikidata_id: str | None = strawberry.field(
        default=None,
        description='The Wikidata item of this person or body ("Q1174"), set by editors or '
        "by import: the key for joining quotegraph with Quotebank and other data sets.",
    )

    @strawberry.field(
        description='Every surface form seen naming this speaker ("Netanyahu", "Bibi").'
    )
    @relations.SPEAKER_ALIASES.serves
    def aliases(self, info: Info) -> list[str]:
        return cast("list[str]", relations.SPEAKER_ALIASES.resolve(info, self))

    @strawberry.field(
        description="How many quotes (speech: what `quotes` lists by default) are attributed "
        "to this speaker (a count kept up to date on every write, not counted per request)."
    )
    @relations.SPEAKER_QUOTE_COUNT.serves
    def quote_count(self, info: Info) -> int:
        return cast("int", relations.SPEAKER_QUOTE_COUNT.resolve(info, self))

    @strawberry.field(
        description="The speakers most often quoted in the same articles as this one, with the "
        "number of such articles, most first (ties: the newer speaker first); from counts kept "
        "up to date on every write."
    )
    async def co_quoted(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many, from 1 to 100 (default 10).")
        ] = 10,
    ) -> list[Annotated[CoQuotedSpeaker, strawberry.lazy("app.graphql.aggregates")]]:
        from app.graphql.aggregates import resolve_co_quoted

        return await resolve_co_quoted(info, self.id, first)

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

    @strawberry.field(
        description="Editors' changes to this speaker, oldest first (merges, splits, edits, "
        "re-attributions to or from it)."
    )
    @relations.SPEAKER_HISTORY.serves
    def history(
        self, info: Info
    ) -> list[Annotated[AuditEntry, strawberry.lazy("app.graphql.curation")]]:
        return cast("list[AuditEntry]", relations.SPEAKER_HISTORY.resolve(info, self))

    @classmethod
    def from_row(cls, row: SpeakerRow) -> Speaker:
        assert row.id is not None
        return cls(
            id=row.id,
            name=row.name,
            kind=SpeakerKind(row.kind),
            role=row.role,
            wikidata_id=getattr(row, "wikidata_id", None),
        )
