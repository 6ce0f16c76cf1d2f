"""Tests for presentation.i18n: number formatting (round trips through simulation.io.parse_number), catalogues and t()."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # tests/ has no conftest putting the repo root on the path
    sys.path.insert(0, str(REPO))

from presentation import i18n  # noqa: E402
from presentation.i18n import (  # noqa: E402
    DEFAULT_LANG,
    LANGS,
    fmt_idr,
    fmt_idr_short,
    fmt_number,
    fmt_pct,
    fmt_pp,
    lang_label,
    normalize_lang,
    placeholders,
    t,
    vega_format_locale,
    vega_time_locale,
)
from simulation.io import parse_number  # noqa: E402  (the one parser: formatting must round-trip through it)

DASH = "\u2013"


# --------------------------------------------------------------------------- fmt_number


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1234567.8, "id", 1, "1.234.567,8"),
        (1234567.8, "en", 1, "1,234,567.8"),
        (1234567.8, "id", 0, "1.234.568"),
        (1234567.8, "en", 0, "1,234,568"),
        (-1234, "id", 0, "-1.234"),
        (-1234, "en", 0, "-1,234"),
        (0, "id", 0, "0"),
        (0, "en", 2, "0.00"),
        (999, "id", 0, "999"),
        (1000, "id", 0, "1.000"),
        (100000, "en", 0, "100,000"),
        (0.05, "id", 1, "0,1"),  # half away from zero
        (-0.05, "id", 1, "-0,1"),
        (0.5, "en", 0, "1"),
        (1.5, "en", 0, "2"),
        (2.5, "en", 0, "3"),  # not banker's rounding
        (-2.5, "en", 0, "-3"),
        (2.675, "en", 2, "2.68"),  # the number as written, not its binary approximation
        (1.005, "id", 2, "1,01"),
        (-0.4, "id", 0, "0"),  # no "-0"
        (-0.04, "en", 1, "0.0"),
        (10**18 + 1, "id", 0, "1.000.000.000.000.000.001"),  # ints stay exact
        (Decimal("1234.5"), "id", 2, "1.234,50"),
        (1e20, "en", 0, "100,000,000,000,000,000,000"),
        (1e-7, "en", 3, "0.000"),
        (True, "en", 0, "1"),
    ],
)
def test_fmt_number_examples(x, lang, decimals, expected):
    assert fmt_number(x, lang, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), float("inf"), float("-inf"), Decimal("NaN")])
@pytest.mark.parametrize("lang", LANGS)
def test_missing_values_show_a_dash(missing, lang):
    assert fmt_number(missing, lang) == DASH
    assert fmt_idr(missing, lang) == DASH
    assert fmt_idr_short(missing, lang) == DASH
    assert fmt_pct(missing, lang) == DASH
    assert fmt_pp(missing, lang) == DASH


def test_numpy_and_pandas_scalars():
    np = pytest.importorskip("numpy")
    assert fmt_number(np.float64(1234.5), "id", 1) == "1.234,5"
    assert fmt_number(np.int64(-2016000000), "en") == "-2,016,000,000"
    assert fmt_number(np.float32(0.1), "en", 2) == "0.10"
    assert fmt_number(np.nan, "id") == DASH
    pd = pytest.importorskip("pandas")
    assert fmt_number(pd.NA, "id") == DASH
    assert fmt_idr(pd.NA, "id") == DASH


def test_fmt_number_rejects_bad_arguments():
    with pytest.raises(TypeError):
        fmt_number("1234", "id")
    with pytest.raises(TypeError):
        fmt_number([1], "id")
    with pytest.raises(ValueError):
        fmt_number(1, "id", -1)
    with pytest.raises(ValueError):
        fmt_number(1, "id", 1.5)
    with pytest.raises(ValueError):
        fmt_number(1, "fr")


def test_default_language_is_indonesian():
    assert DEFAULT_LANG == "id"
    assert LANGS == ("id", "en")
    assert fmt_number(1234.5, None, 1) == "1.234,5"
    assert fmt_idr(16800) == "Rp 16.800"


# --------------------------------------------------------------------------- money, percent


def test_fmt_idr():
    assert fmt_idr(16800, "id") == "Rp 16.800"
    assert fmt_idr(16800, "en") == "Rp 16,800"
    assert fmt_idr(2_016_000_000, "id") == "Rp 2.016.000.000"
    assert fmt_idr(16800.5, "id", 2) == "Rp 16.800,50"
    assert fmt_idr(-16800, "id") == "-Rp 16.800"
    assert fmt_idr(-16800, "en") == "-Rp 16,800"
    assert fmt_idr(0, "en") == "Rp 0"


@pytest.mark.parametrize(
    ("x", "id_text", "en_text"),
    [
        (2_016_000_000, "Rp 2,02 miliar", "Rp 2.02 billion"),
        (356_000_000, "Rp 356 juta", "Rp 356 million"),
        (1.5e12, "Rp 1,5 triliun", "Rp 1.5 trillion"),
        (1_000_000, "Rp 1 juta", "Rp 1 million"),
        (12_345_678, "Rp 12,3 juta", "Rp 12.3 million"),
        (2_000_000_000, "Rp 2 miliar", "Rp 2 billion"),
        (999_600_000, "Rp 1 miliar", "Rp 1 billion"),  # rounds into the next unit
        (1_005_000, "Rp 1,01 juta", "Rp 1.01 million"),  # half away from zero
        (-2_016_000_000, "-Rp 2,02 miliar", "-Rp 2.02 billion"),
        # CLDR's compact patterns ("000 triliun") carry no grouping separator; no city budget comes near this
        (1.5e15, "Rp 1500 triliun", "Rp 1500 trillion"),
        (999_999, "Rp 999.999", "Rp 999,999"),  # below a million: plain rupiah
        (16_800.4, "Rp 16.800", "Rp 16,800"),
        (-500_000, "-Rp 500.000", "-Rp 500,000"),
    ],
)
def test_fmt_idr_short(x, id_text, en_text):
    assert fmt_idr_short(x, "id") == id_text
    assert fmt_idr_short(x, "en") == en_text


def test_fmt_pct():
    assert fmt_pct(40.86, "id") == "40,9 %"
    assert fmt_pct(40.86, "en") == "40.9%"
    assert fmt_pct(40.86, "id", 2) == "40,86 %"
    assert fmt_pct(100, "en", 0) == "100%"
    assert fmt_pct(-3.25, "id") == "-3,3 %"
    assert fmt_pct(1234.5, "id") == "1.234,5 %"


@pytest.mark.parametrize("lang", LANGS)
def test_cldr_symbols_are_plain_ascii(lang):
    """Babel's CLDR data could bring U+2212 minus or (narrow) non-breaking spaces; the pages and exports do not.

    Indonesian and English CLDR both use a plain "-" and no space inside numbers or compact units.
    """
    texts = [
        fmt_number(-1234567.8, lang, 1),
        fmt_idr(-16800, lang),
        fmt_idr_short(-2_016_000_000, lang),
        fmt_pct(-38.35, lang, 2),
        fmt_pp(-4.06, lang),
        *(v for v in vega_format_locale(lang).values() if isinstance(v, str) and v != DASH),
        *vega_format_locale(lang)["currency"],
    ]
    assert [text for text in texts if not text.isascii()] == []
    assert fmt_number(-1234567.8, lang, 1).startswith("-1")


def test_indonesian_and_english_outputs_users_see():
    assert fmt_pct(38.35, "id", 2) == "38,35 %"  # the app's space; CLDR alone writes "38,35%"
    assert fmt_pct(38.35, "en", 2) == "38.35%"
    assert fmt_idr(16800, "id") == "Rp 16.800"  # the app's space; CLDR alone writes "Rp16.800"
    assert fmt_idr(16800, "en") == "Rp 16,800"  # the rupiah symbol in English too; CLDR en writes "IDR16,800"


def test_fmt_pp():
    assert fmt_pp(4.06, "id") == "+4,1 poin"
    assert fmt_pp(4.06, "en") == "+4.1 pp"
    assert fmt_pp(-4.06, "id") == "-4,1 poin"
    assert fmt_pp(-4.06, "en") == "-4.1 pp"
    assert fmt_pp(0, "en") == "0.0 pp"
    assert fmt_pp(-0.01, "id") == "0,0 poin"  # rounds to zero: no sign
    assert fmt_pp(0.05, "en") == "+0.1 pp"
    assert fmt_pp(12, "id", 0) == "+12 poin"


# --------------------------------------------------------------------------- round trips

LANG = st.sampled_from(LANGS)
DECIMALS = st.integers(min_value=0, max_value=4)


@given(n=st.integers(min_value=-(10**14), max_value=10**14), lang=LANG, d=DECIMALS)
def test_round_trip_exact(n, lang, d):
    """Numbers with at most ``d`` decimals survive formatting and parsing exactly."""
    x = n / 10**d
    assert parse_number(fmt_number(x, lang, d), lang) == round(x, d) == x


@given(
    x=st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    lang=LANG,
    d=DECIMALS,
)
def test_round_trip_any_float(x, lang, d):
    """parse(fmt(x)) equals round(x, d), up to how ties are broken.

    fmt_number rounds half away from zero on the number as written (repr);
    Python's round() rounds the binary value half to even.  They agree except
    on ties, where they differ by one unit of the last decimal.
    """
    parsed = parse_number(fmt_number(x, lang, d), lang)
    expected = float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))
    assert parsed == expected
    # one unit of the last decimal, plus the float spacing of numbers this large
    assert math.isclose(parsed, round(x, d), rel_tol=1e-15, abs_tol=10.0**-d * (1 + 1e-9) + 4 * math.ulp(x))


@given(
    x=st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    lang=LANG,
    d=DECIMALS,
)
def test_round_trip_money_and_percent(x, lang, d):
    expected = parse_number(fmt_number(x, lang, d), lang)
    assert parse_number(fmt_idr(x, lang, d), lang) == expected
    assert parse_number(fmt_pct(x, lang, d), lang) == expected


@given(x=st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False), lang=LANG)
def test_idr_short_has_three_significant_digits(x, lang):
    text = fmt_idr_short(x, lang)
    if abs(x) < 1e6:
        assert text == fmt_idr(x, lang)
        return
    number, word = text.removeprefix("-").removeprefix("Rp ").rsplit(" ", 1)
    assert word in ({"juta", "miliar", "triliun"} if lang == "id" else {"million", "billion", "trillion"})
    value = (
        parse_number(number, lang)
        * {"juta": 1e6, "miliar": 1e9, "triliun": 1e12, "million": 1e6, "billion": 1e9, "trillion": 1e12}[word]
    )
    assert math.isclose(value, abs(x), rel_tol=0.005)
    assert len(re.sub(r"[^0-9]", "", number).lstrip("0")) <= 3 or word in {"triliun", "trillion"}
    assert text.startswith("-") == (x < 0)


# --------------------------------------------------------------------------- Vega locales


def test_vega_format_locale():
    id_locale = vega_format_locale("id")
    assert {k: id_locale[k] for k in ("decimal", "thousands", "grouping", "currency")} == {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["Rp ", ""],
    }
    en_locale = vega_format_locale("en")
    assert (en_locale["decimal"], en_locale["thousands"]) == (".", ",")
    assert en_locale["currency"] == ["Rp ", ""]
    id_locale["decimal"] = "?"  # a fresh copy every time
    assert vega_format_locale("id")["decimal"] == ","
    json.dumps(id_locale)  # serialisable for vl-convert


@pytest.mark.parametrize("lang", LANGS)
def test_vega_time_locale(lang):
    loc = vega_time_locale(lang)
    required = {"dateTime", "date", "time", "periods", "days", "shortDays", "months", "shortMonths"}
    assert required <= loc.keys()
    assert len(loc["days"]) == len(loc["shortDays"]) == 7
    assert len(loc["months"]) == len(loc["shortMonths"]) == 12
    json.dumps(loc)


def test_vega_time_locale_indonesian_names():
    loc = vega_time_locale("id")
    assert loc["days"][0] == "Minggu" and loc["days"][1] == "Senin"
    assert loc["months"][4] == "Mei" and loc["months"][7] == "Agustus"
    assert loc["shortMonths"][9] == "Okt"


# --------------------------------------------------------------------------- languages and t()


def test_languages():
    assert lang_label("id") == "Bahasa Indonesia"
    assert lang_label("en") == "English"
    assert normalize_lang("id-ID") == "id"
    assert normalize_lang("EN_us") == "en"
    assert normalize_lang(None) == "id"
    with pytest.raises(ValueError):
        normalize_lang("fr")
    with pytest.raises(ValueError):
        lang_label("jv")


def test_t_examples():
    assert t("app.title", "id") == "Simulator PBI Jamsostek"
    assert t("app.title", "en") == "Jamsostek PBI Simulator"
    assert t("nav.goalseek", "id") == "Capai target"
    assert t("nav.goalseek", "en") == "Reach a target"
    assert t("common.baseline", "id") == "Tanpa kebijakan baru"
    assert t("common.assumption", "id") == "Asumsi"
    assert t("chart.source_line", "id", source="BPS 2024") == "Sumber: BPS 2024"
    assert t("chart.source_line", "en", source="BPS 2024") == "Source: BPS 2024"
    assert t("errors.row_col", "id", row=3, column="jumlah", problem="kosong") == "Baris 3, kolom jumlah: kosong"
    assert t("errors.row_col", "en", row=3, column="count", problem="empty") == "Row 3, column count: empty"
    assert t("app.title") == "Simulator PBI Jamsostek"


def test_t_never_raises():
    assert t("no.such.key", "id") == "no.such.key"
    assert t("no.such.key", "en", x=1) == "no.such.key"
    assert t("app.title", "fr") == "Jamsostek PBI Simulator"  # unknown language: English
    assert t("app.title", None) == "Simulator PBI Jamsostek"
    assert t("chart.source_line", "id") == "Sumber: {source}"  # missing value stays visible
    assert t("chart.source_line", "id", source="A", extra="ignored") == "Sumber: A"
    assert t("app.title", "en", key="k") == "Jamsostek PBI Simulator"  # "key" is a free name
    assert t("app.title", lang="en") == "Jamsostek PBI Simulator"
    assert t("chart.source_line", lang="en", source="BPS") == "Source: BPS"


def test_t_falls_back_to_english_then_key(monkeypatch):
    fake = {
        "id": {"both": "keduanya", "fmt": "{n:.1f} orang"},
        "en": {"both": "both", "only_en": "English only {name}", "fmt": "{n:.1f} people"},
    }
    monkeypatch.setattr(i18n, "_load_catalogue", lambda lang: fake[lang])
    assert t("both", "id") == "keduanya"
    assert t("only_en", "id", name="X") == "English only X"
    assert t("neither", "id") == "neither"
    assert t("fmt", "id", n=2) == "2.0 orang"
    assert t("fmt", "id", n="abc") == "{n:.1f} orang"  # bad value: unformatted, no crash


def test_broken_catalogue_does_not_raise(monkeypatch):
    def broken(lang):
        raise ValueError("bad json")

    monkeypatch.setattr(i18n, "_load_catalogue", broken)
    assert t("app.title", "id") == "app.title"


def test_catalogue_is_cached():
    assert i18n._load_catalogue("id") is i18n._load_catalogue("id")
    assert i18n.catalogue("id") is not i18n._load_catalogue("id")  # public copy


def test_module_does_not_import_streamlit():
    code = "import sys, presentation.i18n; sys.exit('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr or "presentation.i18n imported streamlit"


# --------------------------------------------------------------------------- catalogue files

LOCALES = REPO / "presentation" / "locales"
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


def _load_pairs(path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text, object_pairs_hook=lambda pairs: pairs)


@pytest.mark.parametrize("path", [p for lang in LANGS for p in i18n.catalogue_files(lang)], ids=lambda p: p.name)
def test_catalogue_file_is_flat_sorted_and_unique(path):
    lang = path.name
    pairs = _load_pairs(path)
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"{lang}.json has duplicate keys"
    assert keys == sorted(keys), f"{lang}.json is not sorted by key (run: python -m presentation.i18n)"
    for key, value in pairs:
        assert KEY_PATTERN.fullmatch(key), f"{lang}.json: bad key {key!r}"
        assert isinstance(value, str) and value.strip(), f"{lang}.json: {key} is empty"
        assert value == value.strip(), f"{lang}.json: {key} has leading/trailing spaces"


def test_catalogues_have_same_keys():
    id_keys = set(i18n.catalogue("id"))
    en_keys = set(i18n.catalogue("en"))
    assert sorted(id_keys - en_keys) == [], "keys only in id.json"
    assert sorted(en_keys - id_keys) == [], "keys only in en.json"
    assert 120 <= len(id_keys)


def test_catalogues_have_same_placeholders():
    id_cat, en_cat = i18n.catalogue("id"), i18n.catalogue("en")
    problems = []
    for key in sorted(id_cat.keys() & en_cat.keys()):
        try:
            id_names, en_names = placeholders(id_cat[key]), placeholders(en_cat[key])
        except ValueError as exc:
            problems.append(f"{key}: malformed braces ({exc})")
            continue
        if "lang" in id_names | en_names:
            problems.append(f"{key}: a placeholder may not be named 'lang' (t() takes lang itself)")
        if id_names != en_names:
            problems.append(f"{key}: id {sorted(id_names)} != en {sorted(en_names)}")
    assert problems == []


def test_seed_keys_present():
    required = [
        "app.title",
        "app.region",
        "app.language",
        "nav.overview",
        "nav.scenario",
        "nav.projection",
        "nav.compare",
        "nav.goalseek",
        "nav.sensitivity",
        "nav.data",
        "nav.about",
        "common.coverage",
        "common.covered_workers",
        "common.uncovered_workers",
        "common.potential_workers",
        "common.participants",
        "common.cost_per_year",
        "common.share_of_apbd",
        "common.target",
        "common.gap_to_target",
        "common.baseline",
        "common.scenario",
        "common.median",
        "common.range_80",
        "common.range_95",
        "common.probability_target",
        "common.year",
        "common.source",
        "common.assumption",
        "certainty.high",
        "certainty.medium",
        "certainty.low",
        "group.ketua_rt",
        "group.ketua_rw",
        "group.kader_posyandu",
        "group.pekerja_sosial_keagamaan",
        "group.guru_ngaji",
        "group.relawan_bencana",
        "group.pemadam_kebakaran",
        "group.ojek",
        "group.pedagang_kaki_lima",
        "group.nelayan",
        "group.pemulung",
        "group.pekerja_rumah_tangga",
        "group.petani_kecil",
        "errors.row_col",
        "errors.expected_number",
        "errors.negative",
        "errors.over_100",
        "errors.missing_column",
        "errors.unknown_column",
        "errors.duplicate_year",
        "errors.empty_file",
        "errors.too_large",
        "errors.not_a_table",
        "chart.source_line",
    ]
    for lang in LANGS:
        cat = i18n.catalogue(lang)
        assert [k for k in required if k not in cat] == [], lang
    assert t("errors.row_col", "id") == "Baris {row}, kolom {column}: {problem}"
    assert placeholders(t("errors.row_col", "en")) == {"row", "column", "problem"}


# --------------------------------------------------------------------------- keys used in code

# t("key" ...) or i18n.t('key' ...), possibly with the key on the next line
T_CALL = re.compile(r"""\bt\(\s*(?P<q>["'])(?P<key>[^"'\\\n]+)(?P=q)""")


def _python_sources():
    files = []
    app = REPO / "app.py"
    if app.exists():
        files.append(app)
    for folder in ("views", "ui", "presentation", "storage"):
        if (REPO / folder).is_dir():
            files.extend(sorted((REPO / folder).rglob("*.py")))
    return files


def test_t_call_pattern():
    sample = (
        't("nav.overview", lang)\n'
        "i18n.t('app.title', lang)\n"
        't(\n    "chart.source_line", lang, source=s)\n'
        'print("not.a.key")\n'
        'st.write("also.not")\n'
        'format(" x")\n'
        't(f"group.{gid}", lang)\n'
    )
    assert [m["key"] for m in T_CALL.finditer(sample)] == ["nav.overview", "app.title", "chart.source_line"]


def test_every_key_used_in_code_exists():
    cats = {lang: i18n.catalogue(lang) for lang in LANGS}
    missing = []
    for path in _python_sources():
        text = path.read_text(encoding="utf-8")
        for m in T_CALL.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            for lang, cat in cats.items():
                if m["key"] not in cat:
                    missing.append(f"{path.relative_to(REPO)}:{line}: {m['key']!r} not in {lang}.json")
    assert missing == []


@pytest.mark.parametrize("text", [
    "Rencana ![x](http://127.0.0.1:9/x.png) [a](http://127.0.0.1:9/a) <img src=http://127.0.0.1:9/i.png> **b**",
    "lihat https://example.org/a_b*c* dan www.example.org, tulis ke a.b+c@example.co.id",
    "kode `http://x` dan ``http://y`z`` di <b>sini</b>",
])
def test_md_escape_makes_no_link_image_or_html_even_where_gfm_autolinks(text):
    """Streamlit's Markdown (remark with GFM) turns an address in a text node into a link, and it does so after
    backslash escapes are resolved: the browser test tests/e2e/test_browser_hostile.py found escaped names
    still linked. Here: the escaped text parsed (CommonMark), and no text node may hold what linkify-it finds
    (code spans are not text nodes); nothing else becomes a link, an image or HTML; it reads as typed."""
    import html as html_module

    from linkify_it import LinkifyIt
    from markdown_it import MarkdownIt

    from presentation.i18n import md_escape
    parser = MarkdownIt("commonmark")
    escaped = md_escape(text)
    children = parser.parseInline(escaped)[0].children
    assert [c.content for c in children if c.type == "text" and LinkifyIt().test(c.content)] == []
    assert {c.type for c in children} <= {"text", "code_inline"}, [c.type for c in children]
    rendered = parser.renderInline(escaped)
    assert html_module.unescape(re.sub(r"</?code>", "", rendered)) == text   # reads as typed
