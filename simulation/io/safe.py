"""Text that crosses the app's edges: cells written into files, and ids and names read from them.

- :func:`neutralise`: every file the app writes (the region templates here, batch output, the CSV and XLSX
  exports in ``presentation.exports``) passes its text cells through this one helper, so a spreadsheet shows
  ``=HYPERLINK(...)``, ``=cmd|...``, ``@SUM(...)``, ``+``/``-`` text, a leading tab or carriage return, and
  their full-width forms (``＝``) as text instead of running them.
- :func:`hidden_chars` and :func:`visible`: the invisible characters (zero-width, bidi overrides such as
  U+202E, the byte-order mark) that the scenario library refuses in names (``storage.store.check_name``) are
  refused the same way in ids and names read from files, and shown as ``<U+200B>`` in messages, so a refused id
  never looks identical to a valid one.

Pure Python; no language here (``simulation`` may not import ``presentation``; ``presentation`` imports this).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_START", "HIDDEN", "HIDDEN_RE", "hidden_chars", "neutralise", "unneutralise", "visible"]

#: What makes a spreadsheet read a text cell as a formula or a DDE command (after leading spaces).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: Invisible characters refused in names and ids (the same set ``storage.store.check_name`` refuses):
#: zero-width space/joiners, left-to-right/right-to-left marks, bidi embeddings, overrides and isolates,
#: word joiner and the byte-order mark.
HIDDEN = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069"
                   "\ufeff")
#: Every character of Unicode categories Cc (control), Cf (format: zero-width, bidi, soft hyphen ...), Cs, Zl, Zp,
#: as one character class (one search per name, not a lookup per character). Written out for Unicode 14 (Python
#: 3.11); tests/test_io.py checks it against ``unicodedata`` over every code point, so a newer Python that adds a
#: format character fails that test instead of letting the character through.
HIDDEN_RE = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading ``'``; anything else is returned as is.

    Numbers stay numbers (a negative number is not text).
    """
    if isinstance(value, str) and value.lstrip(" \u3000").startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """The text :func:`neutralise` was given: a leading ``'`` before formula-leading text is taken off.

    The reader applies it to text cells, so a template the app wrote reads back with the names it holds.
    """
    if text.startswith("'") and text[1:].lstrip(" \u3000").startswith(FORMULA_START):
        return text[1:]
    return text


def hidden_chars(text: str) -> list[str]:
    """The invisible or control characters in ``text`` (tab, CR and LF count: a name is one line)."""
    return HIDDEN_RE.findall(str(text))


def visible(text: Any, limit: int = 40) -> str:
    """``text`` for a message: invisible and control characters written as ``<U+200B>``, cut at ``limit``."""
    return HIDDEN_RE.sub(lambda m: f"<U+{ord(m[0]):04X}>", str(text)[:limit])
