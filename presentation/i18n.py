"""Languages, translated texts and locale-aware number formatting.

Streamlit has no locale support, so every number the user sees is formatted
here, on Babel and its CLDR data (separators, minus and percent signs, compact units, month and day names):
Bahasa Indonesia (``"id"``, the default) writes ``1.234.567,8`` and English (``"en"``) writes ``1,234,567.8``.
Two house choices sit on top of CLDR: ``"Rp 16.800"`` with a space and the rupiah's own symbol in English too,
and ``"38,35 %"`` with a space in Indonesian; rounding is half away from zero.  The numbers people type or paste
are read by the one parser, :func:`simulation.io.parse_number`.

This module must not import Streamlit: the exports and the CLI use it too.

Translations live in ``presentation/locales/<lang>.json`` (flat, dotted keys grouped by
page, sorted by key).  Look them up with :func:`t`::

    t("chart.source_line", "id", source="BPS")   # -> "Sumber: BPS"

Numbers passed as ``params`` are inserted with ``str.format`` as they are, so
format them first (``t("errors.negative", lang, value=fmt_number(x, lang))``).

Run ``python -m presentation.i18n`` to rewrite both catalogues sorted by key and list any
key that is missing from one of them.
"""

from __future__ import annotations

import json
import math
import numbers
import re
import string
import sys
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import get_day_names, get_month_names, get_period_names
from babel.numbers import (
    NumberPattern,
    format_compact_decimal,
    format_decimal,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
    parse_pattern,
)

from simulation.io.numbers import reading_lang

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "MISSING",
    "catalogue",
    "fmt_idr",
    "fmt_idr_short",
    "fmt_number",
    "fmt_pct",
    "fmt_pp",
    "lang_label",
    "normalize_lang",
    "placeholders",
    "t",
    "vega_format_locale",
    "vega_time_locale",
]

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"
FALLBACK_LANG = "en"

#: Shown instead of a number that is missing (None, NaN) or not finite.
MISSING = "\u2013"  # en dash

LOCALES_DIR = Path(__file__).resolve().parent / "locales"

_LANG_LABELS = {"id": "Bahasa Indonesia", "en": "English"}

# what the app writes between a number and CLDR's percent sign: id "40,9 %" (CLDR: "40,9%"), en "40.9%"
_PERCENT_GAP = {"id": " ", "en": ""}


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    """Babel's CLDR locale of a normalised language code."""
    return Locale.parse(lang)


@lru_cache(maxsize=16)
def _pattern(decimals: int) -> NumberPattern:
    """CLDR number pattern with grouping and exactly ``decimals`` places (``#,##0.00``); symbols come from the locale."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def _percent_sign(lang: str) -> str:
    """CLDR's percent sign in the Latin digits the app writes (Babel has no getter for it)."""
    return _locale(lang).number_symbols["latn"]["percentSign"]


# --------------------------------------------------------------------------- languages


def normalize_lang(lang: str | None) -> str:
    """Return ``"id"`` or ``"en"`` for ``lang``; ``None`` gives :data:`DEFAULT_LANG`.

    Accepts common spellings such as ``"ID"``, ``"id-ID"``, ``"en_US"``.
    Raises ``ValueError`` for any other language.
    """
    return DEFAULT_LANG if lang is None else reading_lang(lang)   # one reading of a language code, the input layer's


def lang_label(lang: str) -> str:
    """Name of the language in that language: ``"Bahasa Indonesia"`` / ``"English"``."""
    return _LANG_LABELS[normalize_lang(lang)]


# --------------------------------------------------------------------------- catalogue


def catalogue_files(lang: str) -> list[Path]:
    """The files of a language: ``{lang}.json`` (shared words) then ``pages/*.{lang}.json`` (one per page)."""
    return [LOCALES_DIR / f"{lang}.json", *sorted((LOCALES_DIR / "pages").glob(f"*.{lang}.json"))]


