"""The official words of casework's choices, keyed by the choices: every choice a signed document
can name has its word, so a choice added to an enum without one fails here rather than printing
its code (``COVERT``, ``report_submitted``) in an official document."""

from supervision.briefings import content, figures
from supervision.casework import ingest
from supervision.casework.models import (
    CIRCULATED_FINDING_STATES,
    METHOD_WORDS,
    SEVERITY_WORDS,
    UNSEEN_ORDER_STATES,
    FindingState,
    InspectionMethod,
    OrderState,
    Severity,
)


def test_every_method_and_severity_has_its_official_word():
    assert list(METHOD_WORDS) == list(InspectionMethod)
    assert list(SEVERITY_WORDS) == list(Severity)
    assert METHOD_WORDS[InspectionMethod.COVERT] == "暗访"
    assert SEVERITY_WORDS[Severity.MAJOR] == "较重"
    # The inspection template accepts the same words.
    for method, word in METHOD_WORDS.items():
        assert ingest.METHODS.get(word) == method
    for severity, word in SEVERITY_WORDS.items():
        assert ingest.SEVERITIES.get(word) == severity


def test_every_state_a_briefing_can_show_has_its_word():
    assert set(content.FINDING_STATES) == set(CIRCULATED_FINDING_STATES)
    assert set(content.ORDER_STATES) == set(OrderState) - set(UNSEEN_ORDER_STATES)
    assert all(isinstance(key, FindingState) for key in content.FINDING_STATES)
    assert all(isinstance(key, OrderState) for key in content.ORDER_STATES)
    # The drafts and the withdrawn never leave the administration.
    assert FindingState.DRAFT not in CIRCULATED_FINDING_STATES
    assert FindingState.WITHDRAWN not in CIRCULATED_FINDING_STATES


def test_every_report_status_and_reason_left_out_has_its_words():
    statuses = {figures.ON_TIME, figures.LATE, figures.RETURNED, figures.MISSING, figures.NOT_DUE}
    assert set(content.REPORT_STATES) == statuses
    assert set(content.LEFT_OUT_REASONS) == statuses - {figures.ON_TIME, figures.LATE}


def test_a_snapshots_plain_strings_find_the_words():
    # Approved briefings store their figures as JSON: the codes come back as plain strings.
    assert content.ORDER_STATES["verified"] == "已验收"
    assert content.FINDING_STATES["published"] == "已告知企业"
    assert METHOD_WORDS["MYSTERY_SHOPPER"] == "第三方体验"
