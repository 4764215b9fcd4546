"""The learned attribution model: deterministic training, sha256-checked loading, proposals of
beliefs the rules leave out, attribution classes and the ggt/polnear views."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from app.cli import cli
from app.extraction import Extraction
from app.extraction.classes import attribution_class, source_head
from app.extraction.cleanup import find_layout
from app.extraction.jsonl import prediction_record
from app.extraction.learned.model import (
    AttributionModel,
    ModelError,
    learned_class,
    load_model,
    propose_cues,
    shipped_model,
)
from app.extraction.learned.train import train, write_model
from app.extraction.pipeline import build_extraction
from app.extraction.quotes import find_marked_quotes
from tests.extraction.rules.helpers import LEAD, hand_parse

_SENTENCES = [
    ("Jane Doe", "believes", "the bridge will open in May"),
    ("Omar Diaz", "believes", "the tax cut was a mistake"),
    ("The mayor", "believes", "the stadium will pay for itself"),
    ("Lena Park", "fears", "the factory will close by winter"),
    ("Tom Reed", "fears", "prices will keep rising this year"),
    ("The council", "fears", "the river could flood the valley"),
]


def _record(number: int) -> dict[str, Any]:
    text = "The town met on Monday.\n\n"
    quotes = []
    for source, cue, content in _SENTENCES:
        start = len(text)
        text += f"{source} {cue} that {content}. "
        cue_start = start + len(source) + 1
        content_start = cue_start + len(cue) + len(" that ")
        quotes.append(
            {
                "text": content,
                "start": content_start,
                "end": content_start + len(content),
                "speaker": None,
                "speaker_start": start,
                "speaker_end": start + len(source),
                "cue": cue,
                "cue_start": cue_start,
                "cue_end": cue_start + len(cue),
                "type": "indirect",
            }
        )
    text += "\n\nNothing else happened."
    return {"id": f"invented-{number}", "text": text, "quotes": quotes}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    with (folder / "polnear_train.jsonl").open("w", encoding="utf-8") as handle:
        for number in range(2):
            handle.write(json.dumps(_record(number)) + "\n")
    return folder


def test_training_is_deterministic_and_the_card_pins_the_weights(tiny: Path) -> None:
    records = [json.loads(line) for line in (tiny / "polnear_train.jsonl").open()]
    first, second = train(records), train(records)
    assert first == second
    model_dir = tiny / "model"
    digest = write_model(model_dir, first)
    assert f"sha256: `{digest}`" in (model_dir / "README.md").read_text()
    model = load_model(model_dir)
    assert {"believe", "fear"} <= set(model.lexicon)
    (model_dir / "attribution.json").write_bytes(first.replace(b'"threshold"', b'"threshold" '))
    with pytest.raises(ModelError, match="sha256"):
        load_model(model_dir)


def test_train_attribution_command_writes_the_same_bytes(tiny: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(
            cli,
            ["train", "attribution", "--data", str(tiny), "--output", str(tmp_path / name)],
        )
        assert result.exit_code == 0, result.output
        assert "sha256" in result.output
    assert (tmp_path / "a" / "attribution.json").read_bytes() == (
        tmp_path / "b" / "attribution.json"
    ).read_bytes()


def test_trained_model_proposes_a_belief_the_rules_leave_out(tiny: Path, nlp: Language) -> None:
    records = [json.loads(line) for line in (tiny / "polnear_train.jsonl").open()]
    model_dir = tiny / "proposals"
    write_model(model_dir, train(records))
    model = load_model(model_dir)
    doc = nlp("Anna Berg believes that the school will reopen in the spring.")
    cues = propose_cues(doc, 0, 0, [], model)
    assert [(c.text, c.speaker.text if c.speaker else None) for c in cues] == [
        ("believes", "Anna Berg")
    ]
    assert cues[0].content is not None
    assert doc.text[cues[0].content[0] : cues[0].content[1]] == (
        "the school will reopen in the spring"
    )
    assert cues[0].score is not None and cues[0].score >= model.threshold
    silent = AttributionModel(model.weights, 2.0, model.lexicon)
    assert propose_cues(doc, 0, 0, [], silent) == []


def test_shipped_model_loads_against_its_card() -> None:
    model = shipped_model()
    assert model.threshold > 0.0


@pytest.mark.parametrize(
    ("lemma", "source", "expected"),
    [
        ("say", "Jane Doe", "speech"),
        ("believe", "Jane Doe", "belief"),
        ("want", "she", "belief"),
        ("show", "poll", "evidence"),
        ("find", "report", "evidence"),
        ("find", "Doe", "speech"),
        ("in", "poll", "evidence"),
        ("in", "average", "evidence"),
        ("in", "Institute", "evidence"),
    ],
)
def test_attribution_class(lemma: str, source: str, expected: str) -> None:
    assert attribution_class(lemma, source) == expected


@pytest.mark.parametrize(
    ("mention", "head"),
    [
        ("a new poll of likely voters", "poll"),
        ("A survey of 1,000 adults", "survey"),
        ("Jane Doe", "Doe"),
        ("85% of Democrats", "85%"),
        ("of", "of"),
        ("", None),
    ],
)
def test_source_head_stops_before_an_of_phrase(mention: str, head: str | None) -> None:
    assert source_head(mention) == head


def test_ggt_view_keeps_speech_and_polnear_view_keeps_every_class(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The vote is next week.\n\n"
        "Mayor Jane Doe said the budget would pass without changes. "
        "A new poll shows most residents oppose the plan."
    )
    classes = {q.attribution_class for q in result.quotes}
    assert "speech" in classes
    ggt = prediction_record("x", result, "ggt")
    polnear = prediction_record("x", result, "polnear")
    assert all(q["attribution_class"] == "speech" for q in ggt["quotes"])
    assert len(polnear["quotes"]) == len(result.quotes)
    assert len(ggt["quotes"]) == sum(q.attribution_class == "speech" for q in result.quotes)


# --- the shipped model combined with the rules -------------------------------------------------

RULES_ONLY = AttributionModel({}, 2.0)

_COMBINED = [
    "Jane Okoro spoke on Monday. She hopes the council will approve the new budget soon.",
    'Council member Ravi Shah wants the city to build more bike lanes. "We have waited long '
    'enough," Shah said at the meeting.\n\nMayor Lena Park believes the plan costs too much. '
    "She said the city would look at it again in the spring.",
    "Morgan McNeely, 27, said she started chemotherapy in May.\n\n"
    "I'm not happy I have cancer, but I'm still thankful for what it's brought me. "
    "Morgan McNeely\n\nThe clinic treats 300 patients a year.",
    'The union is angry. "We are sure the plan will fail," its leader, Ada Roy, said. She '
    "fears the depot will close and expects the board to ignore the workers.",
]


def _extract_with(text: str, model: AttributionModel, nlp: Language) -> Extraction:
    layout = find_layout(text)
    docs = [nlp(text[p.start : p.end]) for p in layout.paragraphs]
    return build_extraction(text, layout, docs, attribution_model=model)


def _described(result: Extraction) -> list[tuple[int, int, str, str | None, str, float]]:
    return [
        (
            q.start,
            q.end,
            q.kind,
            result.speakers[q.speaker].name if q.speaker is not None else None,
            q.attribution_class,
            q.confidence,
        )
        for q in result.quotes
    ]


def test_shipped_model_is_the_trained_one() -> None:
    model = shipped_model()
    assert len(model.lexicon) > 100
    assert {"believe", "hope", "want", "show"} <= set(model.lexicon)
    assert 0.0 < model.threshold < 1.0


@pytest.mark.parametrize("text", _COMBINED)
def test_model_only_adds_where_the_rules_found_nothing(text: str, nlp: Language) -> None:
    rules = _described(_extract_with(text, RULES_ONLY, nlp))
    combined = _described(_extract_with(text, shipped_model(), nlp))
    assert set(rules) <= set(combined)
    quoted = [
        (q.open_at, q.outer_end) for q in find_marked_quotes(text, find_layout(text).paragraphs)
    ]
    for start, end, *_ in set(combined) - set(rules):
        assert not any(s < end and start < e for s, e, *_ in rules)
        assert not any(s < end and start < e for s, e in quoted)


def test_model_adds_beliefs_with_the_rules_speakers(nlp: Language) -> None:
    result = _extract_with(_COMBINED[1], shipped_model(), nlp)
    added = [
        q
        for q in _described(result)
        if q not in _described(_extract_with(_COMBINED[1], RULES_ONLY, nlp))
    ]
    assert [(result.text[s:e], who, kind) for s, e, _, who, kind, _ in added] == [
        ("the city to build more bike lanes", "Ravi Shah", "belief"),
        ("the plan costs too much", "Lena Park", "belief"),
    ]
    # The speech-only (GGT) view is the rules' own.
    rules = _extract_with(_COMBINED[1], RULES_ONLY, nlp)
    ggt = prediction_record("x", result, "ggt")["quotes"]
    # Equal but for `quote`, each item's index among all quotes, the added ones included.
    assert [{**q, "quote": None} for q in ggt] == [
        {**q, "quote": None} for q in prediction_record("x", rules, "ggt")["quotes"]
    ]


def test_pull_quote_stays_the_rules_with_the_model(nlp: Language) -> None:
    result = _extract_with(_COMBINED[2], shipped_model(), nlp)
    assert [
        (q.text[:12], result.speakers[q.speaker].name)
        for q in result.quotes
        if q.speaker is not None
    ] == [
        ("she started ", "Morgan McNeely"),
        ("I'm not happ", "Morgan McNeely"),
    ]
    assert len(result.quotes) == 2


def test_a_participle_describing_a_noun_is_not_its_content(nlp: Language) -> None:
    text = (
        "The council met on Monday.\n\nA statement released by the mayor's office described "
        "the budget as balanced."
    )
    assert not any(
        q.text.startswith("released by") for q in _extract_with(text, shipped_model(), nlp).quotes
    )


@pytest.mark.parametrize(
    ("lemma", "source", "expected"),
    [
        ("say", "Doe", "speech"),
        ("claim", "Doe", "speech"),
        ("hope", "Doe", "belief"),
        ("hop", "Doe", "belief"),  # the lemmatiser's "hoped"
        ("order", "Doe", "belief"),
        ("decline", None, "belief"),
        ("show", "poll", "evidence"),
    ],
)
def test_learned_class_keeps_speech_for_speech_words(
    lemma: str, source: str | None, expected: str
) -> None:
    assert learned_class(lemma, source) == expected


def test_object_of_a_frequent_cue_is_its_content(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The union met on Monday. Senator Ruth Adler praised the new budget for its cuts to "
        "school fees."
    )
    assert [
        (q.text, q.attribution_class, result.speakers[q.speaker].name)
        for q in result.quotes
        if q.speaker is not None
    ] == [("the new budget for its cuts to school fees", "belief", "Ruth Adler")]


def test_no_object_bounding_for_a_seldom_cue(nlp: Language) -> None:
    """ "paint" is a cue in about a third of its training occurrences ("painted her as ...",
    below MIN_OBJECT_RATE): its object alone is not offered as content; "praise" (most often a
    cue) has it. (The `rest` bounding still reaches "slogans on the bridge": extractor 0.26's
    model gives it 0.46 against the 0.45 its threshold asks, noted in RESULTS "view32".)"""
    from app.extraction.learned.features import MIN_OBJECT_RATE, candidates

    text = "A group calling itself the Night Riders painted slogans on the bridge."
    doc = nlp(text)
    proposals = {
        c.proposal
        for c in candidates(doc, 0, {"paint": MIN_OBJECT_RATE - 0.05})
        if c.token.text == "painted"
    }
    assert "obj" not in proposals and "rest" in proposals
    praised = {
        c.proposal
        for c in candidates(nlp("Senator Ruth Adler praised the new budget."), 0, {"praise": 0.7})
    }
    assert "obj" in praised


def _candidate(nlp: Language, text: str, word: str) -> dict[str, Any]:
    """The candidates of the predicate `word` in `text`, by bounding: content text and source."""
    from app.extraction.learned.features import candidates

    doc = nlp(text)
    lemma = next(t for t in doc if t.text == word).lemma_.lower()
    found: dict[str, Any] = {}
    for c in candidates(doc, 0, {lemma: 0.5}):
        if c.token.text == word:
            found[c.proposal] = (
                text[c.content[0] : c.content[1]],
                c.subject.text if c.subject is not None else None,
            )
    return found


@pytest.mark.parametrize(
    ("text", "word", "content"),
    [
        ("The senator warned of a long battle over the budget.", "warned",
         "a long battle over the budget"),
        ("Officials were referring to his remarks about the border.", "referring",
         "his remarks about the border"),
        ("Voters are fond of the idea of a shorter week.", "fond",
         "the idea of a shorter week"),
    ],
)  # fmt: skip
def test_prep_bounding_takes_the_prepositional_object(
    nlp: Language, text: str, word: str, content: str
) -> None:
    assert _candidate(nlp, text, word)["prep"][0] == content


def test_a_clause_keeps_a_prepositional_bounding_out(nlp: Language) -> None:
    """A predicate with a clause of its own has its content there, not after a preposition."""
    found = _candidate(nlp, "The mayor said on Friday that the bridge would reopen.", "said")
    assert "prep" not in found


@pytest.mark.parametrize(
    ("text", "word", "source"),
    [
        # A noun's possessor holds it, not the subject of the verb it is the object of.
        ("The announcement followed his rejection of the offer from the union.",
         "rejection", "his"),
        # An adjective completing a verb: that verb's subject.
        ("Many Democrats are concerned that the primary will split the party.",
         "concerned", "Democrats"),
        # A light verb's object noun: the verb's subject.
        ("The governor expressed concern that the levees would fail.", "concern", "governor"),
    ],
)  # fmt: skip
def test_sources_of_nouns_and_adjectives(nlp: Language, text: str, word: str, source: str) -> None:
    from app.extraction.learned.features import source_of

    doc = nlp(text)
    token = next(t for t in doc if t.text == word)
    found = source_of(token)
    assert found is not None and found.text == source


def test_a_raising_predicate_has_no_source_but_a_plan_has(nlp: Language) -> None:
    """A `clause` bounding includes the subject; the subject is also the source of a plan or
    an expectation about it, never of an expletive or a raising verb."""
    from app.extraction.learned.model import propose_cues

    clause_only = AttributionModel(
        {"bias": -1.0, "prop=clause": 10.0}, 0.6, {"plan": 0.5, "expect": 0.5, "seem": 0.5}
    )

    def source(text: str) -> str | None:
        cues = propose_cues(nlp(text), 0, 0, [], clause_only)
        assert len(cues) == 1, cues
        speaker = cues[0].speaker
        return None if speaker is None else text[speaker.start : speaker.end]

    assert source("The candidate plans to be back in South Carolina next week.") == "The candidate"
    # A passive one's subject is what is expected, not who expects it (PolNeAR gives no
    # source): "is expected to endorse" says nobody's view.
    assert source("The newspaper is expected to endorse the governor on Sunday.") is None
    assert source("It is expected to rain during the parade on Sunday.") is None
    assert source("The senator seems to favour a shorter session this year.") is None


def test_rest_bounding_takes_the_rest_of_the_sentence(nlp: Language) -> None:
    """A verb whose content the parse hangs on no complement: the rest of its sentence."""
    text = "The council welcomed on Tuesday the decision to close the road for the summer."
    assert _candidate(nlp, text, "welcomed")["rest"][0] == (
        "on Tuesday the decision to close the road for the summer"
    )


def test_no_rest_bounding_after_a_cue_that_follows_its_clause(nlp: Language) -> None:
    """ "X lent $2 million, federal filings show, raising questions ...": the content is the
    clause before the cue (a hand-built parse, as the parser reads it); the participle after
    it is the writer's, so no `rest` bounding runs on into it."""
    doc = hand_parse(
        """
        Brill 1 nsubj PROPN NNP Brill
        lent 6 ccomp VERB VBD lend
        cash 1 dobj NOUN NN cash
        , 6 punct PUNCT , ,
        federal 5 amod ADJ JJ federal
        filings 6 nsubj NOUN NNS filing
        show 6 ROOT VERB VBP show
        , 6 punct PUNCT , ,
        raising 6 advcl VERB VBG raise
        questions 8 dobj NOUN NNS question
        about 9 prep ADP IN about
        limits 10 pobj NOUN NNS limit
        . 6 punct PUNCT . .
        """
    )
    from app.extraction.learned.features import candidates

    found = {
        c.proposal: doc.text[c.content[0] : c.content[1]]
        for c in candidates(doc, 0, {"show": 0.5})
        if c.token.text == "show"
    }
    assert found["rule"] == "Brill lent cash"
    assert "rest" not in found


