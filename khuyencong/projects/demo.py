"""Demo plans and đề án reproducing seeds 004 (Bắc Kạn 2018, 6-month report) and 000 (Bến Tre 2016, 9-month
report) at their dates. The plans and batches are created here through the services; the đề án come from the
committed Excel files in demo_data/ (written by `manage.py demo_xlsx` from demo_source.py), imported by the
province's officer through the same import as an upload, so every step carries the business date of its
document and "Nhập từ Excel: <file>" in its history.

Idempotent: a province's story is skipped when its plan already exists.
"""

import datetime as dt
from pathlib import Path

from khuyencong.accounts.models import User
from khuyencong.beneficiaries.models import Establishment
from khuyencong.catalog.models import EstablishmentType
from khuyencong.core.audit import save_audited
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.selectors import unit_lookup

from . import demo_source, plan_import, services
from .models import AnnualPlan

D = dt.date
TR = 1_000_000  # triệu đồng
DATA = Path(__file__).resolve().parent / "demo_data"


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


def import_files(*, officer: User, province: str, plans: dict) -> None:
    """Import the province's committed files in order, as its officer would upload them (preview skipped)."""
    for name, prov, year, level, kind, _rows in demo_source.FILES:
        if prov != province:
            continue
        run = plan_import.plan_projects_import if kind == "projects" else plan_import.plan_flows_import
        run(actor=officer, plan=plans[(year, level)], content=(DATA / name).read_bytes(), filename=name)


def load() -> None:
    if not User.objects.filter(username__in=["thainguyen", "vinhlong", "vinhlong.lanhdao", "cuc"]).exists():
        return
    load_bac_kan_2018()
    load_ben_tre_2016()


# ------------------------------------------------------------------------------------------ seed 004: Bắc Kạn


def load_bac_kan_2018() -> None:
    unit = AdminUnit.objects.get(era="old", level=1, short_name="Bắc Kạn")
    if AnnualPlan.objects.filter(unit=unit, year=2018).exists():
        return
    officer = User.objects.get(username="thainguyen")
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
    services.batch_create(
        actor=officer,
        plan=nat,
        number=1,
        decision_no="(minh họa) QĐ giao nhiệm vụ 5/2018",
        decision_date=D(2018, 5, 21),
        issuer="Cục Công Thương địa phương",
        amounts={"national": 600 * TR},
        note="Giao nhiệm vụ từ tháng 5/2018 (seed 004).",
    )
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
    services.batch_create(
        actor=officer,
        plan=loc,
        number=1,
        decision_no="(minh họa) QĐ-UBND giao KH 2018",
        decision_date=D(2018, 1, 25),
        issuer="UBND tỉnh Bắc Kạn",
        amounts={"local": 529 * TR},
    )
    for name in {r[2] for r in demo_source.BK_NATIONAL} | {r[3] for r in demo_source.BK_LOCAL if r[3]}:
        _establishment(name)  # from the establishments' demo (seed 004 names them)
    import_files(officer=officer, province="Bắc Kạn", plans={(2018, "national"): nat, (2018, "local"): loc})


# ------------------------------------------------------------------------------------------ seed 000: Bến Tre


def load_ben_tre_2016() -> None:
    unit = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    if AnnualPlan.objects.filter(unit=unit, year=2016).exists():
        return
    officer = User.objects.get(username="vinhlong")
    for name, (t, where, products) in demo_source.BT_ESTABLISHMENTS.items():
        _establishment(name, t, where, products)

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
    services.batch_create(
        actor=officer,
        plan=nat,
        number=1,
        decision_no="(minh họa) QĐ giao KH KCQG 2016",
        decision_date=D(2016, 3, 15),
        issuer="Cục Công nghiệp địa phương",
        amounts={"national": 1_820 * TR},
    )
    # A supplementary registration without a decision yet: registered, not assigned.
    services.batch_create(
        actor=officer,
        plan=nat,
        number=2,
        is_supplementary=True,
        amounts={"national": 300 * TR},
        note="Đăng ký bổ sung 1 đề án KC quốc gia năm 2016, gửi ngày 20/08/2016 (seed 000).",
    )
    # Local: batch 2 of 2015 carried over into 2016 (3 đề án, 344 triệu).
    loc15 = services.plan_create(
        actor=officer,
        unit=unit,
        year=2015,
        level="local",
        title="Kế hoạch khuyến công địa phương năm 2015 — tỉnh Bến Tre",
        effective_date=D(2015, 1, 10),
    )
    services.batch_create(
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
    import_files(
        officer=officer,
        province="Bến Tre",
        plans={(2016, "national"): nat, (2016, "local"): loc16, (2017, "local"): loc17},
    )
