"""The demo's consultation meetings (会商会), run through ``meetings.services`` at their moments.

A monthly series on the first Thursday at 14:30, created a year ago; the scheduler's daily task
(``extend_horizons``) keeps its occurrences six months ahead, as in real use. A meeting that falls
on a long public holiday was moved a week on by the staff, before anyone was invited. Each held
meeting went the way the pages lead: its agenda drawn up and published (the invitations go out),
the operators' answers, attendance recorded at the meeting, the minutes and the decisions (action
items) published two days later, then closed; the older decisions have been carried out. The next
meeting has the answers of two operators and a proposal awaiting a decision; the later ones
nothing yet.
"""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr

from supervision.core.dates import from_wall_time, local_date
from supervision.meetings import services
from supervision.meetings.models import Meeting, MeetingSeries

from .base import Demo, Story
from .province import OPERATOR_CODES, add_months, at, is_long_holiday, month_label_zh

TITLE = "携号转网工作会商会"
RULE = "FREQ=MONTHLY;BYDAY=1TH"
PLACE = "省通信管理局三楼会议室"
DURATION = 120

MEETING_MINUTES = (
    "一、通报{month}携号转网工作情况：全省受理携出申请{apps:,}笔，携出成功{done:,}笔；"
    "受理携转相关投诉{complaints:,}件。\n"
    "二、各运营商汇报本月工作开展情况及下一步安排。\n"
    "三、议定事项：{decision}\n"
    "出席：省通信管理局王科长；中国移动、中国联通、中国电信、中国广电携号转网工作专班负责人。"
)
MEETING_DECISIONS = [
    "各运营商于下次会商会前报送投诉较多地市的原因分析。",
    "中国联通牵头排查授权码下发延迟问题，一周内书面报告。",
    "各运营商对照六条底线开展一次自查，月底前报送自查报告。",
    "春节前各运营商加强营业厅携转业务人员配备，确保办理顺畅。",
    "各运营商统一客服热线携转答复口径，管局将组织第三方体验测试。",
    "开学季前各运营商规范校园营销活动，严禁针对携转用户的专属优惠。",
]
ACTION_DONE = "已按要求完成并书面报送。"


def create_meetings(demo: Demo) -> None:
    if MeetingSeries.objects.filter(title=TITLE).exists():
        return
    rng = demo.rng("meetings")
    staff = demo.staff
    first_month = add_months(demo.today, -12)
    # The first Thursday of that month, 14:30 local time.
    first_day = first_month + dt.timedelta(days=(3 - first_month.weekday()) % 7)
    created = at(first_day - dt.timedelta(days=10), 10)
    story = Story(demo)
    series = MeetingSeries(
        title=TITLE, rrule=RULE, first_start=at(first_day, 14, 30), duration_minutes=DURATION, place=PLACE
    )
    operators = [demo.operators[op] for op in OPERATOR_CODES]
    story.add(created, lambda: services.create_series(series, invited_operators=operators, user=staff))
    # The scheduler's daily task, once a month here: the occurrences stay six months ahead.
    month = add_months(first_day, 1)
    while at(month, 2) < demo.latest:
        story.add(at(month, 2), services.extend_horizons)
        month = add_months(month, 1)
    story.add(demo.latest, services.extend_horizons)

    # The rule runs in naive local time (Asia/Shanghai has no daylight saving), then made aware.
    naive_start = dt.datetime.combine(first_day, dt.time(14, 30))
    horizon = services.horizon_end(demo.latest)
    planned_starts = []
    for occurrence in rrulestr(RULE, dtstart=naive_start):
        planned = from_wall_time(occurrence)
        if planned > horizon:
            break
        planned_starts.append(planned)

    def meeting(planned) -> Meeting:
        return Meeting.objects.get(series=series, recurrence_start=planned)

    held, upcoming = [], []
    for planned in planned_starts:
        # A meeting that falls on a public holiday is moved a week on; the series is unchanged.
        start = planned + dt.timedelta(days=7) if is_long_holiday(planned.date()) else planned
        end = start + dt.timedelta(minutes=DURATION)
        if start != planned:
            story.add(
                # Two weeks ahead, or just after the series was set up if its first one is moved.
                max(planned - dt.timedelta(days=14), created + dt.timedelta(hours=1)),
                lambda planned=planned, start=start: services.move(
                    meeting(planned),
                    starts_at=start,
                    duration_minutes=DURATION,
                    place=PLACE,
                    video_link="",
                    user=staff,
                ),
            )
        if end < demo.now:
            held.append((planned, start, end))
        else:
            upcoming.append((planned, start))

    decisions = {}
    for index, (planned, start, end) in enumerate(held):
        decisions[planned] = rng.choice(MEETING_DECISIONS)
        tell_held_meeting(
            demo, story, rng, meeting, planned, start, end, decisions[planned], last=index == len(held) - 1
        )
    if upcoming:
        tell_next_meeting(demo, story, rng, meeting, upcoming[0][0])
    story.run()
    demo.result.counts["meetings"] = series.meetings.count()
    demo.result.counts["action_items"] = sum(
        meeting.action_items.count() for meeting in series.meetings.all()
    )


