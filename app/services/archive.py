"""Archive export and import: every article, speaker, alias, quote, claim and review as JSONL.

Records refer to each other by natural keys (article content hash, speaker name key, position in
the article), not by database ids, so an archive imports into any database, empty or not, and
importing it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.db.engine import begin_write
from app.db.models import (
    Article,
    Claim,
    Quote,
    QuoteCuration,
    QuoteFragment,
    Speaker,
    SpeakerAlias,
    as_utc,
    utcnow,
)
from app.services import counters
from app.services.curation import reapply as reapply_curation
from app.services.errors import InvalidInput
from app.services.ingest import content_hash
from app.services.names import name_key
from app.services.provenance import provenance_by_article_ids, record_provenance
from app.services.queries import fragments_by_quote_ids
from app.services.quotations import assign_article
from app.services.reviews import archived_reviews, restore_archived_review
from app.services.speakers import insert_ignoring_conflicts, merged_names, refold_key

FORMAT = "quotegraph-archive"
VERSION = 1
BATCH = 200


def _date(value: datetime | None) -> str | None:
    return None if value is None else as_utc(value).isoformat()


def _parse_date(value: Any) -> datetime | None:
    return None if value in (None, "") else as_utc(datetime.fromisoformat(str(value)))


def export_archive(session: Session) -> Iterator[dict[str, Any]]:
    """Header, then every speaker with aliases, then each article followed by its children."""
    yield {"type": "header", "format": FORMAT, "version": VERSION}
    speaker_keys: dict[int, str] = {}
    last_id = 0
    while True:
        speakers = session.exec(
            select(Speaker).where(col(Speaker.id) > last_id).order_by(col(Speaker.id)).limit(BATCH)
        ).all()
        if not speakers:
            break
        aliases: dict[int, list[str]] = {}
        for alias in session.exec(
            select(SpeakerAlias)
            .where(col(SpeakerAlias.speaker_id).in_([s.id for s in speakers]))
            .order_by(col(SpeakerAlias.id))
        ):
            aliases.setdefault(alias.speaker_id, []).append(alias.alias)
        for speaker in speakers:
            assert speaker.id is not None
            speaker_keys[speaker.id] = speaker.name_key
            yield {
                "type": "speaker",
                "name": speaker.name,
                "key": speaker.name_key,
                "kind": speaker.kind,
                "role": speaker.role,
                "role_as_of": _date(speaker.role_as_of),
                "aliases": aliases.get(speaker.id, []),
                "wikidata_id": speaker.wikidata_id,
                "curated": speaker.curated or {},
            }
        last_id = speakers[-1].id or last_id
    # Editors' quote decisions before the articles, so that importing applies them.
    yield from _export_decisions(session)
    last_id = 0
    while True:
        articles = session.exec(
            select(Article).where(col(Article.id) > last_id).order_by(col(Article.id)).limit(BATCH)
        ).all()
        if not articles:
            return
        for article in articles:
            yield from _export_article(session, article, speaker_keys)
        last_id = articles[-1].id or last_id


def _export_article(
    session: Session, article: Article, speaker_keys: dict[int, str]
) -> Iterator[dict[str, Any]]:
    yield {
        "type": "article",
        "hash": article.content_hash,
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "published_at": _date(article.published_at),
        "dateline": article.dateline,
        "byline": article.byline,
        "text": article.text,
        "body_start": article.body_start,
        "body_end": article.body_end,
        "language": article.language,
        "ingested_at": _date(article.ingested_at),
        "extractor_version": article.extractor_version,
        "provenance": provenance_by_article_ids(session, [article.id])[0] if article.id else None,
    }
    quotes = session.exec(
        select(Quote).where(Quote.article_id == article.id).order_by(col(Quote.position))
    ).all()
    positions = {q.id: q.position for q in quotes}
    ids = [q.id for q in quotes if q.id is not None]
    fragments = dict(zip(ids, fragments_by_quote_ids(session, ids), strict=True))
    for quote in quotes:
        yield {
            "type": "quote",
            "article": article.content_hash,
            "position": quote.position,
            "speaker": speaker_keys.get(quote.speaker_id) if quote.speaker_id else None,
            **{
                name: getattr(quote, name)
                for name in (
                    "text", "kind", "cue", "cue_start", "cue_end", "start", "end",
                    "speaker_mention", "speaker_start", "speaker_end", "role", "confidence",
                    "attribution_class",
                )
            },
            "fragments": [[f.start, f.end] for f in fragments.get(quote.id or 0, [])],
        }  # fmt: skip
    claims = session.exec(
        select(Claim).where(Claim.article_id == article.id).order_by(col(Claim.position))
    ).all()
    reviews = archived_reviews(session, [c.id for c in claims if c.id is not None])
    claim_positions = {c.id: c.position for c in claims}
    for claim in claims:
        yield {
            "type": "claim",
            "article": article.content_hash,
            "position": claim.position,
            "claimant": speaker_keys.get(claim.claimant_id) if claim.claimant_id else None,
            "quote": positions.get(claim.quote_id) if claim.quote_id else None,
            "text": claim.text,
            "start": claim.start,
            "end": claim.end,
            "score": claim.score,
            "features": claim.features,
        }
    for review in reviews:
        # Every link of the article's claims, with its review's fields and its status, so an
        # editor's decisions survive the trip.
        yield {
            "type": "review",
            "article": article.content_hash,
            **review,
            "claim": claim_positions[review["claim"]],
        }


@dataclass
class ImportCounts:
    articles: int = 0
    skipped_articles: int = 0
    speakers: int = 0
    quotes: int = 0
    claims: int = 0
    reviews: int = 0


def import_archive(session: Session, records: Iterable[dict[str, Any]]) -> ImportCounts:
    """Load an archive; articles already stored (same text) are skipped with their children.
    Each article and its children are committed together."""
    counts = ImportCounts()
    iterator = iter(records)
    header = next(iterator, None)
    if not header or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise InvalidInput(
            f"Not a {FORMAT} version {VERSION} file (its first line says otherwise)."
        )
    speaker_ids: dict[str, int] = {}
    article: Article | None = None
    quote_ids: dict[int, int] = {}
    claim_ids: dict[int, int] = {}
    begin_write(session)
    for record in iterator:
        kind = record.get("type")
        if kind == "speaker":
            speaker_ids[record["key"]] = _import_speaker(session, record, counts)
        elif kind == "decision":
            _import_decision(session, record)
        elif kind == "article":
            _count(session, article)
            _finish_article(session, article)
            if article is not None and article.id is not None:
                reapply_curation(session, article.id)
            session.commit()
            begin_write(session)
            article, quote_ids, claim_ids = _import_article(session, record, counts), {}, {}
        elif article is None or article.id is None:
            continue  # children of an article that was already stored
        elif kind == "quote":
            quote = Quote(
                article_id=article.id,
                speaker_id=speaker_ids.get(record["speaker"]) if record["speaker"] else None,
                sort_date=article.sort_date,
                **{k: record[k] for k in _QUOTE_FIELDS},
            )
            # Archives written before the fragments and classes: one piece of speech each.
            quote.attribution_class = record.get("attribution_class") or "speech"
            session.add(quote)
            session.flush()
            assert quote.id is not None
            pieces = record.get("fragments") or [[record["start"], record["end"]]]
            for position, (start, end) in enumerate(pieces):
                session.add(
                    QuoteFragment(
                        quote_id=quote.id,
                        position=position,
                        text=article.text[start:end],
                        start=start,
                        end=end,
                    )
                )
            quote_ids[record["position"]] = quote.id
            counts.quotes += 1
        elif kind == "claim":
            claim = Claim(
                article_id=article.id,
                claimant_id=speaker_ids.get(record["claimant"]) if record["claimant"] else None,
                quote_id=quote_ids.get(record["quote"]) if record["quote"] is not None else None,
                sort_date=article.sort_date,
                **{k: record[k] for k in ("position", "text", "start", "end", "score", "features")},
            )
            session.add(claim)
            session.flush()
            assert claim.id is not None
            claim_ids[record["position"]] = claim.id
            counts.claims += 1
        elif kind == "review":
            restore_archived_review(session, record, claim_ids[record["claim"]])
            counts.reviews += 1
    _count(session, article)
    _finish_article(session, article)
    if article is not None and article.id is not None:
        reapply_curation(session, article.id)
    session.commit()
    return counts


_DECISION_FIELDS = (
    "quote_start", "quote_end", "speaker_decided", "speaker_key", "speaker_name",
    "span_start", "span_end", "not_a_quote",
)  # fmt: skip


def _export_decisions(session: Session) -> Iterator[dict[str, Any]]:
    last_id = 0
    while True:
        decisions = session.exec(
            select(QuoteCuration)
            .where(col(QuoteCuration.id) > last_id)
            .order_by(col(QuoteCuration.id))
            .limit(BATCH)
        ).all()
        if not decisions:
            return
        for decision in decisions:
            yield {
                "type": "decision",
                "article": decision.article_hash,
                **{name: getattr(decision, name) for name in _DECISION_FIELDS},
            }
        last_id = decisions[-1].id or last_id


def _import_decision(session: Session, record: dict[str, Any]) -> None:
    """An editor's quote decision from the archive; one taken here for the same quote wins."""
    insert_ignoring_conflicts(
        session,
        QuoteCuration,
        {
            "article_hash": record["article"],
            **{name: record.get(name) for name in _DECISION_FIELDS},
            "speaker_decided": bool(record.get("speaker_decided")),
            "not_a_quote": bool(record.get("not_a_quote")),
            "updated_at": utcnow(),
        },
        ["article_hash", "quote_start", "quote_end"],
    )


