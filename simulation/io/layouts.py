"""The layouts of the region's tables: columns, their header names in offices' spellings, value ranges.

Kinds: ``history`` (coverage per year), ``workers`` (potential workers per year), ``min_wage`` and ``apbd``
(Rp per year), ``groups`` (default group sizes and shares), ``targets`` and ``parameters`` (growth rates and
formal-sector shares). A header cell is matched after normalising (``"Cakupan (%)"`` -> ``cakupan_pct``) to the
column's key, its template headers or an alias; a trailing unit word (``_pct``, ``_rp``, ``_orang`` ...) may be
dropped. Headers are data about files here, not messages: the template headers are the columns' names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["APBD_RANGE", "KINDS", "MAX_MEMBERS", "MIN_WAGE_RANGE", "PARAMETERS", "WORKERS_RANGE", "Column",
           "column_header", "columns"]

#: Most members of one group (the scenario's own limit).
MAX_MEMBERS = 10_000_000
#: Plausible bounds, so that a typo or an overflow (1e300 workers, a 1,7E+308 wage, an APBD of 0) is refused
#: with the bound in the message instead of giving inf or nonsense. Indonesia's whole labour force is about
#: 150 million; the lowest UMK is about Rp 2 million a month and the highest about Rp 5.5 million; the smallest
#: regency's APBD is about Rp 500 billion a year and DKI Jakarta's about Rp 80 trillion.
WORKERS_RANGE = (1, 100_000_000)              # [persons] potential workers, active participants
MIN_WAGE_RANGE = (100_000, 100_000_000)       # [Rp/month]
APBD_RANGE = (1_000_000_000, 1e15)            # [Rp/year]
#: The header is looked for in this many rows from the top (title rows above it are common).
HEADER_SEARCH_ROWS = 15

KINDS = ("history", "workers", "min_wage", "apbd", "groups", "targets", "parameters")


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
                     "tenaga_kerja_potensial", "potential", "potential_workers", "jumlah_potensi"), *WORKERS_RANGE)
_ID = Column("id", "id", "Kode", "ID", ("id", "kode", "code"))

LAYOUTS: dict[str, tuple[Column, ...]] = {
    "history": (
        _YEAR,
        replace(_COVERAGE, open_interval=True),
        Column("participants", "count", "Peserta aktif", "Active participants",
               ("peserta", "peserta_aktif", "jumlah_peserta", "jumlah_peserta_aktif", "participants",
                "active_participants", "pekerja_terlindungi", "tenaga_kerja_terlindungi", "covered",
                "covered_workers"), 0, WORKERS_RANGE[1]),
        _POTENTIAL,
        *_SOURCED,
    ),
    "workers": (_YEAR, _POTENTIAL, *_SOURCED),
    "min_wage": (
        _YEAR,
        Column("min_wage_idr", "money", "UMK (Rp/bulan)", "Minimum wage (Rp/month)",
               ("umk", "upah_minimum", "upah_minimum_kota", "upah_minimum_kabupaten", "ump", "min_wage",
                "minimum_wage", "umk_rp_bulan", "min_wage_rp_month", "minimum_wage_rp_month"), *MIN_WAGE_RANGE),
        *_SOURCED,
    ),
    "apbd": (
        _YEAR,
        Column("apbd_idr", "money", "APBD (Rp/tahun)", "APBD (Rp/year)",
               ("apbd", "apbd_rp_tahun", "apbd_rp_year", "total_apbd", "belanja_daerah", "budget", "apbd_total"),
               *APBD_RANGE),
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
YEAR_TABLES = {
    "history": ("coverage_pct", "coverage_history"),
    "workers": ("potential_workers", "potential_workers"),
    "min_wage": ("min_wage_idr", "min_wage"),
    "apbd": ("apbd_idr", "apbd"),
}
MIN_YEARS = {"history": 2, "workers": 1, "min_wage": 1, "apbd": 1}
GROUP_FIELDS = {"members": ("members", 1.0), "already_covered_pct": ("already_covered", 0.01),
                 "take_up_pct": ("take_up", 0.01), "dropout_pct": ("dropout", 0.01)}
ID_RE = re.compile(r"^[a-z0-9_\-]{1,40}$")
_UNIT_TOKENS = ("pct", "persen", "percent", "rp", "idr", "orang", "jiwa", "persons", "people", "bulan", "month",
                "tahun", "year")


def columns(kind: str) -> tuple[Column, ...]:
    """The columns of a table kind, in template order."""
    return LAYOUTS[kind]


def column_header(kind: str, key: str, lang: str = "id") -> str:
    """The template header of a column (what the user sees in the template and the editor)."""
    col = next((c for c in LAYOUTS[kind] if c.key == key), None)
    return col.header(lang) if col else key


def norm(text: Any) -> str:
    s = unicodedata.normalize("NFKC", str(text)).lower().replace("%", " pct ")
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def _alias_map(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in LAYOUTS[kind]:
        for name in (col.key, norm(col.header_id), norm(col.header_en), *col.aliases):
            out.setdefault(norm(name), col.key)
    return out


_ALIASES = {k: _alias_map(k) for k in LAYOUTS}


def match_header(kind: str, header: Any) -> str | None:
    """Canonical key of a header cell in a table kind, ``"_ignore"`` or None."""
    n = norm(header)
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


def required_missing(kind: str, keys: set[str]) -> list[str]:
    """Required columns that a header lacks (alternatives resolved)."""
    if kind == "history":
        missing = [] if "year" in keys else ["year"]
        if "coverage_pct" not in keys and not {"participants", "potential_workers"} <= keys:
            missing.append("coverage_pct")
        return missing
    if kind in ("workers", "min_wage", "apbd"):
        return [k for k in ("year", YEAR_TABLES[kind][0]) if k not in keys]
    if kind == "groups":
        missing = [] if keys & {"id", "name"} else ["id"]
        if not keys & set(GROUP_FIELDS):
            missing.append("members")
        return missing
    if kind == "targets":
        return ([] if keys & {"id", "name"} else ["id"]) + [k for k in ("year", "coverage_pct") if k not in keys]
    return [k for k in ("id", "value") if k not in keys]


def _score(kind: str, header: Sequence[Any]) -> tuple[int, int]:
    keys = {match_header(kind, h) for h in header if h is not None and str(h).strip()}
    keys.discard(None)
    keys.discard("_ignore")
    return (0 if required_missing(kind, keys) else 1, len(keys))


def best_kind(header: Sequence[Any]) -> str | None:
    scored = [(_score(k, header), -i, k) for i, k in enumerate(KINDS)]
    best = max(scored)
    return best[2] if best[0][1] > 0 else None


def _known_count(row: Sequence[Any]) -> int:
    cells = [c for c in row if c is not None and str(c).strip()]
    return max(sum(1 for c in cells if match_header(k, c) not in (None, "_ignore")) for k in KINDS) if cells else 0


def find_header(rows: list[tuple[int, list[Any]]]) -> int | None:
    """Index (into ``rows``) of the header row: the first with two known columns, else one."""
    top = rows[:HEADER_SEARCH_ROWS]
    for need in (2, 1):
        for i, (_n, row) in enumerate(top):
            if _known_count(row) >= need:
                return i
    return None



def sheet_kind(title: str) -> str | None:
    n = norm(title)
    return next((k for k, names in _SHEET_NAMES.items() if n in names), None)

