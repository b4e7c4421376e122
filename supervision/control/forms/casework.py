"""The administration's casework forms. They check what a form can; the rules (who, from which
state) are the services' (``supervision.casework``), whose refusals the views show as form errors."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from supervision.casework import findings as finding_rules
from supervision.casework.forms import CaseFilesField, date_input, datetime_input, textarea
from supervision.casework.models import (
    GROUNDING_FINDING_STATES,
    UNSEEN_INTERVIEW_STATES,
    UNSEEN_ORDER_STATES,
    InspectionChannel,
    InspectionFinding,
    InterviewNotice,
    RecordKind,
    RectificationOrder,
    Severity,
)
from supervision.core import dates
from supervision.core.models import Operator, ViolationCategory
from supervision.ingest.forms import SheetFileField
from supervision.reporting.models import ComplaintRecord

# How many of an operator's findings the order form offers (the most recent).
GROUND_CHOICES = 200


def grounding_findings(operator):
    """The operator's most recent published findings of a problem, which may ground a case."""
    recent = (
        InspectionFinding.objects.filter(
            operator=operator, violation=True, state__in=GROUNDING_FINDING_STATES
        )
        .order_by("-visit_date", "-pk")
        .values("pk")[:GROUND_CHOICES]
    )
    return (
        InspectionFinding.objects.filter(pk__in=recent)
        .select_related("city", "clause")
        .order_by("-visit_date", "-pk")
    )


class FindingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        clause = obj.clause.code if obj.clause_id else ""
        return f"#{obj.pk} · {obj.visit_date:%Y-%m-%d} · {obj.city.name} · {clause} {obj.get_severity_display()} · {obj.description[:60]}"


class OrderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.document_no or _('draft')} · {obj.title} · {obj.get_state_display()}"


class InterviewChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.document_no or _('draft')} · {obj.scheduled_at:%Y-%m-%d} · {obj.get_state_display()}"


# --- Findings -------------------------------------------------------------------------------


class FindingForm(forms.ModelForm):
    """A visit recorded on the site: the fields of the inspection batch (FORMATS.md §3)."""

    class Meta:
        model = InspectionFinding
        fields = finding_rules.FIELDS
        widgets = {"visit_date": date_input(), "description": textarea(4), "scenario": textarea(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = ViolationCategory.objects.filter(is_bottom_line=True)
        self.fields["violation"].help_text = gettext_lazy(
            "Tick when a problem was found: then say what, the clause breached and the severity."
        )

    def clean_visit_date(self):
        visit_date = self.cleaned_data["visit_date"]
        if visit_date and visit_date > dates.today():
            raise forms.ValidationError(_("The visit date is in the future."))
        return visit_date

    def clean(self):
        data = super().clean()
        if data.get("channel") == InspectionChannel.STORE and not data.get("site"):
            self.add_error("site", _("Name the store visited."))
        if data.get("violation"):
            for name in ("description", "clause", "severity"):
                if not data.get(name):
                    self.add_error(name, _("Required when a problem was found."))
        else:
            for name in ("clause", "severity"):
                if data.get(name):
                    self.add_error(name, _("Leave empty when no problem was found."))
        return data


class EvidenceForm(forms.Form):
    files = CaseFilesField(label=gettext_lazy("Evidence files"))


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reasons for the decision"),
        required=False,
        widget=textarea(2),
        help_text=gettext_lazy("The operator reads them. Required to withdraw a finding."),
    )


class BatchUploadForm(forms.Form):
    file = SheetFileField(
        label=gettext_lazy("Inspection batch (.xlsx or .csv)"),
        help_text=gettext_lazy("One row per visit, with the columns of the inspection template."),
    )


# --- Orders ---------------------------------------------------------------------------------


class OperatorPickForm(forms.Form):
    operator = forms.ModelChoiceField(
        label=gettext_lazy("Operator"), queryset=Operator.objects.all(), to_field_name="code"
    )


def _deadline_help():
    days = settings.RECTIFICATION_DAYS
    return _(
        "Leave empty for the deadline the rules propose for the severity: severe %(severe)d days, "
        "major %(major)d, minor %(minor)d, at 23:59:59 Beijing time."
    ) % {"severe": days["SEVERE"], "major": days["MAJOR"], "minor": days["MINOR"]}


class OrderForm(forms.Form):
    """An order's draft: grounds (findings and complaints of one operator), text, severity, deadline."""

    findings = FindingChoiceField(
        label=gettext_lazy("Findings"),
        queryset=InspectionFinding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complaint_numbers = forms.CharField(
        label=gettext_lazy("Complaints"),
        required=False,
        widget=textarea(2),
        help_text=gettext_lazy(
            "Complaint numbers from the operator's ledger, one per line or comma-separated."
        ),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    requirements = forms.CharField(
        label=gettext_lazy("Requirements"),
        widget=textarea(6),
        help_text=gettext_lazy("What the operator must do, one requirement per line."),
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("Severity"),
        required=False,
        choices=[("", gettext_lazy("As the most severe finding"))] + list(Severity.choices),
    )
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False, widget=date_input())

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        self.operator = operator
        self.fields["deadline"].help_text = _deadline_help()
        self.fields["findings"].queryset = grounding_findings(operator)

    def clean_findings(self):
        return list(self.cleaned_data["findings"])

    def clean_complaint_numbers(self):
        text = self.cleaned_data["complaint_numbers"]
        numbers = [n.strip() for n in text.replace(",", "\n").replace("，", "\n").splitlines() if n.strip()]
        complaints = list(ComplaintRecord.objects.filter(operator=self.operator, complaint_no__in=numbers))
        unknown = sorted(set(numbers) - {c.complaint_no for c in complaints})
        if unknown:
            raise forms.ValidationError(
                _("Not in %(operator)s's ledger: %(numbers)s.")
                % {"operator": self.operator.short_name, "numbers": ", ".join(unknown)}
            )
        self.complaints = complaints
        return text

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("findings") and not getattr(self, "complaints", []):
            raise forms.ValidationError(_("Ground the order on at least one finding or complaint."))
        return data


class CommentedForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=textarea(3),
        help_text=gettext_lazy("The operator reads it."),
    )


class VerifyForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Comment (optional)"), required=False, widget=textarea(2))


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the order escalated?"),
        widget=textarea(2),
        help_text=gettext_lazy("For instance: an interview of the company's leaders, or a penalty case."),
    )


