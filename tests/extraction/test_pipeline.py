"""The public contract: offsets into the text as given, any Unicode, order, batching."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extraction import EXTRACTOR_VERSION, Extraction, extract, extract_many
from app.extraction.fragments import joined_text

# Pieces of news-like text (marks, cues, names, paragraph breaks) glued in random order.
QUOTEY = st.lists(
    st.sampled_from(
        [
            *"abc XYZ.,:;!?-\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u2014",
            *["said", " He ", " she ", "Ann Lee", "according to", "\n\n", "By ", "OTTAWA \u2014 "],
        ]
    ),
    max_size=120,
).map("".join)


# Any code points, lone surrogates included (JSON can carry them; spaCy cannot encode them).
WITH_SURROGATES = st.lists(
    st.one_of(st.characters(), st.sampled_from(["\ud800", "\udfff", "\udc80"])), max_size=60
).map("".join)


def assert_offsets(result: Extraction) -> None:
    text = result.text
    assert 0 <= result.body_start <= len(text)
    for quote in result.quotes:
        assert 0 <= quote.start <= quote.end <= len(text)
        assert (quote.fragments[0][0], quote.fragments[-1][1]) == (quote.start, quote.end)
        assert joined_text(text, quote.fragments) == quote.text
        if quote.speaker_start is not None:
            assert quote.speaker_end is not None
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
        if quote.cue_start is not None:
            assert quote.cue_end is not None and quote.cue is not None
            assert 0 <= quote.cue_start < quote.cue_end <= len(text)
        if quote.speaker is not None:
            assert 0 <= quote.speaker < len(result.speakers)
    for claim in result.claims:
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0
        if claim.quote is not None:
            assert 0 <= claim.quote < len(result.quotes)


def test_empty_text_gives_empty_extraction() -> None:
    result = extract("")
    assert result.text == ""
    assert (result.quotes, result.speakers, result.claims) == ((), (), ())
    assert result.extractor_version == EXTRACTOR_VERSION


def test_offsets_refer_to_the_text_as_given(run: Callable[[str], Extraction]) -> None:
    text = (
        "  \u00a0OTTAWA \u2014 Caf\u00e9 owner Zo\u00eb Martin\u00e9z, 41, said on Monday "
        "that prices would rise by 5\u00a0per cent.\r\n\r\n"
        "\u201cWe can\u2019t absorb it \U0001f4b8 any more,\u201d she said.\u200b"
    )
    result = run(text)
    assert_offsets(result)
    assert len(result.quotes) == 2
    assert result.quotes[1].text == "We can\u2019t absorb it \U0001f4b8 any more"


def test_lone_surrogates_and_control_characters(run: Callable[[str], Extraction]) -> None:
    text = '\ud800 Ann Lee said "we will win the war\udfff today," \x00 she said.\u2028Bob'
    result = run(text)
    assert_offsets(result)
    assert len(result.quotes) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), WITH_SURROGATES, QUOTEY))
def test_never_crashes_on_any_text(text: str) -> None:
    assert_offsets(extract(text))


def test_extract_many_keeps_order_and_empty_articles() -> None:
    texts = [
        '"We will win," said Ann Lee.',
        "",
        "No quotes here at all.",
        "Bob Grant said the river would flood by Friday.",
    ]
    results = list(extract_many(texts, batch_size=2))
    assert [r.text for r in results] == texts
    assert [len(r.quotes) for r in results] == [1, 0, 0, 1]


def test_extract_many_with_two_processes_matches_one() -> None:
    texts = [f'"Item {i} is ready for the market," said Ann Lee.\n\nMore text.' for i in range(6)]
    single = [r.quotes for r in extract_many(texts, n_process=1)]
    double = [r.quotes for r in extract_many(texts, n_process=2, batch_size=2)]
    assert single == double
