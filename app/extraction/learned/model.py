"""The shipped attribution model: loads its JSON weights (checked against the model card's
sha256) and proposes cues the rules missed, each with a probability and a content span."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from app.extraction.attribution import REPORTING_VERBS, Cue, is_mark, relative_subject
from app.extraction.classes import attribution_class
from app.extraction.learned.features import Candidate, candidates
from app.extraction.rules.content import decide_content
from app.extraction.rules.cues.nouns import SPEECH_NOUNS
from app.extraction.speakers import mention_for
from app.extraction.types import AttributionClass

MODEL_FORMAT = "quotegraph-attribution-logreg/1"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution"
WEIGHTS_FILE = "attribution.json"
CARD_FILE = "README.md"
SHORT_CONTENT_THRESHOLD = 0.4
"""The least probability of a learned attribution whose content is two words ("denounced
Trump's comments"); longer contents need the model's threshold. Chosen on the training
split's folds: at 0.4 the F1s equal those at 0.3 with more precision, at 0.5 recall falls."""
_CARD_SHA = re.compile(r"^sha256:\s*`?([0-9a-f]{64})`?\s*$", re.MULTILINE)


class ModelError(RuntimeError):
    """The shipped weights are missing, altered or of an unknown format."""


@dataclass(frozen=True, slots=True)
class AttributionModel:
    """A logistic regression over candidate features; weights by feature name."""

    weights: Mapping[str, float]
    threshold: float
    lexicon: Mapping[str, float] = field(default_factory=dict)
    """The learned cue lexicon: lemma -> share of its occurrences annotated as cues in the
    training split (only lemmas with enough of them)."""
    proposal_thresholds: Mapping[str, float] = field(default_factory=dict)
    """A threshold of its own for a bounding (see features.PROPOSALS); the others use
    `threshold`."""

    speech_threshold: float = 0.0
    """The least probability of a proposal for one of the rules' speech words (said,
    announced, "his claim that"), whose learned attribution is speech: the speech-class
    guard, so the speech view gains nothing below it."""

    def threshold_of(self, proposal: str, lemma: str = "") -> float:
        limit = self.proposal_thresholds.get(proposal, self.threshold)
        if lemma in REPORTING_VERBS or lemma in SPEECH_NOUNS:
            return max(limit, self.speech_threshold)
        return limit

    def probability(self, features: Sequence[str]) -> float:
        z = sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AttributionModel:
        if data.get("format") != MODEL_FORMAT:
            raise ModelError(f"unknown attribution model format {data.get('format')!r}")
        weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
        lexicon = {str(k): float(v) for k, v in dict(data.get("lexicon", {})).items()}
        proposal_thresholds = {
            str(k): float(v) for k, v in dict(data.get("proposal_thresholds", {})).items()
        }
        speech = float(data.get("speech_threshold", 0.0))
        return cls(weights, float(data["threshold"]), lexicon, proposal_thresholds, speech)


def card_sha256(directory: Path = MODEL_DIR) -> str:
    match = _CARD_SHA.search((directory / CARD_FILE).read_text(encoding="utf-8"))
    if match is None:
        raise ModelError(f"{directory / CARD_FILE} states no sha256 line")
    return match.group(1)


def load_model(directory: Path = MODEL_DIR) -> AttributionModel:
    """The weights in `directory`, refused unless their sha256 is the one its card states.

    JSON only: loading runs no code, and nothing is ever downloaded.
    """
    try:
        raw = (directory / WEIGHTS_FILE).read_bytes()
    except OSError as exc:
        raise ModelError(f"attribution model weights missing in {directory}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    expected = card_sha256(directory)
    if digest != expected:
        raise ModelError(
            f"{directory / WEIGHTS_FILE} has sha256 {digest}, its model card states {expected}"
        )
    return AttributionModel.from_json(json.loads(raw))


@functools.lru_cache(maxsize=1)
def shipped_model() -> AttributionModel:
    return load_model()


def rule_cue_tags(doc: Doc, offset: int, rule_cues: Sequence[Cue]) -> dict[int, str]:
    """For each of the rules' cues in a paragraph (by its offset in the paragraph), what the
    rules made of it: the cue rule and, for a verb, the content sieve that decided its
    content ("embedded_question", "negated_or_passive", ... or "none")."""
    starts = {c.start - offset: c.rule or "cue" for c in rule_cues}
    tags: dict[int, str] = {}
    for token in doc:
        rule_id = starts.get(token.idx)
        if rule_id is None:
            continue
        sieve = "-"
        if token.pos_ == "VERB":
            sieve = decide_content(token, offset)[0] or "none"
        tags[token.idx] = rule_id + "|" + sieve
    return tags


def paragraph_candidates(
    doc: Doc, offset: int, rule_cues: Sequence[Cue], lexicon: Mapping[str, float]
) -> Iterator[Candidate]:
    """Candidates of one paragraph whose predicate is not one of the rules' cues."""
    taken = frozenset(c.start - offset for c in rule_cues)
    return candidates(doc, offset, lexicon, taken)


def rule_cue_candidates(
    doc: Doc, offset: int, free_cues: Sequence[Cue], lexicon: Mapping[str, float]
) -> Iterator[Candidate]:
    """Candidates on the rules' cues of one paragraph that made no quote (`free_cues`), each
    marked with what the rules made of it (see `rule_cue_tags`). A negated one ("did not say
    the bridge would close") gets none: PolNeAR annotates it, but stored as the speaker's it
    would say the opposite of what they said."""
    tags = rule_cue_tags(doc, offset, free_cues)
    negated = frozenset(
        t.idx for t in doc if t.idx in tags and any(c.dep_ == "neg" for c in t.children)
    )
    return candidates(doc, offset, lexicon, negated, rule_cues=tags, only=frozenset(tags))


def learned_class(
    lemma: str, source_head: str | None, over_rule_cue: bool = False
) -> AttributionClass:
    """The class of a learned attribution: as `attribution_class` reads any cue, except that
    speech is kept for the rules' speech words (said, told, wrote, "his claim that"), and
    not even for those where the rules saw the word and found no statement reported
    (`over_rule_cue`: "Huawei denied the existence of a link", "she asked if ...",
    "urged the reinvestigation of ..."): a denial, a question or a request is the speaker's
    stance, which GenderGapTracker's annotators, and users asking for quotes, do not count.

    The model learns every predicate PolNeAR annotates, and most it adds are stances and
    intentions, not speech ("hoped to", "ordered officials to", "declined to", "learned that");
    `attribution_class` would call them speech for want of a listed lemma, and put them in
    the speech-only view and in what users read as quotes.
    """
    kind = attribution_class(lemma, source_head)
    if kind != "speech" or (
        not over_rule_cue and (lemma in REPORTING_VERBS or lemma in SPEECH_NOUNS)
    ):
        return kind
    return "belief"


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def admissible_span(
    start: int,
    end: int,
    taken: Sequence[tuple[int, int]],
    quoted: Sequence[tuple[int, int]] = (),
) -> bool:
    """Whether a learned attribution's span leaves alone everything in `taken` (the rules'
    quotes and the cues that made them) and cuts through no quotation in `quoted`: the model
    only adds where the rules found nothing. A span may hold whole quotations ('praised the
    plan as "a breakthrough"' is a mixed report); it may not end or begin inside one."""
    if _overlaps(start, end, taken):
        return False
    return all(e <= start or end <= s or (start <= s and e <= end) for s, e in quoted)


def admissible(
    cue: Cue, taken: Sequence[tuple[int, int]], quoted: Sequence[tuple[int, int]] = ()
) -> bool:
    """Whether a learned cue keeps clear of `taken` and of the quotations, and its content is
    admissible (see admissible_span)."""
    if cue.content is None or _overlaps(cue.start, cue.end, [*taken, *quoted]):
        return False
    return admissible_span(cue.content[0], cue.content[1], taken, quoted)


def _holds_own_source(candidate: Candidate, offset: int) -> bool:
    """Whether a bounding holds the predicate's own source: '"No justice," read the banner
    hung across the gate' reports no "the banner hung across the gate". What is reported
    never holds who reports it; only a `clause` bounding of a raising predicate takes its
    subject in ("The newspaper is expected to endorse ..."), not one of a verb with an object
    ("he challenged voters to consider ..." reports "voters to consider ..."). Left out when
    deciding, not when training: as negatives they teach the model what a loose bounding
    looks like."""
    subject = candidate.subject
    if subject is None:
        return False
    if candidate.proposal == "clause" and not any(
        c.dep_ == "dobj" for c in candidate.token.children
    ):
        return False  # "X seemed to ...": a raising predicate's clause holds its subject
    start, end = candidate.content
    return start <= offset + subject.idx < end


def _relative_of(token: Token, subject: Token, offset: int) -> tuple[int, int] | None:
    """The relative pronoun the predicate's clause has for subject when `subject` is its
    antecedent ("Kamin, who hopes to ...", "who is determined to warn ..."): the mention the
    attribution rests on, as for the rules' cues."""
    clause = token
    for _ in range(4):
        found = relative_subject(clause, offset)
        if found is not None:
            return found
        if clause.head.i in {clause.i, subject.i}:
            return None
        clause = clause.head
    return None


def _unnamed_source(subject: Token, offset: int) -> tuple[int, int] | None:
    """The words of a source that names no speaker ("many", "some of his admirers", "85% of
    Democrats", "the emails"): the subject to its head, with an "of" phrase after it."""
    if is_mark(subject) or subject.lower_ in _EXPLETIVES:
        return None
    last = subject
    of = next((c for c in subject.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        last = max(of.subtree, key=lambda t: t.i)
    doc = subject.doc
    first = subject.i
    # Back to the phrase's left edge, but not over a dash, a conjunction or a complementiser
    # the parse hung on it ("an aggressive - some say ...", "that those who ...").
    while first > subject.left_edge.i:
        before = doc[first - 1]
        if before.is_punct or before.is_space or before.dep_ in {"cc", "mark", "preconj"}:
            break
        if before.lower_ in {"that", "which", "who", "whom", "whose"}:
            break
        first -= 1
    start = offset + doc[first].idx
    return start, offset + last.idx + len(last.text)


_EXPLETIVES = frozenset({"it", "there", "this", "that"})
_RAISING = frozenset({"seem", "appear", "look", "tend", "happen"})


def propose_cues(
    doc: Doc,
    offset: int,
    paragraph: int,
    rule_cues: Sequence[Cue],
    model: AttributionModel,
    *,
    on_rule_cues: bool = False,
) -> list[Cue]:
    """The model's cues for one paragraph: per predicate, its best content bounding, kept when
    its probability reaches the model's threshold. The predicates are those that are not
    `rule_cues`, or with `on_rule_cues` those rule cues themselves (the ones that made no
    quote: the caller knows which)."""
    kept: list[tuple[int, float, Candidate]] = []
    if not model.lexicon:
        return []
    read = rule_cue_candidates if on_rule_cues else paragraph_candidates
    for candidate in read(doc, offset, rule_cues, model.lexicon):
        if _holds_own_source(candidate, offset):
            continue
        p = model.probability(candidate.features)
        if p >= model.threshold_of(candidate.proposal, candidate.token.lemma_.lower()):
            kept.append((candidate.token.i, p, candidate))
    out: list[Cue] = []
    # By predicate, likeliest first (a stable sort: ties keep the candidates' order).
    for _, p, candidate in sorted(kept, key=lambda k: (k[0], -k[1])):
        token = candidate.token
        subject = candidate.subject
        # A raising predicate's subject belongs to its content ("X seemed to ...", "it is
        # expected to ..."): no source; a person's plan or hope ("the candidate plans to be
        # back", "the paper is expected to endorse") is theirs.
        if candidate.proposal == "clause" and (
            subject is None or subject.lower_ in _EXPLETIVES or token.lemma_.lower() in _RAISING
        ):
            subject = None
        elif subject is not None and subject.lower_ == "it" and token.lemma_.lower() in _RAISING:
            subject = None  # "it seems that ...", "it appears ...": nobody's view
        speaker = mention_for(subject, offset) if subject is not None else None
        relative = _relative_of(token, subject, offset) if speaker and subject else None
        source = _unnamed_source(subject, offset) if subject is not None and not speaker else None
        start = offset + token.idx
        clause_start = start
        if subject is not None:
            clause_start = min(start, offset + subject.left_edge.idx)
        out.append(
            Cue(
                start,
                start + len(token.text),
                token.text,
                token.lemma_.lower(),
                paragraph,
                speaker,
                clause_start,
                content=candidate.content,
                needs_clause=True,
                score=round(p, 4),
                over_rule_cue=candidate.rule_cue is not None,
                relative=relative,
                source=source,
            )
        )
    return out


__all__ = [
    "MODEL_DIR",
    "MODEL_FORMAT",
    "SHORT_CONTENT_THRESHOLD",
    "AttributionModel",
    "ModelError",
    "admissible",
    "admissible_span",
    "learned_class",
    "load_model",
    "paragraph_candidates",
    "propose_cues",
    "rule_cue_candidates",
    "rule_cue_tags",
    "shipped_model",
]