def test_a_learned_content_may_stop_before_a_quotations_full_stop(
    run: Callable[[str], Extraction],
) -> None:
    """The model's bounding ends before the full stop inside the closing mark ('has "trouble
    sleeping at night."'): the quotation is still held whole, so a mixed report, not one
    refused for cutting through a quotation."""
    for text, cue, content in (
        (
            'The form asks whether anyone in the home has "trouble sleeping at night." Few '
            "answer it.",
            "asks",
            'whether anyone in the home has "trouble sleeping at night."',
        ),
        (
            'The mayor praised the crews for their "tireless work." The storm had passed.',
            "praised",
            'the crews for their "tireless work."',
        ),
    ):
        result = run(LEAD + text)
        assert [(q.rule, q.cue, q.text, q.kind) for q in result.quotes] == [
            ("learned", cue, content, "mixed")
        ]


def test_no_rest_bounding_for_a_speech_verb(nlp: Language) -> None:
    """The speech-class guard: where the rules read no content for one of their speech verbs,
    the model guesses none either, so a learned speech attribution keeps the rules' boundings
    and the speech-only view stays the rules' own."""
    text = "The minister announced on Monday an inquiry into the fire at the depot."
    found = _candidate(nlp, text, "announced")
    assert "rest" not in found
    assert found["obj"][0] == "an inquiry into the fire at the depot"


