"""A quote its cue interrupts is one quote in several fragments; the schemes' views split it.

Every fixture is invented. The pipeline tests run the real spaCy pipeline; the joining and the
views are also tested on hand-built extractions, so a parser change cannot hide a change here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.extraction import Extraction
from app.extraction.fragments import FRAGMENT_JOINER, join_interrupted_quotes, joined_text
from app.extraction.jsonl import prediction_record
from app.extraction.types import ClaimSpan, QuoteSpan, SpeakerRef


def _pieces(result: Extraction) -> list[list[str]]:
    """Each quote as the texts of its fragments."""
    return [[result.text[s:e] for s, e in q.fragments] for q in result.quotes]


def _check_offsets(result: Extraction) -> None:
    for quote in result.quotes:
        assert quote.text == FRAGMENT_JOINER.join(result.text[s:e] for s, e in quote.fragments)
        assert (quote.start, quote.end) == (quote.fragments[0][0], quote.fragments[-1][1])


@pytest.mark.parametrize(
    "text",
    [
        '"We will rebuild the bridge," said Jane Doe, the mayor. "It will take two years."',
        '"We will rebuild the bridge," Jane Doe said, "and it will take two years."',
        '"We will rebuild the bridge," said Dr. Jane Doe. "It will take two years."',
        "\u201cWe will rebuild the bridge,\u201d Jane Doe told reporters on Monday. "
        "\u201cIt will take two years.\u201d",
        # Doubled apostrophes and backticks typed for double marks, as some archives write.
        "''We will rebuild the bridge,'' said Jane Doe, the mayor. ''It will take two years.''",
        "``We will rebuild the bridge,'' Jane Doe said. ``It will take two years.''",
    ],
)
def test_a_quote_interrupted_by_its_cue_is_one_quote(
    run: Callable[[str], Extraction], text: str
) -> None:
    result = run(text)
    assert len(result.quotes) == 1, _pieces(result)
    quote = result.quotes[0]
    first, second = (text[s:e] for s, e in quote.fragments)
    assert first == "We will rebuild the bridge"
    assert second.endswith("it will take two years.") or second == "It will take two years."
    assert quote.text == f"We will rebuild the bridge \u2026 {second}"
    assert quote.kind == "direct" and quote.attribution_class == "speech"
    assert quote.speaker is not None and result.speakers[quote.speaker].name == "Jane Doe"
    assert quote.cue_start is not None and quote.start < quote.cue_start < quote.end
    _check_offsets(result)


def test_a_report_inside_the_cue_clause_does_not_part_the_pieces(
    run: Callable[[str], Extraction],
) -> None:
    """'"A," said Jo Lee, who said ... . "B."': the cue clause holds a report of its own;
    the two quoted pieces around it are still one quote of Lee's, and the report stays a
    quote of its own inside that quote's span."""
    text = (
        '"We have waited long enough for the new bridge," said Jo Lee, a nurse who said the '
        'old one had been unsafe for years. "It is time the county paid for it."'
    )
    result = run(text)
    assert _pieces(result) == [
        ["We have waited long enough for the new bridge", "It is time the county paid for it."],
        ["the old one had been unsafe for years"],
    ]
    whole, report = result.quotes
    assert whole.start < report.start and report.end < whole.end
    assert whole.speaker == report.speaker
    _check_offsets(result)


def test_words_quoted_whole_inside_the_cue_clause_do_not_part_the_pieces(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        '"Everything is on the table," Ben Carson told reporters on Monday after hinting that '
        '"staff changes" could come. "Every single thing is on the table."'
    )
    result = run(text)
    pieces = _pieces(result)
    assert ["Everything is on the table", "Every single thing is on the table."] in pieces
    _check_offsets(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Two speakers.
        (
            '"We are ready to vote," said Jane Doe. "Are you?" asked Tom Roe.',
            [["We are ready to vote"], ["Are you?"]],
        ),
        # The second piece has a cue of its own.
        (
            '"We are ready to vote," said Jane Doe. "The council is not," she added.',
            [["We are ready to vote"], ["The council is not"]],
        ),
        # A sentence of the reporter's own stands between the pieces.
        (
            '"We are ready to vote," said Jane Doe. The council met for six hours on Monday. '
            '"Nobody wants another delay."',
            [["We are ready to vote"], ["Nobody wants another delay."]],
        ),
        # A closed quotation, then a new paragraph.
        (
            '"We are ready to vote," said Jane Doe.\n\n"Nobody wants another delay."',
            [["We are ready to vote"], ["Nobody wants another delay."]],
        ),
    ],
)
def test_separate_quotes_stay_apart(
    run: Callable[[str], Extraction], text: str, expected: list[list[str]]
) -> None:
    result = run(text)
    assert _pieces(result) == expected
    _check_offsets(result)