def minutes_text(demo: Demo, start: dt.datetime, planned: dt.datetime, decision: str) -> str:
    month = add_months(local_date(start), -1)
    t = demo.plan.months.index(month) if month in demo.plan.months else None
    totals = demo.plan.province_totals(t) if t is not None else {"apps": 0, "done": 0, "complaints": 0}
    minutes = MEETING_MINUTES.format(month=month_label_zh(month), decision=decision, **totals)
    if start != planned:
        minutes = f"（因节假日顺延一周召开）\n{minutes}"
    return minutes


def tell_held_meeting(demo: Demo, story: Story, rng, meeting, planned, start, end, decision, *, last) -> None:
    """Agenda, invitations, answers, attendance, minutes, decisions, closing; and the follow-up."""
    staff = demo.staff
    operators = demo.operators
    month = add_months(local_date(start), -1)

    def agenda() -> None:
        m = meeting(planned)
        services.add_item(
            m,
            title=f"通报{month_label_zh(month)}携号转网工作情况及投诉情况",
            presenter="王科长",
            planned_minutes=20,
            user=staff,
        )
        for op in OPERATOR_CODES:
            # Every operator hears the others' reports: the item is shared.
            services.add_item(
                m,
                title=f"{operators[op].short_zh}汇报本月工作开展情况",
                presenter=operators[op].short_zh,
                planned_minutes=15,
                operator=operators[op],
                shared=True,
                user=staff,
            )
        services.add_item(m, title="研究议定事项", presenter="王科长", planned_minutes=20, user=staff)

    def answer(op: str) -> None:
        people = sorted({demo.operator_user(op), demo.manager(op)}, key=lambda u: u.username)
        services.answer_attendance(meeting(planned), user=demo.operator_user(op), attendees=people)

    def attendance() -> None:
        m = meeting(planned)
        attended = [a.pk for invitation in m.invitations.all() for a in invitation.attendees.all()]
        services.record_attendance(m, attended_ids=attended, administration_attendees="王科长", user=staff)

    owners = ["CUCC"] if "中国联通" in decision else OPERATOR_CODES
    title = decision.removeprefix("各运营商").removeprefix("中国联通")
    due = local_date(start) + dt.timedelta(days=21)
    items = {}

    def close() -> None:
        m = meeting(planned)
        for op in owners:
            items[op] = services.add_action_item(
                m, title=title, due_on=due, operator=operators[op], user=staff
            )
        services.publish_minutes(m, user=staff)
        services.close(m, user=staff)

    story.add(start - dt.timedelta(days=8), agenda)
    story.add(start - dt.timedelta(days=5), lambda: services.publish_agenda(meeting(planned), user=staff))
    for op in OPERATOR_CODES:
        story.add(start - dt.timedelta(days=rng.randint(1, 4)), lambda op=op: answer(op))
    story.add(start + dt.timedelta(minutes=10), attendance)
    story.add(
        end + dt.timedelta(days=1),
        lambda: services.save_minutes(
            meeting(planned), text=minutes_text(demo, start, planned, decision), user=staff
        ),
    )
    story.add(end + dt.timedelta(days=2), close)
    if last:  # the latest decisions are still being carried out
        return
    for op in owners:
        done = at(due - dt.timedelta(days=rng.randint(1, 6)), 17)
        story.add(
            max(done, end + dt.timedelta(days=2, minutes=1)),
            lambda op=op: services.complete_action_item(
                items[op], user=demo.operator_user(op), note=ACTION_DONE
            ),
        )


def tell_next_meeting(demo: Demo, story: Story, rng, meeting, planned) -> None:
    """Two operators' managers have said who comes; China Telecom proposes an item."""

    def answer(op: str) -> None:
        people = sorted({demo.operator_user(op), demo.manager(op)}, key=lambda u: u.username)
        services.answer_attendance(meeting(planned), user=demo.manager(op), attendees=people)

    for op in OPERATOR_CODES[:2]:
        story.add(demo.now - dt.timedelta(hours=rng.randint(2, 48)), lambda op=op: answer(op))
    story.add(
        demo.now - dt.timedelta(hours=rng.randint(1, 24)),
        lambda: services.propose_item(
            meeting(planned),
            user=demo.operator_user("CTCC"),
            title="关于统一携转客服热线答复口径的建议",
            details="建议管局组织各运营商统一客服热线对携转条件、授权码有效期的答复口径。",
            presenter=demo.operators["CTCC"].short_zh,
            planned_minutes=15,
        ),
    )
