"""Read, check and apply a region's data tables: uploaded CSV/XLSX files and in-place edits.

What Indonesian offices export is accepted: comma-, semicolon- or tab-separated CSV, a
byte-order mark, Windows-1252 or UTF-16 text, decimal commas (``"38,35"``), thousands dots
(``"244.236"``), ``"40,86%"`` with the sign, ``"Rp 2.840.206"``, XLSX with a title row above
the header, several sheets (a table is found by its sheet name or by its header), cells
formatted as percent.

Nothing is evaluated: CSV goes through :mod:`csv`, XLSX through openpyxl in read-only,
data-only mode (formulas give their cached value, or nothing). The size is checked before
parsing, and an XLSX whose unpacked size is out of proportion is refused.

A file is never half applied. :func:`read_upload` returns every problem it finds as a
:class:`Problem` (row as the user sees it in the file, column as written in the header, a
``code`` and ``params``) so that the app can say it in the user's language
(``"Baris 4, kolom Cakupan (%): ..."``); :func:`apply_tables` refuses a table that has any.

Tables (``kind``): ``history`` (coverage per year), ``workers`` (potential workers per year),
``min_wage`` and ``apbd`` (Rp per year), ``groups`` (default group sizes and shares),
``targets`` and ``parameters`` (growth rates and formal-sector shares).

Pure Python: no Streamlit and no ``ui`` import here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .data import CERTAINTIES, Region, Sourced, Target, YearValue
from .errors import ValidationError

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "PARAMETERS",
    "USER_SOURCE",
    "Change",
    "Problem",
    "Table",
    "Upload",
    "apply_tables",
    "changes",
    "column_header",
    "columns",
    "parse_number",
    "read_records",
    "read_upload",
    "region_rows",
    "template_csv",
    "template_xlsx",
]

#: Largest file accepted [bytes]; checked before any parsing.
MAX_BYTES = 2 * 1024 * 1024
#: Largest unpacked size of an XLSX (a zip) [bytes]: guards against zip bombs.
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
#: Most data rows read from one table.
MAX_ROWS = 1000
#: Most columns read from one table.
MAX_COLUMNS = 40
#: The header is looked for in this many rows from the top (title rows above it are common).
HEADER_SEARCH_ROWS = 15
#: Source given to a value the user typed or uploaded without a source of its own.
USER_SOURCE = "diubah pengguna / user edit"
#: Most members of one group (the scenario's own limit).
MAX_MEMBERS = 10_000_000

KINDS = ("history", "workers", "min_wage", "apbd", "groups", "targets", "parameters")


# ============================================================================ problems and results
@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload or an edit.

    ``row``: 1-based row as the user sees it (CSV line, Excel row, editor row); None for the
    whole file. ``column``: the header as written in the file (the template header when the
    column is missing); ``key``: the canonical column. ``params`` fill the translated message.
    """

    code: str
    row: int | None = None
    column: str | None = None
    key: str | None = None
    sheet: str | None = None
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def as_dict(self) -> dict:
        return {"code": self.code, "row": self.row, "column": self.column, "key": self.key, "sheet": self.sheet,
                "params": dict(self.params)}


