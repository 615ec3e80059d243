"""Shared fixtures: a small center with the client, vendor A and vendor B, and a user per role.

`center.user(role)` is a user of that role in the client (client roles) or in vendor A
(vendor roles); `center.outsider(role)` is the same role in vendor B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from ccops.org.models import Organisation, Person, Queue, SeatType, Site, Team
from ccops.org.roles import CLIENT_ROLES, Role
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ProfileFactory,
    QueueFactory,
    SeatTypeFactory,
    SiteFactory,
    TeamFactory,
)


def make_person(org: Organisation, **kwargs: Any) -> Person:
    return PersonFactory(organisation=org, **kwargs)


@dataclass
class Center:
    client_org: Organisation
    vendor_a: Organisation
    vendor_b: Organisation
    site: Site
    seat_type: SeatType
    queue: Queue
    team_a: Team
    team_b: Team
    agent_a: Person
    agent_b: Person
    _users: dict[tuple[str, str], Any] = field(default_factory=dict)

    def user(self, role: str, *, org: Organisation | None = None) -> Any:
        org = org or (self.client_org if role in CLIENT_ROLES else self.vendor_a)
        key = (role, org.code)
        if key not in self._users:
            person = None
            if role == Role.AGENT:
                person = self.agent_a if org == self.vendor_a else self.agent_b
            profile = ProfileFactory(
                user__username=f"{role}_{org.code}".lower(),
                organisation=org,
                role=role,
                person=person,
            )
            self._users[key] = profile.user
        return self._users[key]

    def outsider(self, role: str) -> Any:
        return self.user(role, org=self.vendor_b)

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def center(db: Any) -> Center:
    client_org = OrganisationFactory(code="CLIENT", name="省客服中心", kind="client")
    vendor_a = OrganisationFactory(code="VA", name="甲外包")
    vendor_b = OrganisationFactory(code="VB", name="乙外包")
    site = SiteFactory(code="HQ", name="省中心", level="province", city="南京")
    seat = SeatTypeFactory(code="GEN", name="综合专席")
    queue = QueueFactory(code="Q-GEN", name="综合", seat_type=seat)
    team_a = TeamFactory(organisation=vendor_a, site=site, code="A1", name="甲一组")
    team_b = TeamFactory(organisation=vendor_b, site=site, code="B1", name="乙一组")
    agent_a = make_person(vendor_a, team=team_a, name="甲方座席")
    agent_b = make_person(vendor_b, team=team_b, name="乙方座席")
    return Center(
        client_org, vendor_a, vendor_b, site, seat, queue, team_a, team_b, agent_a, agent_b
    )


@pytest.fixture
def admin_user(center: Center) -> Any:
    return center.user(Role.ADMIN)


@pytest.fixture
def admin_client(center: Center, admin_user: Any) -> Client:
    return center.client_for(admin_user)


@pytest.fixture(autouse=True)
def _audit_purge_for_transactional_tests(request: pytest.FixtureRequest) -> Any:
    """Transactional tests end with a flush of every table; empty the audit table first."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction", False):
        from ccops.audit.purge import purge_all

        purge_all()
