"""Errors the model raises for bad input.

Every error names *where* the problem is (``field``: a dotted path such as
``groups[2].take_up`` or ``data/parameters.yaml: bpu.jkm_flat``), *what* is wrong
(``message``, plain English), and carries a ``code`` plus ``params`` so that the
app can say the same thing in the user's language.
"""

from __future__ import annotations


class ValidationError(ValueError):
    """Input that the model refuses; never a crash.

    Parameters
    ----------
    field : where the problem is (dotted path, file and key, or row/column).
    message : what is wrong, in plain English.
    code : machine-readable kind of problem (``"unknown_field"``, ``"out_of_range"`` ...).
    params : values for the translated message (``{"min": 0, "max": 1}`` ...).
    """

    def __init__(self, field: str, message: str, *, code: str = "invalid", params: dict | None = None):
        self.field = field
        self.message = message
        self.code = code
        self.params = dict(params or {})
        super().__init__(f"{field}: {message}")


class DataFileError(ValidationError):
    """A shipped or uploaded data file that cannot be loaded (names file and field)."""
