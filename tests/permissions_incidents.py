"""The permission matrix's entries for major problems (see tests/test_permissions.py): one of
operator A's, reported by its staff, on both faces."""

import datetime as dt

from supervision.core.models import SHANGHAI, Operator, User
from supervision.reporting import incidents
from supervision.reporting.models import Incident


def objects(objs):
    cmcc = Operator.objects.get(code="CMCC")
    reporter = User.objects.create(username="incident_reporter", role="operator_staff", operator=cmcc)
    incident = incidents.report(
        Incident(
            title="授权码短信下发延迟",
            description="-",
            since=dt.datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI),
            measures="-",
        ),
        operator=cmcc,
        user=reporter,
    )
    return {"incident": incident}


def _incident(objs):
    return {"pk": objs["incident"].pk}


URL_KWARGS = {
    "portal:incident": _incident,
    "portal:incident_follow_up": _incident,
    "portal:incident_recover": _incident,
    "control:incident": _incident,
    "control:incident_ask_more": _incident,
    "control:incident_close": _incident,
}
POST_ONLY = {
    "portal:incident_follow_up",
    "portal:incident_recover",
    "control:incident_ask_more",
    "control:incident_close",
}
REGULATOR_STAFF_ONLY = {"control:incident_ask_more", "control:incident_close"}
