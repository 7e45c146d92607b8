"""The ICD-10 table and its search: code prefix with or without the dot, words, the flag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.records.icd10 import icd10_search, is_non_specialist
from clinic.records.models import Icd10Code

pytestmark = pytest.mark.django_db


def test_the_table_holds_the_full_list_with_who_titles():
    assert Icd10Code.objects.count() == 12246
    a09 = Icd10Code.objects.get(code="A09")
    assert a09.title == "Other gastroenteritis and colitis of infectious and unspecified origin"
    assert a09.compact == "A09"
    assert Icd10Code.objects.get(code="J06.9").compact == "J069"


def test_non_specialist_flag_matches_the_code_or_its_category():
    assert is_non_specialist("A01.3") is True  # only the category A01 is listed
    assert is_non_specialist("A00.1") is False
    assert Icd10Code.objects.get(code="K29.7").non_specialist is True
    assert Icd10Code.objects.get(code="I20.9").non_specialist is False
    assert Icd10Code.objects.filter(non_specialist=True).count() > 400


@pytest.mark.parametrize("query", ["J06.9", "j069", " J06.9 "])
def test_code_search_with_or_without_the_dot(query):
    assert [c.code for c in icd10_search(query)] == ["J06.9"]


def test_code_prefix_lists_the_category_first_in_code_order():
    codes = [c.code for c in icd10_search("K29", limit=5)]
    assert codes == ["K29", "K29.0", "K29.1", "K29.2", "K29.3"]


def test_word_search_needs_every_word():
    codes = [c.code for c in icd10_search("essential hypertension")]
    assert codes == ["I10", "O10.0"]
    assert icd10_search("xyzzy") == []
    assert icd10_search("   ") == []


def test_search_page_shows_the_flag(dokter, client_for):
    page = client_for(dokter).get(reverse("records:icd10"), {"q": "I10"}).content.decode()
    assert 'data-code="I10"' in page
    assert "non-spesialistik" in page


def test_api_search(dokter, client_for):
    response = client_for(dokter).get(reverse("api-icd10"), {"q": "A09"})
    assert response.json()[0] == {
        "code": "A09",
        "title": "Other gastroenteritis and colitis of infectious and unspecified origin",
        "non_specialist": True,
    }
