"""The benchmark's synthetic corpus and quotes, generated on the spot: nothing is downloaded.

English-like text from an order-2 word Markov chain trained on prose already on the
machine (the Python standard library's docstrings and its pydoc topics), ~4 KB a unit,
10 % of units carrying one of 20 shared boilerplate paragraphs. Quotes are cut from
units and altered in the eight ways research/matching.md §6 lists, and a ninth the
issue names that it does not (a word silently changed or dropped); absent quotes are cut
the same way from held-out units that are never stored. Seeded, so every run and every
method sees the same bytes.
"""

from __future__ import annotations

import json
import random
import re
import sysconfig
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from pydoc_data.topics import topics

from provenance.matching import BRACKET_WORDS, claims, fold

CATEGORIES = (
    "verbatim",
    "punct_case",
    "ellipsis",
    "bracket",
    "sic_typo",
    "truncation",
    "paraphrase",
    "combo",
    "changed_word",
)
ELLIPSES = ("...", "…", ". . .", "[...]")
BRACKETS = ("[the company]", "[Smith]", "[the agency]", "[the board]", "[she]", "[the plan]")
QUOTES_VERSION = 5  # names the cached quote files: raise it when the way quotes are made changes
PRONOUNS = {"he", "she", "it", "they", "we", "this", "that", "these", "those"}
FUNCTION_WORDS = {"the", "a", "an", "of", "to", "in", "and", "that", "is", "for", "on", "with"}
SYNONYMS = {
    "use": "employ", "make": "create", "get": "obtain", "show": "display", "new": "fresh",
    "large": "big", "small": "little", "return": "give back", "value": "amount",
    "used": "employed", "called": "invoked", "first": "initial", "found": "located",
    "number": "count", "list": "series", "set": "group", "change": "alter",
}  # fmt: skip


