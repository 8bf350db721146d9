"""Demo plans and đề án reproducing seeds 004 (Bắc Kạn 2018, 6-month report) and 000 (Bến Tre 2016, 9-month
report) at their dates, through the services, each step with the business date of its document.

What the seeds say is kept exactly (counts, totals, beneficiaries, statuses at the report date); what they do
not
say (the split of a total between đề án, decision numbers, counterpart money, later events) is made up
plausibly
and marked as such in notes. Idempotent: a province's story is skipped when its plan already exists.
"""

import datetime as dt

from khuyencong.accounts.models import User
from khuyencong.beneficiaries.models import Establishment
from khuyencong.catalog.models import (
    ActivityContent,
    EstablishmentType,
    LegalDocument,
    OutputIndicator,
    SupportCap,
)
from khuyencong.core.audit import save_audited
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.selectors import unit_lookup

from . import services, workflow
from .models import AnnualPlan, Project, Status

D = dt.date
TR = 1_000_000  # triệu đồng
S = Status
ILLUSTRATIVE = "Số liệu chi tiết minh họa (nguồn chỉ nêu tổng số)."


def _content(code: str) -> ActivityContent:
    return (
        ActivityContent.objects.filter(code=code, legal_basis__number="45/2012/NĐ-CP").first()
        or ActivityContent.objects.filter(code=code).first()
    )


def _old_commune(province: str, district: str, commune: str) -> AdminUnit:
    prov = AdminUnit.objects.get(era="old", level=1, short_name=province)
    for d in unit_lookup(district, level=2, era="old", within=prov):
        found = unit_lookup(commune, level=3, era="old", within=d)
        if found:
            return found[0]
    raise LookupError(f"Không tìm thấy {commune}, {district}, {province}")


def _establishment(
    name: str, type_code: str = "HKD", where: tuple | None = None, products: str = ""
) -> Establishment:
    est = Establishment.objects.filter(name=name).first()
    if est is None:
        if where is None:
            raise LookupError(f"Thiếu cơ sở «{name}» trong dữ liệu mẫu cơ sở CNNT.")
        est = save_audited(
            Establishment(
                name=name,
                establishment_type=EstablishmentType.objects.get(code=type_code),
                commune=_old_commune(*where),
                main_products=products,
            ),
            actor=None,
            reason="Dữ liệu mẫu (đề án)",
        )
    return est


class Story:
    """Runs one province's story with an officer and an approver, picking per step the role the table
    allows."""

    def __init__(self, officer, approver):
        self.officer, self.approver = officer, approver

    def actor_for(self, frm: str, to: str):
        rule = workflow.TRANSITIONS.get((frm, to)) or workflow.EVENTS.get(to)
        return self.officer if "officer" in rule["roles"] else self.approver

    def step(self, project, when: dt.date, to: str, **data):
        project = Project.objects.get(pk=project.pk)  # what a page shows: the current status and version
        return services.project_transition(
            project=project,
            actor=self.actor_for(project.status, to),
            to_status=to,
            expected_version=project.version,
            effective_date=when,
            **data,
        )

    def approve_path(self, p, *, registered, appraised, approved, decision_no):
        p = self.step(p, registered, S.REGISTERED)
        p = self.step(
            p, appraised, S.APPRAISED, appraisal_result="passed", appraisal_notes="Đạt yêu cầu thẩm định"
        )
        return self.step(p, approved, S.APPROVED, decision_no=decision_no, decision_date=approved)

    def progress(self, p, when, pct, note=""):
        return self.step(p, when, S.IN_PROGRESS, progress_pct=pct, progress_date=when, note=note)

    def pay(self, p, when, amount, source, kind="advance", doc=""):
        return services.disbursement_create(
            project=p, actor=self.officer, kind=kind, source=source, date=when, amount=amount, document_no=doc
        )

    def output(self, p, when, code, qty, note=""):
        return services.output_record(
            project=p,
            actor=self.officer,
            indicator=OutputIndicator.objects.get(code=code),
            quantity=qty,
            date=when,
            note=note,
        )


