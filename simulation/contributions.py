"""What a city pays per person: the contribution routes a PBI scheme can use.

Routes
------
``bpu``      informal participant (BPU): JKK 1 % of declared income (at least the
             Rp1,000,000 floor) + JKM flat Rp6,800 per month.  Rp16,800 on the floor.
``bpu_jht``  as ``bpu`` plus the optional JHT 2 % of declared income. Rp36,800 on the floor.
``pu``       enrolled as a wage earner (PU) at a JKK risk class on a nominal wage:
             (JKK class rate + JKM 0.30 %) of the base. Rp5,400 on Rp1,000,000 at class 1.

Bases
-----
``floor``     the regulatory lowest declared income (dated parameter ``bpu.income_floor``).
``min_wage``  the region's minimum wage (UMK/UMP) of the year; years after the last
              published one are indexed by ``indexation_pct`` a year.
``custom``    any amount [Rp/month] set for a year of its own (``custom_year``; default the scenario's
              first year), indexed yearly from that year on.

Rates come from ``data/parameters.yaml`` and are looked up month by month, so a
rate that changes mid-year (e.g. the 99 % discount of PP 49/2020) is costed exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .data import Region
from .errors import ValidationError
from .parameters import Parameters, resolve

ROUTES = ("bpu", "bpu_jht", "pu")
BASES = ("floor", "min_wage", "custom")
RISK_CLASSES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Contribution:
    """One person's monthly contribution on one date, by programme [Rp/month]."""

    jkk: float
    jkm: float
    jht: float
    base: float  # declared income or wage the rates apply to [Rp/month]

    @property
    def total(self) -> float:
        return self.jkk + self.jkm + self.jht


def monthly_contribution(route: str, base_idr: float, on: dt.date, risk_class: int = 1,
                         parameters: Parameters | None = None) -> Contribution:
    """Contribution per person per month [Rp/month] on a date, for a base [Rp/month].

    Rates from ``parameters`` (default: the shipped ``data/parameters.yaml``)."""
    p = resolve(parameters)
    if route not in ROUTES:
        raise ValidationError("contribution.route", f"unknown route {route!r}; expected one of {ROUTES}",
                              code="bad_choice", params={"choices": ", ".join(ROUTES)})
    if not base_idr >= 0:
        raise ValidationError("contribution.base", "base must be zero or more", code="negative",
                              params={"value": base_idr})
    if route in ("bpu", "bpu_jht"):
        declared = max(base_idr, p.value("bpu.income_floor", on))
        jkk = p.value("bpu.jkk_rate", on) * declared
        jkm = p.value("bpu.jkm_flat", on)
        jht = p.value("bpu.jht_rate", on) * declared if route == "bpu_jht" else 0.0
        return Contribution(jkk, jkm, jht, declared)
    if risk_class not in RISK_CLASSES:
        raise ValidationError("contribution.risk_class", "risk class must be 1 to 5", code="out_of_range",
                              params={"min": 1, "max": 5, "value": risk_class})
    jkk = p.value(f"pu.jkk_rate.class{risk_class}", on) * base_idr
    jkm = p.value("pu.jkm_rate", on) * base_idr
    return Contribution(jkk, jkm, 0.0, base_idr)


def base_for_year(base: str, year: int, *, region: Region | None, custom_idr: float, indexation_pct: float,
                  first_year: int, custom_year: int | None = None, parameters: Parameters | None = None) -> float:
    """The base the rates apply to in a year [Rp/month].

    A custom amount holds in ``custom_year`` (None: ``first_year``) and grows by ``indexation_pct`` a year after
    it: Rp2,000,000 set for 2025 at 5 % is Rp2,100,000 in 2026. Years before ``custom_year`` take the amount."""
    p = resolve(parameters)
    if base == "floor":
        return p.value("bpu.income_floor", dt.date(year, 1, 1))
    if base == "min_wage":
        if region is None:
            raise ValidationError("contribution.base", "the minimum wage base needs a region", code="invalid")
        return region.min_wage_in(year, indexation_pct)
    if base == "custom":
        since = first_year if custom_year is None else custom_year
        return custom_idr * (1 + indexation_pct / 100) ** max(0, year - since)
    raise ValidationError("contribution.base", f"unknown base {base!r}; expected one of {BASES}",
                          code="bad_choice", params={"choices": ", ".join(BASES)})


def yearly_contribution(route: str, base_idr: float, year: int, risk_class: int = 1,
                        parameters: Parameters | None = None) -> float:
    """Contribution per person for a whole calendar year [Rp/year], month by month."""
    p = resolve(parameters)
    return sum(monthly_contribution(route, base_idr, dt.date(year, m, 1), risk_class, p).total
               for m in range(1, 13))
