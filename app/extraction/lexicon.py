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

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
"""Speaker stage (speakers.mention_for, named_subjects): NER labels whose entity is read as a
speaker's name. WORK_OF_ART, PRODUCT, EVENT and numeric labels are out: on a subject they are
mostly tagger slips ("Vancouver's Bo Horvat" as WORK_OF_ART), read as a phrase instead. Was
speakers._NAME_LABELS."""

HEADLINE_SOURCE_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
"""Cue stage (attribution._phrase_mention, headlines only): NER labels that may name a
headline's speaker; narrower than NAME_LABELS (no FAC, LOC). Was attribution._NAME_LABELS."""
