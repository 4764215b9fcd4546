"""Editors' corrections: merge and split speakers, re-attribute, re-span or hide quotes, edit
speakers. Each is one transaction that also writes its audit entry (app.services.audit) and
records the decision where re-extraction cannot undo it (quote_curation, speaker.curated,
speaker_redirect); `reapply` puts the decisions back whenever an article's quotes are written.

Concurrency: every change locks the rows it reads before deciding (SELECT ... FOR UPDATE on
PostgreSQL, in id order so two editors never deadlock; SQLite's BEGIN IMMEDIATE lets one
writer in at a time). The second of two editors changing the same rows therefore sees the
first one's result, and is told with CONFLICT when it no longer makes sense (a speaker merged
away, a quote already moved), instead of overwriting it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.engine import begin_write
from app.db.models import (
    Article,
    AuditEntry,
    Claim,
    HiddenQuote,
    Quote,
    QuoteCuration,
    QuoteFragment,
    Speaker,
    SpeakerAlias,
    SpeakerRedirect,
    as_utc,
    table_of,
    utcnow,
)
from app.services import audit, counters, quotations
from app.services.audit import Actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.names import name_key
from app.services.queries import by_ids
from app.services.speakers import insert_ignoring_conflicts, merged_names, refold_key

WIKIDATA_ID = re.compile(r"Q[1-9][0-9]{0,11}")
SPEAKER_KINDS = ("person", "organisation", "unknown")
SPEAKER_FIELDS = ("name", "role", "kind", "wikidata_id")


def refresh_counts(
    session: Session, speaker_ids: Iterable[int | None], article_ids: Iterable[int] = ()
) -> None:
    """The one place curation refreshes the kept counts (app.services.counters): every change
    that moves quotes or claims between speakers, or hides, restores or re-extracts them,
    calls this with the speakers whose quotes changed (and the articles that gained or lost
    quotes), inside its transaction, before commit."""
    counters.refresh_speaker_counts(session, [i for i in speaker_ids if i is not None], article_ids)


def refresh_quotations(session: Session, quote_ids: Iterable[int]) -> None:
    """The one place curation keeps quotations right (app.services.quotations): quotes whose
    speaker or text changed leave their quotation (recounted, dropped when left empty) and join
    the right one of their present speaker (or none, unattributed), inside the change's
    transaction, before commit. Hiding and restoring a quote go through `_hide`/`_restore`."""
    quotations.reassign_quotes(session, sorted(set(quote_ids)))


# --- reading and locking ---------------------------------------------------------------------


def _locked(session: Session, model: type[Any], ids: Iterable[int]) -> dict[int, Any]:
    """Rows of `model` by id, locked until commit (in id order: no deadlocks between editors)."""
    table = table_of(model)
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        sa.select(table).where(table.c.id.in_(wanted)).order_by(table.c.id).with_for_update()
    ).all()
    return {row.id: row for row in rows}


def redirect_target(session: Session, speaker_id: int) -> int | None:
    """The speaker a merged speaker's id leads to, if it was merged."""
    redirect = table_of(SpeakerRedirect)
    found = session.execute(
        sa.select(redirect.c.speaker_id).where(redirect.c.id == speaker_id)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def speakers_following_redirects(session: Session, ids: Sequence[int]) -> list[Any | None]:
    """Speaker rows for ids, in order; a merged speaker's id gives the one it merged into
    (the DataLoader batch function: a citation of a merged speaker still resolves)."""
    rows = by_ids(session, Speaker, ids)
    missing = sorted({i for i, row in zip(ids, rows, strict=True) if row is None})
    if not missing:
        return rows
    redirect = table_of(SpeakerRedirect)
    targets = dict(
        session.execute(
            sa.select(redirect.c.id, redirect.c.speaker_id).where(redirect.c.id.in_(missing))
        ).all()
    )
    found = {r.id: r for r in by_ids(session, Speaker, sorted(set(targets.values()))) if r}
    return [
        row if row is not None else found.get(targets.get(i, -1))
        for i, row in zip(ids, rows, strict=True)
    ]


def _speakers(session: Session, ids: Iterable[int], *, field: str) -> dict[int, Any]:
    """The speakers `ids` name, locked; CONFLICT for one merged away meanwhile."""
    wanted = set(ids)
    rows = _locked(session, Speaker, wanted)
    for speaker_id in sorted(wanted - rows.keys()):
        target = redirect_target(session, speaker_id)
        if target is not None:
            raise Conflict(
                f"Speaker {speaker_id} has been merged into speaker {target} (perhaps by "
                "another editor just now); reload and decide again.",
                field=field,
            )
        raise NotFound(f"No speaker with id {speaker_id}.", field=field)
    return rows


def _live_speaker(session: Session, speaker_id: int, *, field: str) -> Any:
    """A speaker to move things to; a merged speaker's id leads to its survivor."""
    target = redirect_target(session, speaker_id) or speaker_id
    return _speakers(session, [target], field=field)[target]


def _quote(session: Session, quote_id: int) -> Any:
    row = _locked(session, Quote, [quote_id]).get(quote_id)
    if row is None:
        if session.get(HiddenQuote, quote_id) is not None:
            raise Conflict(
                f"Quote {quote_id} is marked as not a quote; restore it first "
                "(markNotAQuote with notAQuote: false).",
                field="quote",
            )
        raise NotFound(f"No quote with id {quote_id}.", field="quote")
    return row


def speaker_state(session: Session, row: Any) -> dict[str, Any]:
    aliases = table_of(SpeakerAlias)
    return {
        "id": row.id,
        "name": row.name,
        "role": row.role,
        "kind": row.kind,
        "wikidataId": row.wikidata_id,
        "aliases": sorted(
            session.execute(
                sa.select(aliases.c.alias).where(aliases.c.speaker_id == row.id)
            ).scalars()
        ),
    }


def quote_state(row: Any, *, hidden: bool = False) -> dict[str, Any]:
    return {
        "id": row.id,
        "speakerId": row.speaker_id,
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "notAQuote": hidden,
    }


def _article(session: Session, article_id: int) -> Any:
    article = table_of(Article)
    return session.execute(
        sa.select(article.c.id, article.c.text, article.c.content_hash).where(
            article.c.id == article_id
        )
    ).one()


# --- decisions kept for re-application ------------------------------------------------------


def _decision(session: Session, quote: Any) -> QuoteCuration:
    """The curation record of a quote: found by id, else made with the quote's current span
    (a quote not curated before still has the span the extractor gave)."""
    article = _article(session, quote.article_id)
    decisions = table_of(QuoteCuration)
    # (The hash too: SQLite may give a deleted article's quote id to a new quote.)
    found: QuoteCuration | None = session.execute(
        sa.select(QuoteCuration)
        .where(
            decisions.c.article_hash == article.content_hash,
            sa.or_(
                decisions.c.quote_id == quote.id,
                sa.and_(decisions.c.quote_start == quote.start, decisions.c.quote_end == quote.end),
            ),
        )
        .order_by(sa.case((decisions.c.quote_id == quote.id, 0), else_=1))
        .limit(1)
    ).scalar_one_or_none()
    if found is None:
        found = QuoteCuration(
            article_hash=article.content_hash, quote_start=quote.start, quote_end=quote.end
        )
    found.quote_id = quote.id
    return found


def _keep(session: Session, decision: QuoteCuration) -> None:
    decision.updated_at = utcnow()
    session.add(decision)
    session.flush()


def _move_quotes(session: Session, quote_ids: Sequence[int], speaker: Any | None) -> None:
    """Attribute quotes (and the claims made within them) to `speaker` (None: nobody)."""
    quote, claim = table_of(Quote), table_of(Claim)
    target = None if speaker is None else speaker.id
    session.execute(sa.update(quote).where(quote.c.id.in_(quote_ids)).values(speaker_id=target))
    session.execute(
        sa.update(claim).where(claim.c.quote_id.in_(quote_ids)).values(claimant_id=target)
    )


# --- the changes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MergeResult:
    speaker_id: int
    merged_ids: list[int]
    moved_quotes: int


def merge_speakers(
    session: Session, actor: Actor, into_id: int, from_ids: Sequence[int]
) -> MergeResult:
    """Merge speakers `from_ids` into `into_id`: their quotes, claims (with their fact-check
    links), aliases and names move; their ids and names lead to the survivor from now on."""
    from_set = set(from_ids)
    if not from_set:
        raise InvalidInput("Name at least one speaker to merge (`from`).", field="from")
    if into_id in from_set:
        raise InvalidInput("A speaker cannot be merged into itself.", field="from")
    try:
        begin_write(session)
        rows = _speakers(session, {into_id, *from_set}, field="from")
        into, merged = rows[into_id], [rows[i] for i in sorted(from_set)]
        wikidata = {r.wikidata_id for r in [into, *merged] if r.wikidata_id}
        if len(wikidata) > 1:
            raise Conflict(
                "These speakers carry different Wikidata ids "
                f"({', '.join(sorted(wikidata))}): they are different people or bodies; "
                "correct the wrong id with editSpeaker first.",
                field="from",
            )
        quote, claim, speaker = table_of(Quote), table_of(Claim), table_of(Speaker)
        moved = sa.select(quote.c.id).where(quote.c.speaker_id.in_(from_set))
        moved_count = int(
            session.execute(sa.select(sa.func.count()).select_from(moved.subquery())).scalar_one()
        )
        before = {
            "into": speaker_state(session, into),
            "from": [speaker_state(session, r) for r in merged],
        }
        # The names and aliases of the merged speakers become the survivor's aliases.
        aliases = table_of(SpeakerAlias)
        names = [(r.name, r.name_key) for r in merged] + [
            (a.alias, a.alias_key)
            for a in session.execute(
                sa.select(aliases.c.alias, aliases.c.alias_key).where(
                    aliases.c.speaker_id.in_(from_set)
                )
            )
        ]
        audit_id = audit.record(
            session,
            actor,
            "mergeSpeakers",
            ("Speaker", into_id),
            before,
            None,
            also=[("Speaker", r.id) for r in merged],
            also_quotes_of=moved,
        )
        session.execute(
            sa.update(quote).where(quote.c.speaker_id.in_(from_set)).values(speaker_id=into_id)
        )
        session.execute(
            sa.update(claim).where(claim.c.claimant_id.in_(from_set)).values(claimant_id=into_id)
        )
        _retarget_hidden(session, from_set, into_id)
        # Set-wise: the survivor's quotations grouped again from all its quotes (what a
        # rebuild makes), not each moved quote placed with its own statements.
        quotations.regroup_speaker(session, into_id, from_set)
        insert_ignoring_conflicts(
            session,
            SpeakerAlias,
            [
                {"speaker_id": into_id, "alias": name, "alias_key": key}
                for key, name in {k: n for n, k in names if k}.items()
            ],
            ["speaker_id", "alias_key"],
        )
        redirect = table_of(SpeakerRedirect)
        session.execute(
            sa.update(redirect)
            .where(redirect.c.speaker_id.in_(from_set))
            .values(speaker_id=into_id)
        )
        # Editors' decisions that named a merged speaker now name the survivor.
        decisions = table_of(QuoteCuration)
        session.execute(
            sa.update(decisions)
            .where(decisions.c.speaker_key.in_([r.name_key for r in merged]))
            .values(speaker_key=into.name_key, speaker_name=into.name)
        )
        changes: dict[str, Any] = {"updated_at": utcnow()}
        if into.kind == "unknown":
            changes["kind"] = next((r.kind for r in merged if r.kind != "unknown"), "unknown")
        if into.role is None:
            donor = next((r for r in merged if r.role), None)
            if donor is not None:
                changes["role"], changes["role_as_of"] = donor.role, donor.role_as_of
        session.execute(
            sa.update(speaker).where(speaker.c.id.in_(from_set)).values(wikidata_id=None)
        )
        if into.wikidata_id is None and wikidata:
            changes["wikidata_id"] = wikidata.pop()
        session.execute(sa.update(speaker).where(speaker.c.id == into_id).values(**changes))
        session.execute(sa.delete(speaker).where(speaker.c.id.in_(from_set)))
        now = utcnow()
        session.execute(
            sa.insert(redirect),
            [
                {"id": r.id, "speaker_id": into_id, "name_key": r.name_key, "merged_at": now}
                for r in merged
            ],
        )
        after_row = session.execute(sa.select(speaker).where(speaker.c.id == into_id)).one()
        _set_after(
            session,
            audit_id,
            {
                **speaker_state(session, after_row),
                "mergedIds": sorted(from_set),
                "movedQuotes": moved_count,
            },
        )
        refresh_counts(session, [into_id, *from_set])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return MergeResult(into_id, sorted(from_set), moved_count)


def _set_after(session: Session, audit_id: int, after: dict[str, Any]) -> None:
    """The entry's `after`, known only once the change is made (same transaction: the entry
    is never changed once committed)."""
    entry = table_of(AuditEntry)
    session.execute(sa.update(entry).where(entry.c.id == audit_id).values(after=after))


def _retarget_hidden(session: Session, from_ids: set[int], into_id: int) -> None:
    """Quotes marked not a quote keep their speaker: point those at the survivor."""
    hidden = table_of(HiddenQuote)
    session.execute(
        sa.update(hidden).where(hidden.c.speaker_id.in_(from_ids)).values(speaker_id=into_id)
    )


def split_speaker(
    session: Session,
    actor: Actor,
    speaker_id: int,
    quote_ids: Sequence[int],
    *,
    into_id: int | None = None,
    new_name: str | None = None,
    new_kind: str | None = None,
) -> tuple[int, int]:
    """Move chosen quotes of a speaker to another speaker, or to a new one named `new_name`.
    Returns (source id, target id)."""
    if (into_id is None) == (new_name is None):
        raise InvalidInput("Give exactly one of `into` or `newName`.", field="into")
    if not quote_ids:
        raise InvalidInput("Choose at least one quote to move.", field="quotes")
    if new_kind is not None and new_kind not in SPEAKER_KINDS:
        raise InvalidInput(f"{new_kind!r} is not a speaker kind.", field="newKind")
    try:
        begin_write(session)
        wanted = {speaker_id} | ({into_id} if into_id is not None else set())
        rows = _speakers(session, wanted, field="into" if into_id else "speaker")
        if into_id == speaker_id:
            raise InvalidInput("The quotes already belong to that speaker.", field="into")
        source = rows[speaker_id]
        quotes = _locked(session, Quote, quote_ids)
        missing = sorted(set(quote_ids) - quotes.keys())
        if missing:
            raise NotFound(f"No quotes with ids {missing}.", field="quotes")
        elsewhere = sorted(q.id for q in quotes.values() if q.speaker_id != speaker_id)
        if elsewhere:
            raise Conflict(
                f"Quotes {elsewhere} are not (or no longer) attributed to speaker "
                f"{speaker_id}; reload and choose again.",
                field="quotes",
            )
        created = into_id is None
        if into_id is None:
            assert new_name is not None
            target = _new_speaker(session, new_name, new_kind or source.kind)
        else:
            target = rows[into_id]
        audit_id = audit.record(
            session,
            actor,
            "splitSpeaker",
            ("Speaker", speaker_id),
            {"speaker": speaker_state(session, source), "quoteIds": sorted(quotes)},
            None,
            also=[("Speaker", target.id), *(("Quote", q) for q in sorted(quotes))],
        )
        ids = sorted(quotes)
        _move_quotes(session, ids, target)
        refresh_quotations(session, ids)
        for quote in quotes.values():
            decision = _decision(session, quote)
            decision.speaker_decided = True
            decision.speaker_key, decision.speaker_name = target.name_key, target.name
            _keep(session, decision)
        _set_after(
            session,
            audit_id,
            {
                "target": speaker_state(session, target),
                "createdTarget": created,
                "quoteIds": ids,
            },
        )
        refresh_counts(session, [speaker_id, target.id])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return speaker_id, int(target.id)


def _new_speaker(session: Session, name: str, kind: str) -> Any:
    name = " ".join(name.split())
    key = name_key(name)
    if not key:
        raise InvalidInput("A speaker's name needs at least one letter or digit.", field="newName")
    speaker = table_of(Speaker)
    existing = session.execute(
        sa.select(speaker.c.id).where(speaker.c.name_key == key)
    ).scalar_one_or_none()
    if existing is not None:
        raise Conflict(
            f"A speaker named {name!r} exists already (id {existing}); move the quotes to it "
            "with `into`.",
            field="newName",
        )
    now = utcnow()
    new_id = session.execute(
        sa.insert(speaker).returning(speaker.c.id),
        {
            "name": name,
            "name_key": key,
            "kind": kind,
            "created_at": now,
            "updated_at": now,
            "curated": {"name": name},
        },
    ).scalar_one()
    insert_ignoring_conflicts(
        session,
        SpeakerAlias,
        {"speaker_id": new_id, "alias": name, "alias_key": key},
        ["speaker_id", "alias_key"],
    )
    return session.execute(sa.select(speaker).where(speaker.c.id == new_id)).one()


def reattribute_quote(session: Session, actor: Actor, quote_id: int, speaker_id: int | None) -> int:
    """Attribute a quote (and the claims within it) to another speaker, or to nobody."""
    try:
        begin_write(session)
        quote = _quote(session, quote_id)
        target = None if speaker_id is None else _live_speaker(session, speaker_id, field="speaker")
        before = quote_state(quote)
        _move_quotes(session, [quote_id], target)
        refresh_quotations(session, [quote_id])
        decision = _decision(session, quote)
        decision.speaker_decided = True
        decision.speaker_key = None if target is None else target.name_key
        decision.speaker_name = None if target is None else target.name
        _keep(session, decision)
        after = {**before, "speakerId": None if target is None else target.id}
        audit.record(
            session,
            actor,
            "reattributeQuote",
            ("Quote", quote_id),
            before,
            after,
            also=[("Speaker", i) for i in (quote.speaker_id, after["speakerId"]) if i is not None],
        )
        refresh_counts(session, [quote.speaker_id, after["speakerId"]])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return quote_id


def edit_quote(session: Session, actor: Actor, quote_id: int, start: int, end: int) -> int:
    """Move a quote's span; its text becomes the article's text between the new offsets."""
    try:
        begin_write(session)
        quote = _quote(session, quote_id)
        article = _article(session, quote.article_id)
        text = _checked_span(article.text, start, end)
        before = quote_state(quote)
        table = table_of(Quote)
        session.execute(
            sa.update(table).where(table.c.id == quote_id).values(start=start, end=end, text=text)
        )
        _set_span(session, quote_id, article.text, start, end)
        refresh_quotations(session, [quote_id])
        decision = _decision(session, quote)
        decision.span_start, decision.span_end = start, end
        _keep(session, decision)
        audit.record(
            session,
            actor,
            "editQuote",
            ("Quote", quote_id),
            before,
            {**before, "start": start, "end": end, "text": text},
        )
        # Its words changed: the search terms of its day are counted again.
        refresh_counts(session, [], [quote.article_id])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return quote_id


def _set_span(session: Session, quote_id: int, text: str, start: int, end: int) -> None:
    """An editor's span is one fragment: the quote's words are the article's text between
    the offsets (any fragments the extractor found inside the old span go)."""
    fragment = table_of(QuoteFragment)
    session.execute(sa.delete(fragment).where(fragment.c.quote_id == quote_id))
    session.execute(
        sa.insert(fragment),
        {"quote_id": quote_id, "position": 0, "text": text[start:end], "start": start, "end": end},
    )


def _checked_span(text: str, start: int, end: int) -> str:
    if start < 0 or end > len(text):
        raise InvalidInput(
            f"The span {start}..{end} lies outside the article, whose text has "
            f"{len(text):,} characters (offsets 0..{len(text)}).",
            field="start" if start < 0 else "end",
        )
    if end <= start:
        raise InvalidInput(f"`end` ({end}) must be greater than `start` ({start}).", field="end")
    if not text[start:end].strip():
        raise InvalidInput("The span holds only white space.", field="start")
    return text[start:end]


def mark_not_a_quote(
    session: Session, actor: Actor, quote_id: int, not_a_quote: bool = True
) -> bool:
    """Hide a quote from every read (it is kept whole, with its id), or put it back.
    Returns whether anything changed (marking twice changes nothing)."""
    try:
        begin_write(session)
        if not_a_quote:
            quote = _locked(session, Quote, [quote_id]).get(quote_id)
            if quote is None:
                if session.get(HiddenQuote, quote_id) is not None:
                    session.rollback()
                    return False
                raise NotFound(f"No quote with id {quote_id}.", field="quote")
            decision = _decision(session, quote)
            _hide(session, quote)
            speaker_id, article_id = quote.speaker_id, quote.article_id
            before, after = quote_state(quote), quote_state(quote, hidden=True)
        else:
            hidden = _locked(session, HiddenQuote, [quote_id]).get(quote_id)
            if hidden is None:
                if session.get(Quote, quote_id) is not None:
                    session.rollback()
                    return False
                raise NotFound(f"No quote with id {quote_id}.", field="quote")
            restored = _restore(session, hidden)
            decision = _decision(session, restored)
            speaker_id, article_id = restored.speaker_id, restored.article_id
            before, after = quote_state(restored, hidden=True), quote_state(restored)
        decision.not_a_quote = not_a_quote
        _keep(session, decision)
        audit.record(
            session,
            actor,
            "markNotAQuote" if not_a_quote else "restoreQuote",
            ("Quote", quote_id),
            before,
            after,
            also=[("Speaker", speaker_id)] if speaker_id is not None else [],
        )
        refresh_counts(session, [speaker_id], [article_id])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return True


def _json_value(value: Any) -> Any:
    return as_utc(value).isoformat() if isinstance(value, datetime) else value


def _hide(session: Session, quote: Any) -> None:
    quote_table, claim = table_of(Quote), table_of(Claim)
    claim_ids = sorted(
        session.execute(sa.select(claim.c.id).where(claim.c.quote_id == quote.id)).scalars()
    )
    if claim_ids:
        # The claims stay (a claim is still a claim); they point at the quote again on restore.
        session.execute(sa.update(claim).where(claim.c.id.in_(claim_ids)).values(quote_id=None))
    record = {column: _json_value(getattr(quote, column)) for column in quote_table.c.keys()}  # noqa: SIM118
    fragment = table_of(QuoteFragment)
    # Its fragments go with the row (ON DELETE CASCADE): kept in the record for a restore.
    record[_FRAGMENTS] = [
        [f.position, f.start, f.end]
        for f in session.execute(
            sa.select(fragment.c.position, fragment.c.start, fragment.c.end)
            .where(fragment.c.quote_id == quote.id)
            .order_by(fragment.c.position)
        )
    ]
    # Its occurrence goes too: the quotation it was in is recounted (dropped when empty).
    was_in = quotations.quotations_of_quotes(session, [quote.id])
    session.execute(
        sa.insert(table_of(HiddenQuote)),
        {
            "id": quote.id,
            "article_id": quote.article_id,
            "speaker_id": quote.speaker_id,
            "record": record,
            "claim_ids": claim_ids,
            "hidden_at": utcnow(),
        },
    )
    session.execute(sa.delete(quote_table).where(quote_table.c.id == quote.id))
    quotations.refresh(session, was_in)


_FRAGMENTS = "fragments"
"""The key of a hidden quote's fragments in its record (not a column of `quote`)."""


def _restore(session: Session, hidden: Any) -> Any:
    quote_table, claim = table_of(Quote), table_of(Claim)
    record = dict(hidden.record)
    record["sort_date"] = datetime.fromisoformat(record["sort_date"])
    speaker_id = hidden.speaker_id
    if speaker_id is not None and session.get(Speaker, speaker_id) is None:
        speaker_id = redirect_target(session, speaker_id)
    record["speaker_id"] = speaker_id
    fragments = record.pop(_FRAGMENTS, None)
    session.execute(sa.insert(quote_table), record)
    if not fragments:  # hidden before fragments were kept: its whole span
        fragments = [[0, record["start"], record["end"]]]
    text = _article(session, hidden.article_id).text
    session.execute(
        sa.insert(table_of(QuoteFragment)),
        [
            {"quote_id": hidden.id, "position": p, "text": text[s:e], "start": s, "end": e}
            for p, s, e in fragments
        ],
    )
    # It is an occurrence of its speaker's quotation again.
    quotations.reassign_quotes(session, [hidden.id])
    if hidden.claim_ids:
        session.execute(
            sa.update(claim)
            .where(claim.c.id.in_(hidden.claim_ids), claim.c.article_id == hidden.article_id)
            .values(quote_id=hidden.id)
        )
    session.execute(sa.delete(table_of(HiddenQuote)).where(table_of(HiddenQuote).c.id == hidden.id))
    return session.execute(sa.select(quote_table).where(quote_table.c.id == hidden.id)).one()


def edit_speaker(session: Session, actor: Actor, speaker_id: int, changes: dict[str, Any]) -> int:
    """Set a speaker's name, role, kind or Wikidata id (only the keys `changes` holds; None
    clears role and Wikidata id). Editors' values stand: extraction never changes them."""
    unknown = set(changes) - set(SPEAKER_FIELDS)
    if unknown:
        raise InvalidInput(f"Speakers have no field(s) {sorted(unknown)}.")
    if not changes:
        raise InvalidInput("Give at least one of name, role, kind or wikidataId to change.")
    values = dict(changes)
    if "name" in values:
        if values["name"] is None or not name_key(str(values["name"])):
            raise InvalidInput("A speaker's name needs at least one letter or digit.", field="name")
        values["name"] = " ".join(str(values["name"]).split())
    if "kind" in values and values["kind"] not in SPEAKER_KINDS:
        raise InvalidInput(
            f"{values['kind']!r} is not a speaker kind ({', '.join(SPEAKER_KINDS)}).",
            field="kind",
        )
    if "role" in values and values["role"] is not None:
        values["role"] = " ".join(str(values["role"]).split()) or None
    if values.get("wikidata_id") is not None:
        values["wikidata_id"] = str(values["wikidata_id"]).strip().upper()
        if not WIKIDATA_ID.fullmatch(values["wikidata_id"]):
            raise InvalidInput(
                f"{changes['wikidata_id']!r} is not a Wikidata item id; it looks like Q1174 "
                "(a Q and a number, as in https://www.wikidata.org/wiki/Q1174).",
                field="wikidataId",
            )
    try:
        begin_write(session)
        row = _speakers(session, [speaker_id], field="speaker")[speaker_id]
        speaker = table_of(Speaker)
        if values.get("wikidata_id") is not None:
            holder = session.execute(
                sa.select(speaker.c.id).where(
                    speaker.c.wikidata_id == values["wikidata_id"], speaker.c.id != speaker_id
                )
            ).scalar_one_or_none()
            if holder is not None:
                raise Conflict(
                    f"Speaker {holder} already carries {values['wikidata_id']}: the same "
                    "person or body; merge the two speakers instead.",
                    field="wikidataId",
                )
        before = speaker_state(session, row)
        update: dict[str, Any] = {k: v for k, v in values.items() if k != "name"}
        if "role" in values:
            update["role_as_of"] = utcnow() if values["role"] else None
        if "name" in values and values["name"] != row.name:
            key = refold_key(values["name"], row.name_key)
            holder = session.execute(
                sa.select(speaker.c.id).where(speaker.c.name_key == key, speaker.c.id != speaker_id)
            ).scalar_one_or_none()
            if holder is not None:
                raise Conflict(
                    f"Speaker {holder} is already named {values['name']!r}; merge the two "
                    "speakers instead.",
                    field="name",
                )
            update["name"], update["name_key"] = values["name"], key
            # The old name still finds the speaker; the new one is an alias too.
            insert_ignoring_conflicts(
                session,
                SpeakerAlias,
                [
                    {"speaker_id": speaker_id, "alias": n, "alias_key": name_key(n)}
                    for n in (row.name, values["name"])
                ],
                ["speaker_id", "alias_key"],
            )
            decisions = table_of(QuoteCuration)
            session.execute(
                sa.update(decisions)
                .where(decisions.c.speaker_key == row.name_key)
                .values(speaker_key=key, speaker_name=values["name"])
            )
        update["curated"] = {**(row.curated or {}), **values}
        update["updated_at"] = utcnow()
        session.execute(sa.update(speaker).where(speaker.c.id == speaker_id).values(**update))
        after_row = session.execute(sa.select(speaker).where(speaker.c.id == speaker_id)).one()
        audit.record(
            session,
            actor,
            "editSpeaker",
            ("Speaker", speaker_id),
            before,
            speaker_state(session, after_row),
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return speaker_id


def find_by_wikidata_id(session: Session, wikidata_id: str) -> Any | None:
    value = wikidata_id.strip().upper()
    if not WIKIDATA_ID.fullmatch(value):
        raise InvalidInput(
            f"{wikidata_id!r} is not a Wikidata item id; it looks like Q1174.", field="wikidataId"
        )
    speaker = table_of(Speaker)
    return session.execute(sa.select(speaker).where(speaker.c.wikidata_id == value)).first()


# --- re-application -------------------------------------------------------------------------


def reapply(session: Session, article_id: int) -> None:
    """Put editors' decisions back on an article whose quotes were just written (new ingest of
    a text curated before, re-extraction, archive import), in the caller's transaction."""
    article = _article(session, article_id)
    quote, claim = table_of(Quote), table_of(Claim)
    _restore_curated_speakers(session, article_id)
    decisions = (
        session.execute(
            sa.select(QuoteCuration).where(
                table_of(QuoteCuration).c.article_hash == article.content_hash
            )
        )
        .scalars()
        .all()
    )
    if not decisions:
        return
    quotes = session.execute(
        sa.select(quote.c.id, quote.c.start, quote.c.end, quote.c.speaker_id).where(
            quote.c.article_id == article_id
        )
    ).all()
    taken: set[int] = set()
    touched: set[int | None] = set()
    replaced: set[int] = set()
    for decision in decisions:
        match = _matching_quote(quotes, decision, taken)
        if match is None:
            continue
        taken.add(match.id)
        decision.quote_id = match.id
        session.add(decision)
        if decision.speaker_decided:
            target = _speaker_for_key(session, decision.speaker_key, decision.speaker_name)
            session.execute(
                sa.update(quote).where(quote.c.id == match.id).values(speaker_id=target)
            )
            session.execute(
                sa.update(claim).where(claim.c.quote_id == match.id).values(claimant_id=target)
            )
            touched |= {match.speaker_id, target}
            replaced.add(match.id)
        if (
            decision.span_start is not None
            and decision.span_end is not None
            and 0 <= decision.span_start < decision.span_end <= len(article.text)
        ):
            session.execute(
                sa.update(quote)
                .where(quote.c.id == match.id)
                .values(
                    start=decision.span_start,
                    end=decision.span_end,
                    text=article.text[decision.span_start : decision.span_end],
                )
            )
            _set_span(session, match.id, article.text, decision.span_start, decision.span_end)
            replaced.add(match.id)
        if decision.not_a_quote:
            row = session.execute(sa.select(quote).where(quote.c.id == match.id)).one()
            _hide(session, row)
            touched.add(row.speaker_id)
    session.flush()
    refresh_quotations(session, replaced)
    refresh_counts(session, touched, [article_id])


def _matching_quote(quotes: Sequence[Any], decision: QuoteCuration, taken: set[int]) -> Any:
    """The quote a decision applies to: the one with the decision's extractor span, else
    (a new extractor's span differs a little) the one overlapping it most, by at least half."""
    spans = [(decision.quote_start, decision.quote_end)]
    if decision.span_start is not None and decision.span_end is not None:
        spans.append((decision.span_start, decision.span_end))
    for q in quotes:
        if q.id not in taken and (q.start, q.end) in spans:
            return q
    best, best_share = None, 0.5
    start, end = decision.quote_start, decision.quote_end
    for q in quotes:
        if q.id in taken:
            continue
        overlap = min(end, q.end) - max(start, q.start)
        share = overlap / (max(end, q.end) - min(start, q.start)) if overlap > 0 else 0.0
        if share > best_share:
            best, best_share = q, share
    return best


def _speaker_for_key(session: Session, key: str | None, name: str | None) -> int | None:
    """The speaker an editor's decision names, by its name key (or a merge's redirect); made
    again from the name if this database has none (an archive from elsewhere)."""
    if key is None:
        return None
    speaker = table_of(Speaker)
    found = session.execute(
        sa.select(speaker.c.id).where(speaker.c.name_key == key)
    ).scalar_one_or_none()
    if found is not None:
        return int(found)
    redirected = merged_names(session, [key]).get(key)
    if redirected is not None:
        return redirected
    now = utcnow()
    insert_ignoring_conflicts(
        session,
        Speaker,
        {
            "name": name or key,
            "name_key": key,
            "kind": "unknown",
            "created_at": now,
            "updated_at": now,
            "curated": {},
        },
        ["name_key"],
    )
    return int(
        session.execute(sa.select(speaker.c.id).where(speaker.c.name_key == key)).scalar_one()
    )


def _restore_curated_speakers(session: Session, article_id: int) -> None:
    """Fields editors set on this article's speakers win over what extraction just wrote."""
    quote, claim, speaker = table_of(Quote), table_of(Claim), table_of(Speaker)
    ids = sa.union(
        sa.select(quote.c.speaker_id).where(quote.c.article_id == article_id),
        sa.select(claim.c.claimant_id).where(claim.c.article_id == article_id),
    ).subquery()
    rows = session.execute(
        sa.select(speaker.c.id, speaker.c.curated, speaker.c.role, speaker.c.kind).where(
            speaker.c.id.in_(sa.select(next(iter(ids.c))))
        )
    ).all()
    for row in rows:
        curated = row.curated or {}
        fixed = {k: curated[k] for k in ("role", "kind") if k in curated}
        if fixed and any(getattr(row, k) != v for k, v in fixed.items()):
            session.execute(sa.update(speaker).where(speaker.c.id == row.id).values(**fixed))
