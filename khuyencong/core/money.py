"""Money as integer đồng: parse the ways Vietnamese write amounts, format them back, say them in words.

"1,82 tỷ" = 1.820.000.000 đồng; "16.448 triệu" = 16.448.000.000; the dot groups thousands, the comma is
the decimal mark. Anything that could be read two ways is refused with a Vietnamese message.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import DomainError

MAX_AMOUNT = 10**15
UNITS = {
    "tỷ": 10**9,
    "tỉ": 10**9,
    "triệu": 10**6,
    "tr": 10**6,
    "nghìn": 10**3,
    "ngàn": 10**3,
}
UNIT_LABELS = [(10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn")]
CURRENCY_WORDS = ("đồng", "vnđ", "vnd", "đ")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^\d+$")


class MoneyError(DomainError):
    code = "invalid_amount"


def _to_int_checked(value: Decimal, original) -> int:
    if value < 0:
        raise MoneyError(f"Số tiền không được âm: «{original}».")
    if value != value.to_integral_value():
        raise MoneyError(f"Số tiền phải là số đồng nguyên (không có phần lẻ dưới 1 đồng): «{original}».")
    if value > MAX_AMOUNT:
        raise MoneyError(f"Số tiền quá lớn (tối đa 10^15 đồng): «{original}».")
    return int(value)


def parse_number(text: str, original=None) -> Decimal:
    """Parse a Vietnamese-written number ("16.448", "85,865", "1.820.000,5") into a Decimal."""
    original = text if original is None else original
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    negative = s.startswith("-") or s.startswith("−")
    if negative:
        s = s[1:]
    if not s:
        raise MoneyError(f"Không đọc được số: «{original}».")
    if s.count(",") > 1:
        raise MoneyError(f"Số «{original}» có nhiều dấu phẩy: dấu phẩy là dấu thập phân và chỉ được có một.")
    integer, _, fraction = s.partition(",")
    if "," in s and not fraction.isdigit():
        raise MoneyError(f"Phần thập phân của «{original}» không phải là số.")
    if _GROUPED.match(integer):
        integer = integer.replace(".", "")
    elif "." in integer:
        raise MoneyError(
            f"Không rõ nghĩa «{original}»: dấu chấm dùng để phân nhóm hàng nghìn (ví dụ 1.820.000), "
            "dấu phẩy là dấu thập phân (ví dụ 1,82 tỷ)."
        )
    elif not _PLAIN.match(integer):
        raise MoneyError(f"Không đọc được số: «{original}».")
    try:
        value = Decimal(f"{integer}.{fraction}" if fraction else integer)
    except InvalidOperation:
        raise MoneyError(f"Không đọc được số: «{original}».")
    return -value if negative else value


def parse_money(value, *, default_unit: int = 1) -> int:
    """Read an amount in đồng from text or a number.

    Accepts "1,82 tỷ", "85,865 tỷ đồng", "344 triệu", "16.448 triệu", "1.820.000.000",
    "1.820.000.000 đồng"; numbers (int, integral float or Decimal) are taken as đồng × default_unit.
    """
    if value is None or isinstance(value, bool):
        raise MoneyError("Thiếu số tiền.")
    if isinstance(value, int):
        return _to_int_checked(Decimal(value) * default_unit, value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise MoneyError(f"Không đọc được số tiền: «{value}».")
        return _to_int_checked(Decimal(repr(value)) * default_unit, value)
    if isinstance(value, Decimal):
        return _to_int_checked(value * default_unit, value)
    text = str(value).strip().lower().replace("\u00a0", " ")
    if not text:
        raise MoneyError("Thiếu số tiền.")
    for word in CURRENCY_WORDS:
        if text.endswith(word):
            text = text[: -len(word)].strip()
            break
    multiplier = default_unit
    for word, factor in UNITS.items():
        if text.endswith(word):
            text = text[: -len(word)].strip()
            multiplier = factor
            break
    if not text:
        raise MoneyError(f"Không đọc được số tiền: «{value}».")
    number = parse_number(text, original=value)
    return _to_int_checked(number * multiplier, value)


def format_number(n, digits: int | None = None) -> str:
    """1820000000 → "1.820.000.000"; Decimal("19.3123") with digits=2 → "19,31"."""
    if n is None:
        return ""
    d = Decimal(n)
    if digits is not None:
        d = d.quantize(Decimal(1).scaleb(-digits))
    negative = d < 0
    d = abs(d)
    text = format(d, "f")
    integer, _, fraction = text.partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    out = ".".join(groups)
    if fraction:
        out += "," + fraction
    return ("-" if negative else "") + out


def format_vnd(amount: int | None) -> str:
    """1820000000 → "1.820.000.000 đồng"."""
    if amount is None:
        return ""
    return f"{format_number(int(amount))} đồng"


def in_unit(amount: int, unit: int) -> Decimal:
    """The amount expressed in a unit (10**6 for triệu), exactly."""
    return (Decimal(int(amount)) / Decimal(unit)).normalize()


def format_in_unit(amount: int | None, unit: int = 10**6, digits: int | None = None) -> str:
    """Amount in triệu (default) the way documents print it: 16448000000 → "16.448"."""
    if amount is None:
        return ""
    value = in_unit(amount, unit)
    if digits is None:
        # normalize() may give exponent form for round numbers: force plain digits.
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
        return format_number(value)
    return format_number(value, digits)


def format_short(amount: int | None, digits: int | None = None, currency: bool = True) -> str:
    """1820000000 → "1,82 tỷ đồng"; exact unless `digits` asks for rounding (display only)."""
    if amount is None:
        return ""
    amount = int(amount)
    suffix = " đồng" if currency else ""
    for factor, label in UNIT_LABELS:
        if abs(amount) >= factor:
            return f"{format_in_unit(amount, factor, digits)} {label}{suffix}"
    return f"{format_number(amount)}{suffix or ' đồng'}" if currency else format_number(amount)


DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _triple(n: int, full: bool) -> list[str]:
    """Words for 0-999; `full` reads the hundreds and "linh" even when they are zero (a group after
    another)."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    out = []
    if full or h:
        out += [DIGITS[h], "trăm"]
    if t == 0:
        if u and (full or h):
            out += ["linh", DIGITS[u]]
        elif u:
            out.append(DIGITS[u])
    elif t == 1:
        out.append("mười")
        if u:
            out.append("lăm" if u == 5 else DIGITS[u])
    else:
        out += [DIGITS[t], "mươi"]
        if u:
            out.append({1: "mốt", 5: "lăm"}.get(u, DIGITS[u]))
    return out


