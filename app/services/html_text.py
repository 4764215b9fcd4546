"""HTML pages to article text: the story's paragraphs, without scripts, navigation or forms."""

from __future__ import annotations

import re

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


def html_to_text(html: str) -> tuple[str, str | None]:
    """(paragraphs separated by blank lines, the page's headline if it has one).

    Scripts, navigation, headers, footers, asides, forms and figure captions are dropped; the
    story is the <article> when there is one. A byline the page marks up (or its author meta
    tag) opens the text as "By ...", where extraction reads it as metadata.
    """
    tree = LexborHTMLParser(html)
    title = _title(tree)
    byline = _byline(tree)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.body or tree.root
    if root is None:
        return "", title
    for node in root.css(_INNER_BLOCKS):
        # "Mayor<br>Ruth Kell", "<p>Stay home.</p>&mdash; Police": keep the words apart.
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
    if byline and paragraphs and not _BYLINE_PREFIX.match(paragraphs[0]):
        paragraphs.insert(0, f"By {byline}")
    return "\n\n".join(p for p in paragraphs if p), title or None
