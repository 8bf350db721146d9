"""The voting rules end to end through the services: score limits, means, pass mark, quota, the level-below
certificate, liên thông, the dates rule, caps, the workflow's version check."""

import datetime as dt
from decimal import Decimal

import pytest

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import establishment
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed

from .. import selectors, services
from ..models import AwardLevel, Certificate, RoundStatus
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring_round(vinhlong_officer):
    r = f.provincial_round(vinhlong_officer, quota=15)
    f.move(r, vinhlong_officer, RoundStatus.OPEN)
    return r


def test_a_new_round_has_the_default_score_sheet_and_pass_mark(vinhlong_officer):
    r = f.provincial_round(vinhlong_officer)
    assert [(c.name, c.max_points) for c in r.criteria.order_by("order")] == [
        ("Thị trường và khả năng phát triển sản xuất", 40),
        ("Kinh tế – kỹ thuật – xã hội – môi trường", 40),
        ("Văn hóa, thẩm mỹ", 10),
        ("Tiêu chí khác", 10),
    ]
    assert r.pass_mark == 70
    assert r.status == RoundStatus.PLANNED
    assert r.history.count() == 1 and r.history.first().history_user == vinhlong_officer
    assert r.province == testing.current_province("Vĩnh Long")


def test_a_score_of_41_on_a_40_point_criterion_is_refused(vinhlong_officer, vinhlong_approver, scoring_round):
    entry = f.submitted_entry(vinhlong_officer, scoring_round, f.product(vinhlong_officer))
    juror = f.juror(vinhlong_officer, scoring_round, "giam.khao.1")
    f.move(scoring_round, vinhlong_officer, RoundStatus.SCORING)
    entry.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        f.score(juror, entry, [41, 30, 5, 5])
    assert exc.value.code == "score_out_of_range"
    assert "phải từ 0 đến 40; đã nhập 41." in exc.value.message
    assert entry.sheets.count() == 0
    sheet = f.score(juror, entry, [40, 30, 5, 5])
    assert sheet.total == Decimal(80)


def test_a_mean_of_69_9_is_not_eligible(vinhlong_officer, vinhlong_approver, scoring_round):
    entry = f.submitted_entry(vinhlong_officer, scoring_round, f.product(vinhlong_officer, name="Kẹo dừa"))
    a = f.juror(vinhlong_officer, scoring_round, "gk.a")
    b = f.juror(vinhlong_officer, scoring_round, "gk.b")
    f.move(scoring_round, vinhlong_officer, RoundStatus.SCORING)
    entry.refresh_from_db()
    f.score(a, entry, [30, 30, "5", "4,8"])  # 69,8
    f.score(b, entry, [30, 30, 5, 5])  # 70
    row = services.results(scoring_round)[0]
    assert row["score"] == Decimal("69.9")
    assert row["eligible"] is False
    f.move(
        scoring_round,
        vinhlong_approver,
        RoundStatus.DECIDED,
        decision_no="123/QĐ-UBND",
        decision_date=dt.date(2016, 6, 5),
    )
    entry.refresh_from_db()
    assert (entry.score, entry.eligible, entry.recognised) == (Decimal("69.9"), False, False)
    assert entry.result_note == "Dưới điểm đạt (70)"
    assert not Certificate.objects.filter(entry=entry).exists()


def _seventeen_eligible(officer, award_round):
    a = f.juror(officer, award_round, "gk.q1")
    b = f.juror(officer, award_round, "gk.q2")
    entries = [
        f.submitted_entry(officer, award_round, f.product(officer, name=f"Thạch dừa loại {i:02d}"))
        for i in range(17)
    ]
    f.move(award_round, officer, RoundStatus.SCORING)
    for i, entry in enumerate(entries):
        entry.refresh_from_db()
        f.score(a, entry, f.split_of(90 - i))
        f.score(b, entry, f.split_of(90 - i))
    return entries


