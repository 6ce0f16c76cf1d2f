"""THE office-number parser: every door (the Data page, typed cells, ``batch``, ``backtest``, ``check``) reads
numbers with :func:`parse_number`, so one text means one number everywhere.

What Indonesian offices type or export, and what each means (``lang`` only decides a lone ``"1.234"``):

=====================  ==========================  =====================================================
text                   value                       why
=====================  ==========================  =====================================================
``"1.234.567,8"``      1234567.8                   both separators: the last one is the decimal one
``"1,234,567.8"``      1234567.8                   (in either language)
``"1.234"``            1234 (id) / 1.234 (en)      a single ``.`` before three digits: thousands in id
``"1,234"``            1.234 (id) / 1234 (en)      a single ``,`` before three digits: thousands in en
``"0.500"``            0.5                         ``0`` cannot lead a thousands group
``"38,35 %"``          38.35                       a percentage is returned as written
``"Rp 16.800,-"``      16800                       ``,-`` marks a whole amount
``"(1.234)"``          -1234 (id)                  accounting negative
``"2,1E+12"``          2.1e12                      scientific, with a decimal comma or point
``"12,34,567"``        refused                     a repeated separator groups digits by three
``"nan"``, ``inf``     refused                     not a finite number
=====================  ==========================  =====================================================

Spaces of every kind, the byte-order mark and U+2212 MINUS SIGN are ignored. Refusals raise ``ValueError``
with a plain-English reason (the doors turn it into the code ``expected_number`` and say it in the user's
language). No language words here, no Streamlit.
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal
from typing import Any

__all__ = ["is_blank", "parse_number", "plain_text", "reading_lang"]

# every kind of space, zero-width space and the byte-order mark Excel puts in CSVs
_SPACES = re.compile(r"[\s\u200b\ufeff]+")
_SCIENTIFIC = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?e[-+]?[0-9]+", re.IGNORECASE)
_SHAPE = re.compile(
    r"""
    (?P<sign>[-+]?)
    (?P<currency>rp\.?|idr)?
    (?P<sign2>[-+]?)
    (?P<num>[0-9.,]*[0-9][0-9.,]*?)
    (?P<dash>[.,]-)?          # "Rp 16.800,-" : no cents
    (?P<pct>%)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DIGITS = re.compile(r"[0-9]+")
_LEAD_GROUP = re.compile(r"[0-9]{1,3}")
_GROUP = re.compile(r"[0-9]{3}")
_LANGS = ("id", "en")


class _Unreadable(Exception):
    """Internal: why a number could not be read."""


def reading_lang(lang: str | None) -> str:
    """``"id"`` or ``"en"`` for ``lang`` (``None`` -> ``"id"``; ``"id-ID"``, ``"en_US"`` accepted).

    ``ValueError`` for any other language.
    """
    if lang is None:
        return "id"
    if isinstance(lang, str):
        code = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
        if code in _LANGS:
            return code
    raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(_LANGS)}")


def is_blank(text: Any) -> bool:
    """True for None, NaN and text of spaces only (an empty cell, not a wrong one)."""
    if text is None:
        return True
    if isinstance(text, float):
        return math.isnan(text)
    return isinstance(text, str) and not _SPACES.sub("", text)


def _grouped_integer(text: str, sep: str) -> str:
    """Digits of ``text`` written with thousands separator ``sep`` (validated)."""
    groups = text.split(sep)
    if not _LEAD_GROUP.fullmatch(groups[0]) or not all(_GROUP.fullmatch(g) for g in groups[1:]):
        raise _Unreadable(f"'{sep}' looks like a thousands separator, but the digits are not in groups of three")
    return "".join(groups)


