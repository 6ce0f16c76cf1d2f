"""How library_v2.sqlite3 and library_v3.sqlite3 beside this file were made: by the released code of
storage/library.py (and storage/regions.py) from git history, before the library moved to SQLAlchemy and Alembic.
They are what a laptop running those versions has in var/; tests/test_storage_migrations.py upgrades copies of them.

Run from the repository root (needs the git history): ``.venv/bin/python tests/storage_legacy/make_legacy.py``.
The ids it prints are the ones the tests name (V2, V3); a new run makes new ids.
"""

from __future__ import annotations

import dataclasses
import pathlib
import sqlite3
import subprocess
import sys
import types

REPO = pathlib.Path(__file__).resolve().parents[2]
RELEASES = ((2, "ebdc761"), (3, "1f95aac"))   # the commits that introduced schema versions 2 and 3


def _old(commit: str, name: str, path: str = "storage/library.py") -> types.ModuleType:
    src = subprocess.run(["git", "show", f"{commit}:{path}"], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout
    mod = types.ModuleType(name)
    mod.__file__ = str(REPO / path)
    sys.modules[name] = mod
    exec(compile(src, f"{commit}:{path}", "exec"), mod.__dict__)  # noqa: S102 - our own released code
    return mod


def main() -> None:
    sys.path.insert(0, str(REPO))
    from simulation.data import load_region
    from simulation.scenario import default_scenario

    out = pathlib.Path(__file__).resolve().parent
    s = default_scenario()
    for version, commit in RELEASES:
        lib_mod = _old(commit, f"storage_library_v{version}")
        assert lib_mod.SCHEMA_VERSION == version
        path = out / f"library_v{version}.sqlite3"
        path.unlink(missing_ok=True)
        lib = lib_mod.Library(path)
        a = lib.save(s, "Kesepakatan lama", owner="s1")
        lib.set_baseline(a)
        f = lib.freeze(a, "Dipaparkan 2026-11-20", owner="s1")
        b = lib.save(s.replace(city_share=0.5), "Separuh")
        key = lib.share(s.replace(city_share=0.6), owner="s1")
        print(version, {"baseline": a, "frozen": f, "other": b, "link": key})
        if version == 3:
            sys.modules["storage.library"] = lib_mod
            store = _old(commit, "storage_regions_v3", "storage/regions.py").RegionStore(library=lib)
            r = dataclasses.replace(load_region("pontianak"), id="kab_contoh", name="Kabupaten Contoh",
                                    kind="kabupaten")
            store.save(r, owner="s1")
            sk = s.replace(region="kab_contoh")
            print({"region_entry": lib.save(sk, "Skenario kabupaten", region=r, region_version=1),
                   "region_link": lib.share(sk, r, region_version=1)})
        con = sqlite3.connect(path)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")   # one self-contained file
        con.close()


if __name__ == "__main__":
    main()
