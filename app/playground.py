"""The GraphiQL playground's opening example: all quotes by a speaker that exists."""

from __future__ import annotations

import json
import threading

import sqlalchemy as sa

from app.db.engine import make_session, read_write_stamp
from app.services.showcase import most_quoted_speaker

EXAMPLE_QUERY = """\
# Welcome to quotegraph: who said what in the news.
#
# All quotes by a speaker, newest first. The name in
# Variables (below) matches the full name or any
# alias, ignoring case and accents.
#
# Run it: Ctrl-Enter or the pink button.
# Next page: set "after" to this page's endCursor.
# Every type and field: the docs (book icon, left).
# More examples: examples/queries.graphql.
# The quote explorer: the page at / on this server.

query QuotesBySpeaker(
  $speaker: String!
  $first: Int = 10
  $after: String
) {
  quotes(speaker: $speaker, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        text
        kind
        cue
        confidence
        date
        speaker {
          name
          role
        }
        article {
          title
          url
        }
      }
    }
  }
}
"""
# With an empty database: a name the sample article (examples/) has.
FALLBACK_SPEAKER = "Netanyahu"

# Markers in Strawberry's GraphiQL page (strawberry/static/graphiql.html) that this replaces.
_QUERY_START = "const EXAMPLE_QUERY = `"
_QUERY_END = "`;\n"
_VARIABLES = "parameters.variables,"


def example_variables(speaker: str | None) -> str:
    """The example's variables as the editor shows them (pretty JSON)."""
    return json.dumps({"speaker": speaker or FALLBACK_SPEAKER, "first": 10}, indent=2)


def _js_string(text: str) -> str:
    """A JavaScript string literal safe inside a <script> element."""
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")


def with_example(html: str, speaker: str | None) -> str:
    """The playground page opening on EXAMPLE_QUERY with variables for `speaker` (unless the
    URL carries a query of its own, as shared playground links do)."""
    start = html.find(_QUERY_START)
    end = html.find(_QUERY_END, start + len(_QUERY_START))
    if start < 0 or end < 0 or html.count(_VARIABLES) != 1:
        raise RuntimeError("the GraphiQL page changed: its example query was not found")
    query = f"const EXAMPLE_QUERY = {_js_string(EXAMPLE_QUERY)};\n"
    variables = f"const EXAMPLE_VARIABLES = {_js_string(example_variables(speaker))};\n"
    html = html[:start] + query + variables + html[end + len(_QUERY_END) :]
    return html.replace(_VARIABLES, "parameters.variables || EXAMPLE_VARIABLES,")


class PlaygroundExample:
    """The playground page with the example speaker chosen at serve time: the most quoted one,
    looked up again only after a write (the write stamp moved)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._stamp: int | None = None
        self._speaker: str | None = None

    def speaker(self) -> str | None:
        stamp = read_write_stamp(self.engine)
        with self._lock:
            if stamp == self._stamp:
                return self._speaker
        with make_session(self.engine) as session:
            speaker = most_quoted_speaker(session)
        with self._lock:
            self._stamp, self._speaker = stamp, speaker
        return speaker

    def page(self, html: str) -> str:
        return with_example(html, self.speaker())
