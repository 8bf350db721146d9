"""Demo loans from seed 000 (Bến Tre's 9-month report 2016: "Còn các đơn vị nợ vốn KC các năm trước, đa phần
do kinh doanh thất bại, chủ DN không có khả năng chi trả hoặc đã không còn ở địa phương…").

Bến Tre's local plans 2010–2015 each carry one recoverable đề án whose establishment borrowed under the
province's quy chế: one repaid; one late in 2016, then repaid; one current; one in recovery for years after
its business failed; one whose owner could not pay (in recovery, rescheduled in 2025); one whose owner left
the province (written off by decision in 2016). Everything goes through the services with the business dates
of its documents, so the 9-month 2016 view shows the outstanding debt, the arrears buckets and the write-off
with its cause. Idempotent: skipped when the first contract exists."""

import datetime as dt

from khuyencong.accounts.models import User
from khuyencong.beneficiaries.models import Establishment
from khuyencong.geo.models import AdminUnit
from khuyencong.projects import services as project_services
from khuyencong.projects.models import AnnualPlan, Project, Status

from . import engine, services
from .models import Loan, LoanStatus, LoanTerms

D = dt.date
TR = 1_000_000
S = LoanStatus
FIRST_CONTRACT = "01/2010/HĐ-KCHT"

# (year, establishment, principal, contract date, disbursed on, story)
LOANS = [
    (2010, "Cơ sở kẹo dừa Tư Lành Phước Long", 150 * TR, D(2010, 4, 20), D(2010, 5, 15), "repaid"),
    (2011, "HTX Chỉ xơ dừa Định Thủy", 200 * TR, D(2011, 5, 10), D(2011, 6, 1), "failed"),
    (2012, "Cơ sở cơ khí Thới Lai", 120 * TR, D(2012, 3, 1), D(2012, 3, 20), "left"),
    (2013, "Cơ sở bánh phồng Mỹ Thạnh", 100 * TR, D(2013, 3, 15), D(2013, 4, 1), "cannot_pay"),
    (2014, "Cơ sở gốm Sơn Định", 150 * TR, D(2014, 8, 1), D(2014, 8, 15), "late"),
    (2015, "Cơ sở thạch dừa - nước màn dừa Minh Tâm", 80 * TR, D(2015, 7, 20), D(2015, 8, 1), "current"),
]


def _terms(officer) -> LoanTerms:
    province = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")
    found = LoanTerms.objects.filter(province=province, decision_no="25/2009/QĐ-UBND").first()
    return found or services.terms_create(
        actor=officer,
        province=province,
        name="Quy chế quản lý, sử dụng kinh phí khuyến công có hoàn trả tỉnh Bến Tre",
        decision_no="25/2009/QĐ-UBND",
        decision_date=D(2009, 9, 15),
        valid_from=D(2009, 10, 1),
        max_amount=300 * TR,
        max_share_pct=50,
        term_months=36,
        grace_months=6,
        frequency="quarterly",
        collateral_required=True,
        note="Không tính lãi; thời hạn vay 36 tháng, ân hạn gốc 6 tháng, trả gốc hằng quý (dữ liệu mẫu).",
    )


def _plan(officer, approver, year: int) -> AnnualPlan:
    unit = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    plan = AnnualPlan.objects.filter(unit=unit, year=year, level="local").first()
    if plan is not None:
        return plan
    plan = project_services.plan_create(
        actor=officer,
        unit=unit,
        year=year,
        level="local",
        effective_date=D(year - 1, 9, 1),
        title=f"Kế hoạch khuyến công địa phương tỉnh Bến Tre năm {year}",
    )
    return project_services.plan_transition(
        plan=plan,
        actor=approver,
        to_status=AnnualPlan.PlanStatus.ASSIGNED,
        expected_version=plan.version,
        decision_no=f"{100 + year % 100}/QĐ-UBND",
        decision_date=D(year - 1, 12, 20),
    )


def _project(officer, approver, year: int, est: Establishment, amount: int, contract: dt.date) -> Project:
    from khuyencong.catalog.models import ActivityContent

    plan = _plan(officer, approver, year)
    p = project_services.project_create(
        actor=officer,
        plan=plan,
        code=f"KCĐP-{year}-HT01",
        title=f"Hỗ trợ có hoàn trả đầu tư máy móc thiết bị — {est.name}",
        content=ActivityContent.objects.filter(code="3").order_by("valid_from").first(),
        establishments=[est],
        recoverable=True,
        funding={"local": {"requested": amount}, "counterpart": {"requested": amount * 2}},
        start_date=contract,
        end_date=contract + dt.timedelta(days=180),
        effective_date=contract - dt.timedelta(days=60),
    )
    steps = [
        (Status.REGISTERED, officer, {"effective_date": contract - dt.timedelta(days=50)}),
        (
            Status.APPRAISED,
            approver,
            {
                "appraisal_result": "passed",
                "appraisal_notes": "Đạt yêu cầu",
                "effective_date": contract - dt.timedelta(days=35),
            },
        ),
        (
            Status.APPROVED,
            approver,
            {"decision_no": f"{year % 100}/QĐ-SCT", "decision_date": contract - dt.timedelta(days=20)},
        ),
    ]
    for to, actor, data in steps:
        p = project_services.project_transition(
            project=p, actor=actor, to_status=to, expected_version=p.version, **data
        )
    return p


def _step(actor, loan, to, **data) -> Loan:
    loan.refresh_from_db()
    return services.loan_transition(
        actor=actor, loan=loan, to_status=to, expected_version=loan.version, **data
    )


