"""People pages and API: masking, audited reveals, scoped writes, version conflicts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ccops.audit.models import AuditEntry
from ccops.org.models import Person


@pytest.mark.parametrize("role", ["planner", "vendor_pm", "team_lead", "qa_inspector"])
def test_phone_and_id_are_masked_on_pages_exports_and_api(center: Any, role: str) -> None:
    client = center.client_for(center.user(role))
    a = center.agent_a
    pages = [
        client.get(reverse("org:person_list")),
        client.get(reverse("org:person_list") + "?export=csv"),
        client.get(reverse("org:person_detail", kwargs={"pk": a.pk})),
        client.get("/api/org/people"),
        client.get(f"/api/org/people/{a.pk}"),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode("utf-8-sig")
        assert a.phone not in body and a.national_id not in body
    assert a.phone_masked in pages[0].content.decode()


def test_reveal_needs_permission_and_is_logged(center: Any) -> None:
    a = center.agent_a
    hr = center.client_for(center.user("hr"))
    response = hr.post(reverse("org:person_reveal", kwargs={"pk": a.pk}))
    assert a.phone in response.content.decode() and a.national_id in response.content.decode()
    api = hr.post(f"/api/org/people/{a.pk}/reveal")
    assert api.json()["phone"] == a.phone
    assert AuditEntry.objects.filter(action="reveal", object_id=str(a.pk)).count() == 2
    planner = center.client_for(center.user("planner"))
    assert planner.post(reverse("org:person_reveal", kwargs={"pk": a.pk})).status_code == 403
    assert planner.post(f"/api/org/people/{a.pk}/reveal").status_code == 403


def test_agent_sees_only_own_record(center: Any) -> None:
    client = center.client_for(center.user("agent"))
    listing = client.get("/api/org/people").json()
    assert [p["id"] for p in listing] == [center.agent_a.pk]


def test_vendor_creates_people_only_in_its_own_vendor(center: Any) -> None:
    client = center.client_for(center.user("vendor_pm"))
    payload = {
        "employee_no": "VA77777",
        "name": "新人",
        "hire_date": "2026-11-01",
        "organisation_id": center.vendor_b.pk,
        "team_id": center.team_a.pk,
    }
    response = client.post("/api/org/people", payload, content_type="application/json")
    assert response.status_code == 201
    assert Person.objects.get(employee_no="VA77777").organisation == center.vendor_a
    assert AuditEntry.objects.filter(action="security.mass_assignment").exists()
    payload |= {"employee_no": "VA77778", "team_id": center.team_b.pk}
    assert (
        client.post("/api/org/people", payload, content_type="application/json").status_code == 404
    )


def test_stale_version_is_a_conflict(center: Any) -> None:
    client = center.client_for(center.user("hr"))
    url = f"/api/org/people/{center.agent_a.pk}"
    first = client.patch(url, {"version": 1, "name": "改名一"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "name": "改名二"}, content_type="application/json")
    assert stale.status_code == 409
    assert Person.objects.get(pk=center.agent_a.pk).name == "改名一"


def test_person_form_validates_and_audits(center: Any) -> None:
    client = center.client_for(center.user("hr"))
    data = {
        "organisation": center.vendor_a.pk,
        "employee_no": "VA55555",
        "name": "表单",
        "phone": "12345",
        "national_id": "",
        "hire_date": "2026-11-01",
        "status": "active",
        "position": "agent",
        "shift_class": "",
    }
    response = client.post(reverse("org:person_create"), data)
    assert response.status_code == 200 and "11-digit" in response.content.decode()
    data["phone"] = "13912345678"
    response = client.post(reverse("org:person_create"), data)
    assert response.status_code == 302
    person = Person.objects.get(employee_no="VA55555")
    assert AuditEntry.objects.filter(action="create", object_id=str(person.pk)).exists()
    edit = reverse("org:person_edit", kwargs={"pk": person.pk})
    assert "13912345678" not in client.get(edit).content.decode()  # never pre-filled
    data |= {"phone": "", "name": "表单改", "version": person.version}
    assert client.post(edit, data).status_code == 302
    person.refresh_from_db()
    assert person.phone == "13912345678" and person.name == "表单改"


def test_list_views_stay_within_a_query_budget(
    center: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import PersonFactory

    for _ in range(30):
        PersonFactory(organisation=center.vendor_a, team=center.team_a)
    client = center.client_for(center.user("hr"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("org:person_list")).status_code == 200


def test_export_with_personal_data_needs_permission_and_is_logged(center: Any) -> None:
    hr = center.client_for(center.user("hr"))
    assert "reveal=1" in hr.get(reverse("org:person_list")).content.decode()
    full = hr.get(reverse("org:person_list") + "?export=csv&reveal=1").content.decode("utf-8-sig")
    assert center.agent_a.phone in full and center.agent_a.national_id in full
    entry = AuditEntry.objects.get(action="reveal")
    assert "export of 2 people" in entry.note
    lead = center.client_for(center.user("team_lead"))
    assert "reveal=1" not in lead.get(reverse("org:person_list")).content.decode()
    assert lead.get(reverse("org:person_list") + "?export=csv&reveal=1").status_code == 403
    vendor = center.client_for(center.user("vendor_pm"))
    own = vendor.get(reverse("org:person_list") + "?export=csv&reveal=1").content.decode(
        "utf-8-sig"
    )
    assert center.agent_a.phone in own and center.agent_b.phone not in own
