"""HTML pages to article text: the story's paragraphs, without scripts, navigation, share bars,
newsletter boxes, related stories, comments or ads; and the page's headline, author and date."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import trafilatura
from selectolax.lexbor import LexborHTMLParser

_HTML_START = re.compile(r"^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_TAGS = re.compile(r"</?(p|div|span|a|br|h[1-6]|li|ul|article|section|em|strong)\b[^>]*>", re.I)
_DROP = (
    "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, "
    "figcaption"
)
_BLOCKS = "h2, h3, h4, h5, h6, p, li, blockquote, pre"  # h1 is the title


def looks_like_html(text: str) -> bool:
    """A whole HTML document, or text dense with markup, rather than prose."""
    head = text[:2000]
    return bool(_HTML_START.match(head)) or len(_TAGS.findall(head)) >= 5


@dataclass(frozen=True, slots=True)
class Page:
    """What a page gives an article: its story text and the metadata the page declares."""

    text: str
    title: str | None = None
    byline: str | None = None
    published_at: datetime | None = None
    extractor: str = "trafilatura"
    """Which path produced the text: "trafilatura", or "fallback" (the selectolax reader)."""


# Where pages keep the author: the first match gives the byline.
_BYLINE_NODES = (
    '[itemprop="author"] [itemprop="name"]',
    '[itemprop="author"]',
    '[rel="author"]',
    ".byline",
    ".author",
)
_BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)
# Block elements whose end must part the words around it when a block is flattened.
_INNER_BLOCKS = "p, div, li, br, h1, h2, h3, h4, h5, h6, tr, td"
# A line that points at another story ("Read more: Ministers say ..."), which trafilatura keeps
# when the page puts it among the story's paragraphs: its headline would read as a quote.
_TEASER = re.compile(
    r"^\s*(read more|read also|also read|see also|related|more on this( story)?|recommended|"
    r"watch|listen|most read)\s*[:|\u2013\u2014-]",
    re.IGNORECASE,
)
# Below this share of what the fallback reader keeps, trafilatura is taken to have missed the
# story (a page it does not recognise) and the fallback's text is used instead.
_TOO_LITTLE = 0.25
# trafilatura's XML blocks; children of these are parted by a space when flattened.
_XML_INNER = frozenset({"lb", "p", "item", "head", "row", "cell", "list", "quote"})


def _title(tree: LexborHTMLParser) -> str | None:
    """The headline: og:title, else the <h1>, else <title> (which often carries the site)."""
    meta = tree.css_first('meta[property="og:title"]') or tree.css_first(
        'meta[name="twitter:title"]'
    )
    candidates = [meta.attributes.get("content") if meta else None]
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        candidates.append(node.text() if node else None)
    return next((" ".join(c.split()) for c in candidates if c and c.strip()), None)


def _byline(tree: LexborHTMLParser) -> str | None:
    """The author's name as the page marks it up (or its author meta tag)."""
    for selector in _BYLINE_NODES:
        node = tree.css_first(selector)
        if node is not None:
            text = " ".join(node.text(separator=" ").split())
            if 0 < len(text.split()) <= 12:
                return _BYLINE_PREFIX.sub("", text)
    meta = tree.css_first('meta[name="author"]')
    author = meta.attributes.get("content") if meta else None
    return " ".join(author.split()) if author and author.strip() else None


