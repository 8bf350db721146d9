import pytest

from khuyencong.beneficiaries.validators import (
    clean_tax_code,
    make_tax_code,
    normalize_tax_code,
    tax_code_check_digit,
    tax_code_problem,
)
from khuyencong.core.errors import DomainError


@pytest.mark.parametrize(
    "code", ["0100047516", "0314409058", "0100047516-001", "0314409058-999", "1300000027"]
)
def test_valid_tax_codes(code):
    assert tax_code_problem(code) is None
    assert clean_tax_code(code) == code


def test_check_digit_worked_example():
    # 0*31 + 1*29 + 0*23 + 0*19 + 0*17 + 4*13 + 7*7 + 5*5 + 1*3 = 158; 158 mod 11 = 4; 10 - 4 = 6
    assert tax_code_check_digit("010004751") == 6


def test_wrong_check_digit_is_refused_with_the_right_digit_named():
    assert tax_code_problem("0100047517") == (
        "Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7."
    )
    with pytest.raises(DomainError) as exc:
        clean_tax_code("0314409059")
    assert "chữ số thứ 10 phải là 8" in exc.value.message


def test_prefix_without_any_check_digit_is_refused():
    # 130000001: sum = 1*31 + 3*29 + 1*3 = 121, divisible by 11 → would need "10"
    assert tax_code_check_digit("130000001") is None
    for last in "0123456789":
        assert "không có chữ số kiểm tra" in tax_code_problem("130000001" + last)


@pytest.mark.parametrize(
    "code,part",
    [
        ("010004751", "phải gồm 10 chữ số"),
        ("01000475160", "phải gồm 10 chữ số"),
        ("01000475A6", "phải gồm 10 chữ số"),
        ("0100047516-01", "phải gồm 10 chữ số"),
        ("0100047516-000", "từ 001 đến 999"),
        ("0000047516", "mã tỉnh"),
    ],
)
def test_malformed_codes(code, part):
    assert part in tax_code_problem(code)


def test_normalisation():
    assert normalize_tax_code(" 0100 047 516 ") == "0100047516"
    assert normalize_tax_code("0100047516001") == "0100047516-001"
    assert normalize_tax_code(100047516.0) == "0100047516"  # Excel dropped the leading zero
    assert normalize_tax_code(100047516001.0) == "0100047516-001"
    assert clean_tax_code("") is None


def test_generated_codes_are_valid_and_distinct():
    codes = {make_tax_code("47", n) for n in range(1, 300)}
    assert all(tax_code_problem(c) is None for c in codes)
    assert len(codes) > 250
    assert make_tax_code("13", 1) == "1300000027"  # sequence 1 has no check digit: skipped to 2
    assert tax_code_problem(make_tax_code("13", 5, branch=2)) is None
