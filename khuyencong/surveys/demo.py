"""Demo demand surveys, reproducing seeds 000 and 004:

- Bến Tre's 2016 survey for the 2017 local plan: 30 establishments invited, 18 answers (6 entered by the
  officer from paper forms), and the 8 registered đề án of seed 000 ("8 đề án KC địa phương năm 2017, 2,3
  tỷ") linked to the answers they came from (the đề án exist already: projects demo; they are linked, not
  made again);
- Bắc Kạn's 2018 survey for the 2019 plan (seed 004): the establishments' registrations for national support,
  received by the Sở and all rejected — "chưa có Đề án nào đáp ứng được yêu cầu, mục tiêu của đề án khuyến
  công Quốc gia";
- an open survey of Vĩnh Long for next year, so that the `coso` user has a questionnaire to answer.

Idempotent: a campaign is skipped when one with its title exists.
"""

import datetime as dt

from django.utils import timezone

from khuyencong.accounts.models import User
from khuyencong.beneficiaries.models import Establishment
from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.core.audit import save_audited
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import Project

from . import services
from .models import Campaign, CampaignStatus

D = dt.date
TR = 1_000_000
BT_TITLE = "Khảo sát nhu cầu hỗ trợ khuyến công năm 2017 — tỉnh Bến Tre"
BK_TITLE = "Khảo sát, thu thập số liệu đăng ký kế hoạch khuyến công năm 2019 — tỉnh Bắc Kạn"
BK_REASON = (
    "Qua xem xét, chưa có Đề án nào đáp ứng được yêu cầu, mục tiêu của đề án khuyến công Quốc gia, do đó "
    "Sở Công Thương chưa có «Nguồn» để xây dựng kế hoạch kinh phí khuyến công Quốc gia năm 2019 (seed 004)."
)
# Invented establishments (plausible for Bến Tre's coconut economy) so that the survey reaches 30.
BT_EXTRA = [
    ("Cơ sở bánh tráng Mỹ Lồng", "Mỏ Cày Bắc", "Thanh Tân", "Bánh tráng"),
    ("Cơ sở kẹo dừa Tân Thạch", "Châu Thành", "Tân Thạch", "Kẹo dừa"),
    ("Cơ sở dầu dừa Sơn Định", "Chợ Lách", "Sơn Định", "Dầu dừa"),
    ("Cơ sở than gáo dừa An Đức", "Ba Tri", "An Đức", "Than gáo dừa"),
    ("Cơ sở mỹ nghệ gáo dừa Thới Lai", "Bình Đại", "Thới Lai", "Hàng mỹ nghệ từ gáo dừa"),
    ("Cơ sở bánh phồng sữa Phước Long", "Giồng Trôm", "Phước Long", "Bánh phồng sữa"),
    ("Cơ sở chậu kiểng Vĩnh Thành", "Chợ Lách", "Vĩnh Thành", "Chậu kiểng"),
    ("Cơ sở mắm Thạnh Phong", "Thạnh Phú", "Thạnh Phong", "Mắm, nước mắm"),
    ("Cơ sở cơm dừa sấy Định Thủy", "Mỏ Cày Nam", "Định Thủy", "Cơm dừa sấy"),
    ("Cơ sở thảm xơ dừa Phước Hiệp", "Mỏ Cày Nam", "Phước Hiệp", "Thảm xơ dừa"),
    ("Cơ sở nước cốt dừa Giao Long", "Châu Thành", "Giao Long", "Nước cốt dừa"),
    ("Cơ sở đan giỏ lục bình Phú Túc", "Châu Thành", "Phú Túc", "Giỏ lục bình"),
    ("Cơ sở bánh tét Mỹ Thạnh", "Giồng Trôm", "Mỹ Thạnh", "Bánh tét"),
    ("Cơ sở cơ khí nông cụ Phú Khương", "Bến Tre", "Phú Khương", "Nông cụ"),
    ("Cơ sở dây thừng xơ dừa Thanh Tân", "Mỏ Cày Bắc", "Thanh Tân", "Dây thừng xơ dừa"),
    ("Cơ sở kẹo chuối An Đức", "Ba Tri", "An Đức", "Kẹo chuối"),
    ("Cơ sở rượu dừa Sơn Định", "Chợ Lách", "Sơn Định", "Rượu dừa"),
    ("Cơ sở bột sương sáo Thới Lai", "Bình Đại", "Thới Lai", "Sương sáo"),
    ("Cơ sở hàng mây tre Vĩnh Thành", "Chợ Lách", "Vĩnh Thành", "Hàng mây tre"),
    ("Cơ sở muối sấy Thạnh Phong", "Thạnh Phú", "Thạnh Phong", "Muối"),
]
# Which answer each of the 8 registrations of seed 000 came from (the projects demo's BT17 codes).
BT17_FROM = {
    "BT17-DP-01": "Công ty TNHH Thạch dừa Giao Long",
    "BT17-DP-02": "HTX Chỉ xơ dừa Định Thủy",
    "BT17-DP-03": "Cơ sở thạch dừa - nước màn dừa Minh Tâm",
    "BT17-DP-04": "Cơ sở cơ khí Phú Khương",
    "BT17-DP-05": "Cơ sở mỹ nghệ gáo dừa Thới Lai",
    "BT17-DP-06": "Cơ sở kẹo dừa Tân Thạch",
    "BT17-DP-07": "Cơ sở kẹo dừa Phước Hiệp",
    "BT17-DP-08": "Cơ sở dầu dừa Sơn Định",
}


