"""Fact-checks over GraphQL: reviewClaims, Claim.reviews with link scores, suggestions an
editor confirms or rejects, the reviews listing, claims(reviewed:) and a speaker's checked
claims with their verdicts; reviewClaim keeps working."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.db.engine import make_session
from app.graphql.ids import encode_global_id
from tests.conftest import GraphQL
from tests.services.test_reviews import store_claims

BRIDGE = "The new Riverside bridge cost 340 million dollars."
COFFEE = "Drinking coffee causes dehydration."

IMPORT = """
mutation($reviews: [JSON!]!) {
  reviewClaims(reviews: $reviews) {
    created updated unchanged automaticLinks suggestedLinks
    errors { position message }
    reviews { id claimReviewed rating }
  }
}
"""

CLAIM_REVIEWS = """
query($id: ID!) {
  node(id: $id) {
    ... on Claim {
      text
      reviews {
        id reviewer rating claimReviewed url datePublished reviewDate inLanguage
        author { name url }
        reviewRating { alternateName ratingValue bestRating worstRating }
        itemReviewed { author datePublished appearance }
        link { score method status decidedAt }
        claim { text }
      }
      suggestedReviews { id claimReviewed link { score method status } }
    }
  }
}
"""


def review(claim: str, url: str, rating: str = "False", **extra: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "url": url,
        "datePublished": "2025-04-02",
        "author": {"@type": "Organization", "name": "Check Desk", "url": "https://cd.example"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": rating,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Ana Ruiz"},
            "appearance": [{"url": "https://news.example/1"}],
        },
        **extra,
    }


def claims(engine: sa.Engine) -> tuple[str, str, str]:
    with make_session(engine) as session:
        ids = store_claims(
            session,
            [
                ("The Riverside bridge cost $340 million to build, the mayor said.", "Ana Ruiz"),
                ("The new Riverside bridge cost 430 million dollars, critics claimed.", None),
                ("Drinking coffee causes dehydration, Ana Ruiz told her followers.", "Ana Ruiz"),
            ],
        )
    paraphrase, other_figure, coffee = (encode_global_id("Claim", i) for i in ids)
    return paraphrase, other_figure, coffee


def test_review_claims_needs_a_key_and_reports_what_it_did(
    gql: GraphQL, anonymous: GraphQL, engine: sa.Engine
) -> None:
    claims(engine)
    refused = anonymous(IMPORT, reviews=[review(BRIDGE, "https://cd.example/1")])
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    sent = [
        review(BRIDGE, "https://cd.example/1"),
        {"@type": "ClaimReview", "claimReviewed": "No author or rating"},
        {"@context": "https://schema.org", "@graph": [review(COFFEE, "https://cd.example/2")]},
    ]
    done = gql.ok(IMPORT, reviews=sent)["reviewClaims"]
    assert (done["created"], done["updated"], done["unchanged"]) == (2, 0, 0)
    assert done["automaticLinks"] == 2 and done["suggestedLinks"] >= 1
    assert done["errors"] == [{"position": "1", "message": done["errors"][0]["message"]}]
    assert "author" in done["errors"][0]["message"]
    assert [r["claimReviewed"] for r in done["reviews"]] == [BRIDGE, COFFEE]

    again = gql.ok(IMPORT, reviews=sent)["reviewClaims"]
    assert (again["created"], again["unchanged"], len(again["errors"])) == (0, 2, 1)


def test_a_claim_shows_its_reviews_with_scores_and_its_suggestions(
    gql: GraphQL, engine: sa.Engine
) -> None:
    paraphrase, other_figure, _coffee = claims(engine)
    gql.ok(IMPORT, reviews=[review(BRIDGE, "https://cd.example/1")])
    claim = gql.ok(CLAIM_REVIEWS, id=paraphrase)["node"]
    (found,) = claim["reviews"]
    assert found["reviewer"] == found["author"]["name"] == "Check Desk"
    assert found["rating"] == found["reviewRating"]["alternateName"] == "False"
    assert found["reviewRating"] == {
        "alternateName": "False",
        "ratingValue": 1.0,
        "bestRating": 5.0,
        "worstRating": 1.0,
    }
    assert found["datePublished"] == found["reviewDate"] == "2025-04-02T00:00:00+00:00"
    assert found["itemReviewed"] == {
        "author": "Ana Ruiz",
        "datePublished": None,
        "appearance": ["https://news.example/1"],
    }
    assert found["link"]["status"] == "AUTOMATIC" and found["link"]["method"] == "text-v1"
    assert 0.7 <= found["link"]["score"] <= 1 and found["link"]["decidedAt"] is None
    assert found["claim"]["text"] == claim["text"]
    assert claim["suggestedReviews"] == []

    other = gql.ok(CLAIM_REVIEWS, id=other_figure)["node"]
    assert other["reviews"] == []
    (suggestion,) = other["suggestedReviews"]
    assert suggestion["link"]["status"] == "SUGGESTED"
    assert suggestion["link"]["method"] == "text-v1:figures-differ"


LINK = """
mutation($claim: ID!, $review: ID!) {
  linkReview(claimId: $claim, reviewId: $review) {
    status method score decidedAt claim { text } review { claimReviewed }
  }
}
"""
UNLINK = LINK.replace("linkReview", "unlinkReview")


def test_an_editor_confirms_a_suggestion_and_rejects_a_link_and_imports_keep_both(
    gql: GraphQL, anonymous: GraphQL, engine: sa.Engine
) -> None:
    paraphrase, other_figure, _coffee = claims(engine)
    review_id = gql.ok(IMPORT, reviews=[review(BRIDGE, "https://cd.example/1")])["reviewClaims"][
        "reviews"
    ][0]["id"]
    refused = anonymous(LINK, claim=other_figure, review=review_id)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    confirmed = gql.ok(LINK, claim=other_figure, review=review_id)["linkReview"]
    assert confirmed["status"] == "CONFIRMED" and confirmed["decidedAt"]
    assert confirmed["review"]["claimReviewed"] == BRIDGE
    rejected = gql.ok(UNLINK, claim=paraphrase, review=review_id)["unlinkReview"]
    assert rejected["status"] == "REJECTED" and rejected["method"] == "text-v1"

    # The verdict changes: the review is updated and matched again; the decisions stand.
    gql.ok(IMPORT, reviews=[review(BRIDGE, "https://cd.example/1", rating="Mostly true")])
    assert gql.ok(CLAIM_REVIEWS, id=paraphrase)["node"]["reviews"] == []
    (kept,) = gql.ok(CLAIM_REVIEWS, id=other_figure)["node"]["reviews"]
    assert (kept["rating"], kept["link"]["status"]) == ("Mostly true", "CONFIRMED")

    statuses = gql.ok(
        "query($id: ID!) { node(id: $id) { ... on ClaimReview { links { status claim { text } } "
        "claim { text } } } }",
        id=review_id,
    )["node"]
    assert [link["status"] for link in statuses["links"]] == ["CONFIRMED", "REJECTED"]
    assert statuses["claim"]["text"].startswith("The new Riverside bridge cost 430")

    missing = gql(LINK, claim=encode_global_id("Claim", 999), review=review_id)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


REVIEWS = """
query($search: String, $reviewer: String, $since: DateTime, $first: Int, $after: String) {
  reviews(search: $search, reviewer: $reviewer, since: $since, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { claimReviewed reviewer datePublished }
  }
}
"""


def test_reviews_are_listed_newest_first_searched_and_paged(gql: GraphQL) -> None:
    gql.ok(
        IMPORT,
        reviews=[
            review(BRIDGE, "https://cd.example/1", datePublished="2025-01-01"),
            review(COFFEE, "https://cd.example/2", datePublished="2025-03-01"),
            review(
                "Wind farms kill more birds than cats do.",
                "https://other.example/3",
                datePublished="2025-02-01",
                author={"name": "Other Check"},
            ),
        ],
    )
    page = gql.ok(REVIEWS, first=2)["reviews"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [n["claimReviewed"] for n in page["nodes"]] == [
        COFFEE,
        "Wind farms kill more birds than cats do.",
    ]
    rest = gql.ok(REVIEWS, first=2, after=page["pageInfo"]["endCursor"])["reviews"]
    assert [n["claimReviewed"] for n in rest["nodes"]] == [BRIDGE]
    assert gql.ok(REVIEWS, search="bridge")["reviews"]["totalCount"] == 1
    assert gql.ok(REVIEWS, reviewer="other check")["reviews"]["totalCount"] == 1
    assert gql.ok(REVIEWS, since="2025-02-01T00:00:00Z")["reviews"]["totalCount"] == 2


def test_a_speakers_checked_claims_with_their_verdicts(gql: GraphQL, engine: sa.Engine) -> None:
    claims(engine)
    gql.ok(
        IMPORT,
        reviews=[
            review(BRIDGE, "https://cd.example/1", rating="Mostly true"),
            review(COFFEE, "https://cd.example/2", rating="False"),
        ],
    )
    speaker = gql.ok(
        """{ speaker(name: "Ana Ruiz") {
             checked: claims(reviewed: true) { totalCount nodes { text reviews { rating } } }
             unchecked: claims(reviewed: false) { totalCount } } }"""
    )["speaker"]
    assert speaker["checked"]["totalCount"] == 2 and speaker["unchecked"]["totalCount"] == 0
    verdicts = {
        c["text"][:12]: [r["rating"] for r in c["reviews"]] for c in speaker["checked"]["nodes"]
    }
    assert verdicts == {"The Riversid": ["Mostly true"], "Drinking cof": ["False"]}
    # A suggestion alone does not make a claim reviewed.
    reviewed = gql.ok("{ claims(reviewed: true) { totalCount } }")["claims"]["totalCount"]
    assert reviewed == 2
    assert gql.ok("{ claims(reviewed: false) { totalCount } }")["claims"]["totalCount"] == 1


def test_review_claim_still_attaches_a_review_by_hand(gql: GraphQL, engine: sa.Engine) -> None:
    _paraphrase, other_figure, _coffee = claims(engine)
    attached = gql.ok(
        """mutation($id: ID!) { reviewClaim(input: {claimId: $id, reviewer: "Fact Desk",
        rating: "Mostly true", url: "https://factdesk.example/1"}) {
        id reviewer rating claimReviewed claim { text } } }""",
        id=other_figure,
    )["reviewClaim"]
    assert attached["claimReviewed"] == attached["claim"]["text"]
    (shown,) = gql.ok(CLAIM_REVIEWS, id=other_figure)["node"]["reviews"]
    assert (shown["rating"], shown["link"]["status"], shown["link"]["method"]) == (
        "Mostly true",
        "CONFIRMED",
        "editor",
    )
