"""The life of an inspection finding: recorded (or imported) as a draft, evidence attached,
published to its operator, answered or contested by it, upheld or withdrawn by the staff.

One service function per change; each runs in a transaction on the locked row, checks the
action against ``ACTIONS`` (role and state), writes the timeline event and queues the mail.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.core.audit import save_by

from . import attachments, events, mail
from .models import (
    EventKind,
    FindingResponse,
    FindingState,
    InspectionFinding,
    ResponseKind,
)
from .rules import OPERATOR, STAFF, Action, TransitionRefused, check

S = FindingState
_DECIDABLE = frozenset({S.PUBLISHED, S.RESPONDED, S.CONTESTED})

ACTIONS = {
    "edit": Action("edit", gettext_lazy("edit this finding"), STAFF, frozenset({S.DRAFT})),
    "publish": Action(
        "publish", gettext_lazy("publish this finding"), STAFF, frozenset({S.DRAFT}), S.PUBLISHED
    ),
    "add_evidence": Action(
        "add_evidence",
        gettext_lazy("attach evidence to this finding"),
        STAFF,
        frozenset({S.DRAFT, S.PUBLISHED, S.RESPONDED, S.CONTESTED, S.UPHELD}),
    ),
    "respond": Action(
        "respond", gettext_lazy("respond to this finding"), OPERATOR, frozenset({S.PUBLISHED}), S.RESPONDED
    ),
    "contest": Action(
        "contest", gettext_lazy("contest this finding"), OPERATOR, frozenset({S.PUBLISHED}), S.CONTESTED
    ),
    "uphold": Action("uphold", gettext_lazy("uphold this finding"), STAFF, _DECIDABLE, S.UPHELD),
    "withdraw": Action("withdraw", gettext_lazy("withdraw this finding"), STAFF, _DECIDABLE, S.WITHDRAWN),
}

# The fields staff fill in (FORMATS.md §3), in the form's order.
FIELDS = [
    "operator",
    "city",
    "visit_date",
    "channel",
    "site",
    "method",
    "scenario",
    "violation",
    "description",
    "clause",
    "severity",
    "agency",
]


def _locked(finding: InspectionFinding) -> InspectionFinding:
    return (
        InspectionFinding.objects.select_for_update(of=("self",))
        .select_related("operator")
        .get(pk=finding.pk)
    )


@transaction.atomic
def create_finding(*, user, **fields) -> InspectionFinding:
    """Record a visit on the site, as a draft (only the administration's staff)."""
    if not getattr(user, "is_regulator_staff", False):
        raise TransitionRefused(_("Only the administration's case officers may record a finding."))
    finding = InspectionFinding(state=S.DRAFT, created_by=user, **fields)
    save_by(finding, user)
    events.record(EventKind.CREATED, finding, actor=user)
    return finding


@transaction.atomic
def update_finding(finding: InspectionFinding, *, user, **fields) -> InspectionFinding:
    """Correct a draft; a published finding is answered, not edited."""
    finding = _locked(finding)
    check(ACTIONS["edit"], finding, user)
    changed = [name for name, value in fields.items() if getattr(finding, name) != value]
    if not changed:
        return finding
    for name in changed:
        setattr(finding, name, fields[name])
    save_by(finding, user)
    events.record(EventKind.EDITED, finding, actor=user, data={"fields": changed})
    return finding


def has_evidence(finding: InspectionFinding) -> bool:
    """Whether the administration attached evidence (the operator's answers carry their own files)."""
    return finding.files.filter(response=None).exists()


@transaction.atomic
def publish_finding(finding: InspectionFinding, *, user) -> InspectionFinding:
    """Show a draft to its operator, who is told by mail and may then respond or contest. A problem
    found is published with what was found, the clause, the severity and its evidence."""
    finding = _locked(finding)
    check(ACTIONS["publish"], finding, user)
    if finding.violation and not (finding.description and finding.clause_id and finding.severity):
        raise TransitionRefused(
            _("Say what was found, the clause breached and the severity before publishing.")
        )
    if finding.violation and not has_evidence(finding):
        raise TransitionRefused(
            _("Attach the evidence before publishing: the operator answers a problem found on its evidence.")
        )
    finding.state = S.PUBLISHED
    finding.published_at = timezone.now()
    save_by(finding, user, "published")
    events.record(EventKind.PUBLISHED, finding, actor=user)
    mail.queue("finding_published", finding)
    return finding


@transaction.atomic
def add_evidence(finding: InspectionFinding, uploads, *, user) -> list:
    """Attach evidence files (photos, recordings, videos, PDF), each checked by its content."""
    finding = _locked(finding)
    check(ACTIONS["add_evidence"], finding, user)
    checked = attachments.check_all(uploads)
    if not checked:
        raise TransitionRefused(_("Choose at least one file."))
    stored = []
    for uploaded, info in checked:
        case_file = attachments.store(uploaded, info, user=user, finding=finding)
        events.record(
            EventKind.FILE_ADDED, finding, actor=user, data=events.file_data(case_file), case_file=case_file
        )
        stored.append(case_file)
    return stored


@transaction.atomic
def respond_to_finding(
    finding: InspectionFinding, *, user, kind: str, text: str, uploads=()
) -> FindingResponse:
    """The operator answers a published finding, or contests it, with its text and files; the
    administration's staff are told by mail."""
    finding = _locked(finding)
    action = ACTIONS["contest" if kind == ResponseKind.CONTEST else "respond"]
    check(action, finding, user)
    if not text.strip():
        raise TransitionRefused(_("Write your response: the administration reads it before deciding."))
    checked = attachments.check_all(uploads)
    response = FindingResponse(finding=finding, kind=kind, text=text.strip(), submitted_by=user)
    save_by(response, user)
    files = [
        attachments.store(uploaded, info, user=user, finding=finding, response=response)
        for uploaded, info in checked
    ]
    finding.state = action.target
    save_by(finding, user, action.name)
    events.record(
        EventKind.CONTESTED if kind == ResponseKind.CONTEST else EventKind.RESPONDED,
        finding,
        actor=user,
        text=response.text,
        data={"files": [events.file_data(f) for f in files]},
    )
    # The administration's staff are told at once: the finding awaits their decision.
    mail.queue("finding_contested" if kind == ResponseKind.CONTEST else "finding_responded", finding)
    return response


@transaction.atomic
def decide_finding(finding: InspectionFinding, *, user, uphold: bool, note: str = "") -> InspectionFinding:
    """The staff's decision on a published finding, after its operator's answer (or without one)."""
    finding = _locked(finding)
    action = ACTIONS["uphold" if uphold else "withdraw"]
    check(action, finding, user)
    if not uphold and not note.strip():
        raise TransitionRefused(_("Say why the finding is withdrawn: the operator reads it."))
    finding.state = action.target
    finding.decided_at = timezone.now()
    finding.decided_by = user
    finding.decision_note = note.strip()
    save_by(finding, user, action.name)
    events.record(EventKind.UPHELD if uphold else EventKind.WITHDRAWN, finding, actor=user, text=note.strip())
    return finding
