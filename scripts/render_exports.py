"""Write sample exports to a folder (default /tmp/exports) to look at them: a developer's tool.

    .venv/bin/python scripts/render_exports.py [OUT_DIR] [--lang id|en|both] [--images]

Writes, per language: chart PNG/SVG/PDF with the footer, CSV of the projection table and of the fan chart's
data, the XLSX workbook, the council deck (PPTX) and the brief (PDF), and prints how long each took.
``--images`` also turns the deck and the brief into page PNGs to look at, with LibreOffice and poppler
(scripts/renderers.sh installs them), i.e.
    soffice --headless --convert-to pdf --outdir OUT OUT/deck-id.pptx && pdftoppm -png -r 50 OUT/deck-id.pdf OUT/deck-id
tests/test_deck_render.py renders the same way and checks where every line of text landed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from presentation import charts, exports, labels  # noqa: E402
from presentation.exports import images as image_files  # noqa: E402
from simulation.data import load_region  # noqa: E402
from simulation.scenario import default_scenario  # noqa: E402
from ui import model  # noqa: E402


def timed(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<28} {time.perf_counter() - t0:6.2f} s  {len(out):>9,} bytes")
    return out


def timed_report(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<28} {time.perf_counter() - t0:6.2f} s")
    return out


def clear_png_caches() -> None:
    """Forget rendered PNGs, so the next export is timed as a first click on a new chart."""
    image_files._png_cached.cache_clear()
    image_files._vega_png_cached.cache_clear()


def render(out: Path, lang: str) -> None:
    region = load_region("pontianak")
    scenario = default_scenario(lang)
    p = model.project(scenario, region)
    footer = exports.footer_text(scenario, lang)
    fan = charts.fan_chart(p, lang)
    (out / f"fan-{lang}.png").write_bytes(timed(f"fan PNG ({lang}, first)", lambda: exports.chart_png(fan, 2, footer)))
    clear_png_caches()
    (out / f"fan-{lang}.png").write_bytes(timed(f"fan PNG ({lang}, again)", lambda: exports.chart_png(fan, 2, footer)))
    (out / f"fan-{lang}.svg").write_bytes(timed("fan SVG", lambda: exports.chart_svg(fan, footer)))
    (out / f"fan-{lang}.pdf").write_bytes(timed("fan PDF", lambda: exports.chart_pdf(fan, footer)))
    for name, builder in (("cost", charts.cost_by_group_chart), ("claims", charts.claims_chart)):
        (out / f"{name}-{lang}.png").write_bytes(timed(f"{name} PNG", lambda b=builder: exports.chart_png(
            b(p, lang), 2, footer)))
    sens = model.sensitivity(scenario, region)
    (out / f"tornado-{lang}.png").write_bytes(timed("tornado PNG", lambda: exports.chart_png(
        charts.tornado_chart(sens, lang), 2, footer)))
    (out / f"table-{lang}.csv").write_bytes(timed("projection CSV", lambda: exports.table_csv(p.table, lang)))
    (out / f"fan-data-{lang}.csv").write_bytes(timed("fan data CSV", lambda: exports.chart_data_csv(fan, lang)))
    (out / f"workbook-{lang}.xlsx").write_bytes(timed("workbook XLSX", lambda: exports.projection_workbook(p, lang)))
    others = tuple(labels.presets(scenario, region, lang)[1:3])
    full = timed_report("report (goal, sensitivity, compare)", lambda: model.report(
        scenario, region, lang, sensitivity=True, compare=(scenario, *others)))
    (out / f"deck-{lang}.pptx").write_bytes(timed("council deck PPTX", lambda: exports.council_deck_pptx(full)))
    (out / f"brief-{lang}.pdf").write_bytes(timed("brief PDF", lambda: exports.brief_pdf(
        model.report(scenario, region, lang, sensitivity=True))))
    plain = model.report(scenario, region, lang)
    clear_png_caches()
    timed("deck PPTX, no extras, cold", lambda: exports.council_deck_pptx(plain))
    clear_png_caches()
    timed("brief PDF, no extras, cold", lambda: exports.brief_pdf(plain))


def images(out: Path, lang: str) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not (soffice and shutil.which("pdftoppm")):
        print("--images needs LibreOffice and poppler: run scripts/renderers.sh as root "
              "(apt-get install -y libreoffice-impress poppler-utils fonts-liberation)")
        return
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:   # its own profile: a running LibreOffice
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(out / f"deck-{lang}.pptx")], check=True, capture_output=True,
                       timeout=300, cwd=profile)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(out / f"deck-{lang}.pdf"), str(out / f"deck-{lang}")],
                   check=True, timeout=120)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out / f"brief-{lang}.pdf"), str(out / f"brief-{lang}")],
                   check=True, timeout=120)
    print(f"page images: {out}/deck-{lang}-*.png, {out}/brief-{lang}-*.png")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="/tmp/exports")
    ap.add_argument("--lang", choices=("id", "en", "both"), default="both")
    ap.add_argument("--images", action="store_true", help="also render the deck and brief pages to PNG")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for lang in (("id", "en") if args.lang == "both" else (args.lang,)):
        render(out, lang)
        if args.images:
            images(out, lang)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