def test_a_stance_the_model_adds_stays_out_of_speech(run: Callable[[str], Extraction]) -> None:
    """What the shipped model adds beside the rules' quote is a belief: the speech-class
    quotes are the rules' alone."""
    result = run(
        "Dana Cole did not need much persuading. She also welcomed the chance to work with the "
        'volunteers. "They are remarkable people," she said.'
    )
    assert [(q.attribution_class, q.text) for q in result.quotes] == [
        ("belief", "the chance to work with the volunteers"),
        ("speech", "They are remarkable people"),
    ]


def test_speech_words_keep_a_stricter_threshold(nlp: Language) -> None:
    """The speech-class guard in the thresholds: a proposal for one of the rules' speech words
    (its learned attribution would be speech) needs `speech_threshold`; a stance does not."""
    from app.extraction.learned.model import propose_cues

    text = "The minister announced on Monday an inquiry into the fire at the depot."
    lexicon = {"announce": 0.5, "welcome": 0.5}
    weights = {"prop=obj": 0.0, "prop=rest": 0.0}  # every candidate at p = 0.5
    assert propose_cues(nlp(text), 0, 0, [], AttributionModel(weights, 0.3, lexicon))
    guarded = AttributionModel(weights, 0.3, lexicon, {}, 0.6)
    assert propose_cues(nlp(text), 0, 0, [], guarded) == []
    stance = "The council welcomed on Tuesday the decision to close the road for the summer."
    assert {c.text for c in propose_cues(nlp(stance), 0, 0, [], guarded)} == {"welcomed"}
    # A bounding's own threshold: the rest of a sentence may be held to more.
    favoured = {"prop=rest": 0.4}  # the rest bounding at p = 0.599, the others at 0.5

    def content(model: AttributionModel) -> list[str]:
        # The best bounding comes first, then the others that reach their thresholds.
        return [
            stance[c.content[0] : c.content[1]]
            for c in propose_cues(nlp(stance), 0, 0, [], model)[:1]
        ]

    assert content(AttributionModel(favoured, 0.3, lexicon)) == [
        "on Tuesday the decision to close the road for the summer"
    ]
    assert content(AttributionModel(favoured, 0.3, lexicon, {"rest": 0.6})) == [
        "the decision to close the road for the summer"
    ]