@dataclass(frozen=True)
class Table:
    """One table read from a file or an editor: canonical rows plus what is wrong with them."""

    kind: str
    rows: tuple[dict, ...]          # canonical key -> parsed value; "_row": row as the user sees it
    columns: tuple[str, ...]        # canonical keys present in the header
    headers: dict = field(default_factory=dict, hash=False, compare=False)  # key -> header as written
    sheet: str | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Upload:
    """What :func:`read_upload` found in one file."""

    filename: str
    tables: tuple[Table, ...] = ()
    problems: tuple[Problem, ...] = ()   # about the whole file

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        return self.problems + tuple(p for t in self.tables for p in t.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(w for t in self.tables for w in t.warnings)

    @property
    def ok(self) -> bool:
        return bool(self.tables) and not self.all_problems

    def table(self, kind: str) -> Table | None:
        return next((t for t in self.tables if t.kind == kind), None)


@dataclass(frozen=True)
class Change:
    """One value that applying a table would change (for the preview)."""

    kind: str
    key: str          # year, group id, target id or parameter id
    field: str        # canonical column
    old: Any
    new: Any
    status: str       # "changed" | "added" | "removed"


# ============================================================================ numbers
_SPACES = re.compile(r"[\s\u200b\ufeff]+")
_SCIENTIFIC = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?e[-+]?[0-9]+", re.IGNORECASE)
_SHAPE = re.compile(r"(?P<sign>[-+]?)(?P<cur>rp\.?|idr)?(?P<sign2>[-+]?)(?P<num>[0-9.,]*[0-9][0-9.,]*?)"
                    r"(?P<dash>[.,]-)?(?P<pct>%)?", re.IGNORECASE)
_LEAD_GROUP = re.compile(r"[0-9]{1,3}")
_GROUP = re.compile(r"[0-9]{3}")


def _grouped(text: str, sep: str) -> str:
    parts = text.split(sep)
    if not _LEAD_GROUP.fullmatch(parts[0]) or not all(_GROUP.fullmatch(p) for p in parts[1:]):
        raise ValueError("digits are not in groups of three")
    return "".join(parts)


def _plain(num: str, lang: str) -> str:
    if num[-1] in ".,":
        raise ValueError("ends with a separator")
    has_dot, has_comma = "." in num, "," in num
    if has_dot and has_comma:
        dec = "." if num.rfind(".") > num.rfind(",") else ","
        thou = "," if dec == "." else "."
        int_part, _, frac = num.rpartition(dec)
        if dec in int_part or not frac.isdigit():
            raise ValueError("separators are mixed up")
        return _grouped(int_part, thou) + "." + frac
    if not has_dot and not has_comma:
        return num
    sep = "." if has_dot else ","
    if num.count(sep) > 1:
        return _grouped(num, sep)
    int_part, frac = num.split(sep)
    thousands_shape = len(frac) == 3 and bool(_LEAD_GROUP.fullmatch(int_part)) and not int_part.startswith("0")
    thousands = thousands_shape and ((sep == "." and lang != "en") or (sep == "," and lang == "en"))
    return int_part + frac if thousands else (int_part or "0") + "." + frac


def parse_number(text: Any, lang: str = "id") -> float:
    """A number as Indonesian offices write it; ``ValueError`` if it is not one.

    ``"1.234,5"`` -> 1234.5, ``"244.236"`` -> 244236 (Indonesian first: a single dot before
    three digits groups thousands; in English it is a decimal point), ``"40,86%"`` -> 40.86 (a
    percentage is returned as written), ``"Rp 2.840.206"``, ``"Rp 16.800,-"``, ``"(1.234)"``
    (negative), ``"2,1E+12"``. Numbers are returned as float.
    """
    if isinstance(text, bool):
        raise ValueError("not a number")
    if isinstance(text, (int, float)):
        v = float(text)
        if not math.isfinite(v):
            raise ValueError("not a finite number")
        return v
    if not isinstance(text, str):
        raise ValueError("not a number")
    s = _SPACES.sub("", text).replace("\u2212", "-")
    if not s:
        raise ValueError("empty")
    negative = False
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":
        negative, s = True, s[1:-1]
    if _SCIENTIFIC.fullmatch(s):
        v = float(s.replace(",", "."))
    else:
        m = _SHAPE.fullmatch(s)
        if m is None or (m["sign"] and m["sign2"]) or (negative and (m["sign"] or m["sign2"])) \
                or (m["cur"] and m["pct"]):
            raise ValueError("not a number")
        num = m["num"]
        if m["dash"]:
            if "." in num and "," in num:
                raise ValueError("',-' after decimals")
            sep = "." if "." in num else "," if "," in num else None
            v = float(_grouped(num, sep) if sep else num)
        else:
            v = float(_plain(num, lang))
        if (m["sign"] or m["sign2"]) == "-":
            negative = not negative
    if not math.isfinite(v):
        raise ValueError("not a finite number")
    return -v if negative and v != 0 else v


def _fmt_plain(x: float, lang: str, decimals: int | None = None) -> str:
    """A number for a CSV cell: no thousands separator, decimal comma in Indonesian."""
    if decimals is None:
        text = f"{x:.10f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
    else:
        text = f"{x:.{decimals}f}"
    return text.replace(".", ",") if lang == "id" else text


# ============================================================================ table layouts
@dataclass(frozen=True)
class Column:
    key: str
    kind: str            # year | count | money | percent | rate | text | date | certainty | id | ignore
    header_id: str
    header_en: str
    aliases: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None
    open_interval: bool = False   # lo and hi themselves are not allowed

    def header(self, lang: str) -> str:
        return self.header_id if lang == "id" else self.header_en


_YEAR = Column("year", "year", "Tahun", "Year", ("tahun", "year", "thn", "periode", "period"))
_SOURCE = Column("source", "text", "Sumber", "Source", ("sumber", "source", "sumber_data", "data_source"))
_DATE = Column("source_date", "date", "Tanggal sumber", "Source date",
               ("tanggal_sumber", "tanggal", "tgl", "tgl_sumber", "source_date", "date"))
_CERT = Column("certainty", "certainty", "Keyakinan", "Certainty",
               ("keyakinan", "tingkat_keyakinan", "kepastian", "certainty", "confidence", "keyakinan_h_m_l_a",
                "certainty_h_m_l_a"))
_SOURCED = (_SOURCE, _DATE, _CERT)
_COVERAGE = Column("coverage_pct", "percent", "Cakupan (%)", "Coverage (%)",
                   ("cakupan", "cakupan_kepesertaan", "persentase_cakupan", "tingkat_cakupan", "coverage",
                    "coverage_rate", "persen_cakupan"), 0, 100)
_POTENTIAL = Column("potential_workers", "count", "Potensi pekerja", "Potential workers",
                    ("potensi", "potensi_pekerja", "potensi_tenaga_kerja", "pekerja_potensial",
                     "tenaga_kerja_potensial", "potential", "potential_workers", "jumlah_potensi"), 1, 1e9)
_ID = Column("id", "id", "Kode", "ID", ("id", "kode", "code"))

_LAYOUTS: dict[str, tuple[Column, ...]] = {
    "history": (
        _YEAR,
        replace(_COVERAGE, open_interval=True),
        Column("participants", "count", "Peserta aktif", "Active participants",
               ("peserta", "peserta_aktif", "jumlah_peserta", "jumlah_peserta_aktif", "participants",
                "active_participants", "pekerja_terlindungi", "tenaga_kerja_terlindungi", "covered",
                "covered_workers"), 0, 1e9),
        _POTENTIAL,
        *_SOURCED,
    ),
    "workers": (_YEAR, _POTENTIAL, *_SOURCED),
    "min_wage": (
        _YEAR,
        Column("min_wage_idr", "money", "UMK (Rp/bulan)", "Minimum wage (Rp/month)",
               ("umk", "upah_minimum", "upah_minimum_kota", "upah_minimum_kabupaten", "ump", "min_wage",
                "minimum_wage", "umk_rp_bulan", "min_wage_rp_month", "minimum_wage_rp_month"), 1, 1e9),
        *_SOURCED,
    ),
    "apbd": (
        _YEAR,
        Column("apbd_idr", "money", "APBD (Rp/tahun)", "APBD (Rp/year)",
               ("apbd", "apbd_rp_tahun", "apbd_rp_year", "total_apbd", "belanja_daerah", "budget", "apbd_total"),
               1, 1e16),
        *_SOURCED,
    ),
    "groups": (
        _ID,
        Column("name", "text", "Kelompok", "Group",
               ("kelompok", "nama_kelompok", "kelompok_pekerja", "nama", "group", "group_name", "name")),
        Column("members", "count", "Anggota (orang)", "Members (persons)",
               ("anggota", "jumlah_anggota", "jumlah", "jumlah_orang", "members", "count", "size"), 0, MAX_MEMBERS),
        Column("already_covered_pct", "percent", "Sudah terlindungi (%)", "Already covered (%)",
               ("sudah_terlindungi", "sudah_tercakup", "sudah_terdaftar", "already_covered"), 0, 100),
        Column("take_up_pct", "percent", "Keikutsertaan (%)", "Take-up (%)",
               ("keikutsertaan", "tingkat_keikutsertaan", "take_up", "takeup"), 0, 100),
        Column("dropout_pct", "percent", "Tidak aktif (%)", "Drop-out (%)",
               ("tidak_aktif", "putus", "putus_iuran", "dropout", "drop_out"), 0, 100),
        *_SOURCED,
    ),
    "targets": (
        _ID,
        Column("name", "text", "Nama target", "Target name",
               ("nama_target", "nama", "target", "name", "target_name")),
        _YEAR,
        Column("coverage_pct", "percent", "Target cakupan (%)", "Target coverage (%)",
               ("target_cakupan", *_COVERAGE.aliases), 0, 100),
        *_SOURCED,
    ),
    "parameters": (
        _ID,
        Column("value", "rate", "Nilai", "Value", ("nilai", "value", "angka"), -1e16, 1e16),
        *_SOURCED,
    ),
}

#: Columns that offices add and that carry no data (ignored, never an error).
_IGNORED = {"no", "nomor", "no_urut", "nr", "number", "keterangan", "catatan", "note", "notes", "remarks",
            "satuan", "unit", "parameter", "label"}

_SHEET_NAMES = {
    "history": ("history", "riwayat", "riwayat_cakupan", "cakupan", "coverage", "coverage_history"),
    "workers": ("workers", "pekerja", "potensi_pekerja", "potensi", "potential_workers"),
    "min_wage": ("min_wage", "umk", "upah_minimum", "minimum_wage"),
    "apbd": ("apbd", "budget", "anggaran"),
    "groups": ("groups", "kelompok", "kelompok_pekerja"),
    "targets": ("targets", "target", "sasaran"),
    "parameters": ("parameters", "parameter", "parameter_lain"),
}

#: The ``parameters`` table: id -> (Region field, factor file value -> stored value, lo, hi, unit).
PARAMETERS: dict[str, tuple[str, float, float, float, str]] = {
    "worker_growth_pct": ("worker_growth_pct", 1.0, -20.0, 20.0, "%/year"),
    "formal_share_pct": ("formal_share", 0.01, 0.0, 100.0, "%"),
    "formal_coverage_pct": ("formal_coverage", 0.01, 0.0, 100.0, "%"),
    "apbd_growth_pct": ("apbd_growth_pct", 1.0, -50.0, 50.0, "%/year"),
}

#: Year tables: kind -> (value column, Region field).
_YEAR_TABLES = {
    "history": ("coverage_pct", "coverage_history"),
    "workers": ("potential_workers", "potential_workers"),
    "min_wage": ("min_wage_idr", "min_wage"),
    "apbd": ("apbd_idr", "apbd"),
}
_MIN_YEARS = {"history": 2, "workers": 1, "min_wage": 1, "apbd": 1}
_GROUP_FIELDS = {"members": ("members", 1.0), "already_covered_pct": ("already_covered", 0.01),
                 "take_up_pct": ("take_up", 0.01), "dropout_pct": ("dropout", 0.01)}
_ID_RE = re.compile(r"^[a-z0-9_\-]{1,40}$")
_UNIT_TOKENS = ("pct", "persen", "percent", "rp", "idr", "orang", "jiwa", "persons", "people", "bulan", "month",
                "tahun", "year")


def columns(kind: str) -> tuple[Column, ...]:
    """The columns of a table kind, in template order."""
    return _LAYOUTS[kind]


def column_header(kind: str, key: str, lang: str = "id") -> str:
    """The template header of a column (what the user sees in the template and the editor)."""
    col = next((c for c in _LAYOUTS[kind] if c.key == key), None)
    return col.header(lang) if col else key


def _norm(text: Any) -> str:
    s = unicodedata.normalize("NFKC", str(text)).lower().replace("%", " pct ")
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def _alias_map(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in _LAYOUTS[kind]:
        for name in (col.key, _norm(col.header_id), _norm(col.header_en), *col.aliases):
            out.setdefault(_norm(name), col.key)
    return out


_ALIASES = {k: _alias_map(k) for k in _LAYOUTS}


def _match(kind: str, header: Any) -> str | None:
    """Canonical key of a header cell in a table kind, ``"_ignore"`` or None."""
    n = _norm(header)
    if not n:
        return "_ignore"
    aliases = _ALIASES[kind]
    while True:
        if n in aliases:
            return aliases[n]
        if n in _IGNORED:
            return "_ignore"
        head, _, tail = n.rpartition("_")
        if not head or tail not in _UNIT_TOKENS:
            return None
        n = head


def _required_missing(kind: str, keys: set[str]) -> list[str]:
    """Required columns that a header lacks (alternatives resolved)."""
    if kind == "history":
        missing = [] if "year" in keys else ["year"]
        if "coverage_pct" not in keys and not {"participants", "potential_workers"} <= keys:
            missing.append("coverage_pct")
        return missing
    if kind in ("workers", "min_wage", "apbd"):
        return [k for k in ("year", _YEAR_TABLES[kind][0]) if k not in keys]
    if kind == "groups":
        missing = [] if keys & {"id", "name"} else ["id"]
        if not keys & set(_GROUP_FIELDS):
            missing.append("members")
        return missing
    if kind == "targets":
        return ([] if keys & {"id", "name"} else ["id"]) + [k for k in ("year", "coverage_pct") if k not in keys]
    return [k for k in ("id", "value") if k not in keys]


def _score(kind: str, header: Sequence[Any]) -> tuple[int, int]:
    keys = {_match(kind, h) for h in header if h is not None and str(h).strip()}
    keys.discard(None)
    keys.discard("_ignore")
    return (0 if _required_missing(kind, keys) else 1, len(keys))


def _best_kind(header: Sequence[Any]) -> str | None:
    scored = [(_score(k, header), -i, k) for i, k in enumerate(KINDS)]
    best = max(scored)
    return best[2] if best[0][1] > 0 else None


def _known_count(row: Sequence[Any]) -> int:
    cells = [c for c in row if c is not None and str(c).strip()]
    return max(sum(1 for c in cells if _match(k, c) not in (None, "_ignore")) for k in KINDS) if cells else 0


def _find_header(rows: list[tuple[int, list[Any]]]) -> int | None:
    """Index (into ``rows``) of the header row: the first with two known columns, else one."""
    top = rows[:HEADER_SEARCH_ROWS]
    for need in (2, 1):
        for i, (_n, row) in enumerate(top):
            if _known_count(row) >= need:
                return i
    return None


# ============================================================================ cells
class _CellError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw)) or \
        (isinstance(raw, float) and math.isnan(raw))


