"""Form fields for values people type: amounts with their unit and dates as dd/mm/yyyy.

Every page form uses these two (the API's serializers use `parse_amount` / `parse_business_date` below), so
"250" on a page whose columns say "(triệu)" is never saved as 250 đồng, and a date reads the same in every
browser language.
"""

import datetime as dt

from django import forms
from django.utils import timezone

from .errors import DomainError
from .money import UNITS, format_number, parse_money

# A bare number below this is ambiguous ("250": triệu or đồng?) and must say its unit.
BARE_MIN = 1_000_000
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


def parse_amount(value) -> int:
    """Read an amount in đồng the way people type it. A bare integer of 1.000.000 or more is taken as đồng;
    a smaller bare number is refused and the message asks for the unit. Numbers given as JSON numbers (int) are
    đồng by contract and accepted as they are."""
    if isinstance(value, int) and not isinstance(value, bool):
        return parse_money(value)
    text = str(value or "").strip().lower()
    has_unit = any(text.endswith(w) for w in (*UNITS, "đồng", "vnđ", "vnd", "đ"))
    amount = parse_money(value)
    if not has_unit and amount < BARE_MIN and amount != 0:
        shown = str(value).strip()
        raise DomainError(f"Ghi rõ đơn vị: {shown} triệu đồng hay {shown} đồng?", code="amount_unit_required")
    return amount


def parse_business_date(value, *, label: str = "ngày", field: str = "date", allow_future: bool = False) -> dt.date:
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
            raise DomainError(f"Ngày không hợp lệ cho {label}: «{value}» (ghi dạng dd/mm/yyyy).", field=field,
                              code="invalid_date")
    if not allow_future and day > timezone.localdate():
        raise DomainError(f"{label[:1].upper()}{label[1:]} ({day:%d/%m/%Y}) không được sau ngày hôm nay "
                          f"({timezone.localdate():%d/%m/%Y}).", field=field, code="future_date")
    return day


class MoneyInput(forms.TextInput):
    """Shows a stored amount formatted ("400.000.000") and says the unit next to the box."""

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "vd. 250 triệu, 1,82 tỷ",
                "class": "form-control form-control-sm money-input"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        return super().format_value(value)


class MoneyField(forms.CharField):
    """An amount with its unit: "250 triệu", "2,035 tỷ", "262,5 triệu", "1.820.000.000". Cleans to int đồng."""

    widget = MoneyInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "Ghi kèm đơn vị: «250 triệu», «2,035 tỷ» hoặc số đồng «1.820.000.000».")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            return parse_amount(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code)


class VNDateInput(forms.TextInput):
    """A text box in dd/mm/yyyy (never the browser's native date input, whose format follows its language);
    static/js/forms.js attaches the vendored Vietnamese date picker to `.vn-date`."""

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "autocomplete": "off", "inputmode": "numeric",
                "class": "form-control form-control-sm vn-date", "pattern": r"\d{1,2}/\d{1,2}/\d{4}"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, str):
            for fmt in ("%Y-%m-%d",):
                try:
                    return dt.datetime.strptime(value, fmt).strftime("%d/%m/%Y")
                except ValueError:
                    pass
        return super().format_value(value)


class VNDateField(forms.DateField):
    """A date typed dd/mm/yyyy (ISO accepted). `allow_future=False` refuses a date after today."""

    widget = VNDateInput
    input_formats = DATE_FORMATS

    def __init__(self, *args, allow_future: bool = True, **kwargs):
        self.allow_future = allow_future
        kwargs.setdefault("error_messages", {"invalid": "Ngày không hợp lệ (ghi dạng dd/mm/yyyy)."})
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not self.allow_future and value > timezone.localdate():
            raise forms.ValidationError(
                f"Ngày {value:%d/%m/%Y} không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y}).",
                code="future_date")
