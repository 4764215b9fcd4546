"""Content sieve "complement_clause": the clause the cue takes as its complement, with
the coordinated clauses, reasons and openers that continue it."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import (
    _CONTENT_DEPS,
    _SUBJECT_DEPS,
    _WH_WORDS,
    REPORTING_VERBS,
    _condition_of_content,
    _conjoined_before,
    _continues_content,
    _goes_on_in_cue_tense,
    _misparsed_complement,
    _narrative_conjunct,
    _opening_clause_of_report,
    _opens_adverbial,
    _phrasal_predicate,
    _second_report,
    _span_chars,
    _stranded_cue,
    _with_object_as_subject,
    _without_closing_gloss,
    _without_dash_comment,
    _without_participle_cues,
    _without_relative_report,
    _without_second_report,
    _without_speaker_conjunct,
    _without_speakers_refusal,
)
from app.extraction.rules import rule
from app.extraction.rules.content.sieve import PASS, Verdict


@rule(
    "complement_clause",
    stage="content",
    example="The mayor said the bridge would reopen in May.",
)
def complement_clause(verb: Token, offset: int) -> Verdict:
    """The cue's complement clause: after the verb ("said the bridge would reopen"), or
    before it when it has a subject of its own ("The bridge is safe, she said"), extended
    over what continues it ("says A, but B") and cut before a second report."""
    lemma = verb.lemma_.lower()
    # A clause after the verb is the usual content; one before it ("X is ready, she said")
    # only counts when it has a subject of its own (not "Writing for the paper, X noted").
    children = sorted(verb.children, key=lambda c: (c.i < verb.i, c.i))
    for child in children:
        if child.i < verb.i and not any(
            c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for c in child.children
        ):
            continue
        if child.i < verb.i and _stranded_cue(child) is not None:
            continue  # "While he admitted X was true, Y noted ...": X is the first cue's
        if (
            child.i < verb.i
            and child.lemma_.lower() in REPORTING_VERBS
            and any(c.dep_ in _CONTENT_DEPS for c in child.children)
            and not _conjoined_before(child, verb)
        ):
            continue  # "He said A, he said": the first cue reports A, the second adds nothing
        clause = (
            child.dep_ in _CONTENT_DEPS
            or _misparsed_complement(child, verb)
            or (
                # "said having X back was a boost": an xcomp carrying its own finite clause.
                child.dep_ == "xcomp"
                and verb.lemma_.lower() in {"say", "tell"}
                and any(t.dep_ == "nsubj" for t in child.subtree)
            )
        )
        if not clause:
            continue
        tokens = _without_participle_cues(child)
        if len(tokens) < 3 or not (
            any(t.pos_ in {"VERB", "AUX"} for t in tokens) or _phrasal_predicate(child)
        ):
            continue
        tokens = _with_object_as_subject(verb, child, tokens)
        first = next((t for t in tokens if not t.is_punct), tokens[0])
        if child.i > verb.i and first.i < verb.i and first.lower_ in _WH_WORDS:
            # "the mill, which she says she will keep open", "what he says the plan would
            # do": a relative word fronted over the cue; the clause after the cue is the
            # report, not an embedded question.
            tokens = [t for t in tokens if t.i > verb.i]
            if len(tokens) < 3 or not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
                continue
            first = next((t for t in tokens if not t.is_punct), tokens[0])
        if (
            first.lower_ in _WH_WORDS
            and first.lower_ != "that"
            and not _opens_adverbial(first, child)
            and not (lemma in {"tell", "explain"} and first.lower_ in {"how", "why", "what"})
        ):
            continue  # an embedded question ("asked what he would do") reports no statement
        if child.i > verb.i:
            # "X says A, but B": a coordinated clause after the content continues the report,
            # unless it has a reporting verb of its own ("..., and added that ...").
            for sibling in verb.rights:
                if sibling.i <= child.i or sibling.dep_ not in {"conj", "cc", "ccomp"}:
                    continue
                if any(
                    c.dep_ == "advcl"
                    and c.tag_ == "VBG"
                    and c.lemma_.lower() in REPORTING_VERBS
                    and child.i < c.i < sibling.i
                    for c in verb.children
                ):
                    break  # "said A, noting B, and C": C goes with the participle's report
                if sibling.dep_ == "ccomp":
                    # "says he drank too much, used drugs and ...": the parser may hang
                    # the later verbs of one clause on the cue as more complements.
                    # "said she feels voting no was an error": a second complement right
                    # after the first, with nothing between, is the same clause.
                    adjacent = sibling.left_edge.i == max(t.i for t in tokens) + 1
                    adjacent = adjacent and sibling.lemma_.lower() not in REPORTING_VERBS
                    if any(t.dep_ in _SUBJECT_DEPS for t in sibling.children) and not adjacent:
                        break
                    if _second_report(sibling, {sibling.head.i}, ("conj", "ccomp")):
                        break  # "said A and warned that B": a report of its own
                    tokens.extend(sibling.subtree)
                    continue
                if sibling.dep_ == "conj" and (
                    sibling.lemma_.lower() in REPORTING_VERBS
                    or (
                        not any(t.dep_ in _SUBJECT_DEPS | {"expl"} for t in sibling.children)
                        and not _continues_content(sibling, child, verb)
                    )
                    # "He told her A, but she proved him wrong": narrative, not the report.
                    or _narrative_conjunct(sibling, verb)
                    or _goes_on_in_cue_tense(sibling, child, verb)
                ):
                    break
                tokens.extend(sibling.subtree)
        if child.i > verb.i:
            tokens = _without_speaker_conjunct(tokens, child, verb)
            tokens = _without_speakers_refusal(tokens, child)
            tokens = [*_opening_clause_of_report(verb, child), *tokens]
        if child.i > verb.i:
            # "said the claim was hypocritical, because Democrats had ...": the parser may
            # hang the reason on the cue, but it comes after the report and belongs to it.
            end = max(t.i for t in tokens)
            for sibling in verb.rights:
                gap = [t for t in verb.doc[end + 1 : sibling.left_edge.i]]
                if (
                    sibling.dep_ == "advcl"
                    and sibling.i > end
                    and all(t.is_punct for t in gap)
                    and _condition_of_content(sibling, child, verb)
                ):
                    tokens = [*tokens, *sibling.subtree]
        if child.i < verb.i and _conjoined_before(child, verb):
            # "X had told them A, but B, the source added": both clauses are the report.
            for sibling in verb.lefts:
                if sibling.i > child.i and sibling.dep_ in _CONTENT_DEPS:
                    tokens = sorted({*tokens, *sibling.subtree}, key=lambda t: t.i)
        if child.i > verb.i and verb.dep_ == "advcl" and verb.tag_ == "VBG":
            # "said A, noting B, and C": the parser hangs C on the first cue; it continues
            # the participle's report.
            end = max(t.i for t in tokens)
            for sibling in verb.head.rights:
                if (
                    sibling.i > end
                    and sibling.dep_ == "conj"
                    and sibling.lemma_.lower() not in REPORTING_VERBS
                    and any(c.dep_ in _SUBJECT_DEPS | {"expl"} for c in sibling.children)
                ):
                    tokens = [*tokens, *sibling.subtree]
                    break
        # A clause to the left ("X is ready, she said") ends at the comma before the cue.
        tokens = _without_relative_report(_without_closing_gloss(tokens))
        return _span_chars(_without_second_report(_without_dash_comment(tokens), verb), offset)
    return PASS