def test_a_direct_piece_after_a_partial_quote_on_the_same_cue_joins_it(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        'The council "will not wait for the province," Jane Doe told reporters. '
        '"Nobody will wait another year."'
    )
    result = run(text)
    assert len(result.quotes) == 1, _pieces(result)
    quote = result.quotes[0]
    assert quote.kind == "mixed"
    assert [text[s:e] for s, e in quote.fragments][-1] == "Nobody will wait another year."
    assert quote.speaker is not None and result.speakers[quote.speaker].name == "Jane Doe"
    _check_offsets(result)


def test_a_quotation_carried_into_the_next_paragraph_is_one_quote(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        '"We will rebuild the bridge," said Jane Doe, the mayor. "It will take two years and '
        'a lot of work\n\n"We will need money from the province."\n\nThe council meets today.'
    )
    result = run(text)
    assert _pieces(result) == [
        [
            "We will rebuild the bridge",
            "It will take two years and a lot of work",
            "We will need money from the province.",
        ]
    ]
    _check_offsets(result)


# --- the joining and the views on hand-built extractions ------------------------------------

TEXT = '"We will rebuild," said Ann Lee. "It will take years." Lee believes the city will pay.'


def _quote(start: int, end: int, **fields: object) -> QuoteSpan:
    defaults: dict[str, object] = {
        "kind": "direct",
        "speaker": 0,
        "speaker_start": 24,
        "speaker_end": 31,
    }
    return QuoteSpan(text=TEXT[start:end], start=start, end=end, **{**defaults, **fields})


def _extraction() -> Extraction:
    belief_start = TEXT.index("the city")
    return Extraction(
        text=TEXT,
        speakers=(SpeakerRef("Ann Lee", "person"),),
        quotes=(
            _quote(1, 16, cue="said", cue_start=19, cue_end=23, confidence=0.9),
            _quote(34, 53, confidence=0.6),
            _quote(
                belief_start,
                len(TEXT) - 1,
                kind="indirect",
                speaker_start=TEXT.index("Lee believes"),
                speaker_end=TEXT.index("Lee believes") + 3,
                cue="believes",
                cue_start=TEXT.index("believes"),
                cue_end=TEXT.index("believes") + 8,
                attribution_class="belief",
            ),
        ),
        claims=(
            ClaimSpan(text=TEXT[34:53], start=34, end=53, score=0.5, claimant=0, quote=1),
            ClaimSpan(
                text=TEXT[TEXT.index("the city") : -1],
                start=TEXT.index("the city"),
                end=len(TEXT) - 1,
                score=0.4,
                claimant=0,
                quote=2,
            ),
        ),
    )


def test_joining_keeps_the_fragments_and_repoints_claims() -> None:
    joined = join_interrupted_quotes(_extraction())
    assert len(joined.quotes) == 2
    quote, belief = joined.quotes
    assert quote.fragments == ((1, 16), (34, 53))
    assert (quote.start, quote.end) == (1, 53)
    assert quote.text == "We will rebuild \u2026 It will take years."
    assert quote.text == joined_text(TEXT, quote.fragments)
    assert quote.confidence == 0.9 and quote.cue == "said"
    assert belief.fragments == ((belief.start, belief.end),)
    assert [c.quote for c in joined.claims] == [0, 1]


def test_a_quote_left_alone_has_its_whole_span_as_its_one_fragment() -> None:
    quote = _quote(1, 16)
    assert quote.fragments == ((1, 16),)


def test_the_ggt_view_gives_each_fragment_of_speech() -> None:
    record = prediction_record("a", join_interrupted_quotes(_extraction()), "ggt")
    assert [(q["start"], q["end"], q["text"], q["quote"]) for q in record["quotes"]] == [
        (1, 16, "We will rebuild", 0),
        (34, 53, "It will take years.", 0),
    ]
    assert {q["attribution_class"] for q in record["quotes"]} == {"speech"}
    assert [c["quote"] for c in record["claims"]] == [0, 1]


def test_the_polnear_view_gives_each_attribution_whole() -> None:
    record = prediction_record("a", join_interrupted_quotes(_extraction()), "polnear")
    quotes = record["quotes"]
    assert [(q["start"], q["end"], q["attribution_class"]) for q in quotes] == [
        (1, 53, "speech"),
        (quotes[1]["start"], len(TEXT) - 1, "belief"),
    ]
    assert quotes[0]["text"] == "We will rebuild \u2026 It will take years."
    assert quotes[0]["fragments"] == [
        {"text": "We will rebuild", "start": 1, "end": 16},
        {"text": "It will take years.", "start": 34, "end": 53},
    ]


