"""The audit trail is append-only: neither the ORM nor raw SQL may change or remove a row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ccops.audit import services as audit
from ccops.audit.models import AuditEntry, AuditTamperError


@pytest.fixture
def row(db: Any) -> AuditEntry:
    return audit.record("test.event", note="original")


def test_model_refuses_update_and_delete(row: AuditEntry) -> None:
    row.note = "tampered"
    with pytest.raises(AuditTamperError):
        row.save()
    with pytest.raises(AuditTamperError):
        row.delete()
    with pytest.raises(AuditTamperError):
        AuditEntry.objects.filter(pk=row.pk).update(note="tampered")
    with pytest.raises(AuditTamperError):
        AuditEntry.objects.filter(pk=row.pk).delete()


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditentry SET note = 'tampered'", "DELETE FROM audit_auditentry"]
)
def test_database_refuses_raw_sql(row: AuditEntry, sql: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.get(pk=row.pk).note == "original"


def test_changes_through_the_product_are_recorded(center: Any, admin_client: Any) -> None:
    url = reverse("org:site_edit", kwargs={"pk": center.site.pk})
    response = admin_client.post(
        url,
        {"code": "HQ", "name": "省中心（新）", "level": "province", "city": "南京", "seats": 400},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="update", object_type="org.site").get()
    assert entry.before == {"name": "省中心", "seats": 0}
    assert entry.after == {"name": "省中心（新）", "seats": 400}
    assert entry.actor_name == "admin_client"
    assert entry.ip == "127.0.0.1" and len(entry.request_id) == 32


def test_viewer_is_for_administrators(center: Any, admin_client: Any) -> None:
    audit.record("test.event", note="visible")
    assert "visible" in admin_client.get(reverse("audit:entry_list")).content.decode()
    planner = center.client_for(center.user("planner"))
    assert planner.get(reverse("audit:entry_list")).status_code == 403
    filtered = admin_client.get(reverse("audit:entry_list") + "?action=nothing-like-this")
    assert "visible" not in filtered.content.decode()


def test_purge_door_closes_again(row: AuditEntry) -> None:
    from ccops.audit.purge import purge_allowed

    with purge_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE note = 'nothing'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")


def test_personal_data_changes_are_recorded_masked(center: Any) -> None:
    client = center.client_for(center.user("hr"))
    url = f"/api/org/people/{center.agent_a.pk}"
    old_phone = center.agent_a.phone
    new_phone = old_phone[:3] + "9999" + old_phone[7:]  # the same mask
    assert (
        client.patch(
            url, {"version": 1, "phone": new_phone}, content_type="application/json"
        ).status_code
        == 200
    )
    entry = AuditEntry.objects.get(action="update", object_type="org.person")
    assert set(entry.after) == {"phone"}
    assert new_phone not in str(entry.after) and old_phone not in str(entry.before)
    assert entry.before["phone"].split("#")[0] == entry.after["phone"].split("#")[0]
