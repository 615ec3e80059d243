"""The monthly attendance summary (ATT-12, ATT-01): the vendor computes it from its
published rosters and clock records (ATT-08..10 fines, each with its rule and events),
submits it by the 21st of the month after; the client audits it line by line, disputes
a line or signs the month; the vendor answers a dispute (recomputing after fixing its
records). Every step checks the revision read, so a second writer is told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.attendance.models import AttendanceSummary, SummaryLine
from ccops.audit import services as audit
from ccops.common.actions import Conflict
from ccops.core.attendance.fines import MonthFines
from ccops.core.attendance.policy import AttendancePolicy, policy_from_rules
from ccops.core.attendance.punches import Punch, Shift
from ccops.core.attendance.report import Month, MonthReport, month_report
from ccops.core.errors import InputError
from ccops.intake.models import ClockPunch
from ccops.org.access import require
from ccops.org.models import Organisation, Person
from ccops.planning.messages import describe
from ccops.planning.models import Roster, RosterShift
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


def published_shifts(org: Organisation, first: dt.date, last: dt.date) -> list[RosterShift]:
    """The shifts of the vendor's published rosters between two days: of each week's
    demand, the newest approved version."""
    rosters = Roster.objects.filter(
        organisation=org,
        state=Roster.State.APPROVED,
        demand__week_start__gt=first - dt.timedelta(days=7),
        demand__week_start__lte=last,
    ).order_by("demand_id", "-number")
    newest: dict[int, int] = {}
    for demand_id, pk in rosters.values_list("demand_id", "pk"):
        newest.setdefault(demand_id, pk)
    return list(
        RosterShift.objects.filter(roster_id__in=newest.values(), day__range=(first, last))
        .select_related("person")
        .order_by("person__employee_no", "day")
    )


def month_inputs(org: Organisation, month: dt.date) -> tuple[list[Shift], list[Punch]]:
    """The month's shifts (and the last day before it, whose night shift's punches run
    into the month) and the clock punches around them, as the core reads them."""
    zone = timezone.get_current_timezone()
    first, last = first_of(month), month_after(month) - dt.timedelta(days=1)
    shifts = [
        Shift(
            row.person.employee_no,
            row.day,
            start := dt.datetime.combine(row.day, dt.time())
            + dt.timedelta(minutes=row.start_minute),
            start + dt.timedelta(minutes=row.minutes),
        )
        for row in published_shifts(org, first - dt.timedelta(days=1), last)
    ]
    begin = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), tzinfo=zone)
    rostered = {s.employee for s in shifts}
    rows = (
        ClockPunch.objects.filter(organisation=org, punched_at__gte=begin, punched_at__lt=end)
        .values_list("person__employee_no", "punched_at", "direction")
        .order_by("person__employee_no", "punched_at")
    )
    punches = [
        Punch(code, timezone.localtime(at, zone).replace(tzinfo=None), direction)  # type: ignore[arg-type]
        for code, at, direction in rows
        if code in rostered
    ]
    return shifts, punches


def compute(org: Organisation, month: dt.date) -> MonthReport:
    shifts, punches = month_inputs(org, month)
    try:
        return month_report(shifts, punches, Month(month.year, month.month), attendance_policy(org))
    except InputError as exc:
        raise ValidationError(describe(exc)) from exc


def do_compute_summary(org: Organisation, month: dt.date, *, acting_user: Any) -> AttendanceSummary:
    """The vendor's summary of the month computed (again) from its records: a draft, or
    a disputed summary brought up to date; all lines replaced at once."""
    require(acting_user, "prepare_attendance")
    report = compute(org, month)
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
                _line(summary, people[fines.employee], fines, disputes.get(people[fines.employee]))
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


def _line(
    summary: AttendanceSummary,
    person_id: int,
    fines: MonthFines,
    dispute: tuple[str, str, str] | None,
) -> SummaryLine:
    state, text, answer = dispute or ("ok", "", "")
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
