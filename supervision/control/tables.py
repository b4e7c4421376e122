"""A Table per list of the dashboard, and beside it the exporter of its download.

Tables show a page (50 rows); exporters write every filtered row, in the same order, straight
from ``values_list`` (``supervision.core.exports``). The two list the same columns: a column
added to one belongs in the other.
"""

import json

import django_tables2 as tables
from django.db.models import F
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from supervision.casework.models import (
    FindingState,
    InspectionChannel,
    InspectionFinding,
    InspectionMethod,
    OrderState,
    RectificationOrder,
    Severity,
)
from supervision.casework.orders import days_left_text
from supervision.core.exports import Column, Exporter, field_header, yes_no
from supervision.core.models import PersonalDataAccess, PersonalDataUse, User
from supervision.reporting.incidents import age_text
from supervision.reporting.models import (
    Channel,
    ComplaintRecord,
    ComplaintStatus,
    Incident,
    IncidentState,
    Satisfaction,
)

PER_PAGE = 50
SUMMARY_LENGTH = 40


class ListTable(tables.Table):
    """What every list of the dashboard shares: Bootstrap classes, our table template."""

    class Meta:
        template_name = "control/includes/table.html"
        # cards: one card per row on a phone (site.css), each cell named by its column (table.html).
        attrs = {"class": "table table-sm table-hover align-middle cards"}
        per_page = PER_PAGE
        order_by_field = "sort"
        page_field = "page"


def _operator_column():
    return tables.Column(
        verbose_name=_("Operator"), accessor="operator__short_name", order_by=("operator__sort_order",)
    )


def _city_column(model):
    return tables.Column(
        verbose_name=field_header(model, "city"), accessor="city__name", order_by=("city__sort_order",)
    )


# --- Complaint ledger -----------------------------------------------------------------------


class ComplaintTable(ListTable):
    complaint_no = tables.Column(
        verbose_name=field_header(ComplaintRecord, "complaint_no"),
        linkify=lambda record: reverse("control:complaint", args=[record.pk]),
    )
    operator = _operator_column()
    city = _city_column(ComplaintRecord)
    received_on = tables.DateColumn(format="Y-m-d", verbose_name=field_header(ComplaintRecord, "received_on"))
    channel = tables.Column(verbose_name=field_header(ComplaintRecord, "channel"))
    category = tables.Column(
        verbose_name=field_header(ComplaintRecord, "category"),
        accessor="category__label",
        order_by=("category__sort_order",),
    )
    status = tables.Column(verbose_name=field_header(ComplaintRecord, "status"))
    resolved_on = tables.DateColumn(format="Y-m-d", verbose_name=field_header(ComplaintRecord, "resolved_on"))
    satisfaction = tables.Column(verbose_name=field_header(ComplaintRecord, "satisfaction"))
    summary = tables.Column(
        verbose_name=field_header(ComplaintRecord, "summary"),
        orderable=False,
        # The whole text is one click away, on the complaint's page; the title shows it on hover.
        attrs={"td": {"title": lambda record: record.summary}},
    )

    class Meta(ListTable.Meta):
        model = ComplaintRecord
        fields = ()
        empty_text = _("No complaint matches these filters. Widen the dates or clear a filter.")

    def render_summary(self, value):
        return truncatechars(value, SUMMARY_LENGTH)

    def body_html(self) -> SafeString:
        """The page's rows as ``<tr>`` elements, as django-tables2 draws them from the columns
        above (the same cells, texts, links, title and ``data-label``; "—" for an empty value);
        "" without rows (the template then says so).

        Written here because django-tables2 resolves, renders and escapes each of the 500 cells
        through its column machinery (a template compiled per date cell, a signature inspected per
        call): 85 % of the ledger page's time. tests/control/test_lists.py compares the two.
        """
        records = [row.record for row in self.paginated_rows]
        if not records:
            return SafeString("")
        labels = {c.name: conditional_escape(c.header) for c in self.columns}
        empty = "—"
        # get_FOO_display rebuilds the field's choices (lazy labels) for every call: once here.
        shown = {
            name: {value: escape(label) for value, label in ComplaintRecord._meta.get_field(name).flatchoices}
            for name in ("channel", "status", "satisfaction")
        }

        def choice(name, value):
            return shown[name].get(value, escape(value)) if value else empty

        def cell(name, text):
            return f'<td  data-label="{labels[name]}">{text}</td>'

        out = []
        for index, r in enumerate(records):
            summary = r.summary
            out.append(
                f'<tr class="{"odd" if index % 2 else "even"}">'
                + cell(
                    "complaint_no",
                    f'<a href="{escape(reverse("control:complaint", args=[r.pk]))}">{escape(r.complaint_no)}</a>'
                    if r.complaint_no
                    else empty,
                )
                + cell("operator", escape(r.operator.short_name) or empty)
                + cell("city", escape(r.city.name) or empty)
                + cell("received_on", r.received_on.isoformat() if r.received_on else empty)
                + cell("channel", choice("channel", r.channel))
                + cell("category", escape(r.category.label) or empty)
                + cell("status", choice("status", r.status))
                + cell("resolved_on", r.resolved_on.isoformat() if r.resolved_on else empty)
                + cell("satisfaction", choice("satisfaction", r.satisfaction))
                + f'<td title="{escape(summary or "")}" data-label="{labels["summary"]}">'
                + (escape(truncatechars(summary, SUMMARY_LENGTH)) if summary else empty)
                + "</td></tr>"
            )
        return SafeString("".join(out))


