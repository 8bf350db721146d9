"""Amounts as people type them (with their unit) and dates as dd/mm/yyyy: the shared form fields, and a check
that every page form of every app uses them."""

import datetime as dt
import importlib
import inspect

import pytest
from django import forms
from django.utils import timezone

from khuyencong.core.errors import DomainError
from khuyencong.core.fields import (
    MoneyField,
    MoneyInput,
    VNDateField,
    VNDateInput,
    parse_amount,
    parse_business_date,
)

UNIT_250 = "Ghi rõ đơn vị: 250 triệu đồng hay 250 đồng?"


@pytest.mark.parametrize(
    ("typed", "dong"),
    [
        ("250 triệu", 250_000_000),
        ("2,035 tỷ", 2_035_000_000),
        ("262,5 triệu", 262_500_000),
        ("1.820.000.000", 1_820_000_000),
        ("1820000000", 1_820_000_000),
        ("1.820.000.000 đồng", 1_820_000_000),
        ("250 triệu đồng", 250_000_000),
        ("250 đồng", 250),
        ("300 nghìn", 300_000),
        ("  85,865   tỷ ", 85_865_000_000),
        ("0", 0),
        (250, 250),  # a JSON integer is đồng by contract
        (1_820_000_000, 1_820_000_000),
    ],
)
def test_parse_amount_accepts_what_people_type(typed, dong):
    assert parse_amount(typed) == dong


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("250", UNIT_250),
        (" 250 ", UNIT_250),
        ("999.999", "Ghi rõ đơn vị: 999.999 triệu đồng hay 999.999 đồng?"),
        ("2,035", "Ghi rõ đơn vị: 2,035 triệu đồng hay 2,035 đồng?"),
    ],
)
def test_parse_amount_refuses_a_bare_small_number_asking_for_the_unit(typed, message):
    with pytest.raises(DomainError) as err:
        parse_amount(typed)
    assert err.value.message == message
    assert err.value.code == "amount_unit_required"


def test_parse_amount_other_refusals_keep_their_reason():
    with pytest.raises(DomainError, match="Không rõ nghĩa «1.2.3»"):
        parse_amount("1.2.3")
    with pytest.raises(DomainError, match="không được âm"):
        parse_amount("-250 triệu")
    with pytest.raises(DomainError, match="Không đọc được số"):
        parse_amount("hai trăm")


def test_money_field_cleans_to_dong_and_refuses_250():
    field = MoneyField(label="Số tiền (đồng)")
    assert field.clean("250 triệu") == 250_000_000
    assert field.clean("2,035 tỷ") == 2_035_000_000
    assert field.clean("262,5 triệu") == 262_500_000
    assert field.clean("1.820.000.000") == 1_820_000_000
    with pytest.raises(forms.ValidationError) as err:
        field.clean("250")
    assert err.value.messages == [UNIT_250]
    with pytest.raises(forms.ValidationError) as err:
        field.clean("")
    assert "đơn vị" in err.value.messages[0]
    assert MoneyField(required=False).clean("") is None
    assert "250 triệu" in field.help_text  # the unit is said next to the box


class _AmountForm(forms.Form):
    amount = MoneyField(label="Phê duyệt — KCQG (đồng)", required=False)


def test_money_prefill_is_formatted_and_a_bare_dong_amount_is_echoed_formatted():
    html = str(_AmountForm(initial={"amount": 400_000_000})["amount"])
    assert 'value="400.000.000"' in html and 'type="text"' in html
    assert 'inputmode="decimal"' in html and "money-input" in html
    bound = _AmountForm(data={"amount": "1820000000"})
    assert bound.is_valid() and bound.cleaned_data["amount"] == 1_820_000_000
    assert 'value="1.820.000.000"' in str(bound["amount"])
    refused = _AmountForm(data={"amount": "250"})
    assert not refused.is_valid()
    assert refused.errors["amount"] == [UNIT_250]
    assert 'value="250"' in str(refused["amount"])  # what was typed stays in the box
    assert MoneyInput().format_value(0) == "0"


def test_vn_date_field_reads_dd_mm_yyyy_and_iso():
    field = VNDateField(label="Ngày")
    assert field.clean("15/05/2017") == dt.date(2017, 5, 15)
    assert field.clean("5/1/2017") == dt.date(2017, 1, 5)
    assert field.clean("2017-05-15") == dt.date(2017, 5, 15)
    assert field.clean("15.05.2017") == dt.date(2017, 5, 15)
    for bad in ("31/02/2017", "15/05/17", "05-15-2017x", "mai"):
        with pytest.raises(forms.ValidationError) as err:
            field.clean(bad)
        assert err.value.messages == ["Ngày không hợp lệ (ghi dạng dd/mm/yyyy, ví dụ 15/05/2017)."]