def training_text(limit: int = 6_000_000) -> str:
    """Docstrings of the Python files under the standard library's directory (installed
    packages included) and the pydoc topics, code lines left out: about 6 MB of prose, as
    much as research/matching.md §3.1 trained on (less makes more repetitive text)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    pieces: list[str] = []
    size = 0
    for path in sorted(stdlib.rglob("*.py")):
        if {"test", "tests", "idlelib"} & set(path.parts):
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for doc in re.findall(r'"""(.*?)"""', source, re.S):
            lines = [ln.strip() for ln in doc.splitlines() if ln.strip()]
            prose = [ln for ln in lines if _prose(ln)]
            pieces.append(" ".join(prose))
            size += len(pieces[-1])
        if size > limit:
            break
    pieces += [" ".join(ln for ln in t.splitlines() if _prose(ln)) for t in topics.values()]
    return " ".join(pieces)


def _prose(line: str) -> bool:
    """A line of words rather than code: mostly letters and spaces."""
    line = line.strip()
    letters = sum(c.isalpha() or c == " " for c in line)
    return bool(line) and not line.startswith((">>>", "...", ":")) and letters >= 0.9 * len(line)


class Markov:
    """An order-2 word Markov chain."""

    def __init__(self, text: str) -> None:
        words = text.split()
        self.vocab = sorted(set(words))
        ids = {w: i for i, w in enumerate(self.vocab)}
        seq = [ids[w] for w in words]
        table: dict[tuple[int, int], list[int]] = {}
        for a, b, c in zip(seq, seq[1:], seq[2:], strict=False):
            table.setdefault((a, b), []).append(c)
        self.table = {k: tuple(v) for k, v in table.items()}
        self.states = [k for k in self.table if self.vocab[k[0]].endswith(".")]
        # What a rewording puts in place of a word: a plain word, as often as the text has
        # it, never a token such as '"Sid":"ReadOnlyPermissions...",' that no one writes,
        # nor a negation or a number, which would change what the words claim.
        self.substitutes = [
            w
            for w in words
            if w.isalpha()
            and w.islower()
            and len(w) > 2
            and w not in FUNCTION_WORDS
            and not claims([w])
        ]

    def text(self, rng: random.Random, chars: int) -> str:
        """About `chars` characters, starting after a full stop, ending on one if it can."""
        state = rng.choice(self.states)
        out: list[str] = []
        size = 0
        while size < chars or not out[-1].endswith("."):
            following = self.table.get(state)
            if following is None or size > chars + 400:
                if size >= chars:
                    break
                state = rng.choice(self.states)
                continue
            word = following[int(rng.random() * len(following))]
            out.append(self.vocab[word])
            size += len(out[-1]) + 1
            state = (state[1], word)
        return " ".join(out)


@dataclass(frozen=True)
class PlantedQuote:
    id: str
    category: str
    text: str
    source: int | None  # the unit's index in the corpus; None for an absent quote
    span: str  # the exact source text the quote was cut from


def units(model: Markov, count: int, *, seed: int) -> Iterator[str]:
    """The corpus: `count` units of 2-5 KB, 10 % with a boilerplate paragraph."""
    rng = random.Random(seed)
    boilerplate = [model.text(rng, 300) for _ in range(20)]
    for _ in range(count):
        text = model.text(rng, rng.randint(2000, 5000))
        if rng.random() < 0.1:
            text += "\n\n" + rng.choice(boilerplate)
        yield text


def _span(rng: random.Random, text: str, low: int, high: int) -> str:
    words = text.split()
    n = min(rng.randint(low, high), len(words))
    start = rng.randrange(0, len(words) - n + 1)
    return " ".join(words[start : start + n])


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("delete", "swap", "substitute"))
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]


def _punct_case(rng: random.Random, words: list[str]) -> list[str]:
    words = list(words)
    words[0] = words[0][:1].swapcase() + words[0][1:]
    for i, w in enumerate(words):
        r = rng.random()
        if r < 0.04:
            words[i] = w.capitalize()
        elif r < 0.08:
            words[i] = w.rstrip(",") if w.endswith(",") else w + ","
        words[i] = words[i].replace("'", "’") if rng.random() < 0.5 else words[i]
    words[-1] = words[-1].rstrip(".!?,") + rng.choice((",", ".", "!", ""))
    return words


class _Mark(str):
    """An omission or a [bracket] that an alteration put in: a source word may read "..."
    too."""


def _ellipsis(rng: random.Random, words: list[str]) -> list[str]:
    words = list(words)
    for _ in range(rng.randint(1, 2)):
        cut = rng.randint(3, 12)
        if len(words) < cut + 10:
            break
        at = rng.randrange(4, len(words) - cut - 4)
        words[at : at + cut] = [_Mark(rng.choice(ELLIPSES))]
    return words


def _bracket(rng: random.Random, words: list[str]) -> list[str]:
    """A pronoun, or 1-3 of the first words, replaced by a [bracket]; never an ellipsis
    already made, which would have a bracket stand for all it omits."""
    words = list(words)
    pronouns = [i for i, w in enumerate(words) if w.lower().strip(",.") in PRONOUNS]
    if pronouns and rng.random() < 0.7:
        words[rng.choice(pronouns)] = _Mark(rng.choice(BRACKETS))
    else:
        at, n = rng.randrange(0, min(4, len(words) - 1)), rng.randint(1, 3)
        while any(w in ELLIPSES for w in words[at : at + n]):
            n -= 1
        words[at : at + n] = [_Mark(rng.choice(BRACKETS))]
    return words


def _sic_typo(rng: random.Random, words: list[str]) -> list[str]:
    """Typos in 1-3 distinct words, 60 % of them marked [sic]; never in an editorial mark
    ("[sie]" or ". e ." is no quoting habit) nor in a [sic] already added."""
    words = list(words)
    spelled = [i for i, w in enumerate(words) if not w.startswith("[") and w not in ELLIPSES]
    for i in rng.sample(spelled, min(rng.randint(1, 3), len(spelled))):
        words[i] = _typo(rng, words[i])
        if rng.random() < 0.6:
            words[i] += " [sic]"
    return words


def _paraphrase(rng: random.Random, words: list[str], substitutes: list[str]) -> list[str]:
    """A light rewording, as research/matching.md §3.1 makes one: synonyms, 12 % of function
    words dropped, 12 % of other words replaced by a plain word, one adjacent swap. Its
    negations and numbers stay as they are: a rewording that adds a "not" or drops a
    "100" says something else, and the tracer rightly refuses it as a paraphrase."""
    out = []
    for w in words:
        bare = w.lower().strip(",.")
        if bare in FUNCTION_WORDS and rng.random() < 0.12:
            continue
        if bare in SYNONYMS:
            out.append(SYNONYMS[bare])
        elif rng.random() < 0.12 and not claims(fold(w).text.split()):
            out.append(rng.choice(substitutes))
        else:
            out.append(w)
    if len(out) > 3:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _changed_word(rng: random.Random, words: list[str], substitutes: list[str]) -> list[str]:
    """One word changed for a plain word, anywhere, or dropped from inside (one dropped
    at an end is a truncation), with no mark: the silent alteration a misquote is."""
    words = list(words)
    if rng.random() < 0.5 and len(words) > 2:
        del words[rng.randrange(1, len(words) - 1)]
        return words
    at = rng.randrange(len(words))
    original = fold(words[at]).text
    while fold(words[at]).text == original:
        words[at] = rng.choice(substitutes)
    return words


Shown = tuple[tuple[str, ...], tuple[int | None, ...]]
# The source words a quote keeps, piece by piece, and the most words each mark between two
# pieces may stand for (None for an omission, which may stand for any).


def _shown(marked: list[str]) -> Shown:
    """What a quote shows of its span, from the span's words with the marks put in (before
    any typo or rewording): the pieces it keeps, and the reach of the marks between them."""
    pieces: list[list[str]] = []
    gaps: list[int | None] = []
    reach: int | None = 0  # of the marks since the last piece
    for token in marked:
        if isinstance(token, _Mark):
            if pieces and pieces[-1]:
                pieces.append([])  # the next piece
                reach = 0
            step = BRACKET_WORDS if token in BRACKETS else None
            reach = None if reach is None or step is None else reach + step
            continue
        if not pieces:
            pieces.append([])
        elif not pieces[-1] and len(pieces) > 1:
            gaps.append(reach)
        pieces[-1].append(token)
    kept = [" ".join(piece) for piece in pieces if piece]
    return tuple(kept), tuple(gaps)


def alter(
    rng: random.Random, category: str, text: str, substitutes: list[str]
) -> tuple[str, str, Shown]:
    """A quote cut from text and altered as `category` says: (quote, exact source span,
    what the quote shows of the span)."""
    long = category in ("ellipsis", "combo")
    span = (
        _span(rng, text, 5, 9)
        if category == "truncation"
        else _span(rng, text, 22 if long else 8, 40 if long else 30)
    )
    marked = span.split()
    if category in ("ellipsis", "combo"):
        marked = _ellipsis(rng, marked)
    if category in ("bracket", "combo"):
        marked = _bracket(rng, marked)
    words = marked
    if category == "punct_case":
        words = _punct_case(rng, words)
    elif category == "sic_typo":
        words = _sic_typo(rng, words)
    elif category == "paraphrase":
        words = _paraphrase(rng, words, substitutes)
    elif category == "combo":
        words = _punct_case(rng, _sic_typo(rng, words))
    elif category == "changed_word":
        words = _changed_word(rng, words, substitutes)
    return " ".join(words), span, _shown(marked)


def quotes(
    model: Markov, corpus: list[str], *, present: int, absent: int, seed: int
) -> list[PlantedQuote]:
    """`present` quotes from distinct units among the first 10k of the corpus and `absent`
    quotes from units generated for the purpose and never stored, the categories in equal
    shares. As research/matching.md §3.1 asks, a present quote stands exactly once in the
    whole corpus (words folded) and an absent one nowhere: one found in several units has
    no one source to find, and one found in the corpus is not absent. What stands is what
    the quote shows of its span: the words an omission or a [bracket] leaves, in order,
    with no more words between them than the mark may stand for ("comes from [the
    company] (most recent call" stands wherever "comes from" and "(most recent call" are
    a few words apart, whatever its span said between them). Three times as many are
    drafted as needed, and the first that pass are kept."""
    rng = random.Random(seed + 1)
    pool = min(len(corpus), 10_000)
    drafts: list[tuple[PlantedQuote, Shown]] = []
    for n, source in enumerate(rng.sample(range(pool), min(3 * present, pool))):
        category = CATEGORIES[n % len(CATEGORIES)]
        text, span, shown = alter(rng, category, corpus[source], model.substitutes)
        drafts.append((PlantedQuote(f"p{n}", category, text, source, span), shown))
    held_out = list(units(model, max(absent // 2, 1), seed=seed + 2))
    for n in range(3 * absent):
        category = CATEGORIES[n % len(CATEGORIES)]
        text, span, shown = alter(rng, category, held_out[n % len(held_out)], model.substitutes)
        drafts.append((PlantedQuote(f"a{n}", category, text, None, span), shown))
    counts = holders([shown for _, shown in drafts], corpus)
    planted: list[PlantedQuote] = []
    taken: Counter[tuple[str, bool]] = Counter()
    for (q, _), count in zip(drafts, counts, strict=True):
        key = (q.category, q.source is not None)
        total = present if q.source is not None else absent
        quota = total // len(CATEGORIES) + (CATEGORIES.index(q.category) < total % len(CATEGORIES))
        if count == (1 if q.source is not None else 0) and taken[key] < quota:
            planted.append(q)
            taken[key] += 1
    if len(planted) != present + absent:
        raise SystemExit(f"only {len(planted)} of {present + absent} quotes passed the checks")
    return planted


def holders(shown: list[Shown], corpus: list[str]) -> list[int]:
    """How many times each quote's shown words stand in the corpus (folded): its pieces in
    order, each mark between two standing for no more words than it may; -1 for a quote
    whose longest piece has fewer than three words, which the scan cannot place."""
    patterns: dict[int, re.Pattern[str]] = {}
    wanted: dict[tuple[str, ...], set[tuple[tuple[str, ...], int]]] = {}
    for n, (pieces, gaps) in enumerate(shown):
        folded = [tuple(fold(piece).text.split()) for piece in pieces]
        pattern = ""
        reach: int | None = 0  # words the marks since the last kept piece may stand for
        for gap, words in zip((0, *gaps), folded, strict=True):
            reach = None if reach is None or gap is None else reach + gap
            if not words:  # punctuation alone: the marks either side of it add up
                continue
            if pattern:
                pattern += r"(?: \S+)*?" if reach is None else rf"(?: \S+){{0,{reach}}}"
                pattern += " "
            pattern, reach = pattern + re.escape(" ".join(words)), 0
        longest = max(folded, key=len, default=())
        if len(longest) >= 3:
            patterns[n] = re.compile(rf"(?<!\S){pattern}(?!\S)")
            wanted.setdefault(longest[:3], set()).add((longest, n))
    found = [0] * len(shown)
    for text in corpus:
        unit = fold(text).text.split()
        here = {
            n
            for i, head in enumerate(zip(unit, unit[1:], unit[2:], strict=False))
            for longest, n in wanted.get(head, ())
            if tuple(unit[i : i + len(longest)]) == longest
        }
        joined = " ".join(unit)
        for n in here:
            found[n] += len(patterns[n].findall(joined))
    return [found[n] if n in patterns else -1 for n in range(len(shown))]


def write_jsonl(path: Path, rows: Iterator[dict[str, object]]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def prepare(cache: Path, *, count: int, present: int, absent: int, seed: int) -> tuple[Path, Path]:
    """The corpus and quote files for these parameters, generated once and then reused."""
    cache.mkdir(parents=True, exist_ok=True)
    corpus_path = cache / f"corpus-{count}-{seed}.jsonl"
    quotes_path = cache / f"quotes-{count}-{present}-{absent}-{seed}-v{QUOTES_VERSION}.jsonl"
    if corpus_path.exists() and quotes_path.exists():
        return corpus_path, quotes_path
    model = Markov(training_text())
    if corpus_path.exists():  # the same bytes as generating it again: only the quotes changed
        corpus = [str(row["text"]) for row in read_jsonl(corpus_path)]
    else:
        corpus = list(units(model, count, seed=seed))
        write_jsonl(corpus_path, ({"text": t} for t in corpus))
    # Sources come from the first 10k units, so every size traces the same quotes; the
    # checks of their spans scan the whole corpus.
    planted = quotes(model, corpus, present=present, absent=absent, seed=seed)
    write_jsonl(quotes_path, (asdict(q) for q in planted))
    return corpus_path, quotes_path


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)
