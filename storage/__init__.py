"""Storage: the scenario library and share links (SQLite; no Streamlit, no language)."""
