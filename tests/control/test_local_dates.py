"""The administration's forms read the date in Shandong, not the server's: just after midnight
there, while it is still the day before in UTC, today's visit is not "in the future"."""

import datetime as dt

import pytest
import time_machine
from django import forms
from django.utils import translation

from supervision.control.forms.casework import FindingForm
from supervision.core.dates import SHANGHAI

# 00:30 on 2 March in Shandong: 16:30 on 1 March in UTC.
JUST_AFTER_MIDNIGHT = dt.datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI)


def _clean_visit_date(day):
    form = FindingForm()
    form.cleaned_data = {"visit_date": day}
    return form.clean_visit_date()


@pytest.mark.django_db
def test_a_visit_today_in_shandong_is_accepted_while_utc_is_still_yesterday():
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False), translation.override("en"):
        assert _clean_visit_date(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
        with pytest.raises(forms.ValidationError, match="in the future"):
            _clean_visit_date(dt.date(2026, 3, 3))