@lru_cache(maxsize=8)
def _load_catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalogue_files(lang):
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise ValueError(f"{path}: expected a flat JSON object of text keys and text values")
        clash = sorted(set(data) & set(merged))
        if clash:
            raise ValueError(f"{path}: key {clash[0]!r} is already defined in another catalogue file")
        merged.update(data)
    return merged


def catalogue(lang: str) -> dict[str, str]:
    """A copy of the whole catalogue for ``lang`` (key -> unformatted text)."""
    return dict(_load_catalogue(normalize_lang(lang)))


def _lookup(key: str, lang: str | None) -> str:
    try:
        code = normalize_lang(lang)
    except ValueError:
        code = FALLBACK_LANG
    for candidate in (code, FALLBACK_LANG):
        try:
            text = _load_catalogue(candidate).get(key)
        except (OSError, ValueError):  # a broken file must not take the page down
            text = None
        if text is not None:
            return text
    return key


class _KeepMissing(dict):
    """``format_map`` helper: leave ``{name}`` in place when no value is given."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def t(key: str, /, lang: str | None = DEFAULT_LANG, **params: Any) -> str:
    """Translated text for ``key`` in ``lang``, formatted with ``params``.

    Falls back to English when the key is missing in ``lang``, then to the key
    itself; never raises (a placeholder without a value stays as ``{name}``).
    ``lang`` may be given by position or keyword; no placeholder may be named
    ``lang``.
    """
    text = _lookup(key, lang) if isinstance(key, str) else str(key)
    try:
        return text.format_map(_KeepMissing(params))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return text


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in ``text`` (``ValueError`` if malformed)."""
    names = set()
    for _literal, field, _spec, _conv in string.Formatter().parse(text):
        if field is not None:
            names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    return names


# --------------------------------------------------------------------------- formatting


def _to_decimal(x: Any) -> Decimal | None:
    """``x`` as an exact Decimal; ``None`` for missing or non-finite values.

    Floats go through their shortest ``repr`` (``2.675`` -> ``Decimal("2.675")``),
    so rounding works on the number the user sees, not on binary noise.
    """
    if x is None:
        return None
    if isinstance(x, str):
        raise TypeError(f"expected a number, got text {x!r} (read it with simulation.io.parse_number first)")
    if isinstance(x, Decimal):
        return x if x.is_finite() else None
    if isinstance(x, numbers.Integral):
        return Decimal(int(x))
    if type(x).__name__ in ("NAType", "NaTType"):  # pandas.NA / pandas.NaT
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"expected a number, got {type(x).__name__}") from None
    if not math.isfinite(f):
        return None
    return Decimal(repr(f))


def _check_decimals(decimals: int) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}")
    return int(decimals)


def _round(d: Decimal, decimals: int) -> Decimal:
    """Round half away from zero to ``decimals`` places."""
    with localcontext() as ctx:
        ctx.prec = max(28, d.adjusted() + decimals + 10)
        return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _format_decimal(d: Decimal, lang: str, decimals: int) -> str:
    """``d`` rounded half away from zero, written by Babel with the CLDR symbols of ``lang``."""
    q = _round(d, decimals)
    if q.is_zero():
        q = q.copy_abs()  # -0.4 rounds to "0", not "-0"
    with localcontext() as ctx:  # Babel quantizes in the current context: room for every digit
        ctx.prec = max(28, q.adjusted() + decimals + 10)
        return format_decimal(q, format=_pattern(decimals), locale=_locale(lang))


def fmt_number(x: Any, lang: str | None = DEFAULT_LANG, decimals: int = 0) -> str:
    """``1234567.8`` -> id ``"1.234.567,8"``, en ``"1,234,567.8"`` (CLDR separators via Babel).

    Rounds half away from zero; negative numbers get CLDR's minus sign (a plain ``-`` in both languages);
    ``None``, NaN and infinities give ``"–"``.
    """
    lang = normalize_lang(lang)
    decimals = _check_decimals(decimals)
    d = _to_decimal(x)
    if d is None:
        return MISSING
    return _format_decimal(d, lang, decimals)


