"""The client factory handed to handlers."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from bridging.outbox import runner
from bridging.outbox.clients import ClientFactory
from bridging.outbox.handlers import SendResult
from bridging.outbox.models import SyncAttempt
from bridging.transport.errors import ConfigurationError
from bridging.transport.http import ServiceConfig, Transport


class _Client:
    def __init__(self, facility_id, secret="s3cr3t-value"):
        self.facility_id = facility_id
        self._transport = Transport(
            ServiceConfig(
                service="pcare",
                base_url="http://127.0.0.1:9",
                cons_id="1000",
                secret=secret,
                user_key="user-key-value",
                password="Demo#2026",
            )
        )


def test_factory_builds_each_client_once_for_the_job_facility():
    built = []

    def build(facility_id):
        built.append(facility_id)
        return _Client(facility_id)

    factory = ClientFactory(7, builders={"pcare": build})
    assert factory.pcare() is factory("pcare")
    assert factory.pcare().facility_id == 7
    assert built == [7]


def test_factory_refuses_an_unknown_service():
    with pytest.raises(ValueError, match="unknown BPJS service"):
        ClientFactory(7)("mobilejkn")


@pytest.mark.django_db
def test_factory_defaults_to_the_stored_credentials(facility):
    with pytest.raises(ConfigurationError):
        ClientFactory(facility.pk).pcare()


def test_noted_pydantic_request_is_kept_by_wire_name():
    class Request(BaseModel):
        card_number: str = Field(alias="noKartu")

    factory = ClientFactory(1)
    factory.note_request(Request(noKartu="0001234567890"))
    assert factory.requests == [{"noKartu": "0001234567890"}]


def test_factory_lists_the_secrets_of_built_clients():
    factory = ClientFactory(1, builders={"pcare": _Client})
    factory.pcare()
    assert sorted(factory.secrets()) == ["Demo#2026", "s3cr3t-value", "user-key-value"]


@pytest.mark.django_db
def test_a_secret_echoed_in_a_request_is_masked_in_the_attempt(make_job, fake):
    job = make_job(payload={"catatan": "kunci s3cr3t-value bocor"})
    fake.send_script = [SendResult("A1", {"echo": "user-key-value"})]

    def clients(job):
        factory = ClientFactory(job.facility_id, builders={"pcare": _Client})
        factory.pcare()
        return factory

    runner.run_job(job.pk, clients=clients)
    attempt = SyncAttempt.objects.get(job=job)
    assert attempt.request == {"catatan": "kunci *** bocor"}
    assert attempt.response == {"echo": "***"}