def load() -> None:
    if not User.objects.filter(username__in=["thainguyen", "vinhlong", "vinhlong.lanhdao", "cuc"]).exists():
        return
    load_bac_kan_2018()
    load_ben_tre_2016()


# ------------------------------------------------------------------------------------------ seed 004: Bắc Kạn

BK_CENTRE = "Trung tâm Khuyến công và Xúc tiến thương mại Bắc Kạn"

# code, title, content, beneficiary, support (triệu), counterpart (triệu)
BK_NATIONAL = [
    (
        "BK18-QG-01",
        "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến nông lâm sản",
        "HTX Nông nghiệp Tân Thành",
        200,
        260,
    ),
    (
        "BK18-QG-02",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất sản phẩm phụ tùng cơ khí",
        "HTX Thành Ngân",
        200,
        230,
    ),
    (
        "BK18-QG-03",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất các sản phẩm từ tre",
        "Công ty TNHH Đinh Lâm",
        200,
        240,
    ),
]
BK_LOCAL = [
    (
        "BK18-DP-01",
        "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Bắc Kạn năm 2018",
        "4",
        None,
        60,
        0,
    ),
    ("BK18-DP-02", "Hỗ trợ kinh phí khảo sát xây dựng kế hoạch khuyến công năm 2019", "9", None, 15, 0),
    ("BK18-DP-03", "Thông tin, tuyên truyền hoạt động khuyến công", "6", None, 50, 0),
    (
        "BK18-DP-04",
        "Tham gia hội chợ triển lãm giới thiệu quảng bá sản phẩm CNNT tỉnh Bắc Kạn",
        "4",
        None,
        80,
        0,
    ),
    ("BK18-DP-05", "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm", "4", None, 40, 0),
    (
        "BK18-DP-06",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng",
        "3",
        "HKD Lại Văn Tú",
        100,
        150,
    ),
    (
        "BK18-DP-07",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng",
        "3",
        "HTX Thành Long",
        80,
        120,
    ),
    (
        "BK18-DP-08",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất gạch không nung silicat",
        "3",
        "HKD Sằm Văn Thường",
        70,
        110,
    ),
    ("BK18-DP-09", "Hội nghị tập huấn công tác khuyến công", "9", None, 20, 0),
    ("BK18-DP-10", "Hỗ trợ kinh phí quản lý chương trình, đề án khuyến công năm 2018", "9", None, 14, 0),
]


