"""What a rerun sends and reuses (docs/PERFORMANCE.md, issue 10's budgets): the <html lang> script is sent when
the page's language is new to the browser, not on every run; the Compare tables reused across a variant toggle
are the ones a fresh session builds for the same selection, and follow an edit and the language."""

from __future__ import annotations

from apptest_helpers import REPO, open_view
from streamlit.testing.v1 import AppTest

from presentation.i18n import t


def lang_scripts(at: AppTest) -> list[str]:
    return [e.proto.body for e in at.get("html") if "documentElement.lang" in e.proto.body]


def test_the_lang_script_is_sent_on_a_sessions_first_run_and_on_a_language_switch_only():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.run()
    assert lang_scripts(at) == ["<script>document.documentElement.lang = 'id'</script>"]
    at.run()   # any rerun: the attribute is already on the document
    assert lang_scripts(at) == []
    at.session_state["lang"] = "en"
    at.run()
    assert lang_scripts(at) == ["<script>document.documentElement.lang = 'en'</script>"]
    at.run()
    assert lang_scripts(at) == []
    assert not at.exception


def tables(at: AppTest) -> list:
    return [tb.value for tb in at.dataframe]   # the Compare page's grids (st.dataframe)


def test_compare_tables_after_a_toggle_are_the_fresh_ones_and_follow_edits_and_language():
    at = open_view("views/compare.py", "id")
    full = list(at.multiselect(key="w.compare").value)
    at.multiselect(key="w.compare").unselect(full[-1]).run()
    fewer = tables(at)
    at.multiselect(key="w.compare").select(full[-1]).run()   # back to the first selection: built before
    again = tables(at)
    fresh = tables(open_view("views/compare.py", "id"))
    assert len(again) == len(fresh) == 2
    assert all(a.equals(f) for a, f in zip(again, fresh, strict=True))
    assert not fewer[0].equals(again[0])
    # an edit: new projections, new numbers (not the tables kept for the old ones)
    edited = at.session_state["scenarios"]["pontianak"].replace(city_share=0.6)
    at.session_state["scenarios"]["pontianak"] = edited
    at.run()
    assert not tables(at)[0].equals(again[0])
    assert tables(at)[0].equals(tables(open_view("views/compare.py", "id", edited))[0])
    # the language: same selection, English labels
    at.session_state["lang"] = "en"
    at.run()
    assert t("compare.metric", "en") == tables(at)[0].index.name
