"""Tax code (mã số thuế, MST) of an organisation: 10 digits whose tenth is a check digit, or those 10 digits
plus "-" and a 3-digit branch number (001-999).

The check digit (computed by python-stdnum, `stdnum.vn.mst`): weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on the
first
nine digits; d10 = 10 - (sum mod 11);
a sum divisible by 11 would need "10", which is not a digit, so no valid code has such a prefix.
Worked example: 010004751 → sum 158, 158 mod 11 = 4, d10 = 6 → 0100047516.
"""

import re

from django.core.exceptions import ValidationError
from stdnum.vn import mst

from khuyencong.core.errors import DomainError

_SEPARATORS = re.compile(r"[\s.]")


class TaxCodeError(DomainError):
    code = "invalid_tax_code"


def tax_code_check_digit(first_nine: str) -> int | None:
    """The tenth digit for these nine digits (python-stdnum's `stdnum.vn.mst`), or None when no digit fits
    (sum divisible by 11)."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("cần đúng 9 chữ số")
    check = mst.calc_check_digit(first_nine)
    return int(check) if len(check) == 1 else None


def normalize_tax_code(value) -> str:
    """Spaces and dots removed; 13 digits without a dash get one: "0100047516001" → "0100047516-001".
    A number typed into Excel (leading zero lost) is padded back to 10 digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if len(text) <= 10:
            return text.zfill(10)
        if len(text) <= 13:
            text = text.zfill(13)
            return f"{text[:10]}-{text[10:]}"
        return text
    text = _SEPARATORS.sub("", str(value)).replace("–", "-").replace("—", "-")
    if len(text) == 13 and text.isdigit():
        text = f"{text[:10]}-{text[10:]}"
    return text


def tax_code_problem(value) -> str | None:
    """Why this tax code is not valid (Vietnamese), or None when it is. Empty is fine (not every
    household business has one)."""
    code = normalize_tax_code(value)
    if not code:
        return None
    main, dash, branch = code.partition("-")
    if not main.isdigit() or len(main) != 10 or (dash and (len(branch) != 3 or not branch.isdigit())):
        return (
            "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số của chi nhánh "
            "(ví dụ 0100047516 hoặc 0100047516-001)."
        )
    if dash and branch == "000":
        return "Số thứ tự chi nhánh trong mã số thuế phải từ 001 đến 999."
    if main[:2] == "00" or main[2:9] == "0000000":
        return "Mã số thuế không hợp lệ: mã tỉnh hoặc số thứ tự bằng 0."
    check = tax_code_check_digit(main[:9])
    if check is None:
        return "Mã số thuế không hợp lệ: không có chữ số kiểm tra nào đúng với 9 chữ số đầu."
    if int(main[9]) != check:
        return f"Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là {check}, không phải {main[9]}."
    return None


def clean_tax_code(value) -> str | None:
    """Normalised code, None when empty; raises TaxCodeError with the reason when invalid."""
    problem = tax_code_problem(value)
    if problem:
        raise TaxCodeError(problem, field="tax_code")
    return normalize_tax_code(value) or None


def validate_tax_code(value) -> None:
    """Django field validator."""
    problem = tax_code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_tax_code")


def make_tax_code(prefix: str, sequence: int, branch: int | None = None) -> str:
    """A valid code: 2-digit `prefix` (province code) + 7-digit sequence + check digit. Sequences whose
    nine digits admit no check digit are skipped forward to the next that does."""
    while True:
        nine = f"{prefix[:2]:0>2}{sequence % 10_000_000:07d}"
        check = tax_code_check_digit(nine)
        if check is not None and nine[2:] != "0000000":
            code = f"{nine}{check}"
            return f"{code}-{branch:03d}" if branch else code
        sequence += 1
