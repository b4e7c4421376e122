"""How a view carries out a change a service may refuse; shared by every face and app.

A service that refuses a change raises a subclass of ``Refused`` whose message says why, in the
user's language (``casework.rules.TransitionRefused``, ``meetings.services.MeetingRefused``,
``briefings.services.BriefingRefused``). The views show it: after a button as an error message,
on a form page as the page again with the refusal.
"""

from django.contrib import messages
from django.shortcuts import redirect


class Refused(Exception):
    """A change the rules do not allow for this user or in this state; the message says why."""


def form_errors(form) -> str:
    """Every error of a form in one line, for a message after a button."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def attempt(request, action, success: str | None = None) -> bool:
    """Run a service call; a refusal becomes an error message, success the ``success`` message."""
    try:
        action()
    except Refused as refused:
        messages.error(request, str(refused))
        return False
    if success:
        messages.success(request, success)
    return True


def post_action(request, obj, service, success: str | None, redirect_to: str, *, form=None, **kwargs):
    """A button that changes ``obj``: call the service, say how it went, go back to ``redirect_to``.

    A ``form``, when given, must be valid (else its errors are the message and nothing changes);
    its cleaned data go to the service with ``kwargs``.
    """
    if form is not None and not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        data = {**kwargs, **(form.cleaned_data if form is not None else {})}
        attempt(request, lambda: service(obj, user=request.user, **data), success)
    return redirect(redirect_to)
