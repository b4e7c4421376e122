"""The private calendar feed: the one view outside both faces, authenticated by its token alone.

Calendar programs cannot log in, so the address itself is the secret: a long random token, stored
per user, that the user can reset at any time (the old address then answers 404). The feed shows
what that user may see on the site, no more: their meetings, interviews and open orders' deadlines.
"""

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from supervision.casework.models import (
    OPEN_ORDER_STATES,
    UNSEEN_INTERVIEW_STATES,
    InterviewNotice,
    RectificationOrder,
)

from . import calendars
from .models import AgendaItem, CalendarFeed, Meeting

# How far back the feed reaches; calendar programs keep what they have already seen.
FEED_PAST_DAYS = 92


@require_GET
def calendar_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    if not user.is_active or not (user.is_regulator or user.is_operator_user):
        raise Http404
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(starts_at__gte=since)
        .select_related("series")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.accepted().shown_to(user),
                to_attr="agenda",
            )
        )
    )
    interviews = (
        InterviewNotice.objects.visible_to(user)
        .filter(scheduled_at__gte=since)
        .exclude(state__in=UNSEEN_INTERVIEW_STATES)  # drafts and withdrawn drafts are nobody's date
        .select_related("operator")
    )
    orders = (
        RectificationOrder.objects.visible_to(user)
        .filter(state__in=OPEN_ORDER_STATES)
        .select_related("operator")
    )
    with translation.override(user.language):
        body = calendars.feed_ics(
            user,
            meetings=meetings,
            interviews=interviews,
            orders=orders,
            name=_("Number portability supervision"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
