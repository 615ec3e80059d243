"""The demo center's organisation: client, vendors, sites, seat types, queues, teams, people.

Head counts follow the organisation rules (ORG-01..07) and skill bars follow PEOPLE-07,
all read from the rule defaults so a changed default changes the demo too.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass

from ccops.core.ruleset import DEFAULTS
from ccops.demo.identities import IdentityFactory
from ccops.org.models import Organisation, Person, Queue, SeatType, Site, Team

TARGET_AGENTS = 350
YEARS_OF_HIRING = 3
STATUS_MIX = {  # front-line agents in teams
    Person.Status.ACTIVE: 0.83,
    Person.Status.PROBATION: 0.10,
    Person.Status.TRAINING: 0.04,
    Person.Status.LEAVING: 0.03,
}
LEFT_SHARE = 0.06  # leavers still on file, per front-line head count
FRIENDLY_SHIFT_SHARE = 0.05
EXTRA_GENERAL_SKILL_SHARE = 0.3  # specialists also cleared for general seats
AGENT_EDUCATION = {"secondary": 0.15, "college": 0.50, "bachelor": 0.33, "postgraduate": 0.02}
STAFF_EDUCATION = {"college": 0.30, "bachelor": 0.60, "postgraduate": 0.10}


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    prefix: str  # of employee numbers
    site: str  # where its teams sit
    short: str  # in team names, so that two owners' "综合1班" can be told apart


@dataclass(frozen=True)
class QueueSpec:
    """An ACD queue, its seat type, weekday volume and average handling time (s)."""

    code: str
    name: str
    short: str
    seat_type: str
    weekday_calls: int
    aht: int

    @property
    def workload(self) -> float:
        return self.weekday_calls * self.aht


ORGS = (
    OrgSpec("CLIENT", "省客户服务中心", Organisation.Kind.CLIENT, "KF", "NJ", "自营"),
    OrgSpec("VA", "江苏云联信息服务有限公司", Organisation.Kind.VENDOR, "VA", "NJ", "云联"),
    OrgSpec("VB", "苏州汇通外包服务有限公司", Organisation.Kind.VENDOR, "VB", "SZ", "汇通"),
)
SITES = (
    ("NJ", "省客服中心（南京）", Site.Level.PROVINCE, "南京"),
    ("SZ", "苏州分中心", Site.Level.CITY, "苏州"),
)
SEAT_TYPES = (  # code, name, PEOPLE-07 bar
    ("GEN", "综合业务专席", "general"),
    ("USER", "用户业务专席", "specialist"),
    ("VAS", "增值业务专席", "specialist"),
    ("VIP", "VIP客户专席", "vip"),
)
QUEUES = (
    QueueSpec("Q-GEN", "综合咨询", "综合", "GEN", 6000, 360),
    QueueSpec("Q-FAULT", "故障报修", "报修", "GEN", 2400, 390),
    QueueSpec("Q-USER", "用户业务受理", "用户", "USER", 1800, 420),
    QueueSpec("Q-VAS", "增值业务", "增值", "VAS", 1400, 400),
    QueueSpec("Q-VIP", "VIP客户专线", "VIP", "VIP", 500, 420),
)
VENDOR_CYCLE = ("VA", "VB", "VA")  # vendor A runs two teams in three


@dataclass
class TeamPlan:
    """A team to create: owner, site, queue and code; the model once saved."""

    org: str
    site: str
    queue: QueueSpec
    code: str
    name: str
    model: Team | None = None


@dataclass
class PersonPlan:
    """A person to create, with what the build needs to know about them later."""

    org: str
    position: str
    status: str
    hire_date: dt.date
    site: str | None
    team: TeamPlan | None = None
    skills: tuple[str, ...] = ()
    shift_class: str = ""
    floor_position: int | None = None  # place in the team rota, for agents on the phones
    has_acd_account: bool = False
    senior: bool = False
    tag: str = ""  # which demo login, if any, this person backs
    model: Person | None = None


@dataclass
class Structure:
    """Everything the organisation step created, keyed by code."""

    orgs: dict[str, Organisation]
    sites: dict[str, Site]
    seat_types: dict[str, SeatType]
    queues: dict[str, Queue]
    teams: list[TeamPlan]
    people: list[PersonPlan]


def rule(rule_id: str, key: str) -> float:
    """One number from a rule's default value."""
    return DEFAULTS[rule_id][key]  # type: ignore[no-any-return]