def _shown(raw: Any) -> str:
    text = raw.isoformat() if isinstance(raw, (dt.date, dt.time)) else str(raw)
    return text.strip()[:40]


def _number(raw: Any, lang: str) -> tuple[float, bool]:
    """The number in a cell and whether it was written as a percentage."""
    if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        raise _CellError("wrong_type", value=_shown(raw))
    if isinstance(raw, (int, float)):
        if not math.isfinite(float(raw)):
            raise _CellError("expected_number", value=_shown(raw))
        return float(raw), False
    if not isinstance(raw, str):
        raise _CellError("wrong_type", value=_shown(raw))
    try:
        return parse_number(raw, lang), "%" in raw
    except ValueError:
        raise _CellError("expected_number", value=_shown(raw)) from None


_MONTHS = {name: i for i, names in enumerate((
    ("januari", "january", "jan"), ("februari", "february", "feb", "pebruari"), ("maret", "march", "mar"),
    ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
    ("agustus", "august", "agu", "aug", "agt"), ("september", "sep", "sept"), ("oktober", "october", "okt", "oct"),
    ("november", "nov", "nop", "nopember"), ("desember", "december", "des", "dec")), start=1) for name in names}


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise _CellError("bad_date", value=_shown(raw))
    s = raw.strip()
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", s)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", s)
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        pass
    raise _CellError("bad_date", value=_shown(raw))


