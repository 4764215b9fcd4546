"""Quotations: a speaker's near-identical quotes across articles grouped as one, kept right on
every write (ingest, import, delete, and the curation that moves quotes between speakers).

Each attributed quote of speech is an occurrence of exactly one quotation of its speaker: a
quotation is the same words said by the same speaker in several articles, so a belief or a
piece of evidence (a learned stance, a poll's finding: app.extraction.classes) is in none. A
new quote joins the quotation holding an occurrence with the same normalised text, else the
most similar of the speaker's quotations that share a blocking key with it (score at or above
quotation_text.THRESHOLD), else starts one. A quotation's counts, dates, text and key are
recomputed from its occurrences after every change, so they cannot drift: its text is its
longest occurrence's (the smallest key hash among equals), the same in any database holding
the same quotes whatever order they came in. One left without occurrences is deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import (
    Quotation,
    QuotationOccurrence,
    QuotationSketch,
    Quote,
    as_utc,
    table_of,
)
from app.services import quotation_text as match
from app.services.speakers import insert_ignoring_conflicts

CANDIDATES = 50
"""Most quotations a new quote is compared with (those sharing most blocking keys first)."""

_QUOTATION = table_of(Quotation)
_OCCURRENCE = table_of(QuotationOccurrence)
_SKETCH = table_of(QuotationSketch)
_QUOTE = table_of(Quote)

SPEECH = "speech"
"""The one attribution class quotations group (`Quote.attribution_class`)."""


def _spoken() -> sa.ColumnElement[bool]:
    """Speech quotes, the class tested on an expression: the rows are picked by speaker or id,
    and no planner may walk the class index (every speech quote) instead."""
    return _QUOTE.c.attribution_class.concat("") == SPEECH


@dataclass(frozen=True, slots=True)
class NewOccurrence:
    """An attributed speech quote to place in a quotation (callers leave out the other
    classes: see `SPEECH`)."""

    quote_id: int
    speaker_id: int
    text: str
    sort_date: datetime


def assign(session: Session, quotes: Iterable[NewOccurrence]) -> set[int]:
    """Place each quote in a quotation of its speaker (in order: a quote may join one an
    earlier quote of the same call started), then recount them; the quotations touched."""
    touched: set[int] = set()
    for quote in quotes:
        key = match.text_key(quote.text)
        if not key:
            continue
        digest = match.key_hash(key)
        quotation_id = _same_words(session, quote.speaker_id, digest)
        if quotation_id is None:
            quotation_id = _similar(session, quote.speaker_id, key)
            if quotation_id is None:
                quotation_id = _create(session, quote, key)
            else:  # a new version of its words: found by its own blocking keys too
                _add_sketch(session, quote.speaker_id, quotation_id, key)
        session.execute(
            sa.insert(_OCCURRENCE),
            {
                "quote_id": quote.quote_id,
                "quotation_id": quotation_id,
                "sort_date": quote.sort_date,
                "key_hash": digest,
                "key_length": len(key),
            },
        )
        touched.add(quotation_id)
    refresh(session, touched)
    return touched


def _same_words(session: Session, speaker_id: int, digest: str) -> int | None:
    """The speaker's quotation with an occurrence of exactly these (normalised) words."""
    found = session.execute(
        sa.select(_OCCURRENCE.c.quotation_id)
        .join(_QUOTATION, _QUOTATION.c.id == _OCCURRENCE.c.quotation_id)
        .where(_OCCURRENCE.c.key_hash == digest, _QUOTATION.c.speaker_id == speaker_id)
        .limit(1)
    ).scalar()
    return None if found is None else int(found)


def _similar(session: Session, speaker_id: int, key: str) -> int | None:
    hashes = match.sketch(key)
    if not hashes:
        return None
    shared = sa.func.count().label("shared")
    candidates = (
        sa.select(_SKETCH.c.quotation_id, shared)
        .where(_SKETCH.c.speaker_id == speaker_id, _SKETCH.c.hash.in_(hashes))
        .group_by(_SKETCH.c.quotation_id)
        .having(sa.func.count() >= match.shared_needed(hashes))
        .order_by(shared.desc(), _SKETCH.c.quotation_id)
        .limit(CANDIDATES)
        .subquery()
    )
    rows = session.execute(
        sa.select(_QUOTATION.c.id, _QUOTATION.c.text_key)
        .join(candidates, candidates.c.quotation_id == _QUOTATION.c.id)
        .order_by(_QUOTATION.c.id)
    ).all()
    best, best_score = None, 0.0
    for quotation_id, other in rows:
        score = match.similarity(key, other, match.THRESHOLD)
        if score >= match.THRESHOLD and score > best_score:
            best, best_score = int(quotation_id), score
    return best


