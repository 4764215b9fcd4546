"""ClaimReview JSON-LD in and out: objects, arrays, @graph documents, HTML pages, JSONL feeds
and the Google Fact Check Tools shape read into ParsedReview; stored reviews written back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from app.services.errors import InvalidInput, ServiceError
from app.services.ingest import check_url

SCHEMA = "https://schema.org"
READABLE = (".json", ".jsonld", ".jsonl", ".ndjson", ".html", ".htm")


def url_key_basis(url: str, claim_reviewed: str) -> str:
    """What a review with a URL is known by (migration 0007 computes the same)."""
    return f"url:{url}\x1f{' '.join(claim_reviewed.split()).casefold()}"


@dataclass(frozen=True, slots=True)
class ParsedReview:
    """A ClaimReview as read, checked and normalised; the fields quotegraph stores."""

    claim_reviewed: str
    reviewer: str
    rating: str
    reviewer_url: str | None = None
    url: str | None = None
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    review_date: datetime | None = None
    claimant_name: str | None = None
    claim_date: datetime | None = None
    appearances: tuple[str, ...] = ()
    language: str | None = None

    @property
    def natural_key(self) -> str:
        """The review's URL and the claim it checks identify it (one page may review several
        claims, each its own ClaimReview with the page's URL); without a URL, what it says
        and who said it."""
        if self.url:
            basis = url_key_basis(self.url, self.claim_reviewed)
        else:
            date = self.review_date.isoformat() if self.review_date else ""
            basis = "\x1f".join(("content", self.claim_reviewed, self.reviewer, self.rating, date))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Failure:
    position: str
    message: str


@dataclass
class ReadResult:
    """What reading gave: the reviews with where each came from, and what was refused."""

    reviews: list[tuple[str, ParsedReview]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------------


def _types(value: dict[str, Any]) -> set[str]:
    found = value.get("@type", ())
    names = [found] if isinstance(found, str) else found if isinstance(found, list) else []
    return {str(n).rsplit("/", 1)[-1] for n in names}


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str | None:
    """A Person / Organization (or a list of them, or a plain string): its name."""
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _number(value: Any, label: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{label} is not a number: {value!r}.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{label} is not a number: {value!r}.") from None


def _date(value: Any, label: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{label} is not a date: {value!r}.")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{label} is not an ISO 8601 date: {value!r}.") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _url(value: Any, label: str) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return check_url(text)
    except ServiceError:
        raise InvalidInput(f"{label} is not an http(s) URL: {text!r}.") from None


def _appearances(item: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key in ("firstAppearance", "appearance"):
        values = item.get(key)
        for value in values if isinstance(values, list) else [values]:
            url = value.get("url") if isinstance(value, dict) else value
            checked = _url(url, f"itemReviewed.{key}") if isinstance(url, str) else None
            if checked and checked not in found:
                found.append(checked)
    return tuple(found)


def parse_review(value: Any) -> ParsedReview:
    """One schema.org ClaimReview object; InvalidInput says what is wrong with it."""
    if not isinstance(value, dict):
        raise InvalidInput(f"Expected a JSON object, got {type(value).__name__}.")
    types = _types(value)
    if types and "ClaimReview" not in types:
        raise InvalidInput(f"Not a ClaimReview (@type {sorted(types)}).")
    item = _first(value.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    claim_reviewed = _text(value.get("claimReviewed")) or _text(item.get("text"))
    if not claim_reviewed:
        raise InvalidInput("No claimReviewed: what claim does the review check?")
    author = _first(value.get("author")) or _first(value.get("publisher"))
    reviewer = _name(author)
    if not reviewer:
        raise InvalidInput("No author name: who published the review?")
    rating_object = _first(value.get("reviewRating"))
    rating_object = rating_object if isinstance(rating_object, dict) else {}
    rating_value = _number(rating_object.get("ratingValue"), "reviewRating.ratingValue")
    best = _number(rating_object.get("bestRating"), "reviewRating.bestRating")
    worst = _number(rating_object.get("worstRating"), "reviewRating.worstRating")
    verdict = _text(rating_object.get("alternateName")) or _text(rating_object.get("name"))
    if verdict is None and rating_value is not None:
        verdict = f"{rating_value:g}" + (f"/{best:g}" if best is not None else "")
    if verdict is None:
        raise InvalidInput("No reviewRating: neither alternateName nor ratingValue.")
    language = value.get("inLanguage")
    language = _name(language) if isinstance(language, dict) else _text(language)
    return ParsedReview(
        claim_reviewed=claim_reviewed,
        reviewer=reviewer,
        reviewer_url=_url(author.get("url"), "author.url") if isinstance(author, dict) else None,
        url=_url(value.get("url"), "url"),
        rating=verdict,
        rating_value=rating_value,
        best_rating=best,
        worst_rating=worst,
        review_date=_date(value.get("datePublished"), "datePublished"),
        claimant_name=_name(item.get("author")),
        claim_date=_date(item.get("datePublished"), "itemReviewed.datePublished"),
        appearances=_appearances(item),
        language=(language or None) and str(language)[:16],
    )


def _from_google(claim: dict[str, Any], review: Any) -> Any:
    """A Fact Check Tools API `claims[].claimReview[]` entry as a schema.org ClaimReview."""
    if not isinstance(review, dict):
        return review
    publisher = review.get("publisher") or {}
    site = publisher.get("site") if isinstance(publisher, dict) else None
    return {
        "@type": "ClaimReview",
        "claimReviewed": claim.get("text"),
        "author": {
            "name": publisher.get("name") if isinstance(publisher, dict) else None,
            "url": f"https://{site}" if site else None,
        },
        "url": review.get("url"),
        "datePublished": review.get("reviewDate"),
        "reviewRating": {"alternateName": review.get("textualRating")},
        "itemReviewed": {"author": claim.get("claimant"), "datePublished": claim.get("claimDate")},
        "inLanguage": review.get("languageCode"),
    }


def _objects(value: Any, where: str, *, nested: bool = False) -> Iterator[tuple[str, Any]]:
    """The ClaimReview candidates inside a JSON value, each with its position. Inside @graph
    documents and pages, objects of other types (WebPage, Organization) are passed over."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects(item, f"{where}[{index}]", nested=nested)
    elif isinstance(value, dict) and isinstance(value.get("@graph"), list):
        yield from _objects(value["@graph"], f"{where}@graph", nested=True)
    elif isinstance(value, dict) and isinstance(value.get("claims"), list):
        for index, claim in enumerate(value["claims"]):
            reviews = claim.get("claimReview") if isinstance(claim, dict) else None
            for number, review in enumerate(reviews if isinstance(reviews, list) else [None]):
                yield f"{where}claims[{index}].claimReview[{number}]", _from_google(claim, review)
    elif not nested or (isinstance(value, dict) and "ClaimReview" in _types(value)):
        yield where, value


