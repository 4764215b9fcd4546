"""Resolve rules for documents and findings: whoever issued or wrote them speaks."""

from __future__ import annotations

from app.extraction.lexicon import RESEARCH_NOUNS, STATEMENT_NOUNS
from app.extraction.linking import Attribution, found
from app.extraction.rules import rule
from app.extraction.rules.resolve.context import Lookup


@rule(
    "issuer_noun",
    stage="resolve",
    confidence=0.6,
    example="The parole board met. The parole board decision said ...",
)
def issuer_noun(lookup: Lookup) -> Attribution | None:
    """A document named with its issuer's noun: the organisation of that noun named before."""
    d = lookup.description
    if not d.document or d.words[0] != "the" or d.issuer_noun is None:
        return None
    start = lookup.mention.start
    issuer = lookup.book.described_organisation(start, d.issuer_noun, window=start, recent=False)
    if issuer is None:
        return None
    return found(lookup.new_group(issuer), lookup.mention, "issuer_noun")


@rule(
    "document_author",
    stage="resolve",
    confidence=0.6,
    example="Doe wrote in a blog post that ... According to the post, ...",
)
def document_author(lookup: Lookup) -> Attribution | None:
    """'the post', 'this report': the author the document was introduced with."""
    d = lookup.description
    if not d.document or d.words[0] not in {"the", "this"} or d.named_by:
        return None
    builder = lookup.builder
    author_mention = builder._document_antecedent_author(lookup.mention.start, d.words[-1])
    if author_mention is None:
        return None
    author = builder.resolve(author_mention)
    if author.entity is None:
        return None
    return found(author.entity, lookup.mention, "document_author")


@rule(
    "research_affiliation",
    stage="resolve",
    confidence=0.6,
    example="said Jo Wu, a researcher at Dixon Hall. According to the findings, ...",
)
def research_affiliation(lookup: Lookup) -> Attribution | None:
    """'the findings' right after a researcher of an organisation spoke: that
    organisation's."""
    d = lookup.description
    if d.head not in RESEARCH_NOUNS or d.words[0] in {"a", "an", "his", "her", "their"}:
        return None
    affiliation = lookup.builder._affiliation_quoted_last(lookup.mention.start)
    if affiliation is None:
        return None
    return found(affiliation, lookup.mention, "research_affiliation")


@rule(
    "document_issuer",
    stage="resolve",
    confidence=0.6,
    example="The union said ... The statement also said ...",
)
def document_issuer(lookup: Lookup) -> Attribution | None:
    """'the statement': the organisation just quoted issued it. Not 'a report' (a new one),
    nor a phrase naming its source ('the Globe report')."""
    d = lookup.description
    if not d.document or d.words[0] not in {"the", "this", "its"} or d.named_by:
        return None
    author = lookup.builder._document_issuer(lookup.mention.start)
    return found(author, lookup.mention, "document_issuer") if author is not None else None


@rule(
    "statement_issuer",
    stage="resolve",
    confidence=0.55,
    example="Gatsby said its director was killed. A statement said ...",
)
def statement_issuer(lookup: Lookup) -> Attribution | None:
    """'a statement' within 300 characters of an organisation quoted: that organisation's."""
    d = lookup.description
    if not d.document or d.words[0] not in {"a", "an"} or d.words[-1] not in STATEMENT_NOUNS:
        return None
    author = lookup.builder._document_issuer(lookup.mention.start, window=300)
    return found(author, lookup.mention, "statement_issuer") if author is not None else None
