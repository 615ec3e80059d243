"""CSRF, privilege escalation and security headers (reliability rows 15 and 17)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from ccops.audit.models import AuditEntry
from tests.factories import PASSWORD


def _csrf_client(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_posts_without_csrf_token_are_refused(center: Any) -> None:
    client = _csrf_client(center.user("hr"))
    page = client.post(reverse("org:person_reveal", kwargs={"pk": center.agent_a.pk}))
    api = client.post(f"/api/org/people/{center.agent_a.pk}/reveal")
    assert page.status_code == 403 and api.status_code == 403
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_posts_with_the_token_pass(center: Any) -> None:
    client = _csrf_client(center.user("hr"))
    client.get(reverse("org:person_list"))
    token = client.cookies["csrftoken"].value
    url = f"/api/org/people/{center.agent_a.pk}/reveal"
    assert client.post(url, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_team_lead_calling_admin_endpoints_is_refused_and_logged(center: Any) -> None:
    client = center.client_for(center.user("team_lead"))
    assert (
        client.put(
            "/api/policy/rules/ORG-01",
            {"value": {"agents_per_team_lead": 1}, "reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.get(reverse("audit:entry_list")).status_code == 403
    assert client.get(reverse("org:account_create")).status_code == 403
    logged = AuditEntry.objects.filter(
        action="security.forbidden", actor_name=center.user("team_lead").username
    )
    assert logged.count() == 3


def test_agent_cannot_change_its_own_role_or_vendor(center: Any) -> None:
    client = center.client_for(center.user("agent"))
    url = f"/api/org/people/{center.agent_a.pk}"
    response = client.patch(
        url,
        {"version": 1, "organisation_id": center.vendor_b.pk, "position": "team_lead"},
        content_type="application/json",
    )
    assert response.status_code == 403
    center.agent_a.refresh_from_db()
    assert center.agent_a.organisation == center.vendor_a and center.agent_a.position == "agent"


def test_security_headers(center: Any) -> None:
    response = center.client_for(center.user("planner")).get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert len(response["X-Request-ID"]) == 32


def test_nul_characters_are_refused_not_crashed_on(center: Any) -> None:
    client = center.client_for(center.user("hr"))
    assert client.get(reverse("org:person_list") + "?q=a%00b").status_code == 400
    response = client.patch(
        f"/api/org/people/{center.agent_a.pk}",
        {"version": 1, "name": "bad\u0000name"},
        content_type="application/json",
    )
    assert response.status_code == 422
    center.agent_a.refresh_from_db()
    assert "\x00" not in center.agent_a.name