def teams_per_queue(total: int) -> dict[str, int]:
    """Split `total` teams over the queues by workload, largest remainder, one at least."""
    workload = sum(q.workload for q in QUEUES)
    exact = {q.code: max(total * q.workload / workload, 1) for q in QUEUES}
    counts = {code: math.floor(value) for code, value in exact.items()}
    by_remainder = sorted(exact, key=lambda code: counts[code] - exact[code])
    for code in by_remainder[: max(total - sum(counts.values()), 0)]:
        counts[code] += 1
    return counts


def plan_teams() -> list[TeamPlan]:
    """ORG-01: about TARGET_AGENTS agents in teams of one lead's span.

    VIP and the first general team stay in house; the rest go to the vendors.
    """
    total = round(TARGET_AGENTS / rule("ORG-01", "agents_per_team_lead"))
    plans, per_owner = [], defaultdict(int)
    vendor_turn = 0
    specs = {spec.code: spec for spec in ORGS}
    for queue in QUEUES:
        for index in range(teams_per_queue(total)[queue.code]):
            in_house = queue.seat_type == "VIP" or (queue.code == "Q-GEN" and index == 0)
            org = "CLIENT" if in_house else VENDOR_CYCLE[vendor_turn % len(VENDOR_CYCLE)]
            vendor_turn += not in_house
            per_owner[org, queue.code] += 1
            number = per_owner[org, queue.code]
            code = f"{org}-{queue.code.removeprefix('Q-')}{number:02d}"
            name = f"{specs[org].short}{queue.short}{number}班"
            plans.append(TeamPlan(org, specs[org].site, queue, code, name))
    return plans


