from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post", "put"])
def test_bare_antrean_ws_base_url_answers_metadata_not_a_redirect(client, method):
    if method == "get":
        response = client.get("/ws/antreanfktp")
    else:
        response = getattr(client, method)(
            "/ws/antreanfktp", data="{}", content_type="application/json"
        )
    assert response.status_code == 404
    assert response.json() == {"metadata": {"message": "Alamat Tidak Ditemukan", "code": 201}}


def test_the_web_service_adapter_is_configured(settings):
    from bridging.antrean_ws.ports import get_port

    assert settings.ANTREAN_WS_PORT == "clinic.queues.mobilejkn.ClinicQueueAdapter"
    assert type(get_port()).__name__ == "ClinicQueueAdapter"
