"""Rewrite data/forecast_fits.json: statsmodels' WLS fit of every shipped region's coverage history.

Run after changing a history in data/regions/ (tests/test_forecast.py fails until then):

    .venv/bin/python scripts/refresh_forecast_fits.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation.data import load_region, region_ids  # noqa: E402
from simulation.forecast import FITS_FILE, write_stored_fits  # noqa: E402


def shipped_histories() -> list[tuple[str, tuple[int, ...], tuple[float, ...]]]:
    """(region id, years, shares) as simulation.projection.baseline_forecast gives them to the forecast."""
    out = []
    for rid in region_ids():
        history = load_region(rid).coverage_history
        out.append((rid, tuple(v.year for v in history), tuple(v.value / 100 for v in history)))
    return out


if __name__ == "__main__":
    n = write_stored_fits(shipped_histories())
    print(f"wrote {n} fits to {FITS_FILE}")
