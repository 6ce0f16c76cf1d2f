"""Charts for presentation mode (views/present.py): the app's chart specs at projector size, sized so that one
chart with its title, axis and legend fits beside the screen's message on a 1280 × 720 projector (about 620 px
under the browser's bars). Pure spec transforms: nothing is drawn here."""

from __future__ import annotations

import textwrap

from presentation import chart_style, figures


def _bigger_text(obj, size: int, factor: float):
    """Text marks (target labels, values at bar ends) at projector size; row offsets grow with them; legends in at
    most two columns (the chart has half the screen's width)."""
    if isinstance(obj, list):
        return [_bigger_text(v, size, factor) for v in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: _bigger_text(v, size, factor) for k, v in obj.items()}
    mark = out.get("mark")
    if isinstance(mark, dict) and mark.get("type") == "text":
        old = mark.get("fontSize") if isinstance(mark.get("fontSize"), (int, float)) else 12
        mark = dict(mark, fontSize=size)
        if isinstance(mark.get("dy"), (int, float)):
            mark["dy"] = mark["dy"] * size / old
        out["mark"] = mark
    if isinstance(out.get("legend"), dict) and "columns" in out["legend"]:   # a legend beside the message: 2 columns
        out["legend"] = {**out["legend"], "columns": min(2, out["legend"]["columns"])}
    if out.get("name") == "label_row" and isinstance(out.get("value"), (int, float)):   # rows of target labels
        out["value"] = out["value"] * factor
    return out


def big(chart, label: int = 15, height: int = 240, text: int = 14) -> dict:
    """The same chart (a spec) with projector-size type (house colours, title anchor and bottom legend kept),
    short enough that the chart with its title, axis and legend fits beside the message in 1280 × 620.
    Works on a copy: the chart builders keep built charts in a shared cache (presentation/figures.py)."""
    spec = _bigger_text(figures.lean(chart).to_dict(), text, text / chart_style.LABEL_FONT)
    config = dict(spec.get("config", {}))
    for part, changes in (("axis", {"labelFontSize": label, "titleFontSize": label}),
                          ("legend", {"labelFontSize": label, "labelLimit": 300, "orient": "bottom", "columns": 2}),
                          ("title", {"fontSize": 17, "subtitleFontSize": 12, "offset": 8})):
        config[part] = {**config.get(part, {}), **changes}
    title = spec.get("title")
    if isinstance(title, dict) and isinstance(title.get("text"), str):   # a long title on two lines, not cut with "…"
        spec["title"] = {**title, "text": textwrap.wrap(title["text"], 62) or title["text"]}
    return {**spec, "config": config, "height": height}
