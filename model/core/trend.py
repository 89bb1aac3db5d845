"""Whether a share rises or falls: one test, used wherever a surface prints the word (the
value-maximising split, what decides it, the app's headline).

The test, as the CLI legends and the README's glossary state it: compare the values shown, in
order. A value "rises" when the last is above the first by more than THRESHOLD and no move between
them goes down by more than THRESHOLD; "falls" is the mirror; "flat" when no move is larger than
THRESHOLD. Anything else says both ways, in order: "rises, then falls" (12% -> 35% -> 31%) or
"falls, then rises".
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 0.01  # of a share: one point of the fleet; smaller moves are noise of the optimiser
# Every word `direction` answers, in a fixed order (for tables of how often each comes).
WORDS = ("falls", "rises", "flat", "rises, then falls", "falls, then rises")


def direction(values: Sequence[float], threshold: float = THRESHOLD) -> str:
    """'rises', 'falls', 'flat', 'rises, then falls' or 'falls, then rises' (module doc)."""
    moves = [b - a for a, b in zip(values[:-1], values[1:], strict=True)]
    ups = [m for m in moves if m > threshold]
    downs = [m for m in moves if m < -threshold]
    if not ups and not downs:  # small moves: the net change decides
        net = values[-1] - values[0] if values else 0.0
        return "rises" if net > threshold else "falls" if net < -threshold else "flat"
    if not downs:
        return "rises"
    if not ups:
        return "falls"
    first = next(m for m in moves if abs(m) > threshold)
    return "rises, then falls" if first > 0 else "falls, then rises"


def ends_lower(values: Sequence[float], threshold: float = THRESHOLD) -> bool:
    """True when the last value is below the first by more than `threshold`, whatever the path
    between: the net move, which "falls" also asks never to reverse."""
    return bool(values[-1] < values[0] - threshold)


# The tests in words, for legends and the README's glossary.
DIRECTION_TEST = ("rises / falls when the shares shown move up / down by more than 1 point and "
                  "never back by more; flat within 1 point; otherwise 'rises, then falls' or "
                  "'falls, then rises'")
ENDS_TEST = ("ends lower when the last share shown is more than 1 point below the first, "
             "whatever the path between")