def load() -> None:
    if not User.objects.filter(username__in=["vinhlong", "thainguyen"]).exists():
        return
    load_ben_tre_2017()
    load_bac_kan_2019()
    load_vinh_long_next()


def _old_commune(district: str, commune: str, province: str = "Bến Tre") -> AdminUnit:
    from khuyencong.beneficiaries.demo import old_commune

    return old_commune(province, district, commune)


def _bt_establishments() -> list[Establishment]:
    bt = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    sector = Sector.objects.filter(code="che-bien-nong-lam-thuy-san").first()
    hkd = EstablishmentType.objects.get(code="HKD")
    for name, district, commune, products in BT_EXTRA:
        if not Establishment.objects.filter(name=name).exists():
            save_audited(
                Establishment(
                    name=name,
                    establishment_type=hkd,
                    commune=_old_commune(district, commune),
                    sector=sector,
                    main_products=products,
                ),
                actor=None,
                reason="Dữ liệu mẫu (khảo sát nhu cầu)",
            )
    found = list(Establishment.objects.filter(commune__parent__parent=bt).order_by("name", "pk"))
    wanted = set(BT17_FROM.values())
    first = [e for e in found if e.name in wanted]
    rest = [e for e in found if e.name not in wanted]
    return (first + rest)[:30]


def _answers(project: Project | None, est: Establishment, i: int) -> dict:
    if project is not None:
        funding = {f.source.code: f.requested for f in project.fundings.select_related("source")}
        return {
            "noi_dung": project.content.code,
            "nhu_cau": project.title,
            "kinh_phi": funding.get("local") or 100 * TR,
            "doi_ung": funding.get("counterpart") or (200 * TR if project.content.code == "3" else None),
            "san_pham": est.main_products,
            "lao_dong": est.employees or 8 + i,
            "dao_tao": 5 if project.content.code == "1" else 0,
            "hoi_cho": "co" if project.content.code == "4" else "khong",
        }
    return {
        "noi_dung": ["3", "1", "4", "3", "6"][i % 5],
        "nhu_cau": [
            "Máy móc thiết bị chế biến",
            "Đào tạo nghề cho lao động",
            "Tham gia hội chợ",
            "Máy đóng gói",
            "Quảng bá sản phẩm",
        ][i % 5],
        "kinh_phi": (80 + 20 * (i % 4)) * TR,
        "doi_ung": (150 + 10 * i) * TR if i % 5 in (0, 3) else None,
        "san_pham": est.main_products,
        "lao_dong": est.employees or 6 + i,
        "dao_tao": 10 if i % 5 == 1 else 0,
        "hoi_cho": "co" if i % 2 else "khong",
    }


def load_ben_tre_2017() -> None:
    if Campaign.objects.filter(title=BT_TITLE).exists():
        return
    officer = User.objects.get(username="vinhlong")
    bt = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    campaign = services.campaign_create(
        actor=officer,
        unit=bt,
        title=BT_TITLE,
        plan_year=2017,
        level="local",
        opens_on=D(2016, 6, 1),
        closes_on=D(2016, 8, 31),
        note="Phối hợp với phòng kinh tế và hạ tầng các huyện, thành phố khảo sát doanh nghiệp (seed 000).",
    )
    campaign = services.campaign_transition(
        actor=officer,
        campaign=campaign,
        to_status=CampaignStatus.OPEN,
        expected_version=campaign.version,
        effective_date=D(2016, 6, 1),
    )
    ests = _bt_establishments()
    services.invitations_create(
        actor=officer, campaign=campaign, establishments=ests, invited_on=D(2016, 6, 1)
    )
    projects = {p.code: p for p in Project.objects.filter(plan__unit=bt, plan__year=2017, code__in=BT17_FROM)}
    by_name = {e.name: e for e in ests}
    answering = [by_name[n] for n in BT17_FROM.values() if n in by_name]
    answering += [e for e in ests if e not in answering][: 18 - len(answering)]
    invitations = {i.establishment_id: i for i in campaign.invitations.all()}
    project_of = {name: projects.get(code) for code, name in BT17_FROM.items()}
    for i, est in enumerate(answering):
        paper = i % 3 == 2  # 6 of the 18 came on paper, entered by the officer
        response = services.response_save(
            actor=officer if paper else None,
            invitation=invitations[est.pk],
            answers=_answers(project_of.get(est.name), est, i),
            answered_on=D(2016, 6, 10) + dt.timedelta(days=3 * i),
            on_paper=paper,
        )
        project = project_of.get(est.name)
        if project is not None:
            services.response_link(actor=officer, response=response, project=project)
    services.campaign_transition(
        actor=officer,
        campaign=campaign,
        to_status=CampaignStatus.CLOSED,
        expected_version=campaign.version,
        effective_date=D(2016, 9, 5),
    )