class PeoplePlanner:
    """Decides who works here: positions, statuses, hire dates, skills, shift classes."""

    def __init__(self, rnd: random.Random, today: dt.date) -> None:
        self.rnd = rnd
        self.today = today
        self.people: list[PersonPlan] = []

    def hire_date(self, status: str, *, senior: bool = False) -> dt.date:
        """Spread over three years; trainees and probationers hired recently (PEOPLE-05/06)."""
        training = DEFAULTS["PEOPLE-05"]["training_days"] + DEFAULTS["PEOPLE-05"]["internship_days"]
        probation = 30 * DEFAULTS["PEOPLE-06"]["probation_months"]
        ranges = {
            Person.Status.TRAINING: (3, training - 1),
            Person.Status.PROBATION: (training, probation - 1),
            Person.Status.LEFT: (180, 365 * YEARS_OF_HIRING),
        }
        low, high = ranges.get(status, (probation, 365 * YEARS_OF_HIRING))
        if senior:
            low = max(low, 365)
        return self.today - dt.timedelta(days=self.rnd.randint(low, high))

    def add(
        self,
        org: str,
        position: str,
        *,
        status: str = Person.Status.ACTIVE,
        site: str | None = None,
        senior: bool = False,
        **extra: object,
    ) -> PersonPlan:
        plan = PersonPlan(
            org=org,
            position=position,
            status=status,
            site=site,
            senior=senior,
            hire_date=self.hire_date(status, senior=senior),
            **extra,  # type: ignore[arg-type]
        )
        self.people.append(plan)
        return plan

    def team(self, team: TeamPlan) -> int:
        """A lead and about twenty agents (ORG-01); returns how many agents."""
        seat = team.queue.seat_type
        self.add(
            team.org,
            Person.Position.TEAM_LEAD,
            site=team.site,
            team=team,
            senior=True,
            skills=tuple(dict.fromkeys((seat, "GEN"))),
            has_acd_account=True,
        )
        span = int(rule("ORG-01", "agents_per_team_lead"))
        size = span + self.rnd.randint(-2, 2)
        statuses = self.rnd.choices(list(STATUS_MIX), weights=list(STATUS_MIX.values()), k=size)
        for position, status in enumerate(statuses):
            self.add(
                team.org,
                Person.Position.AGENT,
                status=status,
                site=team.site,
                team=team,
                skills=self.agent_skills(seat),
                shift_class=self.shift_class(),
                floor_position=position if status != Person.Status.TRAINING else None,
                has_acd_account=True,
            )
        return size

    def agent_skills(self, seat: str) -> tuple[str, ...]:
        if seat != "GEN" and self.rnd.random() < EXTRA_GENERAL_SKILL_SHARE:
            return (seat, "GEN")
        return (seat,)

    def shift_class(self) -> str:
        """PLAN-07: a few agents have an employee-friendly shift class."""
        if self.rnd.random() >= FRIENDLY_SHIFT_SHARE:
            return ""
        return self.rnd.choice(DEFAULTS["PLAN-07"]["classes"])

    def organisation_staff(self, spec: OrgSpec, teams: int, front_line: int) -> None:
        """Supervisors, back office, standby and leavers for an organisation with teams."""
        supervisors = max(
            int(rule("ORG-02", "min_supervisors_at_start")),
            math.ceil(teams / rule("ORG-02", "teams_per_supervisor")),
        )
        for _ in range(supervisors):
            self.add(
                spec.code, Person.Position.SUPERVISOR, site=spec.site, senior=True, skills=("GEN",)
            )
        for _ in range(math.ceil(front_line / rule("ORG-06", "front_line_per_back_office"))):
            self.add(spec.code, Person.Position.BACK_OFFICE, site=spec.site, skills=("GEN",))
        for _ in range(round(front_line * rule("ORG-07", "standby_share"))):
            self.add(
                spec.code,
                Person.Position.AGENT,
                site=spec.site,
                skills=("GEN",),
                has_acd_account=True,
            )
        for _ in range(round(front_line * LEFT_SHARE)):
            self.add(
                spec.code,
                Person.Position.AGENT,
                status=Person.Status.LEFT,
                site=spec.site,
                skills=("GEN",),
            )

    def vendor_office(self, spec: OrgSpec) -> None:
        """The vendor's project manager, trainers (2-3) and performance officer."""
        self.add(spec.code, Person.Position.PROJECT_MANAGER, site=spec.site, senior=True)
        for _ in range(self.rnd.randint(2, 3)):
            self.add(
                spec.code,
                Person.Position.TRAINER,
                site=spec.site,
                senior=True,
                skills=("GEN", "USER"),
            )
        self.add(spec.code, Person.Position.PERFORMANCE_OFFICER, site=spec.site)

    def client_office(self, agents: int, cities: list[str]) -> None:
        """Coaches (ORG-03), QA (ORG-05), business supervisors (ORG-04), planners, managers.

        Each site is in its own city, so ORG-04 gives every site its business supervisor.
        """
        every_seat = tuple(code for code, _, _ in SEAT_TYPES)
        for _ in range(math.ceil(agents / rule("ORG-03", "agents_per_coach"))):
            self.add("CLIENT", Person.Position.COACH, site="NJ", senior=True, skills=every_seat)
        for _ in range(math.ceil(agents / rule("ORG-05", "agents_per_qa_inspector"))):
            self.add("CLIENT", Person.Position.QA_INSPECTOR, site="NJ", skills=every_seat)
        for site in cities:
            for _ in range(int(rule("ORG-04", "business_supervisors_per_city"))):
                self.add(
                    "CLIENT", Person.Position.SUPERVISOR, site=site, senior=True, skills=("GEN",)
                )
        for _ in range(2):
            self.add("CLIENT", Person.Position.PLANNER, site="NJ")
        for tag in ("siteops", "vendormgr", "hr"):
            self.add("CLIENT", Person.Position.OTHER, site="NJ", senior=True, tag=tag)


def plan_people(rnd: random.Random, today: dt.date, teams: list[TeamPlan]) -> list[PersonPlan]:
    """Every person of the demo center, before identities and numbers are drawn."""
    planner = PeoplePlanner(rnd, today)
    front_line: dict[str, int] = defaultdict(int)
    team_count: dict[str, int] = defaultdict(int)
    for team in teams:
        front_line[team.org] += planner.team(team)
        team_count[team.org] += 1
    for spec in ORGS:
        if team_count[spec.code]:
            planner.organisation_staff(spec, team_count[spec.code], front_line[spec.code])
        if spec.kind == Organisation.Kind.VENDOR:
            planner.vendor_office(spec)
    planner.client_office(sum(front_line.values()), [code for code, *_ in SITES])
    return planner.people


def physical_seats(people: list[PersonPlan]) -> dict[str, int]:
    """Seats per site: everyone who sits at a phone there plus 10 %, in tens."""
    at_phone = {Person.Position.AGENT, Person.Position.TEAM_LEAD, Person.Position.BACK_OFFICE}
    heads: dict[str, int] = defaultdict(int)
    for person in people:
        if person.site and person.position in at_phone and person.status != Person.Status.LEFT:
            heads[person.site] += 1
    return {code: math.ceil(heads[code] * 1.1 / 10) * 10 for code, *_ in SITES}