def load_bac_kan_2018() -> None:
    unit = AdminUnit.objects.get(era="old", level=1, short_name="Bắc Kạn")
    if AnnualPlan.objects.filter(unit=unit, year=2018).exists():
        return
    officer = User.objects.get(username="thainguyen")
    approver = User.objects.get(username="cuc")
    st = Story(officer, approver)
    nd45 = LegalDocument.objects.get(number="45/2012/NĐ-CP")
    machinery = SupportCap.objects.get(code="tt28-may-moc-thiet-bi")

    # National plan: 3 đề án, 600 triệu, assigned by the Cục in May 2018.
    nat = services.plan_create(
        actor=officer,
        unit=unit,
        year=2018,
        level="national",
        registered_total=600 * TR,
        title="Kế hoạch khuyến công quốc gia năm 2018 — tỉnh Bắc Kạn",
        effective_date=D(2017, 7, 20),
    )
    # The batch's decision assigns the plan (registered → assigned on 21/5/2018).
    nat_batch = services.batch_create(
        actor=officer,
        plan=nat,
        number=1,
        decision_no="(minh họa) QĐ giao nhiệm vụ 5/2018",
        decision_date=D(2018, 5, 21),
        issuer="Cục Công Thương địa phương",
        amounts={"national": 600 * TR},
        note="Giao nhiệm vụ từ tháng 5/2018 (seed 004).",
    )
    nat_projects = {}
    for code, title, est_name, support, counterpart in BK_NATIONAL:
        est = _establishment(est_name)
        p = services.project_create(
            actor=officer,
            plan=nat,
            batch=nat_batch,
            code=code,
            title=title,
            content=_content("3"),
            establishments=[est],
            commune=est.commune,
            implementing_unit=BK_CENTRE,
            legal_basis=nd45,
            support_cap=machinery,
            start_date=D(2018, 6, 1),
            end_date=D(2018, 12, 15),
            funding={"national": {"requested": support * TR}, "counterpart": {"requested": counterpart * TR}},
            effective_date=D(2017, 7, 15),
        )
        nat_projects[code] = st.approve_path(
            p,
            registered=D(2017, 7, 20),
            appraised=D(2018, 4, 25),
            approved=D(2018, 5, 21),
            decision_no="(minh họa) QĐ giao nhiệm vụ 5/2018",
        )
    # Tân Thành: contract signed, implementing as planned.
    p = st.step(
        nat_projects["BK18-QG-01"],
        D(2018, 6, 5),
        S.CONTRACTED,
        contract_no="(minh họa) 05/2018/HĐ-KC",
        contract_date=D(2018, 6, 5),
    )
    st.pay(p, D(2018, 6, 12), 60 * TR, "national", doc="(minh họa) PC tạm ứng 06/2018")
    p = st.progress(p, D(2018, 6, 25), 30, "Đã ký kết hợp đồng và thực hiện theo kế hoạch.")
    # Thành Ngân: still studying the machinery market (may adjust or stop) — stays approved at 30/6.
    # Đinh Lâm: asked in writing to stop for lack of market.
    dl = st.step(
        nat_projects["BK18-QG-03"],
        D(2018, 6, 18),
        S.STOP_REQUESTED,
        stop_reason="Đơn vị gặp khó khăn về thị trường tiêu thụ",
        stop_requested_by="Công ty TNHH Đinh Lâm",
        document_no="(minh họa) Văn bản xin dừng của đơn vị",
    )
    # Later in 2018 (after the 6-month report).
    p = st.progress(p, D(2018, 9, 15), 80, "Đã lắp đặt phần lớn thiết bị.")
    p = st.step(p, D(2018, 11, 20), S.COMPLETED, note="Đã lắp đặt, vận hành thiết bị.")
    st.output(p, D(2018, 11, 20), "may-moc", 3)
    st.output(p, D(2018, 11, 20), "co-so-ho-tro", 1)
    p = st.step(
        p,
        D(2018, 12, 5),
        S.ACCEPTED,
        acceptance_date=D(2018, 12, 5),
        acceptance_minutes_no="(minh họa) BB-NT 12/2018",
        acceptance_result="Đạt",
    )
    st.pay(p, D(2018, 12, 14), 140 * TR, "national", kind="payment", doc="(minh họa) PC thanh toán 12/2018")
    adjusted = Project.objects.get(pk=nat_projects["BK18-QG-02"].pk)
    services.project_transition(
        project=adjusted,
        actor=approver,
        to_status="adjust",
        expected_version=adjusted.version,
        effective_date=D(2018, 8, 10),
        reason="Điều chỉnh nội dung hỗ trợ theo khảo sát thị trường máy móc thiết bị (minh họa)",
        end_date=D(2018, 12, 25),
        description="Thay đổi chủng loại máy theo khảo sát thị trường.",
    )
    st.step(dl, D(2018, 8, 1), S.STOPPED, note="Đồng ý cho dừng thực hiện đề án.")

    # Local plan: 10 đề án, 529 triệu.
    loc = services.plan_create(
        actor=officer,
        unit=unit,
        year=2018,
        level="local",
        registered_total=529 * TR,
        title="Kế hoạch khuyến công địa phương năm 2018 — tỉnh Bắc Kạn",
        effective_date=D(2017, 12, 1),
    )
    loc_batch = services.batch_create(
        actor=officer,
        plan=loc,
        number=1,
        decision_no="(minh họa) QĐ-UBND giao KH 2018",
        decision_date=D(2018, 1, 25),
        issuer="UBND tỉnh Bắc Kạn",
        amounts={"local": 529 * TR},
    )
    lp = {}
    for code, title, content_code, est_name, support, counterpart in BK_LOCAL:
        ests = [_establishment(est_name)] if est_name else []
        funding = {"local": {"requested": support * TR}}
        if counterpart:
            funding["counterpart"] = {"requested": counterpart * TR}
        p = services.project_create(
            actor=officer,
            plan=loc,
            batch=loc_batch,
            code=code,
            title=title,
            content=_content(content_code),
            establishments=ests,
            commune=ests[0].commune if ests else None,
            implementing_unit=BK_CENTRE,
            legal_basis=nd45,
            start_date=D(2018, 2, 1),
            end_date=D(2018, 12, 31),
            funding=funding,
            effective_date=D(2018, 1, 10),
        )
        lp[code] = st.approve_path(
            p,
            registered=D(2018, 1, 12),
            appraised=D(2018, 1, 20),
            approved=D(2018, 1, 25),
            decision_no="(minh họa) QĐ-UBND giao KH 2018",
        )
    # Done by 30/6: product voting and the survey for the 2019 plan.
    p = st.progress(lp["BK18-DP-01"], D(2018, 3, 15), 40, "Đã phát động bình chọn.")
    p = st.step(p, D(2018, 5, 25), S.COMPLETED, note="Đã tổ chức bình chọn sản phẩm CNNT tiêu biểu.")
    st.pay(p, D(2018, 6, 5), 60 * TR, "local", kind="payment")
    lp["BK18-DP-01"] = p
    p = st.progress(lp["BK18-DP-02"], D(2018, 4, 10), 50)
    lp["BK18-DP-02"] = st.step(p, D(2018, 6, 15), S.COMPLETED, note="Đã khảo sát, tổng hợp đăng ký năm 2019.")
    st.pay(lp["BK18-DP-02"], D(2018, 6, 20), 15 * TR, "local", kind="payment")
    # Half done by 30/6.
    p = st.progress(lp["BK18-DP-03"], D(2018, 3, 1), 20)
    lp["BK18-DP-03"] = st.progress(p, D(2018, 6, 25), 50, "Hoàn thành 50 % khối lượng công việc.")
    st.pay(lp["BK18-DP-03"], D(2018, 3, 5), 25 * TR, "local")
    lp["BK18-DP-04"] = st.progress(
        lp["BK18-DP-04"], D(2018, 6, 20), 50, "Hoàn thành 50 % khối lượng công việc."
    )
    st.pay(lp["BK18-DP-04"], D(2018, 4, 5), 40 * TR, "local")
    lp["BK18-DP-05"] = st.progress(
        lp["BK18-DP-05"], D(2018, 5, 15), 50, "Hoàn thành 50 % khối lượng công việc."
    )
    p = st.step(
        lp["BK18-DP-06"],
        D(2018, 3, 1),
        S.CONTRACTED,
        contract_no="(minh họa) 02/2018/HĐ-KC",
        contract_date=D(2018, 3, 1),
    )
    lp["BK18-DP-06"] = st.progress(p, D(2018, 6, 10), 50, "Hoàn thành 50 % khối lượng công việc.")
    st.pay(lp["BK18-DP-06"], D(2018, 4, 20), 50 * TR, "local")
    # Asked to stop.
    p = st.step(
        lp["BK18-DP-07"],
        D(2018, 3, 1),
        S.CONTRACTED,
        contract_no="(minh họa) 03/2018/HĐ-KC",
        contract_date=D(2018, 3, 1),
    )
    lp["BK18-DP-07"] = st.step(
        p,
        D(2018, 5, 20),
        S.STOP_REQUESTED,
        stop_reason="Đơn vị thụ hưởng xin dừng thực hiện",
        stop_requested_by="HTX Thành Long",
    )
    lp["BK18-DP-08"] = st.step(
        lp["BK18-DP-08"],
        D(2018, 6, 5),
        S.STOP_REQUESTED,
        stop_reason="Đơn vị thụ hưởng xin dừng thực hiện",
        stop_requested_by="HKD Sằm Văn Thường",
    )
    # BK18-DP-09 and -10 not started by 30/6 (approved only).

    # The second half of 2018 moves everything on (the as-of view at 30/6/2018 must not see it).
    for code in ("BK18-DP-07", "BK18-DP-08"):
        lp[code] = st.step(lp[code], D(2018, 9, 10), S.STOPPED, note="Đồng ý cho dừng thực hiện.")
    p = st.progress(lp["BK18-DP-10"], D(2018, 7, 10), 40)
    lp["BK18-DP-10"] = st.step(p, D(2018, 12, 20), S.COMPLETED)
    st.pay(lp["BK18-DP-10"], D(2018, 12, 21), 14 * TR, "local", kind="payment")
    p = st.progress(lp["BK18-DP-09"], D(2018, 10, 15), 50, "Đã tổ chức hội nghị tập huấn đợt 1.")
    lp["BK18-DP-09"] = st.step(p, D(2018, 11, 30), S.COMPLETED)
    st.pay(lp["BK18-DP-09"], D(2018, 12, 3), 20 * TR, "local", kind="payment")
    st.output(lp["BK18-DP-09"], D(2018, 11, 30), "lop-tap-huan", 2)
    for code, when, paid in (
        ("BK18-DP-03", D(2018, 12, 10), 25),
        ("BK18-DP-04", D(2018, 12, 12), 40),
        ("BK18-DP-05", D(2018, 12, 14), 40),
        ("BK18-DP-06", D(2018, 12, 15), 50),
    ):
        lp[code] = st.step(lp[code], when, S.COMPLETED)
        st.pay(lp[code], when + dt.timedelta(days=3), paid * TR, "local", kind="payment")
    st.output(lp["BK18-DP-06"], D(2018, 12, 15), "may-moc", 2)
    st.output(lp["BK18-DP-06"], D(2018, 12, 15), "co-so-ho-tro", 1)