def _count(session: Session, article: Article | None) -> None:
    """Add an imported article's quotes to the counters, once all of them are in."""
    if article is not None and article.id is not None:
        counters.add_article(session, article.id)


def _finish_article(session: Session, article: Article | None) -> None:
    """Once an imported article's quotes are in: their quotations (speech only), in the same
    transaction."""
    if article is not None and article.id is not None:
        assign_article(session, article.id)


_QUOTE_FIELDS = (
    "position", "text", "kind", "cue", "cue_start", "cue_end", "start", "end",
    "speaker_mention", "speaker_start", "speaker_end", "role", "confidence",
)  # fmt: skip


def _import_speaker(session: Session, record: dict[str, Any], counts: ImportCounts) -> int:
    # An archive written before migration 0007 holds keys of the older fold.
    key = refold_key(record["name"], record["key"])
    existing = session.exec(select(Speaker.id).where(Speaker.name_key == key)).first()
    if existing is None:
        # A name an editor merged away here stays merged.
        existing = merged_names(session, [key]).get(key)
    wikidata_id = record.get("wikidata_id")
    if (
        wikidata_id
        and session.exec(select(Speaker.id).where(Speaker.wikidata_id == wikidata_id)).first()
    ):
        wikidata_id = None  # another speaker here carries it
    if existing is not None and wikidata_id:
        speaker = session.get(Speaker, existing)
        # Set by import only where no one set or cleared it here.
        if (
            speaker is not None
            and speaker.wikidata_id is None
            and "wikidata_id" not in (speaker.curated or {})
        ):
            speaker.wikidata_id = wikidata_id
            session.add(speaker)
            session.flush()
    if existing is None:
        insert_ignoring_conflicts(
            session,
            Speaker,
            {
                "name": record["name"],
                "name_key": key,
                "kind": record["kind"],
                "role": record["role"],
                "role_as_of": _parse_date(record.get("role_as_of")),
                "wikidata_id": wikidata_id,
                "curated": record.get("curated") or {},
            },
            ["name_key"],
        )
        counts.speakers += 1
        existing = session.exec(select(Speaker.id).where(Speaker.name_key == key)).one()
    assert existing is not None
    for alias in record.get("aliases", []):
        insert_ignoring_conflicts(
            session,
            SpeakerAlias,
            {"speaker_id": existing, "alias": alias, "alias_key": name_key(alias)},
            ["speaker_id", "alias_key"],
        )
    return existing


def _import_article(
    session: Session, record: dict[str, Any], counts: ImportCounts
) -> Article | None:
    if session.exec(select(Article.id).where(Article.content_hash == record["hash"])).first():
        counts.skipped_articles += 1
        return None
    if content_hash(record["text"]) != record["hash"]:
        raise InvalidInput(f"Article {record['hash'][:12]}… does not match its content hash.")
    published_at = _parse_date(record["published_at"])
    ingested_at = _parse_date(record["ingested_at"])
    assert ingested_at is not None
    article = Article(
        url=record["url"],
        title=record["title"],
        source=record["source"],
        published_at=published_at,
        dateline=record["dateline"],
        byline=record["byline"],
        text=record["text"],
        body_start=record["body_start"],
        body_end=record["body_end"],
        content_hash=record["hash"],
        language=record["language"],
        ingested_at=ingested_at,
        extractor_version=record["extractor_version"],
        sort_date=published_at or ingested_at,
    )
    session.add(article)
    session.flush()
    assert article.id is not None
    if record.get("provenance"):
        record_provenance(session, article.id, record["provenance"])
    counts.articles += 1
    return article