def test_vn_date_field_refuses_future_only_when_asked():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert VNDateField().clean(tomorrow.strftime("%d/%m/%Y")) == tomorrow
    with pytest.raises(forms.ValidationError) as err:
        VNDateField(allow_future=False).clean(tomorrow.strftime("%d/%m/%Y"))
    assert f"Ngày {tomorrow:%d/%m/%Y} không được sau ngày hôm nay" in err.value.messages[0]


class _DateForm(forms.Form):
    day = VNDateField(label="Ngày quyết định")


def test_vn_date_input_is_a_text_box_in_dd_mm_yyyy():
    html = str(_DateForm(initial={"day": dt.date(2017, 5, 15)})["day"])
    assert 'type="text"' in html and 'value="15/05/2017"' in html
    assert "vn-date" in html and 'placeholder="dd/mm/yyyy"' in html
    assert VNDateInput().format_value("2017-05-15") == "15/05/2017"
    assert VNDateInput().format_value(dt.datetime(2017, 5, 15, 8, 30)) == "15/05/2017"


def test_parse_business_date():
    assert parse_business_date("15/05/2017") == dt.date(2017, 5, 15)
    assert parse_business_date("2017-05-15") == dt.date(2017, 5, 15)
    with pytest.raises(DomainError, match="Ngày không hợp lệ cho ngày thanh toán: «15/05/17»"):
        parse_business_date("15/05/17", label="ngày thanh toán")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError, match=f"Ngày thanh toán \\({tomorrow:%d/%m/%Y}\\) không được sau"):
        parse_business_date(tomorrow, label="ngày thanh toán")
    assert parse_business_date(tomorrow, allow_future=True) == tomorrow


# --- every page form of every app ------------------------------------------------------------------------

FORM_MODULES = [
    "khuyencong.projects.forms",
    "khuyencong.programs.forms",
    "khuyencong.reports.forms",
    "khuyencong.beneficiaries.forms",
    "khuyencong.accounts.forms",
]
# Fields that hold an amount of money (not a count, a percentage or a figure of several kinds).
AMOUNT_NAMES = ("amount", "requested_", "approved_", "registered_total", "settled_amount", "total")


def _declared_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                for field_name, field in cls.base_fields.items():
                    yield f"{module_name}.{name}.{field_name}", field_name, field
    from khuyencong.projects.forms import FIELD_WIDGETS

    for field_name, make in FIELD_WIDGETS.items():
        yield f"projects.forms.FIELD_WIDGETS[{field_name}]", field_name, make()


def test_every_date_field_is_a_dd_mm_yyyy_text_box():
    seen = 0
    for where, _name, field in _declared_fields():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            seen += 1
            assert isinstance(field, VNDateField), where
            assert isinstance(field.widget, VNDateInput), where
            assert field.widget.input_type == "text" and "vn-date" in field.widget.attrs["class"], where
        assert field.widget.attrs.get("type") != "date", where
    assert seen >= 15  # projects, programmes, reports and establishments all have date fields


def test_every_amount_field_is_a_money_field_that_says_its_unit():
    seen = 0
    for where, name, field in _declared_fields():
        if name.startswith(AMOUNT_NAMES) and not isinstance(field, forms.BooleanField):
            seen += 1
            assert isinstance(field, MoneyField), where
            assert "đồng" in str(field.label) or "đơn vị" in str(field.help_text), where
    assert seen >= 6


@pytest.mark.django_db
def test_transition_forms_use_the_shared_fields_and_prefill_formatted(vinhlong_officer, vinhlong_approver):
    from khuyencong.projects.forms import TransitionForm
    from khuyencong.projects.models import Status
    from khuyencong.projects.tests import factories as f

    p = f.walk(
        f.project(
            vinhlong_officer,
            funding={"national": {"requested": 250_000_000}, "counterpart": {"requested": 400_000_000}},
        ),
        Status.APPRAISED,
        officer=vinhlong_officer,
        approver=vinhlong_approver,
    )
    form = TransitionForm(project=p, target=Status.APPROVED)
    html = str(form["approved_national"])
    assert 'value="250.000.000"' in html and "money-input" in html
    assert form.fields["approved_national"].label == "Phê duyệt — KCQG (đồng)"
    assert isinstance(form.fields["decision_date"], VNDateField)
    assert "vn-date" in str(form["decision_date"]) and "vn-date" in str(form["document_date"])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_print_dd_mm_yyyy_in_every_interface_language(language):
    from django.template import Context, Template
    from django.utils import formats, translation

    day = dt.date(2017, 5, 15)
    with translation.override(language):
        assert formats.date_format(day) == "15/05/2017"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "15/05/2017"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
        assert Template("{{ d }}|{{ d|date }}").render(Context({"d": day})) == "15/05/2017|15/05/2017"
        assert forms.DateField().clean("15/05/2017") == day