def _features(nlp: Language, text: str, word: str, rate: float = 0.5) -> dict[str, tuple[str, ...]]:
    """The features of each bounding of the predicate `word` in `text` (`rate`: its cue share
    in the lexicon; below MIN_OBJECT_RATE it gets no `obj` bounding)."""
    from app.extraction.learned.features import candidates

    doc = nlp(text)
    lemma = next(t for t in doc if t.text == word).lemma_.lower()
    return {
        c.proposal: c.features for c in candidates(doc, 0, {lemma: rate}) if c.token.text == word
    }


def test_each_bounding_knows_its_rivals(nlp: Language) -> None:
    """The boundings of one predicate are ranked against each other: each says which others
    there are and whether it is the shortest or the longest of them."""
    text = "The council welcomed on Tuesday the decision to close the road for the summer."
    found = _features(nlp, text, "welcomed")
    assert set(found) == {"obj", "rest"}
    assert "rivals=obj|obj+rest" in found["obj"] and "rivals=rest|obj+rest" in found["rest"]
    assert "rank=obj|shortest" in found["obj"] and "rank=rest|longest" in found["rest"]
    assert "holds_rival=rest" in found["rest"] and "holds_rival=obj" not in found["obj"]


@pytest.mark.parametrize(
    ("text", "word", "proposal", "expected", "absent"),
    [
        # Names only: whom the mayor thanked is no attribution's content.
        ("The mayor thanked Dan Cole, Eli Brand and Omar Reyes.", "thanked", "rest",
         {"cnames=rest", "croot=rest|dobj|pred", "ckind=rest|noverb"}, set()),
        # A scene beside the verb, not its content.
        ("The banner read, hanging from the fence near the gate.", "read", "rest",
         {"croot=rest|advcl|pred", "ckind=rest|verb"}, {"cnames=rest"}),
        # A clause with a finite verb of its own.
        ("Officials hope that the bridge will open in May.", "hope", "rule",
         {"ckind=rule|finite", "croot=rule|ccomp|pred", "cend=rule|sent"}, {"cnames=rule"}),
    ],
)  # fmt: skip
def test_content_features_say_what_the_content_is(
    nlp: Language, text: str, word: str, proposal: str, expected: set[str], absent: set[str]
) -> None:
    features = set(_features(nlp, text, word, rate=0.2)[proposal])
    assert expected <= features
    assert not absent & features


