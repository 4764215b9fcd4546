"""The rule registry: every extraction rule's id, stage, confidence and the example it exists for.

A rule is declared once, with `@rule(...)` on the function that is the rule, or with
`declare(...)` for a rule that is still a branch of a longer function (the cue verb rules
of rules/cues/verbs.py). Each quote records the rule that made its
span (`QuoteSpan.rule`) and the rule that chose its speaker (`QuoteSpan.speaker_rule`);
`extract(text, disabled={...})` switches rules off by id, so each can be measured by what the
output loses without it (`quotegraph eval --ablate RULE`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal, TypeVar

Stage = Literal[
    "names", "cue", "mention", "content", "report", "layout", "direct", "resolve", "speakers"
]
"""Where a rule acts, in pipeline order: registering the people and organisations each
paragraph names, finding cues in the parse, reading the speaker mention a cue's subject
heads, choosing the span a cue reports, turning reported clauses into quotes, quotes set off
by layout, linking quotation marks to cues, choosing the speaker a mention stands for, and
revising speakers once all quotes are known."""
STAGES: tuple[Stage, ...] = (
    "names",
    "cue",
    "mention",
    "content",
    "report",
    "layout",
    "direct",
    "resolve",
    "speakers",
)

LEARNED = "learned"
"""The `rule` of a quote whose cue the learned model proposed (app/extraction/learned)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One named rule: what it is, where it acts and how far its output is trusted."""

    id: str
    stage: Stage
    example: str
    """An invented sentence the rule exists for."""
    confidence: float | None = None
    """The attribution confidence the rule gives; None when it takes another rule's (a
    cue rule's quote is as sure as the speaker its mention resolves to)."""
    also: Mapping[str, float] = field(default_factory=dict)
    """Other confidences the rule gives in named situations (e.g. gender unknown)."""
    description: str = ""
    filter: bool = False
    """A rule that drops candidates rather than making them: it stamps nothing, and only
    switching it off (--ablate) shows its worth."""
    function: Callable[..., object] | None = None
    """The function that is the rule, for rules declared with @rule."""


RULES: dict[str, Rule] = {}
"""Every declared rule by id, in declaration order."""

_F = TypeVar("_F", bound=Callable[..., object])


def declare(
    rule_id: str,
    *,
    stage: Stage,
    example: str,
    confidence: float | None = None,
    also: Mapping[str, float] | None = None,
    description: str = "",
    filter: bool = False,
    function: Callable[..., object] | None = None,
) -> Rule:
    """Register a rule by id; an id may be declared only once."""
    if rule_id in RULES or rule_id == LEARNED:
        raise ValueError(f"rule {rule_id!r} declared twice")
    if stage not in STAGES:
        raise ValueError(f"rule {rule_id!r}: unknown stage {stage!r}")
    declared = Rule(
        rule_id, stage, example, confidence, dict(also or {}), description, filter, function
    )
    RULES[rule_id] = declared
    return declared


def rule(
    rule_id: str,
    *,
    stage: Stage,
    example: str,
    confidence: float | None = None,
    also: Mapping[str, float] | None = None,
    filter: bool = False,
) -> Callable[[_F], _F]:
    """Declare the decorated function as the rule `rule_id` (its docstring describes it)."""

    def register(function: _F) -> _F:
        doc = (function.__doc__ or "").strip().split("\n\n")[0]
        declare(
            rule_id,
            stage=stage,
            example=example,
            confidence=confidence,
            also=also,
            description=" ".join(doc.split()),
            filter=filter,
            function=function,
        )
        return function

    return register


def implementations(order: Iterable[str]) -> tuple[tuple[str, Callable[..., object]], ...]:
    """(id, function) of each rule of a stage's order, checked to be declared with @rule."""
    out: list[tuple[str, Callable[..., object]]] = []
    for rule_id in order:
        function = RULES[rule_id].function
        if function is None:
            raise ValueError(f"rule {rule_id!r} has no function of its own")
        out.append((rule_id, function))
    return tuple(out)


class UnknownRule(ValueError):
    """A rule id that no rule has."""


def checked_disabled(disabled: Iterable[str] | None) -> frozenset[str]:
    """The rule ids to switch off, each checked to exist."""
    ids = frozenset(disabled or ())
    unknown = sorted(ids - RULES.keys())
    if unknown:
        raise UnknownRule(
            f"unknown rule id(s): {', '.join(unknown)}; see `quotegraph rules` or "
            "app.extraction.rules.RULES"
        )
    return ids


def confidence(rule_id: str, situation: str | None = None) -> float:
    """The confidence a declared rule gives (in a named situation, if given)."""
    declared = RULES[rule_id]
    if situation is not None:
        return declared.also[situation]
    if declared.confidence is None:
        raise KeyError(f"rule {rule_id!r} declares no confidence of its own")
    return declared.confidence


_SWITCHED_OFF: ContextVar[frozenset[str]] = ContextVar("switched_off", default=frozenset())


def switched_off() -> frozenset[str]:
    """The rule ids switched off for the article being built (for rules deep in helpers that
    many callers share, such as the mention sieves, which no `disabled` argument reaches)."""
    return _SWITCHED_OFF.get()


@contextmanager
def switching_off(ids: frozenset[str]) -> Iterator[None]:
    """Switch the rules `ids` off for the code run inside the block."""
    token = _SWITCHED_OFF.set(ids)
    try:
        yield
    finally:
        _SWITCHED_OFF.reset(token)


_FIRED: ContextVar[set[str] | None] = ContextVar("fired", default=None)


def fired(rule_id: str) -> None:
    """Note, under `tracing()`, that a rule decided something here (or would have, were it on):
    a quote, a cue, a span, a mention, a speaker, a drop. Outside tracing it does nothing."""
    seen = _FIRED.get()
    if seen is not None:
        seen.add(rule_id)


def traced(applies: bool, rule_id: str, disabled: frozenset[str]) -> bool:
    """Whether a rule written as a condition inside a longer function acts: it applies and is
    switched on. That it applied is noted under `tracing()` either way."""
    if applies:
        fired(rule_id)
    return applies and rule_id not in disabled


@contextmanager
def tracing() -> Iterator[set[str]]:
    """The ids of the rules that decided something in the code run inside the block.

    A rule that never decided anything on a set of articles cannot change their output when
    it is switched off (the sieve after it sees what it saw), so a per-rule ablation can
    skip it (benchmarks/rules_report.py)."""
    seen: set[str] = set()
    token = _FIRED.set(seen)
    try:
        yield seen
    finally:
        _FIRED.reset(token)
