"""Form fields for values people type: amounts with their unit and dates as dd/mm/yyyy.

Every page form uses these two (the API's serializers use `parse_amount` / `parse_business_date` below), so
"250" on a page whose columns say "(triệu)" is never saved as 250 đồng, and a date reads the same in every
browser language.
"""

import datetime as dt
import time

from django import forms
from django.utils import timezone

from .errors import DomainError
from .money import CURRENCY_WORDS, UNITS, format_number, parse_money, parse_number

# A bare number below this is ambiguous ("250": triệu or đồng?) and must say its unit.
BARE_MIN = 1_000_000
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
MIN_YEAR = 1900  # "15/05/17" would otherwise be read as the year 17
UNIT_HELP = "Ghi kèm đơn vị: «250 triệu», «2,035 tỷ» hoặc số đồng «1.820.000.000»."
_CURRENCY_OR_UNIT = (*UNITS, *CURRENCY_WORDS)


def _has_unit(text: str) -> bool:
    return any(text.endswith(word) for word in _CURRENCY_OR_UNIT)


def unit_required_message(shown) -> str:
    shown = str(shown).strip()
    return f"Ghi rõ đơn vị: {shown} triệu đồng hay {shown} đồng?"


def parse_amount(value) -> int:
    """Read an amount in đồng the way people type it: "250 triệu", "2,035 tỷ", "262,5 triệu", "1.820.000.000".

    A bare number of 1.000.000 or more is taken as đồng; a smaller bare number ("250", "2,035") is refused and
    the message asks for the unit. Numbers given as numbers (JSON integers: int) are đồng by contract and
    accepted as they are."""
    if isinstance(value, int) and not isinstance(value, bool):
        return parse_money(value)
    if value is None or isinstance(value, bool) or not isinstance(value, str):
        return parse_money(value)
    text = " ".join(value.split()).lower()
    if text and not _has_unit(text):
        # No unit: read the bare number first, so "2,035" asks for the unit instead of "phần lẻ dưới 1 đồng".
        number = parse_number(text, original=value)
        if 0 < number < BARE_MIN:
            raise DomainError(unit_required_message(value), code="amount_unit_required")
    return parse_money(value)


def _check_year(day: dt.date, value, *, label: str, field: str) -> dt.date:
    if day.year < MIN_YEAR:
        raise DomainError(
            f"Ngày không hợp lệ cho {label}: «{value}» (ghi năm đủ 4 chữ số, dạng dd/mm/yyyy).",
            field=field,
            code="invalid_date",
        )
    return day


_TODAY: tuple[float, dt.date | None] = (0.0, None)


def today() -> dt.date:
    """`timezone.localdate()`, worked out at most once a second: a bulk import asks it for every step of
    every đề án, and the time-zone conversion is most of what checking a date costs."""
    global _TODAY
    now = time.monotonic()
    stamp, day = _TODAY
    if day is None or now - stamp >= 1.0:
        day = timezone.localdate()
        _TODAY = (now, day)
    return day


def parse_business_date(
    value, *, label: str = "ngày", field: str = "date", allow_future: bool = False
) -> dt.date:
    """A document date typed as dd/mm/yyyy (or ISO). Refuses a date in the future unless `allow_future`."""
    if isinstance(value, dt.datetime):
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value or "").strip()
        day = None
        for fmt in DATE_FORMATS:
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            raise DomainError(
                f"Ngày không hợp lệ cho {label}: «{value}» (ghi dạng dd/mm/yyyy).",
                field=field,
                code="invalid_date",
            )
        _check_year(day, value, label=label, field=field)
    if not allow_future and day > today():
        raise DomainError(
            f"{label[:1].upper()}{label[1:]} ({day:%d/%m/%Y}) không được sau ngày hôm nay "
            f"({today():%d/%m/%Y}).",
            field=field,
            code="future_date",
        )
    return day


class MoneyInput(forms.TextInput):
    """Shows a stored amount formatted ("400.000.000"); a bare number of đồng typed back is echoed
    formatted."""

    def __init__(self, attrs=None):
        base = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "placeholder": "vd. 250 triệu, 1,82 tỷ",
            "class": "form-control form-control-sm money-input",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        if isinstance(value, str) and value.strip().isdigit() and int(value.strip()) >= BARE_MIN:
            return format_number(int(value.strip()))
        return super().format_value(value)


class MoneyField(forms.CharField):
    """An amount with its unit: "250 triệu", "2,035 tỷ", "262,5 triệu", "1.820.000.000". Cleans to int đồng;
    "250" alone is refused with "Ghi rõ đơn vị: 250 triệu đồng hay 250 đồng?"."""

    widget = MoneyInput
    default_error_messages = {"required": "Nhập số tiền (ghi kèm đơn vị, ví dụ «250 triệu»)."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", UNIT_HELP)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            return parse_amount(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code)


class VNDateInput(forms.TextInput):
    """A text box in dd/mm/yyyy (never the browser's native date input, whose format follows its language);
    static/js/forms.js attaches the vendored Vietnamese date picker (flatpickr) to `.vn-date`."""

    def __init__(self, attrs=None):
        base = {
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "inputmode": "numeric",
            "class": "form-control form-control-sm vn-date",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()).strftime("%d/%m/%Y")
            except ValueError:
                pass
        return super().format_value(value)


class VNDateField(forms.DateField):
    """A date typed dd/mm/yyyy (ISO accepted). `allow_future=False` refuses a date after today."""

    widget = VNDateInput
    input_formats = DATE_FORMATS

    def __init__(self, *args, allow_future: bool = True, **kwargs):
        self.allow_future = allow_future
        messages = {
            "invalid": "Ngày không hợp lệ (ghi dạng dd/mm/yyyy, ví dụ 15/05/2017).",
            "required": "Nhập ngày (dd/mm/yyyy).",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and day.year < MIN_YEAR:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day

    def validate(self, value):
        super().validate(value)
        if value and not self.allow_future and value > timezone.localdate():
            raise forms.ValidationError(
                f"Ngày {value:%d/%m/%Y} không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y}).",
                code="future_date",
            )


class VNDecimalInput(forms.TextInput):
    """A number box that takes the Vietnamese decimal comma ("12,5"; the browser's number input refuses it);
    a stored Decimal is shown the same way ("12,5", "50")."""

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        from decimal import Decimal

        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return format_number(Decimal(str(value)).normalize())
        return super().format_value(value)


class VNDecimalField(forms.CharField):
    """A decimal typed the Vietnamese way: "12,5", "1.234,75" (dot groups thousands, comma is the decimal
    mark). Cleans to a Decimal with `decimal_places`; refuses a negative number and an ambiguous "12.5"."""

    widget = VNDecimalInput

    def __init__(self, *args, decimal_places: int = 2, min_value=0, **kwargs):
        self.decimal_places, self.min_value = decimal_places, min_value
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        from decimal import Decimal

        if isinstance(value, Decimal):
            return value
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            number = parse_number(str(value))
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code="invalid")
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                f"Không được nhỏ hơn {format_number(self.min_value)}.", code="min_value"
            )
        return number.quantize(Decimal(1).scaleb(-self.decimal_places))