class WithdrawForm(forms.Form):
    """Withdraw a draft order or interview notice made by mistake: the reason is required."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for the withdrawal"),
        widget=textarea(2),
        help_text=gettext_lazy(
            "The draft is kept with this reason on its timeline, but it can no longer be edited or "
            "issued, and it leaves the lists. The operator never sees it."
        ),
    )


class ExtensionDecisionForm(forms.Form):
    new_date = forms.DateField(
        label=gettext_lazy("New deadline"),
        required=False,
        widget=date_input(),
        help_text=gettext_lazy(
            "To grant: by default the day the operator asked for (23:59:59 Beijing time)."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Reasons"),
        required=False,
        widget=textarea(2),
        help_text=gettext_lazy("The operator reads them. Required to refuse."),
    )


# --- Interviews -----------------------------------------------------------------------------


class InterviewForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        widget=datetime_input(),
        help_text=gettext_lazy("Beijing time."),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    reason = forms.CharField(label=pgettext_lazy("interview", "Reason"), widget=textarea(4))
    persons_required = forms.CharField(
        label=gettext_lazy("Company persons required"),
        widget=textarea(2),
        help_text=gettext_lazy("The responsible person and the persons responsible, by position."),
    )
    administration_attendees = forms.CharField(
        label=gettext_lazy("Administration attendees"), required=False, widget=textarea(2)
    )
    orders = OrderChoiceField(
        label=gettext_lazy("Linked orders"),
        queryset=RectificationOrder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = FindingChoiceField(
        label=gettext_lazy("Linked findings"),
        queryset=InspectionFinding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = RectificationOrder.objects.filter(operator=operator).exclude(
            state__in=UNSEEN_ORDER_STATES
        )
        self.fields["findings"].queryset = grounding_findings(operator)

    def clean_findings(self):
        return list(self.cleaned_data["findings"])


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=gettext_lazy("Minutes"), widget=textarea(6))


class CommitmentForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Commitment"), widget=textarea(2))
    due_date = forms.DateField(label=gettext_lazy("Due"), widget=date_input())


# --- Notices and decisions ------------------------------------------------------------------


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RecordKind.choices)
    document_no = forms.CharField(label=gettext_lazy("Document number"), max_length=60, required=False)
    date = forms.DateField(label=gettext_lazy("Date"), widget=date_input())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(label=gettext_lazy("Summary"), widget=textarea(4))
    files = CaseFilesField(label=gettext_lazy("The document (PDF)"), required=False)
    orders = OrderChoiceField(
        label=gettext_lazy("Linked orders"),
        queryset=RectificationOrder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interviews = InterviewChoiceField(
        label=gettext_lazy("Linked interviews"),
        queryset=InterviewNotice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = RectificationOrder.objects.filter(operator=operator).exclude(
            state__in=UNSEEN_ORDER_STATES
        )
        self.fields["interviews"].queryset = InterviewNotice.objects.filter(operator=operator).exclude(
            state__in=UNSEEN_INTERVIEW_STATES
        )


RECORD_FIELDS = ["kind", "document_no", "date", "title", "summary"]