# ------------------------------------------------------------------------------------------ seed 000: Bến Tre

BT_CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bến Tre"
MINH_TAM = "Cơ sở thạch dừa - nước màn dừa Minh Tâm"
# Establishments the seed does not name; invented, plausible for Bến Tre's coconut economy.
BT_ESTABLISHMENTS = {
    "HTX Chỉ xơ dừa Định Thủy": ("HTX", ("Bến Tre", "Mỏ Cày Nam", "Định Thủy"), "Chỉ xơ dừa, thảm xơ dừa"),
    "Công ty TNHH Thạch dừa Giao Long": ("DN", ("Bến Tre", "Châu Thành", "Giao Long"), "Thạch dừa thô"),
    "Cơ sở cơ khí Phú Khương": ("HKD", ("Bến Tre", "Bến Tre", "Phú Khương"), "Máy chế biến dừa"),
    "Cơ sở bánh phồng Mỹ Thạnh": ("HKD", ("Bến Tre", "Giồng Trôm", "Mỹ Thạnh"), "Bánh phồng, bánh tráng"),
    "Cơ sở kẹo dừa Phước Hiệp": ("HKD", ("Bến Tre", "Mỏ Cày Nam", "Phước Hiệp"), "Kẹo dừa"),
    "Cơ sở đan lục bình Phú Túc": ("HKD", ("Bến Tre", "Châu Thành", "Phú Túc"), "Hàng thủ công lục bình"),
}
# code, title, beneficiary, support (triệu), counterpart (triệu), accepted by 30/9/2016?
BT_NATIONAL = [
    ("BT16-QG-01", "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến thạch dừa", MINH_TAM, 420, 1100, True),
    (
        "BT16-QG-02",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất chỉ xơ dừa",
        "HTX Chỉ xơ dừa Định Thủy",
        380,
        950,
        True,
    ),
    (
        "BT16-QG-03",
        "Hỗ trợ ứng dụng dây chuyền sản xuất thạch dừa thô",
        "Công ty TNHH Thạch dừa Giao Long",
        360,
        900,
        True,
    ),
    (
        "BT16-QG-04",
        "Hỗ trợ ứng dụng máy móc thiết bị trong chế tạo máy chế biến dừa",
        "Cơ sở cơ khí Phú Khương",
        340,
        800,
        False,
    ),
    (
        "BT16-QG-05",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất bánh phồng",
        "Cơ sở bánh phồng Mỹ Thạnh",
        320,
        700,
        False,
    ),
]
BT_CARRIED = [
    (
        "BT15-DP-2-01",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất kẹo dừa",
        "3",
        "Cơ sở kẹo dừa Phước Hiệp",
        130,
        300,
    ),
    (
        "BT15-DP-2-02",
        "Đào tạo nghề đan lục bình cho lao động nông thôn",
        "1",
        "Cơ sở đan lục bình Phú Túc",
        114,
        0,
    ),
    (
        "BT15-DP-2-03",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sơ chế bánh tráng",
        "3",
        "Cơ sở bánh phồng Mỹ Thạnh",
        100,
        250,
    ),
]
BT_2017 = [
    (
        "BT17-DP-01",
        "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến cơm dừa nạo sấy",
        "3",
        "Công ty TNHH Thạch dừa Giao Long",
        400,
    ),
    (
        "BT17-DP-02",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất thảm xơ dừa",
        "3",
        "HTX Chỉ xơ dừa Định Thủy",
        350,
    ),
    ("BT17-DP-03", "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất nước màn dừa", "3", MINH_TAM, 320),
    (
        "BT17-DP-04",
        "Hỗ trợ ứng dụng máy móc thiết bị trong gia công cơ khí",
        "3",
        "Cơ sở cơ khí Phú Khương",
        300,
    ),
    (
        "BT17-DP-05",
        "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2017",
        "4",
        None,
        280,
    ),
    ("BT17-DP-06", "Hỗ trợ cơ sở CNNT tham gia hội chợ triển lãm trong nước", "4", None, 250),
    ("BT17-DP-07", "Đào tạo nghề làm kẹo dừa", "1", "Cơ sở kẹo dừa Phước Hiệp", 220),
    ("BT17-DP-08", "Thông tin, tuyên truyền hoạt động khuyến công trên báo, đài tỉnh", "6", None, 180),
]


