from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.core.models import AuditEvent
from tests.factories import PoliFactory

pytestmark = pytest.mark.django_db


def test_frontdesk_gets_403_on_the_audit_log(client_for, frontdesk):
    response = client_for(frontdesk).get(reverse("audit-log"))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["perawat", "dokter"])
def test_clinical_staff_get_403_on_the_audit_log(client_for, persona, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("audit-log")).status_code == 403


def test_clinic_admin_sees_the_audit_log(client_for, admin):
    response = client_for(admin).get(reverse("audit-log"))
    assert response.status_code == 200


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("audit-log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_of_facility_a_gets_404_on_facility_b_records(client_for, dokter, other_facility):
    poli_b = PoliFactory(facility=other_facility)
    response = client_for(dokter).get(reverse("poli-detail", args=[poli_b.pk]))
    assert response.status_code == 404


def test_user_sees_own_facility_records(client_for, dokter, facility):
    poli = PoliFactory(facility=facility, name="Umum")
    response = client_for(dokter).get(reverse("poli-detail", args=[poli.pk]))
    assert response.status_code == 200
    assert b"Umum" in response.content


def test_poli_list_shows_only_own_facility(client_for, dokter, facility, other_facility):
    PoliFactory(facility=facility, name="Umum Sini")
    PoliFactory(facility=other_facility, name="Umum Sana")
    content = client_for(dokter).get(reverse("poli-list")).content.decode()
    assert "Umum Sini" in content
    assert "Umum Sana" not in content


def test_audit_log_lists_only_own_facility_events(client_for, admin, dokter_other_facility):
    from clinic.core.audit import audit

    audit(dokter_other_facility, "view", summary="elsewhere")
    audit(admin, "view", summary="here")
    content = client_for(admin).get(reverse("audit-log")).content.decode()
    assert "here" in content
    assert "elsewhere" not in content
    assert AuditEvent.objects.filter(summary="elsewhere").count() == 1
