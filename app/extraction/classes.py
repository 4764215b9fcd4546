"""The class of an attribution (speech, belief or intention, evidence), from its cue and source.

PolNeAR annotates all three; GenderGapTracker counts speech only, so `--scheme ggt` keeps
speech and `--scheme polnear` keeps every class (see the README's command line table).
"""

from __future__ import annotations

from app.extraction.types import AttributionClass

ATTRIBUTION_CLASSES: tuple[AttributionClass, ...] = ("speech", "belief", "evidence")

# Predicates of a mental state or a stance: what someone thinks, wants, plans or backs. Out:
# verbs that also report speech ("argue", "suggest", "predict"), which stay speech.
BELIEF_LEMMAS = frozenset(
    {
        "think",
        "believe",
        "feel",
        "know",
        "want",
        "hope",
        "wish",
        "plan",
        "intend",
        "expect",
        "fear",
        "worry",
        "doubt",
        "suspect",
        "assume",
        "consider",
        "see",
        "view",
        "regard",
        "seem",
        "appear",
        "agree",
        "disagree",
        "support",
        "oppose",
        "endorse",
        "back",
        "favor",
        "favour",
        "prefer",
        "like",
        "love",
        "hate",
        "understand",
        "realize",
        "realise",
        "decide",
        "seek",
        "try",
        "aim",
        "vow",
        "refuse",
        "belief",
        "intention",
        "sure",
        "confident",
        "convinced",
        "aware",
        "likely",
    }
)
# Predicates whose source is a record rather than a person speaking: "a poll shows", "the
# report found", "records indicate".
EVIDENCE_LEMMAS = frozenset({"show", "find", "indicate", "reveal", "suggest", "confirm"})
EVIDENCE_SOURCES = frozenset(
    {
        "poll",
        "polls",
        "average",
        "averages",
        "survey",
        "surveys",
        "report",
        "reports",
        "study",
        "studies",
        "data",
        "record",
        "records",
        "filing",
        "filings",
        "document",
        "documents",
        "analysis",
        "figures",
        "results",
        "research",
        "statistics",
        "numbers",
        "review",
        "audit",
    }
)


def source_head(mention: str) -> str | None:
    """The head word of a source's words: the last before an "of" phrase ("a new poll of
    likely voters" is a poll, "a survey of 1,000 adults" a survey), else the last."""
    words = mention.split()
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    return words[-1] if words else None


def attribution_class(lemma: str | None, source_head: str | None) -> AttributionClass:
    """Evidence when a record shows or finds; belief for mental states and stances; else speech."""
    word = (lemma or "").lower()
    head = (source_head or "").lower()
    if word == "in":
        # The cue of a clause resting on a record, whoever made it ("In the latest poll, the
        # mayor leads by six points", "In a survey by the Hartwell Institute, ..."): rule
        # in_evidence, which only reads records.
        return "evidence"
    if word in EVIDENCE_LEMMAS and head in EVIDENCE_SOURCES:
        return "evidence"
    if word in {"show", "indicate", "reveal"}:
        return "evidence"
    if word in BELIEF_LEMMAS:
        return "belief"
    return "speech"
