"""Personal API tokens: made once, act as their user, stop when revoked or deactivated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from ccops.audit.models import AuditEntry
from ccops.org.models import ApiToken
from tests.intake.helpers import ACD_HEADER, acd_rows, write_csv


def _make_token(client: Client) -> str:
    page = client.post(reverse("org:token_list"), {"name": "nightly ACD"}).content.decode()
    return re.search(r'data-testid="new-token">([^<]+)<', page).group(1)


def test_a_token_acts_as_its_user(
    center: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    token = _make_token(center.client_for(center.user("planner")))
    assert not ApiToken.objects.filter(key_hash=token).exists()  # only the hash is kept
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    path = write_csv(tmp_path / "acd.csv", ACD_HEADER, acd_rows())
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as f:
        response = bearer.post("/api/intake/batches", {"kind": "acd", "file": f})
    assert response.status_code == 202
    upload = AuditEntry.objects.get(action="import.upload")
    assert upload.actor_name == center.user("planner").username
    assert bearer.get("/api/audit/entries").status_code == 403  # the planner's rights, no more


def test_vendor_token_sees_only_its_vendor(center: Any) -> None:
    token = _make_token(center.client_for(center.outsider("vendor_pm")))
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    names = [p["name"] for p in bearer.get("/api/org/people").json()]
    assert names == ["乙方座席"]
    assert bearer.get(f"/api/org/people/{center.agent_a.pk}").status_code == 404


def test_revoked_or_deactivated_tokens_stop_working(center: Any) -> None:
    lead = center.user("team_lead")
    owner = center.client_for(lead)
    token = _make_token(owner)
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.get("/api/org/teams").status_code == 200
    lead.is_active = False
    lead.save()
    assert bearer.get("/api/org/teams").status_code == 401
    lead.is_active = True
    lead.save()
    token_row = ApiToken.objects.get(user=lead)
    owner.post(reverse("org:token_revoke", kwargs={"pk": token_row.pk}))
    assert bearer.get("/api/org/teams").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer ccops_forged").get("/api/org/teams").status_code == 401


def test_nobody_revokes_or_sees_another_users_token(center: Any) -> None:
    _make_token(center.client_for(center.user("vendor_pm")))
    token_row = ApiToken.objects.get()
    other = center.client_for(center.outsider("vendor_pm"))
    assert "nightly ACD" not in other.get(reverse("org:token_list")).content.decode()
    assert other.post(reverse("org:token_revoke", kwargs={"pk": token_row.pk})).status_code == 404