_CERT_WORDS = {"tinggi": "H", "high": "H", "regulasi": "H", "sedang": "M", "medium": "M", "rendah": "L",
               "low": "L", "lemah": "L", "asumsi": "A", "assumption": "A"}


def _certainty(raw: Any) -> str:
    s = str(raw).strip()
    m = re.match(r"([HMLAhmla])(?![A-Za-z])", s)
    if m:
        return m[1].upper()
    word = re.split(r"[^a-z]+", s.lower(), maxsplit=1)[0]
    if word in _CERT_WORDS:
        return _CERT_WORDS[word]
    raise _CellError("bad_certainty", value=_shown(raw), allowed="H, M, L, A")


def _text(raw: Any, max_len: int) -> str:
    s = _shown(raw) if not isinstance(raw, str) else raw
    s = "".join(c for c in str(s) if unicodedata.category(c) != "Cc").strip()
    if len(s) > max_len:
        raise _CellError("text_too_long", max=max_len)
    return s


def _cell(col: Column, raw: Any, lang: str) -> tuple[Any, bool]:
    """Parse one non-empty cell of a column: (value, written as a percentage)."""
    if col.kind == "year":
        try:
            v, _ = _number(raw, lang)
        except _CellError:
            raise _CellError("expected_year", value=_shown(raw)) from None
        if v != int(v) or not 1990 <= v <= 2100:
            raise _CellError("expected_year", value=_shown(raw))
        return int(v), False
    if col.kind in ("count", "money", "percent", "rate"):
        v, pct = _number(raw, lang)
        return v, pct
    if col.kind == "date":
        return _date(raw), False
    if col.kind == "certainty":
        return _certainty(raw), False
    if col.kind == "id":
        return _text(raw, 40), False
    return _text(raw, 500), False


def _check_range(col: Column, v: float, shown: str, *, lo: float | None = None, hi: float | None = None,
                 open_interval: bool | None = None) -> None:
    lo = col.lo if lo is None else lo
    hi = col.hi if hi is None else hi
    open_interval = col.open_interval if open_interval is None else open_interval
    if col.kind == "count" and abs(v - round(v)) > 1e-9:
        raise _CellError("not_whole_number", value=shown)
    if v < 0 and (lo is None or lo >= 0):
        raise _CellError("negative", value=shown)
    if col.kind == "percent" and v > 100:
        raise _CellError("over_100", value=shown)
    if (lo is not None and (v < lo or (open_interval and v == lo))) or \
            (hi is not None and (v > hi or (open_interval and v == hi))):
        raise _CellError("out_of_range", value=shown, min=lo, max=hi)


# ============================================================================ reading a grid
def _read_grid(kind: str | None, grid: list[tuple[int, list[Any]]], *, sheet: str | None, region: Region | None,
               lang: str, percent_cells: set[tuple[int, int]] | None = None,
               header_index: int | None = None) -> Table | Problem:
    """Read one table from rows of raw cells ``(row number, cells)``; a Problem if there is none."""
    if not any(not _is_empty(c) for _n, row in grid for c in row):
        return Problem("empty_file", sheet=sheet)
    hi = _find_header(grid) if header_index is None else header_index
    if hi is None:
        return Problem("no_header", sheet=sheet)
    header_row, header = grid[hi]
    kind = kind or _best_kind(header)
    if kind is None:
        return Problem("no_header", row=header_row, sheet=sheet)
    layout = {c.key: c for c in _LAYOUTS[kind]}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    colmap: dict[int, str] = {}
    headers: dict[str, str] = {}
    for j, h in enumerate(header[:MAX_COLUMNS]):
        key = _match(kind, h) if not _is_empty(h) else "_ignore"
        text = str(h).strip() if h is not None else ""
        if key is None:
            allowed = ", ".join(c.header(lang) for c in _LAYOUTS[kind])
            problems.append(Problem("unknown_column", row=header_row, column=text, sheet=sheet,
                                    params={"column": text, "allowed": allowed}))
        elif key == "_ignore":
            continue
        elif key in headers:
            problems.append(Problem("duplicate_column", row=header_row, column=text, key=key, sheet=sheet,
                                    params={"column": text}))
        else:
            colmap[j] = key
            headers[key] = text
    for key in _required_missing(kind, set(headers)):
        name = layout[key].header(lang)
        problems.append(Problem("missing_column", column=name, key=key, sheet=sheet, params={"column": name}))
    for key, col in layout.items():
        headers.setdefault(key, col.header(lang))
    if problems:
        return Table(kind, (), tuple(k for k in colmap.values()), headers, sheet, tuple(problems))

    body = [(n, row) for n, row in grid[hi + 1:] if any(not _is_empty(c) for c in row)]
    if not body:
        return Problem("empty_file", sheet=sheet)
    if len(body) > MAX_ROWS:
        return Problem("too_many_rows", sheet=sheet, params={"max": MAX_ROWS, "rows": len(body)})

    rows: list[dict] = []
    pct_written: dict[str, bool] = {}
    for n, row in body:
        rec: dict[str, Any] = {"_row": n}
        for j, key in colmap.items():
            raw = row[j] if j < len(row) else None
            if _is_empty(raw):
                continue
            col = layout[key]
            try:
                value, pct = _cell(col, raw, lang)
            except _CellError as exc:
                problems.append(Problem(exc.code, row=n, column=headers[key], key=key, sheet=sheet,
                                        params={"value": _shown(raw), **exc.params}))
                continue
            if percent_cells and (n, j) in percent_cells and col.kind in ("percent", "rate"):
                value, pct = value * 100, True
            pct_written[key] = pct_written.get(key, False) or pct
            rec[key] = value
        rows.append(rec)

    # shares written as fractions (0,3835 for 38,35 %) in a percent column with no % anywhere
    for key, col in layout.items():
        if col.kind != "percent" or key not in colmap.values() or pct_written.get(key):
            continue
        values = [r[key] for r in rows if isinstance(r.get(key), float)]
        if values and all(0 <= v <= 1 for v in values) and max(values) > 0:
            for r in rows:
                if isinstance(r.get(key), float):
                    r[key] *= 100
            warnings.append(Problem("read_as_share", column=headers[key], key=key, sheet=sheet,
                                    params={"column": headers[key]}))

    table = Table(kind, tuple(rows), tuple(colmap.values()), headers, sheet, tuple(problems), tuple(warnings))
    return _check_rows(table, region, lang)


