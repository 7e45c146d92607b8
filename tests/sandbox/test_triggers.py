"""Trigger cards: 0009000000500 (HTML 500) and 0009000000408 (no answer for 65 s)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import daftar_body


def _is_iis_500(answer) -> None:
    assert answer.status == 500
    assert answer.body is None
    assert "Runtime Error" in answer.text


def test_html_500_card_in_a_path(pcare, vclaim):
    _is_iis_500(pcare.get("peserta/0009000000500"))
    _is_iis_500(vclaim.get("Peserta/nokartu/0009000000500/tglSEP/2026-01-05"))


def test_html_500_card_in_a_body(sandbox, pcare, antrean, icare, vclaim, tgl, today):
    _is_iis_500(pcare.post("pendaftaran", daftar_body(tgl, "0009000000500")))
    _is_iis_500(antrean.post("antrean/add", {"nomorkartu": "0009000000500", "kodepoli": "001"}))
    _is_iis_500(icare.post("api/pcare/validate", {"param": "0009000000500"}))
    _is_iis_500(vclaim.post("SEP/2.0/insert", {"request": {"t_sep": {"noKartu": "0009000000500"}}}))
    assert sandbox.control("GET", "/state/pendaftaran")["pendaftaran"] == []


def test_html_500_card_wins_over_faults(sandbox, pcare):
    sandbox.control("PUT", "/faults", {"error_rate": 1.0})
    _is_iis_500(pcare.get("peserta/0009000000500"))


def test_hang_card_gets_no_answer(pcare):
    with pytest.raises(requests.ReadTimeout):
        pcare.get("peserta/0009000000408", timeout=2)


def test_hang_card_in_a_body_gets_no_answer_and_others_are_served(pcare, antrean, today):
    with pytest.raises(requests.ReadTimeout):
        antrean.post("antrean/add", {"nomorkartu": "0009000000408", "kodepoli": "001"}, timeout=2)
    assert pcare.get("kesadaran").status == 200
