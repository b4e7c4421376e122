"""The meetings' entries of the permission matrix (merged by tests/test_permissions.py).

A meeting of a series to which operator A (CMCC) is invited, with an agenda item, A's proposal and
A's action item: A's users reach all of them, the administration sees them, leadership only reads.
"""

import datetime as dt

from django.utils import timezone

from supervision.core.models import Operator, Role, User
from supervision.meetings import services
from supervision.meetings.models import MeetingSeries


def objects(base):
    cmcc = Operator.objects.get(code="CMCC")
    officer = User.objects.create(username="mt_officer", role=Role.REGULATOR_STAFF)
    first = timezone.now() + dt.timedelta(days=10)
    series = services.create_series(
        MeetingSeries(
            title="携号转网工作会商会", rrule="FREQ=MONTHLY", first_start=first, duration_minutes=120
        ),
        invited_operators=[cmcc],
        user=officer,
    )
    meeting = series.meetings.order_by("starts_at").first()
    item = services.add_item(meeting, title="通报上月携转情况", user=officer)
    proposer = User.objects.get(username="uploader")  # CMCC staff, created by the matrix
    proposal = services.propose_item(meeting, user=proposer, title="统一客服答复口径")
    action = services.add_action_item(
        meeting,
        title="报送投诉原因分析",
        operator=cmcc,
        due_on=timezone.localdate() + dt.timedelta(days=14),
        user=officer,
    )
    return {"series": series, "meeting": meeting, "agenda_item": item, "proposal": proposal, "action": action}


def _series(objs):
    return {"pk": objs["series"].pk}


def _meeting(objs):
    return {"pk": objs["meeting"].pk}


def _item(objs):
    return {"pk": objs["agenda_item"].pk}


def _proposal(objs):
    return {"pk": objs["proposal"].pk}


def _action(objs):
    return {"pk": objs["action"].pk}


URL_KWARGS = {
    "control:meeting_series": _series,
    "control:meeting_series_edit": _series,
    "control:meeting_add": _series,
    "control:meeting": _meeting,
    "control:meeting_move": _meeting,
    "control:meeting_cancel": _meeting,
    "control:meeting_ics": _meeting,
    "control:meeting_agenda_add": _meeting,
    "control:meeting_agenda_take": _meeting,
    "control:meeting_agenda_publish": _meeting,
    "control:meeting_attendance": _meeting,
    "control:meeting_minutes": _meeting,
    "control:meeting_minutes_publish": _meeting,
    "control:meeting_close": _meeting,
    "control:meeting_action_add": _meeting,
    "control:agenda_item_edit": _item,
    "control:agenda_item_delete": _item,
    "control:agenda_item_move": _item,
    "control:proposal_accept": _proposal,
    "control:proposal_decline": _proposal,
    "control:action_item_delete": _action,
    "control:action_item_done": _action,
    "control:action_item_reopen": _action,
    "portal:meeting": _meeting,
    "portal:meeting_attendance": _meeting,
    "portal:meeting_propose": _meeting,
    "portal:meeting_ics": _meeting,
    "portal:proposal_withdraw": _proposal,
    "portal:action_item": _action,
}

_STAFF_POSTS = {
    "control:meeting_cancel",
    "control:meeting_agenda_add",
    "control:meeting_agenda_take",
    "control:meeting_agenda_publish",
    "control:meeting_minutes_publish",
    "control:meeting_close",
    "control:meeting_action_add",
    "control:agenda_item_delete",
    "control:agenda_item_move",
    "control:proposal_accept",
    "control:proposal_decline",
    "control:action_item_delete",
    "control:action_item_done",
    "control:action_item_reopen",
}

POST_ONLY = _STAFF_POSTS | {
    # Everyone's own calendar address, leadership's included.
    "control:calendar_reset",
    "control:calendar_revoke",
    "portal:proposal_withdraw",
    "portal:calendar_reset",
    "portal:calendar_revoke",
}

REGULATOR_STAFF_ONLY = _STAFF_POSTS | {
    "control:meeting_series_new",
    "control:meeting_new",
    "control:meeting_series_edit",
    "control:meeting_add",
    "control:meeting_move",
    "control:meeting_attendance",
    "control:agenda_item_edit",
}
