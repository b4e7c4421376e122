"""What monthly reporting leaves waiting for whom (``core.queues``), registered from ``ready``.

- the administration's staff: certified reports to accept or return, major problems to follow
  (reported, or recovered awaiting their review);
- an operator's managers: stored versions to certify (on the version's page, where the button is);
- an operator's reporting staff: reports returned, with the administration's reason, until a
  corrected version is stored; the month's report still to file once its window is open; and
  the major problems not recovered yet (a follow-up owed, or the administration's question).

Each queue is one query (``core.queues.take``) whatever the number of reports; an operator's
user only ever sees its own operator's.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from supervision.core import dates, queues
from supervision.core.models import Period, Role

from .models import (
    Incident,
    IncidentState,
    IncidentUpdate,
    IncidentUpdateKind,
    MonthlySubmission,
    SubmissionState,
)
from .submissions import window_is_open

S = SubmissionState


def _title(submission: MonthlySubmission, *, with_operator: bool) -> str:
    name = _("Monthly report %(period)s, version %(version)s") % {
        "period": submission.period.label,
        "version": submission.version,
    }
    return f"{submission.operator.short_name} · {name}" if with_operator else name


def to_accept(user, now) -> queues.Queue | None:
    """Staff: certified versions awaiting the administration's decision, the longest waiting first."""
    rows, count = queues.take(
        MonthlySubmission.objects.visible_to(user)
        .filter(state=S.SUBMITTED)
        .select_related("operator", "period")
        .order_by("submitted_at", "pk")
    )

    def item(row):
        late = row.submitted_at > row.period.late_after
        return queues.Item(
            title=_title(row, with_operator=True),
            url=reverse("control:submission", args=[row.pk]),
            extra=_("certified late") if late else "",
            since=row.submitted_at,
        )

    return queues.queue(
        "reporting.to_accept", _("Monthly reports to accept or return"), rows, count, item,
        url=reverse("control:reporting"),
    )  # fmt: skip


def to_certify(user, now) -> queues.Queue | None:
    """Managers: confirmed versions of their operator awaiting certification, the oldest month first."""
    rows, count = queues.take(
        MonthlySubmission.objects.visible_to(user)
        .filter(state=S.AWAITING_CERTIFICATION)
        .select_related("operator", "period")
        .order_by("period__month", "version")
    )

    def item(row):
        return queues.Item(
            title=_title(row, with_operator=False),
            url=reverse("portal:submission", args=[row.pk]),
            due=row.period.due_at,
            overdue=now > row.period.late_after,
            extra=_("Stored by %(user)s; certify it on its page.") % {"user": row.created_by or "—"},
            since=row.confirmed_at or row.created_at,
        )

    return queues.queue(
        "reporting.to_certify", _("Monthly reports to certify"), rows, count, item,
        url=reverse("portal:submissions"),
    )  # fmt: skip


def returned(user, now) -> queues.Queue | None:
    """Reporting staff: their operator's reports the administration returned, with its reason,
    until a corrected version is stored (then the manager certifies it)."""
    corrected = MonthlySubmission.objects.filter(
        operator=OuterRef("operator"),
        period=OuterRef("period"),
        version__gt=OuterRef("version"),
        state__in=[S.AWAITING_CERTIFICATION, S.SUBMITTED, S.ACCEPTED],
    )
    rows, count = queues.take(
        MonthlySubmission.objects.visible_to(user)
        .returned()
        .exclude(Exists(corrected))
        .select_related("operator", "period", "created_by")
        .order_by("period__month", "pk")
    )

    def item(row):
        return queues.Item(
            title=_title(row, with_operator=False),
            url=reverse("portal:submission", args=[row.pk]),
            due=row.period.due_at,
            overdue=now > row.period.late_after,
            extra=_("Returned: %(reason)s") % {"reason": row.return_comment},
            since=row.decided_at,
        )

    return queues.queue(
        "reporting.returned", _("Returned monthly reports to correct"), rows, count, item,
        url=reverse("portal:submissions"),
    )  # fmt: skip


