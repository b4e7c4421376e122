"""Operators' monthly reports and complaint ledgers: upload (JSON rows or a file), the same
preview as the web, explanations of the warnings, confirmation, certification, receipts."""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
import operator
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, Field

from supervision.core.models import Period
from supervision.ingest import checks as ingest_checks
from supervision.reporting import submissions, uploads
from supervision.reporting.ingest import ledger as ledger_template
from supervision.reporting.ingest import monthly as monthly_template
from supervision.reporting.models import MonthlySubmission, PendingUpload, UploadKind, UploadState
from supervision.reporting.receipts import receipt_text
from supervision.reporting.tasks import check_upload

from . import problems
from .base import Page, get_visible, manager_user, operator_user, paginate
from .problems import Problem

router = Router(tags=["reports"])


# --- Schemas ---------------------------------------------------------------------------------------


class CheckOut(Schema):
    code: str
    kind: str = Field(description="error (refuses the file), warning (needs an explanation) or notice")
    template: str
    description: str


class FigureRow(Schema):
    """One city's row, keys as the template's English aliases (FORMATS.md §1)."""

    city: str = Field(description="the city's name (济南市) or division code (370100)")
    auth_code_requests: int | None = None
    port_out_applications: int | None = None
    port_out_completed: int | None = None
    port_out_failed: int | None = None
    port_in_applications: int | None = None
    port_in_completed: int | None = None
    complaints_received: int | None = None
    complaints_resolved: int | None = None
    avg_resolution_hours: Decimal | None = None
    subscribers_10k: Decimal | None = None
    eligibility_queries: int | None = None
    failed_not_real_name: int | None = None
    failed_arrears: int | None = None
    failed_contract: int | None = None
    failed_120_days: int | None = None
    failed_other: int | None = None


class LedgerRow(BaseModel):
    """One complaint, keys as the template's English aliases (FORMATS.md §2).

    A plain pydantic model, not ninja's ``Schema``: a batch holds up to 5,000 of them, read from
    JSON only, and ``Schema``'s validator for Django objects cost more than the rest of the
    parsing (bench/api_ledger.py)."""

    complaint_no: str
    received_on: str = Field(description="2026-10-03")
    city: str
    channel: str
    category: str
    msisdn: str | None = Field(None, description="masked: 138****1234 (a full number is masked on import)")
    summary: str
    status: str
    resolved_on: str | None = None
    resolution: str | None = None
    satisfaction: str | None = None


class TypicalCaseIn(Schema):
    title: str = Field(max_length=200)
    city: str = Field(description="the city's division code, e.g. 370100")
    what_happened: str
    handling: str


class MonthlyReportIn(Schema):
    period: str = Field(description="YYYY-MM", examples=["2026-10"])
    figures: list[FigureRow] = Field(max_length=40)
    ledger: list[LedgerRow] | None = Field(None, max_length=5000)
    narrative: str = ""
    major_problem: bool = False
    typical_cases: list[TypicalCaseIn] = Field(default_factory=list, max_length=50)


class LedgerIn(Schema):
    rows: list[LedgerRow] = Field(max_length=5000, description="at most 5,000 complaints a batch")


class ProblemOut(Schema):
    index: int = Field(description="what ``explanations`` of the confirmation refers to")
    kind: str = Field(description="error, warning or notice")
    code: str | None = Field(description="the check's code (GET /checks)")
    file: str = Field(description="figures or ledger")
    row: int | None = Field(description="the row as in the file: the header is row 1, rows[0] is row 2")
    column: str | None
    value: str | None
    message: str = Field(description="in the language of Accept-Language")


class UploadOut(Schema):
    id: str
    kind: str
    state: str = Field(description="checking, checked (the preview is ready), confirmed or discarded")
    progress: int
    period: str | None
    has_errors: bool
    problems: list[ProblemOut]
    figures: list[dict]
    ledger: dict | None
    submission_id: int | None


class ConfirmIn(Schema):
    explanations: dict[int, str] = Field(
        default_factory=dict, description="the explanation of each warning, by its index"
    )


