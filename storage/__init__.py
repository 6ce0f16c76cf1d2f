"""Storage: the scenario library, share links and saved regions in one database (SQLite file or PostgreSQL,
through SQLAlchemy; no Streamlit, no language)."""