def _create(session: Session, quote: NewOccurrence, key: str) -> int:
    digest = match.key_hash(key)
    # ON CONFLICT DO NOTHING: a concurrent ingest may start the same quotation first.
    insert_ignoring_conflicts(
        session,
        Quotation,
        {
            "speaker_id": quote.speaker_id,
            "text": quote.text,
            "text_key": key,
            "key_hash": digest,
            "occurrences": 0,
            "first_seen": quote.sort_date,
            "last_seen": quote.sort_date,
        },
        ["speaker_id", "key_hash"],
    )
    quotation_id = int(
        session.execute(
            sa.select(_QUOTATION.c.id).where(
                _QUOTATION.c.speaker_id == quote.speaker_id, _QUOTATION.c.key_hash == digest
            )
        ).scalar_one()
    )
    _add_sketch(session, quote.speaker_id, quotation_id, key)
    return quotation_id


def _add_sketch(session: Session, speaker_id: int, quotation_id: int, key: str) -> None:
    insert_ignoring_conflicts(
        session,
        QuotationSketch,
        [
            {"speaker_id": speaker_id, "hash": h, "quotation_id": quotation_id}
            for h in match.sketch(key)
        ],
        ["speaker_id", "hash", "quotation_id"],
    )


def refresh(session: Session, quotation_ids: Iterable[int]) -> None:
    """Recount occurrences and first and last dates from the occurrences themselves; delete
    the quotations left with none."""
    ids = sorted(set(quotation_ids))
    if not ids:
        return
    occurrences = _OCCURRENCE.alias("o")
    mine = occurrences.c.quotation_id == _QUOTATION.c.id
    session.execute(
        sa.update(_QUOTATION)
        .where(_QUOTATION.c.id.in_(ids))
        .values(
            occurrences=sa.select(sa.func.count()).where(mine).scalar_subquery(),
            first_seen=sa.func.coalesce(
                sa.select(sa.func.min(occurrences.c.sort_date)).where(mine).scalar_subquery(),
                _QUOTATION.c.first_seen,
            ),
            last_seen=sa.func.coalesce(
                sa.select(sa.func.max(occurrences.c.sort_date)).where(mine).scalar_subquery(),
                _QUOTATION.c.last_seen,
            ),
        )
    )
    session.execute(
        sa.delete(_QUOTATION).where(_QUOTATION.c.id.in_(ids), _QUOTATION.c.occurrences == 0)
    )
    for quotation_id in ids:
        _choose_text(session, quotation_id)


def _choose_text(session: Session, quotation_id: int) -> None:
    """The quotation's text and key: its longest occurrence's (smallest hash among equals)."""
    longest = session.execute(
        sa.select(_OCCURRENCE.c.key_hash, _QUOTE.c.text)
        .join(_QUOTE, _QUOTE.c.id == _OCCURRENCE.c.quote_id)
        .where(_OCCURRENCE.c.quotation_id == quotation_id)
        .order_by(_OCCURRENCE.c.key_length.desc(), _OCCURRENCE.c.key_hash, _QUOTE.c.id)
        .limit(1)
    ).first()
    if longest is None:
        return
    session.execute(
        sa.update(_QUOTATION)
        .where(_QUOTATION.c.id == quotation_id, _QUOTATION.c.key_hash != longest.key_hash)
        .values(text=longest.text, text_key=match.text_key(longest.text), key_hash=longest.key_hash)
    )


def quotations_of_quotes(session: Session, quote_ids: Sequence[int]) -> set[int]:
    """The quotations these quotes are occurrences of."""
    if not quote_ids:
        return set()
    rows = session.execute(
        sa.select(_OCCURRENCE.c.quotation_id).where(_OCCURRENCE.c.quote_id.in_(quote_ids))
    ).scalars()
    return {int(i) for i in rows}


def quotations_of_article(session: Session, article_id: int) -> set[int]:
    """The quotations an article's quotes are occurrences of (read before deleting it)."""
    rows = session.execute(
        sa.select(_OCCURRENCE.c.quotation_id)
        .join(_QUOTE, _QUOTE.c.id == _OCCURRENCE.c.quote_id)
        .where(_QUOTE.c.article_id == article_id)
    ).scalars()
    return {int(i) for i in rows}