def load_bac_kan_2019() -> None:
    if Campaign.objects.filter(title=BK_TITLE).exists():
        return
    from khuyencong.catalog.models import ActivityContent, SupportCap
    from khuyencong.portal import services as portal_services
    from khuyencong.portal.models import ApplicationStatus

    officer = User.objects.get(username="thainguyen")
    bk = AdminUnit.objects.get(era="old", level=1, short_name="Bắc Kạn")
    campaign = services.campaign_create(
        actor=officer,
        unit=bk,
        title=BK_TITLE,
        plan_year=2019,
        level="national",
        opens_on=D(2018, 1, 15),
        closes_on=D(2018, 5, 31),
        note="Ngay từ đầu năm 2018, Sở Công Thương đã triển khai khảo sát, thu thập số liệu… (seed 004).",
    )
    campaign = services.campaign_transition(
        actor=officer,
        campaign=campaign,
        to_status=CampaignStatus.OPEN,
        expected_version=campaign.version,
        effective_date=D(2018, 1, 15),
    )
    ests = list(Establishment.objects.filter(commune__parent__parent=bk).order_by("name", "pk")[:12])
    services.invitations_create(
        actor=officer, campaign=campaign, establishments=ests, invited_on=D(2018, 1, 15)
    )
    invitations = {i.establishment_id: i for i in campaign.invitations.all()}
    content = ActivityContent.objects.filter(code="3").order_by("valid_from").first()
    cap = SupportCap.objects.get(code="tt28-may-moc-thiet-bi")
    for i, est in enumerate(ests[:7]):
        response = services.response_save(
            actor=officer,
            invitation=invitations[est.pk],
            answers={
                "noi_dung": "3",
                "nhu_cau": f"Hỗ trợ ứng dụng máy móc thiết bị — {est.main_products or est.name}",
                "kinh_phi": (150 + 25 * i) * TR,
                "doi_ung": (200 + 30 * i) * TR,
                "san_pham": est.main_products,
                "lao_dong": est.employees or 10,
                "dao_tao": 0,
                "hoi_cho": "khong",
            },
            answered_on=D(2018, 2, 1) + dt.timedelta(days=7 * i),
        )
        if i >= 4:
            continue
        # Four establishments registered a national đề án (paper dossiers entered by the officer).
        app = portal_services.application_create(
            actor=officer,
            establishment=est,
            data={
                "year": 2019,
                "level": "national",
                "content": content,
                "support_cap": cap,
                "title": f"Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất {est.main_products or ''}".strip()[
                    :500
                ],
                "items": "Máy móc, thiết bị sản xuất (theo báo giá kèm hồ sơ giấy)",
                "requested": (150 + 25 * i) * TR,
                "counterpart": (200 + 30 * i) * TR,
            },
            effective_date=D(2018, 3, 1),
        )
        app = _submit_paper(portal_services, officer, app)
        portal_services.application_transition(
            actor=officer,
            application=app,
            to_status=ApplicationStatus.REJECTED,
            expected_version=app.version,
            note=BK_REASON,
            effective_date=D(2018, 6, 30),
        )
        services.response_link(actor=officer, response=response, application=app)
    services.campaign_transition(
        actor=officer,
        campaign=campaign,
        to_status=CampaignStatus.CLOSED,
        expected_version=campaign.version,
        effective_date=D(2018, 6, 1),
    )


def _submit_paper(portal_services, officer, app):
    """A paper dossier needs no uploaded quotation: the officer holds it."""
    from khuyencong.portal.models import ApplicationStatus

    return portal_services.application_transition(
        actor=officer,
        application=app,
        to_status=ApplicationStatus.SUBMITTED,
        expected_version=app.version,
        effective_date=D(2018, 3, 5),
    )


def load_vinh_long_next() -> None:
    year = timezone.localdate().year + 1
    title = f"Khảo sát nhu cầu hỗ trợ khuyến công năm {year} — tỉnh Vĩnh Long"
    if Campaign.objects.filter(title=title).exists():
        return
    officer = User.objects.get(username="vinhlong")
    vl = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=officer,
        unit=vl,
        title=title,
        plan_year=year,
        level="local",
        opens_on=today,
        closes_on=today + dt.timedelta(days=60),
    )
    campaign = services.campaign_transition(
        actor=officer, campaign=campaign, to_status=CampaignStatus.OPEN, expected_version=campaign.version
    )
    bt = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    ests = Establishment.objects.filter(commune__parent__parent=bt).order_by("name")[:10]
    services.invitations_create(actor=officer, campaign=campaign, establishments=list(ests))
    minh_tam = Establishment.objects.filter(name__icontains="Minh Tâm").first()
    if minh_tam is not None:
        services.invitations_create(actor=officer, campaign=campaign, establishments=[minh_tam])
