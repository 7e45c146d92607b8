"""Under a failing, timing-out BPJS, every visit still ends with exactly one pendaftaran."""

from __future__ import annotations

from collections import Counter

import pytest

from bridging.outbox.models import SyncAttempt, SyncJob
from clinic.queues.models import Visit
from clinic.queues.services import visit_register
from tests.queues.conftest import run_outbox
from tests.queues.factories import PatientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CARDS = [f"0002{n:09d}" for n in range(1, 13)]


def test_faults_leave_exactly_one_pendaftaran_per_visit(
    clinic, today, sandbox, bpjs_clients, pcare_client
):
    visits = []
    for i, card in enumerate(CARDS):
        patient = PatientFactory(facility=clinic.facility, bpjs_card_number=card)
        visits.append(
            visit_register(
                facility=clinic.facility,
                patient=patient,
                poli=clinic.gigi if i % 3 == 0 else clinic.umum,
                visit_date=today,
                payer="bpjs",
                is_sick_visit=None,
                tkp="10",
                complaint="",
                source="frontdesk",
            )
        )
    # Plenty of attempts: with half the requests failing, 12 in a row can fail by chance.
    SyncJob.objects.update(max_attempts=60)
    bpjs_clients.options["read_timeout"] = 0.6
    sandbox.control(
        "PUT",
        "/faults",
        {
            "error_rate": 0.5,
            "timeout_rate": 0.1,
            "hang_seconds": 1.5,
            "apply_on_timeout": 0.5,
            "seed": 20261124,
        },
    )
    run_outbox(bpjs_clients, rounds=400)
    sandbox.control("DELETE", "/faults")

    assert Counter(SyncJob.objects.values_list("state", flat=True)) == {"sent": 2 * len(CARDS)}
    # The faults did bite: failed attempts, timeouts and ambiguous writes happened.
    outcomes = Counter(SyncAttempt.objects.values_list("outcome", flat=True))
    assert outcomes["retry"] > 0
    assert SyncAttempt.objects.filter(maybe_applied=True).exists()

    page = pcare_client.list_registrations(today, 0, 500)
    live = Counter((r.participant.card_number, r.poli.code) for r in page.items)
    expected = Counter((v.patient.bpjs_card_number, v.poli.pcare_code) for v in visits)
    assert live == expected  # none lost, none doubled
    by_card = {r.participant.card_number: r.queue_number for r in page.items}
    for visit in Visit.objects.select_related("patient"):
        assert visit.pcare_no_urut == by_card[visit.patient.bpjs_card_number]
    held = sandbox.control("GET", "/state/pendaftaran", tglDaftar=today.strftime("%d-%m-%Y"))
    rows = held["pendaftaran"] if isinstance(held, dict) else held
    assert len(rows) == len(CARDS)  # nothing was ever written twice, not even deleted
    antrean = sandbox.control("GET", "/state/antrean", tanggal=today.isoformat())
    rows = antrean["antrean"] if isinstance(antrean, dict) else antrean
    assert sorted(r["nomorkartu"] for r in rows) == sorted(CARDS)
