"""Matching fact-checks to claims: full-text candidates from the database, then a score that
knows paraphrase at the level of words, figures and names, with hard rules against a changed
figure, a flipped negation or an opposite direction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS
from sqlmodel import Session

from app.db.models import Claim, ClaimReview, ReviewLink, table_of, utcnow

# Scores at or above AUTO_LINK link a review to a claim without asking; from SUGGEST up they
# are offered to an editor (Claim.suggestedReviews). Chosen on the development half of
# benchmarks/data/review_pairs.jsonl (benchmarks/review_matching.py; figures in RESULTS.md).
AUTO_LINK = 0.70
SUGGEST = 0.45
# A pair a hard rule stops is at most a suggestion, however similar its words.
BLOCKED_CAP = AUTO_LINK - 0.01
METHOD = "text-v1"
# How many full-text candidates each side considers.
CANDIDATES = 40


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATIONS = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without"}
)
UP = _words(
    "rise rose risen rising rises increase increased increases increasing grew grow grown "
    "grows growing up higher more soar soared surge surged doubled tripled gain gained "
    "climb climbed jump jumped"
)
DOWN = _words(
    "fall fell fallen falling falls decrease decreased decreases decreasing drop dropped drops "
    "decline declined declines down lower less fewer cut cuts shrank shrink shrunk halved "
    "plunge plunged slump slumped reduce reduced lose lost"
)
# Superlatives rank rather than move: "the highest" and "the lowest" contradict each other,
# but "the highest" does not say that anything rose.
TOP = frozenset(("highest", "largest", "biggest", "best", "greatest"))
BOTTOM = frozenset(("lowest", "smallest", "worst", "least"))
_SMALL_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12,
}  # fmt: skip
_MOVES = UP | DOWN | TOP | BOTTOM
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_SMALL_NUMBERS) + r")\b", re.IGNORECASE)
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
    "b": 1e9, "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*"
    r"(thousand|million|billion|trillion|bn|mn|tn|k|m|b)?\b\s*(%|percent|per cent)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_]+)?", re.UNICODE)
_STOP = frozenset(STOP_WORDS) - NEGATIONS - UP - DOWN - TOP - BOTTOM - set(_SMALL_NUMBERS)


@dataclass(frozen=True, slots=True)
class Analysed:
    """What the score compares in one text."""

    words: tuple[str, ...]  # content words, stemmed, in order
    figures: frozenset[str]
    names: frozenset[str]
    negated: bool
    direction: int  # +1 up, -1 down, 0 neither or both
    rank: int  # +1 a superlative at the top, -1 at the bottom, 0 neither or both
    # Content words before and after "than", for comparisons ("more X than Y").
    compared: tuple[frozenset[str], frozenset[str]] | None


def _stem(word: str) -> str:
    # Crude and symmetric: both sides are cut the same way, which is all a comparison needs.
    if word in UP:
        return "^up"  # "rose", "increased", "climbed" say the same of a figure
    if word in DOWN:
        return "^down"
    if word in TOP:
        return "^top"
    if word in BOTTOM:
        return "^bottom"
    for suffix, keep in (("ies", "y"), ("ion", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + keep
            break
    return word.removesuffix("e") if len(word) > 3 else word


def _figure(whole: str, decimals: str | None, scale: str | None, percent: str | None) -> str:
    value = float(whole.replace(",", "") + ("." + decimals if decimals else ""))
    if scale:
        value *= _SCALES[scale.lower()]
    # Six significant figures: "3.5 million" and "3,500,000" are the same figure.
    rounded = float(f"{value:.6g}") if value else 0.0
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


@lru_cache(maxsize=4096)
def analyse(text: str) -> Analysed:
    # "twelve thousand" is 12 thousand, and so 12,000.
    text = _NUMBER_WORD.sub(lambda m: str(_SMALL_NUMBERS[m.group(1).lower()]), text)
    figures = {_figure(*match.groups()) for match in _NUMBER.finditer(text)}
    plain = _NUMBER.sub(" ", text)
    raw = _WORD.findall(plain.replace("\u2019", "'"))
    names = {
        w.lower()
        for i, w in enumerate(raw)
        if w[:1].isupper() and i > 0 and w.lower() not in _STOP and len(w) > 1
    }
    lowered = [w.lower() for w in raw]
    negations = 0
    words: list[str] = []
    up = down = top = bottom = False
    for word in lowered:
        if word in NEGATIONS or word.endswith("n't"):
            negations += 1
            continue
        up, down = up or word in UP, down or word in DOWN
        top, bottom = top or word in TOP, bottom or word in BOTTOM
        if word in _STOP or len(word) < 2:
            continue
        words.append(_stem(word.removesuffix("'s")))
    compared = None
    if "than" in lowered:
        cut = lowered.index("than")
        before = {_stem(w) for w in lowered[:cut] if w not in _STOP and w not in _MOVES}
        after = {_stem(w) for w in lowered[cut + 1 :] if w not in _STOP and w not in _MOVES}
        compared = (frozenset(before), frozenset(after))
    return Analysed(
        compared=compared,
        words=tuple(words),
        figures=frozenset(figures),
        names=frozenset(names),
        negated=negations % 2 == 1,
        direction=(1 if up and not down else -1 if down and not up else 0),
        rank=(1 if top and not bottom else -1 if bottom and not top else 0),
    )


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    method: str
    blocked: str | None
    """The hard rule that kept the pair from an automatic link, if any."""


def _weights(found: Analysed) -> dict[str, float]:
    # Direction words are half a word: "rose" says little about what rose.
    weights = {word: 0.5 if word.startswith("^") else 1.0 for word in found.words}
    for name in found.names:
        stem = _stem(name.removesuffix("'s"))
        if stem in weights:
            weights[stem] = 1.5
    for figure in found.figures:
        weights["#" + figure] = 2.0
    return weights


def score_pair(review_text: str, claim_text: str, *, same_claimant: bool = False) -> Match:
    """How surely `claim_text` states what the review checked (`review_text`), from 0 to 1."""
    review, claim = analyse(review_text), analyse(claim_text)
    if not review.words or not claim.words:
        return Match(0.0, METHOD, None)
    left, right = _weights(review), _weights(claim)
    shared = sum(min(w, right[k]) for k, w in left.items() if k in right)
    # How much of what the fact-checker wrote the claim says (articles add context around
    # a claim, so containment counts more than symmetric overlap).
    containment = shared / sum(left.values())
    dice = 2 * shared / (sum(left.values()) + sum(right.values()))
    token_set = fuzz.token_set_ratio(" ".join(review.words), " ".join(claim.words)) / 100
    score = 0.45 * containment + 0.25 * dice + 0.30 * token_set
    if claim.figures and not review.figures:
        # The claim states a figure the review does not: likely another statement.
        score *= 0.92
    if same_claimant:
        score = min(1.0, score + 0.05)
    blocked = _blocked(review, claim)
    if blocked is not None:
        score = min(score, BLOCKED_CAP)
    method = METHOD if blocked is None else f"{METHOD}:{blocked}"
    return Match(round(score, 4), method, blocked)


def _blocked(review: Analysed, claim: Analysed) -> str | None:
    if (
        review.figures
        and claim.figures
        and not (review.figures <= claim.figures or claim.figures <= review.figures)
    ):
        return "figures-differ"
    if review.figures and not claim.figures:
        return "figures-differ"
    if review.negated != claim.negated:
        return "negation-differs"
    if review.direction and claim.direction and review.direction != claim.direction:
        return "direction-differs"
    if review.rank and claim.rank and review.rank != claim.rank:
        return "direction-differs"
    if review.compared and claim.compared:
        # "A kills more than B" against "B kills more than A": the same words, swapped.
        (review_before, review_after), (claim_before, claim_after) = review.compared, claim.compared
        if len(review_after & claim_before) > len(review_after & claim_after) or len(
            claim_after & review_before
        ) > len(claim_after & review_after):
            return "comparison-reversed"
    return None


def status_for(score: float) -> str | None:
    """The matcher's status for a score: automatic, suggested, or None (no link)."""
    if score >= AUTO_LINK:
        return "automatic"
    if score >= SUGGEST:
        return "suggested"
    return None