def test_phrase_bounding_stops_at_the_verbs_own_phrase(nlp: Language) -> None:
    """`phrase`: a verb's own dependents to its right, not a clause hung beside it, where
    `rest` runs to the end of the sentence."""
    from app.extraction.learned.features import candidates

    text = "The council welcomed the new budget plan, hoping to end the long dispute."
    found = {  # a verb seldom a cue: no `obj` bounding
        c.proposal: text[c.content[0] : c.content[1]]
        for c in candidates(nlp(text), 0, {"welcome": 0.2})
    }
    assert found == {
        "rest": "the new budget plan, hoping to end the long dispute",
        "phrase": "the new budget plan",
    }


def test_no_phrase_bounding_for_a_speech_verb(nlp: Language) -> None:
    text = "The minister announced a new budget plan, hoping to end the long dispute."
    assert "phrase" not in _candidate(nlp, text, "announced")


@pytest.mark.parametrize(
    ("text", "word", "source"),
    [
        # What is expected is the subject; who expects it is not said.
        ("Ravi Patel is expected to join the campaign in the spring.", "expected", None),
        ("The clinic, known for its short waiting lists, will close.", "known", None),
        # The agent of a passive predicate holds the view.
        ("The new schedule was seen by some as a snub to the drivers.", "seen", "some"),
        # An active predicate keeps its subject.
        ("Ravi Patel hopes to join the campaign in the spring.", "hopes", "Patel"),
    ],
)  # fmt: skip
def test_a_passive_predicate_has_its_agent_as_source(
    nlp: Language, text: str, word: str, source: str | None
) -> None:
    from app.extraction.learned.features import source_of

    doc = nlp(text)
    found = source_of(next(t for t in doc if t.text == word))
    assert (found.text if found is not None else None) == source


@pytest.mark.parametrize(
    ("text", "word", "source"),
    [
        # A noun cue's from-phrase is whose it is.
        ("Criticism from Republicans grew louder on Monday.", "Criticism", "Republicans"),
        ("It voted, despite warnings from staff that the plan would fail.", "warnings", "staff"),
        ("The proposal faced opposition from several unions.", "opposition", "unions"),
        # A date or a count is no one's.
        ("Criticism from 2019 resurfaced on Monday.", "Criticism", None),
    ],
)  # fmt: skip
def test_a_noun_cues_from_phrase_is_its_source(
    nlp: Language, text: str, word: str, source: str | None
) -> None:
    from app.extraction.learned.features import source_of

    doc = nlp(text)
    found = source_of(next(t for t in doc if t.text == word))
    assert (found.text if found is not None else None) == source


def test_shipped_model_adds_no_attribution_to_a_scene(run: Callable[[str], Extraction]) -> None:
    """An adverbial clause hung beside a verb is no content of it (0.10's model made "hanging
    from the fence near the gate" a belief of the banner)."""
    text = '"No more lies," the banner read, hanging from the fence near the gate.'
    assert [q.text for q in run(text).quotes if q.rule == "learned"] == []


# Every candidate at p = 0.99: what reaches the model is then exactly what is offered to it.
_EAGER = {"bias": 5.0}


def _eager(*lemmas: str) -> AttributionModel:
    return AttributionModel(_EAGER, 0.3, {lemma: 0.5 for lemma in lemmas})


def test_a_cue_the_rules_made_no_quote_of_is_left_to_the_model(nlp: Language) -> None:
    """ "asked whether ...": the rules find the cue and report no statement; the model may
    still give it as an attribution (PolNeAR counts questions and requests), never as
    speech, so the quotes users read and the GGT view stay the rules'."""
    text = "The plant employs 300 people. The union asked the owners whether it would stay open."
    assert _extract_with(text, RULES_ONLY, nlp).quotes == ()
    result = _extract_with(text, _eager("ask"), nlp)
    assert [(q.text, q.rule, q.attribution_class) for q in result.quotes] in (
        [(content, "learned", "belief")]
        for content in ("whether it would stay open", "the owners whether it would stay open")
    )
    assert result.speakers[result.quotes[0].speaker or 0].name.lower() == "the union"
    assert prediction_record("x", result, "ggt")["quotes"] == []


def test_candidates_on_a_rules_cue_say_what_the_rules_made_of_it(nlp: Language) -> None:
    from app.extraction.learned.model import paragraph_candidates, rule_cue_candidates
    from app.extraction.rules.cues import find_cues

    doc = nlp("The union asked the owners whether it would stay open.")
    cues = find_cues(doc, 0, 0)
    # The rules' cue is not read with the other predicates, only on its own.
    assert list(paragraph_candidates(doc, 0, cues, {"ask": 0.5})) == []
    found = list(rule_cue_candidates(doc, 0, cues, {"ask": 0.5}))
    assert found and all(c.rule_cue is not None for c in found)
    assert all(c.rule_cue.endswith("|embedded_question") for c in found if c.rule_cue)
    assert all("rc=" + str(c.rule_cue) in c.features for c in found)
    # Not a cue of the rules: no such features.
    doc = nlp("The union wants the plant to stay open.")
    found = list(paragraph_candidates(doc, 0, find_cues(doc, 0, 0), {"want": 0.5}))
    assert found and all(c.rule_cue is None for c in found)
    assert not any(f.startswith("rc=") for c in found for f in c.features)


