"""The form field of every spreadsheet upload (the inspection batch, the monthly figures, the
complaint ledger): a file over the size limit is refused by the form, before it is kept anywhere,
with the message the reader gives (``reading.check_size``)."""

from django import forms

from .checks import FileRefused
from .reading import check_size


class SheetFileField(forms.FileField):
    """An .xlsx or .csv file no larger than ``settings.UPLOAD_MAX_BYTES``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            try:
                check_size(uploaded.name, uploaded.size)
            except FileRefused as refused:
                raise forms.ValidationError(str(refused)) from None
        return uploaded
