"""Names shown for a region's groups, targets and scenarios in the chosen language, and the preset variants
offered for comparison (no Streamlit; no engine calls: scenarios are renamed, never projected here)."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from simulation.data import Region, load_region
from simulation.scenario import Scenario, scenario_from_region

from .i18n import t


def short_name(region: Region) -> str:
    """The region's name without the word for its kind: ``Kota Pontianak`` -> ``Pontianak``."""
    for prefix in ("Kota ", "Kabupaten ", "Kab. ", "Provinsi "):
        if region.name.startswith(prefix) and region.name[len(prefix):].strip():
            return region.name[len(prefix):].strip()
    return region.name


KINDS = ("kota", "kabupaten", "provinsi")


def region_words(region: Region | None, lang: str) -> dict[str, str]:
    """The words for who pays, by the region's kind, as parameters of :func:`presentation.i18n.t`: ``gov``
    (``Pemkab`` / ``the regency``), ``Gov`` (the same at a sentence's start), ``apbd`` (``APBD kabupaten`` /
    ``the regency budget``) and ``wage`` (``UMK``, for a province ``UMP``). A region of no known kind (or none)
    gets the words for any local government (``pemda`` / ``the local government``)."""
    kind = getattr(region, "kind", None)
    kind = kind if kind in KINDS else "other"
    gov = t(f"region.gov_{kind}", lang)
    return {"gov": gov, "Gov": gov[:1].upper() + gov[1:], "apbd": t(f"region.apbd_{kind}", lang),
            "wage": "UMP" if kind == "provinsi" else "UMK"}


def starting_scenario(region: Region | str, lang: str) -> Scenario:
    """The scenario a region starts with: its signed agreement's groups (``Kesepakatan 2026 (Pontianak)``, named
    after the region), or, without an agreement, every group (``Skenario <region>``). ``region``: the session's
    region (a saved or edited one), or a shipped region's id."""
    r = load_region(region) if isinstance(region, str) else region
    i = 0 if lang == "id" else 1
    if any(g.agreement for g in r.groups):
        name = AGREEMENT_NAMES[i].format(region=short_name(r))
        return scenario_from_region(r, name=name[:120], agreement_only=True, lang=lang)
    name = (f"Skenario {r.name}", f"Scenario {r.name}")[i]
    return scenario_from_region(r, name=name[:120], agreement_only=False, lang=lang)


def group_label(group, region: Region, lang: str) -> str:
    """A default group's name in the chosen language; a renamed or custom group keeps its own name."""
    d = region.group(group.id)
    if d is not None and group.name in (d.name_id, d.name_en):
        return d.name(lang)
    return group.name


def target_label(target, region: Region, lang: str) -> str:
    d = next((x for x in region.targets if x.id == target.id), None)
    if d is not None and target.name in (d.name_id, d.name_en):
        return d.name(lang)
    return target.name


def scenario_label(scenario: Scenario, lang: str) -> str:
    """A preset's name in ``lang`` (the agreement's with its region's name); any other name as the user gave it."""
    return preset_name(scenario.name, lang) or scenario.name


def preset_name(name: str, lang: str) -> str | None:
    """``name`` in ``lang`` when it is a preset's name in either language, else None."""
    i = 0 if lang == "id" else 1
    for pair in PRESET_NAMES.values():
        if name in pair:
            return pair[i]
    for pattern in AGREEMENT_NAMES:
        m = re.fullmatch(re.escape(pattern).replace(re.escape("{region}"), "(.+)"), name)
        if m:
            return AGREEMENT_NAMES[i].format(region=m[1])
    return None


#: the starting scenario of a region with a signed agreement, in id and en
AGREEMENT_NAMES = ("Kesepakatan 2026 ({region})", "2026 agreement ({region})")
PRESET_NAMES = {
    "vendors": ("Plus pedagang kaki lima", "Plus street vendors"),
    "jht": ("Dengan JHT", "With JHT"),
    "wider": ("Semua kelompok", "All groups"),
}


_ORIGINAL_ID: dict[str, str] = {}


@functools.lru_cache(maxsize=256)
def localized(scenario: Scenario, region: Region, lang: str) -> Scenario:
    """The same scenario with default names shown in ``lang`` (numbers unchanged).

    Its content hash differs (names are content); :func:`identity` maps it back to the user's scenario."""
    groups = [replace(g, name=group_label(g, region, lang)) for g in scenario.groups]
    targets = [replace(x, name=target_label(x, region, lang)) for x in scenario.targets]
    shown = scenario.replace(name=scenario_label(scenario, lang), groups=groups, targets=targets)
    if len(_ORIGINAL_ID) > 4096:
        _ORIGINAL_ID.clear()
    _ORIGINAL_ID[shown.content_hash] = scenario.content_hash
    return shown


def identity(scenario: Scenario) -> str:
    """The identity to print under a chart: the user's scenario, also when shown translated."""
    return _ORIGINAL_ID.get(scenario.content_hash, scenario.content_hash)


def presets(scenario: Scenario, region: Region, lang: str) -> list[Scenario]:
    """Three scenarios to compare: as now, plus the first candidate group, and with JHT."""
    i = 0 if lang == "id" else 1
    out = [scenario]
    extra = next((g for g in sorted(scenario.groups, key=lambda g: g.priority) if not g.in_scope and g.members), None)
    if extra is not None:
        name = (f"Plus {group_label(extra, region, 'id').lower()}", f"Plus {group_label(extra, region, 'en').lower()}")[i]
        out.append(scenario.replace(name=name[:120], groups=[replace(g, in_scope=True) if g.id == extra.id else g
                                                             for g in scenario.groups]))
    else:
        out.append(scenario.replace(name=PRESET_NAMES["wider"][i], city_share=1.0))
    out.append(scenario.replace(name=PRESET_NAMES["jht"][i], route="bpu_jht"))
    out.append(scenario.replace(name=PRESET_NAMES["wider"][i], groups=[replace(g, in_scope=True)
                                                                       for g in scenario.groups]))
    return out