def test_a_negated_cue_of_the_rules_gets_no_learned_attribution(nlp: Language) -> None:
    """ "did not say X": stored as the mayor's, X would be the opposite of what was said."""
    text = "The council met on Monday. The mayor did not say the bridge would close."
    assert _extract_with(text, _eager("say"), nlp).quotes == ()
    # Without the negation the rules' own quote stands, and the model adds nothing on it.
    text = "The council met on Monday. The mayor said the bridge would close."
    result = _extract_with(text, _eager("say"), nlp)
    assert [(q.text, q.rule, q.attribution_class) for q in result.quotes] == [
        ("the bridge would close", "reporting_verb", "speech")
    ]


def test_training_offers_the_model_only_the_rules_cues_that_made_no_quote(
    nlp: Language,
) -> None:
    from app.extraction.learned.train import ParsedArticle, article_candidates

    text = (
        "The mayor said the bridge would close in May. The union asked the owners whether "
        "the plant would stay open."
    )
    layout = find_layout(text)
    docs = tuple(nlp(text[p.start : p.end]) for p in layout.paragraphs)
    article = ParsedArticle("invented", text, layout, docs, ())
    offered = {c.token.text for c in article_candidates(article, {"say": 0.5, "ask": 0.5})}
    assert offered == {"asked"}


def test_the_subject_of_an_adjective_holds_its_infinitive(nlp: Language) -> None:
    """ "Obama is determined to warn ...": who warns is the adjective's subject."""
    from app.extraction.learned.features import source_of

    doc = nlp("Mr. Obama is also determined to warn his supporters about the dangers.")
    warn = next(t for t in doc if t.text == "warn")
    source = source_of(warn)
    assert source is not None and source.text == "Obama"


def test_a_learned_attribution_in_a_relative_clause_rests_on_the_pronoun(nlp: Language) -> None:
    """ "Jane Roe, who plans to ...": the speaker is Jane Roe and the mention the attribution
    rests on is "who", as for the rules' own cues (PolNeAR marks the pronoun)."""
    text = "The vote is next month. Senator Jane Roe, who plans to run again, spoke on Monday."
    result = _extract_with(text, _eager("plan"), nlp)
    learned = [q for q in result.quotes if q.rule == "learned"]
    assert [q.text for q in learned] == ["to run again"]
    quote = learned[0]
    assert quote.speaker is not None and result.speakers[quote.speaker].name == "Jane Roe"
    assert quote.speaker_start is not None
    assert text[quote.speaker_start : quote.speaker_end] == "who"
    # Without the relative clause the mention is the name itself.
    text = "The vote is next month. Senator Jane Roe plans to run again."
    quote = next(q for q in _extract_with(text, _eager("plan"), nlp).quotes)
    assert quote.speaker_start is not None
    assert text[quote.speaker_start : quote.speaker_end] == "Jane Roe"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The plant may close. In the county, many worry that the jobs will go.", "many"),
        ("The tone has changed. Some of his admirers wonder whether it will last.", None),
    ],
)
def test_a_source_that_names_nobody_is_kept_as_the_mention(
    nlp: Language, text: str, source: str | None
) -> None:
    """ "many worry that ...": the attribution rests on "many", which is nobody the speakers
    list can hold; the quote keeps those words as its mention, with no speaker."""
    result = _extract_with(text, _eager("worry", "wonder"), nlp)
    assert len(result.quotes) == 1
    quote = result.quotes[0]
    assert quote.speaker_start is not None and quote.speaker_end is not None
    mention = text[quote.speaker_start : quote.speaker_end]
    if source is not None:
        assert quote.speaker is None
        assert mention == source
    else:  # a group the speakers list holds keeps its own mention
        assert "admirers" in mention
        assert mention.lower().startswith("some")


@pytest.mark.parametrize(
    "text",
    [
        '"No justice, no peace," read the banner hung across the gate of the mill.',
        "Praised by the mayor was the plan to rebuild the pier before the summer.",
    ],
)
def test_no_bounding_holds_its_own_source(nlp: Language, text: str) -> None:
    """What a predicate reports never holds who reports it: an inverted subject ("read the
    banner hung across ...") is the source, not the content (only a `clause` bounding takes
    its subject in, as "The newspaper is expected to endorse ..." is annotated). Such
    boundings are offered to training as negatives, never proposed."""
    from app.extraction.learned.features import candidates

    doc = nlp(text)
    lexicon = {t.lemma_.lower(): 0.5 for t in doc}
    holding = [
        c
        for c in candidates(doc, 0, lexicon)
        if c.subject is not None
        and c.proposal != "clause"
        and c.content[0] <= c.subject.idx < c.content[1]
    ]
    assert holding  # the parse offers one: the model must not take it
    proposed = propose_cues(doc, 0, 0, [], AttributionModel(_EAGER, 0.3, lexicon))
    assert proposed  # the eager model proposes what it may
    for cue in proposed:
        assert cue.content is not None
        source = cue.speaker.start if cue.speaker is not None else None
        assert source is None or not cue.content[0] <= source < cue.content[1], cue


def test_an_inverted_source_is_not_reported_as_its_own_words(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The strike entered its third week on Friday. "
        '"No justice, no peace," read the banner hung across the gate of the mill.'
    )
    assert not any("banner" in q.text for q in result.quotes)