def _below_billion(n: int, full: bool) -> list[str]:
    words, first = [], not full
    for size, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group = n // size % 1000
        if group:
            words += _triple(group, full=not first) + ([name] if name else [])
            first = False
    return words


def number_words(n: int) -> str:
    """Vietnamese words for a whole number: 85865000000 → "tám mươi lăm tỷ tám trăm sáu mươi lăm triệu";
    1005 → "một nghìn không trăm linh năm"; 15 → "mười lăm"."""
    n = int(n)
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_words(-n)
    billions, rest = divmod(n, 10**9)
    words = []
    if billions:
        words += [number_words(billions), "tỷ"]
    if rest:
        words += _below_billion(rest, full=bool(billions))
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """1820000000 → "Một tỷ tám trăm hai mươi triệu đồng"."""
    words = number_words(int(amount))
    return words[:1].upper() + words[1:] + " đồng"


PERCENT_DIGITS = 1


def percent_value(ratio, digits: int = PERCENT_DIGITS) -> Decimal | None:
    """A ratio as a percentage rounded once, at the end, half away from zero (the way people round):
    0.5945 → Decimal("59.5"). The ratio should come exact (`percent_of` divides the integer đồng)."""
    if ratio is None or ratio == "":
        return None
    return (Decimal(ratio) * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def format_percent(ratio, digits: int = PERCENT_DIGITS) -> str:
    """A ratio as Vietnamese write percentages, one decimal by default: 0.595 → "59,5 %", 1/3 → "33,3 %"."""
    value = percent_value(ratio, digits)
    return "" if value is None else f"{format_number(value)} %"


def percent_of(part: int, whole: int) -> Decimal | None:
    """part / whole as a ratio, None when whole is 0."""
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)