def _json_ld(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    """Every object in the page's JSON-LD blocks, @graph members and lists included."""
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True) or "null")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def _parse_date(value: object) -> datetime | None:
    """An ISO 8601 date or date-time as UTC; a date alone is taken as midnight UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _published_at(tree: LexborHTMLParser) -> datetime | None:
    """The date the page says it was published, with its time when the page gives one:
    article:published_time, then JSON-LD datePublished, then an itemprop or <time pubdate>."""
    for selector in (
        'meta[property="article:published_time"]',
        'meta[name="article:published_time"]',
    ):
        node = tree.css_first(selector)
        if node is not None and (found := _parse_date(node.attributes.get("content"))):
            return found
    for item in _json_ld(tree):
        if found := _parse_date(item.get("datePublished")):
            return found
    for selector, attribute in (
        ('meta[itemprop="datePublished"]', "content"),
        ('[itemprop="datePublished"]', "datetime"),
        ("time[pubdate]", "datetime"),
    ):
        node = tree.css_first(selector)
        if node is not None and (found := _parse_date(node.attributes.get(attribute))):
            return found
    return None


def _xml_paragraphs(body: Any, title: str | None) -> list[str]:
    """The blocks of trafilatura's XML body as paragraphs, minus the headline and teasers."""
    paragraphs: list[str] = []
    for block in body:
        if not isinstance(block.tag, str):
            continue
        items = list(block.iterchildren("item")) if block.tag == "list" else [block]
        for item in items:
            for inner in item.iterdescendants():
                # "Mayor<br>Ines Pardo", "<p>Stay home.</p>&mdash; Police": keep words apart.
                if inner.tag in _XML_INNER:
                    inner.tail = " " + (inner.tail or "")
            text = " ".join("".join(item.itertext()).split())
            if not text or _TEASER.match(text):
                continue
            if block.tag == "head" and title and text == title:
                continue
            paragraphs.append(text)
    return paragraphs


def _fallback_paragraphs(tree: LexborHTMLParser) -> list[str]:
    """The selectolax reader: the <article> (else the body) without scripts, navigation,
    headers, footers, asides, forms and captions, one paragraph per block element."""
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.body or tree.root
    if root is None:
        return []
    for node in root.css(_INNER_BLOCKS):
        if node.tag == "br":
            node.replace_with(" ")
        else:
            node.insert_after(" ")
    paragraphs: list[str] = []
    for block in root.css(_BLOCKS):
        # Skip blocks nested in another block we already take (a <p> inside a <blockquote>).
        if block.parent is not None and block.parent.tag in ("blockquote", "li"):
            continue
        text = " ".join(block.text(deep=True, separator="").split())
        if text:
            paragraphs.append(text)
    if not paragraphs:
        paragraphs = [" ".join(root.text(separator=" ").split())]
    return [p for p in paragraphs if p]


def _trafilatura(html: str) -> Any:
    return trafilatura.bare_extraction(
        html,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=True,
        # The page's own tags only: no search of the URL or free text for something date-like.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _authors(value: str | None) -> str | None:
    """trafilatura's "A; B" as "A and B" (how a byline line reads)."""
    if not value or not value.strip():
        return None
    names = [" ".join(name.split()) for name in value.split(";") if name.strip()]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def read_page(html: str) -> Page:
    """The page's story as paragraphs separated by blank lines, and its metadata.

    trafilatura finds the story and leaves out the page's clutter (share bars, newsletter
    boxes, related stories, comments, cookie banners, captions, ads); when it finds nothing,
    or far less than the whole <article>, the selectolax reader is used instead. A byline
    (the page's markup, else trafilatura's author) opens the text as "By ...", where
    extraction reads it as metadata. The publication date comes from the page's
    article:published_time or JSON-LD datePublished, else trafilatura's date.
    """
    tree = LexborHTMLParser(html)
    title = _title(tree)
    byline = _byline(tree)
    published_at = _published_at(tree)
    document = _trafilatura(html)
    fallback = _fallback_paragraphs(tree)
    paragraphs: list[str] = []
    extractor = "fallback"
    if document is not None and document.body is not None:
        paragraphs = _xml_paragraphs(document.body, title or document.title)
        byline = byline or _authors(document.author)
        published_at = published_at or _parse_date(document.date)
        if sum(map(len, paragraphs)) >= _TOO_LITTLE * sum(map(len, fallback)):
            extractor = "trafilatura"
        else:
            paragraphs = []
    if not paragraphs:
        paragraphs, extractor = fallback, "fallback"
    if byline and paragraphs and not _BYLINE_PREFIX.match(paragraphs[0]):
        paragraphs.insert(0, f"By {byline}")
    return Page("\n\n".join(paragraphs), title or None, byline, published_at, extractor)


def html_to_text(html: str) -> tuple[str, str | None]:
    """(paragraphs separated by blank lines, the page's headline if it has one)."""
    page = read_page(html)
    return page.text, page.title