def test_quota_15_with_17_eligible_recognises_only_15(vinhlong_officer, vinhlong_approver, scoring_round):
    entries = _seventeen_eligible(vinhlong_officer, scoring_round)
    assert sum(r["eligible"] for r in services.results(scoring_round)) == 17
    with pytest.raises(DomainError) as exc:
        f.move(
            scoring_round,
            vinhlong_approver,
            RoundStatus.DECIDED,
            decision_no="15/QĐ",
            decision_date=dt.date(2016, 6, 5),
            recognised=[e.pk for e in entries],
        )
    assert "tối đa 15 sản phẩm; đã chọn 17" in exc.value.message
    scoring_round.refresh_from_db()
    assert scoring_round.status == RoundStatus.SCORING
    decided = f.move(
        scoring_round,
        vinhlong_approver,
        RoundStatus.DECIDED,
        decision_no="15/QĐ",
        decision_date=dt.date(2016, 6, 5),
    )
    assert decided.status == RoundStatus.DECIDED
    recognised = list(decided.entries.filter(recognised=True).order_by("rank"))
    assert len(recognised) == 15
    assert [e.product.name for e in recognised][:2] == ["Thạch dừa loại 00", "Thạch dừa loại 01"]
    assert decided.entries.filter(eligible=True, recognised=False).count() == 2
    assert Certificate.objects.filter(round=decided).count() == 15
    cert = Certificate.objects.get(entry=recognised[0])
    assert cert.number == "15/QĐ/01"
    assert cert.valid_until == dt.date(2019, 6, 4)  # 3 years (round data), the day before
    assert "15 sản phẩm" in decided.decision_note and "17 sản phẩm đạt" in decided.decision_note


def test_the_round_workflow_needs_the_version_and_the_decision(vinhlong_officer, vinhlong_approver):
    r = f.provincial_round(vinhlong_officer)
    with pytest.raises(ConcurrentEditError):
        services.round_transition(
            actor=vinhlong_officer, award_round=r, to_status="open", expected_version=None
        )
    with pytest.raises(ConcurrentEditError):
        services.round_transition(actor=vinhlong_officer, award_round=r, to_status="open", expected_version=9)
    f.move(r, vinhlong_officer, RoundStatus.OPEN)
    f.move(r, vinhlong_officer, RoundStatus.SCORING)
    with pytest.raises(NotAllowed):
        f.move(r, vinhlong_officer, RoundStatus.DECIDED, decision_no="1/QĐ", decision_date="05/06/2016")
    with pytest.raises(DomainError) as exc:
        f.move(r, vinhlong_approver, RoundStatus.DECIDED)
    assert "số quyết định công nhận" in exc.value.message
    with pytest.raises(DomainError) as exc:
        f.move(r, vinhlong_approver, RoundStatus.DECIDED, decision_no="1/QĐ", decision_date="01/04/2016")
    assert exc.value.code == "date_order"
    done = f.move(r, vinhlong_approver, RoundStatus.DECIDED, decision_no="1/QĐ", decision_date="05/06/2016")
    assert (done.decision_no, done.decision_date) == ("1/QĐ", dt.date(2016, 6, 5))
    assert [s.to_status for s in done.steps.all()] == ["open", "scoring", "decided"]


def test_district_before_and_commune_after_1_7_2025(vinhlong_officer):
    district = testing.old_province("Bến Tre").children.first()
    with pytest.raises(DomainError) as exc:
        services.round_create(
            actor=vinhlong_officer,
            title="Xã 2016",
            level=AwardLevel.COMMUNE,
            year=2016,
            unit=district,
            registration_start=dt.date(2016, 3, 1),
            registration_end=dt.date(2016, 4, 1),
            scoring_start=dt.date(2016, 4, 2),
            scoring_end=dt.date(2016, 4, 30),
            quota=5,
        )
    assert "cấp xã chỉ có từ ngày 01/07/2025" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.round_create(
            actor=vinhlong_officer,
            title="Huyện 2026",
            level=AwardLevel.DISTRICT,
            year=2026,
            unit=district,
            registration_start=dt.date(2026, 3, 1),
            registration_end=dt.date(2026, 4, 1),
            scoring_start=dt.date(2026, 4, 2),
            scoring_end=dt.date(2026, 4, 30),
            quota=5,
        )
    assert "không còn cấp huyện" in exc.value.message


def test_only_the_cuc_organises_a_regional_round(vinhlong_officer):
    with pytest.raises(NotAllowed):
        f.regional_round(vinhlong_officer)


