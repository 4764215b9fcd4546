"""HTML pages to article text: the story's paragraphs, without scripts, navigation or forms."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_HTML_START = re.compile(r"^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_TAGS = re.compile(r"</?(p|div|span|a|br|h[1-6]|li|ul|article|section|em|strong)\b[^>]*>", re.I)
_DROP = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button"
_BLOCKS = "h2, h3, h4, h5, h6, p, li, blockquote, pre, figcaption"  # h1 is the title


def looks_like_html(text: str) -> bool:
    """A whole HTML document, or text dense with markup, rather than prose."""
    head = text[:2000]
    return bool(_HTML_START.match(head)) or len(_TAGS.findall(head)) >= 5


def html_to_text(html: str) -> tuple[str, str | None]:
    """(paragraphs separated by blank lines, the page title if it has one)."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title") or tree.css_first("h1")
    title = " ".join(title_node.text().split()) if title_node else None
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.body or tree.root
    if root is None:
        return "", title
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
    return "\n\n".join(p for p in paragraphs if p), title or None
