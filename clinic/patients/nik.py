"""Indonesian identity numbers: NIK (Nomor Induk Kependudukan), the JKN card number, phones.

A NIK has 16 digits:

* 1-6   the region where it was issued: province (2), regency/city (2), district (2);
* 7-12  the birth date as DDMMYY, with 40 added to DD for women;
* 13-16 a serial number (0001 upwards) among people of that region and birth date.

The year has two digits, so a NIK gives one or two candidate birth dates (19YY and 20YY,
leaving out any in the future). :func:`parse_nik` reads a NIK; :func:`check_nik_matches`
compares it with the birth date and sex the front desk typed and explains any disagreement in
the user's language (Indonesian by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

#: Province codes of Kemendagri (the first two NIK digits), including the Papua provinces of 2022.
PROVINCE_CODES = frozenset(
    {
        *(str(n) for n in range(11, 20)),
        "21",
        *(str(n) for n in range(31, 37)),
        "51",
        "52",
        "53",
        *(str(n) for n in range(61, 66)),
        *(str(n) for n in range(71, 77)),
        "81",
        "82",
        *(str(n) for n in range(91, 97)),
    }
)

SEX_MALE = "L"
SEX_FEMALE = "P"

_DIGITS = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[\s.\-()/]")


class IdentityError(ValueError):
    """A number that is not well formed; ``message`` is ready to show to staff."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str
    regency_code: str  # 4 digits: province + regency
    district_code: str  # 6 digits: province + regency + district
    sex: str  # "L" or "P"
    day: int
    month: int
    year_2digit: int
    serial: str
    birth_date_candidates: tuple[date, ...]  # most recent first; never in the future

    def matches_birth_date(self, birth_date: date) -> bool:
        return birth_date in self.birth_date_candidates

    def encoded_birth_date(self, near: date | None = None) -> date:
        """The candidate to show: the one in the same century as ``near``, else the latest."""
        if near is not None:
            for candidate in self.birth_date_candidates:
                if candidate.year // 100 == near.year // 100:
                    return candidate
        return self.birth_date_candidates[0]


def clean_digits(value: str | None) -> str:
    """Drop spaces, dots, dashes and brackets people type inside numbers."""
    return _SEPARATORS.sub("", value or "")


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_nik(value: str, *, today: date | None = None) -> NikInfo:
    """Read a NIK or raise :class:`IdentityError` with a message saying what is wrong."""
    nik = clean_digits(value)
    if not nik.isdigit() or not nik.isascii():
        raise IdentityError(_("The NIK may contain digits only."))
    if len(nik) != 16:
        raise IdentityError(
            _("The NIK must have 16 digits (this one has %(count)d).") % {"count": len(nik)}
        )
    province = nik[:2]
    if province not in PROVINCE_CODES:
        raise IdentityError(
            _("The NIK does not start with a known province code (%(code)s).") % {"code": province}
        )
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise IdentityError(_("The region code in the NIK (digits 1-6) is not valid."))
    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = SEX_FEMALE if raw_day > 40 else SEX_MALE
    day = raw_day - 40 if raw_day > 40 else raw_day
    serial = nik[12:]
    if serial == "0000":
        raise IdentityError(_("The serial number in the NIK (last 4 digits) cannot be 0000."))
    today = today or timezone.localdate()
    candidates = [
        d
        for century in (2000, 1900)
        if (d := _date_or_none(century + yy, month, day)) is not None and d <= today
    ]
    if not candidates:
        raise IdentityError(
            _("The birth date in the NIK (digits 7-12: %(code)s) is not a valid date.")
            % {"code": nik[6:12]}
        )
    return NikInfo(
        nik=nik,
        province_code=province,
        regency_code=nik[:4],
        district_code=nik[:6],
        sex=sex,
        day=day,
        month=month,
        year_2digit=yy,
        serial=serial,
        birth_date_candidates=tuple(candidates),
    )


def sex_label(sex: str) -> str:
    return _("female") if sex == SEX_FEMALE else _("male")


def check_nik_matches(info: NikInfo, *, birth_date: date | None, sex: str | None) -> dict[str, str]:
    """Messages per field (``birth_date``, ``sex``) where the NIK disagrees with what was typed."""
    problems: dict[str, str] = {}
    if birth_date is not None and not info.matches_birth_date(birth_date):
        encoded = info.encoded_birth_date(near=birth_date)
        problems["birth_date"] = _(
            "The birth date in the NIK (%(nik_date)s) is not the same as the birth date "
            "entered (%(typed)s)."
        ) % {"nik_date": encoded.strftime("%d-%m-%Y"), "typed": birth_date.strftime("%d-%m-%Y")}
    if sex in (SEX_MALE, SEX_FEMALE) and sex != info.sex:
        problems["sex"] = _(
            "The sex in the NIK (%(nik_sex)s) is not the same as the sex entered (%(typed)s)."
        ) % {"nik_sex": sex_label(info.sex), "typed": sex_label(sex)}
    return problems


def clean_card_number(value: str) -> str:
    """A JKN card number: exactly 13 digits, or :class:`IdentityError`."""
    card = clean_digits(value)
    if not card.isdigit() or not card.isascii():
        raise IdentityError(_("The BPJS card number may contain digits only."))
    if len(card) != 13:
        raise IdentityError(
            _("The BPJS card number must have 13 digits (this one has %(count)d).")
            % {"count": len(card)}
        )
    return card


def normalize_phone(value: str | None) -> str:
    """Phones in one form for search and matching: digits, leading ``0`` instead of ``62``/``+62``.

    ``+62 812-0000-0001``, ``62812000000001`` and ``0812 0000 0001`` all become ``081200000001``.
    Anything without digits becomes ``""``.
    """
    digits = "".join(_DIGITS.findall(value or ""))
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    elif digits and not digits.startswith("0"):
        digits = "0" + digits
    return digits


def clean_phone(value: str) -> str:
    """Validate a phone as staff type it; returns it trimmed (the normalized form is separate)."""
    text = value.strip()
    if not text:
        return ""
    if re.fullmatch(r"\+?[\d\s.\-()]+", text) is None:
        raise IdentityError(_("The phone number may contain digits, spaces and dashes only."))
    digits = normalize_phone(text)
    if not 9 <= len(digits) <= 14:
        raise IdentityError(_("The phone number must have 9 to 14 digits (starting with 0 or 62)."))
    return text


_NAME_NOISE = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """The comparison key of a name: upper case, letters and digits, single spaces."""
    return _SPACES.sub(" ", _NAME_NOISE.sub(" ", value.upper())).strip()


def clean_name(value: str) -> str:
    """A name as stored: single spaces, upper case (as on the KTP and in BPJS)."""
    return _SPACES.sub(" ", value).strip().upper()
