"""Text a capture gave (titles, quotes, names, anchor texts) made safe to show, at the edge
where it is written out for people.

A capture keeps what the page or email said, control characters and all: an ESC in a
subject line would drive the terminal that prints it, and a vertical tab or a NUL makes
an SVG (XML) document that no reader will open. Shown, a line break or other spacing
control is a space and every other control character a visible mark (␛ for ESC, U+FFFD
for one of the C1 set, which has no picture); the JSON outputs escape them instead and keep
the text as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import fields, replace
from typing import Any, TypeVar

from provenance.chains import Appearance, Chain, ChainHop, UnitInfo

_SPACES = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"  # what str.splitlines() breaks at
_SHOWN: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20)},  # ␀ … ␟, the control pictures
    0x7F: "\u2421",  # ␡
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
    **{ord(space): " " for space in _SPACES},
}
T = TypeVar("T", Appearance, UnitInfo)


def printable(text: str) -> str:
    """The text on one line with no control character left in it to act on the reader."""
    return text.translate(_SHOWN)


def _changed_fields(item: T, change: Callable[[str], str], keep: Collection[str]) -> T:
    values = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in keep}
    changes: dict[str, Any] = {k: change(v) for k, v in values.items() if isinstance(v, str)}
    return replace(item, **changes)


def map_text(chain: Chain, change: Callable[[str], str], *, keep: Collection[str] = ()) -> Chain:
    """The chain with `change` applied to every text in it but the fields named in `keep`;
    each appearance stays one object, so `is` still tells the origin."""
    done: dict[int, Appearance] = {}

    def changed(appearance: Appearance) -> Appearance:
        if id(appearance) not in done:
            unit = _changed_fields(appearance.unit, change, keep)
            done[id(appearance)] = replace(_changed_fields(appearance, change, keep), unit=unit)
        return done[id(appearance)]

    def hop(step: ChainHop) -> ChainHop:
        anchor = change(step.anchor_text) if step.anchor_text is not None else None
        return replace(step, appearance=changed(step.appearance), anchor_text=anchor)

    return replace(
        chain,
        quote=change(chain.quote),
        hops=tuple(hop(h) for h in chain.hops),
        origin=chain.origin and changed(chain.origin),
        earliest=chain.earliest and changed(chain.earliest),
        appearances=tuple(changed(a) for a in chain.appearances),
    )


def printable_chain(chain: Chain) -> Chain:
    """The chain as people are shown it: every text printable."""
    return map_text(chain, printable)