def _check_rows(table: Table, region: Region | None, lang: str) -> Table:
    """Value ranges, required cells, duplicates and cross-column checks of a parsed table."""
    kind, headers, sheet = table.kind, table.headers, table.sheet
    layout = {c.key: c for c in _LAYOUTS[kind]}
    problems = list(table.problems)
    bad_cells = {(p.row, p.key) for p in problems}
    rows = [dict(r) for r in table.rows]

    def add(code: str, r: dict, key: str | None, **params) -> None:
        problems.append(Problem(code, row=r["_row"], column=headers.get(key) if key else None, key=key, sheet=sheet,
                                params=params))
        bad_cells.add((r["_row"], key))

    def present(r: dict, key: str) -> bool:
        return key in r or (r["_row"], key) in bad_cells

    # ranges of the numbers read
    for r in rows:
        for key, v in list(r.items()):
            col = layout.get(key)
            if col is None or col.kind not in ("count", "money", "percent", "rate"):
                continue
            lo = hi = None
            if kind == "parameters" and key == "value":
                spec = PARAMETERS.get(str(r.get("id", "")))
                if spec:
                    lo, hi = spec[2], spec[3]
            try:
                _check_range(col, v, _fmt_plain(v, lang), lo=lo, hi=hi)
            except _CellError as exc:
                add(exc.code, r, key, **{"value": _fmt_plain(v, lang), **exc.params})
                del r[key]

    if kind in _YEAR_TABLES:
        value_key = _YEAR_TABLES[kind][0]
        seen: dict[int, int] = {}
        for r in rows:
            if not present(r, "year"):
                add("missing_year", r, "year")
                continue
            if "year" in r:
                y = r["year"]
                if y in seen:
                    add("duplicate_year", r, "year", year=y, first_row=seen[y])
                else:
                    seen[y] = r["_row"]
            if kind == "history":
                has_parts = "participants" in r and "potential_workers" in r
                if "participants" in r and "potential_workers" in r and r["participants"] > r["potential_workers"]:
                    add("covered_above_potential", r, "participants", participants=_fmt_plain(r["participants"], lang),
                        potential=_fmt_plain(r["potential_workers"], lang))
                    continue
                if "coverage_pct" not in r and has_parts and not present(r, "coverage_pct"):
                    cov = 100 * r["participants"] / r["potential_workers"]
                    if not 0 < cov < 100:
                        add("out_of_range", r, "participants", value=_fmt_plain(cov, lang, 2), min=0, max=100)
                        continue
                    r["coverage_pct"] = cov
                if not present(r, "coverage_pct"):
                    missing = "coverage_pct" if "coverage_pct" in table.columns else \
                        ("participants" if not present(r, "participants") else "potential_workers")
                    add("empty_value", r, missing)
            elif not present(r, value_key):
                add("empty_value", r, value_key)
        if not problems and len(seen) < _MIN_YEARS[kind]:
            problems.append(Problem("too_few", sheet=sheet, params={"min": _MIN_YEARS[kind], "count": len(seen)}))

    elif kind == "groups":
        seen_ids: dict[str, int] = {}
        for r in rows:
            gid = _resolve_group(r, region)
            if gid is None:
                key = "id" if "id" in r else "name"
                if present(r, key):
                    add("unknown_group", r, key, group=r.get(key, ""))
                else:
                    add("empty_value", r, "id" if "id" in table.columns else "name")
                continue
            r["id"] = gid
            for key in _GROUP_FIELDS:
                if key in table.columns and not present(r, key):
                    add("empty_value", r, key)
            if gid in seen_ids:
                add("duplicate_id", r, "id" if "id" in table.columns else "name", id=gid, first_row=seen_ids[gid])
            seen_ids[gid] = r["_row"]

    elif kind == "targets":
        seen_ids = {}
        for r in rows:
            if "id" not in r and "name" in r:
                r["id"] = _slug(r["name"])
            if "id" in r and not _ID_RE.fullmatch(r["id"]):
                add("bad_id", r, "id", value=r["id"])
                continue
            if "id" not in r:
                if not present(r, "id") and not present(r, "name"):
                    add("empty_value", r, "name" if "name" in table.columns else "id")
                continue
            if r["id"] in seen_ids:
                add("duplicate_id", r, "id" if "id" in table.columns else "name", id=r["id"],
                    first_row=seen_ids[r["id"]])
            seen_ids[r["id"]] = r["_row"]
            for key in ("year", "coverage_pct"):
                if not present(r, key):
                    add("empty_value", r, key)
        if not problems and len(rows) > 20:
            problems.append(Problem("too_many_rows", sheet=sheet, params={"max": 20, "rows": len(rows)}))

    elif kind == "parameters":
        seen_ids = {}
        for r in rows:
            if not present(r, "id"):
                add("empty_value", r, "id")
                continue
            if "id" in r and r["id"] not in PARAMETERS:
                add("unknown_id", r, "id", id=r["id"], allowed=", ".join(PARAMETERS))
                continue
            if "id" in r and r["id"] in seen_ids:
                add("duplicate_id", r, "id", id=r["id"], first_row=seen_ids[r["id"]])
            if "id" in r:
                seen_ids[r["id"]] = r["_row"]
            if not present(r, "value"):
                add("empty_value", r, "value")

    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return replace(table, rows=tuple(rows), problems=tuple(problems))


def _slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")[:40] or "target"


