"""Times: ISO-8601 with milliseconds and Z, both ways, for any date a fixture may hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.clock import format_ms, parse_iso

# From year 1 to 9999, as datetime allows.
MILLISECONDS = st.integers(-62_135_596_800_000, 253_402_300_799_999)


@given(MILLISECONDS)
def test_format_then_parse_is_exact(ms: int) -> None:
    text = format_ms(ms)
    assert len(text) == 24 and text.endswith("Z") and text[4] == "-" and text[10] == "T"
    assert parse_iso(text) == ms


def test_known_values() -> None:
    assert format_ms(1660000988137) == "2022-08-08T23:23:08.137Z"
    assert format_ms(0) == "1970-01-01T00:00:00.000Z"
    assert parse_iso("0999-05-01T00:00:00.000Z") < 0
    assert format_ms(parse_iso("0999-05-01T00:00:00.000Z")) == "0999-05-01T00:00:00.000Z"
    assert parse_iso("2004-03-15T07:55:47.472Z") % 1000 == 472
    assert parse_iso("2026-01-05T09:00:00") == parse_iso("2026-01-05T09:00:00.000Z")
    assert parse_iso("2026-01-05T10:00:00+01:00") == parse_iso("2026-01-05T09:00:00Z")
