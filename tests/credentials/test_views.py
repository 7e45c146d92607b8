"""The clinic admin's credential pages: access, masking, keep-on-blank, validation, audit signal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bridging.credentials.models import BpjsCredential
from bridging.credentials.signals import credential_changed

pytestmark = pytest.mark.django_db

LIST = reverse("credentials:list")
EDIT_PCARE = reverse("credentials:edit", args=["sandbox", "pcare"])


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "base_url": "",
        "cons_id": "1000",
        "secret": "",
        "user_key": "",
        "username": "klinik.demo",
        "password": "",
        "app_code": "095",
        "connect_timeout": "5",
        "read_timeout": "25",
        "test_card_number": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def received():
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    credential_changed.connect(receiver, weak=False)
    yield calls
    credential_changed.disconnect(receiver)


@pytest.mark.parametrize("persona", ["frontdesk", "perawat", "dokter"])
def test_only_clinic_admins_may_open_the_pages(request, client_for, persona, demo_credentials):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(EDIT_PCARE).status_code == 403
    assert client.post(EDIT_PCARE, _form(secret="stolen")).status_code == 403
    assert client.post(reverse("credentials:test", args=["sandbox"])).status_code == 403
    assert BpjsCredential.objects.get(service="pcare").secret == "sandbox-secret"


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_masked_secrets_only(client_for, admin, demo_credentials):
    response = client_for(admin).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "sandbox-secret" not in html
    assert "sandbox-user-key" not in html
    assert "Demo#2026" not in html
    assert html.count("••••••cret") == 4
    assert html.count("••••••-key") == 4
    assert "klinik.demo" in html


def test_the_edit_page_never_renders_a_stored_secret(client_for, admin, demo_credentials):
    html = client_for(admin).get(EDIT_PCARE).content.decode()
    assert "sandbox-secret" not in html
    assert "sandbox-user-key" not in html
    assert "Demo#2026" not in html
    assert "Tersimpan: ••••••cret" in html


def test_a_blank_secret_field_keeps_the_stored_one(client_for, admin, demo_credentials, received):
    response = client_for(admin).post(EDIT_PCARE, _form(cons_id="1001"))
    assert response.status_code == 302
    credential = BpjsCredential.objects.get(service="pcare")
    assert (credential.cons_id, credential.secret, credential.user_key, credential.password) == (
        "1001",
        "sandbox-secret",
        "sandbox-user-key",
        "Demo#2026",
    )
    assert credential.updated_by == admin
    assert len(received) == 1
    assert received[0]["changed_fields"] == ["cons_id"]
    assert received[0]["created"] is False
    assert received[0]["user"] == admin
    assert received[0]["credential"] == credential


def test_a_new_secret_replaces_the_stored_one(client_for, admin, demo_credentials, received):
    client_for(admin).post(EDIT_PCARE, _form(secret="a-new-secret-1234"))
    credential = BpjsCredential.objects.get(service="pcare")
    assert credential.secret == "a-new-secret-1234"
    assert credential.user_key == "sandbox-user-key"
    assert received[0]["changed_fields"] == ["secret"]
    assert "a-new-secret-1234" not in repr(received[0])


def test_the_antrean_user_key_can_be_removed_to_use_pcare_again(
    client_for, admin, demo_credentials
):
    url = reverse("credentials:edit", args=["sandbox", "antreanfktp"])
    response = client_for(admin).post(url, _form(username="", clear_user_key="on"))
    assert response.status_code == 302
    assert BpjsCredential.objects.get(service="antreanfktp").has("user_key") is False


def test_a_first_save_creates_the_credential_and_says_so(client_for, admin, received):
    url = reverse("credentials:edit", args=["development", "vclaim"])
    response = client_for(admin).post(
        url, _form(cons_id="2222", secret="dev-secret", user_key="dev-key", username="")
    )
    assert response.status_code == 302
    credential = BpjsCredential.objects.get(environment="development", service="vclaim")
    assert (credential.facility_id, credential.secret) == (admin.facility_id, "dev-secret")
    assert received[0]["created"] is True
    assert received[0]["changed_fields"] == ["cons_id", "secret", "user_key"]


def test_validation_messages_are_indonesian(client_for, admin):
    url = reverse("credentials:edit", args=["production", "pcare"])
    response = client_for(admin).post(
        url,
        _form(
            base_url="http://apijkn.bpjs-kesehatan.go.id/pcare-rest",
            cons_id="10a0",
            test_card_number="123",
            username="",
            read_timeout="2",
            connect_timeout="5",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["base_url"] == ["Alamat produksi harus diawali https://."]
    assert errors["cons_id"] == ["Consumer ID hanya berisi angka."]
    assert errors["test_card_number"] == ["Nomor kartu BPJS terdiri dari tepat 13 digit."]
    assert errors["read_timeout"] == [
        "Batas waktu baca tidak boleh lebih pendek dari batas waktu koneksi."
    ]
    for name in ("secret", "user_key", "username", "password"):
        assert errors[name] == ["Wajib diisi untuk layanan ini."]
    assert not BpjsCredential.objects.exists()


def test_another_facility_credentials_never_show(
    client_for, admin, other_facility, demo_credentials
):
    theirs = BpjsCredential(
        facility=other_facility,
        environment="development",
        service="pcare",
        cons_id="77777",
        username="klinik.lain",
        base_url="https://their-proxy.test/pcare",
    )
    theirs.secret = "their-secret-abcd"
    theirs.user_key = "their-user-key"
    theirs.password = "their-password"
    theirs.save()
    client = client_for(admin)
    for url in (LIST, reverse("credentials:edit", args=["development", "pcare"])):
        html = client.get(url).content.decode()
        for value in ("77777", "klinik.lain", "their-proxy", "abcd"):
            assert value not in html
    form = client.get(reverse("credentials:edit", args=["development", "pcare"])).context["form"]
    assert form.instance.pk is None
    client.post(
        reverse("credentials:edit", args=["development", "pcare"]),
        _form(cons_id="1234", secret="mine-secret", user_key="mine-key", password="mine-pass"),
    )
    theirs.refresh_from_db()
    assert (theirs.cons_id, theirs.secret) == ("77777", "their-secret-abcd")
    mine = BpjsCredential.objects.get(facility=admin.facility, environment="development")
    assert mine.cons_id == "1234"


def test_unknown_environment_or_service_is_404(client_for, admin):
    client = client_for(admin)
    assert client.get(reverse("credentials:edit", args=["staging", "pcare"])).status_code == 404
    assert client.get(reverse("credentials:edit", args=["sandbox", "aplicares"])).status_code == 404
    assert client.post(reverse("credentials:test", args=["staging"])).status_code == 404
