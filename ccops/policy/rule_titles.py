"""Rule titles and areas marked for translation (generated from ccops/core/rules.csv).

makemessages extracts these; `tests/policy/test_rule_titles.py` fails when rules.csv
changes and this list does not. Shown through `rule_title` and `area_label`.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from ccops.core.ruleset import Rule

AREAS = [
    gettext_noop("organisation"),
    gettext_noop("planning"),
    gettext_noop("floor"),
    gettext_noop("attendance"),
    gettext_noop("quality"),
    gettext_noop("people"),
    gettext_noop("vendor"),
    gettext_noop("field"),
]
TITLES = [
    gettext_noop("team lead to agent ratio"),
    gettext_noop("site supervisor to team ratio; minimum supervisors at project start"),
    gettext_noop("business coach to agent ratio"),
    gettext_noop("business supervisor per city"),
    gettext_noop("QA inspector per agents"),
    gettext_noop("back-office agents per front-line agents"),
    gettext_noop("standby agents as share of headcount"),
    gettext_noop("seat types (specialised queues) each with own skill bar"),
    gettext_noop("forecast levels yearly monthly daily interval with regular accuracy review"),
    gettext_noop("separate shift sets for billing periods incidents and normal periods"),
    gettext_noop("busy-hour seat table (requests->seats) with +3 seats per further 100"),
    gettext_noop("front-line agents = busy-hour seats x beta by daily volume band"),
    gettext_noop(
        "client publishes interval head-count demand; vendor builds named roster; client reviews"
    ),
    gettext_noop("roster method reviewed every 2-3 months tied to performance"),
    gettext_noop(
        "employee-friendly shift classes: long rest / family hours / no evening-night for pregnant staff / class timetables"
    ),
    gettext_noop("yearly volume plan drives outsourcing scale seats and floor space"),
    gettext_noop(
        "operating targets: ACW<=60s answer<=12s talk<=150s transfer<=3% ticket accuracy>=99% (inquiry key fields>=95%) outage notice accuracy>=98%"
    ),
    gettext_noop("service level target"),
    gettext_noop("breaks 5 minutes per hour of shift taken in segments"),
    gettext_noop("break tokens cap how many agents are away at once"),
    gettext_noop("away-from-seat absence logged with out/in times; at most 5 minutes each"),
    gettext_noop("team lead floor patrol with violation log"),
    gettext_noop("vendor supervisor checks team leads' patrols"),
    gettext_noop("shift briefing: roll call announcements QA findings quiz"),
    gettext_noop(
        "handover record: open tickets follow-ups incidents system state terminal check; outgoing log out after incoming log in"
    ),
    gettext_noop(
        "overtime demand raised by client; vendor supplies; client audits overtime attendance"
    ),
    gettext_noop(
        "incident classes network/business/system with agreed customer wording and written report; >6h needs written plan"
    ),
    gettext_noop("daily operations report and team ranking board"),
    gettext_noop(
        "vendor records attendance; client audits against ACD logged-in time plus observed briefing/training time"
    ),
    gettext_noop("leave approver by length"),
    gettext_noop("request lead time"),
    gettext_noop("sick leave needs hospital certificate or counts as personal leave"),
    gettext_noop("no leave on public holidays billing days and bill-run days; swap shifts instead"),
    gettext_noop("one night shift of leave counts as two days"),
    gettext_noop("leave entitlements"),
    gettext_noop("lateness and early leave fines"),
    gettext_noop("over 30 minutes late or early counts as half-day absence"),
    gettext_noop("absence fine and dismissal threshold"),
    gettext_noop("shift swaps and overtime/comp-leave by recorded request"),
    gettext_noop("monthly attendance summary submitted by the 21st"),
    gettext_noop("QA sample sized for confidence and error by monthly volume"),
    gettext_noop("calls evaluated per agent per month"),
    gettext_noop(
        "quality measures: QA pass rate SMS satisfaction FAQ spot tests test calls FCR complaints violations"
    ),
    gettext_noop("weekly and monthly QA reports; vendor quality meetings per month"),
    gettext_noop(
        "work-order types: fault report inquiry consultation complaint whistle-blowing service application"
    ),
    gettext_noop(
        "answer deadlines: departments 2 working days then reply to customer 1 working day"
    ),
    gettext_noop("complaint and whistle-blowing deadlines"),
    gettext_noop(
        # xgettext:no-python-format
        "call-backs: 100% for complaints reports inquiries; >=5% sample after fault repairs spread over area; not late at night"
    ),
    gettext_noop("outbound notice: after 3 failed calls hand list back"),
    gettext_noop(
        "business feedback: daily confirmation sheet; urgent issues escalated and published to knowledge base"
    ),
    gettext_noop("anonymous complaints allowed; identity check before disclosing account data"),
    gettext_noop(
        "next month's task order (seats) by the 20th; vendor staffed by the 5th; mid-month change staffed within 7 working days"
    ),
    gettext_noop("pre-hiring above expected attrition; if attrition >= threshold hire more"),
    gettext_noop("client approves final hire list"),
    gettext_noop(
        "recruiting funnel by channel and period: invited interviewed onboarded retained rates"
    ),
    gettext_noop(
        "pre-job training then supervised internship then certification; fail -> returned to vendor"
    ),
    gettext_noop("probation and its pay; certified experienced staff skip probation"),
    gettext_noop("skill bars per seat type: knowledge score typing speed knowledge-base lookup"),
    gettext_noop("monthly star rating for agents and team leads drives pay"),
    gettext_noop("monthly business exam set by client marked by vendor reviewed by client"),
    gettext_noop("talent tiers and manager grades"),
    gettext_noop("bottom elimination: monthly points; 3 consecutive months at bottom -> out"),
    gettext_noop(
        "resignation notice; exit interview with coded reason; equipment return; final pay from attendance"
    ),
    gettext_noop(
        "turnover rate = leavers / headcount per period; voluntary vs involuntary; reasons taxonomy"
    ),
    gettext_noop(
        "attrition early-warning signals: falling performance more leave clustered leave complaints"
    ),
    gettext_noop(
        "vendor paid per seat per month with reward for meeting targets and exceeding volume"
    ),
    gettext_noop(
        "monthly KPI scorecard with weights; coefficient scales settlement; vendor may dispute before sign-off"
    ),
    gettext_noop(
        "agent accounts requested by vendor approved by client; rights verified within 3 days of creation"
    ),
    gettext_noop("on agent exit account closed and closure verified; periodic account audits"),
    gettext_noop("only client-authorised systems on vendor seats via signed authorisation notice"),
    gettext_noop(
        "operating data exported to vendor only by client's on-site staff and scoped to vendor's own agents"
    ),
    gettext_noop(
        "vendor keeps agents' labour contracts on file; vendor floor titles are coach/trainer"
    ),
    gettext_noop("dispatched staff weekly report due Monday 09:00"),
    gettext_noop("dispatched staff reachable on workdays"),
    gettext_noop(
        "monthly score below threshold -> reassignment; quarterly ranking by average score"
    ),
    gettext_noop(
        "rotation: none in first 6 months without major error; region rotation every 6 months; 1 year at one site -> rotate"
    ),
    gettext_noop(
        "coverage by site size: large site person+manager; mid one person; several small sites one person"
    ),
]


def rule_title(rule: Rule) -> str:
    """The rule's title in the active language."""
    return gettext(rule.title)


def area_label(area: str) -> str:
    return gettext(area)
