"""Word 3-gram shingles hashed to 64-bit integers, and IDF-weighted voting over their
posting lists. Pure functions: storage keeps the postings, matching asks for candidates.

A quote altered by ellipses, brackets or a typo still shares most of its word 3-grams with
its source, and a 3-gram that a thousand units share says nothing about which one is
meant, so candidates are the units that share the most *rare* 3-grams with the quote
(research/matching.md §3–§4: recall 0.985 at 100k units in about a millisecond).
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

ORDER = 3  # words per shingle
STOP_DF = 1000  # a posting list stops growing past this many units: boilerplate, never a seed
UNIT_ID = np.dtype("<i4")  # unit ids in a posting list: little-endian int32, ascending

Hashes = npt.NDArray[np.int64]

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # an apostrophe inside a word is part of it
_K1 = np.uint64(0x9E3779B97F4A7C15)
_K2 = np.uint64(0xC2B2AE3D27D4EB4F)
_word_hashes: dict[str, int] = {}
_MEMO_LIMIT = 500_000


def words(text: str) -> list[str]:
    """The words of a text as matching folds them: NFKC, case-folded, an apostrophe inside
    a word dropped ("isn't" is "isnt"), every other non-alphanumeric a separator. One
    difference: an invisible format character (a soft hyphen) separates here, where fold()
    drops it. A quote pasted with one inside a word loses a few 3-grams, as a typo does,
    and the 3-grams of units already stored stay valid."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    tokens: list[str] = _WORD.findall(folded)
    if "'" in folded:
        tokens = " ".join(tokens).replace("'", "").split()
    return tokens


def _word_hash(tokens: list[str]) -> npt.NDArray[np.uint64]:
    """A stable 64-bit hash of each word (blake2b, so not salted per process), memoised."""
    missing = set(tokens).difference(_word_hashes)
    if len(_word_hashes) + len(missing) > _MEMO_LIMIT:
        _word_hashes.clear()
        missing = set(tokens)
    for word in missing:
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        _word_hashes[word] = int.from_bytes(digest, "little")
    values = operator.itemgetter(*tokens)(_word_hashes) if len(tokens) > 1 else ()
    return np.array(values, dtype=np.uint64)


def shingles(pieces: Iterable[str], *, order: int = ORDER) -> Hashes:
    """The distinct hashes of the word n-grams of each piece of text, never across pieces
    (a quote's fragments are pieces: an ellipsis joins words that are not adjacent)."""
    found: list[npt.NDArray[np.uint64]] = []
    for piece in pieces:
        tokens = words(piece)
        if len(tokens) < order:
            continue
        w = _word_hash(tokens)
        h = w[: len(w) - order + 1].copy()
        for k in range(1, order):
            h = h * _K1 + w[k : len(w) - order + 1 + k]
        h ^= h >> np.uint64(31)
        h *= _K2
        h ^= h >> np.uint64(29)
        found.append(h)
    if not found:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(found)).view(np.int64)


def usable_df(units: int) -> int:
    """The largest document frequency a shingle may have and still vote: more common ones
    are boilerplate (stock phrases, signatures) and only slow the vote down."""
    return min(STOP_DF, max(50, units // 100))


class Tally(NamedTuple):
    """The units sharing a shingle with the quote, ascending, the weight each shares and
    how many of the quote's shingles it holds, of `voters` that voted."""

    units: npt.NDArray[np.int32]
    scores: npt.NDArray[np.float64]
    held: npt.NDArray[np.intp]
    voters: int


def tally(postings: Sequence[bytes], units: int) -> Tally:
    """The weight of the quote's shingles each unit shares: each posting is one shingle's
    packed unit ids, and weighs log(1 + units / its length)."""
    blobs = [blob for blob in postings if blob]
    if not blobs:
        return Tally(np.empty(0, dtype=UNIT_ID), np.empty(0), np.empty(0, dtype=np.intp), 0)
    lengths = np.array([len(blob) for blob in blobs]) // UNIT_ID.itemsize
    ids = np.frombuffer(b"".join(blobs), dtype=UNIT_ID)
    weights = np.repeat(np.log1p(units / lengths), lengths)  # log(1 + N/df)
    order = np.argsort(ids, kind="stable")
    ids, weights = ids[order], weights[order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    held = np.diff(np.r_[starts, len(ids)])  # a list holds a unit once
    return Tally(ids[starts], np.add.reduceat(weights, starts), held, len(blobs))


def held_share(tallied: Tally, unit_ids: Sequence[int]) -> list[float]:
    """The share of the voting shingles each of these tallied units holds."""
    found = np.searchsorted(tallied.units, np.asarray(unit_ids, dtype=UNIT_ID))
    shares: list[float] = (tallied.held[found] / tallied.voters).tolist()
    return shares


def top(tallied: Tally, *, limit: int, share: float = 0.0) -> list[tuple[int, float]]:
    """The `limit` units sharing the most weight, best first (ties by unit id), leaving out
    those below `share` of the best one's weight, as (unit id, score)."""
    unique, scores = tallied.units, tallied.scores
    if not scores.size:
        return []
    chosen = np.flatnonzero(scores >= share * scores.max())
    if len(chosen) > limit:
        chosen = chosen[np.argpartition(-scores[chosen], limit - 1)[:limit]]
    chosen = chosen[np.lexsort((unique[chosen], -scores[chosen]))]
    return list(zip(unique[chosen].tolist(), scores[chosen].tolist(), strict=True))


def pack(unit_ids: npt.NDArray[np.int32] | Sequence[int]) -> bytes:
    """A posting list as stored: unit ids as little-endian int32."""
    return np.asarray(unit_ids, dtype=UNIT_ID).tobytes()