def _pay(officer, loan, day, amount, doc=""):
    services.repayment_record(actor=officer, loan=loan, date=day, amount=amount, document_no=doc)


def _dues(loan) -> list[engine.Line]:
    return [
        engine.Line(i.seq, i.due_date, i.principal)
        for i in loan.schedules.get(number=loan.schedule_no).instalments.order_by("seq")
    ]


def _action(officer, loan, kind, day, note, doc=""):
    services.action_record(actor=officer, loan=loan, kind=kind, date=day, note=note, document_no=doc)


def _story(officer, approver, loan: Loan, story: str) -> None:
    dues = _dues(loan)
    n = 0

    def pay_next(count: int, late_days: int = 0):
        nonlocal n
        for ln in dues[n : n + count]:
            _pay(
                officer,
                loan,
                ln.due_date + dt.timedelta(days=late_days),
                ln.principal,
                f"PT-{loan.pk}-{ln.seq}",
            )
        n += count

    if story == "repaid":
        pay_next(len(dues))
    elif story == "failed":
        pay_next(3)
        _action(officer, loan, "reminder", D(2013, 1, 10), "Gửi thư nhắc nợ kỳ 4 quá hạn.", "05/TTKC-NN")
        _step(
            officer,
            loan,
            S.IN_RECOVERY,
            effective_date=D(2013, 6, 15),
            note="HTX kinh doanh thất bại, ngừng sản xuất chỉ xơ dừa; không trả nợ các kỳ đến hạn.",
        )
        _action(
            officer, loan, "visit", D(2014, 3, 10), "Làm việc với Ban quản trị HTX: HTX chưa có nguồn trả."
        )
        _action(officer, loan, "reminder", D(2015, 5, 4), "Thư nhắc nợ lần 3.", "41/TTKC-NN")
        _action(
            officer,
            loan,
            "referral",
            D(2016, 3, 15),
            "Báo cáo UBND huyện Mỏ Cày Nam, đề nghị phối hợp thu hồi nợ.",
            "18/TTKC-BC",
        )
    elif story == "left":
        pay_next(2)
        _step(
            officer,
            loan,
            S.IN_RECOVERY,
            effective_date=D(2014, 1, 10),
            note="Chủ cơ sở ngừng sản xuất, không liên lạc được.",
        )
        _action(
            officer,
            loan,
            "visit",
            D(2014, 2, 20),
            "Đến cơ sở: xưởng đóng cửa, chủ cơ sở đã đi khỏi địa phương.",
        )
        _step(
            officer,
            loan,
            "propose_writeoff",
            effective_date=D(2016, 3, 1),
            writeoff_cause="khong-con-o-dia-phuong",
            writeoff_reason="Chủ cơ sở đã chuyển đi nơi khác, không còn tài sản tại địa phương.",
            writeoff_evidence="Xác nhận của UBND xã Thới Lai; biên bản xác minh ngày 20/02/2014.",
        )
        _step(
            approver,
            loan,
            S.WRITTEN_OFF,
            writeoff_decision_no="1352/QĐ-UBND",
            writeoff_decision_date=D(2016, 6, 20),
        )
    elif story == "cannot_pay":
        pay_next(8)
        _action(officer, loan, "reminder", D(2016, 1, 20), "Thư nhắc nợ kỳ 9 quá hạn.", "07/TTKC-NN")
        _step(
            officer,
            loan,
            S.IN_RECOVERY,
            effective_date=D(2016, 3, 1),
            note="Chủ cơ sở không có khả năng chi trả do thua lỗ.",
        )
        _action(
            officer, loan, "commitment", D(2016, 5, 20), "Chủ cơ sở cam kết trả dần khi sản xuất trở lại."
        )
        _step(
            approver,
            loan,
            S.RESCHEDULED,
            decision_no="112/QĐ-SCT",
            decision_date=D(2025, 10, 1),
            term_months=24,
            grace_months=0,
            frequency="quarterly",
        )
        loan.refresh_from_db()
        first = _dues(loan)[0]
        _pay(officer, loan, first.due_date + dt.timedelta(days=4), first.principal, f"PT-{loan.pk}-R1")
    elif story == "late":
        pay_next(5)
        pay_next(len(dues) - 5, late_days=97)
    elif story == "current":
        pay_next(1)
        pay_next(len(dues) - 1, late_days=24)


def load() -> None:
    if Loan.objects.filter(contract_no=FIRST_CONTRACT).exists():
        return
    officer = User.objects.filter(username="vinhlong").first()
    approver = User.objects.filter(username="vinhlong.lanhdao").first()
    if officer is None or approver is None:
        return
    services.load_causes()
    terms = _terms(officer)
    for i, (year, name, amount, contract, disbursed, story) in enumerate(LOANS, 1):
        est = Establishment.objects.filter(name=name).first()
        if est is None:
            continue
        project = _project(officer, approver, year, est, amount, contract)
        loan = services.loan_create(
            actor=officer,
            project=project,
            establishment=est,
            principal=amount,
            terms=terms,
            contract_no=FIRST_CONTRACT if i == 1 else f"{i:02d}/{year}/HĐ-KCHT",
            contract_date=contract,
            collateral="Máy móc thiết bị hình thành từ vốn vay",
        )
        loan = _step(approver, loan, S.APPROVED, decision_no=f"{i:02d}/{year}/QĐ-SCT", decision_date=contract)
        loan = _step(officer, loan, S.DISBURSED, disbursed_on=disbursed)
        _story(officer, approver, loan, story)
