"""Demo logins: one user per role, linked to the person who holds that job.

Client roles sit in the client, vendor roles in vendor A; vendor B gets a project
manager and an agent so that tenancy can be tried from both sides. Everyone shares
one password, hashed once (hashing is deliberately slow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from ccops.demo.structure import PersonPlan
from ccops.org.models import Organisation, Person, Profile
from ccops.org.roles import Role

DEMO_PASSWORD = "ccops-demo"  # noqa: S105 - printed for the demo on purpose

Pick = Callable[[list[PersonPlan]], PersonPlan | None]


@dataclass(frozen=True)
class Login:
    """A demo login: username, role, organisation code and how to find its person."""

    username: str
    role: str
    org: str
    pick: Pick | None = None


def holder(org: str, position: str, nth: int = 0) -> Pick:
    """The nth person of `org` in `position`."""

    def pick(people: list[PersonPlan]) -> PersonPlan | None:
        matches = [p for p in people if p.org == org and p.position == position]
        return matches[nth] if len(matches) > nth else None

    return pick


def tagged(tag: str) -> Pick:
    def pick(people: list[PersonPlan]) -> PersonPlan | None:
        return next((p for p in people if p.tag == tag), None)

    return pick


def working_agent(org: str) -> Pick:
    """An active agent on the phones in the organisation's first team (the lead's team)."""

    def pick(people: list[PersonPlan]) -> PersonPlan | None:
        lead = holder(org, Person.Position.TEAM_LEAD)(people)
        return next(
            (
                p
                for p in people
                if lead
                and p.team is lead.team
                and p.position == Person.Position.AGENT
                and p.status == Person.Status.ACTIVE
                and p.floor_position is not None
            ),
            None,
        )

    return pick


LOGINS = (
    Login("admin", Role.ADMIN, "CLIENT"),
    Login("planner", Role.PLANNER, "CLIENT", holder("CLIENT", Person.Position.PLANNER)),
    Login("qa", Role.QA_INSPECTOR, "CLIENT", holder("CLIENT", Person.Position.QA_INSPECTOR)),
    Login("siteops", Role.SITE_OPS_MANAGER, "CLIENT", tagged("siteops")),
    Login(
        "supervisor", Role.SITE_SUPERVISOR, "CLIENT", holder("CLIENT", Person.Position.SUPERVISOR)
    ),
    Login("coach", Role.BUSINESS_COACH, "CLIENT", holder("CLIENT", Person.Position.COACH)),
    Login("vendormgr", Role.VENDOR_MANAGER, "CLIENT", tagged("vendormgr")),
    Login("hr", Role.HR, "CLIENT", tagged("hr")),
    Login("va_pm", Role.VENDOR_PM, "VA", holder("VA", Person.Position.PROJECT_MANAGER)),
    Login("va_supervisor", Role.VENDOR_SUPERVISOR, "VA", holder("VA", Person.Position.SUPERVISOR)),
    Login("va_lead", Role.TEAM_LEAD, "VA", holder("VA", Person.Position.TEAM_LEAD)),
    Login("va_trainer", Role.TRAINER, "VA", holder("VA", Person.Position.TRAINER)),
    Login(
        "va_perf", Role.PERFORMANCE_OFFICER, "VA", holder("VA", Person.Position.PERFORMANCE_OFFICER)
    ),
    Login("va_agent", Role.AGENT, "VA", working_agent("VA")),
    Login("vb_pm", Role.VENDOR_PM, "VB", holder("VB", Person.Position.PROJECT_MANAGER)),
    Login("vb_agent", Role.AGENT, "VB", working_agent("VB")),
)
DEMO_USERNAMES = frozenset(login.username for login in LOGINS)


def create_logins(
    people: list[PersonPlan], orgs: dict[str, Organisation]
) -> list[tuple[str, str, str, str]]:
    """Users and profiles for LOGINS; returns (username, password, role label, org code)."""
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)
    result = []
    for login in LOGINS:
        person = login.pick(people) if login.pick else None
        name = person.model.name if person and person.model else ""
        superuser = login.role == Role.ADMIN
        user = user_model.objects.create(
            username=login.username,
            password=password,
            first_name=name,
            is_superuser=superuser,
            is_staff=superuser,
        )
        Profile.objects.create(
            user=user,
            organisation=orgs[login.org],
            role=login.role,
            person=person.model if person else None,
        )
        result.append((login.username, DEMO_PASSWORD, str(Role(login.role).label), login.org))
    return result
