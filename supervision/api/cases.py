"""Findings, orders, interviews, major problems, meetings and action items: the lists and pages a
token's user may see (``visible_to``), and the operator's answers where the web lets it answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from supervision.casework import findings as finding_services
from supervision.casework import orders as order_services
from supervision.casework.models import InspectionFinding, InterviewNotice, RectificationOrder, ResponseKind
from supervision.core import dates
from supervision.meetings import services as meeting_services
from supervision.meetings.models import ActionItem, Meeting
from supervision.reporting.models import Incident

from .base import Page, get_visible, operator_user, paginate
from .problems import Problem

router = Router(tags=["cases"])

# A row's id as the API gives it: a positive 64-bit integer (a larger one cannot be looked up).
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- Schemas ---------------------------------------------------------------------------------------


class FindingOut(Schema):
    id: int
    operator: str
    city: str
    visit_date: dt.date
    channel: str
    method: str
    scenario: str
    violation: bool
    description: str
    clause: str | None
    severity: str
    agency: str
    state: str
    published_at: dt.datetime | None


class FindingPage(Page):
    items: list[FindingOut]


class OrderOut(Schema):
    id: int
    operator: str
    document_no: str | None
    title: str
    requirements: str
    severity: str
    deadline: dt.datetime
    state: str
    issued_at: dt.datetime | None
    closed_at: dt.datetime | None


class OrderPage(Page):
    items: list[OrderOut]


class InterviewOut(Schema):
    id: int
    operator: str
    document_no: str | None
    reason: str
    scheduled_at: dt.datetime
    place: str
    persons_required: str
    confirmed_attendees: str
    state: str
    issued_at: dt.datetime | None


class InterviewPage(Page):
    items: list[InterviewOut]


class IncidentOut(Schema):
    id: int
    operator: str
    title: str
    description: str
    city: str | None
    since: dt.datetime
    subscribers_affected: int
    measures: str
    state: str
    reported_at: dt.datetime
    recovered_at: dt.datetime | None
    closed_at: dt.datetime | None


class IncidentPage(Page):
    items: list[IncidentOut]


class MeetingOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    state: str
    invited: list[str]


class MeetingPage(Page):
    items: list[MeetingOut]


class ActionItemOut(Schema):
    id: int
    meeting_id: int
    title: str
    details: str
    operator: str | None
    due_on: dt.date
    state: str
    done_at: dt.datetime | None


class ActionItemPage(Page):
    items: list[ActionItemOut]


class ResponseIn(Schema):
    text: str = Field(min_length=1)
    contest: bool = Field(False, description="true: the operator contests the finding")


class ExtensionIn(Schema):
    reason: str = Field(min_length=1)
    proposed_date: dt.date


class AttendeesIn(Schema):
    attendee_ids: list[RowId] = Field(default_factory=list, description="the operator's users who attend")
    others: list[tuple[str, str]] = Field(default_factory=list, description="others, as [name, title]")
    declined: bool = False
    note: str = ""


class Done(Schema):
    id: int
    state: str


# --- Rows as JSON ----------------------------------------------------------------------------------


def _finding(f: InspectionFinding) -> dict:
    return {
        "id": f.pk,
        "operator": f.operator.code,
        "city": f.city.code,
        "visit_date": f.visit_date,
        "channel": f.channel,
        "method": f.method,
        "scenario": f.scenario,
        "violation": f.violation,
        "description": f.description,
        "clause": f.clause.code if f.clause_id else None,
        "severity": f.severity,
        "agency": f.agency,
        "state": f.state,
        "published_at": f.published_at,
    }


def _order(o: RectificationOrder) -> dict:
    return {
        "id": o.pk,
        "operator": o.operator.code,
        "document_no": o.document_no,
        "title": o.title,
        "requirements": o.requirements,
        "severity": o.severity,
        "deadline": o.deadline,
        "state": o.state,
        "issued_at": o.issued_at,
        "closed_at": o.closed_at,
    }


def _interview(n: InterviewNotice) -> dict:
    return {
        "id": n.pk,
        "operator": n.operator.code,
        "document_no": n.document_no,
        "reason": n.reason,
        "scheduled_at": n.scheduled_at,
        "place": n.place,
        "persons_required": n.persons_required,
        "confirmed_attendees": n.confirmed_attendees,
        "state": n.state,
        "issued_at": n.issued_at,
    }


def _incident(i: Incident) -> dict:
    return {
        "id": i.pk,
        "operator": i.operator.code,
        "title": i.title,
        "description": i.description,
        "city": i.city.code if i.city_id else None,
        "since": i.since,
        "subscribers_affected": i.subscribers_affected,
        "measures": i.measures,
        "state": i.state,
        "reported_at": i.reported_at,
        "recovered_at": i.recovered_at,
        "closed_at": i.closed_at,
    }


def _meeting(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "title": m.series.title,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": m.place,
        "state": m.state,
        "invited": [i.operator.code for i in m.invitations.all()],
    }


def _action_item(a: ActionItem) -> dict:
    return {
        "id": a.pk,
        "meeting_id": a.meeting_id,
        "title": a.title,
        "details": a.details,
        "operator": a.operator.code if a.operator_id else None,
        "due_on": a.due_on,
        "state": a.state,
        "done_at": a.done_at,
    }


def _month_range(month: str | None):
    """``YYYY-MM`` → its first day and the next month's, in Asia/Shanghai."""
    if not month:
        return None
    from supervision.core.models import Period

    try:
        year, number = Period.parse_label(month)
    except ValueError as error:
        raise Problem(422, str(error)) from error
    first = dt.date(year, number, 1)
    return dates.start_of_day(first), dates.start_of_day(dates.next_month(first))


