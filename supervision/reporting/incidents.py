"""Major problems (重大问题随时上报): reported at any time, the administration told at once, then
followed until the administration closes them.

The life of a major problem is the ``ACTIONS`` table below: the operator concerned (its reporting
staff or managers) sends follow-up reports (续报) any number of times and states the recovery
(when service was restored, the cause, the measures against recurrence); the administration's
staff review it and close it, or ask for more information (需补充) first, which the operator
answers with a follow-up (or a new statement of recovery). Leadership reads. Each function runs
in a transaction, checks its action on the locked row (``actions.check``), refuses what the
table does not allow (``IncidentRefused``), writes one step of the timeline (``IncidentUpdate``)
and one audit entry (``core.audit.log``). While it is open the reminders ask the operator for a
follow-up, and the staff for their review once it is recovered; the operator is told at once
when the administration asks for more or closes it (``reminders.py``).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from supervision.core import audit
from supervision.core.actions import OPERATOR, STAFF, Action, Refused, check
from supervision.core.actions import allowed as table_allows
from supervision.core.dates import local_time

from . import reminders
from .models import Incident, IncidentState, IncidentUpdate, IncidentUpdateKind


class IncidentRefused(Refused):
    """A change the rules do not allow; the message says why, in the user's language."""


# --- Who may do what, and when ------------------------------------------------------------------

# The report itself: a new major problem has no state yet.
REPORT_ACTIONS = {
    "report": Action("report", gettext_lazy("report a major problem"), OPERATOR, None),
}

S = IncidentState
_NOT_RECOVERED = frozenset({S.REPORTED, S.MORE_INFO})
ACTIONS = {
    # A follow-up may come at any time until it is closed; it answers a request for more.
    "follow_up": Action(
        "follow_up",
        gettext_lazy("send a follow-up report on this major problem"),
        OPERATOR,
        frozenset({S.REPORTED, S.MORE_INFO, S.RECOVERED}),
    ),
    "recover": Action(
        "recover",
        gettext_lazy("report the recovery of this major problem"),
        OPERATOR,
        _NOT_RECOVERED,
        S.RECOVERED,
    ),
    "ask_more": Action(
        "ask_more",
        gettext_lazy("ask for more information on this major problem"),
        STAFF,
        frozenset({S.REPORTED, S.RECOVERED}),
        S.MORE_INFO,
    ),
    "close": Action(
        "close", gettext_lazy("close this major problem"), STAFF, frozenset({S.RECOVERED}), S.CLOSED
    ),
}


def register_audit() -> None:
    """Make the incidents' audit entries readable on the audit trail page (from ``ready``)."""
    audit.register(Incident, REPORT_ACTIONS, ACTIONS, url_name="control:incident")


def allowed(incident: Incident, user) -> set[str]:
    """The changes ``user`` may make to ``incident`` now: the page's buttons and forms."""
    return table_allows(ACTIONS, incident, user)


def _check(name: str, incident: Incident, user, **kwargs) -> Action:
    action = {**REPORT_ACTIONS, **ACTIONS}[name]
    check(action, incident, user, refused=IncidentRefused, **kwargs)
    return action


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise IncidentRefused(message)
    return text


def _step(incident: Incident, kind: str, user, now: dt.datetime, **fields) -> IncidentUpdate:
    return IncidentUpdate.objects.create(incident=incident, kind=kind, author=user, at=now, **fields)


# --- The life ----------------------------------------------------------------------------------


@transaction.atomic
def report(incident: Incident, *, operator, user) -> Incident:
    """Record the report and, in the same transaction, its mail to every staff member (the event
    mail ``reporting.incident_reported``, sent once the report has committed)."""
    action = _check("report", incident, user, operator_id=operator.pk)
    now = timezone.now()
    incident.operator = operator
    incident.reported_by = user
    incident.state = S.REPORTED
    incident.reported_at = incident.updated_at = now
    incident.save()
    audit.log(incident, action, user, {"operator": operator})
    reminders.incident_reported(incident)
    return incident


@transaction.atomic
def follow_up(incident: Incident, *, user, text: str) -> IncidentUpdate:
    """A follow-up report (续报): how things stand now. It answers a request for more
    information: the problem is back where it was (reported, or recovered if it was)."""
    incident = _locked(incident)
    action = _check("follow_up", incident, user)
    text = _required(text, _("Write the follow-up: what has happened since, and what is being done."))
    now = timezone.now()
    update = _step(incident, IncidentUpdateKind.FOLLOW_UP, user, now, text=text)
    if incident.state == S.MORE_INFO:
        incident.state = S.RECOVERED if incident.recovered_at else S.REPORTED
    incident.updated_at = now
    incident.save(update_fields=["state", "updated_at"])
    audit.log(incident, action, user, {"note": update.text})
    return update