complaint_exporter = Exporter(
    _("complaint-ledger"),
    [
        Column(field_header(ComplaintRecord, "complaint_no"), "complaint_no"),
        Column(_("Operator"), "operator__short_zh", path_en="operator__short_en"),
        Column(_("City code"), "city__code"),
        Column(field_header(ComplaintRecord, "city"), "city__name_zh", path_en="city__name_en"),
        Column(field_header(ComplaintRecord, "received_on"), "received_on"),
        Column(field_header(ComplaintRecord, "channel"), "channel", choices=Channel),
        Column(_("Category code"), "category__code"),
        Column(field_header(ComplaintRecord, "category"), "category__name_zh", path_en="category__name_en"),
        Column(field_header(ComplaintRecord, "msisdn_masked"), "msisdn_masked"),
        Column(field_header(ComplaintRecord, "summary"), "summary"),
        Column(field_header(ComplaintRecord, "status"), "status", choices=ComplaintStatus),
        Column(field_header(ComplaintRecord, "resolved_on"), "resolved_on"),
        Column(field_header(ComplaintRecord, "resolution"), "resolution"),
        Column(field_header(ComplaintRecord, "satisfaction"), "satisfaction", choices=Satisfaction),
    ],
)


# --- Inspection findings --------------------------------------------------------------------


class FindingTable(ListTable):
    visit_date = tables.DateColumn(
        format="Y-m-d",
        verbose_name=field_header(InspectionFinding, "visit_date"),
        linkify=lambda record: reverse("control:finding", args=[record.pk]),
    )
    operator = _operator_column()
    city = _city_column(InspectionFinding)
    channel = tables.Column(verbose_name=field_header(InspectionFinding, "channel"))
    site = tables.Column(verbose_name=field_header(InspectionFinding, "site"))
    method = tables.Column(verbose_name=field_header(InspectionFinding, "method"))
    scenario = tables.Column(
        verbose_name=field_header(InspectionFinding, "scenario"),
        attrs={"td": {"title": lambda record: record.scenario}},
    )
    violation = tables.Column(verbose_name=field_header(InspectionFinding, "violation"))
    clause = tables.Column(
        verbose_name=field_header(InspectionFinding, "clause"),
        accessor="clause__code",
        order_by=("clause__sort_order",),
        attrs={"td": {"title": lambda record: record.clause.name if record.clause_id else ""}},
    )
    severity = tables.Column(verbose_name=field_header(InspectionFinding, "severity"))
    agency = tables.Column(verbose_name=field_header(InspectionFinding, "agency"))
    state = tables.Column(verbose_name=field_header(InspectionFinding, "state"))

    class Meta(ListTable.Meta):
        model = InspectionFinding
        fields = ()
        empty_text = _("No inspection matches these filters. Widen the dates or clear a filter.")

    def render_scenario(self, value):
        return truncatechars(value, SUMMARY_LENGTH)

    def render_violation(self, value):
        return _("Yes") if value else _("No")


