from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """``Rp 55.044.000`` (Indonesian thousands separator); ``-`` when unknown."""
    if value is None or value == "":
        return "-"
    return "Rp " + f"{Decimal(value):,.0f}".replace(",", ".")


@register.filter
def number(value: Any, places: int = 2) -> str:
    """A decimal with an Indonesian decimal comma: ``149,50``; ``-`` when unknown."""
    if value is None or value == "":
        return "-"
    text = f"{Decimal(value):,.{int(places)}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