def _resolve_group(r: dict, region: Region | None) -> str | None:
    if region is None:
        return r.get("id") or (_slug(r["name"]) if r.get("name") else None)
    if r.get("id"):
        g = region.group(r["id"].strip()) or next((g for g in region.groups if g.id.lower() == r["id"].lower()), None)
        return g.id if g else None
    if r.get("name"):
        want = _norm(r["name"])
        g = next((g for g in region.groups if want in (_norm(g.name_id), _norm(g.name_en), _norm(g.id))), None)
        return g.id if g else None
    return None


# ============================================================================ files
_MAGIC_NOT_TEXT = (b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"%PDF", b"\xd0\xcf\x11\xe0", b"\xff\xd8\xff",
                   b"GIF8", b"\x1f\x8b", b"BM", b"Rar!", b"7z\xbc\xaf")


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if any(data.startswith(m) for m in _MAGIC_NOT_TEXT) or b"\x00" in data[:4096]:
        return None
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    bad = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\r\n\t")
    return None if sample and bad > len(sample) * 0.02 else text


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    best, best_score = ";", -1
    for delim in (";", "\t", ","):
        counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        wide = [c for c in counts if c >= 2]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        score = wide.count(mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def _csv_grid(text: str) -> list[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=_sniff_delimiter(text))
    grid = []
    start = 1
    for cells in reader:
        grid.append((start, [c.lstrip("\ufeff") if isinstance(c, str) else c for c in cells[:MAX_COLUMNS]]))
        start = reader.line_num + 1
        if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS + 50:
            break
    return grid


def _xlsx_sheets(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]], set[tuple[int, int]]]] | Problem:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Problem("not_a_table")
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return Problem("not_a_table")
    if unpacked > MAX_UNZIPPED_BYTES:
        return Problem("too_large", params={"size": unpacked, "limit": MAX_UNZIPPED_BYTES})
    import openpyxl  # imported here: reading CSV does not need it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        return Problem("not_a_table")
    out = []
    try:
        for ws in wb.worksheets:
            grid: list[tuple[int, list[Any]]] = []
            pct: set[tuple[int, int]] = set()
            limit = MAX_ROWS + HEADER_SEARCH_ROWS + 50
            for n, row in enumerate(ws.iter_rows(min_row=1, max_row=limit, max_col=MAX_COLUMNS), start=1):
                cells = []
                for j, c in enumerate(row):
                    v = getattr(c, "value", None)
                    if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in str(
                            getattr(c, "number_format", "") or ""):
                        pct.add((n, j))
                    cells.append(v)
                grid.append((n, cells))
            while grid and all(_is_empty(c) for c in grid[-1][1]):
                grid.pop()
            out.append((ws.title, grid, pct))
    except Exception:  # noqa: BLE001
        return Problem("not_a_table")
    finally:
        wb.close()
    return out


def _sheet_kind(title: str) -> str | None:
    n = _norm(title)
    return next((k for k, names in _SHEET_NAMES.items() if n in names), None)


def read_upload(data: bytes, filename: str, *, kind: str | None = None, region: Region | None = None,
                lang: str = "id") -> Upload:
    """Read an uploaded CSV or XLSX into checked tables (nothing is applied here).

    ``kind`` asks for one table only; without it every table found is read (a CSV holds one,
    a workbook one per sheet, recognised by the sheet's name or its header). ``region`` lets
    group names and ids be checked. ``lang`` decides how a lone ``1.234`` is read (``"id"``:
    thousands) and the language of template headers named in problems.
    """
    name = str(filename or "")
    if kind is not None and kind not in _LAYOUTS:
        raise ValueError(f"unknown table kind {kind!r}")
    if not isinstance(data, (bytes, bytearray)):
        return Upload(name, problems=(Problem("not_a_table"),))
    if len(data) > MAX_BYTES:
        return Upload(name, problems=(Problem("too_large", params={"size": len(data), "limit": MAX_BYTES}),))
    if not data.strip():
        return Upload(name, problems=(Problem("empty_file"),))
    ext = name.lower().rpartition(".")[2] if "." in name else ""

    if ext in ("csv", "txt", "tsv"):
        text = _decode(bytes(data))
        if text is None:
            return Upload(name, problems=(Problem("not_a_table", params={"ext": ext}),))
        result = _read_grid(kind, _csv_grid(text), sheet=None, region=region, lang=lang)
        if isinstance(result, Problem):
            return Upload(name, problems=(result,))
        return Upload(name, tables=(result,))

    if ext in ("xlsx", "xlsm"):
        sheets = _xlsx_sheets(bytes(data))
        if isinstance(sheets, Problem):
            return Upload(name, problems=(sheets,))
        tables: list[Table] = []
        found: set[str] = set()
        first_problem: Problem | None = None
        fallback: list[Table] = []
        # a sheet named after a table first, then any other sheet whose header fits
        by_name = [(t, g, p, _sheet_kind(t)) for t, g, p in sheets]
        order = [s for s in by_name if s[3]] + [s for s in by_name if not s[3]]
        for title, grid, pct, named in order:
            want = kind or named
            if kind and named and named != kind:
                continue
            res = _read_grid(want, grid, sheet=title, region=region, lang=lang, percent_cells=pct)
            if isinstance(res, Problem):
                if named and first_problem is None:
                    first_problem = res
                continue
            if res.kind in found or (kind and res.kind != kind):
                continue
            if not named and not res.ok:
                fallback.append(res)  # a notes sheet, or the data with mistakes: decided below
                continue
            found.add(res.kind)
            tables.append(res)
        if not tables and fallback:
            tables.append(fallback[0])
        if not tables:
            if first_problem is None:
                if all(not any(not _is_empty(c) for _n, r in g for c in r) for _t, g, _p in sheets):
                    first_problem = Problem("empty_file")
                else:
                    first_problem = Problem("no_header")
            return Upload(name, problems=(first_problem,))
        tables.sort(key=lambda t: KINDS.index(t.kind))
        return Upload(name, tables=tuple(tables))

    return Upload(name, problems=(Problem("not_a_table", params={"ext": ext}),))


