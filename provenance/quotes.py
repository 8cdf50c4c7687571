"""Find the quotations in an article: their words, form, speaker and claimed date.

Four forms (models.QuoteForm):
  quoted  words inside quotation marks of any style (“ ” ‘ ’ " ' « » ‹ › „ “ ‚ ‘); a quote
          running over paragraphs (reopened at the start of each, closed once at the end)
          is one quote, as is one its attribution interrupts (“The plan,” she wrote, “was
          …”), its parts joined as printed, without the credit (“The plan,” “was …”:
          matching.JOIN, no omission mark). A quote inside a quote (“He kept saying ‘…’”) is
          one too, with no speaker or date: the article gives it at second hand.
  block   a unit of kind "blockquote", minus surrounding marks and a closing "— Name" line,
          credited by that line or by a paragraph after it that is only a credit (the
          crawler's for a <blockquote>'s closing <footer> or <cite>).
  pull    a paragraph without quotation marks followed by a paragraph that is only a name,
          the way the opinion piece in cases/for-profit-pivot.md prints Karpathy's line.
  answer  an interview's answer after its speaker's label ("ALTMAN: …"; see transcripts.py),
          credited to the name the article gives in full, "A:" to the one it introduces.

Speakers come from the quote's own sentence, else the sentence before or after it ("X
said", "said X", "according to X", "in a post, X", "X: “…”", "X’s memo said", "an email
to X, who replied:", but not "X" in "told X:", nor a writing the quote answers: "Musk
wrote, a day after Karpathy’s note:").
Pronouns resolve to the last person's full name mentioned before them (never an
organisation's) other than after a preposition ("moved to San Diego", but "a memo from X"
and "according to X" name a source) or in a "who" clause, and never to one the article
shows is not a "he" or a "she" ("Ms. Sund", or an earlier "she" that can only be Sund);
when that person's gender is unknown and another named lately is shown to fit, the speaker
is left unknown rather than guessed, as it is when the quote speaks of someone of the
other gender and the sentence before names another person too ("Tom Berg sued Ana Lima.
“She took the money,” he said": one is the "he", the other the "she", but which?), or when
that sentence names the person as the object of another's verb ("Elon Musk met Sam Altman.
He said: “…”": either may be the "he"; but the one asked a question answers it: "Lind
asked Petra Aune whether she would stay. “No,” she said"); so is a pronoun after a
sentence about someone named by a role alone ("The chief executive of Tesla went further.
“…,” he wrote"). Bare surnames resolve to the last full name they end; two people joined
by "and" ("Ana Lima and Tom Berg said", "Lima and Berg said") are no one speaker.
Quotes standing alone after one introduction ("Ruiz said on Monday:" and two quoted
paragraphs) are all the introduction's. Dates come
from the quote's sentence or the one that introduces it (one ending in a colon, or, before
a quote run over paragraphs, one reporting its speaker), not from a "who" clause, one
of another deed ("before resigning on March 3", "since she left in 2019") nor a filing's
or publication's date ("documents filed on Tuesday"). All of this reads a masked
copy of the text in which quoted words are hidden, so a name or date inside a quote is
never taken for its speaker or date.

Dates relative to the article ("yesterday", "on Monday", "last week", "three days ago")
resolve against its own date, as precise as they are: a day, an ISO week ("2024-W23"), a
month or a year. A day or month without a year ("on March 5", "in March") keeps its year
unknown ("--03-05", "--03"): the article's year is only a guess, often wrong in a piece
looking back. Where its units are dated apart (a live blog's entries,
each with its own time), they resolve against the date of the unit they stand in.

Organisations speak too: "OpenAI said", "said the White House" (a seat of government, see
attribution.is_organisation), "the Department of Justice said" (though "Justice" alone is
a title), "The Justice Department said" opening a sentence, "said the Justice Department"
(but after "said the", no other name: "said the Bergen harbour master"), "a Brightwell
spokesperson", "a spokesperson for Riverton FC" (a family too: "a spokeswoman for the Lind
family", and her "she added"), and "the company" or "the board" as the organisation last
named (not "the Department of Energy Secretary Ana Lima": a title before a name is a
role). So do documents, for whoever issued them: "“…,” it says" and "the filing says"
stand for the sender their own words name ("A later memo, written by Lars Dahl, says:"; no
one when they name the sender by role alone: "sent by Musk’s chief of staff", "from his
lawyer"), else for the first person or organisation the sentence before names (never for
"a memo", new to the reader); a court paper's words ("Berg sued …", then "the filing
says") for an organisation only, never a person, whose counsel wrote them. "Reuters quoted
Ana Lima as saying" and "Lima was quoted as saying" credit Lima, not the outlet.

Words named rather than said are no quotes: a title ("under the headline “…”") or scare
quotes ("the so-called “…”"), nor fewer than four words within a sentence ("a “capped
profit” model"); as few as three are one when they are an utterance of their own with a
verb of speaking ("“Nobody asked us,” said Per Nilsen"). A question or a cry ends its
sentence: its credit may open the next ("“Who asked us?” Per Nilsen asked.").

Not handled yet: quotes in headings (they repeat the body's), and attribution verbs in
other languages.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from provenance import matching, stated_dates, transcripts
from provenance.attribution import is_company, is_organisation
from provenance.models import Document, Quote, QuoteForm

MIN_QUOTE_WORDS = 4  # fewer words is a scare quote or fragment, not worth tracing
MIN_SAID_WORDS = matching.MIN_WORDS  # a whole utterance with its "said X": as few as trace
MIN_PULL_WORDS = 8  # a pull-quote paragraph is at least a sentence
MAX_NESTING = 4  # quotes inside quotes inside quotes; deeper marks are noise
MASK = "~"  # stands in for quoted words in the masked text; never part of a name or date


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


_CLOSERS = {"“": "”", "„": "“”", "‘": "’", "‚": "‘’", '"': '"', "'": "'"}
_CLOSERS |= {"«": "»", "»": "«", "‹": "›", "›": "‹"}
_GUILLEMETS = "«»‹›"  # never apostrophes: they open and close wherever they stand
_OPEN_AFTER = "([{—–-/“‘„‚«»‹›\"'"  # besides whitespace, what may precede an opening mark
_ANY_MARK = re.compile("[" + "".join(_CLOSERS) + "”’]")
_SINGLE = re.compile("[‘’']")
_OPENERS = "“‘„‚«\"'"
_MARKS = '“”„‚«»‹›"‘'  # a pull-quote has none of these (’ and ' are apostrophes too)

_UPPER = "A-ZÀ-ÖØ-Þ"
_TITLES = "Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Lt|Gen|Col|Capt|Sgt|Maj|Adm|Cmdr|Rev|Hon|Supt|Det|Atty"
_NAME_WORD = (  # "Sen.", "J.D.", "Okafor"
    rf"(?:(?:{_TITLES})\.|(?:[{_UPPER}]\.)+(?= )|[{_UPPER}][\w’'-]*)"
)
_PARTICLE = "(?:van|von|de|der|del|da|di|la|le|bin|ibn|al) "
_NAME_RUN = (  # bounded, so regexes stay fast
    rf"{_NAME_WORD}(?: (?:{_PARTICLE}){{0,2}}{_NAME_WORD}){{0,6}}"
)
_POSSESSOR = rf"(?:{_NAME_WORD} ){{0,3}}[{_UPPER}][\w-]*(?:’s|'s)"  # "Sam Altman’s"
_WHOLE = rf"(?![’'\w]| [{_UPPER}])(?<![’']s)"  # after a name: all of it, and no possessor's
_PRONOUNS = frozenset({"he", "she", "they"})
_GENDER_OF = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_GENDERED = re.compile(r"\b(?i:he|him|his|she|her)\b")  # what shows a person's gender
_HONORIFIC = re.compile(r"\b(?:(?P<m>Mr)|Mrs|Ms|Miss)\.? $")  # "Ms. Sund"
_STOP = _words(
    """A An And As At But By For From He Her His However I If In It Its Like My Of On Or Our
    She So That The Their Then There These They This Those To We When While With Yet You Your
    After Before Also Even Only Still Since Though Although Because Meanwhile According Last
    Next Earlier Later Why What Who How Where Here Mr Mrs Ms Dr Prof Sir CEO Chief Executive
    Officer President Senator Judge Founder Co-founder Chairman Director Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March July September October
    November December Feb Aug Sept Oct Nov Dec Governor Gov Mayor Minister Secretary Sen Rep
    Representative Commissioner Chancellor Ambassador Professor Sheriff Councillor
    Councilor Superintendent Colonel Inspector Detective Reverend Rev Lt Gen Col Capt Sgt Maj
    Adm Cmdr Hon Supt Det Atty Secretary-General Speaker Leader Majority Minority Whip Justice
    Attorney District Surgeon Solicitor Former Acting Deputy Vice Interim Incoming Outgoing
    Billionaire Republican Democrat Democratic Can Is Did Does Was Has Meet Enter Yesterday
    Today Tomorrow Tonight Now Recently Finally Instead Indeed Again Another Every Each Some
    Many Most Few Several Both All Nevertheless Nonetheless Moreover Furthermore Perhaps"""
)  # "General" too after one of these: "Attorney General Merrick Garland" (see _chunks)
_BODY_NAMING = _words(  # stop words that begin a body's name when an organisation word
    # follows: "the Justice Department", "the Republican National Committee"
    "Justice District Democratic Republican Executive"
)
_NOT_PEOPLE = _words(
    """AI Inc Corp Labs Lab University Court Times Post Journal News Street Valley County City
    Department Company Group Foundation Institute Council Board House Senate Superior District
    Francisco York Angeles States Kingdom Google Microsoft Tesla OpenAI DeepMind Photo
    Photograph Images Press Wire"""
)
_GROUPS = _words(  # people spoken of as a group: "Critics said", never one speaker's name
    """Critics Officials Analysts Investors Employees Experts Residents Prosecutors Lawyers
    Attorneys Witnesses Neighbors Neighbours Protesters Supporters Opponents Researchers
    Scientists Doctors Teachers Parents Students Workers Voters Lawmakers Legislators
    Regulators Sources Observers Historians Economists Executives Users Customers Fans
    Others Officers Police Authorities Leaders Members Staff Staffers People Advocates
    Activists Democrats Republicans Insiders Engineers Founders Directors Aides Allies
    Friends Colleagues Organizers Organisers Participants Delegates Senators Judges"""
)
_SMALL_WORDS = _words("a an and as at but by for from in into of on or the to vs with")
_WORD = re.compile(r"[^\W_][\w’'-]*")


def _alternation(words: str) -> str:
    """Whitespace-separated words as a regex alternation."""
    return "|".join(words.split())


_SAYING = _alternation(  # verbs that only report words, so "…,” said X" credits X
    """said says say wrote writes written told tells added adds stated states posted posts
    tweeted tweets argued argues explained explains claimed claims noted notes replied replies
    responded responds insisted insists recalled recalls warned warns declared declares asked
    asks answered answers emailed texted remarked admitted admits announced announces
    suggested suggests proposed proposes testified acknowledged acknowledges conceded concedes
    vowed vows promised promises continued continues confirmed confirms stressed stresses
    emphasized emphasizes emphasised emphasises maintained maintains joked quipped cautioned
    cautions predicted predicts countered counters observed observes complained complains
    boasted boasts alleged alleges pleaded concluded concludes reiterated reiterates urged
    urges agreed agrees repeated repeats demanded demands commented comments snapped shouted
    yelled"""
)
_VERBS = (  # a speech verb, or one a speaker may put words to: "Hart called the plan “…”"
    _SAYING
    + "|"
    + _alternation("called calls described describes accused accuses ruled rules ordered orders")
    + "|put it|pointed out|points out"
)
_BODIES = "company|board|club|firm|agency|council|university|department|ministry|office|bank|lab"
_FAMILY_NAME = rf"{_NAME_RUN} family"  # "the Reyes family said": the family speaks
_FAMILY = re.compile(rf"(?:[Tt]he )?(?P<name>{_FAMILY_NAME})")
_BODY_OF_NAME = (  # "the Department of Justice", "the Office of the Attorney General": a
    # body's name even where its words are a title's; see _body_of
    rf"(?:{'|'.join(body.capitalize() for body in _BODIES.split('|'))}) of (?:the )?"
    rf"(?P<tail>{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}){_WHOLE}"
)
_BODY_OF = re.compile(rf"(?:[Tt]he )?(?P<name>{_BODY_OF_NAME})")
_SUBJECTS = (  # "the company": see _resolve
    rf"(?:[Tt]he )?{_FAMILY_NAME}|(?:[Tt]he )?{_BODY_OF_NAME}|{_NAME_RUN}|he|she|they"
    rf"|[Tt]he (?:{_BODIES})"
)
_SUBJECT = rf"(?P<subj>{_SUBJECTS})"
_SAID_BY = (  # after a verb of speaking, also a name after "the" that ends its clause: "said
    # the Justice Department on Tuesday", not "said the Bergen harbour master"; see _subject
    rf"(?P<subj>{_SUBJECTS}|the {_NAME_RUN}"
    r"(?=[.,;:!?)—–]|$| (?:in|on|at|to|after|before|during|as|when|while)\b))"
)
_THE_NAME = re.compile(rf"(?P<the>[Tt]he) (?P<name>{_NAME_RUN})")
_ADVERBS = (  # not the nouns in -ly: "the Lind family said" is no "Lind … said"
    r"(?:also|later|once|then|even|just|still|never|first|has|had|have|himself|herself"
    r"|(?!(?:family|ally|assembly|rally|supply)\b)\w+ly)"
)
_SPEAKS = rf"(?:{_ADVERBS} ){{0,2}}(?:{_VERBS})\b"  # what follows a speaking subject
_ASIDE = (  # "Sam Altman, OpenAI's CEO, said"; "Hughes — the party’s economist — said";
    # "Sen. Chuck Schumer (D-N.Y.) said"
    rf"(?:, [^;{MASK}“”\"]{{1,100}}?,| [—–] [^;{MASK}“”\"]{{1,100}}? [—–]| \([^(){MASK}]{{1,40}}\))"
)
_SUBJECT_VERB = re.compile(rf"\b{_SUBJECT}{_ASIDE}? {_SPEAKS}")
_SUBJECT_AND_VERB = re.compile(  # "Musk forwarded the email to them and wrote:", "Musk
    # reacted within minutes, writing on X:"
    rf"\b{_SUBJECT}(?<![’']s) [a-z][\w’'-]*\b[^;.{MASK}]{{0,120}}?"
    rf"(?: and (?:also |then )?(?:{_VERBS})|"
    r", (?:writing|saying|adding|telling|noting|arguing|posting|asking))\b"
)
_SPEECH = re.compile(rf"(?<![\w-])(?:{_VERBS})\b")  # not "so-called"
_WRITING_WORDS = "email e-mail memo letter post tweet statement message note text filing"
_WRITINGS = rf"(?:{_alternation(_WRITING_WORDS)})"
_DOCUMENTS = rf"(?:{_WRITINGS}|report)"  # what speaks for whoever issued it: "the filing says"
_COURT_PAPER = re.compile(  # a writing counsel drafts for a party: no person named is its writer
    r"\b(?:filing|complaint|lawsuit|suit|sued|sues|motion|indictment)\b"
)
_DETERMINER = r"(?:a|an|the|his|her|their|its)"
_WRITING_OF = re.compile(  # "Musk’s email said", "Altman's memo to staff read", or one
    # introducing the quote with a colon: "Smith’s memo of March 3, 2017, was blunt: “…";
    # one after a preposition is `answered`, the quote's reply or foil, not its writing: "a
    # day after Berg’s memo:", "in reply to Lima’s email:" (see _speakers)
    r"(?P<answered>\b(?i:after|before|following|unlike|like|than|over|against|about|despite)"
    r" |(?<![Aa]ccording )\bto )?"
    rf"\b{_SUBJECT}(?:’s|'s) (?:[\w-]+ ){{0,2}}{_WRITINGS}"
    rf"(?:(?: to [^,;.{MASK}]{{1,40}}?)? (?:{_VERBS}|read|reads)\b"
    rf"|\b[^;{MASK}“”\"]{{0,80}}?:\s*(?:[“\"‘«„]|$))"
)
_WRITING_FROM = re.compile(  # "…,” read the email from Elon Musk
    rf"\b(?:read|reads|{_VERBS}) {_DETERMINER} (?:[\w-]+ )?{_WRITINGS} "
    rf"(?:from|by|of) {_SUBJECT}"
)
_LONE_SPEAKER = re.compile(rf" {_SPEAKS}")  # after a lone name, "Musk wrote"
_OBLIQUE = re.compile(  # before a name a later "he" or "she" rarely means: "moved to San
    # Diego", "in a post on Truth Social", "Hart, who joined Goldman Sachs", "sat down with
    # Lex Fridman", "the director of the Halden Trust", a byline ("By Jane Doe") or a photo
    # credit ("AP Photo/Jane Doe"); not a source: "according to Moe", "a memo from Moe"
    r"(?:\b(?:(?i:in|on|at|for|of|into|near|via|with)|(?<![Aa]ccording )(?i:to)|"
    + "".join(rf"(?<!{writing} )" for writing in _WRITING_WORDS.split())
    + r"(?i:from|by)) (?:the )?"
    r"|, (?:who|which|whose)\b[^,;.]* |\b(?:Photo|Photograph|Credit)[/:] ?)$"
)
_ACCORDING_TO = re.compile(  # "according to Musk", "according to a statement from Harbor Trust",
    # "according to Altman’s lawyer, Ana Lima" (hers; "according to Altman’s lawyer": no one's)
    rf"\b[Aa]ccording to (?:{_DETERMINER} (?:[\w-]+ )?(?:{_WRITINGS}|report|release) "
    rf"(?:from|by|of) (?:the )?|(?:{_DETERMINER}|{_POSSESSOR}) [a-z][\w’'-]*"
    rf"(?: [a-z][\w’'-]*){{0,3}}, )?{_SUBJECT}{_WHOLE}"
)
_IN_A_POST = re.compile(
    rf"\b[Ii]n {_DETERMINER} (?:[\w-]+ )?(?:{_WRITINGS}|interview|podcast|speech)\b"
    rf"[^,;{MASK}]{{0,40}}, {_SUBJECT}"
)
_VERB_ROLE_NAME = re.compile(  # "…,” said the governor, Ana Lima; "said Bell’s deputy, Ana Lima"
    rf"\b(?:{_VERBS}) (?:{_DETERMINER}|{_POSSESSOR}) [a-z][\w’'-]*"
    rf"(?: [a-z][\w’'-]*){{0,3}}, {_SUBJECT}"
)
_QUOTED_THEN_CREDIT = re.compile(  # "“…,” said Jane Doe." in the sentence before another
    rf"[”\"»’]\s+(?:{_VERBS}) {_SAID_BY}(?![’'\w])"
)
_ISSUED_BY = re.compile(  # who sent a document its phrase names: "The email, sent by Musk,"
    # or one it names by role only: "sent by Musk’s chief of staff", "from his lawyer"
    rf"\b(?:by|from) (?P<role>(?:his|her|their|{_POSSESSOR}) )[a-z]"
    rf"|\b(?:by|from) (?P<by>{_NAME_RUN})"
    rf"|\b(?P<who>{_NAME_RUN}) (?:sent|wrote|issued|signed|filed|published|released)\b"
)
_DOCUMENT = rf"(?:[Tt]he|[Aa]n?) (?:[\w-]+ )?{_DOCUMENTS}"  # "the filing", "a later memo"
_DOCUMENT_SAYS = re.compile(  # "…,” the statement says", "The filing, dated May 2, reads:"
    rf"\b(?P<subj>{_DOCUMENT}){_ASIDE}? (?:{_SAYING}|reads?)\b"
)
_REFERS_BACK = re.compile(  # a sentence opening on the writing the one before it names
    rf"(?:It|The (?:[\w-]+ )?{_DOCUMENTS}) (?:[a-z][\w’'-]* ){{0,2}}[a-z][\w’'-]*:"
)
_THAT_WAS = re.compile(  # the sentence after a quote naming its speaker: "That was Marcus Feld"
    rf"(?:That|Those|These|This) (?:was|were|is|are)(?: the words of)? {_SUBJECT}"
    r"(?=\s*[,.;:—–(]|\s*$)"  # the whole name, not "That was Ana Lima’s view"
)
_IT_SAYS = re.compile(rf"[\s,;:]*(?P<subj>it) (?:{_SAYING}|reads?)\b")  # "…,” it says": see _issuer
_IT_READS = re.compile(  # "Musk sent an email. It read: “…”": the email's, see _issuer
    rf"\b(?P<subj>It) (?:{_SAYING}|reads?|begins|began|opens|opened|ends|ended)"
    rf"(?: [a-z][\w’'-]*){{0,4}}:\s*$"
)
_QUOTED_AS_SAYING = re.compile(  # "Jim Hart was quoted as saying", "… was quoted by Reuters as"
    rf"\b{_SUBJECT}{_ASIDE}? (?:is|was|were|has been|had been) quoted\b[^;.{MASK}]{{0,60}}? as "
    r"(?:saying|writing|telling)\b"
)
_QUOTED_PERSON = re.compile(  # "Reuters quoted Ana Lima as saying": hers, not the outlet's
    rf"\bquoted (?:{_DETERMINER} [a-z][\w’'-]*(?: [a-z][\w’'-]*){{0,3}}, )?{_SUBJECT}{_ASIDE}?,? "
    r"as (?:saying|writing|telling)\b"
)
_NAME_IN_APPOSITIVE = re.compile(  # "the company's chief engineer, Tariq Bell, said"
    rf", {_SUBJECT}, {_SPEAKS}"
)
_SPOKESPERSON = re.compile(  # "a Brightwell spokesperson", "a spokesperson for Riverton FC",
    # "a spokeswoman for the Lind family": the family's, not one of its members'
    rf"\b[Aa]n? (?:(?P<subj>{_NAME_RUN}(?: family)?)(?:’s|'s)? )?"
    rf"(?:spokesperson|spokesman|spokeswoman)"
    rf"(?(subj)| (?:for|of|at) (?:the )?(?P<org>{_NAME_RUN}(?: family)?))"
)
_ROLE_BREAK = "(?:in|on|at|to|for|from|by|of|with|after|before|during|about|the|a|an)"
_CREDIT_AFTER = re.compile(  # "…,” said Jim Hart", "said White House press secretary Ana Lima";
    # not "…,” ordered the Bergen line closed", "says the Bergen brochure" nor "said Jim Hart
    # in the company statement" (the words before a name are a role, never a preposition's)
    rf"[\s,;:.!?]*(?:(?:{_SAYING}) (?:(?:{_NAME_RUN} )?(?:(?!{_ROLE_BREAK}\b)[a-z][\w-]* ){{1,3}})?"
    rf"|[—–―] ?)"
    rf"(?<!\b[Tt]he )(?<!\b[Aa] )(?<!\b[Aa]n ){_SAID_BY}{_WHOLE}"
)
_ROLES = _alternation(
    """executive founder co-founder billionaire president chairman chairwoman chair director
    spokesperson spokesman spokeswoman minister secretary senator judge lawyer attorney
    official officer ceo boss investor entrepreneur engineer researcher scientist economist
    analyst professor manager mayor governor owner man woman"""
)
_ROLE_SUBJECT = re.compile(  # one named by a role alone: "The chief executive of Tesla went"
    rf"\s*[Tt]he (?:[a-z][\w’'-]* ){{0,3}}(?:{_ROLES})\b"
    rf"(?: (?:of|at) (?:the )?(?:[A-Z][\w’'-]*(?: |$)){{1,4}})?,? ?"
)
_INTERRUPTION = re.compile(  # an attribution splitting one quote: “The plan,” she wrote, “was
    rf"\s*,?\s*(?:{_SUBJECT}{_ASIDE}? {_SPEAKS}|(?:{_SAYING}) (?:{_NAME_RUN}|he|she|they))"
    rf"[^.;:!?{MASK}“”\"]{{0,60}}?,\s*"
)
_WHO_SAYS = re.compile(rf"\b{_SUBJECT}, who {_SPEAKS}")  # "… to Per Nilsen, who replied:"
_QUALIFIABLE = (_SUBJECT_VERB, _SUBJECT_AND_VERB, _QUOTED_AS_SAYING, _WHO_SAYS)  # _qualified
_NAME_COLON_BEFORE = re.compile(  # "Berg replied:"; not "Elon Musk’s chief of staff wrote:"
    rf"\b{_SUBJECT}(?<![’']s)(?: [a-z][\w’'-]*){{0,6}}:\s*$"
)
_SUBJECT_BEFORE = re.compile(r"\b\w.*\s[a-z][\w’'-]*[:,]?\s*$")  # "Workers chanted", "… read:"
_SUBJECT_AFTER = re.compile(r"[\s,;:]*\w[\w’'-]* [\w’'-]+")  # "…,” the crowd chanted"
_NOT_SAID = re.compile(  # a title, not a quote: "under the headline “…”", "a piece called
    # “…”"; nor scare quotes, the writer's doubt of a word: "the so-called “nonprofit”"
    r"\b(?i:headline|headlined|titled|entitled|(?:piece|article|story|column|essay|book|report"
    r"|film|song|op-ed) called|so[- ]called):?\s*$"
)
_AS_CLAUSE = re.compile(r",? as (?:the )?$")  # "…, as Quay News noted"
_CLAUSE = re.compile(r"\b(?:while|whereas|but|although|though|and)\b")  # opens another
_ADDRESSED = re.compile(  # "told Jake Tapper:", "told the BBC’s Laura Kuenssberg:", "à Olaf
    # Scholz:", "wrote to Altman and Brockman:"
    r"\b(?:(?<![Aa]ccording )to|on|in|at|via|with|told|tells|asked|asks|a|à)(?: [a-z]+)?"
    rf"(?: {_NAME_WORD}(?:,? {_NAME_WORD})*,? and)? $"
)
_ATTRIBUTION_LINE = re.compile(  # a paragraph that is only a name: "— Sam Altman, CEO of OpenAI"
    rf"(?P<dash>[—–―-]+\s*)?(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{1,3}})"
    r"(?P<title>, .{1,80})?\.?"
)
_SAYS_WHO = re.compile(r"\b(?:is|was|are|were|has|have|had|writes|wrote|lives|teaches)\b")
_CREDIT_LINE = re.compile(  # the last line of a block quote: "— Name, title" or a tweet's
    rf"(?:\n[ \t]*(?:[—–―]+|--?)|(?<=[”\"»’.!?])[ \t]+[—–―]+)[ \t]*(?P<subj>{_NAME_RUN})"
    r"[^\n]{0,80}$"
)
_SENTENCE_BREAK = re.compile(rf"(?<=[.!?])[”\"’'»)]*\s+(?=[“\"‘'«„(?{_UPPER}])|\n\s*\n")
_ABBREVIATIONS = _words(
    "Mr Mrs Ms Dr Prof St Jr Sr Inc Co Corp Ltd No vs Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct "
    "Nov Dec U.S e.g i.e " + _TITLES.replace("|", " ")
)

Span = tuple[int, int]
Mention = tuple[int, str, bool]  # offset, full name, whether a pronoun may stand for it
Block = tuple[str, int, int]  # unit kind, start, end


def extract_quotes(document: Document, *, published_at: str | None = None) -> list[Quote]:
    """Every quotation in the article, in text order, with its speaker and claimed date.

    `published_at` (default: the document's) dates relative dates, except in units dated
    apart (a live blog's posts): their own date.
    """
    text = document.text
    blocks = _blocks(document)
    paragraphs = [(start, end) for kind, start, end in blocks if kind == "paragraph"]
    exchange = transcripts.exchange(text, paragraphs)
    replies = exchange.answers if exchange else ()
    outermost, nested = _scan(text, paragraphs)
    marks = [m for m in outermost if not any(r.at <= m[0] < r.end for r in replies)]
    pulls = [i for i in range(len(blocks) - 1) if _is_pull(text, blocks[i], blocks[i + 1])]
    credited = {i: _credit_line(text, b) for i, b in enumerate(blocks) if b[0] == "blockquote"}
    credited |= {i: (blocks[i][1:], None, None) for i in pulls}
    set_apart = [words for words, _, _ in credited.values()] + [(r.start, r.end) for r in replies]
    published, entries = published_at or document.published_at, _entries(document)
    ctx = _Context.build(text, [(o + 1, c) for o, c in marks] + set_apart, published, entries)
    if (split := [part for o, c in marks for part in _unmerged(ctx, o, c)]) != marks:
        marks = split  # a closing mark was missing: hide the quotes as they really are
        ctx = _Context.build(text, [(o + 1, c) for o, c in marks] + set_apart, published, entries)
    quotes = [q for parts in _joined(ctx.text, marks) if (q := _marked_quote(ctx, parts))]
    inside = [(o, c) for o, c in nested if any(m[0] < o and c < m[1] for m in marks)]
    quotes += [q for o, c in inside if (q := _nested_quote(ctx, o, c))]
    quotes += [_set_apart(ctx, blocks, i, *parts) for i, parts in credited.items()]
    quotes += _answers(ctx, blocks, exchange)
    return sorted(quotes, key=lambda q: q.start)


def _entries(document: Document) -> list[tuple[int, date | None]]:
    """(start, date) of each unit when the units are dated apart, as a live blog's entries
    are; none when they share one date, the article's."""
    if len({unit.date for unit in document.units}) < 2:
        return []
    return sorted(
        ((unit.start, stated_dates.day_of(unit.date)) for unit in document.units),
        key=lambda e: e[0],
    )


def _blocks(document: Document) -> list[Block]:
    """Paragraph, blockquote and heading units; blank-line paragraphs when there are none."""
    kinds = ("paragraph", "blockquote", "heading")
    units = [(u.kind, u.start, u.end) for u in document.units if u.kind in kinds]
    if units:
        return sorted(units, key=lambda b: b[1])
    found = re.finditer(r"\S(?:[^\n]|\n(?![ \t]*\n))*", document.text)
    return [("paragraph", m.start(), m.start() + len(m.group().rstrip())) for m in found]


def _can_open(text: str, i: int) -> bool:
    """Whether text[i] opens a quotation: a mark followed by a word, after a space or bracket."""
    if text[i] not in _CLOSERS or text[i] in _GUILLEMETS:
        return text[i] in _GUILLEMETS
    after, before = text[i + 1 : i + 2], text[i - 1 : i] or " "
    return bool(after) and not after.isspace() and (before.isspace() or before in _OPEN_AFTER)


def _can_close(text: str, i: int) -> bool:
    """Whether text[i] may close a quotation: after a word, not inside one (Musk’s, isn't)."""
    if text[i] in _GUILLEMETS:
        return True
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return bool(before) and not before.isspace() and not after.isalnum()


def _apostrophe(text: str, i: int, end: int) -> bool:
    """Whether a single mark that could close a quote ends a word instead ("the players’
    union", "runnin’ on"): after an s or n and before a lowercase word, with the next single
    mark before `end` (the paragraph's) closing, not opening, a quote."""
    if text[i] not in "’'" or text[i - 1] not in "sn" or not re.match(r"\s[a-z]", text[i + 1 :]):
        return False
    for m in _SINGLE.finditer(text, i + 1, end):
        if _can_open(text, m.start()):
            return False
        if _can_close(text, m.start()):
            return True
    return False


def _scan(text: str, paragraphs: list[Span]) -> tuple[list[Span], list[Span]]:
    """(opening mark, closing mark) offsets of each outermost quotation in the paragraphs,
    and of each quotation directly inside one of them.

    One pass with a stack of open quotes: a closing mark that fits an open quote closes it and
    drops those opened inside it and still open (a stray ‘em), which then never pair. A quote
    still open at a paragraph's end carries on if the next paragraph opens with the same mark.
    """
    pairs: list[Span] = []
    stack: list[int] = []  # offsets of the opening marks of the quotes still open
    carried = False
    for k, (start, end) in enumerate(paragraphs):
        for m in _ANY_MARK.finditer(text, start + 1 if carried else start, end):
            j = m.start()
            fits = [d for d, at in enumerate(stack) if text[j] in _CLOSERS[text[at]]]
            if fits and _can_close(text, j) and not _apostrophe(text, j, end):
                pairs.append((stack[fits[-1]], j))
                del stack[fits[-1] :]
            elif len(stack) < MAX_NESTING and _can_open(text, j):
                stack.append(j)
        following = paragraphs[k + 1][0] if k + 1 < len(paragraphs) else None
        carried = bool(stack) and following is not None and not text[end:following].strip()
        carried = carried and text[following or 0] == text[stack[0]]
        stack = stack[:1] if carried else []
    outermost: list[Span] = []
    nested: list[Span] = []
    for opening, closing in sorted(pairs):
        if not outermost or opening > outermost[-1][1]:
            outermost.append((opening, closing))
        elif not nested or opening > nested[-1][1] or nested[-1][0] < outermost[-1][0]:
            nested.append((opening, closing))
    return outermost, nested


def _trim(text: str, start: int, end: int) -> Span:
    """The span without surrounding whitespace or a trailing comma, semicolon or colon."""
    m = re.match(r"\s*(.*?)[\s,;:]*$", text[start:end], re.DOTALL)
    assert m is not None  # the pattern matches any string
    return start + m.start(1), start + m.end(1)


def _worth_tracing(words: str, least: int = MIN_QUOTE_WORDS) -> bool:
    """At least `least` words, and not a title (every word capitalised or small);
    words all in capitals are shouted ("WE ARE NOT SELLING"), not a title."""
    found = _WORD.findall(words)
    titled = all(w[0].isupper() or w[0].isdigit() or w in _SMALL_WORDS for w in found)
    shouted = words.isupper()
    return len(found) >= least and (shouted or not titled)


def _attribution(text: str, block: Block, *, require_mention: bool) -> str | None:
    """The name if a block is only a credit line: "Elon Musk", "— Sam Altman, CEO of OpenAI".

    A line that goes on to say who the person is is a sentence, not a credit. A bare name
    without dash or title must also appear elsewhere in the text when
    `require_mention`, so a two-word subheading ("Looking Ahead") is not taken for one.
    """
    kind, start, end = block
    m = _ATTRIBUTION_LINE.fullmatch(text, start, end)
    if kind != "paragraph" or m is None or len(_chunks(m["name"], 0)) != 1:
        return None
    if m["title"] and _SAYS_WHO.search(m["title"]):
        return None  # an author's tagline: "Jane Doe, a former council member, is a fellow"
    surname = m["name"].split()[-1]
    if require_mention and not (m["dash"] or m["title"]) and text.count(surname) < 2:
        return None
    return m["name"]


def _is_pull(text: str, block: Block, following: Block) -> bool:
    """A marks-free paragraph of MIN_PULL_WORDS or more, followed by a credit line."""
    kind, start, end = block
    words = text[start:end]
    return (
        kind == "paragraph"
        and len(_WORD.findall(words)) >= MIN_PULL_WORDS
        and not any(mark in words for mark in _MARKS)
        and _attribution(text, block, require_mention=False) is None
        and _attribution(text, following, require_mention=True) is not None
    )


@dataclass(frozen=True)
class _Names:
    """Full names (of two words or more) by their last and by their first word, each list in
    text order: whom a bare surname or given name stands for, without a pass over every
    name the article gives for every quote (which made a long article's quotes quadratic)."""

    by_last: dict[str, list[tuple[int, str]]]
    by_first: dict[str, list[tuple[int, str]]]

    @classmethod
    def of(cls, named: list[tuple[int, str]]) -> _Names:
        by_last: dict[str, list[tuple[int, str]]] = {}
        by_first: dict[str, list[tuple[int, str]]] = {}
        for at, name in named:
            if " " in name:
                words = name.split()
                by_last.setdefault(words[-1], []).append((at, name))
                by_first.setdefault(words[0], []).append((at, name))
        return cls(by_last, by_first)

    def named(self, word: str, offset: int) -> str | None:
        """The full name `word` ends ("Halvorsen" is Margit Halvorsen), else the one it begins
        ("Elon"), so a surname goes to its person before a first name matches: of each, the
        last given before `offset`, else the first after it."""
        for index in (self.by_last, self.by_first):
            found = index.get(word, [])
            k = bisect_left(found, offset, key=lambda item: item[0])
            if found:
                return found[k - 1][1] if k > 0 else found[k][1]
        return None


@dataclass(frozen=True)
class _Context:
    """The masked text, its sentences and the people it names, shared by every quote."""

    text: str
    masked: str
    starts: list[int]  # offset where each sentence starts
    mentions: list[Mention]  # every person named, in order
    genders: dict[str, str]  # "m" or "f" for each person the article shows as one: _genders
    organisations: list[tuple[int, str]]  # (offset, name) of every organisation named
    published: date | None
    entries: list[tuple[int, date | None]]  # (start, date) of units dated apart: _entries
    people: _Names  # the full names in mentions
    first_plain: int  # index in mentions of the first a pronoun is likely to stand for
    bodies: _Names  # the full names in organisations

    @classmethod
    def build(
        cls,
        text: str,
        hidden: list[Span],
        published_at: str | None,
        entries: list[tuple[int, date | None]],
    ) -> _Context:
        chars = list(text)
        for start, end in hidden:
            last = start + len(text[start:end].rstrip()) - 1
            chars[start:end] = MASK * (end - start)
            if last >= start and text[last] in ".!?":
                chars[last] = text[last]  # keep a sentence's end, so sentences still split
        masked = "".join(chars)
        starts, people, bodies = _sentence_starts(masked), _mentions(masked), _bodies(masked)
        genders = _genders(masked, starts, people)
        day = stated_dates.day_of(published_at)
        names = _Names.of([(at, name) for at, name, _ in people])
        plain = next((k for k, mention in enumerate(people) if mention[2]), len(people))
        return cls(
            text, masked, starts, people, genders, bodies, day, entries, names, plain,
            _Names.of(bodies),
        )  # fmt: skip

    def sentence(self, k: int) -> Span:
        end = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.masked)
        return self.starts[k], end

    def sentence_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def dated_from(self, offset: int) -> date | None:
        """The date relative dates at `offset` count from: its entry's, else the article's."""
        k = bisect_right(self.entries, offset, key=lambda entry: entry[0]) - 1
        return (self.entries[k][1] if k >= 0 else None) or self.published

    def opens_paragraph(self, k: int) -> bool:
        return k == 0 or "\n\n" in self.masked[self.starts[k] - 2 : self.starts[k]]

    def paragraph_before(self, offset: int) -> int:
        """Where the paragraph before the one holding `offset` starts (0 for the first)."""
        k, opened = self.sentence_at(offset), 0
        while k > 0 and (opened := opened + self.opens_paragraph(k)) < 2:
            k -= 1
        return self.starts[max(k, 0)]

    def agrees(self, name: str, pronoun: str) -> bool | None:
        """Whether the gender the article shows for `name` fits a pronoun; None if unknown."""
        gender, wanted = self.genders.get(name), _GENDER_OF.get(pronoun)
        return None if gender is None or wanted is None else gender == wanted


def _sentence_starts(masked: str) -> list[int]:
    """Offsets at which sentences start: after . ! ? (not an abbreviation, unless a quotation
    opens next: "to work in the U.S. “I came with nothing,” he said") and at paragraphs."""
    starts = [0]
    for m in _SENTENCE_BREAK.finditer(masked):
        word = re.search(r"([\w.]*)\.$", masked[max(0, m.start() - 12) : m.start()])
        quotation = masked[m.end() : m.end() + 1] in _OPENERS
        abbreviated = word and (word[1] in _ABBREVIATIONS or len(word[1]) == 1)
        if "\n\n" not in m.group() and abbreviated and not quotation:
            continue
        starts.append(m.end())
    return starts


def _chunks(run: str, base: int) -> list[tuple[int, str]]:
    """A run of capitalised words split into names at stop words and possessives, at offsets."""
    chunks: list[tuple[int, str]] = []
    words: list[str] = []
    start = 0
    stop = False  # whether the word before was a stop word
    for m in re.finditer(r"\S+", run):
        possessive = m.group().endswith(("’s", "'s"))
        word = m.group()[:-2] if possessive else m.group()
        names_body = word in _BODY_NAMING and is_organisation(run[m.end() :])
        stop = (word.rstrip(".") in _STOP and not names_body) or (stop and word == "General")
        if not stop:
            start = m.start() if not words else start
            words.append(word)
        if words and (possessive or stop):
            chunks.append((base + start, " ".join(words)))
            words = []
    if words:
        chunks.append((base + start, " ".join(words)))
    return chunks


def _mentions(masked: str) -> list[Mention]:
    """Every full name (2-4 words, not an organisation's), every surname resolving to one,
    and a lone name that speaks ("Musk wrote"): an excerpt may never give the full name,
    and a "he said" after it still means that speaker."""
    found: list[Mention] = []
    by_surname: dict[str, str] = {}  # the last full name mentioned with each surname
    for run, chunks in _runs(masked):
        for offset, name in chunks:
            if offset == run and " " in name and _after_title(masked, offset):
                place, _, name = name.partition(" ")  # "Secretary of State Antony Blinken"
                offset += len(place) + 1
            elif offset == run and _joined_after_title(masked, offset):
                offset, name = _place_and_person(offset, name) or (offset, name)
            words = name.split()
            plain = _OBLIQUE.search(masked, max(run - 80, 0), run) is None
            if 2 <= len(words) <= 4 and not _is_body(name):
                found.append((offset, name, plain))
                by_surname[words[-1]] = name
            elif len(words) == 1 and name in by_surname:
                found.append((offset, by_surname[name], plain))
            elif (
                len(words) == 1
                and name not in _NOT_PEOPLE
                and name not in _GROUPS
                and not is_organisation(name)
                and _LONE_SPEAKER.match(masked, offset + len(name))
            ):
                found.append((offset, name, True))
    return found


def _genders(masked: str, starts: list[int], mentions: list[Mention]) -> dict[str, str]:
    """The gender the article itself shows for a person ("m" or "f"): an honorific before
    a mention ("Ms. Sund"), or a he, she, his or her that is the first word of a sentence
    to stand for anyone, after a sentence naming that person alone and before any other
    name in its own ("Karin Sund chairs the board. She rarely speaks"), and not one that
    speaks ("“…,” he said"): that is the pronoun to be resolved. A person shown both ways
    is left unknown, so that a misread never rules the right one out."""
    shown: dict[str, set[str]] = {}
    for at, name, _ in mentions:
        if (honorific := _HONORIFIC.search(masked, max(at - 6, 0), at)) is not None:
            shown.setdefault(name, set()).add("m" if honorific["m"] else "f")
    offsets = [at for at, _, _ in mentions]
    for k in range(1, len(starts)):
        end = starts[k + 1] if k + 1 < len(starts) else len(masked)
        pronoun = _GENDERED.search(masked, starts[k], end)
        if pronoun is None or _LONE_SPEAKER.match(masked, pronoun.end()):
            continue
        if bisect_left(offsets, pronoun.start()) > bisect_left(offsets, starts[k]):
            continue  # someone is named before it in its own sentence
        lo, hi = bisect_left(offsets, starts[k - 1]), bisect_left(offsets, starts[k])
        named = {name for at, name, _ in mentions[lo:hi] if not _possessive(masked, at, name)}
        if len(named) == 1:
            shown.setdefault(named.pop(), set()).add(_GENDER_OF[pronoun.group().lower()])
    return {name: genders.pop() for name, genders in shown.items() if len(genders) == 1}


def _possessive(masked: str, at: int, name: str) -> bool:
    """Whether the mention at `at` is a possessor ("Harbor Lane’s chief, Dana Whitfield,"),
    whose sentence is about someone else."""
    written = name if masked.startswith(name, at) else name.split()[-1]
    return masked.startswith(("’s", "'s"), at + len(written))


def _bodies(masked: str) -> list[tuple[int, str]]:
    """Every organisation named: "Meridian Launch Systems", "the Coastal Reserve Board"."""
    return [
        (offset, name) for _, chunks in _runs(masked) for offset, name in chunks if _is_body(name)
    ]


_RUN_OR_BODY = re.compile(rf"{_BODY_OF.pattern}|{_NAME_RUN}")


def _runs(masked: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Each run of capitalised words, at its offset, as the names in it: a body named
    "X of Y" whole ("the Department of Justice", whose "Justice" is no name of its own),
    any other split by _chunks."""
    for m in _RUN_OR_BODY.finditer(masked):
        if body := _body_of(m):
            yield m.start("name"), [(m.start("name"), body)]
        else:
            yield m.start(), _chunks(m.group(), m.start())


def _body_of(m: re.Match[str] | None) -> str | None:
    """The body a _BODY_OF match names ("the Department of Justice", "the Office of the
    Attorney General"): words after its "of" that are all a title's or all a name's, not a
    title and a name ("Department of Energy Secretary Ana Lima")."""
    return (
        m["name"] if m and m["name"] and _chunks(m["tail"], 0) in ([], [(0, m["tail"])]) else None
    )


def _is_body(name: str) -> bool:
    """Whether a name is an organisation's or a place's, never a person's a pronoun stands for."""
    return is_organisation(name) or bool(_NOT_PEOPLE.intersection(name.split()))


def _subject(run: str) -> str | None:
    """The speaker a subject names: a stand-in ("she", "it", "the company"), or the last name
    in a run of capitalised words."""
    if family := _FAMILY.fullmatch(run):
        return family["name"]
    if body := _body_of(bodied := _BODY_OF.fullmatch(run)):
        return body
    if bodied:  # "the Department of Energy Secretary Ana Lima": a title and a name, no stand-in
        run = bodied["name"]
    if named := _THE_NAME.fullmatch(run):  # "said the Justice Department"; see _SAID_BY
        if named["the"] == "The":  # opening a sentence: the name, as "the" before it elsewhere
            return _subject(named["name"])
        return _organisation_named(named["name"])
    if _stands_in(run.lower()):
        return run.lower()
    chunks = _chunks(run, 0)
    last = run.split()[-1].rstrip(".")
    return chunks[-1][1] if chunks and last not in _STOP and last not in _GROUPS else None


def _organisation_named(run: str) -> str | None:
    """The organisation a run of capitalised words names whole ("Justice Department"), else
    none: after "said the", another name is a place's or a day's ("said the Bergen …")."""
    return run if _chunks(run, 0) == [(0, run)] and is_organisation(run) else None


def _stands_in(subject: str) -> bool:
    """Whether a subject stands for someone named elsewhere: "she", "it", "the company",
    "a memo" (its writer's)."""
    return (
        subject in _PRONOUNS
        or subject == "it"
        or subject.startswith("the ")
        or re.fullmatch(_DOCUMENT, subject) is not None
    )


def _resolve(ctx: _Context, subject: str, offset: int) -> str | None:
    """A pronoun or bare surname as the full name last mentioned before `offset`: a
    person's, else an organisation's ("Halvorsen" is Margit Halvorsen, not Halvorsen Foods)."""
    if subject == "it" or re.fullmatch(_DOCUMENT, subject):
        return _issuer(ctx, offset, subject)
    if subject.startswith("the "):  # "the company": the organisation last named
        earlier = _within(ctx.organisations, 0, offset)
        return _body(subject.split()[-1], (name for _, name in reversed(earlier)))
    if subject in _PRONOUNS:
        if _named_by_role(ctx, offset) or (subject == "they" and _group_before(ctx, offset)):
            return None
        return _reporter(ctx, offset, subject) or _antecedent(ctx, offset, subject)
    if " " in subject:
        return subject
    return ctx.people.named(subject, offset) or ctx.bodies.named(subject, offset) or subject


def _named_by_role(ctx: _Context, offset: int) -> bool:
    """Whether the sentence before a pronoun at `offset` is about a person it names by a
    role alone ("The chief executive of Tesla went further. “…,” he wrote"): the pronoun
    is that person, whom the article does not name there, not the last person it named."""
    k = ctx.sentence_at(offset)
    if k == 0:
        return False
    role = _ROLE_SUBJECT.match(ctx.masked, ctx.sentence(k - 1)[0])
    return role is not None and not _within(ctx.mentions, role.end(), role.end() + 2)


_GROUP = re.compile(  # "critics", "officials"; "Ana Lima and Tom Berg"
    rf"\b(?i:{_alternation(' '.join(_GROUPS))})\b|\b{_NAME_RUN},? and {_NAME_RUN}"
)


def _group_before(ctx: _Context, offset: int) -> bool:
    """Whether a "they" at `offset` may stand for a group the text spoke of just before
    ("Critics said: … “…,” they added"; "Lima and Berg met reporters"), not for the last
    person it named."""
    k = ctx.sentence_at(offset)
    start = ctx.sentence(k - 1)[0] if k > 0 else ctx.sentence(k)[0]
    return _GROUP.search(ctx.masked, start, offset) is not None


def _issuer(ctx: _Context, offset: int, document: str) -> str | None:
    """Who issued the `document` ("it", "the filing") an "it says" or "the filing says" at
    `offset` stands for: the one its own words name as sender ("The email, sent by Musk,
    read:", "the memo Lima wrote says"), else the one the sentence before names as sender
    ("Sutskever got an email from Musk. It read:"), else the first person or organisation
    that sentence names, as the one that put it out; for "a memo", new to the reader, only
    its own words. A court paper ("the filing", or an "it" after "Berg sued") is counsel's
    writing: an organisation may be its issuer, a person named never is."""
    k = ctx.sentence_at(offset)
    sentence_end = ctx.sentence(k)[1]
    phrase_end = ctx.masked.find(MASK, offset, sentence_end)
    phrase = (offset, phrase_end if phrase_end >= 0 else sentence_end)
    start, end = ctx.sentence(k - 1) if k > 0 else (0, 0)
    people = [(at, name) for at, name, _ in _within(ctx.mentions, start, end)]
    first = min([*people, *_within(ctx.organisations, start, end)], default=(0, None))[1]
    issuer = _sender(ctx, *phrase)
    if issuer is None and document.split()[0] not in ("a", "an"):
        issuer = _sender(ctx, start, end)
        issuer = first if issuer is None else issuer
    court = _COURT_PAPER.search(ctx.masked[start:end] if document == "it" else document)
    return None if not issuer or (court and not _is_body(issuer)) else issuer


def _sender(ctx: _Context, start: int, end: int) -> str | None:
    """The one a span names as a document's sender: "sent by Musk", "from Musk", "Musk
    wrote"; "" for one it names by role only ("sent by Musk’s chief of staff", "from his
    lawyer"): a sender, whom neither the boss nor anyone else named stands for."""
    sent = _ISSUED_BY.search(ctx.masked, start, end)
    if sent and sent["role"]:
        return ""
    if sent and (name := _subject(sent["by"] or sent["who"])) and not _stands_in(name.lower()):
        return _resolve(ctx, name, sent.start())
    return None


_Named = TypeVar("_Named", Mention, tuple[int, str])


def _within(named: list[_Named], start: int, end: int) -> list[_Named]:
    """Those of `named` (in text order, each with its offset first) from `start` to `end`."""
    first = bisect_left(named, start, key=lambda item: item[0])
    return named[first : bisect_left(named, end, lo=first, key=lambda item: item[0])]


def _body(kind: str, earlier: Iterable[str]) -> str | None:
    """The organisation "the company" or "the board" stands for, of those named before it
    (`earlier`, nearest first): a company is the last business named (Halvorsen Foods,
    never the Food Safety Authority), any other kind the last named with its word ("the
    board"), else the last."""
    business = kind in ("company", "firm")
    nearest = None
    for name in earlier:
        if is_company(name) if business else kind in name.lower().split():
            return name
        nearest = nearest or name
    return None if business else nearest


def _reporter(ctx: _Context, offset: int, pronoun: str) -> str | None:
    """The person whose words the sentence before `offset`'s reports ("Solberg said Eide
    never answered her. “…,” she wrote" is Solberg's), a pronoun's likeliest antecedent;
    none when that sentence reports no person's, addresses the last it names ("asked Kim"),
    or reports one the article shows is not a `pronoun` (a "he" for Ms. Solberg)."""
    k = ctx.sentence_at(offset)
    if k == 0:
        return None
    start, end = ctx.sentence(k - 1)
    found = _speakers(ctx, start, end)
    named = [(at, s) for at, s in found if not _stands_in(s)]
    before_end = bisect_left(ctx.mentions, end, key=lambda mention: mention[0])
    last = ctx.mentions[before_end - 1][0] if before_end else -1  # the last named in it
    addressed = last >= start and _ADDRESSED.search(ctx.masked, max(last - 30, 0), last)
    if not named or addressed:
        return None
    speaker = _resolve(ctx, named[0][1], named[0][0])
    spokesperson = _SPOKESPERSON.search(ctx.masked, start, end)
    if spokesperson and spokesperson.start() <= named[0][0] < spokesperson.end():
        return speaker  # "…,” she added" after "a spokeswoman for X said": X's words still
    fits = speaker and not _is_body(speaker) and ctx.agrees(speaker, pronoun) is not False
    return speaker if fits else None


def _antecedent(ctx: _Context, offset: int, pronoun: str | None = None) -> str | None:
    """Whom a pronoun at `offset` stands for, of the people named before it: the last one
    named other than after a preposition or in a "who" clause ("Jim Hart moved to San
    Diego. … he said" is Hart), else the last one named; never one the article shows is
    not a `pronoun` ("she" for Mr. Berg). None when the last one's gender is unknown and
    someone named since the paragraph before is shown to fit, or anyone named since the
    sentence before when a he and a she are in play (_both_genders), or the last one is
    the object of another's verb there (_object_of_another): a wrong speaker is worse than
    none."""
    cut = bisect_left(ctx.mentions, offset, key=lambda mention: mention[0])
    plain_only = ctx.first_plain < cut  # the likely ones, when there are any
    fitting = (  # nearest first: one pass back from the pronoun, not over every name
        (at, name)
        for at, name, plain in map(ctx.mentions.__getitem__, range(cut - 1, -1, -1))
        if (plain or not plain_only) and ctx.agrees(name, pronoun or "") is not False
    )
    if (nearest := next(fitting, None)) is None:
        return None
    last = nearest[1]
    if pronoun and ctx.agrees(last, pronoun) is None:
        if _object_of_another(ctx, offset, nearest, pronoun):
            return None
        recent = ctx.paragraph_before(offset)
        k = ctx.sentence_at(offset)  # anyone named from `lately` on is a rival, if anyone
        lately = ctx.sentence(max(k - 1, 0))[0] if _both_genders(ctx, k, pronoun) else offset
        for at, name in fitting:
            if at < recent:
                break
            if name != last and (ctx.agrees(name, pronoun) or at >= lately):
                return None
    return last


_SUBJECT_VERB_OBJECT = re.compile(  # "Elon Musk met Sam Altman", "Tor Eide and Kari Holm"
    rf"\s*{_NAME_RUN} (?:{_ADVERBS} )?(?P<verb>[a-z][\w’'-]*) (?P<object>{_NAME_RUN})"
)
_QUESTION = re.compile(r" (?:whether|if|why|how|when|what|who)\b")  # "asked Aune whether"


def _object_of_another(ctx: _Context, offset: int, named: tuple[int, str], pronoun: str) -> bool:
    """Whether the person `named` (offset, name) in the sentence before a pronoun at `offset`
    or its own is the object of a verb whose subject is another who may fit `pronoun` ("Elon
    Musk met Sam Altman. He said"): only gender could tell which one it is. Not one asked
    a question ("Lind asked Petra Aune whether she would stay on"): the one who answers."""
    at, name = named
    k = ctx.sentence_at(at)
    start = ctx.sentence(k)[0]
    m = _SUBJECT_VERB_OBJECT.match(ctx.masked, start)
    if k < ctx.sentence_at(offset) - 1 or m is None or not m.start("object") <= at < m.end():
        return False
    if m["verb"] in ("asked", "asks") and _QUESTION.match(ctx.masked, m.end()):
        return False
    subjects = _within(ctx.mentions, start, m.start("verb"))
    return any(
        other != name and ctx.agrees(other, pronoun) is not False for _, other, _ in subjects
    )


def _both_genders(ctx: _Context, k: int, pronoun: str) -> bool:
    """Whether sentence `k`, quote and all, speaks of someone of the other gender than its
    `pronoun` ("“She took the money,” he said"): of two people named just before, then, one
    is likely the "he" and the other the "she", and which is which only gender can tell."""
    wanted = _GENDER_OF.get(pronoun)
    said = _GENDERED.finditer(ctx.text, *ctx.sentence(k))
    return wanted is not None and any(_GENDER_OF[m.group().lower()] != wanted for m in said)


def _speakers(ctx: _Context, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, subject) of every attribution ("X said", "according to X", ...) in a span."""
    window = ctx.masked[start:end]
    found: list[tuple[int, str]] = []
    patterns = (
        _SUBJECT_VERB,
        _SUBJECT_AND_VERB,
        _ACCORDING_TO,
        _IN_A_POST,
        _SPOKESPERSON,
        _WRITING_OF,
        _WRITING_FROM,
        _VERB_ROLE_NAME,
        _QUOTED_THEN_CREDIT,
        _DOCUMENT_SAYS,
        _QUOTED_AS_SAYING,
        _QUOTED_PERSON,
        _WHO_SAYS,
    )
    for pattern in (*patterns, _NAME_IN_APPOSITIVE):
        for m in pattern.finditer(window):
            if m.groupdict().get("answered") or (subject := _subject(m[_who(m)])) is None:
                continue
            at = start + m.start(_who(m))
            if pattern not in _QUALIFIABLE:
                found.append((at, subject))
            elif speaker := _qualified(ctx.masked, start, at, subject, pattern is _WHO_SAYS):
                found.append(speaker)
    return sorted(found)


_PLACED = re.compile(r"\b(?:in|on|at|since|until|during|to|with) $")  # see _qualified
_BEFORE_SUBJECT = re.compile(
    rf"(?:(?P<head>{_NAME_RUN})|[\w’'-]+)(?: (?P<of>of (?:the )?)|,? (?P<and>and ))$"
)


def _qualified(
    masked: str, start: int, at: int, subject: str, relative: bool = False
) -> tuple[int, str] | None:
    """The speaker when the subject at `at` is not the whole of it: "Ron Wyden of Oregon
    said" is Wyden's, "the University of Oregon said", "the Securities and Exchange
    Commission said" and "the Department of Health and Human Services said" the body's,
    "Secretary of Health and Human Services Xavier Becerra said" Becerra's;
    "a friend of Ana Lima said" and "Ana Lima and Tom Berg said" or "Lima and Berg said"
    no one's (never Ana Lima's, never Tom Berg's alone), nor "a letter to Tom Berg said" or
    "a memo she wrote in May says", whose subject is no speaker, unless the verb is in a
    "who" clause of its own, `relative` to the name: "a letter to Tom Berg, who replied" is
    Berg's."""
    if not relative and _PLACED.search(masked, max(start, at - 8), at):
        return None  # "a memo Lima wrote in May says": a month, a place, never a speaker
    before = _BEFORE_SUBJECT.search(masked, max(start, at - 80), at)
    if before is None or (before["and"] and before["head"] is None):
        return at, subject
    if before["head"] is None:
        return None
    if _title_of(before):  # see _after_title
        place, _, name = subject.partition(" ")
        return (at + len(place) + 1, name) if name else (at, subject)
    if not (chunks := _chunks(before["head"], before.start("head"))):
        return at, subject
    offset, head = chunks[-1]
    if head.split()[-1] in _GROUPS:
        return None  # "Employees of OpenAI said": some of them, whom the article does not name
    person = " " in head and not _is_body(head)
    if before["and"]:
        if person or _is_body(head) or not _is_body(subject):
            return None  # two speakers ("Musk and Karpathy said"): which wrote the words?
        # "Securities and Exchange Commission": one body's name, going on before it after a
        # body's "of" ("the Department of Health and Human Services"), not a title's
        joined = f"{head} and {subject}"
        if not _after_title(masked, offset):
            return _qualified(masked, start, offset, joined)
        return _place_and_person(at, subject) or (offset, joined)
    if person:
        return offset, head
    # A body's name ("the University of Oregon"), or a place in one ("Rogers of the
    # Northern District of California"): whose name it is may stand before it.
    named = re.sub(r"^[Tt]he ", "", before["head"])
    offset = before.end("head") - len(named)
    return _qualified(masked, start, offset, f"{named} {before['of']}{subject}")


def _after_title(masked: str, at: int) -> bool:
    """Whether the name at `at` follows a title's "of", so that its first word is the
    place the title is of: "Secretary of State Antony Blinken", "Mayor of London Sadiq
    Khan"."""
    before = _BEFORE_SUBJECT.search(masked, max(at - 80, 0), at)
    return before is not None and _title_of(before)


def _joined_after_title(masked: str, at: int) -> bool:
    """Whether the name at `at` goes on a place joined by "and" after a title's "of":
    "Human Services Xavier Becerra" after "Secretary of Health and"."""
    before = _BEFORE_SUBJECT.search(masked, max(at - 80, 0), at)
    if before is None or not (before["and"] and before["head"]):
        return False
    return _after_title(masked, before.start("head"))


def _place_and_person(at: int, run: str) -> tuple[int, str] | None:
    """The person a run at `at` names after a place that ends at its first body word
    ("Human Services Xavier Becerra" is Xavier Becerra's), at its offset; none after it."""
    words = run.split()
    k = next((i for i, word in enumerate(words) if _is_body(word)), len(words))
    name = " ".join(words[k + 1 :])
    return (at + len(run) - len(name), name) if name else None


def _title_of(before: re.Match[str]) -> bool:
    """Whether the words _BEFORE_SUBJECT found are a title and its "of" ("Secretary of"):
    a name run with no name in it, all stop words."""
    return bool(before["of"] and before["head"] and not _chunks(before["head"], 0))


def _who(m: re.Match[str]) -> str:
    """The group of an attribution that names who speaks: the subject, else the
    organisation a spokesperson speaks for."""
    return "subj" if m["subj"] else "org"


def _dates(ctx: _Context, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, ISO date) of every date stated in a span of the masked text."""
    return stated_dates.dates_in(ctx.masked, start, end, ctx.dated_from)


def _nearest(
    before: list[tuple[int, str]], after: list[tuple[int, str]], opening: int, closing: int
) -> tuple[int, str] | None:
    """The (offset, value) closest to a quote, of those found before and after it."""
    ranked = [(opening - at, at, v) for at, v in before]
    ranked += [(at - closing, at, v) for at, v in after]
    return min(ranked)[1:] if ranked else None


def _unmerged(ctx: _Context, opening: int, closing: int) -> list[Span]:
    """A quote carried over paragraphs, as the quotes it really is: one, unless the paragraph
    it opens in credits one speaker and its close another ("Okonjo wrote: “…" then "“…,”
    Eide said"), where a closing mark is missing and its last paragraph is a quote apart."""
    reopening = ctx.text.rfind("\n", opening, closing) + 1
    if reopening == 0 or ctx.text[reopening] != ctx.text[opening]:
        return [(opening, closing)]
    first, last = ctx.sentence_at(opening), ctx.sentence_at(closing)
    head = _own_speaker(ctx, (ctx.sentence(first)[0], opening), (opening, opening))
    tail = _own_speaker(ctx, (closing, closing), (closing + 1, ctx.sentence(last)[1]))
    heard = [_resolve(ctx, found[1], found[0]) for found in (head, tail) if found]
    if len(heard) < 2 or heard[0] == heard[1]:
        return [(opening, closing)]
    return [(opening, opening + len(ctx.text[opening:reopening].rstrip())), (reopening, closing)]


def _joined(text: str, marks: list[Span]) -> list[list[Span]]:
    """The quotes as the article means them, each a list of its marked parts: one that its
    attribution interrupts (“The plan,” she wrote, “was always …”) is two."""
    quotes: list[list[Span]] = []
    for opening, closing in marks:
        if quotes and _interrupted(text, quotes[-1][-1][1], opening):
            quotes[-1].append((opening, closing))
        else:
            quotes.append([(opening, closing)])
    return quotes


def _interrupted(text: str, closing: int, opening: int) -> bool:
    """Whether the quote closed at `closing` goes on at `opening`: only an attribution
    between them, a comma before it (“The plan,” or “The plan”,) and one after it, and the
    words going on in lower case, mid-sentence."""
    between = text[closing + 1 : opening]
    comma = text[closing - 1] == "," or between.lstrip().startswith(",")
    going_on = text[opening + 1 : opening + 2].islower()
    return comma and going_on and _INTERRUPTION.fullmatch(between) is not None


def _marked_quote(ctx: _Context, parts: list[Span]) -> Quote | None:
    """The quote between two marks, or several parts of one (joined by matching.JOIN, as
    the article closes and reopens them), if worth tracing, credited from its sentence or
    neighbours."""
    spans = _part_spans(ctx.text, parts)
    words = matching.JOIN.join(ctx.text[start:end] for start, end in spans)
    (opening, closing), start, end = parts[0], spans[0][0], spans[-1][1]
    if _not_said(ctx.masked, opening):
        return None
    first, last = ctx.sentence_at(opening), ctx.sentence_at(closing)
    before = (ctx.sentence(first)[0], opening)
    after = _credit_next(ctx, closing, last) or (closing + 1, ctx.sentence(last)[1])
    spoken = _SPEECH.search(ctx.masked, *before) or _SPEECH.search(ctx.masked, *after)
    least = MIN_SAID_WORDS if spoken and _said_whole(ctx, before, closing) else MIN_QUOTE_WORDS
    if not _worth_tracing(words, least):
        return None
    credit, source = _own_speaker(ctx, before, after), None
    lead = _lead(ctx, first)
    # "…,” one employee said", or "Workers chanted “…”" opening a paragraph: someone unnamed,
    # not the last speaker
    unnamed = spoken or (ctx.opens_paragraph(lead) and _has_subject(ctx, before, after))
    if credit is None and not unnamed:
        credit, source = _neighbour_speaker(ctx, lead, last)
    speaker = _resolve(ctx, credit[1], credit[0]) if credit else None
    claimed = _nearest(_dates(ctx, *before), _dates(ctx, *after), opening, closing)
    carried = "\n\n" in ctx.text[opening:closing]
    if claimed is None and source is None and lead > 0:
        source = lead - 1 if _introduces(ctx, lead - 1, speaker, carried=carried) else None
    if claimed is None and source is not None and (dates := _dates(ctx, *ctx.sentence(source))):
        claimed = dates[-1] if source < first else dates[0]
    date_ = claimed[1] if claimed else None
    return Quote(words, start, end, "quoted", speaker=speaker, claimed_date=date_)


def _part_spans(text: str, parts: list[Span]) -> list[Span]:
    """Each part's words: up to its closing mark where the credit interrupts it (“The
    plan,” keeps its comma), the last without a trailing comma, semicolon or colon."""
    spans = [_trim(text, opening + 1, closing) for opening, closing in parts]
    heads = [
        (start, start + len(text[start:closing].rstrip()))
        for (start, _), (_, closing) in zip(spans[:-1], parts[:-1], strict=True)
    ]
    return heads + spans[-1:]


def _credit_next(ctx: _Context, closing: int, last: int) -> Span | None:
    """The sentence after a question or a cry when it opens with the quote's credit
    ("“Who asked us?” Per Nilsen asked.", "“Why now?” asked Berg."): such a quote ends its
    own sentence, so the words after it in that sentence are none."""
    if ctx.text[closing - 1] not in "?!" or last + 1 >= len(ctx.starts):
        return None
    start, end = closing + 1, ctx.sentence(last + 1)[1]
    opens = start + len(ctx.masked[start:end]) - len(ctx.masked[start:end].lstrip())
    credits = _CREDIT_AFTER.match(ctx.masked, start, end) or _SUBJECT_VERB.match(
        ctx.masked, opens, end
    )
    return (start, end) if credits else None


def _said_whole(ctx: _Context, before: Span, closing: int) -> bool:
    """Whether a quote is an utterance of its own: opening its sentence or after a colon,
    and ending as one ends (“…,” “…?” or “…”,). With a verb of speaking ("“Nobody asked
    us,” said Per Nilsen") its words are said however few, where a phrase ("a “capped
    profit” model", "“Capped profit” is what she called it") may be a scare quote."""
    said = ctx.masked[before[0] : before[1]].rstrip()
    ended = ctx.text[closing - 1] in ",.!?" or ctx.text.startswith(",", closing + 1)
    return ended and (not said or said.endswith(":"))


def _nested_quote(ctx: _Context, opening: int, closing: int) -> Quote | None:
    """A quote inside a quote ("He kept saying ‘…’, and nobody argued," she said): its
    words may be in a source even when the outer quote's are not. The article reports them
    at second hand, so no speaker or date is taken for them; a phrase the speaker marks
    ("the ‘Open’ in our name") is no quote, as outside."""
    start, end = _trim(ctx.text, opening + 1, closing)
    words = ctx.text[start:end]
    if not _worth_tracing(words) or _not_said(ctx.text, opening):
        return None
    return Quote(words, start, end, "quoted")


def _introduces(ctx: _Context, k: int, speaker: str | None, *, carried: bool) -> bool:
    """Whether sentence `k` introduces the quote after it, so its date is the quote's: it
    ends with a colon ("Ruiz said on Monday:"), the next one refers back to the writing it
    names ("It began:", "The memo read:"), or it reports the speaker of a quote
    `carried` over paragraphs ("Smith wrote to the board on March 3." and a long quote
    closed by "she wrote"), the way a quote too long for one paragraph is announced."""
    start, end = ctx.sentence(k)
    if ctx.masked[start:end].rstrip().endswith(":"):
        return True
    if k + 1 < len(ctx.starts) and _REFERS_BACK.match(ctx.masked, ctx.starts[k + 1]):
        return True  # "Smith sent a memo on March 3. It began: “…”"
    heard = [_resolve(ctx, subject, at) for at, subject in _speakers(ctx, start, end)]
    return carried and speaker is not None and speaker in heard


def _not_said(text: str, opening: int) -> bool:
    """Whether the words a mark opens are named, not said by anyone: a title ("under the
    headline “…”") or scare quotes ("the so-called “…”"). `text` is the masked text, or,
    inside a quote, which masking hides, the text itself."""
    return _NOT_SAID.search(text, max(opening - 40, 0), opening) is not None


def _has_subject(ctx: _Context, before: Span, after: Span) -> bool:
    """Whether a quote's sentence gives it a subject of its own, words with a verb before
    it ("The union's letter read: “…”") or words after it ("“…,” the crowd chanted")."""
    return bool(
        _SUBJECT_BEFORE.search(ctx.masked, *before) or _SUBJECT_AFTER.match(ctx.masked, *after)
    )


def _lead(ctx: _Context, first: int) -> int:
    """The sentence that leads a run of quotes standing alone, each its own sentence, after
    one introduction ("Ruiz said on Monday:" and two quoted paragraphs): `first` is one."""
    while first > 0 and not re.search(r"\w", ctx.masked[slice(*ctx.sentence(first - 1))]):
        first -= 1
    return first


def _own_speaker(ctx: _Context, before: Span, after: Span) -> tuple[int, str] | None:
    """The attribution nearest the quote in its own sentence, before or after it; not one
    after it in a clause of its own when there is one before ("Hart called the offer “…,”
    while Kim said" is Hart's)."""
    found_before, found_after = _speakers(ctx, *before), _speakers(ctx, *after)
    colon = _NAME_COLON_BEFORE.search(ctx.masked, *before)
    if colon and _ADDRESSED.search(ctx.masked, max(colon.start() - 30, 0), colon.start()):
        colon = None  # "Hart told Jake Tapper:", "writing on X:"
    if colon and not _names_speaker(ctx, colon):
        colon = None  # "Nothing else matters:"
    colon = colon or _IT_READS.search(ctx.masked, *before)
    credit_after = _CREDIT_AFTER.match(ctx.masked, *after) or _IT_SAYS.match(ctx.masked, *after)
    adjacent = ((colon, found_before), (credit_after, found_after))
    for m, into in adjacent:
        if m is None or (subject := _subject(m["subj"])) is None:  # "It read:" is "it"
            continue
        if (speaker := _qualified(ctx.masked, before[0], m.start("subj"), subject)) is not None:
            into.append(speaker)
    if found_before:
        found_after = [f for f in found_after if not _CLAUSE.search(ctx.masked, after[0], f[0])]
    found_after = [f for f in found_after if not _relaying(ctx, after[0], f[0])]
    return _nearest(found_before, found_after, before[1], after[0] - 1)


def _names_speaker(ctx: _Context, colon: re.Match[str]) -> bool:
    """Whether the words before a colon name who speaks: a full name, a name the article
    gives in full elsewhere, or any name with a verb of speaking ("Berg replied:"), not a
    capitalised word opening a sentence ("Nothing else matters:")."""
    subject = colon["subj"]
    return (
        " " in subject
        or _SPEECH.search(ctx.masked, colon.end("subj"), colon.end()) is not None
        or ctx.people.named(subject, colon.start()) is not None
    )


def _relaying(ctx: _Context, start: int, at: int) -> bool:
    """Whether the attribution at `at` only relays one made before it in the span: "…,”
    the chief executive told staff, as Quay News noted" is no word of Quay News'."""
    return bool(
        _AS_CLAUSE.search(ctx.masked, max(at - 8, start), at)
        and _SPEECH.search(ctx.masked, start, at)
    )


def _neighbour_speaker(
    ctx: _Context, first: int, last: int
) -> tuple[tuple[int, str] | None, int | None]:
    """The last attribution in the sentence before, else the first in the one after (same
    paragraph), with the index of the sentence it was found in."""
    if first > 0 and (found := _speakers(ctx, *ctx.sentence(first - 1))):
        return found[-1], first - 1
    following = last + 1 < len(ctx.starts) and not ctx.opens_paragraph(last + 1)
    if following and (found := _speakers(ctx, *ctx.sentence(last + 1))):
        return found[0], last + 1
    if (credit := _credit_paragraph(ctx, first, last)) is not None:
        return credit, last + 1
    that_was = last + 1 < len(ctx.starts) and _THAT_WAS.match(ctx.masked, ctx.starts[last + 1])
    if that_was and (subject := _subject(that_was["subj"])) is not None:
        return (that_was.start("subj"), subject), last + 1  # "That was Marcus Feld, writing …"
    return None, None


def _credit_paragraph(ctx: _Context, first: int, last: int) -> tuple[int, str] | None:
    """The name of a credit line ("— Elon Musk, Jan. 31, 2018") standing as the paragraph
    after a quote that is a paragraph of its own, as a pull-quote's does."""
    if last + 1 >= len(ctx.starts) or not (
        ctx.opens_paragraph(first) and ctx.opens_paragraph(last + 1)
    ):
        return None
    start, end = ctx.sentence(last + 1)
    end = start + len(ctx.text[start:end].rstrip())
    name = _attribution(ctx.text, ("paragraph", start, end), require_mention=True)
    return (start, name) if name else None


def _strip_marks(text: str, start: int, end: int) -> Span:
    """A block's span without the quotation marks around it, if it has a matching pair."""
    start, end = _trim(text, start, end)
    if end - start > 2 and text[start] in _CLOSERS and text[end - 1] in _CLOSERS[text[start]]:
        start, end = start + 1, end - 1
    return _trim(text, start, end)


def _answers(
    ctx: _Context, blocks: list[Block], exchange: transcripts.Exchange | None
) -> list[Quote]:
    """An interview's answers, each its label's: a name as the article gives it in full
    ("ALTMAN" is Sam Altman), "A:" the person named last before the exchange. Dated by
    the paragraph that introduces the exchange."""
    if exchange is None:
        return []
    first = exchange.at
    intro = [b for b in blocks if b[2] <= first and b[0] == "paragraph"][-1:]
    dates = _dates(ctx, *intro[0][1:]) if intro else []
    claimed = dates[-1][1] if dates else None
    quotes = []
    for reply in exchange.answers:
        start, end = _trim(ctx.text, reply.start, reply.end)
        if not _worth_tracing(ctx.text[start:end]):
            continue
        label = transcripts.speaker_name(reply.label)
        speaker = (
            _antecedent(ctx, first)
            if label.lower() in transcripts.ANSWERS
            else _resolve(ctx, label, reply.at)
        )
        quotes.append(
            Quote(ctx.text[start:end], start, end, "answer", speaker=speaker, claimed_date=claimed)
        )
    return quotes


def _credit_line(text: str, block: Block) -> tuple[Span, str | None, Span | None]:
    """A block quote's words, and the name and span of a closing credit line if it has one."""
    _, start, end = block
    if m := _CREDIT_LINE.search(text, start, end):
        return (start, m.start()), _subject(m["subj"]), (m.start(), end)
    return (start, end), None, None


def _set_apart(
    ctx: _Context, blocks: list[Block], i: int, words: Span, credit: str | None, line: Span | None
) -> Quote:
    """A block quote or pull-quote, credited by its credit line or the paragraph before it,
    dated by its credit line or the paragraph before it (unless that is only a credit)."""
    form: QuoteForm = "block" if blocks[i][0] == "blockquote" else "pull"
    if credit is None and i + 1 < len(blocks):
        credit = _attribution(ctx.text, blocks[i + 1], require_mention=True)
        line = blocks[i + 1][1:] if credit else line  # "— Elon Musk, Jan. 31, 2018" dates it
    start, end = _strip_marks(ctx.text, *words)
    speaker = _resolve(ctx, credit, start) if credit else None
    dates = _dates(ctx, *line) if line else []
    intro = blocks[i - 1] if i > 0 and blocks[i - 1][0] == "paragraph" else None
    if intro is not None and _attribution(ctx.text, intro, require_mention=True):
        intro = None  # the credit of the quote before: "— Jane Roe, May 9" introduces nothing
    if intro is not None and speaker is None:
        last_sentence = ctx.sentence(ctx.sentence_at(intro[2] - 1))
        if found := _speakers(ctx, last_sentence[0], intro[2]):
            speaker = _resolve(ctx, found[-1][1], found[-1][0])
    dates = dates or (_dates(ctx, intro[1], intro[2]) if intro else [])
    claimed = dates[-1][1] if dates else None
    return Quote(ctx.text[start:end], start, end, form, speaker=speaker, claimed_date=claimed)