@transaction.atomic
def recover(
    incident: Incident, *, user, recovered_at: dt.datetime, cause: str, measures: str
) -> IncidentUpdate:
    """The operator states that service is restored: when, why it failed, and what it does so
    that it does not happen again. The administration then reviews it."""
    incident = _locked(incident)
    action = _check("recover", incident, user)
    now = timezone.now()
    if recovered_at is None or recovered_at > now:
        raise IncidentRefused(_("The recovery time cannot be in the future."))
    if recovered_at < incident.since:
        raise IncidentRefused(
            _("The recovery time cannot be before the problem began (%(since)s).")
            % {"since": f"{local_time(incident.since):%Y-%m-%d %H:%M}"}
        )
    cause = _required(cause, _("State the cause of the problem."))
    measures = _required(measures, _("State the measures taken so that it does not happen again."))
    update = _step(
        incident,
        IncidentUpdateKind.RECOVERY,
        user,
        now,
        text=measures,
        recovered_at=recovered_at,
        cause=cause,
    )
    incident.state = S.RECOVERED
    incident.recovered_at, incident.cause, incident.recovery_measures = (
        recovered_at,
        update.cause,
        update.text,
    )
    incident.updated_at = now
    incident.save(update_fields=["state", "recovered_at", "cause", "recovery_measures", "updated_at"])
    audit.log(incident, action, user, {"recovered_at": recovered_at, "cause": update.cause})
    return update


@transaction.atomic
def ask_more(incident: Incident, *, user, text: str) -> IncidentUpdate:
    """The administration asks the operator for more information (需补充) before it can close."""
    incident = _locked(incident)
    action = _check("ask_more", incident, user)
    text = _required(text, _("Say what information is missing: the operator reads this."))
    now = timezone.now()
    update = _step(incident, IncidentUpdateKind.MORE_INFO, user, now, text=text)
    incident.state = S.MORE_INFO
    incident.updated_at = now
    incident.save(update_fields=["state", "updated_at"])
    audit.log(incident, action, user, {"reason": update.text})
    reminders.incident_decided(incident, update)
    return update


@transaction.atomic
def close(incident: Incident, *, user, text: str = "") -> IncidentUpdate:
    """The administration has reviewed the recovery and closes the major problem (已结案)."""
    incident = _locked(incident)
    action = _check("close", incident, user)
    now = timezone.now()
    update = _step(incident, IncidentUpdateKind.CLOSE, user, now, text=(text or "").strip())
    incident.state = S.CLOSED
    incident.closed_at, incident.closed_by = now, user
    incident.updated_at = now
    incident.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    audit.log(incident, action, user, {"comment": update.text})
    reminders.incident_decided(incident, update)
    return update


# --- What the pages show -----------------------------------------------------------------------


def timeline(incident: Incident) -> list[IncidentUpdate]:
    """The steps after the report, oldest first, with their authors (one query)."""
    return list(incident.updates.select_related("author"))


def duration_text(delta: dt.timedelta) -> str:
    """``3 days 5 hours`` (3 天 5 小时), ``5 hours``, ``40 minutes``: a duration in words."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, hours = minutes // (24 * 60), minutes // 60 % 24
    if not days and not hours:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    return " ".join(parts)


def age_text(incident: Incident, now: dt.datetime | None = None) -> str:
    """How long it has been open: ``Reported 3 days 5 hours ago`` (已报告 3 天 5 小时), or once
    closed, how long it took: ``Closed after 2 days 3 hours``."""
    if incident.closed_at is not None:
        return _("Closed after %(duration)s") % {
            "duration": duration_text(incident.closed_at - incident.reported_at)
        }
    now = now or timezone.now()
    return _("Reported %(duration)s ago") % {"duration": duration_text(now - incident.reported_at)}


def page_context(incident: Incident, user) -> dict:
    """What both faces show of a major problem: its facts, its timeline, how long it has been
    open, the changes the user may make now and the mail about it the user may see."""
    steps = timeline(incident)
    asked = [step for step in steps if step.kind == IncidentUpdateKind.MORE_INFO]
    return {
        "incident": incident,
        "timeline": steps,
        # What the administration asked for, while it waits for the answer.
        "asked": asked[-1] if asked and incident.state == S.MORE_INFO else None,
        "age": age_text(incident),
        "allowed": allowed(incident, user),
        "reminders": reminders.for_incident(incident, user=user),
    }
