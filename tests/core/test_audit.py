from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.core.audit import audit
from clinic.core.models import AuditEvent
from tests.factories import PoliFactory

pytestmark = pytest.mark.django_db


def test_audit_records_a_read_with_who_what_and_where(rf, dokter, facility):
    from clinic.core.middleware import RequestContextMiddleware

    poli = PoliFactory(facility=facility)
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = dokter

    def view(req):
        audit(dokter, "view", poli)
        from django.http import HttpResponse

        return HttpResponse("ok")

    RequestContextMiddleware(view)(request)
    event = AuditEvent.objects.get()
    assert event.actor == dokter
    assert event.action == "view"
    assert event.object_type == "queues.poli"
    assert event.object_id == str(poli.pk)
    assert event.facility == facility
    assert event.ip_address == "10.1.2.3"
    assert len(event.request_id) == 32


def test_audit_search_page_filters_by_action_and_record(client_for, admin, dokter, facility):
    poli = PoliFactory(facility=facility)
    audit(dokter, "view", poli)
    audit(dokter, "update", poli, summary="jadwal diubah")
    client = client_for(admin)
    content = client.get(reverse("audit-log"), {"action": "update"}).content.decode()
    assert "jadwal diubah" in content
    content = client.get(reverse("audit-log"), {"object_id": "999999"}).content.decode()
    assert "jadwal diubah" not in content
    assert "Tidak ada data." in content


def test_audit_events_cannot_be_changed_in_django_admin(admin_client):
    event = audit(None, "view", summary="x")
    response = admin_client.post(
        f"/django-admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