@pytest.mark.parametrize(
    ("text", "halves"),
    [
        (
            "It was impossible, Jane Doe said, so the council decided to sell the old ferry.",
            ["It was impossible", "so the council decided to sell the old ferry"],
        ),
        (
            "What really angered the residents, she said, was a letter from the province.",
            ["What really angered the residents", "was a letter from the province"],
        ),
    ],
)
def test_a_report_its_cue_interrupts_is_one_quote(
    run: Callable[[str], Extraction], text: str, halves: list[str]
) -> None:
    result = run(text)
    assert _pieces(result) == [halves]
    quote = result.quotes[0]
    assert quote.kind == "indirect"
    assert quote.cue_start is not None and quote.start < quote.cue_start < quote.end
    _check_offsets(result)
    # The GGT view keeps the halves apart; the PolNeAR view gives the report whole.
    ggt = prediction_record("a", result, "ggt")["quotes"]
    assert [q["text"] for q in ggt] == halves
    (whole,) = prediction_record("a", result, "polnear")["quotes"]
    assert (whole["start"], whole["end"]) == (quote.start, quote.end)


def test_a_second_cue_after_the_parenthesis_keeps_the_reports_apart(
    run: Callable[[str], Extraction],
) -> None:
    text = "The plan is sound, she said, adding that the council would vote in May."
    result = run(text)
    assert len(result.quotes) == 2, _pieces(result)
    assert all(len(q.fragments) == 1 for q in result.quotes)


def test_the_polnear_view_gives_a_naming_with_what_was_named(
    run: Callable[[str], Extraction],
) -> None:
    """'called half of his supporters "deplorables"': PolNeAR's content is what was named
    and its labels, one item per naming; GenderGapTracker's is the quoted label, as stored."""
    result = run(
        'Clinton called half of the rival\'s supporters "deplorables" and "irredeemable." '
        "She later apologized."
    )
    labels = [q.text for q in result.quotes if q.rule == "named_label"]
    assert labels == ["deplorables", "irredeemable."]
    polnear = prediction_record("a", result, "polnear")["quotes"]
    assert [q["text"] for q in polnear if q["rule"] == "named_label"] == [
        'half of the rival\'s supporters "deplorables" and "irredeemable."'
    ]
    ggt = prediction_record("a", result, "ggt")["quotes"]
    assert [q["text"] for q in ggt if q["rule"] == "named_label"] == labels
    # A label further on, after more of the sentence, is another naming.
    apart = run(
        'Clinton called the bank\'s conduct "outrageous" and called for compensation to be '
        '"clawed back" for responsible executives.'
    )
    items = prediction_record("a", apart, "polnear")["quotes"]
    assert [q["text"] for q in items if q["rule"] == "named_label"][:1] == [
        'the bank\'s conduct "outrageous"'
    ]


def test_a_report_its_titled_cue_interrupts_is_one_quote(
    run: Callable[[str], Extraction],
) -> None:
    """'The museum, Mr. Obama said, would ...': the full stop of a title in the cue is no
    sentence end, so the two halves are one report with two fragments."""
    result = run("The museum, Mr. Obama said, would make visitors face uncomfortable truths.")
    assert _pieces(result) == [["The museum", "would make visitors face uncomfortable truths"]]


def test_a_quote_in_typewriter_single_marks_interrupted_by_its_cue_is_one_quote(
    run: Callable[[str], Extraction],
) -> None:
    """British wires quote in single marks: "'A,' he said. 'B.'" is one quote, as with
    double marks; an apostrophe inside the cue ("O'Brien") changes nothing."""
    result = run(
        "The minister spoke on Monday.\n\n"
        "'Businesses are sitting on their hands,' said Pat O'Brien. 'They want clarity.'"
    )
    assert _pieces(result) == [["Businesses are sitting on their hands", "They want clarity."]]


def test_a_piece_ending_in_a_quotation_inside_it_still_joins(
    run: Callable[[str], Extraction],
) -> None:
    """'"... its \u2018insensitivity,\u2019" the column noted. "B."': two closing marks end the
    first piece, the inner one's and its own; still one quote in two fragments."""
    result = run(
        "The council met on Monday.\n\n"
        "\u201cComing from a mayor, it was unprecedented in its \u2018insensitivity,\u2019\u201d "
        "the column noted. \u201cThe remark could be considered arrogant.\u201d"
    )
    pieces = _pieces(result)
    assert len(pieces) == 1 and len(pieces[0]) == 2
    assert pieces[0][1] == "The remark could be considered arrogant."


# --- a quotation that goes on with no cue of its own, in PolNeAR's view ---------------------

GOES_ON = (
    '"The levy is fair," said Ann Lee, who chairs the board that set it last spring after '
    'three months of hearings in the old town hall. "Nobody will pay more than before."\n\n'
    '"And the money stays here," she added.'
)


