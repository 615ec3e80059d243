"""The monthly attendance summary (ATT-12, ATT-01): the vendor computes it from its
published rosters and clock records (ATT-08..10 fines, each with its rule and events),
submits it by the 21st of the month after; the client audits it line by line, disputes
a line or signs the month; the vendor answers a dispute (recomputing after fixing its
records). Every step checks the revision read, so a second writer is told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.attendance.models import AttendanceSummary, SummaryLine
from ccops.audit import services as audit
from ccops.common.actions import Conflict
from ccops.core.attendance.acd import AgentState
from ccops.core.attendance.activity import Away, Window
from ccops.core.attendance.audit import Discrepancy, ReconcileSettings
from ccops.core.attendance.fines import MonthFines
from ccops.core.attendance.policy import AttendancePolicy, policy_from_rules
from ccops.core.attendance.punches import Punch, Shift
from ccops.core.attendance.reconcile import MonthReconciliation, reconcile_month
from ccops.core.attendance.report import Month, MonthReport, month_report
from ccops.core.errors import InputError
from ccops.intake.models import AgentState as StateRow
from ccops.intake.models import ClockPunch
from ccops.org.access import require
from ccops.org.models import Organisation, Person
from ccops.planning.messages import describe
from ccops.planning.models import OvertimeTake, Roster, RosterShift
from ccops.policy.services import rule_value

DUE_DAY = "summary_due_day"


def first_of(month: dt.date) -> dt.date:
    return month.replace(day=1)


def month_after(month: dt.date) -> dt.date:
    return (first_of(month) + dt.timedelta(days=32)).replace(day=1)


def due_on(org: Organisation, month: dt.date) -> dt.date:
    """ATT-12: the day of the month after by which the summary is due (the 21st)."""
    day = int(rule_value("ATT-12", vendor_id=org.pk)[DUE_DAY])
    return month_after(month).replace(day=min(max(day, 1), 28))


def attendance_policy(org: Organisation) -> AttendancePolicy:
    """ATT-08..10 as the vendor runs them."""
    values = [rule_value(rule, vendor_id=org.pk) for rule in ("ATT-08", "ATT-09", "ATT-10")]
    return policy_from_rules(*values)


@dataclass(frozen=True)
class PublishedShift:
    """A shift of a published roster, as the month's computation reads it."""

    employee: str
    day: dt.date
    start_minute: int
    minutes: int
    breaks: list[int]
    lunch: int | None
    lunch_minutes: int
    break_minutes: int


def published_shifts(org: Organisation, first: dt.date, last: dt.date) -> list[PublishedShift]:
    """The shifts of the vendor's published rosters between two days: of each week's
    demand, the newest approved version."""
    rosters = Roster.objects.filter(
        organisation=org,
        state=Roster.State.APPROVED,
        demand__week_start__gt=first - dt.timedelta(days=7),
        demand__week_start__lte=last,
    ).order_by("demand_id", "-number")
    newest: dict[int, tuple[int, int]] = {}
    for demand_id, pk, options in rosters.values_list("demand_id", "pk", "options"):
        newest.setdefault(demand_id, (pk, int((options or {}).get("break_segment", 15))))
    segment = dict(newest.values())
    rows = (
        RosterShift.objects.filter(roster_id__in=segment, day__range=(first, last))
        .order_by("person__employee_no", "day")
        .values_list(
            "person__employee_no",
            "day",
            "start_minute",
            "minutes",
            "breaks",
            "lunch",
            "lunch_minutes",
            "roster_id",
        )
    )
    return [PublishedShift(*row[:7], segment[row[7]]) for row in rows]


@dataclass
class MonthInputs:
    """A vendor's month as the core reads it: shifts (from the day before, whose night
    shift runs into the month), their planned breaks and lunch, the clock punches, the
    agents' phone states and their approved overtime."""

    shifts: list[Shift]
    away: dict[Shift, list[Away]]
    punches: list[Punch]
    states: list[AgentState]
    overtime: dict[str, list[Window]]


