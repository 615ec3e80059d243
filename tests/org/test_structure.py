"""Sites, seat types, queues and teams: administrators edit them, everyone reads them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from ccops.org.models import SeatType, Team
from ccops.policy.services import do_set_rule


@pytest.mark.rule("ORG-08", "PEOPLE-07")
def test_new_seat_type_starts_from_the_center_skill_bar(
    center: Any, admin_client: Any, admin_user: Any
) -> None:
    bar = {
        "general": {"knowledge": 82, "typing_cpm": 65, "lookup_seconds": 35},
        "specialist": {"knowledge": 85, "typing_cpm": 80, "lookup_seconds": 30},
        "vip": {"knowledge": 90, "typing_cpm": 80, "lookup_seconds": 15},
    }
    do_set_rule("PEOPLE-07", bar, acting_user=admin_user, reason="2027 bar")
    page = admin_client.get(reverse("org:seattype_create")).content.decode()
    assert 'value="82"' in page and 'value="65"' in page and 'value="35"' in page
    response = admin_client.post(
        reverse("org:seattype_create"),
        {
            "code": "VIP",
            "name": "VIP 专席",
            "min_knowledge_score": 90,
            "min_typing_cpm": 80,
            "max_lookup_seconds": 15,
        },
    )
    assert response.status_code == 302
    assert SeatType.objects.get(code="VIP").max_lookup_seconds == 15


def test_structure_is_read_by_all_but_changed_by_administrators(center: Any) -> None:
    planner = center.client_for(center.user("planner"))
    assert "综合专席" in planner.get(reverse("org:seattype_list")).content.decode()
    assert planner.get(reverse("org:site_create")).status_code == 403
    assert (
        planner.post(reverse("org:queue_delete", kwargs={"pk": center.queue.pk})).status_code == 403
    )


def test_vendor_manages_its_own_teams(center: Any) -> None:
    client = center.client_for(center.user("vendor_pm"))
    data = {
        "site": center.site.pk,
        "code": "A2",
        "name": "甲二组",
        "organisation": center.vendor_b.pk,
    }
    assert client.post(reverse("org:team_create"), data).status_code == 302
    assert (
        Team.objects.get(code="A2").organisation == center.vendor_a
    )  # own vendor, whatever was sent
    edit = reverse("org:team_edit", kwargs={"pk": center.team_a.pk})
    lead = {"site": center.site.pk, "code": "A1", "name": "甲一组", "lead": center.agent_b.pk}
    response = client.post(edit, lead)
    assert response.status_code == 200  # another vendor's person is not a choice
    center.team_a.refresh_from_db()
    assert center.team_a.lead is None


def test_protected_rows_explain_why_they_stay(center: Any, admin_client: Any) -> None:
    response = admin_client.post(
        reverse("org:seattype_delete", kwargs={"pk": center.seat_type.pk}), follow=True
    )
    assert "still in use" in response.content.decode()
    assert SeatType.objects.filter(pk=center.seat_type.pk).exists()


def test_api_lists_structure(center: Any) -> None:
    client = center.client_for(center.user("qa_inspector"))
    sites = client.get("/api/org/sites").json()
    assert [s["code"] for s in sites] == ["HQ"]
    queues = client.get("/api/org/queues").json()
    assert queues[0]["seat_type_id"] == center.seat_type.pk
    assert json.loads(client.get("/api/openapi.json").content)["info"]["title"] == "ccops"


def test_api_keeps_vendor_teams_in_their_vendor(center: Any) -> None:
    client = center.client_for(center.user("vendor_pm"))
    payload = {
        "organisation_id": center.vendor_b.pk,
        "site_id": center.site.pk,
        "code": "A3",
        "name": "甲三组",
        "lead_id": None,
    }
    created = client.post("/api/org/teams", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["organisation_id"] == center.vendor_a.pk
    team_id = created.json()["id"]
    foreign_lead = client.patch(
        f"/api/org/teams/{team_id}", {"lead_id": center.agent_b.pk}, content_type="application/json"
    )
    assert foreign_lead.status_code == 404
    own_lead = client.patch(
        f"/api/org/teams/{team_id}", {"lead_id": center.agent_a.pk}, content_type="application/json"
    )
    assert own_lead.status_code == 200 and own_lead.json()["lead_id"] == center.agent_a.pk
    assert client.delete(f"/api/org/teams/{team_id}").status_code == 204
    assert (
        client.post(
            "/api/org/sites",
            {"code": "X", "name": "X", "level": "city", "city": "", "parent_id": None, "seats": 1},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_api_refuses_deleting_what_is_in_use(center: Any, admin_client: Any) -> None:
    assert admin_client.delete(f"/api/org/seat-types/{center.seat_type.pk}").status_code == 409