@pytest.mark.parametrize(
    ("text", "subject", "words"),
    [
        ("Some of his admirers wonder whether it will last.", "Some", "Some of his admirers"),
        ("The plan holds an aggressive - some say unrealistic - pledge.", "some", "some"),
        ("He said that those who doubt the plan will regret it.", "those", "those"),
    ],
)
def test_an_unnamed_source_is_its_own_words(
    nlp: Language, text: str, subject: str, words: str
) -> None:
    """The words kept for a source that names nobody: the subject with an "of" phrase, never
    a dash, conjunction or complementiser the parse hung on its left."""
    from app.extraction.learned.model import _unnamed_source

    doc = nlp(text)
    token = next(t for t in doc if t.text == subject)
    span = _unnamed_source(token, 0)
    assert span is not None and text[span[0] : span[1]] == words


def test_a_learned_content_may_hold_whole_quotations(nlp: Language) -> None:
    """'praised the plan as "a lifeline ..."': the quoted words sit inside the stance the
    model found, which makes one mixed quote; a content that would cut a quotation in two is
    refused."""
    from app.extraction.learned.model import admissible_span

    text = 'The senator praised the plan as "a lifeline for rural hospitals" on Monday.'
    assert _extract_with(text, RULES_ONLY, nlp).quotes == ()
    quotes = _extract_with(text, _eager("praise"), nlp).quotes
    assert [(q.kind, q.rule) for q in quotes] == [("mixed", "learned")]
    assert '"a lifeline for rural hospitals"' in quotes[0].text
    assert admissible_span(10, 40, [], [(12, 20)])
    assert not admissible_span(10, 40, [], [(30, 50)])
    assert not admissible_span(10, 40, [(0, 11)], [])


def test_a_rules_cue_that_made_no_quote_does_not_block_a_learned_content(
    nlp: Language,
) -> None:
    """ "hopes voters will say yes to ...": "say" is a cue of the rules that reported nothing
    here, so the hope that holds it is still the board's."""
    text = "The board hopes voters will say yes to the new levy in May."
    assert _extract_with(text, RULES_ONLY, nlp).quotes == ()
    # The parser lemmatises this "hopes" as "hop".
    quotes = _extract_with(text, _eager("hope", "hop"), nlp).quotes
    assert [q.text for q in quotes] == ["voters will say yes to the new levy in May"]


def test_a_two_word_content_needs_a_surer_model(nlp: Language) -> None:
    """ "has pleaded not guilty": two words may be all a stance holds, kept when the model
    gives it SHORT_CONTENT_THRESHOLD or more; longer contents need only its threshold."""
    from app.extraction.learned.model import SHORT_CONTENT_THRESHOLD

    text = "Mayor Ann Pike has pleaded not guilty."
    assert [q.text for q in _extract_with(text, _eager("plead"), nlp).quotes] == ["not guilty"]
    unsure = AttributionModel({"bias": -0.6}, 0.3, {"plead": 0.5, "believe": 0.5})
    assert 0.3 < unsure.probability(["bias"]) < SHORT_CONTENT_THRESHOLD
    assert _extract_with(text, unsure, nlp).quotes == ()
    longer = "Mayor Ann Pike believes the audit was unfair."
    assert [q.text for q in _extract_with(longer, unsure, nlp).quotes] == ["the audit was unfair"]


def test_the_writer_may_hold_a_belief_the_reader_does_not(nlp: Language) -> None:
    """A column's "I believe ..." is the writer's own, kept with "I" as its mention and no
    speaker; "You might think ..." addresses the reader and reports nobody."""
    text = "I believe the council should reconsider the bus plan before winter."
    quotes = _extract_with(text, _eager("believe"), nlp).quotes
    assert [q.text for q in quotes] == ["the council should reconsider the bus plan before winter"]
    assert quotes[0].speaker is None
    assert (quotes[0].speaker_start, quotes[0].speaker_end) == (0, 1)
    text = "You might think the council would reconsider the bus plan before winter."
    assert _extract_with(text, _eager("think"), nlp).quotes == ()


def test_a_bounding_is_also_offered_without_its_trailing_modifier(nlp: Language) -> None:
    """ "..., a red line for many supporters": a content that ends in a modifier set off by a
    comma is also offered without it (`trim_<bounding>`), for the model to rank."""
    from app.extraction.learned.features import candidates

    text = "He vowed to back a united Jerusalem as the capital of Israel, a red line for many."
    doc = nlp(text)
    offered = {
        (c.proposal, text[c.content[0] : c.content[1]]) for c in candidates(doc, 0, {"vow": 0.5})
    }
    assert ("comp", "to back a united Jerusalem as the capital of Israel, a red line for many") in (
        offered
    )
    assert ("trim_comp", "to back a united Jerusalem as the capital of Israel") in offered


def test_a_bounding_is_also_offered_without_a_trailing_relative_clause(nlp: Language) -> None:
    """ "..., which votes on March 1": a relative clause set off by a comma at the end of a
    content is offered cut, too; a restrictive one (no comma) stays part of the content."""
    from app.extraction.learned.features import candidates

    def offered(text: str) -> set[tuple[str, str]]:
        return {
            (c.proposal, text[c.content[0] : c.content[1]])
            for c in candidates(nlp(text), 0, {"predict": 0.5})
        }

    cut = offered("She predicted a comfortable win in Texas, which votes on March 1.")
    assert any(text == "a comfortable win in Texas" for proposal, text in cut)
    assert any(text.endswith("which votes on March 1") for proposal, text in cut)
    kept = offered("She predicted a comfortable win in the states that vote on March 1.")
    assert not any(text == "a comfortable win in the states" for proposal, text in kept)


