"""The briefing's life: draft → approved → circulated, one function per change of state.

Each function runs in one transaction, locks the briefing's row, checks that the change is
allowed for this person and this state (the ``ACTIONS`` table below), raises ``BriefingRefused``
(with a message for the page) when it is not, and writes one audit entry (``core.audit.log``).
Who may do what: the administration's staff draft, edit, correct and circulate; leadership
approves; the operators never see a draft. An approved briefing never changes again: a correction
is a new version of the same month, drafted from the texts of the one it corrects.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.core import audit, dates, distribution
from supervision.core.actions import LEADER, STAFF, Action, Refused, check
from supervision.core.models import DocumentSeries, Operator, Period
from supervision.core.numbering import highest_on, next_number

from . import charts, content, documents, figures, mail
from .models import Briefing, BriefingDownload, BriefingState

TEXT_FIELDS = ("opening", "commentary", "requirements")
# The briefings' own series ("briefing" in core.numbering), so their numbers never collide with the
# orders' and interviews' (settings.DOCUMENT_NUMBER_PATTERN): "鲁通管通〔2026〕3号".
DEFAULT_NUMBER_PATTERN = "鲁通管通〔{year}〕{seq}号"


class BriefingRefused(Refused):
    """A change the briefing's state or the person's role does not allow; the message says why."""


# A month's first draft: the staff's, when the month has no briefing yet (checked by ``start``).
MONTH_ACTIONS = {"start": Action("start", gettext_lazy("draft a briefing"), STAFF, None)}

B = BriefingState
ACTIONS = {
    "edit": Action("edit", gettext_lazy("edit this briefing"), STAFF, frozenset({B.DRAFT})),
    "approve": Action(
        "approve", gettext_lazy("approve this briefing"), LEADER, frozenset({B.DRAFT}), B.APPROVED
    ),
    "circulate": Action(
        "circulate", gettext_lazy("circulate this briefing"), STAFF, frozenset({B.APPROVED}), B.CIRCULATED
    ),
    # A new draft version of the month; only from the latest version (checked by ``correct``).
    "correct": Action(
        "correct", gettext_lazy("correct this briefing"), STAFF, frozenset({B.APPROVED, B.CIRCULATED})
    ),
}


def register_audit() -> None:
    """Make the briefings' audit entries readable on the audit trail page (from ``ready``)."""
    audit.register(Briefing, MONTH_ACTIONS, ACTIONS, url_name="control:briefing")


def _check(name: str, obj, user) -> Action:
    action = {**MONTH_ACTIONS, **ACTIONS}[name]
    check(action, obj, user, refused=BriefingRefused)
    return action


def _lock(briefing: Briefing) -> Briefing:
    return Briefing.objects.select_for_update().select_related("period").get(pk=briefing.pk)


def _require(condition: bool, message: str):
    if not condition:
        raise BriefingRefused(message)


# --- What a briefing shows ----------------------------------------------------------------------


def current_figures(briefing: Briefing) -> dict:
    """The frozen figures of an approved briefing; a draft's, computed now."""
    return briefing.figures if briefing.figures is not None else figures.build(briefing.period)


def compose(briefing: Briefing, data: dict | None = None) -> content.Composition:
    data = data if data is not None else current_figures(briefing)
    approved_on = dates.local_date(briefing.approved_at) if briefing.approved_at else None
    corrects = briefing.corrects
    return content.compose(
        figures=data,
        opening=briefing.opening,
        commentary=briefing.commentary,
        requirements=briefing.requirements,
        document_no=briefing.document_no,
        date=approved_on or dates.today(),
        corrects=f"{corrects.document_no}通报" if corrects and corrects.document_no else None,
    )


def render(briefing: Briefing, data: dict | None = None, kinds=("docx", "pdf")) -> dict[str, bytes]:
    """The briefing's files by kind (``docx``, ``pdf``), made now: a draft's, or from a snapshot."""
    data = data if data is not None else current_figures(briefing)
    composition = compose(briefing, data)
    images = {key: charts.render(key, data) for key in charts.KEYS}
    created = briefing.approved_at or timezone.now()
    makers = {"docx": documents.render_docx, "pdf": documents.render_pdf}
    return {kind: makers[kind](composition, images, created=created) for kind in kinds}


