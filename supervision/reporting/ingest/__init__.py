"""The monthly figures and the complaint ledger through the upload pipeline (FORMATS.md).

The generic steps (reading, columns, reference data, the catalogue of checks, the command base)
are in ``supervision.ingest``; here are the two templates the operators upload: their checks,
validators and storage. read (any accepted format → rows of strings) → validate (rows → typed
records + problems; pure functions, no database) → store (one transaction, bulk). Shared by the
portal's upload pages and the ``import_*`` management commands. (The inspection batch, the
administration's own upload, is casework's: ``supervision.casework.ingest``.) The generic names
(``FileRefused``, ``Problem``, ``read_sheet`` …) are repeated here for reporting's own callers.

The database services (``check_*_file``, ``store_*``) and ``build_template`` are imported on first
use, so that the pure parts can be imported before Django's apps are ready.
"""

from supervision.ingest import CHECKS, Check, FileRefused, Problem, Reference, Sheet, get_check, read_sheet

from .ledger import LedgerResult, validate_ledger
from .monthly import MonthlyResult, validate_monthly

_LAZY = {
    "NotValid": "store",
    "check_monthly_file": "store",
    "check_ledger_file": "store",
    "store_monthly": "store",
    "store_ledger": "store",
    "file_sha256": "store",
    "today_in_shanghai": "store",
    "build_template": "workbook_templates",
}

__all__ = [
    "CHECKS",
    "Check",
    "FileRefused",
    "LedgerResult",
    "MonthlyResult",
    "Problem",
    "Reference",
    "Sheet",
    "get_check",
    "read_sheet",
    "validate_ledger",
    "validate_monthly",
    *_LAZY,
]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