def _with_prefix(prefix: str, number_text: str) -> str:
    if number_text == MISSING:
        return MISSING
    if number_text.startswith("-"):
        return "-" + prefix + number_text[1:]
    return prefix + number_text


def _rupiah() -> str:
    """``"Rp "``: the rupiah's own CLDR symbol (English CLDR writes ``IDR``) and a space, as the app writes it."""
    return get_currency_symbol("IDR", locale=_locale("id")) + " "


def fmt_idr(x: Any, lang: str | None = DEFAULT_LANG, decimals: int = 0) -> str:
    """Rupiah: id ``"Rp 16.800"``, en ``"Rp 16,800"``; negative ``"-Rp 16.800"``."""
    return _with_prefix(_rupiah(), fmt_number(x, lang, decimals))


def fmt_idr_short(x: Any, lang: str | None = DEFAULT_LANG) -> str:
    """Compact rupiah with 3 significant digits for a million and up (CLDR long compact form via Babel).

    id ``"Rp 2,02 miliar"``, ``"Rp 356 juta"``, ``"Rp 1,5 triliun"``;
    en ``"Rp 2.02 billion"``, ``"Rp 356 million"``, ``"Rp 1.5 trillion"``.
    Below a million it is :func:`fmt_idr` (whole rupiah).
    """
    lang = normalize_lang(lang)
    d = _to_decimal(x)
    if d is None:
        return MISSING
    if abs(d) < Decimal(10) ** 6:
        return fmt_idr(d, lang)
    # 3 significant digits first (half away from zero), so 999.6 juta becomes 1 miliar, not 1.000 juta;
    # Babel then picks the unit and writes at most the 2 decimals that are left
    with localcontext() as ctx:
        ctx.prec = max(28, d.adjusted() + 10)
        q = d.quantize(Decimal(1).scaleb(d.adjusted() - 2), rounding=ROUND_HALF_UP)
        text = format_compact_decimal(q, format_type="long", locale=_locale(lang), fraction_digits=2)
    return _with_prefix(_rupiah(), text)


def fmt_pct(x: Any, lang: str | None = DEFAULT_LANG, decimals: int = 1) -> str:
    """``x`` is already in percent: id ``"40,9 %"``, en ``"40.9%"``.

    The sign is CLDR's; the space before it in Indonesian is the app's style (CLDR writes ``40,9%``).
    """
    lang = normalize_lang(lang)
    text = fmt_number(x, lang, decimals)
    if text == MISSING:
        return MISSING
    return text + _PERCENT_GAP[lang] + _percent_sign(lang)


def fmt_pp(x: Any, lang: str | None = DEFAULT_LANG, decimals: int = 1) -> str:
    """Percentage points with sign: id ``"+4,1 poin"``, en ``"+4.1 pp"``.

    A value that rounds to zero has no sign (``"0,0 poin"``).
    """
    lang = normalize_lang(lang)
    text = fmt_number(x, lang, decimals)
    if text == MISSING:
        return MISSING
    if not text.startswith("-") and any(c in "123456789" for c in text):
        text = get_plus_sign_symbol(_locale(lang)) + text
    return text + (" poin" if lang == "id" else " pp")


# --------------------------------------------------------------------------- Vega / d3 locales

# d3-time-format patterns (strftime syntax, not CLDR's); the names in them come from Babel
_D3_TIME_PATTERNS = {
    "id": {"dateTime": "%A, %e %B %Y pukul %H.%M.%S", "date": "%d/%m/%Y", "time": "%H.%M.%S"},
    "en": {"dateTime": "%a %b %e %X %Y", "date": "%d/%m/%Y", "time": "%H:%M:%S"},
}
_SUNDAY_FIRST = (6, 0, 1, 2, 3, 4, 5)  # Babel numbers days from Monday = 0; d3 starts on Sunday


