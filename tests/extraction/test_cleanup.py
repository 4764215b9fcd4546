"""Dateline, byline and site chrome: metadata, and never extracted from."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction
from app.extraction.cleanup import find_layout


def test_dateline_with_agency_and_colon() -> None:
    text = "TEL AVIV (Agencies): The army said it was ready."
    layout = find_layout(text)
    assert layout.dateline == "TEL AVIV"
    assert text[layout.body_start :].startswith("The army")


def test_dateline_with_dash_region_and_date() -> None:
    for text, place in [
        ("OTTAWA \u2014 The minister said taxes would rise.", "OTTAWA"),
        ("INGLEWOOD, Calif. -- The fighter said she was ready.", "INGLEWOOD"),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) \u2014 The candidate was escorted out.", "HEMPSTEAD"),
    ]:
        layout = find_layout(text)
        assert layout.dateline == place
        assert text[layout.paragraphs[0].start :].startswith("The ")


def test_sentence_starting_with_capitals_is_not_a_dateline() -> None:
    assert find_layout("NATO said on Monday it would send more troops.").dateline is None
    assert find_layout("I - for one - disagree with the plan.").dateline is None


def test_byline_at_top_and_bottom() -> None:
    assert find_layout("By John Smith\n\nThe mayor said the park would reopen.").byline == (
        "John Smith"
    )
    text = "The mayor said the park would reopen.\n\nBy Media\n\nLeave a Reply"
    layout = find_layout(text)
    assert layout.byline == "Media"
    assert text[layout.body_start : layout.body_end] == "The mayor said the park would reopen."


def test_site_chrome_ends_the_body(run: Callable[[str], Extraction]) -> None:
    text = (
        '"We will reopen the park in May," the mayor said.\n\n'
        "Leave a Reply\n\n"
        'Your email address will not be published. "This is a great article," said Bob Jones.\n\n'
        "Translate \u00bb"
    )
    result = run(text)
    assert result.body_end == text.index("\n\nLeave a Reply")
    assert [q.text for q in result.quotes] == ["We will reopen the park in May"]
    assert all(q.end <= result.body_end for q in result.quotes)


def test_inline_promo_paragraph_is_skipped(run: Callable[[str], Extraction]) -> None:
    text = (
        "The council voted on Monday.\n\n"
        'READ MORE: "We will never give up," says mayor in fight over park\n\n'
        "The park will reopen in May."
    )
    assert run(text).quotes == ()


def test_a_promo_between_paragraphs_does_not_end_the_story() -> None:
    text = (
        "The council voted on Monday to close the pier.\n\n"
        "Sign up for our newsletter\n\n"
        'Mayor Ana Costa said the vote was "a mistake" and promised to reopen it by May.\n\n'
        "Share this article\n"
        "Copyright 2024 The Lindmouth Courier."
    )
    layout = find_layout(text)
    body = text[layout.body_start : layout.body_end]
    assert body.endswith("promised to reopen it by May.")
    paragraphs = [text[p.start : p.end] for p in layout.paragraphs]
    assert paragraphs[0].startswith("The council") and paragraphs[-1].startswith("Mayor Ana")
    assert not any("newsletter" in p for p in paragraphs)


def test_readers_comments_after_the_reply_form_are_not_story() -> None:
    text = (
        "The council voted on Monday to close the pier.\n\n"
        "Leave a Reply\n\n"
        "I have walked on that pier every day for forty years and this is a disgrace."
    )
    layout = find_layout(text)
    assert text[layout.body_start : layout.body_end] == (
        "The council voted on Monday to close the pier."
    )


def test_a_dateline_under_a_headline_is_found() -> None:
    text = (
        "Drug shortage leaves pharmacies scrambling\n\n"
        "TORONTO \u2014 Pharmacies are rationing an antibiotic, pharmacists say.\n\n"
        "The supplier said the delay would end soon."
    )
    layout = find_layout(text)
    assert layout.dateline == "TORONTO"
    assert [text[p.start : p.end][:10] for p in layout.paragraphs] == [
        "Drug short",
        "Pharmacies",
        "The suppli",
    ]
    # Not under a sentence: a story paragraph ends the search.
    text = "The council met on Monday.\n\nTORONTO \u2014 Pharmacies are rationing drugs."
    assert find_layout(text).dateline is None


def test_a_dateline_under_a_headline_byline_and_time_stamps_is_found() -> None:
    text = (
        "Province to ban phones in classrooms\n\n"
        "By Ana Ruiz, The Canadian Press\n\n"
        "Posted September 3, 2024 10:15 am\n\n"
        "Updated September 3, 2024 2:30 pm\n\n"
        "TORONTO \u2014 Students will have to keep their phones out of sight, the minister said."
    )
    layout = find_layout(text)
    assert (layout.dateline, layout.byline) == ("TORONTO", "Ana Ruiz")
    assert [text[p.start : p.end][:10] for p in layout.paragraphs] == [
        "Province t",
        "Students w",
    ]