def reassign_quotes(session: Session, quote_ids: Sequence[int]) -> None:
    """Place quotes again after their speaker or text changed (curation): out of their
    quotations, into the right one of their present speaker (speech only: the others stay
    out). Same transaction as the change."""
    if not quote_ids:
        return
    before = quotations_of_quotes(session, quote_ids)
    session.execute(sa.delete(_OCCURRENCE).where(_OCCURRENCE.c.quote_id.in_(quote_ids)))
    refresh(session, before)
    assign(session, _occurrences_of(session, quote_ids))


def _occurrences_of(session: Session, quote_ids: Sequence[int]) -> list[NewOccurrence]:
    """Those of these quotes that belong in a quotation: attributed, speech."""
    rows = session.execute(
        sa.select(_QUOTE.c.id, _QUOTE.c.speaker_id, _QUOTE.c.text, _QUOTE.c.sort_date)
        .where(_QUOTE.c.id.in_(quote_ids), _QUOTE.c.speaker_id.is_not(None), _spoken())
        .order_by(_QUOTE.c.id)
    ).all()
    return [NewOccurrence(r.id, r.speaker_id, r.text, as_utc(r.sort_date)) for r in rows]


def assign_article(session: Session, article_id: int) -> None:
    """Place every attributed speech quote of a just-stored article (ingest, import)."""
    rows = session.execute(
        sa.select(_QUOTE.c.id).where(_QUOTE.c.article_id == article_id).order_by(_QUOTE.c.id)
    ).scalars()
    assign(session, _occurrences_of(session, [int(i) for i in rows]))


# --- rebuilding from scratch (migration, `quotegraph quotations rebuild`) ----------------------


class _Groups:
    """One speaker's quotations in memory while rebuilding: the same decisions as `_find`."""

    def __init__(self) -> None:
        self.by_hash: dict[str, int] = {}
        self.keys: list[str] = []
        """Each group's key as ingest would hold it: its longest version so far."""
        self.variants: list[set[str]] = []
        self.by_sketch: dict[int, list[int]] = {}
        self.sketched: set[tuple[int, int]] = set()

    def place(self, key: str) -> tuple[int, bool]:
        """(index of the group, whether it is new)."""
        digest = match.key_hash(key)
        found = self.by_hash.get(digest)
        if found is not None:
            return found, False
        hashes = match.sketch(key)
        # Counted in C: the lists of the commonest word trigrams hold thousands of groups.
        counts = Counter(chain.from_iterable(self.by_sketch.get(h, ()) for h in hashes))
        needed = match.shared_needed(hashes)
        ranked = sorted((g for g in counts if counts[g] >= needed), key=lambda g: (-counts[g], g))[
            :CANDIDATES
        ]
        best, best_score = None, 0.0
        for group in sorted(ranked):
            score = match.similarity(key, self.keys[group], match.THRESHOLD)
            if score >= match.THRESHOLD and score > best_score:
                best, best_score = group, score
        new = best is None
        if best is None:
            best = len(self.keys)
            self.keys.append(key)
            self.variants.append(set())
        elif (-len(key), digest) < (-len(self.keys[best]), match.key_hash(self.keys[best])):
            self.keys[best] = key
        self.variants[best].add(key)
        self.by_hash[digest] = best
        for h in hashes:
            if (h, best) not in self.sketched:  # a set: the lists grow to thousands
                self.sketched.add((h, best))
                self.by_sketch.setdefault(h, []).append(best)
        return best, new


def rebuild_quotations(session: Session, batch: int = 5000, *, speech_only: bool = True) -> int:
    """Group every attributed speech quote again, speaker by speaker, in the order quotes were
    stored; the number of quotations made. Does not commit. Not `speech_only`: every class,
    without reading the class (migrations: 0011 ran before quotes had one, and 0019's
    downgrade gives back what 0018 held)."""
    session.execute(sa.delete(_OCCURRENCE))
    session.execute(sa.delete(_SKETCH))
    session.execute(sa.delete(_QUOTATION))
    speakers = session.execute(
        sa.select(_QUOTE.c.speaker_id)
        .where(_QUOTE.c.speaker_id.is_not(None))
        .group_by(_QUOTE.c.speaker_id)
        .order_by(_QUOTE.c.speaker_id)
    ).scalars()
    made = 0
    for speaker_id in list(speakers):
        made += _rebuild_speaker(session, int(speaker_id), batch, speech_only=speech_only)
    return made


