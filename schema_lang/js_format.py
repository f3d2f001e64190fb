"""How JavaScript would print a value: the official checker's messages show
literals through `JSON.stringify`, so ours must print numbers the same way."""

from __future__ import annotations

import json
import math

from .ast import LiteralValue


def js_number(value: int | float) -> str:
    """`String(n)` in JavaScript: `1.0` prints as `1`, `1e21` as `1e+21`."""
    x = float(value)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    text = repr(x)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"


def json_literal(value: LiteralValue) -> str:
    """`JSON.stringify(value)` for a literal type's value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return js_number(value)


def quote(text: str) -> str:
    """The checker's quoting: single quotes, with inner `'` backslash-escaped."""
    return "'" + text.replace("'", "\\'") + "'"