def names_agree(first: str | None, second: str | None) -> bool:
    if not first or not second:
        return False
    return bool(set(first.lower().split()) & set(second.lower().split()))


# --- candidates from the database (tsvector on PostgreSQL, FTS5 on SQLite) ----------------


def search_words(text: str) -> list[str]:
    """The words a candidate must share with `text`: content words, figures left out (a
    figure written differently must not hide a paraphrase), at most 16, longest first."""
    words = {w.lower() for w in _WORD.findall(_NUMBER.sub(" ", text))}
    kept = [
        w for w in words if w not in _STOP and w not in NEGATIONS and len(w) > 2 and w.isalnum()
    ]
    return sorted(kept, key=lambda w: (-len(w), w))[:16]


def _candidates(session: Session, table: sa.Table, fts: str, text: str, limit: int) -> list[int]:
    words = search_words(text)
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # Any of the words: a paraphrase shares some words, rarely all.
        query = sa.func.to_tsquery(sa.literal_column("'english'::regconfig"), " | ".join(words))
        vector: Any = sa.literal_column(f"{table.name}.search_vector")
        statement: Any = (
            sa.select(table.c.id)
            .where(vector.op("@@")(query))
            .order_by(sa.func.ts_rank(vector, query).desc(), table.c.id.desc())
            .limit(limit)
        )
    else:
        match = " OR ".join(f'"{w}"' for w in words)
        fts_table = sa.table(fts, sa.column("rowid", sa.Integer))
        statement = (
            sa.select(fts_table.c.rowid)
            .where(sa.literal_column(fts).op("MATCH")(match))
            .order_by(sa.func.bm25(sa.literal_column(fts)), fts_table.c.rowid.desc())
            .limit(limit)
        )
    return [int(i) for i in session.execute(statement).scalars()]


