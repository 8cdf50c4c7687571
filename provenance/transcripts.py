"""Interviews printed as an exchange of labelled paragraphs ("Q: …", "ALTMAN: …", "Sam
Altman: …", "THE COURT: …"): the answers are the speaker's words, quoted without quotation
marks. Pure functions on the article's text and its paragraphs' spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from provenance.matching import word_set

LABEL = re.compile(r"(?P<label>[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,3}):[ \t]+(?=\S)")
MIN_TURNS = 3  # labelled paragraphs that make an exchange: one "Update:" is no interview
ASKING_SHARE = 0.5  # of a label's paragraphs, those ending in "?" that make it the asker's
_ASKERS = frozenset({"q", "question", "interviewer"})
ANSWERS = frozenset({"a", "answer"})  # the one being interviewed, named in the introduction
_NOT_SPEAKERS = word_set(  # labels of an article's furniture, not of a speaker
    """update updated correction clarification note disclosure related photo caption credit
    source sources watch listen video audio warning background context"""
) | {"editor's note", "editor’s note", "read more", "see also", "also read"}


@dataclass(frozen=True)
class Turn:
    """One labelled paragraph: its label as printed and the span of the words after it."""

    label: str
    at: int  # where the label starts
    start: int
    end: int


@dataclass(frozen=True)
class Exchange:
    """An interview in an article: where its first labelled paragraph starts, and the
    turns that answer (all but the asker's)."""

    at: int
    answers: tuple[Turn, ...]


def exchange(text: str, paragraphs: list[tuple[int, int]]) -> Exchange | None:
    """The exchange the labelled paragraphs make, if they make one: at least MIN_TURNS of
    them under at least two labels, one of them asking ("Q:", or a label whose turns
    mostly end in a question mark, as an interviewer's or an examining lawyer's do)."""
    found = []
    for start, end in paragraphs:
        m = LABEL.match(text, start, end)
        if m and not _furniture(m["label"]):
            found.append(Turn(m["label"], start, m.end(), len(text[:end].rstrip())))
    if len(found) < MIN_TURNS or len({turn.label for turn in found}) < 2:
        return None
    asking = _askers(text, found)
    if not asking:
        return None
    return Exchange(found[0].at, tuple(turn for turn in found if turn.label not in asking))


def speaker_name(label: str) -> str:
    """A label as a name is written: "SAM ALTMAN" is "Sam Altman", "Altman" stays."""
    return label.title() if label.isupper() and len(label) > 1 else label


def _furniture(label: str) -> bool:
    return " ".join(label.lower().split()) in _NOT_SPEAKERS


def _askers(text: str, exchange: list[Turn]) -> set[str]:
    """The labels whose turns ask the questions."""
    asking = set()
    for label in {turn.label for turn in exchange}:
        own = [turn for turn in exchange if turn.label == label]
        questions = sum(text[turn.start : turn.end].rstrip().endswith("?") for turn in own)
        if label.lower() in _ASKERS or questions > ASKING_SHARE * len(own):
            asking.add(label)
    return asking