finding_exporter = Exporter(
    _("inspection-findings"),
    [
        Column(field_header(InspectionFinding, "visit_date"), "visit_date"),
        Column(_("Operator"), "operator__short_zh", path_en="operator__short_en"),
        Column(_("City code"), "city__code"),
        Column(field_header(InspectionFinding, "city"), "city__name_zh", path_en="city__name_en"),
        Column(field_header(InspectionFinding, "channel"), "channel", choices=InspectionChannel),
        Column(field_header(InspectionFinding, "site"), "site"),
        Column(field_header(InspectionFinding, "method"), "method", choices=InspectionMethod),
        Column(field_header(InspectionFinding, "scenario"), "scenario"),
        Column(field_header(InspectionFinding, "violation"), "violation", choices=yes_no(_("Yes"), _("No"))),
        Column(field_header(InspectionFinding, "description"), "description"),
        Column(field_header(InspectionFinding, "clause"), "clause__code"),
        Column(field_header(InspectionFinding, "severity"), "severity", choices=Severity),
        Column(field_header(InspectionFinding, "agency"), "agency"),
        Column(field_header(InspectionFinding, "state"), "state", choices=FindingState),
    ],
)


# --- Rectification orders -------------------------------------------------------------------


class OrderTable(ListTable):
    document_no = tables.Column(verbose_name=field_header(RectificationOrder, "document_no"))
    operator = _operator_column()
    title = tables.Column(
        verbose_name=field_header(RectificationOrder, "title"),
        linkify=lambda record: reverse("control:order", args=[record.pk]),
    )
    severity = tables.Column(verbose_name=field_header(RectificationOrder, "severity"))
    state = tables.Column(verbose_name=field_header(RectificationOrder, "state"))
    deadline = tables.DateTimeColumn(
        format="Y-m-d H:i", verbose_name=field_header(RectificationOrder, "deadline")
    )
    # Annotated by the list's queryset (RectificationOrder.objects.with_days_left()): whole days
    # from today to the deadline's day in Asia/Shanghai; empty for orders that are not open.
    days_left = tables.Column(
        verbose_name=_("Days left / overdue"),
        attrs={"td": {"class": lambda record: "text-danger fw-semibold" if record.is_overdue else ""}},
    )

    class Meta(ListTable.Meta):
        model = RectificationOrder
        fields = ()
        empty_text = _("No rectification order matches these filters. Clear a filter.")

    def render_days_left(self, value, record):
        return days_left_text(value.days, record.is_overdue)

    def order_days_left(self, queryset, is_descending):
        # Closed orders (no days left) come last either way, on SQLite as on PostgreSQL.
        key = F("days_left").desc(nulls_last=True) if is_descending else F("days_left").asc(nulls_last=True)
        return queryset.order_by(key), True


order_exporter = Exporter(
    _("rectification-orders"),
    [
        Column(field_header(RectificationOrder, "document_no"), "document_no"),
        Column(_("Operator"), "operator__short_zh", path_en="operator__short_en"),
        Column(field_header(RectificationOrder, "title"), "title"),
        Column(field_header(RectificationOrder, "severity"), "severity", choices=Severity),
        Column(field_header(RectificationOrder, "state"), "state", choices=OrderState),
        Column(field_header(RectificationOrder, "deadline"), "deadline"),
        Column(
            _("Days left (negative: days overdue)"),
            "days_left",
            value=lambda delta: delta.days if delta is not None else None,
        ),
    ],
)


# --- Major problems -------------------------------------------------------------------------


class IncidentTable(ListTable):
    reported_at = tables.DateTimeColumn(
        format="Y-m-d H:i", verbose_name=field_header(Incident, "reported_at")
    )
    operator = _operator_column()
    title = tables.Column(
        verbose_name=field_header(Incident, "title"),
        linkify=lambda record: reverse("control:incident", args=[record.pk]),
        attrs={"td": {"title": lambda record: record.title}},
    )
    city = _city_column(Incident)
    subscribers_affected = tables.Column(
        verbose_name=field_header(Incident, "subscribers_affected"), attrs={"td": {"class": "text-end"}}
    )
    state = tables.Column(
        verbose_name=field_header(Incident, "state"),
        attrs={"td": {"class": lambda record: "fw-semibold" if record.state != IncidentState.CLOSED else ""}},
    )
    # How long it has been open (已报告 3 天 5 小时), or how long it took once closed; sorted by
    # the time of the report.
    age = tables.Column(
        verbose_name=_("Time since reported"), accessor="reported_at", order_by=("reported_at",)
    )
    updated_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=field_header(Incident, "updated_at"))

    class Meta(ListTable.Meta):
        model = Incident
        fields = ()
        empty_text = _("No major problem matches these filters. Clear a filter.")

    def render_title(self, value):
        return truncatechars(value, SUMMARY_LENGTH)

    def render_age(self, record):
        return age_text(record)