class ConfirmOut(Schema):
    kind: str
    submission_id: int | None = None
    version: int | None = None
    rows_added: int | None = None
    rows_updated: int | None = None
    rows_unchanged: int | None = None


class CertifyIn(Schema):
    attested: bool = Field(
        description="true: the manager attests that the figures are true and complete (as the web's box)"
    )
    attestation: str = Field("", description="the attestation sentence, as the manager read it")


class FiguresOut(Schema):
    city: str
    values: dict[str, str | int | None]


class SubmissionOut(Schema):
    id: int
    operator: str
    period: str
    version: int
    state: str
    narrative: str
    major_problem: bool
    receipt_no: str | None
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    return_comment: str
    warnings: list[dict]


class SubmissionDetailOut(SubmissionOut):
    figures: list[FiguresOut]


class SubmissionPage(Page):
    items: list[SubmissionOut]


class ReceiptOut(Schema):
    receipt_no: str
    text: str


# --- The check catalogue -------------------------------------------------------------------------------


@router.get("/checks", response=list[CheckOut], summary="The published upload checks")
def check_list(request):
    """Every check an upload goes through, with its code (the ``code`` of a problem)."""
    return [
        {"code": check.code, "kind": check.kind, "template": template, "description": str(check.description)}
        for template, rows in ingest_checks.CHECKS.items()
        for check in rows
    ]


# --- Uploads ---------------------------------------------------------------------------------------------


def _csv(columns, rows) -> bytes:
    """JSON rows (the request's models) as the template's CSV, headers in Chinese: the very file
    the web would take. Built once, in memory; ``csv`` writes None as an empty cell."""
    values = operator.itemgetter(*(c.field for c in columns))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    writer.writerows(values(row.__dict__) for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _period(label: str) -> Period:
    try:
        year, month = Period.parse_label(label)
    except ValueError as error:
        raise Problem(422, str(error)) from error
    period, _created = Period.objects.get_or_create(month=dt.date(year, month, 1))
    return period


def _start(request, upload: PendingUpload) -> PendingUpload:
    if uploads.should_check_in_background(upload):
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: check_upload.delay(str(upload.pk), language))
        return upload
    return uploads.run_checks(upload.pk)


def _upload_out(upload: PendingUpload) -> dict:
    stored = upload.problems
    rows = uploads.problem_rows(upload)
    files = {"figures": "figures", "ledger": "ledger"}
    return {
        "id": str(upload.pk),
        "kind": upload.kind,
        "state": upload.state,
        "progress": upload.progress,
        "period": upload.period.label if upload.period_id else None,
        "has_errors": uploads.has_errors(upload),
        "problems": [
            {
                "index": row["index"],
                "kind": row["kind"],
                "code": stored[row["index"]].get("check_code"),
                "file": files.get(stored[row["index"]].get("file"), ""),
                "row": row["row"],
                "column": row["column"],
                "value": None if row["value"] is None else str(row["value"]),
                "message": str(row["message"]),
            }
            for row in rows
        ],
        "figures": upload.preview.get("figures", []),
        "ledger": upload.preview.get("ledger"),
        "submission_id": upload.submission_id,
    }


def _refuse_period(error: submissions.SubmissionRefused):
    raise Problem(409, str(error), kind="refused")


@router.post(
    "/monthly-reports",
    response={201: UploadOut, 202: UploadOut},
    summary="Upload a monthly report as JSON rows: the preview",
)
def monthly_report(request, report: MonthlyReportIn):
    """The figures (and, if given, the month's ledger rows) go through the same checks as the web's
    upload. The answer is the preview: every error and warning with its row, column, code and
    message. Nothing is stored until ``POST /uploads/{id}/confirm``. Large uploads are checked in
    the background (202, state ``checking``): read ``GET /uploads/{id}`` until ``checked``."""
    user = operator_user(request)
    period = _period(report.period)
    figures = SimpleUploadedFile("figures.csv", _csv(monthly_template.COLUMNS, report.figures))
    ledger = None
    if report.ledger:
        ledger = SimpleUploadedFile("ledger.csv", _csv(ledger_template.COLUMNS, report.ledger))
    form_data = {
        "narrative": report.narrative,
        "major_problem": report.major_problem,
        "typical_cases": [c.dict() for c in report.typical_cases],
    }
    try:
        upload = uploads.start_upload(
            kind=UploadKind.MONTHLY,
            operator=user.operator,
            user=user,
            period=period,
            figures=figures,
            ledger=ledger,
            form_data=form_data,
        )
    except submissions.SubmissionRefused as refused:
        _refuse_period(refused)
    upload = _start(request, upload)
    return Status(201 if upload.state == UploadState.CHECKED else 202, _upload_out(upload))


