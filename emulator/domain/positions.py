"""Fractional list positions, as the official Liveblocks client computes them.

A position is a base-95 fraction in (0, 1) written with the printable ASCII
characters 32 (``' '``, digit 0) to 126 (``'~'``, digit 94): never empty and
never ending in ``' '``. List items are ordered by plain string comparison of
their positions (PROTOCOL.md §4.3). The functions here reproduce
``@liveblocks/core``'s ``lib/position.ts`` so that positions the emulator makes
are the very strings a client would have made; tests compare them with
recorded output of the real client.
"""

from __future__ import annotations

MIN_CODE = 32
MAX_CODE = 126
NUM_DIGITS = MAX_CODE - MIN_CODE + 1

ZERO = chr(MIN_CODE)  # ' '
ONE = chr(MIN_CODE + 1)  # '!': the first position of an empty list
_ZERO_NINE = ZERO + chr(MAX_CODE)  # ' ~': just below '!'

# after() adds one in a window of this many digits, widened in steps, so that
# repeated pushes grow the string slowly ("!", "!!", '!"', …).
_VIEWPORT_START = 2
_VIEWPORT_STEP = 3


def is_valid_pos(s: str) -> bool:
    """True when ``s`` is a well-formed position (the client's ``isPos``)."""
    # Printable ASCII is exactly the alphabet, chars 32..126.
    return s.isascii() and s.isprintable() and s[-1:] not in ("", ZERO)


def as_pos(s: str) -> str:
    """Coerce any string into a position, like the client's ``asPos``.

    Each character is clamped into the alphabet, trailing ``' '`` are dropped,
    and an empty result becomes ``'!'``. The client works on UTF-16 code units,
    so a character outside the BMP counts as two (both clamp to ``'~'``).
    """
    if is_valid_pos(s):
        return s
    out: list[str] = []
    for c in s:
        code = ord(c)
        if code < MIN_CODE:
            out.append(ZERO)
        elif code <= MAX_CODE:
            out.append(c)
        else:
            out.append("~~" if code > 0xFFFF else "~")
    return "".join(out).rstrip(ZERO) or ONE


def make_position(lo: str | None = None, hi: str | None = None) -> str:
    """A position after ``lo`` and before ``hi`` (either may be missing)."""
    if lo is not None and hi is not None:
        return between(lo, hi)
    if lo is not None:
        return after(lo)
    if hi is not None:
        return before(hi)
    return ONE


def before(pos: str) -> str:
    """A position that sorts before ``pos``."""
    last = len(pos) - 1
    for i, c in enumerate(pos):
        code = ord(c)
        if code <= MIN_CODE:
            continue
        if i == last:
            if code == MIN_CODE + 1:
                return pos[:i] + _ZERO_NINE
            return pos[:i] + chr(code - 1)
        # Truncating after the first non-zero digit already gives a smaller value.
        return pos[: i + 1]
    return ONE


def after(pos: str) -> str:
    """A position that sorts after ``pos``, kept short with the viewport increment."""
    if not (pos.isascii() and pos.isprintable()):
        return pos + ONE
    while len(pos) > 1 and pos[-1] == ZERO:
        pos = pos[:-1]
    if pos in ("", ZERO):
        return ONE
    viewport = _VIEWPORT_START
    if len(pos) > _VIEWPORT_START:
        steps = -(-(len(pos) - _VIEWPORT_START) // _VIEWPORT_STEP)  # ceil division
        viewport = _VIEWPORT_START + steps * _VIEWPORT_STEP
    result = _increment_within_viewport(pos, viewport)
    if result is None:
        # All digits in the window were '~': widen it once, then give up and append.
        result = _increment_within_viewport(pos, viewport + _VIEWPORT_STEP)
    return result if result is not None else pos + ONE


def _increment_within_viewport(pos: str, viewport: int) -> str | None:
    """Add one unit in the last of ``viewport`` digits; None on overflow."""
    padded = pos + ZERO * (viewport - len(pos))
    last = padded[-1]
    if last != "~":
        # No carry (the common case): bump the last digit, which is then not zero.
        return padded[:-1] + chr(ord(last) + 1)
    digits = [ord(c) - MIN_CODE for c in pos[:viewport]]
    digits.extend([0] * (viewport - len(digits)))
    i = viewport - 1
    while i >= 0:
        if digits[i] + 1 < NUM_DIGITS:
            digits[i] += 1
            break
        digits[i] = 0
        i -= 1
    else:
        return None
    result = "".join(chr(d + MIN_CODE) for d in digits)
    while len(result) > 1 and result[-1] == ZERO:
        result = result[:-1]
    return result


def between(lo: str, hi: str) -> str:
    """A position strictly between ``lo`` and ``hi`` (in either order).

    Raises ValueError when they are equal: there is nothing between them.
    """
    if lo < hi:
        return _between(lo, hi)
    if lo > hi:
        return _between(hi, lo)
    raise ValueError(f"cannot compute a position between two equal positions {lo!r}")


def _between(lo: str, hi: str) -> str:
    # Walk the common prefix; the client recurses on the suffix when the digits
    # differ by one, which is at most one level deep, so a loop with a prefix
    # accumulator is equivalent.
    prefix = ""
    while True:
        index = 0
        lo_len = len(lo)
        hi_len = len(hi)
        while True:
            lo_code = ord(lo[index]) if index < lo_len else MIN_CODE
            hi_code = ord(hi[index]) if index < hi_len else MAX_CODE
            if lo_code != hi_code:
                break
            index += 1
        if hi_code - lo_code == 1:
            size = index + 1
            head = lo[:size]
            head += ZERO * (size - len(head))
            prefix += head
            # Anything after lo's suffix is below the "all nines" upper bound.
            lo, hi = lo[size:], ""
            continue
        taken = lo[:index] if index < lo_len else lo + ZERO * (index - lo_len)
        return prefix + taken + chr((hi_code + lo_code) >> 1)
