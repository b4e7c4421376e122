"""The shared helpers of the casework views: a refusal is said, never lost; success goes on."""

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from supervision.casework import presentation
from supervision.casework.rules import TransitionRefused


class NoteForm(forms.Form):
    note = forms.CharField()


def _post(data):
    request = RequestFactory().post("/", data)
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    return request


def _said(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _refuse(*args, **kwargs):
    raise TransitionRefused("Not now.")


def test_post_action_passes_the_form_data_and_says_done():
    request, seen = _post({"note": "x"}), {}
    response = presentation.post_action(
        request,
        "case",
        lambda case, **kw: seen.update(kw, case=case),
        "Done.",
        "/back/",
        form=NoteForm(request.POST),
    )
    assert response.url == "/back/"
    assert seen == {"case": "case", "user": request.user, "note": "x"}
    assert _said(request) == [("success", "Done.")]


def test_post_action_says_the_form_errors_and_the_refusal():
    request = _post({})
    presentation.post_action(request, "case", _refuse, "Done.", "/back/", form=NoteForm(request.POST))
    assert _said(request) == [("error", str(NoteForm.base_fields["note"].error_messages["required"]))]
    request = _post({})
    presentation.post_action(request, "case", _refuse, "Done.", "/back/")
    assert _said(request) == [("error", "Not now.")]


def test_post_form_shows_the_page_again_with_the_refusal():
    request = _post({"note": "x"})
    response = presentation.post_form(
        request, NoteForm(request.POST), _refuse, "Done.", "/back/", lambda **kw: kw
    )
    assert response == {"status": 400, "refusal": "Not now."}
    assert _said(request) == []


def test_post_form_success_may_depend_on_what_the_service_returned():
    request = _post({"note": "x"})
    response = presentation.post_form(
        request,
        NoteForm(request.POST),
        lambda data: [1, 2],
        lambda done: f"{len(done)} stored.",
        "/back/#x",
        None,
    )
    assert response.url == "/back/#x"
    assert _said(request) == [("success", "2 stored.")]


def test_save_form_turns_a_refusal_into_a_form_error():
    request = _post({"note": "x"})
    form = NoteForm(request.POST)
    assert presentation.save_form(request, form, _refuse, "Saved.", "/back/") is None
    assert form.non_field_errors() == ["Not now."]
    assert _said(request) == []


def test_save_form_redirects_to_what_was_made():
    request = _post({"note": "x"})
    response = presentation.save_form(
        request, NoteForm(request.POST), lambda data: 7, "Saved.", lambda made: f"/case/{made}/"
    )
    assert response.url == "/case/7/"
    assert _said(request) == [("success", "Saved.")]


def test_save_form_does_nothing_on_a_get():
    request = RequestFactory().get("/")
    assert presentation.save_form(request, NoteForm(), _refuse, "Saved.", "/back/") is None
