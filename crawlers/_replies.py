"""Replies that quote the message they answer, and text-message threads, written as text.

A reply's quoted part opens with an attribution line ("On Wed, Jan 31, 2018 at 11:54 PM
Andrej Karpathy <…> wrote:", "Le jeu. 1 mars 2018 à 09:15, … a écrit :", "Am Do., 1. März
2018 um 09:15 Uhr schrieb …:", which mail programs wrap over two lines when it is long) and
goes on in lines that begin with ">". Those lines are the earlier message's words, not the
replier's: they become a message of their own, by the person the attribution line names,
at the date it gives (one level of ">" taken off, so a quote inside the quote is read
again). A text-message thread is lines "[Sep 22, 2017, 10:56 AM] Name: words" (a time or a
date in the brackets: "[1] Name:" is a footnote), a message each (a line that does not
open so continues the message before it, up to a blank line); each message goes to the
thread's other participants. A date the line does not give unambiguously stays
unknown: numeric dates such as 9/22/17 are not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crawlers._dates import AT, ZONE, iso_date
from crawlers._email import Headers, Message, parse_name, split_body
from provenance.models import Unit

# English and French put the date, then the writer; German the writer after "schrieb".
_ATTRIBUTION = re.compile(
    r"(?:On|Le) (?P<rest>.+?)\s+(?:wrote|a écrit)\s?:|Am (?P<date>.+?)\s+schrieb\s+(?P<who>.+):"
)
_OPENERS = ("On ", "Le ", "Am ")
_DATE_THEN_NAME = re.compile(
    r"(?P<date>.*?(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4})"
    rf"(?:,?\s*(?:{AT}\s+)?\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
    rf"(?:\s*{ZONE})?),?\s+(?P<who>.+)"
)
_QUOTED = re.compile(r">\s?")
_TEXT_MESSAGE = re.compile(
    r"\[(?P<date>[^\]]*\d[^\]]*)\]\s+(?P<name>[^:\[\]]{1,80}):\s+(?P<text>.+)"
)
_STAMP = re.compile(r"\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}")  # a time or a date, not "[1]"
MIN_TEXT_MESSAGES = 2


def unfold(messages: Iterable[Message]) -> list[Message]:
    """Each message with its own words only, then each message its text carries
    (forwarded, or quoted under an attribution line), unfolded in turn: a forward of a
    reply, or a reply quoting a forward, gives every writer their own words."""
    unfolded: list[Message] = []
    for message in messages:
        own, carried = split_body(message.text, message.headers)
        own, quoted = split_reply(own)
        unfolded.append(Message(message.headers, own, message.forwarded_by, message.forwarded_at))
        unfolded += unfold([*quoted, *carried])
    return unfolded


def split_reply(body: str) -> tuple[str, list[Message]]:
    """A reply's own text, and the message it quotes (with the messages that one quotes),
    or the body as it is and [] when it quotes nothing with an attribution line."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.startswith(_OPENERS):
            continue
        skip, match = 1, _ATTRIBUTION.fullmatch(line)
        if match is None:
            skip, match = 2, _ATTRIBUTION.fullmatch(f"{line} {_next(lines, index)}".strip())
        if match is None:
            continue
        rest = lines[index + skip :]
        quoted = [_QUOTED.sub("", x, count=1) for x in rest if x.startswith(">")]
        if not quoted:
            continue
        own = lines[:index] + [x for x in rest if not x.startswith(">")]
        if match["rest"] is None:
            sender, date = parse_name(match["who"]), iso_date(match["date"])
        else:
            sender, date = _who_and_when(match["rest"])
        inner_own, inner = split_reply("\n".join(quoted))
        earlier = Message(Headers(sender=sender, date=date), _strip(inner_own))
        return _strip("\n".join(own)), [earlier, *inner]
    return body, []


def _next(lines: list[str], index: int) -> str:
    return lines[index + 1] if index + 1 < len(lines) else ""


def _who_and_when(rest: str) -> tuple[str | None, str | None]:
    """Split "Wed, Jan 31, 2018 at 11:54 PM, Andrej Karpathy <a@b>" into name and ISO date:
    the date (written out, ISO or numeric) runs to its year, or to the time and zone after
    it; a numeric date is cut off the name but not read."""
    match = _DATE_THEN_NAME.fullmatch(rest)
    if match is None:
        return parse_name(rest), None
    return parse_name(match["who"]), iso_date(match["date"])


def _strip(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@dataclass(frozen=True)
class TextMessage:
    sender: str | None
    date: str | None
    text: str


def split_texts(text: str) -> tuple[str, list[TextMessage]]:
    """The text around a text-message thread, and the thread's messages; TEXT and [] when
    it holds no thread (fewer than two lines in the thread's form). A line goes on the
    message before it only with no blank line between: after one it is the writer's own."""
    own: list[str] = []
    messages: list[TextMessage] = []
    continuing = False
    for line in text.split("\n"):
        match = _TEXT_MESSAGE.fullmatch(line.strip())
        if match and _STAMP.search(match["date"]):
            date = iso_date(match["date"])
            messages.append(TextMessage(parse_name(match["name"]), date, match["text"].strip()))
            continuing = True
        elif continuing and line.strip():
            last = messages[-1]
            messages[-1] = TextMessage(last.sender, last.date, f"{last.text}\n{line.strip()}")
        else:
            own.append(line)
            continuing = False
    if len(messages) < MIN_TEXT_MESSAGES:
        return text, []
    return _strip("\n".join(own)), messages


def text_units(messages: list[TextMessage]) -> list[tuple[str, Unit]]:
    """A unit per message, sent to the thread's other participants."""
    everyone = tuple(dict.fromkeys(m.sender for m in messages if m.sender))
    units = []
    for message in messages:
        label = f"Text from {message.sender or 'unknown sender'}"
        if message.date:
            label += f", {message.date[:10]}"
        to = tuple(name for name in everyone if name != message.sender)
        unit = Unit("text_message", 0, 0, message.sender, message.date, to, label=label)
        units.append((message.text, unit))
    return units
