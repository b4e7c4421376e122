"""What the tests of backups compare between a database and its restored copy, as JSON on stdout.

    python -m tests.core.backup_figures    (DATABASE_URL or SQLITE_PATH names the database)

Every table's row count, and the dashboard's indicators (supervision.analytics.indicators) per
operator and month over every month the data hold, computed as of the day after the last
complaint received (read from the data, so both databases are read as of the same day, whatever
today's date is).
"""

import datetime as dt
import json
import os


def figures() -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min

    from supervision.analytics import indicators
    from supervision.core import dates
    from supervision.reporting.models import ComplaintRecord, MonthlySubmission

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    span = MonthlySubmission.objects.aggregate(first=Min("period__month"), last=Max("period__month"))
    last_received = ComplaintRecord.objects.aggregate(last=Max("received_on"))["last"]
    result = {"tables": counts, "indicators": {}}
    if span["first"] is None or last_received is None:
        return result
    today = last_received + dt.timedelta(days=1)
    months = []
    month = span["first"]
    while month <= span["last"]:
        months.append(month)
        month = dates.next_month(month)
    now = dates.end_of_day(today)
    with indicators.shared_sums():
        for indicator in indicators.INDICATORS:
            if indicator.code == "timely_resolution":
                values = indicator.compute(months, today=today)
            elif indicator.code == "rectification_on_time":
                values = indicator.compute(months, now=now)
            else:
                values = indicator.compute(months)
            result["indicators"][indicator.code] = {
                "|".join(str(part) for part in key): [
                    str(value.numerator),
                    str(value.denominator),
                    value.scale,
                    value.pending,
                    indicator.text(value),
                ]
                for key, value in sorted(values.items())
            }
    result["as_of"] = today.isoformat()
    result["months"] = [m.isoformat() for m in (months[0], months[-1])]
    return result


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    print(json.dumps(figures(), ensure_ascii=False, sort_keys=True))
