"""Fill a quotegraph database (SQLite or PostgreSQL) with realistic synthetic news, fast, no NLP."""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from app.db.engine import normalise_url
from app.db.migrations import upgrade
from app.services.counters import rebuild_statements
from app.services.names import name_key
from app.services.review_documents import url_key_basis

EXTRACTOR_VERSION = "benchmark-synthetic/1"
TABLES = ("review_link", "claim_review", "claim", "quote", "speaker_alias", "speaker", "article")
PROTECTED_DATABASES = ("test",)  # plus every quotegraph_test_* (the test suite's databases)

# --- vocabulary -------------------------------------------------------------------------------
# Accents, apostrophes and hyphens on purpose: name_key must fold them exactly like the app.


def words(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


FIRST_NAMES = words(
    "Aaron Abdul Adriana Agnieszka Ahmed Aisha Alejandro Alexei Alice Amara Ana Andrés Ángel "
    "Anna Antony Aryan Astrid Ayşe Beatriz Benjamin Björn Bongani Camille Carlos Catalina Chen "
    "Chiamaka Chloé Claudia Daniel Dmitri Elena Élodie Emeka Emma Eric Esther Fatima Felipe "
    "Fernanda François Gabriel Giorgia Gustavo Hannah Hassan Héctor Helga Hiroshi Ibrahim Ines "
    "Ingrid Isabel Ivan Jacinda Jakub James Jan Javier Jean-Pierre Jens João Jorge José Juan "
    "Julia Jürgen Kamala Karim Katarzyna Kenji Khalid Kofi Laila Lars Laura Leila Liam Lucía "
    "Luis Magdalena Małgorzata Mamadou Manuel Marco Margaret María Marie Mark Marta Martin "
    "Mateo Mehmet Mei Michael Miguel Min-jun Mohammed Nadia Narendra Natalia Nikolai Noor Olaf "
    "Olena Oliver Omar Pablo Patrick Pedro Pierre Priya Rafael Rahul Raúl Renée Ricardo Rosa "
    "Rui Sakura Samir Sanna Sarah Sebastián Sergei Siobhán Sofía Søren Stefan Sunita Svetlana "
    "Tariq Thabo Thomas Tomás Ursula Valentina Vikram Wei Wojciech Yasmin Yusuf Zainab Zoë"
)
SURNAMES = words(
    "Abbas Adeyemi Ahmadi Alexander Álvarez Andersen Anderson Aoki Baptiste Barros Becker "
    "Bergström Bianchi Blinken Bondarenko Brown Byrne Campbell Carvalho Castillo Chatterjee Chen "
    "Cohen Costa Cruz Dąbrowski Demir Dlamini Dubois Dufour Eriksson Fernández Ferrari "
    "Fischer Fitzgerald García Gómez González Gruber Gupta Haddad Hansen Hernández Hoffmann "
    "Horvat Hossain Ibrahim Ivanov Jansen Jiménez Johansson Jones Kamau Kaplan Kariuki Kaya "
    "Kelly Khan Kim Kowalczyk-Nowak Kowalski Kozlov Kumar Laurent Lee Lefebvre Levi Lindqvist "
    "López Lund Mahlangu Makarov Martín Martínez Mazur McCarthy Mendoza Mensah Moreau Morozov "
    "Müller Murphy Nakamura Navarro Ndlovu Nguyễn Nielsen Novák Núñez O'Brien O'Connor "
    "Odhiambo Okafor Okonkwo Olsen Ortiz Osei Özdemir Park Pereira Petrenko Petrov Popescu "
    "Quispe Rahman Ramírez Reyes Richter Rivera Rodríguez Romano Rossi Ruiz Saito Sánchez "
    "Santos Schmidt Schneider Shevchenko Singh Smith Sokolov Sørensen Suárez Svoboda Takahashi "
    "Tanaka Torres Traoré Tremblay Vargas Varga Vasquez Volkov Wagner Walsh Wang "
    "Weber Williams Wiśniewski Wójcik Yamamoto Zhang Zhou Zielińska"
)
SURNAMES += ("Da Silva", "Van der Berg", "De la Cruz", "Van Dijk", "St. Clair", "Al-Masri")
COUNTRIES = words(
    "American British French German Italian Spanish Polish Ukrainian Russian Turkish Israeli "
    "Palestinian Egyptian Nigerian Kenyan South-African Brazilian Argentine Mexican Canadian "
    "Japanese Chinese Indian Pakistani Indonesian Australian Swedish Norwegian Danish Dutch "
    "Belgian Irish Greek Hungarian Czech Romanian Chilean Colombian Peruvian Moroccan"
)
BODIES = words(
    "Ministry of Health|Ministry of Defence|Foreign Ministry|Finance Ministry|Central Bank|"
    "Interior Ministry|Army|Navy|Supreme Court|Electoral Commission|Red Cross|Football Federation|"
    "Medical Association|Farmers' Union|Teachers' Union|Chamber of Commerce|Statistics Office|"
    "Space Agency|Competition Authority|Energy Regulator|Coast Guard|Police|Parliament|"
    "Meteorological Office|Data Protection Authority",
    "|",
)
CITIES = words(
    "WASHINGTON LONDON PARIS BERLIN BRUSSELS KYIV MOSCOW JERUSALEM GAZA CAIRO NAIROBI LAGOS "
    "JOHANNESBURG BEIJING TOKYO SEOUL NEW-DELHI ISLAMABAD JAKARTA SYDNEY OTTAWA MEXICO-CITY "
    "BRASILIA BUENOS-AIRES SANTIAGO BOGOTA LIMA MADRID ROME WARSAW ATHENS ANKARA GENEVA VIENNA "
    "STOCKHOLM OSLO COPENHAGEN DUBLIN LISBON PRAGUE"
)
SOURCES = (
    ("Reuters", "reuters.com"),
    ("Associated Press", "apnews.com"),
    ("Agencies", "example-agencies.org"),
    ("AFP", "afp.com"),
    ("BBC News", "bbc.co.uk"),
    ("The Guardian", "theguardian.com"),
    ("Al Jazeera", "aljazeera.com"),
    ("Bloomberg", "bloomberg.com"),
)
OFFICES = (
    "Finance Minister",
    "Foreign Minister",
    "Prime Minister",
    "President",
    "Health Minister",
    "Defence Minister",
    "central bank governor",
    "opposition leader",
    "government spokesperson",
    "chief executive",
    "trade union leader",
    "army spokesperson",
    "senior economist",
    "UN envoy",
    "mayor",
)
SUBJECTS = (
    "the government",
    "our economy",
    "the ceasefire",
    "this agreement",
    "the central bank",
    "inflation",
    "the new law",
    "our troops",
    "the election",
    "the budget",
    "the health service",
    "the peace plan",
    "this decision",
    "the sanctions",
    "the investigation",
    "the reform",
    "our allies",
    "the energy crisis",
    "the housing market",
    "the vaccine programme",
    "the opposition",
    "the negotiations",
    "climate policy",
    "the border",
    "the tariffs",
    "unemployment",
    "the strike",
    "public debt",
    "the coalition",
    "the court ruling",
)
PREDICATES = (
    "will not survive another winter",
    "must be protected at all costs",
    "is moving in the right direction",
    "has already cost us dearly",
    "cannot be allowed to fail",
    "will be decided in the coming weeks",
    "is a matter for the courts",
    "was never going to be easy",
    "has been badly mismanaged",
    "will create thousands of jobs",
    "puts millions of families at risk",
    "is not up for negotiation",
    "should have been done years ago",
    "remains our top priority",
    "is simply not credible",
    "will hold despite the pressure",
    "has broken every promise",
    "depends on what happens next",
    "is a historic step forward",
    "will be reviewed by independent experts",
)
TAILS = (
    "",
    "",
    "",
    " by the end of the year",
    " within weeks",
    " and everyone knows it",
    " whatever our critics say",
    " for the next generation",
    " in every region of the country",
    " if we act now",
)
CONNECTIVES = (" and ", ", but ", ", while ", " because ", ", so ")
METRICS = (
    "Unemployment",
    "Inflation",
    "The deficit",
    "Turnout",
    "Exports",
    "Hospital admissions",
    "Fuel prices",
    "Rents",
    "Crime",
    "Youth unemployment",
    "Public debt",
    "Growth",
)
MOVES = ("rose", "fell", "climbed", "dropped", "stood")
MONTHS = words(
    "January February March April May June July August September October November December"
)
COMPARISONS = (
    "the highest level since 2008",
    "the lowest level in a decade",
    "well above the official target",
    "twice the European average",
    "according to official figures",
    "the statistics office said",
)
FILLERS = (
    "The talks come amid growing pressure from all sides.",
    "Officials did not respond to a request for comment.",
    "The announcement was met with scepticism in the capital.",
    "Critics have long questioned the plan.",
    "The issue has dominated the campaign for months.",
    "Markets reacted calmly to the news.",
    "Details of the proposal have not been made public.",
    "Protesters gathered outside the building on Monday.",
    "The vote is expected later this week.",
    "Analysts said the outcome remained uncertain.",
)
DIRECT_CUES = ("said", "said", "said", "told reporters", "added", "warned", "insisted", "wrote")
INDIRECT_CUES = ("said", "said", "argued", "warned", "claimed", "told reporters", "stated")
UNATTRIBUTED = ("a spokesperson", "officials", "a senior source", "one witness")
REVIEWERS = ("PolitiFact", "Full Fact", "AFP Fact Check", "FactCheck.org", "Snopes", "Maldita")
RATINGS = ("False", "Mostly false", "Half true", "Mostly true", "True", "Misleading")
HEADLINE_VERBS = ("warns on", "defends", "rejects", "backs", "slams", "calls for action on")

ARTICLE_COLUMNS = (
    "id",
    "url",
    "title",
    "source",
    "published_at",
    "dateline",
    "byline",
    "text",
    "body_start",
    "body_end",
    "content_hash",
    "language",
    "ingested_at",
    "extractor_version",
    "sort_date",
)
SPEAKER_COLUMNS = (
    "id",
    "name",
    "name_key",
    "kind",
    "role",
    "role_as_of",
    "created_at",
    "updated_at",
)
ALIAS_COLUMNS = ("id", "speaker_id", "alias", "alias_key")
QUOTE_COLUMNS = (
    "id",
    "article_id",
    "speaker_id",
    "position",
    "text",
    "kind",
    "cue",
    "cue_start",
    "cue_end",
    "start",
    "end",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "role",
    "confidence",
    "sort_date",
)
FRAGMENT_COLUMNS = ("quote_id", "position", "text", "start", "end")
CLAIM_COLUMNS = (
    "id",
    "article_id",
    "claimant_id",
    "quote_id",
    "position",
    "text",
    "start",
    "end",
    "score",
    "features",
    "sort_date",
)
REVIEW_COLUMNS = (
    "id",
    "natural_key",
    "claim_reviewed",
    "reviewer",
    "url",
    "rating",
    "review_date",
    "appearances",
    "imported_at",
    "sort_date",
)
LINK_COLUMNS = ("claim_id", "review_id", "score", "method", "status", "created_at")

Row = tuple[Any, ...]
Stamp = Callable[[datetime], Any]


# --- what to generate ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scale:
    articles: int
    speakers: int
    quotes: int
    claims: int
    reviewed_share: float
    unattributed_share: float
    zipf: float
    seed: int
    chunk: int


@dataclass(slots=True)
class SpeakerSpec:
    id: int
    name: str
    key: str
    kind: str
    role: str | None
    mention: str  # the short form later mentions use ("García", "the ministry")
    pronoun: str  # lower case; capitalised at the start of a sentence
    aliases: list[str]


@dataclass(slots=True)
class Chunk:
    """Rows for a batch of consecutive articles, in foreign-key order."""

    articles: list[Row] = field(default_factory=list)
    quotes: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    reviews: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Tally:
    """What the API benchmark needs to know about the data it was given."""

    quotes_per_speaker: Counter[int] = field(default_factory=Counter)
    sample_article: int | None = None
    sample_score: tuple[int, int, int] = (-1, -(10**9), -(10**9))


def make_speakers(count: int, rng: random.Random) -> list[SpeakerSpec]:
    """Persons (first name + surname) and some organisations, each with a unique name key."""
    organisations = [f"{c.replace('-', ' ')} {b}" for c in COUNTRIES for b in BODIES]
    organisations += [f"{s} Holdings" for s in SURNAMES] + [f"{s} Foundation" for s in SURNAMES]
    rng.shuffle(organisations)
    organisations = organisations[: count // 20]
    names: dict[str, tuple[str, str, str]] = {}
    for org in organisations:
        names.setdefault(name_key(org), (org, "organisation", "the " + org.split()[-1].lower()))
    while len(names) < count:
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        if rng.random() < 0.1:  # a double surname, as in Spanish and Portuguese names
            surname = f"{surname} {rng.choice(SURNAMES)}"
        name = f"{first} {surname}"
        kind = "unknown" if rng.random() < 0.02 else "person"
        names.setdefault(name_key(name), (name, kind, surname))
    canonical_keys = set(names)
    speakers: list[SpeakerSpec] = []
    for number, (key, (name, kind, short)) in enumerate(names.items(), start=1):
        aliases = [name]
        if kind == "organisation":
            capitals = [w for w in name.split() if w[0].isupper()]
            if rng.random() < 0.5 and len(capitals) > 1:
                aliases.append("".join(w[0] for w in capitals))
        else:
            aliases.append(short)
            if rng.random() < 0.3:
                aliases.append(f"{name[0]}. {short}")
        # Another speaker's full name as an alias would make "quotes by <name>" ambiguous.
        aliases = [a for a in aliases if a == name or name_key(a) not in canonical_keys]
        role = None
        if kind != "organisation" and rng.random() < 0.7:
            role = f"{rng.choice(COUNTRIES).replace('-', ' ')} {rng.choice(OFFICES)}"
        speakers.append(
            SpeakerSpec(
                id=number,
                name=name,
                key=key,
                kind=kind,
                role=role,
                mention=short,
                pronoun="it" if kind == "organisation" else rng.choice(("he", "she")),
                aliases=aliases,
            )
        )
    return speakers


def speaker_rows(
    speakers: Sequence[SpeakerSpec], stamp: Stamp, start: datetime
) -> tuple[list[Row], list[Row]]:
    rows: list[Row] = []
    alias_rows: list[Row] = []
    created = stamp(start)
    for speaker in speakers:
        role_as_of = created if speaker.role else None
        rows.append(
            (
                speaker.id,
                speaker.name,
                speaker.key,
                speaker.kind,
                speaker.role,
                role_as_of,
                created,
                created,
            )
        )
        seen: set[str] = set()
        for alias in speaker.aliases:
            key = name_key(alias)
            if key and key not in seen:
                seen.add(key)
                alias_rows.append((len(alias_rows) + 1, speaker.id, alias, key))
    return rows, alias_rows


def sentence(rng: random.Random) -> str:
    """A quotable sentence of 40 to 150 characters, without a final full stop."""
    text = f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}{rng.choice(TAILS)}"
    if rng.random() < 0.45:
        text += f"{rng.choice(CONNECTIVES)}{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}"
    return text


def per_article(total: int, articles: int, rng: random.Random, spread: float) -> list[int]:
    """Split `total` items over articles with a long tail (log-normal article sizes)."""
    weights = list(accumulate(rng.lognormvariate(0.0, spread) for _ in range(articles)))
    counts = [0] * articles
    for index in rng.choices(range(articles), cum_weights=weights, k=total):
        counts[index] += 1
    return counts


class ArticleBuilder:
    """Writes one synthetic article and records each quote's and claim's offsets into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, text: str) -> int:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start

    def text(self) -> str:
        return "".join(self.parts)


@dataclass(slots=True)
class Ids:
    quote: int = 0
    claim: int = 0
    review: int = 0


class Generator:
    """Deterministic (seeded) rows for articles, quotes, claims and reviews, chunk by chunk."""

    def __init__(
        self, scale: Scale, speakers: Sequence[SpeakerSpec], stamp: Stamp, rng: random.Random
    ) -> None:
        self.scale = scale
        self.speakers = speakers
        self.stamp = stamp
        self.rng = rng
        self.ids = Ids()
        self.tally = Tally()
        # Zipf-like popularity: the speaker of rank r is quoted in proportion to 1 / r**s, and
        # ranks are shuffled so that the busiest speaker is not simply id 1.
        ranks = list(range(1, len(speakers) + 1))
        rng.shuffle(ranks)
        self.cum_popularity = list(accumulate(1.0 / r**scale.zipf for r in ranks))
        self.quote_counts = per_article(scale.quotes, scale.articles, rng, 0.6)
        self.claim_counts = per_article(scale.claims, scale.articles, rng, 0.6)
        self.first_date = datetime(2016, 1, 1, tzinfo=UTC)
        self.span_seconds = (datetime(2026, 1, 1, tzinfo=UTC) - self.first_date).total_seconds()

    def chunks(self) -> Iterator[Chunk]:
        chunk = Chunk()
        for index in range(self.scale.articles):
            self.article(index + 1, self.quote_counts[index], self.claim_counts[index], chunk)
            if len(chunk.articles) >= self.scale.chunk:
                yield chunk
                chunk = Chunk()
        if chunk.articles:
            yield chunk

    def published(self, article_id: int) -> datetime:
        # Mostly ingested in publication order, with some backfilled archive articles.
        rng = self.rng
        if rng.random() < 0.1:
            offset = rng.random() * self.span_seconds
        else:
            offset = article_id / self.scale.articles * self.span_seconds
            offset += rng.gauss(0.0, 3 * 86400)
        # Reflect at the ends rather than clamp, so no pile of articles shares one timestamp.
        offset = abs(offset)
        if offset >= self.span_seconds:
            offset = 2 * self.span_seconds - offset - 1
        return self.first_date + timedelta(seconds=int(offset))

    def article(self, article_id: int, n_quotes: int, n_claims: int, chunk: Chunk) -> None:
        rng, tally = self.rng, self.tally
        published: datetime | None = self.published(article_id)
        ingested = (published or self.first_date) + timedelta(minutes=rng.randint(5, 600))
        if rng.random() < 0.05:  # publication date unknown: listings fall back to ingestion time
            published = None
        sort_date = published or ingested
        stamp = self.stamp(sort_date)
        source, domain = rng.choice(SOURCES)
        city = rng.choice(CITIES).replace("-", " ")
        byline = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"

        cast_size = 1 + min(max(n_quotes - 1, 0), int(rng.expovariate(0.5)))
        cast = rng.choices(self.speakers, cum_weights=self.cum_popularity, k=cast_size)
        said_by: list[SpeakerSpec | None] = [
            None if rng.random() < self.scale.unattributed_share else rng.choice(cast)
            for _ in range(n_quotes)
        ]
        quote_claims = min(n_claims - n_claims * 2 // 5, sum(s is not None for s in said_by))
        narrative_claims = n_claims - quote_claims
        segments = ["q"] * n_quotes + ["c"] * narrative_claims + ["f"] * rng.randint(0, 3)
        rng.shuffle(segments)

        builder = ArticleBuilder()
        headline_speaker = next((s for s in said_by if s is not None), None)
        topic = rng.choice(SUBJECTS)
        if headline_speaker is not None:
            title = f"{headline_speaker.mention} {rng.choice(HEADLINE_VERBS)} {topic}"
        else:
            title = f"{topic[0].upper()}{topic[1:]}: {rng.choice(PREDICATES)}"
        builder.add(f"{city} ({source}) - ")
        body_start = builder.pos
        builder.add(rng.choice(FILLERS))

        mentioned: set[int] = set()
        quote_rows: list[Row] = []
        claim_spans: list[tuple[int, int, str, int | None, int | None]] = []
        quote_index = 0
        for segment in segments:
            builder.add("\n\n" if rng.random() < 0.7 else " ")
            if segment == "f":
                builder.add(rng.choice(FILLERS))
            elif segment == "c":
                claim_text = (
                    f"{rng.choice(METRICS)} {rng.choice(MOVES)} to {rng.uniform(0.5, 40):.1f} "
                    f"percent in {rng.choice(MONTHS)}, {rng.choice(COMPARISONS)}."
                )
                start = builder.add(claim_text)
                claim_spans.append((start, builder.pos, claim_text, None, None))
            else:
                speaker = said_by[quote_index]
                row = self.quote(builder, article_id, quote_index, speaker, mentioned, stamp)
                quote_rows.append(row)
                quote_index += 1
        body_end = builder.pos
        builder.add(
            f"\n\nReporting by {byline}; editing by {rng.choice(FIRST_NAMES)} "
            f"{rng.choice(SURNAMES)}.\n© {sort_date.year} {source}. Story {article_id}."
        )
        text = builder.text()

        attributed = [row for row in quote_rows if row[2] is not None]
        for row in rng.sample(attributed, quote_claims):
            claim_spans.append((row[9], row[10], row[4], row[2], row[0]))
        claim_spans.sort()
        reviewed_claims = 0
        for position, (start, end, claim_text, claimant, quote_id) in enumerate(claim_spans):
            self.ids.claim += 1
            features = {"number": round(rng.uniform(0.1, 0.5), 3)}
            if rng.random() < 0.5:
                features["comparison"] = round(rng.uniform(0.05, 0.3), 3)
            score = min(1.0, round(sum(features.values()) + rng.uniform(0.0, 0.3), 3))
            chunk.claims.append(
                (
                    self.ids.claim,
                    article_id,
                    claimant,
                    quote_id,
                    position,
                    claim_text,
                    start,
                    end,
                    score,
                    json.dumps(features),
                    stamp,
                )
            )
            if rng.random() < self.scale.reviewed_share:
                reviewed_claims += 1
                self.ids.review += 1
                reviewed = sort_date + timedelta(days=rng.randint(1, 20))
                url = f"https://factcheck.example.org/{self.ids.claim}"
                chunk.reviews.append(
                    (
                        self.ids.review,
                        hashlib.sha256(url_key_basis(url, claim_text).encode()).hexdigest(),
                        claim_text,
                        rng.choice(REVIEWERS),
                        url,
                        rng.choice(RATINGS),
                        self.stamp(reviewed),
                        "[]",
                        self.stamp(reviewed),
                        self.stamp(reviewed),
                    )
                )
                # An editor's link, as reviewClaim makes.
                chunk.links.append(
                    (
                        self.ids.claim,
                        self.ids.review,
                        1.0,
                        "editor",
                        "confirmed",
                        self.stamp(reviewed),
                    )
                )

        slug = "-".join(title.lower().split()[:6]).replace("'", "").replace(":", "")
        chunk.articles.append(
            (
                article_id,
                f"https://www.{domain}/{sort_date:%Y/%m/%d}/{slug}-{article_id}",
                title,
                source,
                None if published is None else stamp,
                city,
                byline,
                text,
                body_start,
                body_end,
                hashlib.sha256(text.encode()).hexdigest(),
                "en",
                self.stamp(ingested),
                EXTRACTOR_VERSION,
                stamp,
            )
        )
        chunk.quotes.extend(quote_rows)
        for row in quote_rows:
            if row[2] is not None:
                tally.quotes_per_speaker[row[2]] += 1
        # A typical article for the API benchmark: a dozen quotes, a few claims, one reviewed.
        typical = (min(reviewed_claims, 1), -abs(n_quotes - 12), -abs(len(claim_spans) - 4))
        if typical > tally.sample_score:
            tally.sample_article, tally.sample_score = article_id, typical

    def quote(
        self,
        builder: ArticleBuilder,
        article_id: int,
        position: int,
        speaker: SpeakerSpec | None,
        mentioned: set[int],
        stamp: Any,
    ) -> Row:
        rng = self.rng
        self.ids.quote += 1
        role: str | None = None
        confidence = round(rng.uniform(0.55, 0.99), 3)
        lead = ""
        if speaker is None:
            mention = rng.choice(UNATTRIBUTED)
            confidence = round(rng.uniform(0.2, 0.5), 3)
        elif speaker.id not in mentioned:
            mentioned.add(speaker.id)
            mention = speaker.name
            if speaker.role and rng.random() < 0.6:
                lead, role = f"{speaker.role} ", speaker.role
        elif rng.random() < 0.3:
            mention = speaker.pronoun
            confidence = round(rng.uniform(0.4, 0.8), 3)
        else:
            mention = speaker.mention
        said = sentence(rng)
        roll = rng.random()
        # Sentence-initial mentions are capitalised; the stored mention is what the text shows.
        initial = (lead[:1].upper() + lead[1:]) if lead else ""
        shown = mention if lead else mention[0].upper() + mention[1:]
        if roll < 0.5:
            kind, cue = "direct", rng.choice(DIRECT_CUES)
            text = said[0].upper() + said[1:]
            if rng.random() < 0.6:  # "Text," Name said.
                start = builder.add('"' + text) + 1
                builder.add(f'," {lead}')
                shown = mention
                mention_start = builder.add(shown)
                builder.add(" ")
                cue_start = builder.add(cue)
                builder.add(".")
            else:  # Name said: "Text."
                builder.add(initial)
                mention_start = builder.add(shown)
                builder.add(" ")
                cue_start = builder.add(cue)
                start = builder.add(': "' + text) + 3
                builder.add('."')
        else:
            kind, cue = "indirect", rng.choice(INDIRECT_CUES)
            if roll > 0.85:  # reported speech with a verbatim fragment
                kind = "mixed"
                said = f'{rng.choice(SUBJECTS)} "{rng.choice(PREDICATES)}"'
            text = said
            builder.add(initial)
            mention_start = builder.add(shown)
            builder.add(" ")
            cue_start = builder.add(cue)
            start = builder.add(" that " + text) + 6
            builder.add(".")
        return (
            self.ids.quote,
            article_id,
            None if speaker is None else speaker.id,
            position,
            text,
            kind,
            cue,
            cue_start,
            cue_start + len(cue),
            start,
            start + len(text),
            shown,
            mention_start,
            mention_start + len(shown),
            role,
            confidence,
            stamp,
        )


# --- writers ----------------------------------------------------------------------------------


def _columns(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class Writer:
    """Bulk loader for one backend; rows arrive in foreign-key order."""

    stamp: Stamp
    connection: Any  # psycopg.Connection or sqlite3.Connection

    def write(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Sequences, statistics: what a freshly loaded database needs before it is queried."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class PostgresWriter(Writer):
    """COPY FROM STDIN in one transaction per chunk."""

    def __init__(self, url: URL) -> None:
        self.connection = psycopg.connect(libpq_url(url))

    @staticmethod
    def stamp(value: datetime) -> datetime:
        return value

    def write(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        statement = f'COPY "{table}" ({_columns(columns)}) FROM STDIN'
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def commit(self) -> None:
        self.connection.commit()

    def finish(self) -> None:
        with self.connection.cursor() as cursor:
            for table in TABLES:
                if table == "review_link":
                    continue  # keyed by (claim_id, review_id): no sequence
                cursor.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({name}, 'id'), "
                        "coalesce(max(id), 0) + 1, false) FROM {table}"
                    ).format(name=sql.Literal(table), table=sql.Identifier(table))
                )
        self.connection.commit()
        self.connection.autocommit = True
        # VACUUM as well as ANALYZE: it sets the visibility map (index-only scans) now, instead
        # of autovacuum doing it at some moment in the middle of a benchmark run.
        self.connection.execute("VACUUM (ANALYZE)")

    def close(self) -> None:
        self.connection.close()


class SqliteWriter(Writer):
    """executemany in one big transaction per chunk."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("PRAGMA cache_size=-262144")  # 256 MiB
        self.connection.execute("BEGIN")

    @staticmethod
    def stamp(value: datetime) -> str:
        # The format SQLAlchemy's SQLite DateTime writes (UTC, without an offset).
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def write(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(
            f'INSERT INTO "{table}" ({_columns(columns)}) VALUES ({marks})', rows
        )

    def commit(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.execute("BEGIN")

    def finish(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.execute("ANALYZE")
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.connection.close()


def libpq_url(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def is_protected(database: str) -> bool:
    return database in PROTECTED_DATABASES or database.startswith("quotegraph_test_")


def prepare_postgres(url: URL, *, create: bool, replace: bool) -> None:
    database = url.database or ""
    if is_protected(database):
        sys.exit(f"Refusing to load into {database!r}: it belongs to the test suite.")
    if create:
        with psycopg.connect(libpq_url(url.set(database="postgres")), autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
            ).fetchone()
            if exists is None:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
                print(f"created database {database}")
    if replace:
        # Every table of the public schema, so tables added by later migrations go too.
        with psycopg.connect(libpq_url(url), autocommit=True) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            if tables:
                names = sql.SQL(", ").join(sql.Identifier("public", t) for t in tables)
                connection.execute(sql.SQL("DROP TABLE {} CASCADE").format(names))


def prepare_sqlite(path: Path, *, replace: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if replace:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def ensure_empty(writer: Writer) -> None:
    row = writer.connection.execute("SELECT count(*) FROM article").fetchone()
    if row is not None and row[0]:
        writer.close()
        sys.exit("The database already holds articles; pass --replace to start from scratch.")


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Fill a quotegraph database with synthetic articles, speakers, quotes, claims and "
            "reviews through the project's migrations, without the NLP. PostgreSQL is loaded with "
            "COPY, SQLite with executemany; both get the same rows for the same --seed."
        )
    )
    parser.add_argument(
        "--database-url",
        required=True,
        help="sqlite:///path.db or postgresql://user@host:port/database (psycopg 3).",
    )
    parser.add_argument("--articles", type=int, default=100_000, help="Articles (100000).")
    parser.add_argument("--speakers", type=int, default=20_000, help="Speakers (20000).")
    parser.add_argument("--quotes", type=int, default=1_000_000, help="Quotes (1000000).")
    parser.add_argument("--claims", type=int, default=300_000, help="Claims (300000).")
    parser.add_argument(
        "--reviewed-share",
        type=float,
        default=0.05,
        help="Share of claims with a review (a claim_review row and its link) (0.05).",
    )
    parser.add_argument(
        "--unattributed-share",
        type=float,
        default=0.04,
        help="Share of quotes without a speaker (0.04).",
    )
    parser.add_argument(
        "--zipf",
        type=float,
        default=1.0,
        help="Exponent s of the speaker popularity 1/rank**s (1.0: busiest ~9%% of quotes).",
    )
    parser.add_argument("--seed", type=int, default=20261125, help="Random seed (20261125).")
    parser.add_argument(
        "--chunk", type=int, default=5_000, help="Articles per COPY batch / transaction (5000)."
    )
    parser.add_argument(
        "--create-database",
        action="store_true",
        help="PostgreSQL: create the database when it does not exist.",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help=(
            "Start from scratch: drop every table of the public schema (PostgreSQL; refused for "
            "the test databases) or delete the file (SQLite)."
        ),
    )
    args = parser.parse_args(argv)
    if min(args.articles, args.speakers) < 1 or min(args.quotes, args.claims) < 0:
        parser.error("--articles and --speakers must be positive, --quotes and --claims >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    scale = Scale(
        articles=args.articles,
        speakers=args.speakers,
        quotes=args.quotes,
        claims=args.claims,
        reviewed_share=args.reviewed_share,
        unattributed_share=args.unattributed_share,
        zipf=args.zipf,
        seed=args.seed,
        chunk=args.chunk,
    )
    url = make_url(normalise_url(args.database_url))
    started = time.perf_counter()
    writer: Writer
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            sys.exit("Give an SQLite file: sqlite:///path/to/bench.db")
        prepare_sqlite(Path(url.database), replace=args.replace)
    else:
        prepare_postgres(url, create=args.create_database, replace=args.replace)
    upgrade(url.render_as_string(hide_password=False))
    migrated = time.perf_counter()
    print(f"migrations        {migrated - started:8.1f} s")

    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        writer = SqliteWriter(Path(url.database))
    else:
        writer = PostgresWriter(url)
    ensure_empty(writer)
    try:
        rng = random.Random(scale.seed)
        speakers = make_speakers(scale.speakers, rng)
        rows, aliases = speaker_rows(speakers, writer.stamp, datetime(2016, 1, 1, tzinfo=UTC))
        writer.write("speaker", SPEAKER_COLUMNS, rows)
        writer.write("speaker_alias", ALIAS_COLUMNS, aliases)
        writer.commit()
        loaded_speakers = time.perf_counter()
        print(
            f"speakers          {loaded_speakers - migrated:8.1f} s  "
            f"({len(rows)} speakers, {len(aliases)} aliases)"
        )

        generator = Generator(scale, speakers, writer.stamp, rng)
        generating = writing = 0.0
        tick = time.perf_counter()
        counts = Counter[str]()
        progress = sys.stdout.isatty()
        for chunk in generator.chunks():
            made = time.perf_counter()
            generating += made - tick
            writer.write("article", ARTICLE_COLUMNS, chunk.articles)
            writer.write("quote", QUOTE_COLUMNS, chunk.quotes)
            # Each synthetic quote is one piece: its fragment is its whole span.
            writer.write(
                "quote_fragment",
                FRAGMENT_COLUMNS,
                [(q[0], 0, q[4], q[9], q[10]) for q in chunk.quotes],
            )
            writer.write("claim", CLAIM_COLUMNS, chunk.claims)
            writer.write("claim_review", REVIEW_COLUMNS, chunk.reviews)
            writer.write("review_link", LINK_COLUMNS, chunk.links)
            writer.commit()
            tick = time.perf_counter()
            writing += tick - made
            counts.update(
                article=len(chunk.articles),
                quote=len(chunk.quotes),
                claim=len(chunk.claims),
                review=len(chunk.reviews),
            )
            if not progress:
                continue
            print(
                f"\r  {counts['article']:>9} articles {counts['quote']:>9} quotes "
                f"{counts['claim']:>8} claims  {tick - loaded_speakers:6.1f} s",
                end="",
                flush=True,
            )
        if progress:
            print()
        loaded = time.perf_counter()
        print(
            f"articles..reviews {loaded - loaded_speakers:8.1f} s  (generate {generating:.1f} s, "
            f"write {writing:.1f} s; {counts['article']} articles, {counts['quote']} quotes, "
            f"{counts['claim']} claims, {counts['review']} reviews)"
        )
        # Loaded around the services: the counters they keep are filled from the rows here.
        counting = time.perf_counter()
        dialect = "postgresql" if isinstance(writer, PostgresWriter) else "sqlite"
        if dialect == "sqlite":
            # Statistics first: without them SQLite plans the co-quoted pairs (a join of two
            # DISTINCT subqueries of the speech_quote view) as a nested loop of full scans
            # without its automatic index, quadratic in the quotes (over 11 minutes at 1M
            # without an end in sight; with ANALYZE it builds the index on article_id).
            writer.connection.execute("ANALYZE")
        for statement in rebuild_statements(dialect):
            writer.connection.execute(statement)
        writer.commit()
        print(f"counters          {time.perf_counter() - counting:8.1f} s")
        writer.finish()
    finally:
        writer.close()
    finished = time.perf_counter()
    print(f"analyze           {finished - loaded:8.1f} s")
    print(f"total             {finished - started:8.1f} s")
    report(speakers, generator.tally)


def report(speakers: Sequence[SpeakerSpec], tally: Tally) -> None:
    """Names and ids for benchmarks/api.py (which can also find them itself)."""
    by_id = {s.id: s for s in speakers}
    ranked = tally.quotes_per_speaker.most_common()
    busiest, busiest_count = ranked[0] if ranked else (speakers[0].id, 0)
    # A rare speaker: the fewest quotes (but some), lowest id among equals.
    rare, rare_count = min(((i, n) for i, n in ranked if n > 0), key=lambda p: (p[1], p[0]))
    article = tally.sample_article
    print(f"busiest speaker   {by_id[busiest].name!r} ({busiest_count} quotes)")
    print(f"rare speaker      {by_id[rare].name!r} ({rare_count} quotes)")
    if article is not None:
        global_id = base64.b64encode(f"Article:{article}".encode()).decode()
        print(f"sample article    {article} (global id {global_id})")


if __name__ == "__main__":
    main()