def month_inputs(org: Organisation, month: dt.date) -> MonthInputs:
    zone = timezone.get_current_timezone()
    first, last = first_of(month), month_after(month) - dt.timedelta(days=1)
    shifts: list[Shift] = []
    away: dict[Shift, list[Away]] = {}
    for row in published_shifts(org, first - dt.timedelta(days=1), last):
        midnight = dt.datetime.combine(row.day, dt.time())
        start = midnight + dt.timedelta(minutes=row.start_minute)
        shift = Shift(row.employee, row.day, start, start + dt.timedelta(minutes=row.minutes))
        shifts.append(shift)
        planned = [
            Away("break", midnight + dt.timedelta(minutes=t), row.break_minutes) for t in row.breaks
        ]
        if row.lunch is not None and row.lunch_minutes:
            planned.append(
                Away("lunch", midnight + dt.timedelta(minutes=row.lunch), row.lunch_minutes)
            )
        away[shift] = planned
    begin = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), tzinfo=zone)
    rostered = {s.employee for s in shifts}

    def local(at: dt.datetime) -> dt.datetime:
        return timezone.localtime(at, zone).replace(tzinfo=None)

    punches = [
        Punch(code, local(at), direction)  # type: ignore[arg-type]
        for code, at, direction in ClockPunch.objects.filter(
            organisation=org, punched_at__gte=begin, punched_at__lt=end
        )
        .values_list("person__employee_no", "punched_at", "direction")
        .order_by("person__employee_no", "punched_at")
        if code in rostered
    ]
    states = [
        AgentState(code, state, start, stop, reason)  # type: ignore[arg-type]
        for code, state, start, stop, reason in agent_states(org, begin, end)
        if code in rostered
    ]
    if connection.vendor != "postgresql":  # PostgreSQL sorted them already
        states.sort(key=lambda s: (s.agent, s.start))
    overtime: dict[str, list[Window]] = {}
    for code, day, minute, minutes in (
        OvertimeTake.objects.filter(person__organisation=org, offer__day__range=(first, last))
        .exclude(attended=False)
        .values_list("person__employee_no", "offer__day", "offer__start_minute", "offer__minutes")
    ):
        start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
        overtime.setdefault(code, []).append(Window(start, start + dt.timedelta(minutes=minutes)))
    return MonthInputs(shifts, away, punches, states, overtime)


StateRowOut = tuple[str, str, dt.datetime, dt.datetime | None, str]


def agent_states(org: Organisation, begin: dt.datetime, end: dt.datetime) -> list[StateRowOut]:
    """The vendor's ACD agent states starting between two moments, as (employee number,
    state, start, end, reason) in local wall-clock time to the second. On PostgreSQL
    the moments come as epoch seconds: a month of a large center is a million rows, and
    parsing as many time-zoned timestamps would cost most of the month's computation."""
    if connection.vendor != "postgresql":
        zone = timezone.get_current_timezone()

        def local(at: dt.datetime) -> dt.datetime:
            return timezone.localtime(at, zone).replace(tzinfo=None, microsecond=0)

        return [
            (code, state, local(start), local(stop) if stop else None, reason or "")
            for code, state, start, stop, reason in StateRow.objects.filter(
                organisation=org, started_at__gte=begin, started_at__lt=end
            ).values_list("person__employee_no", "state", "started_at", "ended_at", "reason")
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.employee_no, s.state, extract(epoch FROM s.started_at)::bigint, "
            "extract(epoch FROM s.ended_at)::bigint, s.reason "
            "FROM intake_agentstate s JOIN org_person p ON p.id = s.person_id "
            "WHERE s.organisation_id = %s AND s.started_at >= %s AND s.started_at < %s "
            'ORDER BY p.employee_no COLLATE "C", s.started_at',  # Python's order of text
            [org.pk, begin, end],
        )
        rows = cursor.fetchall()
    clock = _LocalClock(timezone.get_current_timezone())
    return [
        (code, state, clock.at(start), clock.at(stop) if stop is not None else None, reason or "")
        for code, state, start, stop, reason in rows
    ]


class _LocalClock:
    """Epoch seconds to local wall-clock time: each hour's start looked up once in the
    zone, the seconds into the hour added from a table."""

    INTO_HOUR = [dt.timedelta(seconds=n) for n in range(3600)]

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone
        self.hours: dict[int, dt.datetime] = {}

    def at(self, seconds: int) -> dt.datetime:
        hour, into = divmod(seconds, 3600)
        start = self.hours.get(hour)
        if start is None:
            moment = dt.datetime.fromtimestamp(hour * 3600, dt.UTC).astimezone(self.zone)
            start = self.hours[hour] = moment.replace(tzinfo=None)
        return start + self.INTO_HOUR[into]