incident_exporter = Exporter(
    _("major-problems"),
    [
        Column(field_header(Incident, "reported_at"), "reported_at"),
        Column(_("Operator"), "operator__short_zh", path_en="operator__short_en"),
        Column(field_header(Incident, "title"), "title"),
        Column(_("City code"), "city__code"),
        Column(field_header(Incident, "city"), "city__name_zh", path_en="city__name_en"),
        Column(field_header(Incident, "location"), "location"),
        Column(field_header(Incident, "since"), "since"),
        Column(field_header(Incident, "subscribers_affected"), "subscribers_affected"),
        Column(field_header(Incident, "state"), "state", choices=IncidentState),
        Column(field_header(Incident, "recovered_at"), "recovered_at"),
        Column(field_header(Incident, "cause"), "cause"),
        Column(field_header(Incident, "closed_at"), "closed_at"),
        Column(field_header(Incident, "updated_at"), "updated_at"),
    ],
)


# --- Personal-data access log ---------------------------------------------------------------

# Where each use of personal data points to: the page of the object the log names.
_ACCESS_LINKS = {
    PersonalDataUse.COMPLAINT_DETAIL: "control:complaint",
    PersonalDataUse.LEDGER_FILE: "control:submission",
    PersonalDataUse.ORDER_DOCUMENT: "control:order",
}


def filters_text(filters: dict) -> str:
    """``operator=CMCC, CUCC · month=2026-10 · q=(a text search)``: the query values a log row keeps."""
    parts = []
    for name, value in filters.items():
        if value is True:
            shown = _("(a text search)")
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        parts.append(f"{name}={shown}")
    return " · ".join(parts)


class AccessTable(ListTable):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=field_header(PersonalDataAccess, "at"))
    user = tables.Column(verbose_name=field_header(PersonalDataAccess, "user"), order_by=("user__username",))
    organisation = tables.Column(
        verbose_name=_("Organisation"),
        accessor="user__operator__short_name",
        default=_("The administration"),
        orderable=False,
    )
    what = tables.Column(verbose_name=field_header(PersonalDataAccess, "what"))
    object_id = tables.Column(
        verbose_name=field_header(PersonalDataAccess, "object_id"),
        orderable=False,
        linkify=lambda record: (
            reverse(_ACCESS_LINKS[record.what], args=[record.object_id])
            if record.object_id and record.what in _ACCESS_LINKS
            else None
        ),
    )
    filters = tables.Column(verbose_name=field_header(PersonalDataAccess, "filters"), orderable=False)
    rows = tables.Column(verbose_name=field_header(PersonalDataAccess, "rows"))

    class Meta(ListTable.Meta):
        model = PersonalDataAccess
        fields = ()
        empty_text = _("Nobody saw personal data with these filters. Widen the dates or clear a filter.")

    def render_user(self, value):
        return f"{value} ({value.username})"

    def render_filters(self, value):
        return filters_text(value)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


access_exporter = Exporter(
    _("personal-data-access-log"),
    [
        Column(field_header(PersonalDataAccess, "at"), "at"),
        Column(_("User name"), "user__username"),
        Column(field_header(User, "full_name"), "user__full_name"),
        Column(_("Operator"), "user__operator__code"),
        Column(field_header(PersonalDataAccess, "what"), "what", choices=PersonalDataUse),
        Column(field_header(PersonalDataAccess, "object_id"), "object_id"),
        Column(field_header(PersonalDataAccess, "filters"), "filters", value=_json),
        Column(field_header(PersonalDataAccess, "rows"), "rows"),
    ],
)
