"""Names shown for a region's groups, targets and scenarios in the chosen language, and the preset variants
offered for comparison (no Streamlit; no engine calls: scenarios are renamed, never projected here)."""

from __future__ import annotations

import functools
from dataclasses import replace

from simulation.data import Region, load_region
from simulation.scenario import Scenario, default_scenario, scenario_from_region


def starting_scenario(region_id: str, lang: str) -> Scenario:
    if region_id == "pontianak":
        return default_scenario(lang)
    region = load_region(region_id)
    name = f"Skenario {region.name}" if lang == "id" else f"Scenario {region.name}"
    scope_all = not any(g.agreement for g in region.groups)
    return scenario_from_region(region, name=name, agreement_only=not scope_all, lang=lang)


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
    for a, b in PRESET_NAMES.values():
        if scenario.name in (a, b):
            return a if lang == "id" else b
    return scenario.name


PRESET_NAMES = {
    "agreement": ("Kesepakatan 2026 (Pontianak)", "2026 agreement (Pontianak)"),
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