def reconcile_settings(org: Organisation) -> ReconcileSettings:
    """The audit's thresholds: FLOOR-03's minutes away, the rest at their defaults."""
    away = rule_value("FLOOR-03", vendor_id=org.pk)
    return ReconcileSettings(max_away_minutes=int(away["max_away_minutes"]))


def compute(org: Organisation, month: dt.date) -> tuple[MonthReport, MonthReconciliation]:
    """The month's fines (ATT-08..10) and its reconciliation against the phones (ATT-01)."""
    data = month_inputs(org, month)
    # Open states are cut now; records dated later (a test clock, a skewed device) count.
    now = max(
        [timezone.localtime(timezone.now()).replace(tzinfo=None)]
        + [s.end or s.start for s in data.states]
    )
    try:
        report = month_report(
            data.shifts, data.punches, Month(month.year, month.month), attendance_policy(org)
        )
        days = [day for fines in report.employees for day in fines.days]
        shifts = {day.shift for day in days}
        reconciled = reconcile_month(
            days,
            data.states,
            now=now,
            away={shift: plan for shift, plan in data.away.items() if shift in shifts},
            approved=data.overtime,
            settings=reconcile_settings(org),
        )
    except InputError as exc:
        raise ValidationError(describe(exc)) from exc
    return report, reconciled


def do_compute_summary(org: Organisation, month: dt.date, *, acting_user: Any) -> AttendanceSummary:
    """The vendor's summary of the month computed (again) from its records: a draft, or
    a disputed summary brought up to date; all lines replaced at once."""
    require(acting_user, "prepare_attendance")
    report, reconciled = compute(org, month)
    audits = _audit_by_employee(reconciled)
    people = {
        p.employee_no: p.pk for p in Person.objects.filter(organisation=org).only("employee_no")
    }
    with transaction.atomic():
        summary, _created = AttendanceSummary.objects.select_for_update().get_or_create(
            organisation=org,
            month=first_of(month),
            defaults={"due_on": due_on(org, month)},
        )
        if summary.state not in (AttendanceSummary.State.DRAFT, AttendanceSummary.State.DISPUTED):
            raise ValidationError(_("A submitted or signed summary is not computed again."))
        disputes = {
            line.person_id: (line.state, line.dispute, line.answer) for line in summary.lines.all()
        }
        summary.lines.all().delete()
        SummaryLine.objects.bulk_create(
            [
                _line(
                    summary,
                    people[fines.employee],
                    fines,
                    audits.get(fines.employee),
                    disputes.get(people[fines.employee]),
                )
                for fines in report.employees
                if fines.employee in people and fines.days
            ]
        )
        summary.computed_at = timezone.now()
        summary.unattributed = [
            {"employee": p.employee, "at": p.at.isoformat(sep=" "), "direction": p.direction}
            for p in report.unattributed
        ][:500]
        summary.revision += 1
        summary.save()
        audit.record(
            "attendance.summary_computed",
            summary,
            actor=acting_user,
            after={"lines": len(report.employees), "month": f"{month:%Y-%m}"},
        )
    return summary


@dataclass
class _Audit:
    """One agent's month against the phones, added up."""

    adherence: int = 0
    scheduled: int = 0
    conformance: int = 0
    on_phones: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)


def _audit_by_employee(reconciled: MonthReconciliation) -> dict[str, _Audit]:
    out: dict[str, _Audit] = {}
    for day in reconciled.days:
        audit_ = out.setdefault(day.shift_day.employee, _Audit())
        audit_.adherence += day.adherence.numerator
        audit_.scheduled += day.adherence.denominator
        audit_.conformance += day.conformance.numerator
        audit_.on_phones += day.conformance.denominator
    for found in reconciled.discrepancies:
        out.setdefault(found.employee, _Audit()).discrepancies.append(found)
    return out