def test_a_regional_round_funding_above_the_catalogue_cap_is_refused(cuc_admin):
    from khuyencong.catalog.models import SupportCap
    from khuyencong.projects import services as project_services
    from khuyencong.projects.tests import factories as pf

    project = project_services.project_create(
        actor=cuc_admin,
        plan=pf.plan(cuc_admin, "Bến Tre", 2018, "national"),
        code="BC-2018",
        title="Tổ chức bình chọn sản phẩm CNNT tiêu biểu",
        content=pf.content("4"),
        establishments=[],
        support_cap=SupportCap.objects.get(code="tt28-binh-chon-quoc-gia"),
        funding={"national": {"requested": 250_000_000}},
        start_date=dt.date(2018, 6, 1),
        end_date=dt.date(2018, 12, 31),
        effective_date=dt.date(2018, 4, 1),
    )
    with pytest.raises(DomainError) as exc:
        f.regional_round(cuc_admin, year=2018, funding_project=project)
    assert "(250 triệu đồng) vượt mức tối đa 200 triệu đồng" in exc.value.message
    assert exc.value.details["cap"] == "tt28-binh-chon-khu-vuc"
    # Thông tư 28/2018 (in force 15/5/2018) sets no cap for a 2016 round: the caps are dated data.
    assert f.regional_round(cuc_admin, year=2016, funding_project=project).funding_project == project


def test_a_regional_entry_needs_a_valid_provincial_certificate(
    vinhlong_officer, vinhlong_approver, cuc_admin
):
    regional = f.regional_round(cuc_admin)
    f.move(regional, cuc_admin, RoundStatus.OPEN)
    prod = f.product(vinhlong_officer, name="Chỉ xơ dừa")
    with pytest.raises(DomainError) as exc:
        services.entry_create(
            actor=cuc_admin, award_round=regional, product=prod, registered_on=regional.registration_start
        )
    assert exc.value.code == "level_below_certificate"
    assert exc.value.message.startswith("Quy tắc liên thông: sản phẩm dự bình chọn cấp khu vực phải có giấy")
    assert "cấp tỉnh còn hiệu lực vào ngày 01/07/2016" in exc.value.message


def _recognised_provincial(officer, approver, names):
    r = f.provincial_round(officer, quota=len(names))
    f.move(r, officer, RoundStatus.OPEN)
    jury = f.juror(officer, r, f"gk.p{r.pk}")
    entries = [f.submitted_entry(officer, r, f.product(officer, name=n)) for n in names]
    f.move(r, officer, RoundStatus.SCORING)
    for e in entries:
        e.refresh_from_db()
        f.score(jury, e, [35, 35, 8, 8])
    f.move(r, approver, RoundStatus.DECIDED, decision_no="50/QĐ-UBND", decision_date=dt.date(2016, 6, 10))
    return r, [r.entries.get(pk=e.pk) for e in entries]


def test_the_province_forwards_recognised_products_with_the_same_dossier(
    vinhlong_officer, vinhlong_approver, cuc_admin
):
    provincial, entries = _recognised_provincial(
        vinhlong_officer, vinhlong_approver, ["Kẹo dừa", "Thạch dừa"]
    )
    regional = f.regional_round(cuc_admin)
    f.move(regional, cuc_admin, RoundStatus.OPEN)
    forwarded = services.entries_forward(
        actor=vinhlong_officer, entries=entries[:1], to_round=regional, registered_on=dt.date(2016, 7, 5)
    )
    assert [(e.product_id, e.forwarded_from_id, e.status) for e in forwarded] == [
        (entries[0].product_id, entries[0].pk, "submitted")
    ]
    assert forwarded[0].product.files.count() == 3  # the same dossier
    # a revoked provincial certificate no longer lets the product up
    cert = entries[1].certificate
    services.certificate_revoke(
        actor=vinhlong_officer,
        certificate=cert,
        reason="Vi phạm an toàn thực phẩm",
        revoked_on=dt.date(2016, 6, 20),
        expected_version=cert.version,
    )
    with pytest.raises(DomainError) as exc:
        services.entries_forward(
            actor=vinhlong_officer, entries=[entries[1]], to_round=regional, registered_on=dt.date(2016, 7, 5)
        )
    assert exc.value.code == "level_below_certificate"


def test_an_expired_certificate_does_not_count():
    cert = Certificate(issued_on=dt.date(2012, 6, 1), validity_years=3)
    cert.valid_until = Certificate.end_date(cert.issued_on, 3)
    assert cert.valid_on(dt.date(2015, 5, 31)) and not cert.valid_on(dt.date(2015, 6, 1))
    assert Certificate.end_date(dt.date(2016, 2, 29), 3) == dt.date(2019, 2, 28)