def candidate_claims(session: Session, text: str, limit: int = CANDIDATES) -> list[int]:
    """Ids of stored claims sharing the most telling words with `text`, best first."""
    return _candidates(session, table_of(Claim), "claim_fts", text, limit)


def candidate_reviews(session: Session, text: str, limit: int = CANDIDATES) -> list[int]:
    """Ids of stored reviews whose claim reviewed shares telling words with `text`."""
    return _candidates(session, table_of(ClaimReview), "claim_review_fts", text, limit)


# --- links -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewClaim:
    """A claim just written by ingest, to be matched against the stored reviews."""

    id: int
    text: str
    claimant: str | None


_REVIEWS = table_of(ClaimReview)


def link_row(
    claim_id: int, review_id: int, score: float, method: str, status: str
) -> dict[str, Any]:
    """A matcher's link as a review_link row."""
    return {
        "claim_id": claim_id,
        "review_id": review_id,
        "score": min(1.0, max(0.0, score)),
        "method": method,
        "status": status,
        "created_at": utcnow(),
    }


def insert_links(session: Session, rows: list[dict[str, Any]]) -> None:
    """Store matcher's links in one statement (the caller removed any they replace)."""
    if rows:
        session.execute(sa.insert(table_of(ReviewLink)), rows)


def match_new_claims(session: Session, claims: Sequence[NewClaim]) -> int:
    """Link claims just stored (inside ingest's transaction) to the reviews already stored
    that check them; returns the number of links made. Nothing to do without reviews."""
    if not claims or session.execute(sa.select(_REVIEWS.c.id).limit(1)).first() is None:
        return 0
    links: list[dict[str, Any]] = []
    for claim in claims:
        ids = candidate_reviews(session, claim.text)
        if not ids:
            continue
        reviews = session.execute(
            sa.select(_REVIEWS.c.id, _REVIEWS.c.claim_reviewed, _REVIEWS.c.claimant_name).where(
                _REVIEWS.c.id.in_(ids)
            )
        ).all()
        for review in reviews:
            match = score_pair(
                review.claim_reviewed,
                claim.text,
                same_claimant=names_agree(review.claimant_name, claim.claimant),
            )
            status = status_for(match.score)
            if status is not None:
                links.append(link_row(claim.id, review.id, match.score, match.method, status))
    insert_links(session, links)
    return len(links)
