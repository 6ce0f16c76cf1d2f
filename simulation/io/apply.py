"""What applying checked tables to a region would change (the preview), and applying them (a new Region).

A file is never half applied: :func:`apply_tables` refuses a table with any problem. A value that does not
change keeps its own source; a new or changed one gets the row's source, or the user's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from ..data import Region, Target
from ..errors import ValidationError
from ..sourced import CERTAINTIES, Sourced, YearValue
from .layouts import GROUP_FIELDS, PARAMETERS, YEAR_TABLES
from .results import Change, Table

__all__ = ["USER_SOURCE", "apply_tables", "changes"]

#: Source given to a value the user typed or uploaded without a source of its own.
USER_SOURCE = "diubah pengguna / user edit"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def changes(region: Region, tables: Iterable[Table], lang: str = "id") -> list[Change]:
    """What applying ``tables`` to ``region`` would change, value by value (values as in the tables)."""
    out: list[Change] = []
    for table in tables:
        kind = table.kind
        if kind in YEAR_TABLES:
            value_key, attr = YEAR_TABLES[kind]
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
                for key, (attr, factor) in GROUP_FIELDS.items():
                    if key in r and not _same(getattr(g, attr).value / factor, r[key]):
                        out.append(Change(kind, g.id, key, getattr(g, attr).value / factor, r[key], "changed"))
                if r.get("name") and r["name"] != g.name(lang):   # a rename is applied, so it is listed too
                    out.append(Change(kind, g.id, "name", g.name(lang), r["name"], "changed"))
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
               source_date=_date(row, today), **extra)


def _date(row: dict, today: dt.date) -> dt.date | None:
    """The row's own source date; none when the row names its source without a date (the source's date is not
    known: today would date it wrongly); today for a value recorded under the user's upload or edit."""
    if row.get("source"):
        return row.get("source_date")
    return row.get("source_date") or today


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
        if kind in YEAR_TABLES:
            value_key, attr = YEAR_TABLES[kind]
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
                    for key, (attr, factor) in GROUP_FIELDS.items():
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
                if t is None:
                    names = {"name_id": name, "name_en": name}
                else:
                    names = {"name_id": t.name_id, "name_en": t.name_en}
                    names["name_id" if lang == "id" else "name_en"] = name
                if t is not None and t.year == year and _same(t.coverage_pct, cov):
                    targets.append(replace(t, **names))   # unchanged: keeps its own source, all of its fields
                    continue
                src = {"source": row.get("source") or source, "certainty": row.get("certainty") or certainty,
                       "source_date": _date(row, today)}
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