def _goes_on_extraction(second_rule: str, **second: object) -> Extraction:
    first_end = GOES_ON.index(',"')
    second_start = GOES_ON.index("Nobody")
    second_end = GOES_ON.index('."\n') + 1
    third_start = GOES_ON.index("And the")
    return Extraction(
        text=GOES_ON,
        speakers=(SpeakerRef("Ann Lee", "person"), SpeakerRef("Bo Tran", "person")),
        quotes=(
            QuoteSpan(GOES_ON[1:first_end], 1, first_end, "direct", 0, cue="said",
                      rule="quoted_clause", speaker_rule="name"),
            QuoteSpan(GOES_ON[second_start:second_end], second_start, second_end,
                      **{"kind": "direct", "speaker": 0, "rule": second_rule, **second}),
            QuoteSpan(GOES_ON[third_start : third_start + 24], third_start, third_start + 24,
                      "direct", 0, cue="added", rule="cue_after", speaker_rule="pronoun"),
        ),
    )  # fmt: skip


def test_the_polnear_view_gives_a_quotation_going_on_with_the_attribution_before_it() -> None:
    """PolNeAR anchors an attribution on its cue: a quotation with none of its own
    (`continuation`) is part of the quote before it, one item over both; the stored quotes
    and the GGT view keep them apart. A quotation with a cue of its own starts an item."""
    result = _goes_on_extraction("continuation")
    items = prediction_record("a", result, "polnear")["quotes"]
    assert [(q["start"], q["end"], q["quote"]) for q in items] == [
        (1, result.quotes[1].end, 0),
        (result.quotes[2].start, result.quotes[2].end, 2),
    ]
    assert items[0]["text"] == f"{result.quotes[0].text} \u2026 {result.quotes[1].text}"
    assert [f["start"] for f in items[0]["fragments"]] == [1, result.quotes[1].start]
    assert len(prediction_record("a", result, "ggt")["quotes"]) == 3


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        ("quoted_clause", {}),  # a cue of its own
        ("continuation", {"speaker": 1}),  # another speaker
        ("continuation", {"kind": "mixed"}),  # not a quotation going on
    ],
)
def test_the_polnear_view_keeps_apart_what_does_not_go_on(
    rule: str, fields: dict[str, object]
) -> None:
    result = _goes_on_extraction(rule, **fields)
    items = prediction_record("a", result, "polnear")["quotes"]
    assert [q["quote"] for q in items] == [0, 1, 2]


def test_quotations_going_on_after_narration_or_in_a_new_paragraph_are_one_polnear_item(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        '"The levy is fair," said Ann Lee, who chairs the board. It was set last spring after '
        'three months of hearings. "Nobody will pay more than before."\n\n'
        '"And the money stays here," she added.\n\n'
        '"The bridge will close for a year," Tom Baker said on Monday.\n\n'
        '"We have no other way to fix the deck."'
    )
    result = run(text)
    assert [q.rule for q in result.quotes] == [
        "quoted_clause", "continuation", "quoted_clause", "quoted_clause", "continuation_later"
    ], _pieces(result)  # fmt: skip
    items = prediction_record("a", result, "polnear")["quotes"]
    quotes = result.quotes
    assert [(q["start"], q["end"], q["speaker"]) for q in items] == [
        (quotes[0].start, quotes[1].end, "Ann Lee"),
        (quotes[2].start, quotes[2].end, "Ann Lee"),
        (quotes[3].start, quotes[4].end, "Tom Baker"),
    ]


@pytest.mark.parametrize(
    ("attribution_class", "ggt_rules"),
    [("belief", ["paragraph_topic"]), ("speech", ["learned"])],
)
def test_a_quote_inside_a_learned_report_is_part_of_it_where_the_view_shows_the_report(
    attribution_class: str, ggt_rules: list[str]
) -> None:
    text = 'Lee describes the levy as "a fair deal for everyone" and moved on.'
    inner_start = text.index("a fair")
    inner_end = text.index('"', inner_start)
    report_start = text.index("the levy")
    report_end = text.index(" and moved")
    result = Extraction(
        text=text,
        speakers=(SpeakerRef("Ann Lee", "person"),),
        quotes=(
            QuoteSpan(text[report_start:report_end], report_start, report_end, "mixed", 0,
                      cue="describes", rule="learned", attribution_class=attribution_class),
            QuoteSpan(text[inner_start:inner_end], inner_start, inner_end, "direct", 0,
                      rule="paragraph_topic"),
        ),
    )  # fmt: skip
    assert [q["rule"] for q in prediction_record("a", result, "polnear")["quotes"]] == ["learned"]
    assert [q["rule"] for q in prediction_record("a", result, "ggt")["quotes"]] == ggt_rules
