"""Annual plans and batches, whole: services (create, edit, stale 409, delete only while empty, the level and
source
rule, the unit-year rule), the plan page (batches typed "3 tỷ", "1,2 tỷ"; assigned, paid and rate as of a
day),
the API, the Cục's own national plan, and 404 for an officer of another province everywhere."""

import datetime as dt

import pytest

from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.projects import selectors, services
from khuyencong.projects.models import AnnualPlan, Batch, PlanStatusChange, Status
from khuyencong.projects.tests import factories as f
from khuyencong.testing import current_province, old_province

pytestmark = pytest.mark.django_db
TR = 1_000_000
D = dt.date


def local_plan_2017(officer, **kw):
    return services.plan_create(
        actor=officer,
        unit=old_province("Bến Tre"),
        year=2017,
        level="local",
        registered_total=kw.pop("registered_total", "4,2 tỷ"),
        effective_date=D(2017, 1, 10),
        **kw,
    )


def batch(officer, plan, amount, day, no, **kw):
    return services.batch_create(
        actor=officer,
        plan=plan,
        decision_no=no,
        decision_date=day,
        issuer="UBND tỉnh Bến Tre",
        amounts={kw.pop("source", "local"): amount},
        **kw,
    )


def test_create_edit_stale_and_delete_only_while_empty(vinhlong_officer):
    plan = local_plan_2017(vinhlong_officer)
    assert plan.status == AnnualPlan.PlanStatus.REGISTERED and plan.registered_total == 4_200 * TR
    step = PlanStatusChange.objects.get(plan=plan)
    assert (step.to_status, step.effective_date, step.action) == ("registered", D(2017, 1, 10), "create")

    edited = services.plan_update(
        plan=plan,
        actor=vinhlong_officer,
        expected_version=plan.version,
        changes={"title": "Kế hoạch KCĐP 2017 — Bến Tre", "registered_total": "4,5 tỷ"},
    )
    assert edited.version == plan.version + 1 and edited.registered_total == 4_500 * TR
    assert edited.history.first().history_user == vinhlong_officer
    for stale in (plan.version, None):
        with pytest.raises(ConcurrentEditError) as exc:
            services.plan_update(
                plan=plan, actor=vinhlong_officer, expected_version=stale, changes={"title": "Ghi đè"}
            )
        assert exc.value.status == 409
    assert AnnualPlan.objects.get(pk=plan.pk).title == "Kế hoạch KCĐP 2017 — Bến Tre"

    b = batch(vinhlong_officer, plan, "3 tỷ", D(2017, 2, 15), "01/QĐ-UBND")
    assert b.total == 3_000 * TR and b.allocations.get().source.code == "local"
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.PlanStatus.ASSIGNED  # the first decided batch assigns the plan
    assigned = plan.status_changes.get(to_status="assigned")
    assert (assigned.decision_no, assigned.effective_date) == ("01/QĐ-UBND", D(2017, 2, 15))
    with pytest.raises(
        DomainError, match="Kế hoạch còn 0 đề án và 1 đợt giao: chỉ xóa được kế hoạch chưa có"
    ):
        services.plan_delete(plan=plan, actor=vinhlong_officer)
    with pytest.raises(DomainError, match="không đổi được tỉnh, năm hay cấp"):
        services.plan_update(
            plan=plan, actor=vinhlong_officer, expected_version=plan.version, changes={"year": 2016}
        )

    p = f.project(
        vinhlong_officer,
        province_short="Bến Tre",
        year=2017,
        level="local",
        content_code="6",
        funding={"local": {"requested": 100 * TR}},
        batch=b,
    )
    with pytest.raises(DomainError, match="Đợt 1 đang có 1 đề án: chỉ xóa được đợt chưa có đề án nào"):
        services.batch_delete(batch=b, actor=vinhlong_officer)
    assert Batch.objects.filter(pk=b.pk).exists() and p.batch_id == b.pk

    empty = services.plan_create(
        actor=vinhlong_officer, unit=old_province("Bến Tre"), year=2018, level="local"
    )
    services.plan_delete(plan=empty, actor=vinhlong_officer, expected_version=empty.version)
    assert not AnnualPlan.objects.filter(pk=empty.pk).exists()
    assert AnnualPlan.history.filter(id=empty.pk, history_type="-").get().history_user == vinhlong_officer