def regroup_speaker(
    session: Session,
    speaker_id: int,
    merged: Iterable[int] = (),
    batch: int = 5000,
    *,
    speech_only: bool = True,
) -> int:
    """Group one speaker's quotes again from scratch, set-wise (a few statements whatever the
    number of quotes, not a round trip per quote): what `rebuild_quotations` makes for this
    speaker. For a merge, after the quotes moved: the quotations of the `merged` speakers go,
    and a quotation of the survivor that is still there (same key) keeps its row id. The
    number of quotations the speaker has now. `speech_only` as for `rebuild_quotations`."""
    speakers = sorted({speaker_id, *merged})
    kept = {
        str(digest): int(quotation_id)
        for quotation_id, digest in session.execute(
            sa.select(_QUOTATION.c.id, _QUOTATION.c.key_hash).where(
                _QUOTATION.c.speaker_id == speaker_id
            )
        )
    }
    theirs = sa.select(_QUOTATION.c.id).where(_QUOTATION.c.speaker_id.in_(speakers))
    session.execute(sa.delete(_OCCURRENCE).where(_OCCURRENCE.c.quotation_id.in_(theirs)))
    session.execute(sa.delete(_SKETCH).where(_SKETCH.c.speaker_id.in_(speakers)))
    session.execute(sa.delete(_QUOTATION).where(_QUOTATION.c.speaker_id.in_(speakers)))
    return _rebuild_speaker(session, speaker_id, batch, kept, speech_only=speech_only)


def _rebuild_speaker(
    session: Session,
    speaker_id: int,
    batch: int,
    kept: dict[str, int] | None = None,
    *,
    speech_only: bool = True,
) -> int:
    groups = _Groups()
    members: list[list[tuple[int, datetime, str, str]]] = []
    said = sa.select(_QUOTE.c.id, _QUOTE.c.text, _QUOTE.c.sort_date).where(
        _QUOTE.c.speaker_id == speaker_id
    )
    if speech_only:
        said = said.where(_spoken())
    rows = session.execute(said.order_by(_QUOTE.c.id)).all()
    for quote_id, text, sort_date in rows:
        key = match.text_key(text)
        if not key:
            continue
        index, new = groups.place(key)
        if new:
            members.append([])
        members[index].append((int(quote_id), as_utc(sort_date), key, text))
    if not members:
        return 0
    quotation_rows: list[dict[str, Any]] = []
    for group in members:
        dates = [d for _, d, _, _ in group]
        # As _choose_text: the longest version, the smallest hash among equals.
        _, longest_key, longest_text = min(
            ((-len(k), match.key_hash(k), quote_id), k, t) for quote_id, _, k, t in group
        )
        quotation_rows.append(
            {
                "speaker_id": speaker_id,
                "text": longest_text,
                "text_key": longest_key,
                "key_hash": match.key_hash(longest_key),
                "occurrences": len(group),
                "first_seen": min(dates),
                "last_seen": max(dates),
            }
        )
    # Rows whose key a quotation of the speaker had before keep its id; the rest get new ones.
    ids: list[int] = [(kept or {}).get(row["key_hash"], 0) for row in quotation_rows]
    again = [{**row, "id": i} for row, i in zip(quotation_rows, ids, strict=True) if i]
    for start in range(0, len(again), batch):
        session.execute(sa.insert(_QUOTATION), again[start : start + batch])
    fresh = [n for n, i in enumerate(ids) if not i]
    for start in range(0, len(fresh), batch):
        statement = sa.insert(_QUOTATION).returning(_QUOTATION.c.id, sort_by_parameter_order=True)
        chunk = fresh[start : start + batch]
        made = session.execute(statement, [quotation_rows[n] for n in chunk]).scalars()
        for n, quotation_id in zip(chunk, made, strict=True):
            ids[n] = int(quotation_id)
    occurrence_rows = [
        {
            "quote_id": quote_id,
            "quotation_id": ids[index],
            "sort_date": date,
            "key_hash": match.key_hash(key),
            "key_length": len(key),
        }
        for index, group in enumerate(members)
        for quote_id, date, key, _ in group
    ]
    sketch_rows = [
        {"speaker_id": speaker_id, "hash": h, "quotation_id": ids[index]}
        for index, keys in enumerate(groups.variants)
        for h in sorted({h for key in keys for h in match.sketch(key)})
    ]
    for rows_, table in ((occurrence_rows, _OCCURRENCE), (sketch_rows, _SKETCH)):
        for start in range(0, len(rows_), batch):
            session.execute(sa.insert(table), rows_[start : start + batch])
    return len(members)
