"""Both faces refuse an oversized spreadsheet in the form, before it is kept, with the words the
reader uses (one size check: ``ingest.reading.check_size``)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from supervision.control.forms.casework import BatchUploadForm
from supervision.ingest.checks import FileRefused
from supervision.ingest.reading import read_sheet
from supervision.portal.forms.reporting import LedgerUploadForm

TOO_LARGE = "“台账.csv” is 3 KB; a file may be at most 2 KB. Split it into smaller files."


@override_settings(UPLOAD_MAX_BYTES=2048)
@pytest.mark.parametrize(("form_class", "field"), [(BatchUploadForm, "file"), (LedgerUploadForm, "ledger")])
def test_an_oversized_spreadsheet_is_refused_by_the_form_as_the_reader_refuses_it(form_class, field):
    with translation.override("en"):
        form = form_class(files={field: SimpleUploadedFile("台账.csv", b"x" * 3000)})
        assert not form.is_valid()
        assert form.errors[field] == [TOO_LARGE]
        with pytest.raises(FileRefused) as refused:
            read_sheet(b"x" * 3000, "台账.csv")
        assert str(refused.value) == TOO_LARGE


@override_settings(UPLOAD_MAX_BYTES=2048)
@pytest.mark.parametrize(("form_class", "field"), [(BatchUploadForm, "file"), (LedgerUploadForm, "ledger")])
def test_a_spreadsheet_at_the_limit_passes_the_form(form_class, field):
    form = form_class(files={field: SimpleUploadedFile("台账.csv", b"x" * 2048)})
    assert form.is_valid(), form.errors


def test_the_chinese_page_says_it_in_chinese():
    with override_settings(UPLOAD_MAX_BYTES=2048), translation.override("zh-hans"):
        form = LedgerUploadForm(files={"ledger": SimpleUploadedFile("台账.csv", b"x" * 3000)})
        assert form.errors["ledger"] == ["“台账.csv”大小为 3 KB，单个文件不得超过 2 KB。请拆分为较小的文件。"]