def test_submission_needs_three_photos_and_files_are_checked(vinhlong_officer, scoring_round):
    prod = f.product(vinhlong_officer, photos=2)
    entry = services.entry_create(
        actor=vinhlong_officer, award_round=scoring_round, product=prod, registered_on=dt.date(2016, 3, 2)
    )
    with pytest.raises(DomainError) as exc:
        services.entry_submit(
            actor=vinhlong_officer,
            entry=entry,
            expected_version=entry.version,
            submitted_on=dt.date(2016, 3, 3),
        )
    assert exc.value.message == "Hồ sơ cần ít nhất 3 ảnh màu sản phẩm (hiện có 2)."
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.png", b"not an image at all", content_type="image/png")
    with pytest.raises(DomainError) as exc:
        services.dossier_add(actor=vinhlong_officer, product=prod, kind="photo", upload=fake)
    assert exc.value.code == "file_type"
    with pytest.raises(DomainError) as exc:
        services.dossier_add(actor=vinhlong_officer, product=prod, kind="photo", upload=f.pdf())
    assert "JPG hoặc PNG" in exc.value.message
    exe = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(DomainError):
        services.dossier_add(actor=vinhlong_officer, product=prod, kind="other", upload=exe)
    services.dossier_add(actor=vinhlong_officer, product=prod, kind="photo", upload=f.photo())
    done = services.entry_submit(
        actor=vinhlong_officer, entry=entry, expected_version=entry.version, submitted_on=dt.date(2016, 3, 3)
    )
    assert done.status == "submitted"


def test_a_file_above_the_size_limit_is_refused(vinhlong_officer, settings):
    settings.AWARDS_MAX_UPLOAD_BYTES = 50
    prod = f.product(vinhlong_officer, photos=0)
    with pytest.raises(DomainError) as exc:
        services.dossier_add(actor=vinhlong_officer, product=prod, kind="photo", upload=f.photo())
    assert exc.value.code == "file_size"


def test_a_juror_sees_and_edits_only_their_own_sheet(vinhlong_officer, vinhlong_approver, scoring_round):
    entry = f.submitted_entry(vinhlong_officer, scoring_round, f.product(vinhlong_officer))
    a = f.juror(vinhlong_officer, scoring_round, "gk.own.a")
    b = f.juror(vinhlong_officer, scoring_round, "gk.own.b")
    f.move(scoring_round, vinhlong_officer, RoundStatus.SCORING)
    entry.refresh_from_db()
    f.score(a, entry, [30, 30, 8, 8])
    f.score(b, entry, [20, 20, 5, 5])
    assert [s.total for s in selectors.sheets_for(user=a, entry=entry)] == [Decimal(76)]
    assert [s.total for s in selectors.sheets_for(user=b, entry=entry)] == [Decimal(50)]
    assert list(selectors.sheets_for(user=vinhlong_officer, entry=entry)) == []
    with pytest.raises(DomainError) as exc:  # after the scoring window
        services.sheet_save(
            actor=a,
            entry=entry,
            points=f.points_for(scoring_round, [1, 1, 1, 1]),
            scored_on=dt.date(2016, 6, 1),
        )
    assert exc.value.code == "scoring_closed"
    outsider = testing.make_user("khong.phai.gk", vinhlong_officer.organisation, "officer")
    with pytest.raises(NotAllowed):
        f.score(outsider, entry, [1, 1, 1, 1])
    f.move(
        scoring_round, vinhlong_approver, RoundStatus.DECIDED, decision_no="7/QĐ", decision_date="05/06/2016"
    )
    entry.refresh_from_db()
    assert len(selectors.sheets_for(user=vinhlong_officer, entry=entry)) == 2
    assert entry.score == Decimal(63)


def test_an_establishment_user_enters_only_its_own_products(vinhlong_officer, scoring_round):
    own = establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")
    other = establishment("Bến Tre", name="Cơ sở bánh phồng Sơn Đốc")
    user = testing.make_user(
        "coso.tl", testing.make_org("establishment", None, own.name, establishment=own), "viewer"
    )
    mine = f.product(user, own, name="Kẹo dừa sầu riêng")
    with pytest.raises(NotAllowed):
        services.product_create(actor=user, establishment=other, name="Bánh phồng", group="food")
    theirs = f.product(vinhlong_officer, other, name="Bánh phồng tôm")
    with pytest.raises(NotAllowed):
        services.entry_create(
            actor=user, award_round=scoring_round, product=theirs, registered_on="02/03/2016"
        )
    mine_entry = f.submitted_entry(user, scoring_round, mine)
    f.submitted_entry(vinhlong_officer, scoring_round, theirs)
    assert [e.pk for e in selectors.entry_list_for(user=user)] == [mine_entry.pk]
    assert selectors.entry_list_for(user=vinhlong_officer).count() == 2