def circulated():
    """The briefings the operators may read and download: those circulated, newest month first.

    Every briefing is addressed to all the operators, so each operator's portal lists them all
    from the moment they are circulated, and none before (a draft or a merely approved one is a
    404 there).
    """
    return Briefing.objects.filter(circulated_at__isnull=False).select_related("period")


def record_download(briefing: Briefing, user, kind: str) -> None:
    """Note the first time a user of an operator downloads a circulated briefing (any later one
    adds nothing), so that its page shows that the operator has it."""
    if not getattr(user, "is_operator_user", False) or briefing.circulated_at is None:
        return
    BriefingDownload.objects.bulk_create(
        [BriefingDownload(briefing=briefing, user=user, operator_id=user.operator_id, kind=kind)],
        ignore_conflicts=True,
    )


# --- Numbers -------------------------------------------------------------------------------------


def next_document_number(at: dt.datetime) -> str:
    """The next number of the year of ``at`` (Asia/Shanghai); call inside the approving transaction."""
    pattern = getattr(settings, "BRIEFING_NUMBER_PATTERN", DEFAULT_NUMBER_PATTERN)
    year = dates.local_date(at).year
    seq = next_number(
        DocumentSeries.BRIEFING,
        year,
        highest=lambda: highest_on([Briefing.objects.all()], "document_no", pattern, year),
    )
    return pattern.format(year=year, seq=seq)


# --- Changes of state ----------------------------------------------------------------------------


@transaction.atomic
def start(period: Period, *, user) -> Briefing:
    """Draft the first version of the briefing of ``period``."""
    action = _check("start", period, user)
    existing = Briefing.objects.select_for_update().filter(period=period).order_by("-version").first()
    if existing is not None:
        if existing.is_draft:
            raise BriefingRefused(
                _("A draft of the %(month)s briefing exists: edit it.") % {"month": period.label}
            )
        raise BriefingRefused(
            _("The %(month)s briefing is approved: correct it with a new version instead.")
            % {"month": period.label}
        )
    briefing = Briefing(period=period, version=1, created_by=user, **content.default_texts(period.label))
    audit.save_by(briefing, user)
    audit.log(briefing, action, user)
    return briefing


@transaction.atomic
def edit(briefing: Briefing, *, user, **texts) -> Briefing:
    """Change the text sections of a draft; the figures are never edited."""
    briefing = _lock(briefing)
    action = _check("edit", briefing, user)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not a text section: {', '.join(sorted(unknown))}")
    for name, value in texts.items():
        setattr(briefing, name, value.strip())
    briefing.edited_by, briefing.edited_at = user, timezone.now()
    audit.save_by(briefing, user)
    audit.log(briefing, action, user)
    return briefing


@transaction.atomic
def approve(briefing: Briefing, *, user, now: dt.datetime | None = None) -> Briefing:
    """Leadership's approval: freeze the figures, number the briefing, store its .docx and PDF."""
    briefing = _lock(briefing)
    action = _check("approve", briefing, user)
    now = now or timezone.now()
    briefing.figures = figures.build(briefing.period, now=now)
    briefing.document_no = next_document_number(now)
    briefing.state = BriefingState.APPROVED
    briefing.approved_by, briefing.approved_at = user, now
    files = render(briefing, briefing.figures)
    docx, pdf = files["docx"], files["pdf"]
    briefing.docx_file.save(documents.file_name(briefing, "docx"), ContentFile(docx), save=False)
    briefing.pdf_file.save(documents.file_name(briefing, "pdf"), ContentFile(pdf), save=False)
    briefing.docx_sha256 = hashlib.sha256(docx).hexdigest()
    briefing.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    audit.save_by(briefing, user)
    audit.log(briefing, action, user, {"document_no": briefing.document_no})
    return briefing