def test_batch_rules_and_edit(vinhlong_officer):
    plan = local_plan_2017(vinhlong_officer)
    with pytest.raises(DomainError, match="cần số và ngày quyết định giao"):
        services.batch_create(actor=vinhlong_officer, plan=plan, amounts={"local": "3 tỷ"})
    with pytest.raises(DomainError, match="Ghi rõ đơn vị: 250 triệu đồng hay 250 đồng?"):
        batch(vinhlong_officer, plan, "250", D(2017, 2, 15), "01/QĐ")
    with pytest.raises(DomainError, match="không được sau ngày hôm nay"):
        batch(vinhlong_officer, plan, "3 tỷ", dt.date.today() + dt.timedelta(days=3), "01/QĐ")
    # The decision of the first batch assigns the plan: it may not be dated before the plan's registration.
    with pytest.raises(
        DomainError, match=r"\(05/01/2017\) không được trước ngày của bước trước \(10/01/2017\)"
    ):
        batch(vinhlong_officer, plan, "3 tỷ", D(2017, 1, 5), "01/QĐ")
    assert not plan.batches.exists()
    # Entered with the wrong registration date: corrected while registration is the plan's only step.
    plan = services.plan_update(
        plan=plan,
        actor=vinhlong_officer,
        expected_version=plan.version,
        changes={"effective_date": "02/01/2017"},
    )
    assert plan.status_changes.get().effective_date == D(2017, 1, 2)
    batch(vinhlong_officer, plan, "3 tỷ", D(2017, 1, 5), "01/QĐ", number=5)
    plan.refresh_from_db()
    with pytest.raises(DomainError, match="không sửa được ngày đăng ký"):
        services.plan_update(
            plan=plan,
            actor=vinhlong_officer,
            expected_version=plan.version,
            changes={"effective_date": "01/01/2017"},
        )
    # A supplementary registration without a decision assigns nothing and leaves the plan registered.
    reg = services.batch_create(
        actor=vinhlong_officer,
        plan=plan,
        is_supplementary=True,
        amounts={"local": "500 triệu", "district": "120 triệu"},
    )
    assert reg.number == 6 and reg.total == 620 * TR
    edited = services.batch_update(
        batch=reg,
        actor=vinhlong_officer,
        expected_version=reg.version,
        changes={
            "decision_no": "09/QĐ-UBND",
            "decision_date": "20/03/2017",
            "amounts": {"local": "450 triệu"},
        },
    )
    assert edited.total == 450 * TR and [a.source.code for a in edited.allocations.all()] == ["local"]
    assert selectors.plan_money(plan=plan)["state"]["assigned"] == 3_450 * TR
    assert selectors.plan_money(plan=plan, as_of=D(2017, 3, 1))["state"]["assigned"] == 3_000 * TR
    with pytest.raises(ConcurrentEditError):
        services.batch_update(
            batch=reg, actor=vinhlong_officer, expected_version=reg.version, changes={"note": "x"}
        )
    with pytest.raises(DomainError, match="Kế hoạch đã có đợt 5"):
        batch(vinhlong_officer, plan, "1 tỷ", D(2017, 4, 1), "10/QĐ", number=5)


