"""One namespace for the codes of reminder rules and event mails.

An occasion's ``rule`` (``models.Occasion``) is either a reminder rule's code (``report_due``,
registered with ``rules.register``) or a kind of event mail's (``casework.order_issued``,
registered with ``outbox.register``); ``services.send`` looks the code up in both. So a code
belongs to one of them only: both registers claim their codes here, from the apps'
``AppConfig.ready``.
"""

from django.core.exceptions import ImproperlyConfigured

# The length of Occasion.rule and ReminderSetting.rule.
CODE_MAX = 40

RULE, EVENT_MAIL = "a reminder rule", "an event mail"

_CODES: dict[str, str] = {}


def claim(code: str, what: str) -> None:
    """Claim ``code`` for a reminder rule or an event mail; claiming it again for the same is fine
    (registering a code again replaces the rule or the mail)."""
    if not code or len(code) > CODE_MAX:
        raise ImproperlyConfigured(f"a code has 1 to {CODE_MAX} characters: {code!r}")
    taken = _CODES.setdefault(code, what)
    if taken != what:
        raise ImproperlyConfigured(f"{code!r} is {taken}, not {what}")
