"""The staff's mail log names what each mail is about, linked to its page, not by internal keys."""

from django.urls import reverse

from supervision.reminders.models import Occasion

from .conftest import make_finding, make_interview, make_order


def mail(key, recipient, rule="order_deadline", on_date=None):
    return Occasion.objects.create(
        rule=rule, object_key=key, recipient=recipient, on_date=on_date or "2026-11-20"
    )


def test_each_mail_links_to_the_object_it_is_about(client, regulator, operator_a, manager_a):
    order = make_order(regulator, operator_a)
    finding = make_finding(regulator)
    notice = make_interview(regulator, manager=manager_a)
    mail(f"order:{order.pk}:2026-11-20", operator_a)
    mail(f"order:{order.pk}:issued", manager_a, rule="casework.order_issued")
    mail(f"finding:{finding.pk}:published", operator_a, rule="casework.finding_published")
    mail(f"interview:{notice.pk}:2026-12-01", manager_a, rule="interview_reminder")
    mail("report:CMCC:2026-10", manager_a, rule="report_due")
    mail("spike:CMCC:370100:x:2026-10", regulator, rule="something_else")  # a kind it does not know
    mail("order:999999:issued", regulator, rule="casework.order_issued")  # an object that is gone
    client.force_login(regulator)
    page = client.get(reverse("control:mail_log"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    log = page[page.index('data-testid="mail-log"') :]
    order_link = (
        f'<a href="{reverse("control:order", args=[order.pk])}">{order.document_no} {order.title}</a>'
    )
    # Issuing the order mailed its recipients too: each of those mails links to it as well.
    assert (
        log.count(order_link) == Occasion.objects.filter(object_key__startswith=f"order:{order.pk}:").count()
    )
    assert f'<a href="{reverse("control:finding", args=[finding.pk])}">China Mobile ' in log
    assert f'<a href="{reverse("control:interview", args=[notice.pk])}">{notice.document_no}' in log
    assert f'<a href="{reverse("control:reporting")}">' in log and "2026-10" in log
    assert "Rectification order" in log and "Monthly report" in log
    # The keys are no longer shown, but for what has no page to go to.
    assert f"order:{order.pk}:" not in log and f"finding:{finding.pk}:" not in log
    assert "<code>spike:CMCC:370100:x:2026-10</code>" in log
    assert "<code>order:999999:issued</code>" in log


def test_the_titles_take_one_query_per_kind_of_object_not_per_mail(
    client, regulator, operator_a, manager_a, django_assert_max_num_queries
):
    client.force_login(regulator)
    client.get(reverse("control:mail_log"))  # the session and the periods on first use

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("control:mail_log")).status_code == 200
        return len(captured)

    first = make_order(regulator, operator_a)
    mail(f"order:{first.pk}:issued", operator_a, rule="casework.order_issued")
    mail(f"interview:{make_interview(regulator, manager=manager_a).pk}:issued", manager_a)
    few = count_queries()
    for _n in range(5):
        order = make_order(regulator, operator_a)
        mail(f"order:{order.pk}:issued", operator_a, rule="casework.order_issued")
        mail(f"interview:{make_interview(regulator, manager=manager_a).pk}:issued", manager_a)
    with django_assert_max_num_queries(few):
        assert client.get(reverse("control:mail_log")).status_code == 200
