"""Curation in GraphQL: the editors' mutations, the audit log and objects' histories. Thin:
each resolver decodes ids, names the caller and calls app.services.curation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.db.models import Quote as QuoteRow
from app.db.models import as_utc
from app.graphql.enums import SpeakerKind, enum_value
from app.graphql.ids import decode_global_id, encode_global_id
from app.graphql.pagination import After, Connection, First, ListingSpec, Source, connection
from app.graphql.quote import Quote
from app.graphql.speaker import Speaker
from app.services import audit, curation
from app.services.audit import Actor
from app.services.errors import NotFound, Unauthenticated
from app.services.queries import by_ids


@strawberry.type(
    description="One change an editor made: who, when, what, and the state before and after. "
    "Entries are never changed or removed."
)
class AuditEntry:
    id: strawberry.ID = strawberry.field(description="The entry's number, in order of writing.")
    at: datetime = strawberry.field(description="When the change was committed (UTC).")
    actor_key_id: int | None = strawberry.field(
        description="Id of the API key that made the change (`quotegraph keys list`); null "
        "for local tools."
    )
    actor: str | None = strawberry.field(
        description='Who made it: the key\'s name and prefix ("desk (1a2b3c4d)"), or "cli".'
    )
    action: str = strawberry.field(
        description="What was done: mergeSpeakers, splitSpeaker, reattributeQuote, editQuote, "
        "markNotAQuote, restoreQuote or editSpeaker."
    )
    subject_type: str = strawberry.field(description="Type of the object changed (Quote, Speaker).")
    subject_id: strawberry.ID = strawberry.field(
        description="Global ID of the object changed (a merged speaker's ID leads to the survivor)."
    )
    before: JSON | None = strawberry.field(description="The object's state before the change.")
    after: JSON | None = strawberry.field(description="The object's state after the change.")

    @classmethod
    def from_row(cls, row: Any) -> AuditEntry:
        return cls(
            id=strawberry.ID(str(row.id)),
            at=as_utc(row.at),
            actor_key_id=row.actor_key_id,
            actor=row.actor,
            action=row.action,
            subject_type=row.subject_type,
            subject_id=strawberry.ID(encode_global_id(row.subject_type, row.subject_id)),
            before=row.before,
            after=row.after,
        )


AUDIT = ListingSpec("auditLog", (int,), lambda row: (row.id,))


async def _editor(info: Info) -> Actor:
    # The Guard has checked the key's role (app.graphql.roles) before execution.
    caller = await info.context.caller()
    if caller is None:
        raise Unauthenticated("Changing data needs an API key.")
    return Actor.of_key(caller)


def _pk(value: strawberry.ID, type_name: str, field: str) -> int:
    return decode_global_id(value, type_name, field=field)[1]


async def _speaker(info: Info, speaker_id: int) -> Speaker:
    row = (await info.context.run(curation.speakers_following_redirects, [speaker_id]))[0]
    if row is None:
        raise NotFound(f"No speaker with id {speaker_id}.")
    return Speaker.from_row(row)


async def _quote(info: Info, quote_id: int) -> Quote:
    row = (await info.context.run(by_ids, QuoteRow, [quote_id]))[0]
    if row is None:
        raise NotFound(f"No quote with id {quote_id}.")
    return Quote.from_row(row)


@strawberry.type(description="What mergeSpeakers did.")
class MergeSpeakersPayload:
    speaker: Speaker = strawberry.field(description="The surviving speaker, as it is now.")
    merged_ids: list[strawberry.ID] = strawberry.field(
        description="Global IDs of the speakers merged into it; they resolve to it from now on."
    )
    moved_quotes: int = strawberry.field(description="How many quotes changed speaker.")


@strawberry.type(description="What splitSpeaker did.")
class SplitSpeakerPayload:
    source: Speaker = strawberry.field(description="The speaker the quotes were taken from.")
    target: Speaker = strawberry.field(description="The speaker they now belong to.")


@strawberry.type(description="What markNotAQuote did.")
class MarkNotAQuotePayload:
    quote_id: strawberry.ID = strawberry.field(description="Global ID of the quote.")
    not_a_quote: bool = strawberry.field(
        description="True: hidden from every read (kept, and can be restored)."
    )
    changed: bool = strawberry.field(description="False when it already was so.")
    quote: Quote | None = strawberry.field(description="The quote, when it is shown (restored).")


QuoteId = Annotated[strawberry.ID, strawberry.argument(description="Global ID of the quote.")]
SpeakerId = Annotated[strawberry.ID, strawberry.argument(description="Global ID of the speaker.")]


@strawberry.type(description="Editors' corrections; each is audited (auditLog).")
class CurationMutation:
    @strawberry.mutation(
        description="Merge speakers into one: their quotes, claims (with their fact-checks), "
        "names and aliases move to `into`; their IDs and names lead to it from now on, and "
        "no later ingest or import separates them again. Needs an editor's key. CONFLICT "
        "when another editor merged one of them meanwhile."
    )
    async def merge_speakers(
        self,
        info: Info,
        into: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of the speaker to keep.")
        ],
        from_: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                name="from", description="Global IDs of the speakers to merge into it."
            ),
        ],
    ) -> MergeSpeakersPayload:
        actor = await _editor(info)
        into_id = _pk(into, "Speaker", "into")
        from_ids = [_pk(i, "Speaker", "from") for i in from_]
        result = await info.context.run(curation.merge_speakers, actor, into_id, from_ids)
        return MergeSpeakersPayload(
            speaker=await _speaker(info, result.speaker_id),
            merged_ids=[strawberry.ID(encode_global_id("Speaker", i)) for i in result.merged_ids],
            moved_quotes=result.moved_quotes,
        )

    @strawberry.mutation(
        description="Move chosen quotes of a speaker (and the claims within them) to another "
        "speaker (`into`) or to a new one (`newName`): for two people who share a name."
    )
    async def split_speaker(
        self,
        info: Info,
        speaker: SpeakerId,
        quotes: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global IDs of the quotes.")
        ],
        into: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Global ID of an existing speaker to move them to."),
        ] = None,
        new_name: Annotated[
            str | None, strawberry.argument(description="Name of a new speaker to move them to.")
        ] = None,
        new_kind: Annotated[
            SpeakerKind | None,
            strawberry.argument(description="Kind of the new speaker (default: the source's)."),
        ] = None,
    ) -> SplitSpeakerPayload:
        actor = await _editor(info)
        source_id, target_id = await info.context.run(
            curation.split_speaker,
            actor,
            _pk(speaker, "Speaker", "speaker"),
            [_pk(q, "Quote", "quotes") for q in quotes],
            into_id=None if into is None else _pk(into, "Speaker", "into"),
            new_name=new_name,
            new_kind=enum_value(new_kind),
        )
        return SplitSpeakerPayload(
            source=await _speaker(info, source_id), target=await _speaker(info, target_id)
        )

    @strawberry.mutation(
        description="Attribute a quote (and the claims within it) to another speaker, or to "
        "nobody (`speaker: null`)."
    )
    async def reattribute_quote(
        self,
        info: Info,
        quote: QuoteId,
        speaker: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Global ID of the speaker; null: unattributed."),
        ],
    ) -> Quote:
        actor = await _editor(info)
        quote_id = _pk(quote, "Quote", "quote")
        speaker_id = None if speaker is None else _pk(speaker, "Speaker", "speaker")
        await info.context.run(curation.reattribute_quote, actor, quote_id, speaker_id)
        return await _quote(info, quote_id)

    @strawberry.mutation(
        description="Correct a quote's span: `text` becomes the article's text from `start` "
        "to `end`, which must lie inside the article (BAD_USER_INPUT otherwise)."
    )
    async def edit_quote(
        self,
        info: Info,
        quote: QuoteId,
        start: Annotated[int, strawberry.argument(description="New start offset.")],
        end: Annotated[int, strawberry.argument(description="New end offset (exclusive).")],
    ) -> Quote:
        actor = await _editor(info)
        quote_id = _pk(quote, "Quote", "quote")
        await info.context.run(curation.edit_quote, actor, quote_id, start, end)
        return await _quote(info, quote_id)

    @strawberry.mutation(
        description="Mark a quote as not a quote: it disappears from every list, count and "
        "search, but is kept (with its ID) and can be restored with `notAQuote: false`."
    )
    async def mark_not_a_quote(
        self,
        info: Info,
        quote: QuoteId,
        not_a_quote: Annotated[
            bool, strawberry.argument(description="false restores a quote marked before.")
        ] = True,
    ) -> MarkNotAQuotePayload:
        actor = await _editor(info)
        quote_id = _pk(quote, "Quote", "quote")
        changed = await info.context.run(curation.mark_not_a_quote, actor, quote_id, not_a_quote)
        return MarkNotAQuotePayload(
            quote_id=quote,
            not_a_quote=not_a_quote,
            changed=changed,
            quote=None if not_a_quote else await _quote(info, quote_id),
        )

    @strawberry.mutation(
        description="Set a speaker's name, role, kind or Wikidata id (arguments left out stay "
        "as they are; null clears role or wikidataId). Extraction never changes what an "
        "editor set. The old name remains an alias."
    )
    async def edit_speaker(
        self,
        info: Info,
        speaker: SpeakerId,
        name: Annotated[str | None, strawberry.argument(description="Canonical name.")] = (
            strawberry.UNSET
        ),
        role: Annotated[
            str | None, strawberry.argument(description="Role or title; null clears it.")
        ] = strawberry.UNSET,
        kind: Annotated[
            SpeakerKind | None, strawberry.argument(description="Person or organisation.")
        ] = strawberry.UNSET,
        wikidata_id: Annotated[
            str | None,
            strawberry.argument(description='Wikidata item id, e.g. "Q1174"; null clears it.'),
        ] = strawberry.UNSET,
    ) -> Speaker:
        actor = await _editor(info)
        speaker_id = _pk(speaker, "Speaker", "speaker")
        changes: dict[str, Any] = {}
        if name is not strawberry.UNSET:
            changes["name"] = name
        if role is not strawberry.UNSET:
            changes["role"] = role
        if kind is not strawberry.UNSET:
            changes["kind"] = enum_value(kind) if kind is not None else None
        if wikidata_id is not strawberry.UNSET:
            changes["wikidata_id"] = wikidata_id
        await info.context.run(curation.edit_speaker, actor, speaker_id, changes)
        return await _speaker(info, speaker_id)


@strawberry.type(description="The audit log of editors' changes.")
class CurationQuery:
    @strawberry.field(
        description="Every change editors made, oldest first (follow it with `after`)."
    )
    async def audit_log(
        self,
        info: Info,
        since: Annotated[
            datetime | None, strawberry.argument(description="Only changes at or after this.")
        ] = None,
        actor: Annotated[
            int | None,
            strawberry.argument(description="Only changes made with this API key (its id)."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[AuditEntry]:
        return await connection(
            info,
            Source(
                AUDIT,
                lambda _session: audit.audit_listing(since=since, actor_key_id=actor),
                AuditEntry.from_row,
            ),
            first=first,
            after=after,
            last=None,
            before=None,
        )


async def speaker_by_wikidata_id(info: Info, wikidata_id: str) -> Speaker:
    """The `speaker(wikidataId:)` lookup."""
    row = await info.context.run(curation.find_by_wikidata_id, wikidata_id)
    if row is None:
        raise NotFound(f"No speaker carries the Wikidata id {wikidata_id!r}.", field="wikidataId")
    return Speaker.from_row(row)