def read_text(text: str, name: str) -> ReadResult:
    """Reviews in one document: JSON, JSONL (one JSON value a line) or an HTML page."""
    result = ReadResult()
    stripped = text.lstrip()
    values: list[tuple[str, Any]] = []
    if stripped.startswith("<"):
        page = LexborHTMLParser(text)
        for index, node in enumerate(page.css('script[type="application/ld+json"]')):
            where = f"{name} script {index + 1}"
            try:
                values.extend(_objects(json.loads(node.text() or ""), where + " ", nested=True))
            except json.JSONDecodeError as error:
                result.failures.append(Failure(where, f"invalid JSON: {error}"))
    else:
        lines = [stripped] if not name.endswith((".jsonl", ".ndjson")) else text.splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{name}:{number}" if len(lines) > 1 else name
            try:
                values.extend(_objects(json.loads(line), where))
            except json.JSONDecodeError as error:
                if len(lines) == 1 and "\n" in line.strip():
                    # Not one JSON value: perhaps a feed without the .jsonl name.
                    return read_text(text, name + ".jsonl")
                result.failures.append(Failure(where, f"invalid JSON: {error}"))
    for where, value in values:
        try:
            result.reviews.append((where.strip(), parse_review(value)))
        except InvalidInput as error:
            result.failures.append(Failure(where.strip(), error.message))
    return result


def read_values(values: Iterable[Any]) -> ReadResult:
    """Reviews from already decoded JSON values (the reviewClaims mutation); positions from 0."""
    result = ReadResult()
    for index, value in enumerate(values):
        for where, item in _objects(value, str(index)):
            try:
                result.reviews.append((where, parse_review(item)))
            except InvalidInput as error:
                result.failures.append(Failure(where, error.message))
    return result


def read_path(path: Path) -> ReadResult:
    """Every readable file under `path` (a file or a folder, recursively, in name order)."""
    files = (
        sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE)
        if path.is_dir()
        else [path]
    )
    result = ReadResult()
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            result.failures.append(Failure(str(file), f"unreadable: {error}"))
            continue
        found = read_text(text, str(file))
        result.reviews.extend(found.reviews)
        result.failures.extend(found.failures)
    return result


# --- writing ---------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _drop_empty(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v not in (None, [], {})}


def to_jsonld(
    review: Any, linked_claims: Iterable[dict[str, Any]] = (), *, context: bool = True
) -> dict[str, Any]:
    """A stored review as a schema.org ClaimReview object. `linked_claims` (text, claimant,
    article url and date of each claim quotegraph linked) become appearances of the claim."""
    appearances: list[dict[str, Any]] = [
        {"@type": "CreativeWork", "url": url} for url in review.appearances or []
    ]
    claimant = review.claimant_name
    for claim in linked_claims:
        claimant = claimant or claim.get("claimant")
        appearances.append(
            _drop_empty(
                {
                    "@type": "CreativeWork",
                    "url": claim.get("url"),
                    "headline": claim.get("title"),
                    "datePublished": _iso(claim.get("date")),
                    "text": claim["text"],
                    "author": {"@type": "Person", "name": claim["claimant"]}
                    if claim.get("claimant")
                    else None,
                }
            )
        )
    document = {
        "@context": SCHEMA if context else None,
        "@type": "ClaimReview",
        "url": review.url,
        "claimReviewed": review.claim_reviewed,
        "datePublished": _iso(review.review_date),
        "inLanguage": review.language,
        "author": _drop_empty(
            {"@type": "Organization", "name": review.reviewer, "url": review.reviewer_url}
        ),
        "reviewRating": _drop_empty(
            {
                "@type": "Rating",
                "ratingValue": review.rating_value,
                "bestRating": review.best_rating,
                "worstRating": review.worst_rating,
                "alternateName": review.rating,
            }
        ),
        "itemReviewed": _drop_empty(
            {
                "@type": "Claim",
                "author": {"@type": "Person", "name": claimant} if claimant else None,
                "datePublished": _iso(review.claim_date),
                "appearance": appearances,
            }
        ),
    }
    return _drop_empty(document)
