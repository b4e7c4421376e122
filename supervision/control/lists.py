"""The dashboard's lists: complaints, inspection findings, rectification orders, and for user
administrators the log of who saw personal data.

Each list is a FilterSet, a Table and an Exporter over one queryset. The URL carries the whole
state (filters, ``sort``, ``page``), so a link sent to a colleague shows the same rows; adding
``export=csv`` or ``export=xlsx`` to it downloads every row the list holds (all pages), in the
order of the screen. A list of complaints records each download in the personal-data access
log (``core.access``), as the complaint's page records each opening.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Case, F, QuerySet, Value, When
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.functional import Promise, cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from supervision.casework.models import InspectionFinding, RectificationOrder
from supervision.core import access
from supervision.core.exports import FORMATS, Exporter
from supervision.core.models import City, PersonalDataAccess, PersonalDataUse, ViolationCategory
from supervision.core.permissions import regulator_required, user_administrator_required
from supervision.reporting.models import (
    Channel,
    ComplaintRecord,
    ComplaintStatus,
    Incident,
    IncidentState,
    Satisfaction,
)

from . import filters, tables


@dataclass(frozen=True)
class ListPage:
    """One list of the dashboard: what it shows and how it is filtered, shown and exported."""

    title: str | Promise
    template: str
    filterset: type
    table: type
    exporter: Exporter
    count_text: Callable[[int], str]
    # What a download of the list counts as in the personal-data access log; None: not logged.
    personal_data: PersonalDataUse | None = None
    # Free-text filters: the log keeps that one was used, never its words.
    text_filters: tuple[str, ...] = ("q",)
    # Count at most this many rows (a list of a million rows): above it the page says "more
    # than", and its pages reach that many rows; the download still has every row.
    count_cap: int | None = None
    capped_text: Callable[[int], str] | None = None


class CappedPaginator(Paginator):
    """Django's paginator over a table's rows, counting at most ``cap`` of them.

    ``SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)``: the database stops at the first
    ``cap + 1`` matching index entries instead of counting every match of a broad filter
    (a third of a million for one operator). ``capped`` says whether there were more.
    """

    def __init__(self, object_list, per_page, *, cap: int, queryset: QuerySet, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap, self.queryset, self.capped = cap, queryset, False

    @cached_property
    def count(self) -> int:
        found = self.queryset.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


def render_list(request, page: ListPage, queryset: QuerySet):
    """The page, or its download when the URL asks for one (``export=csv|xlsx``).

    Queries: the filter form's reference choices, then one count and one page of rows,
    whatever the page size (the table's columns are all ``select_related``).
    """
    filterset = page.filterset(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    # An invalid filter (a month like 2026-13) shows its error and no rows, never all of them.
    rows = filterset.qs if valid else filterset.queryset.none()
    # ``sort`` may name several columns, comma-separated or repeated: "operator,-received_on".
    table = page.table(rows, order_by=",".join(request.GET.getlist("sort")) or None)
    table.caption = page.title
    table.data.data = stable_order(table.data.data)

    export = request.GET.get("export")
    if export in FORMATS and valid:
        # The Table served only to turn ``sort`` into the screen's ORDER BY: no row of it is
        # built for a download, which streams every filtered row from ``values_list``.
        if page.personal_data:
            access.record(
                request.user,
                page.personal_data,
                filters=access.query_filters(request.GET, filterset.form.fields, texts=page.text_filters)
                | {"format": export},
                rows=rows.count(),
            )
        return page.exporter.response(table.data.data, export)

    paging = {"page": request.GET.get("page", 1), "per_page": tables.PER_PAGE}
    if page.count_cap:
        paging.update(paginator_class=CappedPaginator, cap=page.count_cap, queryset=table.data.data)
    try:
        table.paginate(**paging)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)

    count = table.paginator.count
    capped = getattr(table.paginator, "capped", False)
    return render(
        request,
        page.template,
        {
            "title": page.title,
            "filter": filterset,
            "table": table,
            "count": count,
            "count_text": page.capped_text(count) if capped else page.count_text(count),
            "exports": _export_links(request),
            "filtered": any(request.GET.get(name) for name in filterset.form.fields),
        },
    )


def stable_order(queryset: QuerySet) -> QuerySet:
    """The queryset's ordering, then the primary key: rows that tie on the sorted column keep
    the same order on every page and in the download."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return queryset.order_by(*ordering, "pk")


def _export_links(request) -> list[tuple[str, str]]:
    params = request.GET.copy()
    for name in ("page", "export"):
        params.pop(name, None)
    links = []
    for fmt, label in (("csv", _("CSV")), ("xlsx", _("Excel (.xlsx)"))):
        params["export"] = fmt
        links.append((label, "?" + params.urlencode()))
    return links


# --- Complaint ledger -----------------------------------------------------------------------

COMPLAINTS = ListPage(
    title=_("Complaint ledger"),
    template="control/complaints.html",
    filterset=filters.ComplaintFilter,
    table=tables.ComplaintTable,
    exporter=tables.complaint_exporter,
    count_text=lambda n: (
        ngettext("%(count)s complaint matches the filters.", "%(count)s complaints match the filters.", n)
        % {"count": number_format(n, force_grouping=True)}
    ),
    personal_data=PersonalDataUse.COMPLAINT_EXPORT,
    count_cap=10_000,
    capped_text=lambda n: (
        _(
            "More than %(count)s complaints match the filters: the pages show the first %(count)s in this "
            "order. Narrow the filters, or download them all."
        )
        % {"count": number_format(n, force_grouping=True)}
    ),
)


def complaint_queryset(user) -> QuerySet:
    return ComplaintRecord.objects.visible_to(user).select_related("operator", "city", "category")


@regulator_required
def complaints(request):
    return render_list(request, COMPLAINTS, complaint_queryset(request.user))


# How each field of a revision reads: the choices whose labels replace the stored values.
_REVISION_CHOICES = {"channel": Channel, "status": ComplaintStatus, "satisfaction": Satisfaction}


@regulator_required
def complaint_detail(request, pk):
    complaint = get_object_or_404(
        complaint_queryset(request.user).select_related("first_upload__uploaded_by"), pk=pk
    )
    access.record(
        request.user,
        PersonalDataUse.COMPLAINT_DETAIL,
        filters={"operator": complaint.operator.code},
        rows=1,
        object_id=complaint.pk,
    )
    revisions = complaint.revisions.select_related("upload__uploaded_by")
    # Revisions name cities and categories by their codes, as the ledger files do.
    names = {
        "city": {city.code: city.name for city in City.objects.all()},
        "category": {category.code: category.label for category in ViolationCategory.objects.all()},
    }
    names.update({field: dict(choices.choices) for field, choices in _REVISION_CHOICES.items()})

    def shown(field, value):
        if value in (None, ""):
            return None
        return names.get(field, {}).get(value, value)

    history = [
        {
            "revision": revision,
            "changes": [
                {
                    "field": _field_label(field),
                    "old": shown(field, old),
                    "new": shown(field, new),
                }
                for field, (old, new) in revision.changes.items()
            ],
        }
        for revision in revisions
    ]
    return render(
        request,
        "control/complaint_detail.html",
        {
            "complaint": complaint,
            "history": history,
            "orders": complaint.orders.live().select_related("operator").order_by("deadline"),
        },
    )


def _field_label(name: str):
    try:
        return capfirst(ComplaintRecord._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field the ledger no longer has: its name is still worth showing
        return name


# --- Inspection findings --------------------------------------------------------------------

FINDINGS = ListPage(
    title=_("Inspection findings"),
    template="control/findings.html",
    filterset=filters.FindingFilter,
    table=tables.FindingTable,
    exporter=tables.finding_exporter,
    count_text=lambda n: (
        ngettext("%(count)s inspection matches the filters.", "%(count)s inspections match the filters.", n)
        % {"count": number_format(n, force_grouping=True)}
    ),
)


@regulator_required
def findings(request):
    queryset = InspectionFinding.objects.visible_to(request.user).select_related("operator", "city", "clause")
    return render_list(request, FINDINGS, queryset)


# --- Rectification orders -------------------------------------------------------------------

ORDERS = ListPage(
    title=_("Rectification orders"),
    template="control/orders.html",
    filterset=filters.OrderFilter,
    table=tables.OrderTable,
    exporter=tables.order_exporter,
    count_text=lambda n: (
        ngettext(
            "%(count)s rectification order matches the filters.",
            "%(count)s rectification orders match the filters.",
            n,
        )
        % {"count": number_format(n, force_grouping=True)}
    ),
)


@regulator_required
def orders(request):
    # Days left and overdue: one definition, on the orders' queryset (casework.models).
    queryset = (
        RectificationOrder.objects.visible_to(request.user)
        .select_related("operator")
        .with_days_left()
        .with_overdue()
    )
    return render_list(request, ORDERS, queryset)


# --- Major problems -------------------------------------------------------------------------

INCIDENTS = ListPage(
    title=_("Major problems"),
    template="control/incidents.html",
    filterset=filters.IncidentFilter,
    table=tables.IncidentTable,
    exporter=tables.incident_exporter,
    count_text=lambda n: (
        ngettext(
            "%(count)s major problem matches the filters.", "%(count)s major problems match the filters.", n
        )
        % {"count": number_format(n, force_grouping=True)}
    ),
)


@regulator_required
def incidents(request):
    """Open ones first (the longest open at the top), then the closed, newest first."""
    closed_last = Case(When(state=IncidentState.CLOSED, then=Value(1)), default=Value(0))
    queryset = (
        Incident.objects.visible_to(request.user)
        .select_related("operator", "city")
        .alias(closed=closed_last)
        .order_by("closed", F("closed_at").desc(nulls_last=True), "reported_at")
    )
    return render_list(request, INCIDENTS, queryset)


# --- Personal-data access log ---------------------------------------------------------------

ACCESS_LOG = ListPage(
    title=_("Personal data access log"),
    template="control/access_log.html",
    filterset=filters.AccessFilter,
    table=tables.AccessTable,
    exporter=tables.access_exporter,
    count_text=lambda n: (
        ngettext("%(count)s access matches the filters.", "%(count)s accesses match the filters.", n)
        % {"count": number_format(n, force_grouping=True)}
    ),
)


@user_administrator_required
def access_log(request):
    """Who saw personal data (``core.access``), newest first: for user administrators alone."""
    queryset = PersonalDataAccess.objects.select_related("user__operator")
    return render_list(request, ACCESS_LOG, queryset)