@transaction.atomic
def circulate(briefing: Briefing, *, user, without=()) -> Briefing:
    """Send an approved briefing to every operator's recipients of official documents and record
    it as a circulated notice; from then on every operator can download it in the portal.

    An operator nobody receives documents at (no manager, no designated contact a mail can reach:
    ``core.distribution``) is refused, unless the user confirmed circulating without it: ``without``
    names the operators' codes the user saw listed and accepted. The e-mails are recorded in the
    reminders' outbox in this transaction (``mail.queue``) and go out from the worker once it has
    committed.
    """
    briefing = _lock(briefing)
    action = _check("circulate", briefing, user)
    nobody = distribution.without_recipients()
    unconfirmed = [op for op in nobody if op.code not in set(without)]
    _require(
        not unconfirmed,
        _(
            "Nobody receives official documents at %(operators)s: give them a manager or a designated "
            "contact (distribution lists), or confirm that the briefing reaches them only in the portal."
        )
        % {"operators": distribution.names(unconfirmed)},
    )
    briefing.state = BriefingState.CIRCULATED
    briefing.circulated_by, briefing.circulated_at = user, timezone.now()
    audit.save_by(briefing, user)
    people = list(mail.recipients())
    record_circulation(briefing, user=user, recipients=people)
    audit.log(briefing, action, user, {"without_recipients": "、".join(op.short_zh for op in nobody)})
    mail.queue(briefing, people)
    return briefing


@transaction.atomic
def correct(briefing: Briefing, *, user) -> Briefing:
    """A new draft version of an approved briefing's month, starting from its texts."""
    briefing = _lock(briefing)
    action = _check("correct", briefing, user)
    latest = Briefing.objects.select_for_update().filter(period=briefing.period).order_by("-version").first()
    _require(
        latest.pk == briefing.pk,
        _("Version %(version)s of this month exists already: correct the latest version.")
        % {"version": latest.version},
    )
    correction = Briefing(
        period=briefing.period,
        version=briefing.version + 1,
        corrects=briefing,
        created_by=user,
        **{name: getattr(briefing, name) for name in TEXT_FIELDS},
    )
    audit.save_by(correction, user)
    audit.log(briefing, action, user, {"version": correction.version})
    return correction


def record_circulation(briefing: Briefing, *, user, recipients=None) -> list:
    """Record the circulated briefing as a circulated notice (通报), one record per operator.

    Through casework's record service (``casework.records.create_record``), so the notice
    appears in each operator's records with its timeline, like any notice the administration
    issues; it needs an operator, hence one record each. Its summary says what is true of that
    operator: whom the briefing was e-mailed to (``recipients``: the circulation's), or that
    nobody receives documents there; either way it is in the operator's portal.
    """
    from supervision.casework import records
    from supervision.casework.models import RecordKind

    if recipients is None:
        recipients = list(mail.recipients())
    date = dates.local_date(briefing.circulated_at)
    title = content.title(briefing.period.label)
    return [
        records.create_record(
            user=user,
            operator=operator,
            kind=RecordKind.CIRCULATED_NOTICE,
            document_no=briefing.document_no,
            date=date,
            title=title,
            summary=circulation_summary(briefing, [r for r in recipients if r.operator_id == operator.pk]),
        )
        for operator in Operator.objects.all()
    ]


def circulation_summary(briefing: Briefing, recipients) -> str:
    """The circulated notice's summary for one operator, in the document's language (Chinese)."""
    # Data in the document's language, like the briefing itself.
    name = f"{content.chinese_month(briefing.period.label)}携号转网服务监管情况月度通报（第{briefing.version}版）"
    if not recipients:
        return f"{name}，该企业没有公文接收人，未以电子邮件发送；可在门户“公文”中下载。"
    managers = [str(r) for r in recipients if distribution.why(r) == distribution.MANAGER]
    contacts = [str(r) for r in recipients if distribution.why(r) == distribution.CONTACT]
    to = "；".join(
        part
        for part in (
            f"企业负责人{'、'.join(managers)}" if managers else "",
            f"专班指定联系人{'、'.join(contacts)}" if contacts else "",
        )
        if part
    )
    return f"{name}，已以电子邮件发送至{to}；可在门户“公文”中下载。"