def create_reference_data(
    seats: dict[str, int],
) -> tuple[dict[str, Organisation], dict[str, Site], dict[str, SeatType], dict[str, Queue]]:
    """Organisations, sites (with `seats`), seat types (PEOPLE-07 bars) and queues."""
    orgs = {
        spec.code: Organisation.objects.create(code=spec.code, name=spec.name, kind=spec.kind)
        for spec in ORGS
    }
    sites: dict[str, Site] = {}
    for code, name, level, city in SITES:
        parent = None if level == Site.Level.PROVINCE else sites["NJ"]
        sites[code] = Site.objects.create(
            code=code, name=name, level=level, city=city, parent=parent, seats=seats[code]
        )
    bars = DEFAULTS["PEOPLE-07"]
    seat_types = {
        code: SeatType.objects.create(
            code=code,
            name=name,
            min_knowledge_score=bars[bar]["knowledge"],
            min_typing_cpm=bars[bar]["typing_cpm"],
            max_lookup_seconds=bars[bar]["lookup_seconds"],
        )
        for code, name, bar in SEAT_TYPES
    }
    queues = {
        q.code: Queue.objects.create(code=q.code, name=q.name, seat_type=seat_types[q.seat_type])
        for q in QUEUES
    }
    return orgs, sites, seat_types, queues


def create_teams(
    teams: list[TeamPlan],
    orgs: dict[str, Organisation],
    sites: dict[str, Site],
    queues: dict[str, Queue],
) -> None:
    """Save the teams with the queue each answers (leads are set once the people exist)."""
    for plan in teams:
        plan.model = Team.objects.create(
            organisation=orgs[plan.org],
            site=sites[plan.site],
            code=plan.code,
            name=plan.name,
            queue=queues[plan.queue.code],
        )


def employee_numbers(people: list[PersonPlan]) -> list[str]:
    """Per organisation, numbered in order of hiring: VA00101, VA00102, ..."""
    prefixes = {spec.code: spec.prefix for spec in ORGS}
    order = sorted(range(len(people)), key=lambda i: (people[i].org, people[i].hire_date, i))
    numbers = [""] * len(people)
    seen: dict[str, int] = defaultdict(int)
    for i in order:
        seen[people[i].org] += 1
        numbers[i] = f"{prefixes[people[i].org]}{100 + seen[people[i].org]:05d}"
    return numbers


def draw_education(rnd: random.Random, plan: PersonPlan) -> str:
    mix = AGENT_EDUCATION if plan.position in {"agent", "back_office"} else STAFF_EDUCATION
    return rnd.choices(list(mix), weights=list(mix.values()))[0]


def create_people(rnd: random.Random, structure: Structure) -> None:
    """Save every person with identity, number, ACD account and skills; set team leads."""
    people, factory = structure.people, IdentityFactory(rnd)
    numbers = employee_numbers(people)
    accounts = iter(rnd.sample(range(80000, 90000), sum(p.has_acd_account for p in people)))
    rows = []
    for plan, number in zip(people, numbers, strict=True):
        floor_staff = plan.position in {"agent", "back_office"}
        who = factory.draw(
            hire_date=plan.hire_date, female_share=0.7 if floor_staff else 0.5, senior=plan.senior
        )
        shift_class = plan.shift_class
        if shift_class == "no_night" and not who.female:
            shift_class = "family_hours"
        plan.shift_class = shift_class
        rows.append(
            Person(
                organisation=structure.orgs[plan.org],
                employee_no=number,
                name=who.name,
                phone=who.phone,
                national_id=who.national_id,
                education=draw_education(rnd, plan),
                hire_date=plan.hire_date,
                status=plan.status,
                position=plan.position,
                site=structure.sites[plan.site] if plan.site else None,
                team=plan.team.model if plan.team else None,
                shift_class=shift_class,
                acd_account=str(next(accounts)) if plan.has_acd_account else None,
            )
        )
    for plan, person in zip(people, Person.objects.bulk_create(rows), strict=True):
        plan.model = person
    add_skills(structure)
    set_team_leads(structure)


def add_skills(structure: Structure) -> None:
    through = Person.skills.through
    links = [
        through(person_id=plan.model.pk, seattype_id=structure.seat_types[code].pk)
        for plan in structure.people
        if plan.model
        for code in plan.skills
    ]
    through.objects.bulk_create(links, batch_size=5000)


def set_team_leads(structure: Structure) -> None:
    for plan in structure.people:
        if plan.position == Person.Position.TEAM_LEAD and plan.team and plan.team.model:
            plan.team.model.lead = plan.model
    Team.objects.bulk_update([t.model for t in structure.teams if t.model], ["lead"])