@router.post(
    "/monthly-reports/file",
    response={201: UploadOut, 202: UploadOut},
    summary="Upload a monthly report as files (.xlsx or .csv): the preview",
)
def monthly_report_file(
    request,
    period: Form[str],
    figures: File[UploadedFile],
    ledger: File[UploadedFile] | None = None,
    narrative: Form[str] = "",
    major_problem: Form[bool] = False,
):
    """The same as the web's form: the template's files, checked as there."""
    user = operator_user(request)
    for uploaded in (figures, ledger):
        if uploaded is not None and uploaded.size > settings.UPLOAD_MAX_BYTES:
            raise Problem(413, _("The file is too large."))
    try:
        upload = uploads.start_upload(
            kind=UploadKind.MONTHLY,
            operator=user.operator,
            user=user,
            period=_period(period),
            figures=figures,
            ledger=ledger,
            form_data={"narrative": narrative, "major_problem": major_problem, "typical_cases": []},
        )
    except submissions.SubmissionRefused as refused:
        _refuse_period(refused)
    upload = _start(request, upload)
    return Status(201 if upload.state == UploadState.CHECKED else 202, _upload_out(upload))


@router.post("/ledgers", response={201: UploadOut, 202: UploadOut}, summary="Upload ledger rows: the preview")
def ledger_rows(request, batch: LedgerIn):
    """Up to 5,000 complaints a batch, checked as the web's ledger upload; confirm each batch."""
    user = operator_user(request)
    ledger = SimpleUploadedFile("ledger.csv", _csv(ledger_template.COLUMNS, batch.rows))
    upload = uploads.start_upload(kind=UploadKind.LEDGER, operator=user.operator, user=user, ledger=ledger)
    upload = _start(request, upload)
    return Status(201 if upload.state == UploadState.CHECKED else 202, _upload_out(upload))


@router.post("/ledgers/file", response={201: UploadOut, 202: UploadOut}, summary="Upload a ledger file")
def ledger_file(request, ledger: File[UploadedFile]):
    user = operator_user(request)
    if ledger.size > settings.UPLOAD_MAX_BYTES:
        raise Problem(413, _("The file is too large."))
    upload = uploads.start_upload(kind=UploadKind.LEDGER, operator=user.operator, user=user, ledger=ledger)
    upload = _start(request, upload)
    return Status(201 if upload.state == UploadState.CHECKED else 202, _upload_out(upload))


def _upload(request, upload_id: str) -> PendingUpload:
    operator_user(request)
    try:
        pk = uuid.UUID(upload_id)
    except ValueError as error:  # not an id the API gave: nothing is there (not a server error)
        raise problems.not_found() from error
    return get_visible(PendingUpload.objects.visible_to(request.auth).select_related("period"), pk)


@router.get("/uploads/{upload_id}", response=UploadOut, summary="An upload's state and preview")
def upload_detail(request, upload_id: str):
    return _upload_out(_upload(request, upload_id))


@router.post("/uploads/{upload_id}/confirm", response=ConfirmOut, summary="Confirm a preview: store it")
def upload_confirm(request, upload_id: str, answer: ConfirmIn):
    """Every warning needs an explanation (by its ``index``); the files are checked again and
    stored in one transaction. A monthly report then awaits its manager's certification."""
    upload = _upload(request, upload_id)
    try:
        result = uploads.confirm(upload, user=request.auth, explanations=dict(answer.explanations))
    except (uploads.UploadRefused, submissions.SubmissionRefused) as refused:
        raise Problem(409, str(refused), kind="refused") from refused
    if upload.kind == UploadKind.MONTHLY:
        return {"kind": upload.kind, "submission_id": result.pk, "version": result.version}
    return {
        "kind": upload.kind,
        "rows_added": result.rows_added,
        "rows_updated": result.rows_updated,
        "rows_unchanged": result.rows_unchanged,
    }


