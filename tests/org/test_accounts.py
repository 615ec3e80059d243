"""User accounts: created with a validated password, roles kept to their side, sessions ended."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ccops.audit.models import AuditEntry
from ccops.org.models import Profile
from tests.factories import PASSWORD


def test_administrator_creates_an_account(center: Any, admin_client: Client) -> None:
    data = {
        "username": "newlead",
        "password": "123",
        "organisation": center.vendor_a.pk,
        "role": "team_lead",
        "person": "",
        "is_active": "on",
    }
    weak = admin_client.post(reverse("org:account_create"), data)
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    data["password"] = "tall-river-91-lantern"
    response = admin_client.post(reverse("org:account_create"), data)
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="newlead")
    assert profile.organisation == center.vendor_a and profile.user.check_password(data["password"])
    entry = AuditEntry.objects.get(action="create", object_type="org.profile")
    assert "password" not in str(entry.after)


def test_vendor_role_cannot_belong_to_the_client(center: Any, admin_client: Client) -> None:
    data = {
        "username": "mixed",
        "password": "tall-river-91-lantern",
        "organisation": center.client_org.pk,
        "role": "team_lead",
        "is_active": "on",
    }
    response = admin_client.post(reverse("org:account_create"), data)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="mixed").exists()


@pytest.mark.parametrize("change", ["deactivate", "password"])
def test_disabling_or_new_password_ends_live_sessions(
    center: Any, admin_client: Client, change: str
) -> None:
    lead = center.user("team_lead")
    session = Client()
    assert session.login(username=lead.username, password=PASSWORD)
    assert session.get(reverse("org:team_list")).status_code == 200
    data = {
        "role": "team_lead",
        "person": "",
        "is_active": "" if change == "deactivate" else "on",
        "password": "new-granite-47-harbour" if change == "password" else "",
    }
    response = admin_client.post(reverse("org:account_edit", kwargs={"pk": lead.profile.pk}), data)
    assert response.status_code == 302
    after = session.get(reverse("org:team_list"))
    assert after.status_code == 302 and "/login/" in after["Location"]
    assert session.get("/api/org/teams").status_code == 401


def test_only_administrators_manage_accounts(center: Any) -> None:
    hr = center.client_for(center.user("hr"))
    assert hr.get(reverse("org:account_list")).status_code == 403
    assert hr.get(reverse("org:account_create")).status_code == 403
