"""THE percent-or-fraction rule: every door that takes a coverage percentage (the CLI's ``goal-seek --target``, the
Goal-seek page's target, the engine's :func:`simulation.goalseek.goal_seek`, and any reader that wants it) decides
with :func:`percent_value`, so ``0.45`` means the same thing everywhere: a question, never 0.45 %.

=====================  =====================  ===========================================================
value given            result                 why
=====================  =====================  ===========================================================
``45``, ``45.5``       45, 45.5 [%]           a percentage of potential workers
``0.45``               refused (ambiguous)    reads as a share (45 %) or as 0.45 %: the user must say which
``0.45`` with ``%``    0.45 [%]               written with a percent sign: meant as 0.45 %
``1`` .. ``100``       as given [%]           1 % is a percentage (a share of 1 would be 100 %: say 100)
``244236``             refused (a count)      more than 100: a number of persons where a percent is expected
``0``, negative, NaN   refused                out of range / not a number
``0.3835, 0.4086``     38.35, 40.86 [%]       a column whose values are all shares of 1 (said in a warning):
                                              :func:`percent_values`, for the readers of tables
``0,3835`` among       refused (ambiguous)    in a column of percentages, one bare value whose x100 lands
``38,35; 40,86``                              among the others: a share written among percentages
                                              (:func:`share_among_percents`)
``0,5`` among ``3``    0.5 [%]                in a column, a small value that x100 would not land among the
                                              others is a real small percentage (a drop-out of 0,5 %)
=====================  =====================  ===========================================================

One rule, two situations: a value alone (a typed target, a CLI flag) has no neighbours, so any bare value below 1
is asked about; a value in a table column is judged against its column (the office files' readers,
``simulation/io/reader.py`` and ``simulation/batch.py``, call :func:`share_among_percents` and
:func:`column_of_shares`).

Refusals raise :class:`~simulation.errors.ValidationError` with a code and params (no language words meant for
users: ``presentation/locales`` says them): ``ambiguous_percent`` {value, percent}, ``count_not_percent``
{value}, ``out_of_range`` {min, max, value}, ``expected_number`` {value}.

Also the output rule of the CLI's tables: :func:`whole_rupiah` and :func:`whole_persons` (no float noise such as
``1060384953.5999999`` and no fractional persons where they are shown).
"""

from __future__ import annotations

import math

from .errors import ValidationError

__all__ = ["AMBIGUOUS_BELOW", "column_of_shares", "is_money_column", "is_person_column", "percent_value",
           "percent_values", "share_among_percents", "whole_persons", "whole_rupiah"]

#: a percentage strictly between 0 and this (and written without a % sign) may be a share: asked, not guessed
AMBIGUOUS_BELOW = 1.0


def percent_value(value, field: str, *, written_with_percent_sign: bool = False, lo: float = 0.0,
                  hi: float = 100.0, open_interval: bool = True) -> float:
    """``value`` as a percentage [0..100] by the one rule above; ``field`` names where it came from."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"expected a percentage, got {value!r}", code="expected_number",
                              params={"value": str(value)[:40]}) from None
    if not math.isfinite(v):
        raise ValidationError(field, f"expected a percentage, got {value!r}", code="expected_number",
                              params={"value": str(value)[:40]})
    if v > 100:
        raise ValidationError(field, f"{v:g} is not a percentage (more than 100: a count of persons?); write the "
                              "share of potential workers between 0 and 100", code="count_not_percent",
                              params={"value": v})
    if 0 < v < AMBIGUOUS_BELOW and not written_with_percent_sign:
        raise ValidationError(field, f"{v:g} reads as {v:g} %: did you mean {v * 100:g} %? Write {v * 100:g} "
                              f"(or {v:g}% if you really mean less than 1 %)", code="ambiguous_percent",
                              params={"value": v, "percent": round(v * 100, 6)})
    if v < lo or v > hi or (open_interval and v in (lo, hi)):
        raise ValidationError(field, f"a percentage must be between {lo:g} and {hi:g} %, got {v:g}",
                              code="out_of_range", params={"min": lo, "max": hi, "value": v})
    return v


def column_of_shares(values) -> bool:
    """A percent column none of whose values was written with a % sign, all in [0, 1] and not all 0: shares of 1."""
    vals = [float(v) for v in values]
    return bool(vals) and all(0 <= v <= 1 for v in vals) and max(vals) > 0


def share_among_percents(value: float, percents) -> bool:
    """``value`` (written without a % sign) is a share among percentages: in (0, 1], while its column holds values
    known to be percentages (above 1, or written with a % sign: the caller says which) and ``value`` x 100 lands
    among them (within half the smallest and twice the largest)."""
    big = [float(p) for p in percents]
    return bool(big) and 0 < value <= 1 and min(big) / 2 <= 100 * value <= max(big) * 2


def percent_values(values, field: str, *, written_with_percent_sign: bool = False) -> tuple[list[float], bool]:
    """A column of percentages by the same rule: ``(values in %, read as shares)``.

    Several values all between 0 and 1 (none written with a % sign) are shares of 1 and are multiplied by 100 (the
    second item says so, for a warning naming the column): ``0.3835, 0.4086`` are 38.35 % and 40.86 %. Otherwise each
    value follows :func:`percent_value`: one below 1 (alone, or among percentages) is asked about, one above 100 is
    a count. ``field`` names the column.
    """
    vals = [float(v) for v in values]
    if not written_with_percent_sign and len(vals) >= 2 and column_of_shares(vals):
        return [v * 100 for v in vals], True
    return [percent_value(v, field, written_with_percent_sign=written_with_percent_sign, open_interval=False)
            for v in vals], False


def is_money_column(name: str) -> bool:
    """A column in Rupiah (``*_idr``; not a ratio such as ``cost_share_apbd_pct``)."""
    return str(name).endswith("_idr")


_PERSON_COLUMNS = {"potential_workers", "covered_workers", "uncovered_workers", "pbi_participants",
                   "pbi_added_net", "compliance_added", "participants", "added_net", "members"}


def is_person_column(name: str) -> bool:
    """A column that counts persons (expected claims are expectations, not head counts: they keep decimals)."""
    return str(name) in _PERSON_COLUMNS


def whole_rupiah(x: float) -> int | None:
    """Rupiah as a whole number (half away from zero); None for a missing value."""
    if x is None or not math.isfinite(float(x)):
        return None
    return int(math.floor(abs(float(x)) + 0.5)) * (1 if x >= 0 else -1)


def whole_persons(x: float) -> int | None:
    """Persons as a whole number, rounded where they are shown (the engine keeps the fractions)."""
    return whole_rupiah(x)
