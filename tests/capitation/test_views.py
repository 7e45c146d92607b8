from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clinic.core.models import AuditEvent
from tests.capitation.factories import card, patient, roster_entry, visit

pytestmark = pytest.mark.django_db


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("dokter", 200), ("frontdesk", 403), ("perawat", 403)]
)
def test_dashboard_is_for_clinic_admins_and_doctors(request, client_for, persona, status):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("capitation:dashboard"))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("frontdesk", 200), ("dokter", 403), ("perawat", 403)]
)
def test_outreach_list_with_phone_numbers_is_for_admins_and_front_desk(
    request, client_for, persona, status
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("capitation:outreach"))
    assert response.status_code == status


def test_outreach_list_shows_only_uncontacted_participants_of_own_facility_and_is_audited(
    client_for, frontdesk, facility, other_facility
):
    month = this_month()
    roster_entry(facility, month, 1, name="SUDAH DATANG")
    roster_entry(facility, month, 2, name="BELUM DATANG", phone="081211112222")
    roster_entry(other_facility, month, 3, name="KLINIK LAIN")
    visit(facility, patient(facility, card(1)), month)
    response = client_for(frontdesk).get(reverse("capitation:outreach"))
    body = response.content.decode()
    assert "BELUM DATANG" in body and "081211112222" in body
    assert "SUDAH DATANG" not in body and "KLINIK LAIN" not in body
    event = AuditEvent.objects.get(object_type="capitation.outreach")
    assert (event.action, event.actor, event.summary) == (
        "view",
        frontdesk,
        f"outreach list {month:%Y-%m}",
    )
    assert card(2) not in event.summary


def test_outreach_export_csv_has_the_list_and_is_audited_as_export(client_for, admin, facility):
    month = this_month()
    roster_entry(facility, month, 2, name="BELUM DATANG", phone="081211112222")
    response = client_for(admin).get(
        reverse("capitation:outreach"), {"month": f"{month:%Y-%m}", "format": "csv"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="outreach-{month:%Y-%m}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["No Kartu", "Nama", "Jenis kelamin", "Tanggal lahir", "Telepon", "Alamat"],
        [card(2), "BELUM DATANG", "P", "01-01-1980", "081211112222", ""],
    ]
    event = AuditEvent.objects.get(object_type="capitation.outreach")
    assert (event.action, event.summary) == ("export", f"outreach list {month:%Y-%m} (csv)")


def test_outreach_export_xlsx_keeps_card_numbers_as_text(client_for, admin, facility):
    from openpyxl import load_workbook

    month = this_month()
    roster_entry(facility, month, 2)
    response = client_for(admin).get(reverse("capitation:outreach"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == [card(2), "PESERTA 2"]


def test_roster_page_imports_an_uploaded_file_and_lists_rejected_rows(client_for, admin):
    data = b"No,No Kartu,Nama,Jenis Kelamin\r\n1,0002000000001,ANI,P\r\n2,123,BUDI,L\r\n"
    client = client_for(admin)
    response = client.post(
        reverse("capitation:roster"),
        {"month": "2026-03", "file": SimpleUploadedFile("roster.csv", data)},
        follow=True,
    )
    body = response.content.decode()
    assert "1 diterima, 1 ditolak" in body
    assert "No Kartu harus 13 digit angka." in body
    assert AuditEvent.objects.filter(action="create", object_type="capitation.rosterimport").count()


def test_roster_page_is_for_clinic_admins_only(client_for, dokter):
    assert client_for(dokter).get(reverse("capitation:roster")).status_code == 403


def test_reports_export_every_report_as_csv_and_xlsx(client_for, dokter):
    client = client_for(dokter)
    for report in ("top10", "poli", "doctors", "alerts"):
        csv_response = client.get(
            reverse("capitation:reports"), {"report": report, "format": "csv"}
        )
        assert csv_response.status_code == 200
        assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
        xlsx = client.get(reverse("capitation:reports"), {"report": report, "format": "xlsx"})
        assert xlsx["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


def test_dashboard_api_gives_the_figures(client_for, admin, facility):
    month = this_month()
    for n in range(1, 5):
        roster_entry(facility, month, n)
    visit(facility, patient(facility, card(1)), month)
    response = client_for(admin).get("/api/v1/capitation/dashboard/", {"month": f"{month:%Y-%m}"})
    data = response.json()
    assert data["roster_size"] == 4
    assert data["indicators"]["AK"]["numerator"] == 1
    assert data["indicators"]["AK"]["value"] == "250.00"


def test_settings_record_the_capitation_received(client_for, admin, facility):
    from clinic.capitation.models import CapitationReceipt

    response = client_for(admin).post(
        reverse("capitation:settings"),
        {
            "form": "receipt",
            "month": "2026-02",
            "amount": "53392680",
            "received_on": "",
            "reference": "TRF-1",
        },
    )
    assert response.status_code == 302
    receipt = CapitationReceipt.objects.get(facility=facility)
    assert (receipt.month, receipt.amount, receipt.recorded_by) == (
        dt.date(2026, 2, 1),
        53392680,
        admin,
    )


def test_prolanis_drill_down_shows_phone_numbers_to_admins_not_doctors(
    client_for, admin, dokter, facility
):
    from tests.capitation.factories import member

    prolanis = member(facility, card(5), "HT", dt.date(1970, 1, 1), name="PAK HT")
    prolanis.phone = "081233334444"
    prolanis.save()
    url = reverse("capitation:prolanis-uncontrolled")
    as_doctor = client_for(dokter).get(url).content.decode()
    assert "PAK HT" in as_doctor and "081233334444" not in as_doctor
    as_admin = client_for(admin).get(url).content.decode()
    assert "PAK HT" in as_admin and "081233334444" in as_admin
    assert AuditEvent.objects.filter(object_type="capitation.prolanis", action="view").count() == 2


def test_referral_drill_down_lists_each_non_specialist_referral_with_its_doctor(
    client_for, dokter, facility
):
    from tests.capitation.factories import doctor, referral

    month = this_month()
    who = patient(facility, card(1), name="PASIEN RUJUK")
    referral(facility, who, month, by=doctor(facility), non_specialist=True, diagnosis="K30")
    referral(facility, who, month, by=doctor(facility), non_specialist=False, diagnosis="I21")
    body = client_for(dokter).get(reverse("capitation:referrals")).content.decode()
    assert body.count("PASIEN RUJUK") == 1
    assert "dr. ANDI PRATAMA" in body and "K30" in body and "I21" not in body


def test_dashboard_shows_arrivals_and_departures_when_both_months_have_a_roster(
    client_for, admin, facility
):
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    for n in (1, 2, 3):
        roster_entry(facility, march, n)
    for n in (2, 3, 4, 5):
        roster_entry(facility, april, n)
    client = client_for(admin)
    april_page = client.get(reverse("capitation:dashboard"), {"month": "2026-04"})
    assert (april_page.context["arrivals"], april_page.context["departures"]) == (2, 1)
    assert "Peserta masuk: 2" in april_page.content.decode()
    assert april_page.context["history_chart"]["datasets"][1]["data"] == [0, 2]
    march_page = client.get(reverse("capitation:dashboard"), {"month": "2026-03"})
    assert march_page.context["arrivals"] is None and march_page.context["departures"] is None