@router.post("/uploads/{upload_id}/discard", response={204: None}, summary="Discard an upload")
def upload_discard(request, upload_id: str):
    upload = _upload(request, upload_id)
    uploads.discard(upload)
    return Status(204, None)


# --- Submissions -----------------------------------------------------------------------------------------


def _submission_out(submission: MonthlySubmission) -> dict:
    return {
        "id": submission.pk,
        "operator": submission.operator.code,
        "period": submission.period.label,
        "version": submission.version,
        "state": submission.state,
        "narrative": submission.narrative,
        "major_problem": submission.major_problem,
        "receipt_no": submission.receipt_no,
        "created_at": submission.created_at,
        "confirmed_at": submission.confirmed_at,
        "submitted_at": submission.submitted_at,
        "decided_at": submission.decided_at,
        "return_comment": submission.return_comment,
        "warnings": submission.warnings,
    }


def _figure(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


@router.get("/submissions", response=SubmissionPage, summary="Monthly report versions")
def submission_list(
    request,
    period: str | None = None,
    operator: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    """Every version the caller may see: an operator its own, the administration the certified
    ones of every operator (as the dashboard)."""
    rows = MonthlySubmission.objects.visible_to(request.auth).select_related("operator", "period")
    if request.auth.is_regulator:
        rows = rows.filter(submitted_at__isnull=False)
    if period:
        rows = rows.filter(period=_period_or_none(period))
    if operator:
        rows = rows.filter(operator__code=operator)
    page, following = paginate(rows, cursor, limit)
    return {"items": [_submission_out(s) for s in page], "next_cursor": following}


def _period_or_none(label: str):
    try:
        year, month = Period.parse_label(label)
    except ValueError as error:
        raise Problem(422, str(error)) from error
    return Period.objects.filter(month=dt.date(year, month, 1)).first()


def _submission(request, pk: int) -> MonthlySubmission:
    rows = MonthlySubmission.objects.visible_to(request.auth).select_related("operator", "period")
    if request.auth.is_regulator:
        rows = rows.filter(submitted_at__isnull=False)
    return get_visible(rows, pk)


@router.get("/submissions/{pk}", response=SubmissionDetailOut, summary="One version, with its figures")
def submission_detail(request, pk: int):
    submission = _submission(request, pk)
    figures = [
        {"city": row.city.code, "values": {name: _figure(getattr(row, name)) for name in row.FIGURES}}
        for row in submission.figures.select_related("city")
    ]
    return {**_submission_out(submission), "figures": figures}


@router.post("/submissions/{pk}/certify", response=SubmissionOut, summary="Certify a version (a manager)")
def submission_certify(request, pk: int, answer: CertifyIn):
    """A manager of the operator certifies a confirmed version, attesting it as on the web: the
    administration then sees it, and the receipt is issued."""
    manager = manager_user(request)
    submission = _submission(request, pk)
    if not answer.attested:
        raise Problem(422, _("Certify only with the attestation: send attested true."), kind="not-attested")
    kwargs = {}
    if "attested" in inspect.signature(submissions.certify).parameters:
        kwargs["attested"] = True
    try:
        submission = submissions.certify(submission, manager=manager, **kwargs)
    except submissions.SubmissionRefused as refused:
        raise Problem(409, str(refused), kind="refused") from refused
    return _submission_out(submission)


@router.get("/submissions/{pk}/receipt", response=ReceiptOut, summary="The receipt of a certified version")
def submission_receipt(request, pk: int):
    submission = _submission(request, pk)
    if not submission.receipt_no:
        raise Problem(404, _("This version has no receipt: it is not certified."))
    return {"receipt_no": submission.receipt_no, "text": receipt_text(submission)}