def vega_format_locale(lang: str | None = DEFAULT_LANG) -> dict:
    """d3-format locale for Vega/vl-convert, matching :func:`fmt_number` (symbols from Babel's CLDR data).

    Includes ``percent`` (id: space + ``%`` so ``.1%`` gives ``"40,9 %"``),
    ``minus`` (CLDR's, a plain ``-`` as in the tables, not d3's U+2212) and ``nan``.
    A new dict on every call, safe to modify.
    """
    lang = normalize_lang(lang)
    loc = _locale(lang)
    return {
        "decimal": get_decimal_symbol(loc),
        "thousands": get_group_symbol(loc),
        "grouping": [loc.decimal_formats[None].grouping[0]],
        "currency": [_rupiah(), ""],
        "percent": _PERCENT_GAP[lang] + _percent_sign(lang),
        "minus": get_minus_sign_symbol(loc),
        "nan": MISSING,
    }


def vega_time_locale(lang: str | None = DEFAULT_LANG) -> dict:
    """d3-time-format locale for Vega/vl-convert: month, day and period names from Babel's CLDR data."""
    lang = normalize_lang(lang)
    loc = _locale(lang)
    days, short_days = get_day_names("wide", locale=loc), get_day_names("abbreviated", locale=loc)
    months, short_months = get_month_names("wide", locale=loc), get_month_names("abbreviated", locale=loc)
    periods = get_period_names("abbreviated", "format", locale=loc)
    return {
        **_D3_TIME_PATTERNS[lang],
        "periods": [periods["am"], periods["pm"]],
        "days": [days[i] for i in _SUNDAY_FIRST],
        "shortDays": [short_days[i] for i in _SUNDAY_FIRST],
        "months": [months[m] for m in range(1, 13)],
        "shortMonths": [short_months[m] for m in range(1, 13)],
    }


# --------------------------------------------------------------------------- maintenance


def _main(argv: list[str]) -> int:
    """Rewrite the catalogues sorted by key; report keys missing from one of them."""
    _load_catalogue.cache_clear()
    cats = {lang: _load_catalogue(lang) for lang in LANGS}
    for lang in LANGS:
        for path in catalogue_files(lang):
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(dict(sorted(data.items())), ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
    status = 0
    all_keys = set().union(*cats.values())
    for lang, cat in cats.items():
        missing = sorted(all_keys - cat.keys())
        for key in missing:
            print(f"{lang}.json is missing {key}")
            status = 1
    print(f"{len(all_keys)} keys; catalogues sorted")
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# What GitHub-flavoured Markdown (Streamlit's) turns into a link by itself, even after backslash escapes (its
# autolink step runs on the unescaped text): web addresses and e-mail addresses. Such a run is shown as code.
_AUTOLINK = re.compile(r"(?:https?://|www\.)\S*|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.IGNORECASE)


def md_escape(text: Any) -> str:
    """User text (scenario and group names) made inert for Streamlit markdown: no links, emphasis or HTML.

    Markdown characters get a backslash; an address (``http://…``, ``www.…``, ``a@b.c``) becomes inline code,
    the one place where GFM's autolinking does not reach (the browser test ``tests/e2e/test_browser_hostile.py``
    showed escaped addresses still turned into links)."""
    text, out, pos = str(text), [], 0
    for m in _AUTOLINK.finditer(text):
        run = m.group()
        fence = "`" * (max((len(r) for r in re.findall("`+", run)), default=0) + 1)
        pad = " " if run[0] == "`" or run[-1] == "`" else ""
        out += [_MD_SPECIAL.sub(r"\\\1", text[pos:m.start()]), f"{fence}{pad}{run}{pad}{fence}"]
        pos = m.end()
    return "".join(out) + _MD_SPECIAL.sub(r"\\\1", text[pos:])