def _plain_number(num: str, lang: str) -> str:
    """``num`` (digits, '.' and ',') as a plain ``"1234.5"`` string."""
    if num[-1] in ".,":
        raise _Unreadable("it ends with a separator")
    has_dot, has_comma = "." in num, "," in num
    if has_dot and has_comma:
        dec = "." if num.rfind(".") > num.rfind(",") else ","
        thou = "," if dec == "." else "."
        int_part, _, frac = num.rpartition(dec)
        if dec in int_part:
            raise _Unreadable(f"'.' and ',' are mixed up (the decimal separator '{dec}' appears more than once)")
        if not _DIGITS.fullmatch(frac):
            raise _Unreadable("the decimal part is not digits only")
        return _grouped_integer(int_part, thou) + "." + frac
    if not has_dot and not has_comma:
        return num
    sep = "." if has_dot else ","
    if num.count(sep) > 1:
        return _grouped_integer(num, sep)
    int_part, frac = num.split(sep)
    # "16.800" can only be thousands if the part before is a proper leading group
    could_be_thousands = len(frac) == 3 and bool(_LEAD_GROUP.fullmatch(int_part)) and not int_part.startswith("0")
    thousands = could_be_thousands and (lang == "en" if sep == "," else lang != "en")
    return int_part + frac if thousands else (int_part or "0") + "." + frac


def _parse_clean(s: str, lang: str) -> float:
    negative = False
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":  # accounting style negative
        negative, s = True, s[1:-1]
    if _SCIENTIFIC.fullmatch(s):
        value = float(s.replace(",", "."))
        return -value if negative and value else value
    m = _SHAPE.fullmatch(s)
    if m is None:
        raise _Unreadable("expected digits with optional '.' or ',' separators, 'Rp' or '%'")
    if m["sign"] and m["sign2"] or negative and (m["sign"] or m["sign2"]):
        raise _Unreadable("more than one sign")
    if m["currency"] and m["pct"]:
        raise _Unreadable("it has both 'Rp' and '%'")
    num = m["num"]
    if m["dash"]:
        # "16.800,-" is a whole amount: any separator before ",-" groups thousands
        if "." in num and "," in num:
            raise _Unreadable(f"'{m['dash']}' after a number that already has decimals")
        sep = "." if "." in num else "," if "," in num else None
        plain = _grouped_integer(num, sep) if sep else num
    else:
        plain = _plain_number(num, lang)
    value = float(plain)
    if (m["sign"] or m["sign2"]) == "-":
        negative = not negative
    if value == 0:
        return 0.0
    return -value if negative else value


def parse_number(text: Any, lang: str | None = None) -> float:
    """The number an office wrote in ``text`` [as written: a percentage stays in %]; see the module table.

    ``lang`` (``"id"``, the default, or ``"en"``) decides only a single separator before exactly three
    digits. Numbers (int, float, Decimal, NumPy scalars) are returned as float. ``ValueError`` with a
    plain-English reason for anything that is not one finite number.
    """
    lang = reading_lang(lang)
    if isinstance(text, bool):
        raise ValueError(f"cannot read {text!r} as a number")
    if isinstance(text, (numbers.Real, Decimal)) and not isinstance(text, str):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"cannot read {text!r} as a number: not a finite number")
        return value
    if text is None:
        raise ValueError("cannot read an empty value as a number")
    if not isinstance(text, str):
        raise ValueError(f"cannot read a {type(text).__name__} as a number")
    s = _SPACES.sub("", text).replace("\u2212", "-")  # U+2212 MINUS SIGN from charts/Excel
    if not s:
        raise ValueError("cannot read an empty text as a number")
    try:
        value = _parse_clean(s, lang)
    except _Unreadable as exc:
        raise ValueError(f"cannot read {text.strip()!r} as a number: {exc}") from None
    if not math.isfinite(value):
        raise ValueError(f"cannot read {text.strip()!r} as a number: not a finite number")
    return value


def plain_text(x: float, lang: str | None = None, decimals: int | None = None) -> str:
    """A number for a CSV cell or a problem's params: no thousands separator, decimal comma in Indonesian.

    The inverse of :func:`parse_number` for the same ``lang``: ``parse_number(plain_text(x, lang), lang) == x``
    for numbers with at most 10 decimals.
    """
    if decimals is None:
        text = f"{x:.10f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
    else:
        text = f"{x:.{decimals}f}"
    return text.replace(".", ",") if reading_lang(lang) == "id" else text
