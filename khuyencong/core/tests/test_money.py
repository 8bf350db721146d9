import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.money import (
    MAX_AMOUNT,
    MoneyError,
    amount_in_words,
    format_in_unit,
    format_percent,
    format_short,
    format_vnd,
    parse_money,
    percent_of,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,82 tỷ", 1_820_000_000),
        ("85,865 tỷ đồng", 85_865_000_000),
        ("344 triệu", 344_000_000),
        ("16.448 triệu", 16_448_000_000),
        ("1.820.000.000", 1_820_000_000),
        ("1.820.000.000 đồng", 1_820_000_000),
        ("529 triệu đồng", 529_000_000),
        ("2,3 tỷ", 2_300_000_000),
        ("391.573 triệu", 391_573_000_000),
        ("300 nghìn", 300_000),
        ("1820000000", 1_820_000_000),
        (" 1.820.000.000 VNĐ ", 1_820_000_000),
        (1820000000.0, 1_820_000_000),
        (0, 0),
    ],
)
def test_parse_vietnamese_amounts(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3 tỷ", "nhiều dấu phẩy"),
        ("-5 triệu", "không được âm"),
        ("-1.000", "không được âm"),
        ("1.5", "Không rõ nghĩa"),
        ("12.34 triệu", "Không rõ nghĩa"),
        ("2.000.000 tỷ", "quá lớn"),
        ("1,5 đồng", "đồng nguyên"),
        ("abc", "Không đọc được"),
        ("", "Thiếu số tiền"),
        (None, "Thiếu số tiền"),
    ],
)
def test_parse_refuses_ambiguous_or_out_of_range(text, message):
    with pytest.raises(MoneyError) as err:
        parse_money(text)
    assert message in err.value.message


def test_format_back_the_vietnamese_way():
    assert format_vnd(1_820_000_000) == "1.820.000.000 đồng"
    assert format_short(1_820_000_000) == "1,82 tỷ đồng"
    assert format_short(85_865_000_000) == "85,865 tỷ đồng"
    assert format_short(344_000_000) == "344 triệu đồng"
    assert format_in_unit(391_573_000_000) == "391.573"
    assert format_in_unit(16_448_000_000) == "16.448"
    assert format_percent(percent_of(16_578, 85_865)) == "19,3 %"
    assert format_percent(percent_of(16_578, 85_865), 2) == "19,31 %"


def test_percent_one_decimal_exact_and_rounded_once():
    assert format_percent(percent_of(2_100_000_000, 4_200_000_000)) == "50,0 %"
    assert format_percent(percent_of(1, 3)) == "33,3 %"
    assert format_percent(percent_of(2, 3)) == "66,7 %"
    assert format_percent(percent_of(595, 1000)) == "59,5 %"
    # Rounded once from the exact ratio, half away from zero: 0,5945 → 59,5 (not 59,4 by rounding to even),
    # and 0,59449 → 59,4 (rounding 59,449 to 59,45 first would give 59,5).
    assert format_percent(percent_of(5945, 10000)) == "59,5 %"
    assert format_percent(percent_of(59449, 100000)) == "59,4 %"
    assert format_percent(percent_of(1, 1)) == "100,0 %"
    assert format_percent(None) == ""


def test_amount_in_words():
    assert amount_in_words(1_820_000_000) == "Một tỷ tám trăm hai mươi triệu đồng"
    assert amount_in_words(529_000_000) == "Năm trăm hai mươi chín triệu đồng"
    assert amount_in_words(1_005) == "Một nghìn không trăm linh năm đồng"


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_parse_of_format_is_identity(amount):
    assert parse_money(format_vnd(amount)) == amount
    assert parse_money(format_short(amount)) == amount


@given(st.integers(min_value=MAX_AMOUNT + 1, max_value=MAX_AMOUNT * 1000))
def test_above_limit_is_refused(amount):
    with pytest.raises(MoneyError):
        parse_money(format_vnd(amount))


@pytest.mark.parametrize(
    "amount, words",
    [
        (15, "Mười lăm đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (4_185_000_000, "Bốn tỷ một trăm tám mươi lăm triệu đồng"),
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (85_865_000_000, "Tám mươi lăm tỷ tám trăm sáu mươi lăm triệu đồng"),
        (21, "Hai mươi mốt đồng"),
        (2_035_000_000, "Hai tỷ không trăm ba mươi lăm triệu đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amount_in_words_reads_every_group(amount, words):
    from khuyencong.core.money import amount_in_words

    assert amount_in_words(amount) == words
