"""The upload pipeline every template goes through, below the apps that own the templates.

read (any accepted format → rows of strings, ``reading``) → validate (rows → typed records +
problems, pure functions with no database: the column specs, header detection and cell parsers
of ``columns``, the reference data of ``reference``) → store (one transaction, bulk, in the app
that owns the template). ``checks`` is the one catalogue of the checks, which each app declares
for its templates; ``commandline`` is the base of the ``import_*`` management commands;
``templates`` writes a template's downloadable .xlsx from its ``Template``.

The templates themselves live with their domains: the monthly figures and the complaint ledger
in ``supervision.reporting.ingest``, the inspection batch in ``supervision.casework.ingest``.
Nothing here imports an app above ``core``; nothing here needs Django's apps to be ready.
"""

from .checks import CHECKS, Check, FileRefused, Problem, get_check
from .reading import Sheet, read_sheet
from .reference import Reference

__all__ = ["CHECKS", "Check", "FileRefused", "Problem", "Reference", "Sheet", "get_check", "read_sheet"]
