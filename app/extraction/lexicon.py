"""Word lists the rules share, each defined once with why its words are in or out.

Lists used by one rule only stay beside that rule; lists that two modules once kept under one
name with different contents live here under names that say how they differ (both behaviours
are kept as they were: merging them would change the output).
"""

from __future__ import annotations

TEXT_ISSUING_VERBS = frozenset(
    {"issue", "release", "send", "post", "publish", "unleash", "deliver", "make"}
)
"""Cue stage (attribution._issuing_subject): verbs whose subject puts out a text or holds an
occasion of speaking ("issued a statement calling ...", "unleashed a series of tweets",
"made remarks ..."); that subject is the source of what the text says. Was
attribution._ISSUING_VERBS."""

DOCUMENT_AUTHORING_VERBS = frozenset(
    {"send", "release", "issue", "publish", "post", "sign", "write", "file", "email"}
)
"""Speaker stage (speakers._document_author): participles that link a document to its author
("a statement released by X", "a letter signed by", "an email sent by"). It has the writing
verbs (sign, write, file, email) that TEXT_ISSUING_VERBS lacks, and not its speaking ones
(make, deliver, unleash). Was speakers._ISSUING_VERBS."""

ADDRESSED_OBJECT_VERBS = frozenset(
    {"tell", "ask", "urge", "remind", "inform", "assure", "advise", "thank"}
)
"""Speaker stage (speakers.inverted_object_subject): verbs whose object after an inverted cue
is the person addressed ("Lee, told Kim ..."), not the speaker. Was speakers._ADDRESSING_VERBS."""

TELLING_VERBS = frozenset(
    {
        "tell",
        "inform",
        "assure",
        "remind",
        "warn",
        "advise",
        "notify",
        "promise",
        "convince",
        "persuade",
        "reassure",
        "caution",
        "brief",
        "email",
        "text",
        "write",
        "ask",
        "show",
    }
)
"""Content stage (attribution._clause_after_addressee): verbs whose object is the one told, so
that a pronoun-led clause after it may be what they were told ("told detectives he attached
...", "assured voters they would ..."); "adding two tournaments he had not played" is no such
report. Wider than ADDRESSED_OBJECT_VERBS (warnings, promises, writing), without its requests
and thanks (urge, thank), which take an infinitive or nothing reported."""

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
"""Speaker stage (speakers.mention_for, named_subjects): NER labels whose entity is read as a
speaker's name. WORK_OF_ART, PRODUCT, EVENT and numeric labels are out: on a subject they are
mostly tagger slips ("Vancouver's Bo Horvat" as WORK_OF_ART), read as a phrase instead. Was
speakers._NAME_LABELS."""

HEADLINE_CUE_WORDS = frozenset(
    {
        "says", "warns", "urges", "tells", "claims", "vows", "admits", "denies", "insists",
        "argues", "announces", "confirms", "calls", "slams", "blasts", "defends", "rejects",
        "praises", "accuses", "pledges", "promises", "predicts", "suggests",
    }
)  # fmt: skip
"""Names stage (speakers.clean_name): a title-case headline's verb that NER folds into the
name before it ("Obama Says African-American Museum ..." tags "Obama Says" a person). Present
tense only: "Said" is a surname (Edward Said), and headlines report in the present."""

HYPHENS = frozenset({"-", "\u2010", "\u2011"})
"""Content stage (rules/content): the marks the tokenizer splits a hyphenated word at
("co-operating" as "co", "-", "operating"), which the parser may hang on a cue as clauses."""

HEADLINE_KICKER_WORDS = frozenset(
    {
        "breaking", "exclusive", "update", "updated", "developing", "alert", "urgent", "live",
        "watch", "video", "photos", "photo", "listen", "look", "read", "see", "wow", "whoa",
        "boom", "yikes", "ouch", "oops", "revealed", "leaked", "confirmed", "busted", "caught",
        "bombshell", "shocking", "shocker", "flashback", "just", "must", "new", "now", "paid",
        "notice", "news", "explainer", "analysis", "opinion", "podcast", "quiz", "recap",
    }
)  # fmt: skip
"""Cue stage (rules/cues/headline): words of a headline's kicker, the label before its colon
that names no one ("Breaking:", "Just Leaked:", "Watch:", "Paid Notice:"); a label made only
of these is no speaker, and the line is read from after the colon. Sources that open a
headline the same way ("Poll:", "Report:", "Editorial:", "Fact Check:") stay out."""