def test_supplementary_registration_assigns_nothing_until_decided(vinhlong_officer):
    plan = local_plan_2017(vinhlong_officer)
    reg = services.batch_create(
        actor=vinhlong_officer, plan=plan, is_supplementary=True, amounts={"local": "300 triệu"}
    )
    plan.refresh_from_db()
    assert reg.number == 1 and plan.status == AnnualPlan.PlanStatus.REGISTERED
    assert selectors.plan_money(plan=plan)["state"]["assigned"] == 0
    services.batch_update(
        batch=reg,
        actor=vinhlong_officer,
        expected_version=reg.version,
        changes={"decision_no": "12/QĐ-UBND", "decision_date": "20/03/2017"},
    )
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.PlanStatus.ASSIGNED
    assert selectors.plan_money(plan=plan)["state"]["assigned"] == 300 * TR


def test_level_and_source_rule(vinhlong_officer):
    national = f.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    with pytest.raises(DomainError) as exc:
        f.project(
            vinhlong_officer,
            year=2018,
            level="national",
            content_code="6",
            funding={"local": {"requested": 100 * TR}},
        )
    assert "không nhận kinh phí nguồn KCĐP cho đề án (chỉ nhận: KCQG, Đối ứng)" in exc.value.message
    assert (
        "Quy tắc: đề án thuộc kế hoạch khuyến công quốc gia dùng kinh phí khuyến công quốc gia"
        in exc.value.message
    )
    with pytest.raises(DomainError, match="Vốn đối ứng là tiền của cơ sở, không giao theo đợt"):
        batch(vinhlong_officer, national, "1 tỷ", D(2018, 1, 5), "01/QĐ-BCT", source="counterpart")
    with pytest.raises(DomainError, match="không nhận kinh phí nguồn KCĐP cho đợt giao"):
        batch(vinhlong_officer, national, "1 tỷ", D(2018, 1, 5), "01/QĐ-BCT", source="local")
    local = f.project(
        vinhlong_officer,
        year=2018,
        level="local",
        content_code="6",
        funding={
            "local": {"requested": 100 * TR},
            "district": {"requested": 20 * TR},
            "counterpart": {"requested": 50 * TR},
        },
    )
    assert sorted(local.fundings.values_list("source__code", flat=True)) == [
        "counterpart",
        "district",
        "local",
    ]
    with pytest.raises(DomainError, match="Quy tắc: đề án thuộc kế hoạch khuyến công địa phương"):
        services.project_set_funding(
            project=local, actor=vinhlong_officer, funding={"national": {"requested": 1}}
        )


def test_unit_must_be_in_force_in_the_plan_year(vinhlong_officer):
    from khuyencong.projects.plan_forms import PlanForm

    with pytest.raises(DomainError) as exc:
        services.plan_create(
            actor=vinhlong_officer, unit=current_province("Vĩnh Long"), year=2020, level="local"
        )
    assert exc.value.message == (
        "Không lập được kế hoạch năm 2020 cho Tỉnh Vĩnh Long (hiện nay): đơn vị này chỉ có từ ngày "
        "12/06/2025, "
        "không có hiệu lực trong năm 2020 — hãy chọn tỉnh trước sắp xếp, ghi «(trước 1/7/2025)»."
    )
    with pytest.raises(
        DomainError, match="Tỉnh Bến Tre \\(trước 1/7/2025\\): đơn vị này chỉ có đến ngày 11/06/2025"
    ):
        services.plan_create(actor=vinhlong_officer, unit=old_province("Bến Tre"), year=2026, level="local")
    both = [
        services.plan_create(actor=vinhlong_officer, unit=u, year=2025, level="local")
        for u in (old_province("Bến Tre"), current_province("Vĩnh Long"))
    ]
    assert [p.province.short_name for p in both] == ["Vĩnh Long", "Vĩnh Long"]

    def labels(year):
        field = PlanForm(user=vinhlong_officer, initial={"year": year}).fields["unit"]
        return [label for _v, label in field.choices][1:]

    assert labels(2020) == [
        "Tỉnh Bến Tre (trước 1/7/2025)",
        "Tỉnh Trà Vinh (trước 1/7/2025)",
        "Tỉnh Vĩnh Long (trước 1/7/2025)",
    ]
    assert labels(2026) == ["Tỉnh Vĩnh Long (hiện nay)"]
    assert labels(2025) == [
        "Tỉnh Vĩnh Long (hiện nay)",
        "Tỉnh Bến Tre (trước 1/7/2025)",
        "Tỉnh Trà Vinh (trước 1/7/2025)",
        "Tỉnh Vĩnh Long (trước 1/7/2025)",
    ]


