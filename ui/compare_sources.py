"""What the Compare page sets side by side, besides the working scenario and its automatic variants: the saved
scenarios of the region (storage/library.py) that the user picks, at most ``MAX_SAVED``, and the region's baseline
entry ("Jadikan acuan" on Pustaka), which becomes the reference column.

A saved entry is computed as Pustaka's "Buka" would open it: on the region data stored with it when it has some,
else on the session's region data. When its stored data differ from the session's, the column says so.
Nothing read from the library is trusted: ``Library.open`` validates it again; an entry that cannot be read is
reported (where, what) and left out, never a traceback.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from presentation import labels
from presentation.i18n import t
from simulation.data import Region
from simulation.errors import ValidationError
from simulation.scenario import Scenario
from storage.library import Entry, Library
from storage.store import MAX_NAME

MAX_SAVED = 4   # saved scenarios set beside the working one (issue 13); the baseline entry comes on top


@dataclass(frozen=True)
class Saved:
    """One saved entry ready to project: the scenario (names in the page's language), the region data it is
    computed on, and whether those are its own stored data, different from the session's."""

    entry: Entry
    scenario: Scenario
    region: Region
    own_region: bool


def entries(lib: Library, region_id: str) -> tuple[list[Entry], ValidationError | None]:
    """The region's saved entries, oldest first, or none and the library's refusal (busy, damaged file)."""
    try:
        return lib.list(region_id), None
    except ValidationError as exc:
        return [], exc


@functools.lru_cache(maxsize=32)
def _open(lib: Library, entry_id: str, content_hash: str) -> tuple[Scenario, Region | None]:
    """``Library.open``, once per entry content (an update changes the content hash, so it is opened again)."""
    return lib.open(entry_id)


def load(lib: Library, entry: Entry, region: Region, lang: str) -> Saved:
    """The entry opened and validated; raises the library's ValidationError (e.g. ``tampered_entry``)."""
    scenario, own = _open(lib, entry.id, entry.content_hash)
    used = own if own is not None else region
    shown = labels.localized(scenario, used, lang).replace(name=entry.name)
    return Saved(entry, shown, used, own is not None and own != region)


def column_name(saved: Saved, lang: str, reference: bool = False) -> str:
    """The column's (and the chart line's) name: the entry's name, marked as the reference and when it is computed
    on its own stored region data; the name is shortened (…) so that the marks and a " (n)" suffix still fit in a
    scenario name (MAX_NAME characters)."""
    def marked(name: str) -> str:
        name = t("compare.reference_col", lang, name=name) if reference else name
        return t("compare.own_region_col", lang, name=name) if saved.own_region else name
    room = MAX_NAME - 6 - len(marked(""))
    name = saved.entry.name
    return marked(name if len(name) <= room else name[:room - 1].rstrip() + "…")


def unique_names(names: list[str], taken: set[str]) -> list[str]:
    """``names`` made distinct from each other and from ``taken`` (a suffix " (2)", " (3)", ...), in order."""
    out, seen = [], set(taken)
    for name in names:
        new, n = name, 2
        while new in seen:
            new, n = f"{name} ({n})", n + 1
        out.append(new)
        seen.add(new)
    return out


def arrange(variants: list[Scenario], saved: list[Saved], reference: Saved | None, region: Region,
            lang: str) -> tuple[list[tuple[Scenario, Region]], int | None, list[str]]:
    """The columns after "no new policy", in order: the reference entry, the working scenario and its variants
    chosen, the saved scenarios chosen; each as (scenario named as its column, region data to compute it on).

    The first column's no-policy trend fills the "no new policy" column, so the first column is one computed on
    the session's region data whenever there is one. Returns the columns, the reference's index among them (None
    without a reference entry) and the names of the columns computed on their own stored region data."""
    marked = ([column_name(reference, lang, reference=True)] if reference else []) + \
        [column_name(s, lang) for s in saved]
    names = unique_names(marked, {t("common.baseline", lang)} | {v.name for v in variants})
    ref_col = [(reference.scenario.replace(name=names[0]), reference.region, reference.own_region)] \
        if reference else []
    rest = [(s.scenario.replace(name=n), s.region, s.own_region) for s, n in zip(saved, names[len(ref_col):],
                                                                                 strict=True)]
    cols = ref_col + [(v, region, False) for v in variants] + rest
    if cols and cols[0][2]:
        k = next((j for j, c in enumerate(cols) if not c[2]), 0)
        cols.insert(0, cols.pop(k))
    ref_i = next((j for j, c in enumerate(cols) if ref_col and c[0] is ref_col[0][0]), None)
    return [(s, r) for s, r, _ in cols], ref_i, [s.name for s, _, own in cols if own]
