from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from clinic.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_in_bahasa_indonesia_by_default(client):
    content = client.get(reverse("login")).content.decode()
    assert "<h1>Masuk</h1>" in content
    assert 'lang="id"' in content


def test_login_then_home_shows_role_home(client, frontdesk):
    response = client.post(reverse("login"), {"username": "frontdesk", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert "Pendaftaran" in home
    assert AuditEvent.objects.filter(actor=frontdesk, action="login").count() == 1


def test_failed_login_burst_is_throttled(client, frontdesk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "frontdesk", "password": "salah"})
        assert response.status_code == 200
        assert "dan sandi yang benar" in response.content.decode()
    # The attempt that reaches the limit locks the account and answers 429.
    locked = client.post(reverse("login"), {"username": "frontdesk", "password": "salah"})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    # Even the right password is refused while the lockout lasts.
    right = client.post(reverse("login"), {"username": "frontdesk", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", actor_username="frontdesk").count() >= 5


def test_logout_requires_post_and_ends_session(client_for, frontdesk):
    client = client_for(frontdesk)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client_for, frontdesk):
    client = client_for(frontdesk)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Baru#Sekali-2026",
            "new_password2": "Baru#Sekali-2026",
        },
    )
    assert response.status_code == 302
    frontdesk.refresh_from_db()
    assert frontdesk.check_password("Baru#Sekali-2026")


def test_session_expires_after_idle_timeout(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


def test_idle_session_is_refused_after_the_timeout(client_for, frontdesk):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for(frontdesk)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("home")).status_code == 302


@override_settings(PRODUCTION=True)
def test_demo_accounts_cannot_log_in_on_production(client, facility):
    UserFactory(username="frontdesk_demo", role="frontdesk", facility=facility, is_demo=True)
    response = client.post(reverse("login"), {"username": "frontdesk_demo", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_language_switch_to_english(client_for, frontdesk):
    client = client_for(frontdesk)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert "Front desk" in content
    assert 'lang="en"' in content


@pytest.mark.parametrize(
    ("persona", "title_id", "title_en"),
    [
        ("frontdesk", "Pendaftaran", "Front desk"),
        ("perawat", "Ruang perawat", "Nurse station"),
        ("dokter", "Ruang kerja dokter", "Doctor's workspace"),
        ("admin", "Administrasi klinik", "Clinic administration"),
    ],
)
def test_each_role_has_its_home(client_for, persona, title_id, title_en, request):
    client = client_for(request.getfixturevalue(persona))
    content = client.get(reverse("home")).content.decode()
    assert f'data-testid="home-title">{title_id}<' in content
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert f'data-testid="home-title">{title_en}<' in client.get(reverse("home")).content.decode()


def test_environment_badge_on_every_page(client_for, frontdesk, facility):
    client = client_for(frontdesk)
    assert 'data-testid="env-badge">SANDBOX<' in client.get(reverse("home")).content.decode()
    facility.bpjs_environment = "production"
    facility.save()
    assert (
        'data-testid="env-badge">PRODUCTION<' in client.get(reverse("poli-list")).content.decode()
    )
