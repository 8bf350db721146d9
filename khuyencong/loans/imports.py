"""Import of a province's old debt books from Excel: loans (sheet 1) and their repayments (sheet 2). All or
nothing: every row is checked by the same services as the pages; any error and nothing is saved, with each
problem named by row and column, in Vietnamese. An officer may record the lending decision already taken
and documented (the table's `extra_roles`)."""

import datetime as dt
import io

from django.db import transaction

from khuyencong.core.errors import DomainError, ImportFailed, ImportRowError
from khuyencong.core.permissions import OFFICER, require_edit
from khuyencong.core.xlsx import Sheet, write_workbook

from . import services
from .models import Loan, LoanStatus

LOAN_COLUMNS = [
    ("Số hợp đồng", "contract_no"),
    ("Ngày hợp đồng", "contract_date"),
    ("Mã đề án", "project"),
    ("Năm kế hoạch", "year"),
    ("Cơ sở vay (mã số thuế hoặc tên)", "establishment"),
    ("Số tiền vay (đồng)", "principal"),
    ("Số quyết định cho vay", "decision_no"),
    ("Ngày quyết định", "decision_date"),
    ("Ngày giải ngân", "disbursed_on"),
    ("Tài sản bảo đảm", "collateral"),
    ("Người bảo lãnh", "guarantor"),
]
REPAYMENT_COLUMNS = [
    ("Số hợp đồng", "contract_no"),
    ("Ngày trả", "date"),
    ("Số tiền (đồng)", "amount"),
    ("Chứng từ", "document_no"),
]
FIELD_COLUMN = {f: h for h, f in LOAN_COLUMNS} | {"amount": "Số tiền (đồng)", "date": "Ngày trả"}


def template_xlsx() -> bytes:
    return write_workbook(
        [
            Sheet(title="Khoản vay", headers=[h for h, _ in LOAN_COLUMNS], rows=[]),
            Sheet(title="Trả nợ", headers=[h for h, _ in REPAYMENT_COLUMNS], rows=[]),
        ]
    )


def _sheets(content: bytes) -> tuple[list, list]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        loans = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        pays = wb.get_sheet_by_index(1).to_python(skip_empty_area=False) if len(wb.sheet_names) > 1 else []
    except Exception:
        raise DomainError("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu nhập (2 trang tính).")
    return loans, pays


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _money(value):
    if isinstance(value, float):
        if not value.is_integer():
            raise DomainError("Số tiền phải là số đồng nguyên.")
        return int(value)
    return value if isinstance(value, int) else _text(value)


def _records(rows: list, columns: list) -> list[tuple[int, dict]]:
    out = []
    for i, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * len(columns)
        if all(c in (None, "") for c in cells[: len(columns)]):
            continue
        out.append((i, {f: cells[j] for j, (_h, f) in enumerate(columns)}))
    return out


def _find_establishment(user, key: str):
    from khuyencong.beneficiaries.selectors import establishment_list_for

    qs = establishment_list_for(user=user)
    found = qs.filter(tax_code=key).first() or qs.filter(name=key).first()
    if found is None:
        raise DomainError(f"Không có cơ sở «{key}» trong phạm vi quản lý của bạn.", field="establishment")
    return found


def _find_project(user, code: str, year):
    from khuyencong.projects.selectors import project_list_for

    qs = project_list_for(user=user).filter(code=code)
    if year not in (None, ""):
        qs = qs.filter(plan__year=int(float(year)))
    found = list(qs[:2])
    if not found:
        raise DomainError(f"Không có đề án mã «{code}» trong phạm vi quản lý của bạn.", field="project")
    if len(found) > 1:
        raise DomainError(f"Có nhiều đề án mã «{code}»: ghi thêm năm kế hoạch.", field="year")
    return found[0]


def import_loans(*, actor, content: bytes) -> dict:
    """Import the workbook: {"loans": n, "repayments": m}, or ImportFailed listing every error."""
    require_edit(actor, "nhập sổ nợ")
    loan_rows, pay_rows = _sheets(content)
    errors: list[ImportRowError] = []
    made: dict[str, Loan] = {}
    n_pay = 0
    with transaction.atomic():
        for row, v in _records(loan_rows, LOAN_COLUMNS):
            try:
                with transaction.atomic():
                    contract = _text(v["contract_no"])
                    project = _find_project(actor, _text(v["project"]), v["year"])
                    loan = services.loan_create(
                        actor=actor,
                        project=project,
                        establishment=_find_establishment(actor, _text(v["establishment"])),
                        principal=_money(v["principal"]),
                        contract_no=contract,
                        contract_date=_text(v["contract_date"]),
                        collateral=_text(v["collateral"]),
                        guarantor=_text(v["guarantor"]),
                    )
                    if _text(v["decision_no"]):
                        loan = services.loan_transition(
                            actor=actor,
                            loan=loan,
                            to_status=LoanStatus.APPROVED,
                            expected_version=loan.version,
                            decision_no=_text(v["decision_no"]),
                            decision_date=_text(v["decision_date"]),
                            extra_roles=frozenset({OFFICER}),
                        )
                        if _text(v["disbursed_on"]):
                            loan = services.loan_transition(
                                actor=actor,
                                loan=loan,
                                to_status=LoanStatus.DISBURSED,
                                expected_version=loan.version,
                                disbursed_on=_text(v["disbursed_on"]),
                            )
                    if contract in made:
                        raise DomainError(f"Số hợp đồng «{contract}» ghi hai lần.", field="contract_no")
                    made[contract] = loan
            except DomainError as exc:
                errors.append(
                    ImportRowError(row, "Khoản vay: " + FIELD_COLUMN.get(exc.field, "—"), None, exc.message)
                )
        for row, v in sorted(
            _records(pay_rows, REPAYMENT_COLUMNS), key=lambda r: (_date_key(r[1]["date"]), r[0])
        ):
            contract = _text(v["contract_no"])
            loan = made.get(contract)
            if loan is None:
                errors.append(
                    ImportRowError(
                        row,
                        "Trả nợ: Số hợp đồng",
                        contract,
                        "Không có khoản vay này trong trang «Khoản vay» của tệp.",
                    )
                )
                continue
            try:
                with transaction.atomic():
                    services.repayment_record(
                        actor=actor,
                        loan=loan,
                        date=_text(v["date"]),
                        amount=_money(v["amount"]),
                        document_no=_text(v["document_no"]),
                    )
                    n_pay += 1
            except DomainError as exc:
                errors.append(
                    ImportRowError(row, "Trả nợ: " + FIELD_COLUMN.get(exc.field, "—"), None, exc.message)
                )
        if errors:
            raise ImportFailed(sorted(errors, key=lambda e: (e.column or "", e.row or 0)))
    return {"loans": len(made), "repayments": n_pay}


def _date_key(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.strptime(_text(value), "%d/%m/%Y").date()
    except ValueError:
        return dt.date.max
