"""Shared test data: invented wire stories and the queries the tests send."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
STORY = (FIXTURES / "harbour_story.txt").read_text(encoding="utf-8")
FOLLOWUP = (FIXTURES / "harbour_followup.txt").read_text(encoding="utf-8")

# A quote its cue interrupts, evidence (a survey's finding) and one more quote; invented.
PIER_STORY = (
    "PORTSMOUTH - The harbour reopened to shipping on Monday after a week of repairs.\n\n"
    '"We will rebuild the pier," said Harbour Minister Elena Vasquez. "It will take two '
    'years."\n\n'
    "A survey by the port authority shows that most dock workers feel unsafe on the pier.\n\n"
    '"The crews have done remarkable work," Vasquez added.'
)

INGEST = """
mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) {
    created
    article { id title publishedAt dateline text }
    quotes {
      id text kind cue start end confidence speakerStart speakerEnd speaker { id name }
      attributionClass fragments { text start end }
    }
    speakers { id name role kind }
    claims { id text start end score claimant { name } }
  }
}
"""

QUOTES_BY_SPEAKER = """
query Quotes($speaker: String, $first: Int, $after: String, $last: Int, $before: String) {
  quotes(speaker: $speaker, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id text kind date speaker { name } article { id title } } }
  }
}
"""


def ingest_input(text: str, **extra: object) -> dict[str, object]:
    return {"text": text, **extra}


def numbered_story(number: int) -> str:
    """A short wire story, different for every number, always quoting the same minister."""
    return (
        f'"We will finish section {number} of the pier by spring," Harbour Minister Elena '
        f'Vasquez said on day {number}.\n\n"Section {number} is safe," Vasquez added.'
    )


def extract_with_pid(text: str) -> tuple[int, Any]:
    """The extraction with the id of the process that made it. Here, not in a test module, so
    a spawned pool worker that unpickles it imports nothing heavy."""
    from app.extraction import extract

    return os.getpid(), extract(text)