def test_central_national_plan_of_the_cuc(cuc_admin, vinhlong_officer):
    plan = services.plan_create(
        actor=cuc_admin,
        unit=None,
        year=2024,
        level="national",
        title="Đề án khuyến công quốc gia do Cục thực hiện năm 2024",
        effective_date="15/08/2023",
    )
    assert plan.unit_id is None and plan.province_id is None and plan.is_central
    with pytest.raises(DomainError, match="Đã có kế hoạch khuyến công quốc gia năm 2024 của Cục"):
        services.plan_create(actor=cuc_admin, unit=None, year=2024, level="national")
    with pytest.raises(DomainError, match="chỉ có thể là kế hoạch khuyến công quốc gia"):
        services.plan_create(actor=cuc_admin, unit=None, year=2024, level="local")
    with pytest.raises(NotAllowed):
        services.plan_create(actor=vinhlong_officer, unit=None, year=2024, level="national")
    b = batch(cuc_admin, plan, "2 tỷ", D(2024, 2, 1), "15/QĐ-BCT", source="national")
    assert b.total == 2_000 * TR
    assert plan not in selectors.plan_list_for(user=vinhlong_officer)
    assert plan in selectors.plan_list_for(user=cuc_admin)


def test_officer_enters_plan_and_batches_on_the_pages(vinhlong_officer, vinhlong_approver, as_user):
    client = as_user(vinhlong_officer)
    bt = old_province("Bến Tre")
    form = client.get("/projects/plans/new/?year=2017", secure=True).content.decode()
    assert "Tỉnh Bến Tre (trước 1/7/2025)" in form and "(hiện nay)" not in form
    r = client.post(
        "/projects/plans/new/",
        {
            "unit": bt.pk,
            "year": 2017,
            "level": "local",
            "registered_total": "4,2 tỷ",
            "effective_date": "10/01/2017",
        },
        secure=True,
    )
    plan = AnnualPlan.objects.get(year=2017, unit=bt, level="local")
    assert r.status_code == 302 and r["Location"] == f"/projects/plans/{plan.pk}/"
    url = f"/projects/plans/{plan.pk}/"
    r = client.post(
        url + "batches/",
        {
            "decision_no": "01/QĐ-UBND",
            "decision_date": "15/02/2017",
            "issuer": "UBND tỉnh Bến Tre",
            "amount_local": "250",
        },
        secure=True,
    )
    assert r.status_code == 400 and "Ghi rõ đơn vị: 250 triệu đồng hay 250 đồng?" in r.content.decode()
    for no, day, amount in (("01/QĐ-UBND", "15/02/2017", "3 tỷ"), ("02/QĐ-UBND", "20/03/2017", "1,2 tỷ")):
        r = client.post(
            url + "batches/",
            {"decision_no": no, "decision_date": day, "issuer": "UBND tỉnh Bến Tre", "amount_local": amount},
            secure=True,
        )
        assert r.status_code == 302, r.content.decode()[:2000]
    p = f.project(
        vinhlong_officer,
        province_short="Bến Tre",
        year=2017,
        level="local",
        content_code="6",
        funding={"local": {"requested": 2_500 * TR}},
        effective_date=D(2017, 4, 1),
    )
    p = f.walk(p, Status.APPROVED, officer=vinhlong_officer, approver=vinhlong_approver)
    # The plan's figures are kept until a record changes (core.dataversion): the payment shows at once.
    assert (
        '<td class="text-end" data-testid="paid-total">0</td>'
        in client.get(url, secure=True).content.decode()
    )
    services.disbursement_create(
        project=p,
        actor=vinhlong_officer,
        kind="advance",
        source="local",
        date=D(2018, 6, 20),
        amount=2_499 * TR,
    )
    page = client.get(url, secure=True).content.decode()
    assert 'data-testid="plan-status">Đã giao kế hoạch<' in page
    assert '<td class="text-end" data-testid="assigned-total">4.200</td>' in page
    assert '<td class="text-end" data-testid="paid-total">2.499</td>' in page
    assert '<td class="text-end" data-testid="rate-total">59,5 %</td>' in page
    assert "<td>01/QĐ-UBND</td><td>15/02/2017</td>" in page and "KCĐP: 1.200 triệu" in page
    # Unallocated = assigned − approved: 4.200 − 2.500 triệu.
    assert '<td class="text-end">1.700</td>' in page
    early = client.get(url + "?as_of=01/03/2017", secure=True).content.decode()
    assert '<td class="text-end" data-testid="assigned-total">3.000</td>' in early
    assert '<td class="text-end" data-testid="rate-total">0,0 %</td>' in early
    assert "Kinh phí theo nguồn đến ngày 01/03/2017" in early
    # The plan's transition form: closing needs its decision.
    r = client.post(
        url + "transition/",
        {
            "to_status": "closed",
            "version": plan.version + 1,
            "decision_no": "",
            "decision_date": "31/12/2018",
        },
        secure=True,
    )
    assert r.status_code == 400 and "Chưa thực hiện được «Kết thúc kế hoạch»" in r.content.decode()
    plan.refresh_from_db()
    r = client.post(
        url + "transition/",
        {
            "to_status": "closed",
            "version": plan.version,
            "decision_no": "99/BC-SCT",
            "decision_date": "31/12/2018",
        },
        secure=True,
    )
    assert r.status_code == 302
    page = client.get(url, secure=True).content.decode()
    assert 'data-testid="plan-status">Đã kết thúc<' in page and "99/BC-SCT ngày 31/12/2018" in page
    assert 'data-testid="batch-form"' not in page  # a closed plan takes no more batches


