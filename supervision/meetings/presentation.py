"""What both faces do alike on the meeting pages; each face only adds its permission, its namespace,
its templates and its words.

Every change goes through one function of ``services``, called as ``service(obj, user=…, **data)``;
its refusal (``MeetingRefused``) becomes an error message for the user, its success a success
message.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from supervision.core.actions import attempt, form_errors, post_action  # noqa: F401 — the faces use them from here
from supervision.core.dates import local_date

from . import calendars, reminders, services
from .models import CalendarFeed, Meeting


def visible_meeting(request, pk) -> Meeting:
    """A meeting the user may see: another operator's, or one it is not invited to, is a 404."""
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("series"), pk=pk)


def attach_reminders(request, items) -> None:
    """Each action item's reminders (those the user may see), fetched for all of them at once."""
    found = reminders.for_action_items(items, user=request.user)
    for item in items:
        item.reminders = found[item.pk]


def form_page(request, obj, form, service, success: str, redirect_to: str, template: str, context: dict):
    """A page with a form about ``obj``: shown on GET; a valid POST goes to the service with the
    form's cleaned data and, once done, to ``redirect_to``. An invalid form shows the page again
    with its errors, a refusal with the refusal as a message.
    """
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, lambda: service(obj, user=request.user, **form.cleaned_data), success)
    ):
        return redirect(redirect_to)
    return render(request, template, {**context, "form": form})


def meeting_ics(request, pk, *, namespace: str) -> HttpResponse:
    """The meeting as a calendar file to download, linking back to its page in the user's face."""
    meeting = visible_meeting(request, pk)
    body = calendars.download_ics(
        meeting,
        url=request.build_absolute_uri(reverse(f"{namespace}:meeting", args=[pk])),
        viewer=request.user,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"meeting-{local_date(meeting.starts_at):%Y%m%d}.ics"
    )
    return response


# --- The user's own calendar address -------------------------------------------------------------


def calendar_address(request, *, namespace: str):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(calendars.feed_path(feed.token)) if feed else None
    context = {
        "feed_url": feed_url,
        "feed": feed,
        "reset_url": reverse(f"{namespace}:calendar_reset"),
        "revoke_url": reverse(f"{namespace}:calendar_revoke"),
    }
    return render(request, "meetings/calendar.html", context)


def reset_calendar(request, *, namespace: str):
    services.reset_feed(request.user)
    messages.success(request, _("Your calendar has a new address; any earlier one no longer works."))
    return redirect(f"{namespace}:calendar_address")


def revoke_calendar(request, *, namespace: str):
    services.revoke_feed(request.user)
    messages.success(request, _("Your calendar address is turned off."))
    return redirect(f"{namespace}:calendar_address")