def read_records(kind: str, records: Iterable[dict], *, region: Region | None = None, lang: str = "id",
                 headers: dict[str, str] | None = None) -> Table:
    """Check rows typed in an editor (canonical keys -> text or numbers) like an uploaded table.

    Rows are numbered from 1 as the editor shows them; entirely empty rows are skipped.
    Problems name the editor's column headers (``headers``, else the template headers).
    """
    layout = _LAYOUTS[kind]
    heads = {c.key: (headers or {}).get(c.key, c.header(lang)) for c in layout}
    keys = [c.key for c in layout]
    grid: list[tuple[int, list[Any]]] = [(0, [heads[k] for k in keys])]
    for i, rec in enumerate(records, start=1):
        grid.append((i, [rec.get(k) for k in keys]))
    if len(grid) == 1 or not any(not _is_empty(c) for _n, row in grid[1:] for c in row):
        if kind == "targets":  # a region may have no targets
            return Table(kind, (), tuple(keys), heads, None)
        return Table(kind, (), tuple(keys), heads, None,
                     (Problem("too_few", params={"min": _MIN_YEARS.get(kind, 1), "count": 0}),))
    res = _read_grid(kind, grid, sheet=None, region=region, lang=lang, header_index=0)
    if isinstance(res, Problem):
        return Table(kind, (), tuple(keys), heads, None, (res,))
    return res


# ============================================================================ current data as rows
def _sourced_cells(v: Sourced) -> dict:
    return {"source": v.source, "source_date": v.source_date, "certainty": v.certainty}


def region_rows(region: Region, kind: str, lang: str = "id") -> list[dict]:
    """The region's current data as canonical rows of a table kind (values as stored in the table)."""
    if kind in _YEAR_TABLES:
        value_key, attr = _YEAR_TABLES[kind]
        return [{"year": v.year, value_key: v.value, **_sourced_cells(v)} for v in getattr(region, attr)]
    if kind == "groups":
        out = []
        for g in region.groups:
            row = {"id": g.id, "name": g.name(lang)}
            for key, (attr, factor) in _GROUP_FIELDS.items():
                row[key] = getattr(g, attr).value / factor
            out.append(row)  # no source cells: each value has its own; the file's apply to changed values
        return out
    if kind == "targets":
        return [{"id": t.id, "name": t.name(lang), "year": t.year, "coverage_pct": t.coverage_pct,
                 "source": t.source, "source_date": t.source_date, "certainty": t.certainty} for t in region.targets]
    if kind == "parameters":
        out = []
        for pid, (attr, factor, *_rest) in PARAMETERS.items():
            v = getattr(region, attr)
            out.append({"id": pid, "value": v.value / factor, **_sourced_cells(v)})
        return out
    raise ValueError(f"unknown table kind {kind!r}")


def _row_cells(kind: str, row: dict, lang: str, as_text: bool) -> list[Any]:
    cells = []
    for col in _LAYOUTS[kind]:
        v = row.get(col.key)
        if v is None:
            cells.append("")
        elif isinstance(v, dt.date):
            cells.append(v.isoformat() if as_text else v)
        elif isinstance(v, float) and as_text:
            cells.append(_fmt_plain(v, lang, None if col.kind != "percent" else None))
        elif isinstance(v, float) and v == int(v) and col.kind in ("count", "money", "year"):
            cells.append(int(v))
        else:
            cells.append(v)
    return cells