def _line(
    summary: AttendanceSummary,
    person_id: int,
    fines: MonthFines,
    checked: _Audit | None,
    dispute: tuple[str, str, str] | None,
) -> SummaryLine:
    state, text, answer = dispute or ("ok", "", "")
    checked = checked or _Audit()
    return SummaryLine(
        summary=summary,
        person_id=person_id,
        shifts=len(fines.days),
        late_count=fines.late_count,
        early_count=fines.early_count,
        absent_days=len(fines.absences),
        half_day_absences=len(fines.half_days),
        fine_total=fines.total,
        no_bonus=fines.no_monthly_bonus,
        dismissal=fines.dismissal,
        fines=[
            {
                "rule": line.rule,
                "amount": str(line.amount),
                "reason": line.reason,
                "events": [e.describe() for e in line.events],
            }
            for line in fines.lines
        ],
        flagged=[{"day": day.day.isoformat(), "flags": list(day.flags)} for day in fines.flagged],
        adherence_seconds=checked.adherence,
        scheduled_seconds=checked.scheduled,
        conformance_seconds=checked.conformance,
        phone_seconds=checked.on_phones,
        discrepancies=[
            {
                "day": d.day.isoformat(),
                "kind": d.kind,
                "rule": d.rule,
                "minutes": d.minutes,
                "template": d.template,
                "facts": [[key, str(value)] for key, value in d.facts],
            }
            for d in sorted(checked.discrepancies, key=lambda d: (d.day, d.kind))[:200]
        ],
        state=state,
        dispute=text,
        answer=answer,
    )


def _move(summary: AttendanceSummary, revision: int, allowed: Sequence[str], **values: Any) -> None:
    moved = AttendanceSummary.objects.filter(
        pk=summary.pk, revision=revision, state__in=allowed
    ).update(revision=F("revision") + 1, **values)
    if not moved:
        summary.refresh_from_db()
        if summary.revision != revision:
            raise Conflict(_("Someone else changed this summary meanwhile; reload it."))
        raise ValidationError(
            _("This summary is %(state)s: not possible now.")
            % {"state": summary.get_state_display()}
        )
    summary.refresh_from_db()


def do_submit_summary(
    summary: AttendanceSummary, *, acting_user: Any, revision: int
) -> AttendanceSummary:
    """Send the computed month to the client's audit (after a dispute: the answers)."""
    require(acting_user, "prepare_attendance")
    if summary.computed_at is None:
        raise ValidationError(_("Compute the summary before submitting it."))
    with transaction.atomic():
        _move(
            summary,
            revision,
            ("draft", "disputed"),
            state=AttendanceSummary.State.SUBMITTED,
            submitted_by=acting_user,
            submitted_at=timezone.now(),
        )
        audit.record(
            "attendance.summary_submitted", summary, actor=acting_user, after={"late": summary.late}
        )
    return summary


def do_dispute_line(
    line: SummaryLine, *, acting_user: Any, revision: int, comment: str
) -> AttendanceSummary:
    """The client questions one agent's line; the month goes back to the vendor."""
    require(acting_user, "audit_attendance")
    if not comment.strip():
        raise ValidationError({"comment": _("Say what is wrong with the line.")})
    summary = line.summary
    with transaction.atomic():
        _move(summary, revision, ("submitted", "disputed"), state=AttendanceSummary.State.DISPUTED)
        SummaryLine.objects.filter(pk=line.pk).update(state="disputed", dispute=comment.strip())
        audit.record(
            "attendance.line_disputed", line, actor=acting_user, after={"comment": comment}
        )
    return summary


def do_answer_line(line: SummaryLine, *, acting_user: Any, answer: str) -> SummaryLine:
    """The vendor answers a disputed line (and may compute the month again)."""
    require(acting_user, "prepare_attendance")
    if line.state != SummaryLine.State.DISPUTED or line.summary.state != "disputed":
        raise ValidationError(_("Only a disputed line is answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        SummaryLine.objects.filter(pk=line.pk).update(state="answered", answer=answer.strip())
        audit.record("attendance.line_answered", line, actor=acting_user, after={"answer": answer})
    line.refresh_from_db()
    return line


def do_sign_summary(
    summary: AttendanceSummary, *, acting_user: Any, revision: int
) -> AttendanceSummary:
    """The client signs the submitted month: final, it feeds the vendor's scorecard."""
    require(acting_user, "audit_attendance")
    if summary.lines.filter(state=SummaryLine.State.DISPUTED).exists():
        raise ValidationError(_("A disputed line waits for the vendor's answer."))
    with transaction.atomic():
        _move(
            summary,
            revision,
            ("submitted",),
            state=AttendanceSummary.State.SIGNED,
            signed_by=acting_user,
            signed_at=timezone.now(),
        )
        audit.record("attendance.summary_signed", summary, actor=acting_user)
    return summary
