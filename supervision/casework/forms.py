"""Form pieces both faces use for casework: the case-file field and the comment form.

The file field checks each file against the one allow-list (``supervision.core.files``) so the
form shows which file was refused and why; the services check again before keeping anything.
"""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.core.files import FileRefused, accept_attribute, accepted_list, check_case_file


def _files_help_text() -> str:
    return gettext("Accepted: %(accepted)s. Several files may be chosen at once.") % {
        "accepted": accepted_list()
    }


# Rendered when the form is, in the reader's language (not when this module is imported).
_files_help = lazy(_files_help_text, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CaseFilesField(forms.FileField):
    """One or more files, each accepted only by its content (photo, recording, video, PDF)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        kwargs.setdefault("help_text", _files_help())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        items = [item for item in items if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned = [super(CaseFilesField, self).clean(item, initial) for item in items]
        errors = []
        for uploaded in cleaned:
            try:
                check_case_file(uploaded)
            except FileRefused as refused:
                errors.append(str(refused))
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone who can see this case reads it."),
    )


def textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