def test_plan_edit_and_delete_pages(vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    plan = local_plan_2017(vinhlong_officer)
    url = f"/projects/plans/{plan.pk}/"
    form = client.get(url + "edit/", secure=True).content.decode()
    assert 'value="4.200.000.000"' in form
    r = client.post(
        url + "edit/",
        {
            "unit": plan.unit_id,
            "year": 2017,
            "level": "local",
            "title": "KH sửa",
            "registered_total": "4,3 tỷ",
            "version": plan.version - 1,
        },
        secure=True,
    )
    assert "Bản ghi đã được người khác thay đổi" in r.content.decode()
    r = client.post(
        url + "edit/",
        {
            "unit": plan.unit_id,
            "year": 2017,
            "level": "local",
            "title": "KH sửa",
            "registered_total": "4,3 tỷ",
            "version": plan.version,
        },
        secure=True,
    )
    assert r.status_code == 302 and AnnualPlan.objects.get(pk=plan.pk).registered_total == 4_300 * TR
    b = batch(vinhlong_officer, plan, "3 tỷ", D(2017, 2, 15), "01/QĐ-UBND")
    r = client.post(url + "delete/", secure=True, follow=True)
    assert "chỉ xóa được kế hoạch chưa có đề án và đợt giao nào" in r.content.decode()
    r = client.post(
        url + f"batches/{b.pk}/edit/",
        {
            "number": 1,
            "decision_no": "01/QĐ-UBND",
            "decision_date": "15/02/2017",
            "amount_local": "3,5 tỷ",
            "version": b.version,
        },
        secure=True,
    )
    assert r.status_code == 302 and Batch.objects.get(pk=b.pk).total == 3_500 * TR
    client.post(url + f"batches/{b.pk}/delete/", secure=True)
    assert not Batch.objects.filter(pk=b.pk).exists()
    r = client.post(url + "delete/", secure=True)
    assert r.status_code == 302 and not AnnualPlan.objects.filter(pk=plan.pk).exists()


def test_plan_and_batches_through_the_api(vinhlong_officer, api_as):
    api = api_as(vinhlong_officer)
    bt = old_province("Bến Tre")
    r = api.post(
        "/api/v1/plans/",
        {
            "unit": bt.pk,
            "year": 2017,
            "level": "local",
            "registered_total": "4,2 tỷ",
            "effective_date": "10/01/2017",
        },
        format="json",
        secure=True,
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "registered" and body["registered_total"] == 4_200 * TR
    pk, version = body["id"], body["version"]
    r = api.patch(
        f"/api/v1/plans/{pk}/", {"expected_version": version + 5, "title": "x"}, format="json", secure=True
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    r = api.patch(
        f"/api/v1/plans/{pk}/",
        {"expected_version": version, "title": "KCĐP Bến Tre 2017"},
        format="json",
        secure=True,
    )
    assert r.status_code == 200 and r.json()["title"] == "KCĐP Bến Tre 2017"
    r = api.post(
        f"/api/v1/plans/{pk}/batches/",
        {"decision_no": "01/QĐ-UBND", "decision_date": "15/02/2017", "amounts": {"local": "250"}},
        format="json",
        secure=True,
    )
    assert r.status_code == 400 and "Ghi rõ đơn vị" in r.json()["error"]["message"]
    ids = []
    for no, day, amount in (("01/QĐ-UBND", "15/02/2017", "3 tỷ"), ("02/QĐ-UBND", "2017-03-20", "1,2 tỷ")):
        r = api.post(
            f"/api/v1/plans/{pk}/batches/",
            {"decision_no": no, "decision_date": day, "amounts": {"local": amount}},
            format="json",
            secure=True,
        )
        assert r.status_code == 201, r.json()
        ids.append(r.json()["id"])
    assert r.json()["allocations"] == [{"source": "local", "source_name": "KCĐP", "amount": 1_200 * TR}]
    money = api.get(f"/api/v1/plans/{pk}/money/", secure=True).json()
    assert money["state"]["assigned"] == 4_200 * TR and money["state"]["rate_text"] == "0,0 %"
    assert (
        api.get(f"/api/v1/plans/{pk}/money/?as_of=2017-03-01", secure=True).json()["state"]["assigned"]
        == 3_000 * TR
    )
    second = api.get(f"/api/v1/plans/{pk}/batches/", secure=True).json()[1]
    r = api.patch(
        f"/api/v1/plans/{pk}/batches/{ids[1]}/",
        {"expected_version": second["version"], "amounts": {"local": "1,5 tỷ"}},
        format="json",
        secure=True,
    )
    assert r.status_code == 200 and r.json()["total"] == 1_500 * TR
    r = api.patch(
        f"/api/v1/plans/{pk}/batches/",
        {"id": ids[1], "expected_version": second["version"], "note": "ghi đè"},
        format="json",
        secure=True,
    )
    assert r.status_code == 409
    assert api.delete(f"/api/v1/plans/{pk}/", secure=True).status_code == 400
    assert api.delete(f"/api/v1/plans/{pk}/batches/{ids[1]}/", secure=True).status_code == 204
    r = api.delete(f"/api/v1/plans/{pk}/batches/", {"id": ids[0]}, format="json", secure=True)
    assert r.status_code == 204 and not Batch.objects.filter(plan_id=pk).exists()
    plan = api.get(f"/api/v1/plans/{pk}/", secure=True).json()
    assert plan["status"] == "assigned"
    assert [s["to_status"] for s in plan["status_changes"]] == ["registered", "assigned"]
    r = api.post(
        f"/api/v1/plans/{pk}/transitions/",
        {
            "to_status": "closed",
            "expected_version": plan["version"],
            "decision_no": "99/BC",
            "decision_date": "2017-12-31",
        },
        format="json",
        secure=True,
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"
    steps = api.get(f"/api/v1/plans/{pk}/transitions/", secure=True).json()
    assert (
        steps[-1]["changes"] == {"status": ["assigned", "closed"]}
        and steps[-1]["effective_date"] == "2017-12-31"
    )
    r = api.post(
        f"/api/v1/plans/{pk}/transitions/",
        {
            "to_status": "closed",
            "expected_version": plan["version"],
            "decision_no": "99/BC",
            "decision_date": "2017-12-31",
        },
        format="json",
        secure=True,
    )
    assert r.status_code == 409
    r = api.post(
        f"/api/v1/plans/{pk}/batches/",
        {"decision_no": "3", "decision_date": "2017-05-01", "amounts": {"local": "1 tỷ"}},
        format="json",
        secure=True,
    )
    assert r.status_code == 400 and "Kế hoạch đã kết thúc" in r.json()["error"]["message"]


def test_outsider_gets_404_on_every_plan_and_batch_page_and_endpoint(
    vinhlong_officer, thainguyen_officer, as_user, api_as
):
    plan = local_plan_2017(vinhlong_officer)
    b = batch(vinhlong_officer, plan, "3 tỷ", D(2017, 2, 15), "01/QĐ-UBND")
    base = f"/projects/plans/{plan.pk}/"
    client = as_user(thainguyen_officer)
    for url in (base, base + "?format=xlsx", base + "edit/", base + f"batches/{b.pk}/edit/"):
        assert client.get(url, secure=True).status_code == 404, url
    for url in (
        base + "edit/",
        base + "delete/",
        base + "transition/",
        base + "batches/",
        base + f"batches/{b.pk}/edit/",
        base + f"batches/{b.pk}/delete/",
    ):
        assert (
            client.post(
                url,
                {
                    "to_status": "closed",
                    "decision_no": "1",
                    "decision_date": "01/01/2018",
                    "amount_local": "1 tỷ",
                },
                secure=True,
            ).status_code
            == 404
        ), url
    api = api_as(thainguyen_officer)
    api_base = f"/api/v1/plans/{plan.pk}/"
    for method, url, data in (
        ("get", api_base, None),
        ("patch", api_base, {"expected_version": plan.version, "title": "x"}),
        ("delete", api_base, None),
        ("get", api_base + "money/", None),
        ("get", api_base + "transitions/", None),
        (
            "post",
            api_base + "transitions/",
            {"to_status": "closed", "decision_no": "1", "decision_date": "2018-01-01"},
        ),
        ("get", api_base + "batches/", None),
        (
            "post",
            api_base + "batches/",
            {"decision_no": "2", "decision_date": "2017-03-01", "amounts": {"local": "1 tỷ"}},
        ),
        ("patch", api_base + "batches/", {"id": b.pk, "expected_version": b.version, "note": "x"}),
        ("delete", api_base + "batches/", {"id": b.pk}),
        ("patch", api_base + f"batches/{b.pk}/", {"expected_version": b.version, "note": "x"}),
        ("delete", api_base + f"batches/{b.pk}/", None),
    ):
        r = getattr(api, method)(url, data, format="json", secure=True)
        assert r.status_code == 404, (method, url, r.status_code)
    ids = [p["id"] for p in api.get("/api/v1/plans/", secure=True).json()["results"]]
    assert plan.pk not in ids
    plan.refresh_from_db()
    assert plan.title == "" and plan.status == "assigned" and Batch.objects.get(pk=b.pk).note == ""


def test_demo_plans_money_as_of_the_report_dates(demo, as_user):
    """Seed 004: Bắc Kạn's local plan, 529 triệu assigned on 25/1/2018; by 30/6 190 triệu paid (35,9 %); by
    now
    the two stopped đề án's 150 triệu are no longer approved and 379 triệu are paid. Seed 000: the 2016
    national
    plan registered 2.120 triệu (with the supplementary 300) but was assigned 1.820; the 2016 local plan
    carries
    batch 2 of 2015 (344 triệu)."""
    from khuyencong.accounts.models import User

    def plan(short, year, level):
        return AnnualPlan.objects.get(unit=old_province(short), year=year, level=level)

    bk = plan("Bắc Kạn", 2018, "local")
    june = selectors.plan_money(plan=bk, as_of=D(2018, 6, 30))["state"]
    assert (june["assigned"], june["approved"], june["paid"], june["rate_text"]) == (
        529 * TR,
        529 * TR,
        190 * TR,
        "35,9 %",
    )
    now = selectors.plan_money(plan=bk)["state"]
    assert (now["approved"], now["unallocated"], now["paid"], now["rate_text"]) == (
        379 * TR,
        150 * TR,
        379 * TR,
        "71,6 %",
    )
    assert [s.to_status for s in bk.status_changes.order_by("effective_date", "pk")] == [
        "registered",
        "assigned",
    ]
    page = (
        as_user(User.objects.get(username="thainguyen"))
        .get(f"/projects/plans/{bk.pk}/?as_of=30/06/2018", secure=True)
        .content.decode()
    )
    assert '<td class="text-end" data-testid="rate-total">35,9 %</td>' in page
    bt = selectors.plan_money(plan=plan("Bến Tre", 2016, "national"), as_of=D(2016, 9, 30))["state"]
    assert (bt["registered"], bt["assigned"]) == (2_120 * TR, 1_820 * TR)
    carried = selectors.plan_money(plan=plan("Bến Tre", 2016, "local"), as_of=D(2016, 9, 30))
    assert carried["state"]["assigned"] == 344 * TR and [b.number for b in carried["carried"]] == [2]


def test_plan_page_says_when_approved_money_exceeds_what_batches_assigned(
    vinhlong_officer, vinhlong_approver, as_user
):
    """A past year's plan whose đề án were approved before any batch was entered: the page says by how much
    the approvals exceed the assigned money, in words, instead of a bare negative figure."""
    p = f.project(vinhlong_officer, year=2018, level="local", funding={"local": {"requested": 200_000_000}})
    f.walk(p, Status.APPROVED, officer=vinhlong_officer, approver=vinhlong_approver)
    money = selectors.plan_money(plan=p.plan)
    assert (money["state"]["assigned"], money["state"]["approved"]) == (0, 200_000_000)
    assert money["state"]["over_assigned"] == 200_000_000
    page = as_user(vinhlong_officer).get(f"/projects/plans/{p.plan_id}/", secure=True).content.decode()
    assert "vượt số được giao <strong>200 triệu đồng</strong>" in page
    assert "chưa có đợt giao vốn nào có quyết định" in page


def test_plan_figures_are_kept_for_one_day_of_viet_nam(vinhlong_officer, as_user, monkeypatch):
    """The plan's money is "as of" today in Việt Nam by default, and the kept figures (core.dataversion) are
    keyed by that day: after midnight in Hà Nội (17:00 UTC) the page shows the new day, not the kept one."""
    from django.utils import timezone

    plan = f.plan(vinhlong_officer, year=2018)
    client = as_user(vinhlong_officer)
    url = f"/projects/plans/{plan.pk}/"
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 12, 1))
    assert "Kinh phí theo nguồn đến ngày 01/12/2026" in client.get(url, secure=True).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 12, 2))
    assert "Kinh phí theo nguồn đến ngày 02/12/2026" in client.get(url, secure=True).content.decode()