HEADLINE_SOURCE_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
"""Cue stage (attribution._phrase_mention, headlines only): NER labels that may name a
headline's speaker; narrower than NAME_LABELS (no FAC, LOC). Was attribution._NAME_LABELS."""

# --- descriptions used as speaker mentions (rules/resolve) -------------------------------

GENERIC_INSTITUTIONS = frozenset(
    {
        "government",
        "police",
        "court",
        "army",
        "military",
        "authorities",
        "city",
        "province",
        "state",
        "country",
        "public",
    }
)
"""Institutions every story has ("the government said"): never linked to a named
organisation, since the one named before is rarely the one meant."""

STATEMENT_NOUNS = frozenset({"statement", "release"})
"""Documents that an organisation puts out in the same breath as it speaks ("A statement
said ..."), so an indefinite one still belongs to the organisation just quoted."""

RESEARCH_NOUNS = frozenset({"finding", "findings", "result", "results"})
"""Records of a study, which speak for whoever carried it out."""

WHITE_PAPER = ["white", "paper"]
"""A two-word document noun the head-noun test misses."""

PHRASE_PREPOSITIONS = frozenset({"of", "for", "at", "with", "in", "from", "on"})
"""Prepositions that end a description's head: "the former sergeant-at-arms of the House of
Commons" is headed by "sergeant-at-arms", not "Commons"."""

NEW_REFERENT_WORDS = frozenset(
    {"other", "another", "first", "second", "third", "new", "latest", "next"}
)
"""Words that make a description introduce someone new ("the other man") rather than refer
back to someone named."""

COLLECTIVE_NOUNS = frozenset(
    {
        "press",
        "media",
        "public",
        "crowd",
        "audience",
        "electorate",
        "market",
        "markets",
        "industry",
        "community",
        "world",
        "internet",
        "establishment",
        "family",
        "families",
    }
)
"""Nouns for a public or a collective, never one person: "the French press calls it ...",
"the cyclist's family said ..."."""

POSSESSIVE_DETERMINERS = frozenset({"his", "her", "their"})
"""Possessors that make an organisation noun someone's own ("her office"), not the
organisation named last."""

SPOKESPEOPLE = frozenset({"spokeswoman", "spokesman", "spokesperson"})
"""Heads of "a spokeswoman for X": the person who speaks for X, often named in the next
quote (rules/speakers/spokesperson)."""

# --- titles before a name (speakers._title_before) ------------------------------------------

ABBREVIATED_TITLES: dict[str, str] = {
    "sen": "Senator",
    "rep": "Representative",
    "gov": "Governor",
    "lt": "Lieutenant",
    "gen": "General",
    "col": "Colonel",
    "capt": "Captain",
    "cmdr": "Commander",
    "sgt": "Sergeant",
    "cpl": "Corporal",
    "maj": "Major",
    "adm": "Admiral",
    "insp": "Inspector",
    "det": "Detective",
    "const": "Constable",
    "supt": "Superintendent",
    "atty": "Attorney",
    "sec": "Secretary",
    "pres": "President",
    "prof": "Professor",
    "rev": "Reverend",
    "coun": "Councillor",
    "ald": "Alderman",
    "cst": "Constable",
    "pte": "Private",
    "brig": "Brigadier",
    "msgr": "Monsignor",
    "amb": "Ambassador",
}
"""Abbreviated titles written before a name ("Sen. Ravi Patel", "Lt. Gov. Ann Cole"), spelled
out when they become a speaker's role ("Senator", "Lieutenant Governor"), so that a later
"the senator" finds the person and users read one spelling. Only a word written with its
period is expanded ("Gen." but not "Gen" in "Gen Z")."""

COURTESY_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "hon"}
)
"""Honorifics that say nothing of what a person does: before a name alone they are no role
("Dr. Lena Ford", "Mr. Tom Hale"); with a title word they stay part of it."""
