"""The administration's feeds (staff and leadership tokens): the indicators exactly as the
dashboard computes them (``analytics.indicators``), the completeness matrix
(``reporting.completeness``) and the complaint ledger by filter, streamed (masked numbers only)."""

from __future__ import annotations

import datetime as dt
import json

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from supervision.analytics import indicators
from supervision.core import dates
from supervision.core.models import Operator, Period
from supervision.reporting import completeness
from supervision.reporting.models import ComplaintRecord

from .base import administration_user
from .problems import Problem

router = Router(tags=["administration"])

GROUPINGS = {
    "province": (),
    "operator": ("operator",),
    "city": ("city",),
    "operator,city": ("operator", "city"),
}


class IndicatorOut(Schema):
    indicator: str
    label: str
    unit: str
    month: str
    operator: str | None
    city: str | None
    numerator: str | None = Field(description="decimal as text: what the value divides")
    denominator: str | None
    scale: int
    value: str | None = Field(description="the exact value (numerator / denominator × scale), as text")
    text: str = Field(description="the value as the dashboard prints it (rounded, or —)")


class CellOut(Schema):
    operator: str
    period: str
    status: str = Field(description="accepted, returned, on_time, late, missing or not_due")
    label: str
    submission_id: int | None
    first_submitted_at: dt.datetime | None


def _month(label: str) -> dt.date:
    try:
        year, month = Period.parse_label(label)
    except ValueError as error:
        raise Problem(422, str(error)) from error
    return dt.date(year, month, 1)


def _text(number) -> str | None:
    return None if number is None else str(number)


@router.get("/indicators", response=list[IndicatorOut], summary="Indicators with numerator and denominator")
def indicator_list(request, month: str, by: str = "operator", indicator: str | None = None):
    """Every indicator of DOMAIN.md for one month, for the province, per operator, per city or per
    operator and city: the very values the dashboard shows (``analytics.indicators``)."""
    administration_user(request)
    first = _month(month)
    if by not in GROUPINGS:
        raise Problem(422, _("Group by one of: %(choices)s.") % {"choices": ", ".join(GROUPINGS)})
    grouping = GROUPINGS[by]
    chosen = indicators.INDICATORS
    if indicator:
        if indicator not in indicators.INDICATORS_BY_CODE:
            raise Problem(422, _("No indicator is called “%(code)s”.") % {"code": indicator})
        chosen = [indicators.INDICATORS_BY_CODE[indicator]]
    rows = []
    with indicators.shared_sums():
        for item in chosen:
            if "city" in grouping and not item.per_city:
                continue
            values = item.compute([first], by=grouping)
            for key, value in sorted(values.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
                named = dict(zip(grouping, key[: len(grouping)], strict=False))
                rows.append(
                    {
                        "indicator": item.code,
                        "label": str(item.label),
                        "unit": item.unit,
                        "month": f"{key[-1]:%Y-%m}" if hasattr(key[-1], "year") else month,
                        "operator": named.get("operator"),
                        "city": named.get("city"),
                        "numerator": _text(value.numerator),
                        "denominator": _text(value.denominator),
                        "scale": value.scale,
                        "value": _text(value.value),
                        "text": item.text(value),
                    }
                )
    return rows


@router.get("/completeness", response=list[CellOut], summary="Who has reported: operator × month")
def completeness_matrix(request, first: str, last: str | None = None):
    """The reporting page's matrix (``reporting.completeness``) for the months ``first``..``last``."""
    administration_user(request)
    start, end = _month(first), _month(last or first)
    if end < start or (end.year - start.year) * 12 + end.month - start.month > 36:
        raise Problem(422, _("Ask for 1 to 37 months, the first before the last."))
    months = []
    month = start
    while month <= end:
        months.append(month)
        month = dates.next_month(month)
    periods = [Period.objects.get_or_create(month=m)[0] for m in months]
    operators = list(Operator.objects.all())
    cells = completeness.matrix(periods, operators)
    return [
        {
            "operator": cell.operator.code,
            "period": cell.period.label,
            "status": cell.status,
            "label": str(cell.label),
            "submission_id": cell.submission_id,
            "first_submitted_at": cell.first_submitted_at,
        }
        for cell in (cells[(o.pk, p.pk)] for p in periods for o in operators)
    ]


LEDGER_FIELDS = (
    "operator__code",
    "complaint_no",
    "received_on",
    "city__code",
    "channel",
    "category__code",
    "msisdn_masked",
    "summary",
    "status",
    "resolved_on",
    "resolution",
    "satisfaction",
)
LEDGER_NAMES = (
    "operator",
    "complaint_no",
    "received_on",
    "city",
    "channel",
    "category",
    "msisdn_masked",
    "summary",
    "status",
    "resolved_on",
    "resolution",
    "satisfaction",
)


@router.get(
    "/ledger",
    response={200: None},
    summary="The complaint ledger by filter, streamed as JSON lines",
    openapi_extra={
        "responses": {
            200: {
                "description": "one complaint a line (application/x-ndjson); numbers masked",
                "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
            }
        }
    },
)
def ledger(
    request,
    operator: str | None = None,
    city: str | None = None,
    month: str | None = None,
    status: str | None = None,
):
    """Every complaint matching the filters, one JSON object a line, as the database yields them:
    a whole year's ledger never sits in memory. Subscriber numbers are masked as stored."""
    administration_user(request)
    rows = ComplaintRecord.objects.visible_to(request.auth)
    if operator:
        rows = rows.filter(operator__code=operator)
    if city:
        rows = rows.filter(city__code=city)
    if status:
        rows = rows.filter(status=status)
    if month:
        first = _month(month)
        rows = rows.filter(received_on__gte=first, received_on__lt=dates.next_month(first))
    values = rows.order_by("received_on", "pk").values_list(*LEDGER_FIELDS)

    def lines():
        for row in values.iterator(chunk_size=2000):
            record = dict(zip(LEDGER_NAMES, row, strict=True))
            for name in ("received_on", "resolved_on"):
                if record[name] is not None:
                    record[name] = record[name].isoformat()
            yield json.dumps(record, ensure_ascii=False) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