def _filtered(rows, *, operator=None, state=None, city=None):
    if operator:
        rows = rows.filter(operator__code=operator)
    if state:
        rows = rows.filter(state=state)
    if city:
        rows = rows.filter(city__code=city)
    return rows


# --- Findings --------------------------------------------------------------------------------------


@router.get("/findings", response=FindingPage, summary="Inspection and mystery-shopper findings")
def finding_list(
    request,
    operator: str | None = None,
    state: str | None = None,
    city: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    rows = InspectionFinding.objects.visible_to(request.auth).select_related("operator", "city", "clause")
    page, following = paginate(_filtered(rows, operator=operator, state=state, city=city), cursor, limit)
    return {"items": [_finding(f) for f in page], "next_cursor": following}


@router.get("/findings/{pk}", response=FindingOut)
def finding_detail(request, pk: int):
    return _finding(get_visible(InspectionFinding.objects.visible_to(request.auth), pk))


@router.post("/findings/{pk}/response", response=Done, summary="Respond to a finding, or contest it")
def finding_respond(request, pk: int, answer: ResponseIn):
    user = operator_user(request)
    finding = get_visible(InspectionFinding.objects.visible_to(user), pk)
    kind = ResponseKind.CONTEST if answer.contest else ResponseKind.RESPONSE
    finding_services.respond_to_finding(finding, user=user, kind=kind, text=answer.text)
    finding.refresh_from_db()
    return {"id": finding.pk, "state": finding.state}


# --- Orders ----------------------------------------------------------------------------------------


@router.get("/orders", response=OrderPage, summary="Rectification orders")
def order_list(
    request, operator: str | None = None, state: str | None = None, cursor: str | None = None, limit: int = 50
):
    rows = RectificationOrder.objects.visible_to(request.auth).select_related("operator")
    page, following = paginate(_filtered(rows, operator=operator, state=state), cursor, limit)
    return {"items": [_order(o) for o in page], "next_cursor": following}


@router.get("/orders/{pk}", response=OrderOut)
def order_detail(request, pk: int):
    return _order(get_visible(RectificationOrder.objects.visible_to(request.auth), pk))


def _operator_order(request, pk) -> RectificationOrder:
    user = operator_user(request)
    return get_visible(RectificationOrder.objects.visible_to(user), pk)


@router.post("/orders/{pk}/acknowledge", response=Done, summary="Acknowledge an order")
def order_acknowledge(request, pk: int):
    order = order_services.acknowledge_order(_operator_order(request, pk), user=request.auth)
    return {"id": order.pk, "state": order.state}


@router.post("/orders/{pk}/extension", response=Done, summary="Ask for a later deadline")
def order_extension(request, pk: int, answer: ExtensionIn):
    order = _operator_order(request, pk)
    extension = order_services.ask_extension(
        order, user=request.auth, reason=answer.reason, proposed_date=answer.proposed_date
    )
    return {"id": extension.pk, "state": extension.state}


@router.post("/orders/{pk}/report", response=Done, summary="Submit the rectification report, with its files")
def order_report(request, pk: int, text: Form[str], files: File[list[UploadedFile]]):
    """As multipart/form-data, as the portal's form: ``text`` (what was rectified) and one or more
    ``files`` (the signed report, photos, recordings), each accepted only by its content; one
    refused file refuses the whole report (409, naming the file), and nothing is kept."""
    order = _operator_order(request, pk)
    report = order_services.submit_report(order, user=request.auth, text=text, uploads=files)
    order.refresh_from_db()
    return {"id": report.pk, "state": order.state}


# --- Interviews, major problems ----------------------------------------------------------------------


@router.get("/interviews", response=InterviewPage, summary="Interview notices")
def interview_list(
    request, operator: str | None = None, state: str | None = None, cursor: str | None = None, limit: int = 50
):
    rows = InterviewNotice.objects.visible_to(request.auth).select_related("operator")
    page, following = paginate(_filtered(rows, operator=operator, state=state), cursor, limit)
    return {"items": [_interview(n) for n in page], "next_cursor": following}


@router.get("/interviews/{pk}", response=InterviewOut)
def interview_detail(request, pk: int):
    return _interview(get_visible(InterviewNotice.objects.visible_to(request.auth), pk))


@router.get("/incidents", response=IncidentPage, summary="Major problems")
def incident_list(
    request,
    operator: str | None = None,
    state: str | None = None,
    city: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    rows = Incident.objects.visible_to(request.auth).select_related("operator", "city")
    page, following = paginate(_filtered(rows, operator=operator, state=state, city=city), cursor, limit)
    return {"items": [_incident(i) for i in page], "next_cursor": following}


@router.get("/incidents/{pk}", response=IncidentOut)
def incident_detail(request, pk: int):
    return _incident(get_visible(Incident.objects.visible_to(request.auth), pk))


# --- Meetings and action items ---------------------------------------------------------------------


@router.get("/meetings", response=MeetingPage, summary="Consultation meetings")
def meeting_list(request, month: str | None = None, cursor: str | None = None, limit: int = 50):
    rows = (
        Meeting.objects.visible_to(request.auth)
        .distinct()
        .select_related("series")
        .prefetch_related("invitations__operator")
    )
    if (bounds := _month_range(month)) is not None:
        rows = rows.filter(starts_at__gte=bounds[0], starts_at__lt=bounds[1])
    page, following = paginate(rows, cursor, limit)
    return {"items": [_meeting(m) for m in page], "next_cursor": following}


@router.get("/meetings/{pk}", response=MeetingOut)
def meeting_detail(request, pk: int):
    rows = Meeting.objects.visible_to(request.auth).distinct().select_related("series")
    return _meeting(get_visible(rows, pk))


@router.post("/meetings/{pk}/attendees", response=Done, summary="Name who attends for the operator")
def meeting_attendees(request, pk: int, answer: AttendeesIn):
    user = operator_user(request)
    meeting = get_visible(Meeting.objects.visible_to(user).distinct(), pk)
    invitation = meeting_services.answer_attendance(
        meeting,
        user=user,
        attendees=list(
            meeting_services.attendee_choices(user.operator_id).filter(pk__in=answer.attendee_ids)
        ),
        others=[tuple(o) for o in answer.others],
        declined=answer.declined,
        note=answer.note,
    )
    return {"id": invitation.pk, "state": "declined" if invitation.declined else "answered"}


@router.get("/action-items", response=ActionItemPage, summary="Meetings' action items")
def action_item_list(
    request, operator: str | None = None, state: str | None = None, cursor: str | None = None, limit: int = 50
):
    rows = ActionItem.objects.visible_to(request.auth).select_related("operator")
    page, following = paginate(_filtered(rows, operator=operator, state=state), cursor, limit)
    return {"items": [_action_item(a) for a in page], "next_cursor": following}


@router.get("/action-items/{pk}", response=ActionItemOut)
def action_item_detail(request, pk: int):
    return _action_item(get_visible(ActionItem.objects.visible_to(request.auth), pk))