def template_csv(region: Region, kind: str, lang: str = "id") -> bytes:
    """One table as a CSV the way Indonesian Excel opens it (UTF-8 with BOM, ``;``, decimal comma),
    filled with the region's current data so that the user edits rather than retypes."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";" if lang == "id" else ",", lineterminator="\r\n")
    w.writerow([c.header(lang) for c in _LAYOUTS[kind]])
    for row in region_rows(region, kind, lang):
        w.writerow(_row_cells(kind, row, lang, as_text=True))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_SHEET_TITLES = {"history": ("riwayat", "history"), "workers": ("pekerja", "workers"), "min_wage": ("umk", "min_wage"),
                 "apbd": ("apbd", "apbd"), "groups": ("kelompok", "groups"), "targets": ("target", "targets"),
                 "parameters": ("parameter", "parameters")}


def template_xlsx(region: Region, lang: str = "id", notes: Sequence[str] = ()) -> bytes:
    """A workbook with one sheet per table, filled with the region's current data.

    ``notes`` (lines of text, already in the user's language) go on a first sheet that the
    reader ignores.
    """
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "petunjuk" if lang == "id" else "readme"
    for i, line in enumerate(notes, start=1):
        info.cell(row=i, column=1, value=line)
    info.column_dimensions["A"].width = 110
    for kind in KINDS:
        ws = wb.create_sheet(_SHEET_TITLES[kind][0 if lang == "id" else 1])
        layout = _LAYOUTS[kind]
        for j, col in enumerate(layout, start=1):
            cell = ws.cell(row=1, column=j, value=col.header(lang))
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = max(12, min(60, len(col.header(lang)) + 4))
        for i, row in enumerate(region_rows(region, kind, lang), start=2):
            for j, (col, v) in enumerate(zip(layout, _row_cells(kind, row, lang, as_text=False), strict=True),
                                         start=1):
                cell = ws.cell(row=i, column=j, value=v if v != "" else None)
                if col.kind == "money" or (col.kind == "count" and isinstance(v, int)):
                    cell.number_format = "#,##0"
                elif col.kind == "date" and v:
                    cell.number_format = "yyyy-mm-dd"
        if kind in ("groups", "history", "targets"):
            ws.column_dimensions["B" if kind != "history" else "E"].width = 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ============================================================================ preview and apply
def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def changes(region: Region, tables: Iterable[Table], lang: str = "id") -> list[Change]:
    """What applying ``tables`` to ``region`` would change, value by value (values as in the tables)."""
    out: list[Change] = []
    for table in tables:
        kind = table.kind
        if kind in _YEAR_TABLES:
            value_key, attr = _YEAR_TABLES[kind]
            old = {v.year: v.value for v in getattr(region, attr)}
            new = {r["year"]: r[value_key] for r in table.rows if "year" in r and value_key in r}
            for y in sorted(set(old) | set(new)):
                if y not in new:
                    out.append(Change(kind, str(y), value_key, old[y], None, "removed"))
                elif y not in old:
                    out.append(Change(kind, str(y), value_key, None, new[y], "added"))
                elif not _same(old[y], new[y]):
                    out.append(Change(kind, str(y), value_key, old[y], new[y], "changed"))
            if kind == "history":
                known = {v.year: v.value for v in region.potential_workers}
                for r in table.rows:
                    if "potential_workers" in r and "year" in r:
                        y, v = r["year"], r["potential_workers"]
                        if y not in known:
                            out.append(Change("workers", str(y), "potential_workers", None, v, "added"))
                        elif not _same(known[y], v):
                            out.append(Change("workers", str(y), "potential_workers", known[y], v, "changed"))
        elif kind == "groups":
            for r in table.rows:
                g = region.group(r.get("id", ""))
                if g is None:
                    continue
                for key, (attr, factor) in _GROUP_FIELDS.items():
                    if key in r and not _same(getattr(g, attr).value / factor, r[key]):
                        out.append(Change(kind, g.id, key, getattr(g, attr).value / factor, r[key], "changed"))
        elif kind == "targets":
            old_t = {t.id: t for t in region.targets}
            new_ids = [r["id"] for r in table.rows if "id" in r]
            for r in table.rows:
                if "id" not in r:
                    continue
                t = old_t.get(r["id"])
                for key, attr in (("year", "year"), ("coverage_pct", "coverage_pct")):
                    if key not in r:
                        continue
                    if t is None:
                        out.append(Change(kind, r["id"], key, None, r[key], "added"))
                    elif not _same(float(getattr(t, attr)), float(r[key])):
                        out.append(Change(kind, r["id"], key, getattr(t, attr), r[key], "changed"))
                if t is not None and r.get("name") and r["name"] != t.name(lang):
                    out.append(Change(kind, r["id"], "name", t.name(lang), r["name"], "changed"))
            for tid, t in old_t.items():
                if tid not in new_ids:
                    out.append(Change(kind, tid, "coverage_pct", t.coverage_pct, None, "removed"))
        elif kind == "parameters":
            for r in table.rows:
                spec = PARAMETERS.get(r.get("id", ""))
                if spec and "value" in r:
                    old_v = getattr(region, spec[0]).value / spec[1]
                    if not _same(old_v, r["value"]):
                        out.append(Change(kind, r["id"], "value", old_v, r["value"], "changed"))
    return out


def _sourced(old: Sourced | None, value: float, row: dict, source: str, certainty: str, today: dt.date,
             cls: type = Sourced, **extra) -> Sourced:
    """An unchanged value stays as it was (with its own source); a new one gets the row's or the user's."""
    if old is not None and _same(old.value, value):
        return old
    return cls(value=value, source=row.get("source") or source, certainty=row.get("certainty") or certainty,
               source_date=row.get("source_date") or today, **extra)


def apply_tables(region: Region, tables: Iterable[Table], *, source: str = USER_SOURCE, certainty: str = "A",
                 today: dt.date | None = None, lang: str = "id") -> Region:
    """A new Region with the tables applied. Refuses (``ValidationError``) a table with problems.

    Year tables and targets replace the region's rows (a year or target left out is removed);
    groups and parameters update the values given. A new or changed value gets ``source``,
    ``certainty`` and ``today`` unless its row names its own; an unchanged value keeps its source.
    """
    tables = list(tables)
    if certainty not in CERTAINTIES:
        raise ValidationError("certainty", f"certainty must be one of {', '.join(CERTAINTIES)}",
                              code="bad_certainty", params={"value": certainty, "allowed": "H, M, L, A"})
    source = (source or "").strip()[:500] or USER_SOURCE
    today = today or dt.date.today()
    for table in tables:
        if table.problems:
            p = table.problems[0]
            raise ValidationError(f"row {p.row}, column {p.column}" if p.row else (p.column or "file"),
                                  f"the table has {len(table.problems)} problem(s); nothing was applied",
                                  code=p.code, params={**p.params, "row": p.row, "column": p.column})
    r = region
    for table in tables:
        kind = table.kind
        if kind in _YEAR_TABLES:
            value_key, attr = _YEAR_TABLES[kind]
            old = {v.year: v for v in getattr(r, attr)}
            series = []
            for row in table.rows:
                y, v = row["year"], float(row[value_key])
                series.append(_sourced(old.get(y), v, row, source, certainty, today, YearValue, year=y))
            updates = {attr: tuple(sorted(series, key=lambda x: x.year))}
            if kind == "history" and any("potential_workers" in row for row in table.rows):
                workers = {v.year: v for v in r.potential_workers}
                for row in table.rows:
                    if "potential_workers" in row:
                        y, v = row["year"], float(row["potential_workers"])
                        workers[y] = _sourced(workers.get(y), v, row, source, certainty, today, YearValue, year=y)
                updates["potential_workers"] = tuple(workers[y] for y in sorted(workers))
            r = replace(r, **updates)
        elif kind == "groups":
            by_id = {row["id"]: row for row in table.rows}
            groups = []
            for g in r.groups:
                row = by_id.get(g.id)
                if row is not None:
                    ch = {}
                    for key, (attr, factor) in _GROUP_FIELDS.items():
                        if key in row:
                            v = float(row[key]) * factor
                            if attr == "members":
                                v = float(round(v))
                            ch[attr] = _sourced(getattr(g, attr), v, row, source, certainty, today)
                    if row.get("name") and row["name"] != g.name(lang):
                        ch["name_id" if lang == "id" else "name_en"] = row["name"][:80]
                    g = replace(g, **ch)
                groups.append(g)
            r = replace(r, groups=tuple(groups))
        elif kind == "targets":
            old_t = {t.id: t for t in r.targets}
            targets = []
            for row in table.rows:
                t = old_t.get(row["id"])
                year, cov = int(row["year"]), float(row["coverage_pct"])
                name = (row.get("name") or (t.name(lang) if t else row["id"]))[:80]
                if t is not None and t.year == year and _same(t.coverage_pct, cov):
                    src = {"source": t.source, "certainty": t.certainty, "source_date": t.source_date}
                else:
                    src = {"source": row.get("source") or source, "certainty": row.get("certainty") or certainty,
                           "source_date": row.get("source_date") or today}
                if t is None:
                    names = {"name_id": name, "name_en": name}
                else:
                    names = {"name_id": t.name_id, "name_en": t.name_en}
                    names["name_id" if lang == "id" else "name_en"] = name
                targets.append(Target(id=row["id"], year=year, coverage_pct=cov, **names, **src))
            r = replace(r, targets=tuple(targets))
        elif kind == "parameters":
            ch = {}
            for row in table.rows:
                attr, factor = PARAMETERS[row["id"]][:2]
                v = float(row["value"]) * factor
                ch[attr] = _sourced(getattr(r, attr), v, row, source, certainty, today)
            r = replace(r, **ch)
    return r
