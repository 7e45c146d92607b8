"""Small helpers for the record templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    if hasattr(mapping, "get"):
        return mapping.get(key) or []
    return []


@register.simple_tag
def field_value(form: Any, record: Any, field: str) -> Any:
    """The submitted value after a refused POST, else the record's."""
    if form and hasattr(form, "get") and field in form:
        return form.get(field)
    value = getattr(record, field, "")
    return "" if value is None else formats.localize_input(value)


@register.simple_tag
def diagnosis_value(form: Any, diagnoses: list[Any], rank: str) -> str:
    key = f"diagnosis{rank}"
    if form and hasattr(form, "get") and key in form:
        return str(form.get(key) or "")
    for diagnosis in diagnoses:
        if str(diagnosis.rank) == rank:
            return str(diagnosis.code)
    return ""


@register.simple_tag
def diagnosis_title(diagnoses: list[Any], rank: str) -> str:
    for diagnosis in diagnoses:
        if str(diagnosis.rank) == rank:
            flag = " · non-spesialistik" if diagnosis.non_specialist else ""
            return f"{diagnosis.title}{flag}"
    return ""
