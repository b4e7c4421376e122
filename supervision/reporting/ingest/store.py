"""Services that touch the database: check a file against what is stored, and store it.

``check_*_file`` read and validate, gathering from the database what the validators compare
against (reference rows, the previous months' figures, the ledger's counts) in a fixed, small
number of queries. ``store_*`` write a validated result in one transaction, in bulk: the
number of queries does not grow with the number of rows (except one per 10,000-row batch).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery

from supervision.core import dates
from supervision.core.models import City, Operator, Period, ViolationCategory
from supervision.ingest import Reference, read_sheet
from supervision.reporting.models import (
    CityFigures,
    ComplaintRecord,
    ComplaintRevision,
    LedgerCorrection,
    LedgerUpload,
    MonthlySubmission,
    PeriodReopening,
    SubmissionState,
)
from supervision.reporting.summaries import refresh_complaint_counts

from . import checks as C
from .ledger import LedgerResult, validate_ledger
from .monthly import OUTLIER_FIELDS, OUTLIER_MONTHS, MonthlyResult, validate_monthly

# The versions whose figures count as a month's history: what the operator answered for it.
HISTORY_STATES = [SubmissionState.ACCEPTED, SubmissionState.SUBMITTED, SubmissionState.RETURNED]
# Rows per INSERT/UPDATE batch and per ``complaint_no__in`` look-up.
BATCH = 10_000


class NotValid(Exception):
    """A result with errors was given to a ``store_*`` function: nothing was stored."""


# Today in Asia/Shanghai (``core.dates.today``), under the name the commands import.
today_in_shanghai = dates.today


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Checking a file ----------------------------------------------------------------------------


def check_monthly_file(data: bytes, filename: str, *, operator: Operator, period: Period) -> MonthlyResult:
    """Read and validate a monthly report's figures for ``operator`` and ``period``.

    Raises ``FileRefused``. Five queries: three reference tables, the previous six months'
    figures (for the outlier warning) and the ledger's counts (for the cross-check).
    """
    sheet = read_sheet(data, filename)
    return validate_monthly(
        sheet,
        history=monthly_history(operator, period),
        ledger_counts=ledger_counts(operator, period),
        reference=Reference.load(),
        operator=operator.code,
        period=period.month,
        filed_by=filed_by(period),
    )


def filed_by(period: Period) -> dt.date:
    """The last day a 填报日期 may name for the period: the day its report is late after."""
    return dates.local_date(period.late_after)


def monthly_history(operator: Operator, period: Period) -> dict[str, dict[str, list]]:
    """``{city_code: {field: [values, oldest first]}}`` from the previous six months, one query.

    Each month counts with its latest version among the accepted, submitted and returned ones.
    """
    start = dates.add_months(period.month, -OUTLIER_MONTHS)
    rows = (
        CityFigures.objects.filter(
            submission__operator=operator,
            submission__period__month__gte=start,
            submission__period__month__lt=period.month,
            submission__state__in=HISTORY_STATES,
        )
        .order_by("submission__period__month", "submission__version")
        .values_list("submission__period__month", "submission__version", "city__code", *OUTLIER_FIELDS)
    )
    by_month: dict[dt.date, tuple[int, list]] = {}
    for month, version, city_code, *values in rows:
        latest = by_month.get(month)
        if latest is None or version > latest[0]:
            by_month[month] = latest = (version, [])
        if version == latest[0]:
            latest[1].append((city_code, values))
    history: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for month in sorted(by_month):
        for city_code, values in by_month[month][1]:
            for name, value in zip(OUTLIER_FIELDS, values, strict=True):
                history[city_code][name].append(value)
    return {city: dict(fields) for city, fields in history.items()}


def ledger_counts(operator: Operator, period: Period) -> dict[str, int]:
    """``{city_code: complaints received in the period}`` from the operator's ledger, one query."""
    rows = (
        ComplaintRecord.objects.filter(
            operator=operator, received_on__gte=period.month, received_on__lte=period.last_day
        )
        .values("city__code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("city__code", "n")
    )
    return dict(rows)


def check_ledger_file(
    data: bytes,
    filename: str,
    *,
    operator: Operator,
    today: dt.date | None = None,
    period: Period | None = None,
) -> LedgerResult:
    """Read and validate a complaint ledger that ``operator`` uploads. Raises ``FileRefused``.

    The operator is the uploader's, never taken from the file: a ledger holds only the
    uploading operator's complaints, and a file that names another operator is refused.
    ``period``: the month chosen when the ledger comes with a monthly report. Then the months
    the file changes are compared with what is locked and accepted (``check_ledger_periods``).
    """
    sheet = read_sheet(data, filename)
    result = validate_ledger(
        sheet,
        today=today or dates.today(),
        reference=Reference.load(),
        operator=operator.code,
        period=period.month if period else None,
        filed_by=filed_by(period) if period else None,
    )
    check_ledger_periods(result, operator)
    return result


def ledger_month_changes(
    result: LedgerResult, operator: Operator, existing: dict | None = None, ids: tuple | None = None
) -> dict[dt.date, list[dict]]:
    """``{month: [{"complaint_no", "row", "change", "fields"}]}``: the complaints the file adds to
    or changes in each month of receipt (a moved receipt date changes its old month too).

    Rows that are unchanged are left out: a ledger sent again whole changes nothing.
    """
    city_ids, category_ids = ids or (
        dict(City.objects.values_list("code", "id")),
        dict(ViolationCategory.objects.values_list("code", "id")),
    )
    compared = _compared_fields(result)
    records = [r for r in result.records if r["complaint_no"] and r["received_on"] is not None]
    if existing is None:
        existing = _existing_complaints(operator, [r["complaint_no"] for r in records])
    months: dict[dt.date, list[dict]] = defaultdict(list)
    for record in records:
        values = _record_values(record, city_ids, category_ids)
        old = existing.get(record["complaint_no"])
        if old is None:
            touched, change, fields = {dates.month_of(record["received_on"])}, "added", []
        else:
            fields = [name for name, i in compared if old[1][i] != values[i]]
            if not fields:
                continue
            touched, change = {dates.month_of(old[1][0]), dates.month_of(record["received_on"])}, "edited"
        for month in touched:
            months[month].append(
                {
                    "complaint_no": record["complaint_no"],
                    "row": record.get("row"),
                    "change": change,
                    "fields": fields,
                }
            )
    return months


def month_states(operator: Operator, months) -> tuple[set[dt.date], dict[dt.date, MonthlySubmission]]:
    """Of the given months: those locked for the operator, and the operator's accepted reports.

    One query in the common case (no month locked or accepted), one more for each kind found.
    """
    accepted_version = MonthlySubmission.objects.filter(
        operator=operator, period=OuterRef("pk"), state=SubmissionState.ACCEPTED
    ).values("pk")[:1]
    rows = list(
        Period.objects.filter(month__in=list(months))
        .annotate(accepted_id=Subquery(accepted_version))
        .filter(Q(locked_at__isnull=False) | Q(accepted_id__isnull=False))
        .values_list("pk", "month", "locked_at", "accepted_id")
    )
    locked = {pk: month for pk, month, locked_at, _accepted in rows if locked_at is not None}
    if locked:
        reopened = PeriodReopening.objects.filter(operator=operator, period__in=list(locked), closed_at=None)
        for pk in reopened.values_list("period_id", flat=True):
            del locked[pk]
    accepted_ids = {accepted_id: month for _pk, month, _locked, accepted_id in rows if accepted_id}
    accepted = {}
    if accepted_ids:
        for submission in MonthlySubmission.objects.filter(pk__in=list(accepted_ids)).select_related(
            "period", "operator"
        ):
            accepted[accepted_ids[submission.pk]] = submission
    return set(locked.values()), accepted


# Rows named in one warning; the preview lists them all.
_ROWS_NAMED = 20


def check_ledger_periods(result: LedgerResult, operator: Operator) -> None:
    """A ledger cannot change the complaints of a locked month (an error at each row), and a
    change to a month whose report was accepted needs an explanation (one warning per month).
    The accepted months' changes are kept on the result for the preview."""
    changes = ledger_month_changes(result, operator)
    if not changes:
        return
    locked, accepted = month_states(operator, changes)
    header = result.headers.get("complaint_no") or "投诉编号"
    for month in sorted(changes):
        label = f"{month:%Y-%m}"
        if month in locked:
            for change in changes[month]:
                result.problems.append(
                    C.LEDGER_PERIOD_LOCKED.at(
                        row=change["row"], column=header, value=change["complaint_no"], period=label
                    )
                )
        elif month in accepted:
            rows = [str(c["row"]) for c in changes[month] if c["row"]]
            shown = "、".join(rows[:_ROWS_NAMED]) + ("…" if len(rows) > _ROWS_NAMED else "")
            result.problems.append(
                C.LEDGER_PERIOD_ACCEPTED.at(
                    row=changes[month][0]["row"],
                    column=header,
                    period=label,
                    added=sum(1 for c in changes[month] if c["change"] == "added"),
                    edited=sum(1 for c in changes[month] if c["change"] == "edited"),
                    rows=shown,
                )
            )
            result.accepted_changes[label] = changes[month]


# --- Storing a result -------------------------------------------------------------------------


def _require_ok(result) -> None:
    if not result.ok:
        raise NotValid(f"{len(result.errors)} errors: nothing was stored")


@transaction.atomic
def store_monthly(result: MonthlyResult, submission: MonthlySubmission) -> list[CityFigures]:
    """Store the figures of a valid result as ``submission``'s city rows (two queries).

    The caller creates the version (``submissions.create_version``) and decides its state.
    """
    _require_ok(result)
    cities = dict(City.objects.values_list("code", "id"))
    figures = [
        CityFigures(
            submission=submission,
            city_id=cities[row["city_code"]],
            **{k: v for k, v in row.items() if k != "city_code"},
        )
        for row in result.rows
    ]
    return CityFigures.objects.bulk_create(figures)


# The ledger columns an upload can change, as (ComplaintRecord field, template column).
_LEDGER_FIELDS = [
    ("received_on", "received_on"),
    ("city", "city"),
    ("channel", "channel"),
    ("category", "category"),
    ("msisdn_masked", "msisdn"),
    ("summary", "summary"),
    ("status", "status"),
    ("resolved_on", "resolved_on"),
    ("resolution", "resolution"),
    ("satisfaction", "satisfaction"),
]
_OPTIONAL_COLUMNS = {"msisdn", "satisfaction"}


@transaction.atomic
def store_ledger(
    result: LedgerResult,
    *,
    operator: Operator,
    user,
    file_name: str,
    sha256: str,
    submission: MonthlySubmission | None = None,
    warnings: list[dict] | None = None,
    explanations: dict[str, str] | None = None,
) -> LedgerUpload:
    """Add the new complaints of a valid ledger and update the known ones, in one transaction.

    ``warnings``: the warnings with the submitter's explanations, kept on the upload;
    ``explanations``: ``{"YYYY-MM": text}`` for the months whose report was accepted, kept
    with what the file changed in them (``LedgerCorrection``) for that report's page.

    A known complaint is one with the same operator and complaint number. Each changed one gets
    a ``ComplaintRevision`` ``{field: [old, new]}``; an unchanged one is not touched. An optional
    column missing from the file leaves that field of known complaints as it was.

    Queries: two reference tables, one look-up per 10,000 complaint numbers, the upload, and
    one batch per 10,000 inserted, updated and revised rows.
    """
    _require_ok(result)
    city_ids = dict(City.objects.values_list("code", "id"))
    category_ids = dict(ViolationCategory.objects.values_list("code", "id"))
    city_codes = {v: k for k, v in city_ids.items()}
    category_codes = {v: k for k, v in category_ids.items()}

    compared = _compared_fields(result)

    # What the file does to locked and accepted months, before anything is written: a locked
    # month is refused here too (the checks said so already), an accepted one is recorded.
    records = result.records
    existing = _existing_complaints(operator, [r["complaint_no"] for r in records])
    month_changes = ledger_month_changes(result, operator, existing, (city_ids, category_ids))
    locked, accepted = month_states(operator, month_changes)
    if locked:
        raise NotValid(f"locked periods: {', '.join(f'{m:%Y-%m}' for m in sorted(locked))}")

    new_rows, changed = [], []
    unchanged = 0
    for record in records:
        values = _record_values(record, city_ids, category_ids)
        old = existing.get(record["complaint_no"])
        if old is None:
            new_rows.append((record["complaint_no"], values))
            continue
        pk, old_values = old
        diff = {name: i for name, i in compared if old_values[i] != values[i]}
        if not diff:
            unchanged += 1
            continue
        changes = {
            name: [
                _json_value(name, old_values[i], city_codes, category_codes),
                _json_value(name, values[i], city_codes, category_codes),
            ]
            for name, i in diff.items()
        }
        changed.append((pk, values, changes))

    upload = LedgerUpload.objects.create(
        operator=operator,
        submission=submission,
        uploaded_by=user,
        file_name=file_name[:255],
        sha256=sha256,
        rows_added=len(new_rows),
        rows_updated=len(changed),
        rows_unchanged=unchanged,
        warnings=warnings or [],
    )
    explanations = explanations or {}
    LedgerCorrection.objects.bulk_create(
        LedgerCorrection(
            upload=upload,
            submission=accepted[month],
            explanation=explanations.get(f"{month:%Y-%m}", ""),
            complaints=month_changes[month],
        )
        for month in sorted(accepted)
        if month in month_changes
    )
    adapt_date = connection.ops.adapt_datefield_value
    _insert(
        ComplaintRecord,
        [
            "operator",
            "complaint_no",
            *(name for name, _column in _LEDGER_FIELDS),
            "first_upload",
            "last_upload",
        ],
        [
            (operator.pk, no, adapt_date(v[0]), *v[1:7], adapt_date(v[7]), *v[8:], upload.pk, upload.pk)
            for no, v in new_rows
        ],
    )
    if changed:
        names = [name for name, _i in compared]
        positions = [i for _name, i in compared]
        date_positions = {i for name, i in compared if name in ("received_on", "resolved_on")}
        _update(
            ComplaintRecord,
            [*names, "last_upload"],
            [
                (*(adapt_date(v[i]) if i in date_positions else v[i] for i in positions), upload.pk, pk)
                for pk, v, _changes in changed
            ],
        )
        prepare_json = ComplaintRevision._meta.get_field("changes").get_db_prep_save
        _insert(
            ComplaintRevision,
            ["complaint", "upload", "changes"],
            [(pk, upload.pk, prepare_json(changes, connection)) for pk, _v, changes in changed],
        )
    # The dashboard reads the ledger's monthly counts. New complaints alone are added to their
    # cells (a month sent in batches: each batch costs its own rows); a file that changes known
    # complaints has the months it touched recounted (a moved receipt date touches its old
    # month too).
    if not changed:
        refresh_complaint_counts(
            operator.pk, added=[(v[0], v[1], v[3], v[2], v[6], v[7]) for _no, v in new_rows]
        )
        return upload
    touched = {v[0] for _no, v in new_rows} | {v[0] for _pk, v, _c in changed}
    touched |= {existing[r["complaint_no"]][1][0] for r in records if r["complaint_no"] in existing}
    refresh_complaint_counts(operator.pk, touched)
    return upload


def _compared_fields(result: LedgerResult) -> list[tuple[str, int]]:
    """The fields an upload compares: an optional column the file does not have is left as it was."""
    return [
        (name, i)
        for i, (name, column) in enumerate(_LEDGER_FIELDS)
        if column in result.headers or column not in _OPTIONAL_COLUMNS
    ]


def _record_values(record: dict, city_ids: dict, category_ids: dict) -> tuple:
    """A validated record's values in ``_LEDGER_FIELDS`` order, foreign keys as ids."""
    return (
        record["received_on"],
        city_ids.get(record["city_code"]),
        record["channel"],
        category_ids.get(record["category_code"]),
        record["msisdn_masked"],
        record["summary"],
        record["status"],
        record["resolved_on"],
        record["resolution"],
        record["satisfaction"],
    )


def _existing_complaints(operator: Operator, numbers: list[str]) -> dict[str, tuple[int, tuple]]:
    """``{complaint_no: (pk, values in _LEDGER_FIELDS order)}`` for the numbers already stored.

    When the operator has not many more complaints stored than the file holds, reading them
    all in one query is cheaper than looking 10,000 numbers up at a time (a first upload of
    100,000 rows: 0.67 s of look-ups saved); otherwise the numbers are looked up in batches.
    """
    fields = ["pk", "complaint_no"] + [
        f"{name}_id" if name in ("city", "category") else name for name, _column in _LEDGER_FIELDS
    ]
    # No ordering: the model's (-received_on, complaint_no) made SQLite walk all the operator's
    # complaints by date for each look-up instead of probing the (operator, complaint_no) index
    # (a ledger sent in batches: every batch looks its numbers up three times).
    stored = ComplaintRecord.objects.filter(operator=operator).order_by()
    count = stored.count()
    if count == 0:
        return {}
    existing = {}
    if count <= 2 * len(numbers):
        wanted = set(numbers)
        for pk, no, *values in stored.values_list(*fields):
            if no in wanted:
                existing[no] = (pk, tuple(values))
        return existing
    meta = ComplaintRecord._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.pk.column if f == "pk" else meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(numbers), BATCH):
            chunk = numbers[start : start + BATCH]
            # The driver binds the numbers: the ORM's preparing of each of 10,000 values in an
            # IN cost more than the query (a ledger sent in batches looks each batch up 3 times).
            cursor.execute(
                f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608 (names, not data)
                f"WHERE {quote(meta.get_field('operator').column)} = %s "
                f"AND {quote(meta.get_field('complaint_no').column)} IN ({', '.join(['%s'] * len(chunk))})",
                [operator.pk, *chunk],
            )
            for pk, no, *values in cursor.fetchall():
                existing[no] = (pk, tuple(values))
    return existing


def _json_value(name: str, value, city_codes: dict, category_codes: dict):
    if value is None:
        return None
    if name == "city":
        return city_codes.get(value, value)
    if name == "category":
        return category_codes.get(value, value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _insert(model, field_names: list[str], rows: list[tuple]) -> None:
    """INSERT rows the way the driver alone does it fastest, in the current transaction.

    ``bulk_create`` builds a model instance per row and, on SQLite, sends one INSERT per 71 rows
    of this table (999 parameters): 100,000 complaints took 1.5 s for the instances and 7–7.9 s
    to insert. Here SQLite gets one prepared statement run per row in C (``executemany``, about
    1.5 s, the driver's own speed) and PostgreSQL a ``COPY`` (psycopg's executemany through
    Django's client-side cursor took 8 s, COPY 2.2–2.4 s). Values must already be in database
    form: dates adapted, foreign keys as ids. See docs/benchmarks.md, "Import".
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in field_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY goes to psycopg directly; Django's cursor wrapper has no copy().
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(field_names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names, not data)
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _update(model, field_names: list[str], rows: list[tuple]) -> None:
    """UPDATE rows by primary key with executemany; each row is (values…, pk)."""
    quote = connection.ops.quote_name
    meta = model._meta
    assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in field_names)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
