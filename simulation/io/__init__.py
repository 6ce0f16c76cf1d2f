"""The one input layer: every office file and every typed number enters the simulator here.

- :mod:`~simulation.io.numbers`: THE office-number parser (:func:`parse_number`), used by the Data page, the
  typed cells of the Scenario and Goal-seek pages, ``batch``, ``backtest`` and ``check``.
- :mod:`~simulation.io.tables`: THE table reader (:func:`read_sheets`): bytes and a file name -> rows of raw
  cells with the row numbers the user sees; CSV in any encoding and separator Excel writes, XLSX.
- :mod:`~simulation.io.layouts`, :mod:`~simulation.io.cells`, :mod:`~simulation.io.reader`: the region's
  tables (history, workers, min_wage, apbd, groups, targets, parameters): headers, aliases, checks
  (:func:`read_upload`, :func:`read_records`, :func:`history_series`).
- :mod:`~simulation.io.templates`, :mod:`~simulation.io.apply`: the downloadable templates, the preview of
  changes and applying checked tables to a region.
- :mod:`~simulation.io.safe`: text across the edges: :func:`~simulation.io.safe.neutralise` for every file
  written (templates, batch output, ``presentation.exports``), one rule for invisible characters in names.

No Streamlit and no language here: problems are codes with params (:class:`Problem`), said in the user's
language by ``presentation``.
"""

from .apply import USER_SOURCE, apply_tables, changes
from .layouts import KINDS, MAX_MEMBERS, PARAMETERS, column_header, columns
from .numbers import parse_number, plain_text
from .reader import history_series, problem_error, read_records, read_upload
from .results import Change, Problem, Table, Upload
from .tables import ACCEPTED_EXTENSIONS, MAX_BYTES, MAX_UNZIPPED_BYTES, Sheet, read_sheets
from .templates import region_rows, template_csv, template_xlsx

__all__ = [
    "ACCEPTED_EXTENSIONS", "KINDS", "MAX_BYTES", "MAX_MEMBERS", "MAX_UNZIPPED_BYTES", "PARAMETERS", "USER_SOURCE", "Change", "Problem",
    "Sheet", "Table", "Upload", "apply_tables", "changes", "column_header", "columns", "history_series",
    "parse_number", "plain_text", "problem_error", "read_records", "read_sheets", "read_upload", "region_rows",
    "template_csv", "template_xlsx",
]