def test_a_predicate_offers_its_boundings_best_first(nlp: Language) -> None:
    """propose_cues gives every bounding that reaches its threshold, the likeliest first, so
    the report stage can fall back on the next one."""
    from app.extraction.learned.model import propose_cues

    text = 'The mayor believes the bridge will open by May, as "everyone is waiting," he said.'
    doc = nlp(text)
    lemma = doc[2].lemma_.lower()
    model = AttributionModel({"prop=rest": 10.0, "prop=rule": 5.0}, 0.5, {lemma: 0.5})
    cues = [c for c in propose_cues(doc, 0, 0, [], model) if c.start == doc[2].idx]
    assert [text[c.content[0] : c.content[1]] for c in cues if c.content] == [
        'the bridge will open by May, as "everyone is waiting," he said',
        "the bridge will open by May",
    ]
    assert cues[0].score is not None and cues[1].score is not None
    assert cues[0].score > cues[1].score


def test_a_predicate_falls_back_on_its_next_admissible_bounding(nlp: Language) -> None:
    """The best bounding of "believes" (the rest of the sentence) runs into the rules' quote
    of the engineer and may not be kept; the next one, which keeps clear of it, is still the
    mayor's attribution. With the best bounding alone, the mayor's view is lost."""
    text = (
        "The mayor believes the bridge will open by May, but the engineer said the work "
        '"will take a year."'
    )
    lemma = nlp(text)[2].lemma_.lower()

    def found(weights: dict[str, float]) -> set[tuple[str, str | None, str | None]]:
        extraction = _extract_with(text, AttributionModel(weights, 0.6, {lemma: 0.5}), nlp)
        return {
            (
                q.text,
                q.rule,
                extraction.speakers[q.speaker].name if q.speaker is not None else None,
            )
            for q in extraction.quotes
        }

    both = found({"bias": -1.0, "prop=rest": 10.0, "prop=rule": 5.0})
    assert ("the bridge will open by May", "learned", "the mayor") in both, both
    assert ('the work "will take a year."', "reporting_verb", "the engineer") in both, both
    rest_only = found({"bias": -1.0, "prop=rest": 10.0})
    assert not any(t.startswith("the bridge") for t, _, _ in rest_only), rest_only
    assert ('the work "will take a year."', "reporting_verb", "the engineer") in rest_only


def test_a_learned_clause_never_holds_the_source_of_a_verb_with_an_object(
    run: Callable[[str], Extraction],
) -> None:
    """ "he challenged voters to consider ...": what he challenged them to do, not "he
    challenged voters ..." (a clause bounding holds its subject only for raising verbs)."""
    result = run(
        "Obama urges action\n\nPresident Barack Obama said he would push for background checks, "
        "and he challenged voters to consider candidates' positions on guns."
    )
    challenged = [q.text for q in result.quotes if q.cue == "challenged"]
    assert challenged == ["voters to consider candidates' positions on guns"]


def test_an_expletive_it_before_a_raising_verb_is_no_source(
    run: Callable[[str], Extraction],
) -> None:
    """ "It seems that the mayor will not run again": nobody's view, not the view of
    whatever "it" would otherwise stand for."""
    result = run(
        "The council met on Monday. The union said the talks had failed.\n\n"
        "It seems that the mayor will not run again."
    )
    seems = [q for q in result.quotes if q.cue == "seems"]
    assert seems and all(q.speaker is None and q.speaker_start is None for q in seems)


def test_a_learned_report_may_hold_a_quotation_the_rules_gave_no_cue(
    run: Callable[[str], Extraction],
) -> None:
    """'describes herself as a "change warrior" who "fixed the company"': the rules give the
    quoted words to the paragraph's topic with no cue; the model's report on "describes"
    holds them whole, a nested attribution. Both are stored; PolNeAR's view gives the report
    only (the words are part of it), the speech-only view the quotation only."""
    text = (
        "Mary Olsen spent the week in Des Moines. She routinely describes herself as a "
        '"change warrior" who "fixed the company" before turning to politics.'
    )
    result = run(text)
    (report,) = [q for q in result.quotes if q.rule == "learned"]
    (inner,) = [q for q in result.quotes if q.rule != "learned"]
    assert report.cue == "describes" and report.kind == "mixed"
    assert report.start <= inner.start and inner.end <= report.end
    assert inner.rule == "paragraph_topic" and inner.text == "fixed the company"
    assert {result.speakers[q.speaker].name for q in (report, inner) if q.speaker is not None} == {
        "Mary Olsen"
    }
    polnear = prediction_record("a", result, "polnear")["quotes"]
    assert [q["rule"] for q in polnear] == ["learned"]
    ggt = prediction_record("a", result, "ggt")["quotes"]
    assert [q["text"] for q in ggt] == ["fixed the company"]


def test_a_learned_report_may_hold_a_quotation_the_rules_gave_a_cue(
    run: Callable[[str], Extraction],
) -> None:
    """'defended his deputy as a "very decent man ..."': the rules make a direct quote of the
    quoted words (on the "said" after them); the model's report on "defended" holds them
    whole. Both are stored; PolNeAR's view gives the report, the speech-only view the
    quotation."""
    text = (
        'Tom Reyes spoke to reporters on Monday. He defended his deputy as a "very decent man '
        'who made one mistake," and said the review would clear her.'
    )
    result = run(text)
    (report,) = [q for q in result.quotes if q.rule == "learned"]
    (inner,) = [q for q in result.quotes if q.kind == "direct"]
    assert report.cue == "defended" and report.kind == "mixed"
    assert report.start <= inner.start and inner.end <= report.end
    assert inner.cue is not None and inner.text.startswith("very decent man")
    polnear = [q["text"] for q in prediction_record("a", result, "polnear")["quotes"]]
    assert inner.text not in polnear and report.text in polnear
    ggt = [q["text"] for q in prediction_record("a", result, "ggt")["quotes"]]
    assert inner.text in ggt and report.text not in ggt