def load_ben_tre_2016() -> None:
    unit = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    if AnnualPlan.objects.filter(unit=unit, year=2016).exists():
        return
    officer = User.objects.get(username="vinhlong")
    approver = User.objects.get(username="vinhlong.lanhdao")
    st = Story(officer, approver)
    nd45 = LegalDocument.objects.get(number="45/2012/NĐ-CP")
    ests = {
        name: _establishment(name, t, where, products)
        for name, (t, where, products) in BT_ESTABLISHMENTS.items()
    }
    ests[MINH_TAM] = _establishment(
        MINH_TAM, "HKD", ("Bến Tre", "Bến Tre", "Phường 6"), "Thạch dừa, nước màn dừa"
    )

    # National 2016: 5 đề án, 1,82 tỷ (3 accepted by the 9-month report) + 1 supplementary registration, 300
    # triệu.
    nat = services.plan_create(
        actor=officer,
        unit=unit,
        year=2016,
        level="national",
        registered_total=2_120 * TR,
        title="Kế hoạch khuyến công quốc gia năm 2016 — tỉnh Bến Tre",
        effective_date=D(2015, 7, 25),
    )
    b1 = services.batch_create(
        actor=officer,
        plan=nat,
        number=1,
        decision_no="(minh họa) QĐ giao KH KCQG 2016",
        decision_date=D(2016, 3, 15),
        issuer="Cục Công nghiệp địa phương",
        amounts={"national": 1_820 * TR},
    )
    # A supplementary registration without a decision yet: registered, not assigned.
    b2 = services.batch_create(
        actor=officer,
        plan=nat,
        number=2,
        is_supplementary=True,
        amounts={"national": 300 * TR},
        note="Đăng ký bổ sung 1 đề án KC quốc gia năm 2016, gửi ngày 20/08/2016 (seed 000).",
    )
    for i, (code, title, est_name, support, counterpart, accepted) in enumerate(BT_NATIONAL):
        est = ests[est_name]
        p = services.project_create(
            actor=officer,
            plan=nat,
            batch=b1,
            code=code,
            title=title,
            content=_content("3"),
            establishments=[est],
            commune=est.commune,
            implementing_unit=BT_CENTRE,
            legal_basis=nd45,
            start_date=D(2016, 4, 1),
            end_date=D(2016, 11, 30),
            funding={"national": {"requested": support * TR}, "counterpart": {"requested": counterpart * TR}},
            description=ILLUSTRATIVE,
            effective_date=D(2015, 7, 20),
        )
        p = st.approve_path(
            p,
            registered=D(2015, 7, 25),
            appraised=D(2015, 11, 10),
            approved=D(2016, 3, 15),
            decision_no="(minh họa) QĐ giao KH KCQG 2016",
        )
        p = st.step(
            p,
            D(2016, 4, 5),
            S.CONTRACTED,
            contract_no=f"(minh họa) {i + 1:02d}/2016/HĐ-KC",
            contract_date=D(2016, 4, 5),
        )
        st.pay(p, D(2016, 4, 20), support * TR // 2, "national")
        p = st.progress(p, D(2016, 6, 15), 40)
        if accepted:
            p = st.step(p, D(2016, 8, 10 + i * 5), S.COMPLETED)
            st.output(p, D(2016, 8, 10 + i * 5), "may-moc", 2 + i % 2)
            st.output(p, D(2016, 8, 10 + i * 5), "co-so-ho-tro", 1)
            p = st.step(
                p,
                D(2016, 8, 25 + i * 2),
                S.ACCEPTED,
                acceptance_date=D(2016, 8, 25 + i * 2),
                acceptance_minutes_no=f"(minh họa) {i + 1:02d}/BB-NT",
                acceptance_result="Đạt",
            )
            st.pay(p, D(2016, 9, 5 + i), support * TR - support * TR // 2, "national", kind="payment")
        else:
            st.progress(p, D(2016, 9, 15), 60 + 10 * (i - 3))
    est = ests["Cơ sở kẹo dừa Phước Hiệp"]
    p = services.project_create(
        actor=officer,
        plan=nat,
        batch=b2,
        code="BT16-QG-BS1",
        title="Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất kẹo dừa (đăng ký bổ sung)",
        content=_content("3"),
        establishments=[est],
        commune=est.commune,
        implementing_unit=BT_CENTRE,
        legal_basis=nd45,
        funding={"national": {"requested": 300 * TR}, "counterpart": {"requested": 650 * TR}},
        effective_date=D(2016, 8, 15),
    )
    st.step(p, D(2016, 8, 20), S.REGISTERED, note="Đăng ký bổ sung gửi Cục Công nghiệp địa phương.")

    # Local: batch 2 of 2015 carried over into 2016 (3 đề án, 344 triệu).
    loc15 = services.plan_create(
        actor=officer,
        unit=unit,
        year=2015,
        level="local",
        title="Kế hoạch khuyến công địa phương năm 2015 — tỉnh Bến Tre",
        effective_date=D(2015, 1, 10),
    )
    b15 = services.batch_create(
        actor=officer,
        plan=loc15,
        number=2,
        decision_no="(minh họa) QĐ-UBND đợt 2/2015",
        decision_date=D(2015, 10, 20),
        issuer="UBND tỉnh Bến Tre",
        amounts={"local": 344 * TR},
        note="Đợt 2 năm 2015, chuyển sang thực hiện năm 2016 (seed 000).",
    )
    loc16 = services.plan_create(
        actor=officer,
        unit=unit,
        year=2016,
        level="local",
        title="Kế hoạch khuyến công địa phương năm 2016 — tỉnh Bến Tre",
        effective_date=D(2016, 1, 5),
    )
    # Assigned without a batch of its own: its đề án are those carried over from batch 2 of 2015.
    services.plan_transition(
        plan=loc16,
        actor=officer,
        to_status=AnnualPlan.PlanStatus.ASSIGNED,
        expected_version=loc16.version,
        decision_no="(minh họa) QĐ-UBND giao KH KCĐP 2016",
        decision_date=D(2016, 1, 5),
        issuer="UBND tỉnh Bến Tre",
    )
    for code, title, content_code, est_name, support, counterpart in BT_CARRIED:
        est = ests[est_name]
        funding = {"local": {"requested": support * TR}}
        if counterpart:
            funding["counterpart"] = {"requested": counterpart * TR}
        p = services.project_create(
            actor=officer,
            plan=loc16,
            carried_over_from=b15,
            code=code,
            title=title,
            content=_content(content_code),
            establishments=[est],
            commune=est.commune,
            implementing_unit=BT_CENTRE,
            legal_basis=nd45,
            start_date=D(2016, 2, 1),
            end_date=D(2016, 12, 15),
            funding=funding,
            description=ILLUSTRATIVE,
            effective_date=D(2015, 9, 1),
        )
        p = st.approve_path(
            p,
            registered=D(2015, 9, 5),
            appraised=D(2015, 10, 10),
            approved=D(2015, 10, 20),
            decision_no="(minh họa) QĐ-UBND đợt 2/2015",
        )
        st.pay(p, D(2016, 3, 10), support * TR * 3 // 10, "local")
        st.progress(p, D(2016, 3, 1), 30)
    # Registration of the 2017 local plan: 8 đề án, 2,3 tỷ, in status registered.
    loc17 = services.plan_create(
        actor=officer,
        unit=unit,
        year=2017,
        level="local",
        registered_total=2_300 * TR,
        title="Đăng ký kế hoạch khuyến công địa phương năm 2017 — tỉnh Bến Tre",
        note="Đăng ký 8 đề án, tổng kinh phí đăng ký hỗ trợ 2,3 tỷ đồng (seed 000).",
        effective_date=D(2016, 9, 15),
    )
    for code, title, content_code, est_name, support in BT_2017:
        ests_ = [ests[est_name]] if est_name else []
        p = services.project_create(
            actor=officer,
            plan=loc17,
            code=code,
            title=title,
            content=_content(content_code),
            establishments=ests_,
            commune=ests_[0].commune if ests_ else None,
            implementing_unit=BT_CENTRE,
            legal_basis=nd45,
            funding={"local": {"requested": support * TR}},
            description=ILLUSTRATIVE,
            effective_date=D(2016, 9, 10),
        )
        st.step(p, D(2016, 9, 15), S.REGISTERED)
    # Training output of the carried-over đề án.
    training = AnnualPlan.objects.get(pk=loc16.pk).projects.get(code="BT15-DP-2-02")
    st.output(training, D(2016, 6, 30), "hoc-vien", 35, "Lao động được đào tạo nghề đan lục bình (minh họa)")