def to_file(user, now) -> queues.Queue | None:
    """Reporting staff: the last complete month's report, and the current month's once its filing
    window is open, while the operator has stored no version of it (returned ones are above)."""
    this_month = dates.month_of(dates.local_date(now))
    months = [dates.add_months(this_month, -1), this_month]
    known = {p.month: p for p in Period.objects.filter(month__in=months)}
    periods = [known.get(month) or Period(month=month) for month in months]
    periods = periods[:1] + [p for p in periods[1:] if window_is_open(p, now)]
    periods = [p for p in periods if not p.is_locked]
    filed = set(
        MonthlySubmission.objects.visible_to(user)
        .filter(period__month__in=[p.month for p in periods])
        .exclude(state=S.DRAFT)
        .values_list("period__month", flat=True)
    )
    owed = [p for p in periods if p.month not in filed]
    items = [
        queues.Item(
            title=_("Monthly report %(period)s") % {"period": p.label},
            url=reverse("portal:submission_new"),
            due=p.due_at,
            overdue=now > p.late_after,
            extra=_("Not filed yet: upload it, then a manager certifies it."),
        )
        for p in owed
    ]
    if not items:
        return None
    return queues.Queue(
        key="reporting.to_file",
        label=_("Monthly reports to file"),
        items=sorted(items, key=queues.Item.sort_key),
        count=len(items),
        url=reverse("portal:submissions"),
    )


def _incident_title(incident: Incident, *, with_operator: bool) -> str:
    return f"{incident.operator.short_name} · {incident.title}" if with_operator else incident.title


def incidents_to_follow(user, now) -> queues.Queue | None:
    """Staff: major problems reported or recovered that are not closed, the oldest first; one the
    staff asked more about waits for the operator instead."""
    rows, count = queues.take(
        Incident.objects.visible_to(user)
        .filter(state__in=[IncidentState.REPORTED, IncidentState.RECOVERED])
        .select_related("operator")
        .order_by("reported_at", "pk")
    )

    def item(row):
        if row.state == IncidentState.RECOVERED:
            extra = _("Recovered: review it and close it, or ask for more.")
        else:
            extra = _("Not recovered yet; last update %(when)s.") % {
                "when": dates.moment_label(row.updated_at)
            }
        return queues.Item(
            title=_incident_title(row, with_operator=True),
            url=reverse("control:incident", args=[row.pk]),
            extra=extra,
            since=row.reported_at,
        )

    return queues.queue(
        "reporting.incidents_to_follow", _("Major problems to follow"), rows, count, item,
        url=reverse("control:incidents") + "?state=open",
    )  # fmt: skip


def incidents_to_update(user, now) -> queues.Queue | None:
    """Reporting staff: their operator's major problems not recovered yet: a follow-up report is
    owed, and the administration's question when it asked for more."""
    asked = IncidentUpdate.objects.filter(
        incident=OuterRef("pk"), kind=IncidentUpdateKind.MORE_INFO
    ).order_by("-at", "-pk")
    rows, count = queues.take(
        Incident.objects.visible_to(user)
        .filter(state__in=[IncidentState.REPORTED, IncidentState.MORE_INFO])
        .annotate(question=Subquery(asked.values("text")[:1]))
        .select_related("operator")
        .order_by("reported_at", "pk")
    )

    def item(row):
        if row.state == IncidentState.MORE_INFO:
            extra = _("The administration asks: %(question)s") % {"question": row.question or "—"}
        else:
            extra = _("Send a follow-up report, or report the recovery.")
        return queues.Item(
            title=_incident_title(row, with_operator=False),
            url=reverse("portal:incident", args=[row.pk]),
            extra=extra,
            since=row.reported_at,
        )

    return queues.queue(
        "reporting.incidents_to_update", _("Major problems to follow up"), rows, count, item,
        url=reverse("portal:incidents"),
    )  # fmt: skip


PROVIDERS = {
    Role.REGULATOR_STAFF: [to_accept, incidents_to_follow],
    Role.OPERATOR_MANAGER: [to_certify],
    Role.OPERATOR_STAFF: [returned, to_file, incidents_to_update],
}


def register() -> None:
    """Offer these queues to the home pages (from ``ReportingConfig.ready``)."""
    for role, providers in PROVIDERS.items():
        queues.register(role, *providers)


def for_user(user, now=None) -> list[queues.Queue]:
    """What monthly reporting leaves waiting for ``user``."""
    return queues.gather(PROVIDERS.get(user.role, []), user, now)
