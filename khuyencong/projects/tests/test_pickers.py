"""The đề án form's pickers: province first, then its communes (found without diacritics); establishments by
name or tax code with «Tạo mới»; only the plan's batches; the plan's next code prefilled. Every search
endpoint is scoped: an outsider's search answers nothing."""

import datetime as dt
import re

import pytest

from khuyencong import testing
from khuyencong.beneficiaries.models import Establishment
from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit
from khuyencong.projects import services
from khuyencong.projects.models import Project
from khuyencong.projects.tests import factories as f

BEN_TRE_P6 = "Phường 6 — Thành phố Bến Tre, Tỉnh Bến Tre (trước 1/7/2025)"


def _phuong6():
    return AdminUnit.objects.get(era="old", level=3, name="Phường 6", parent__name="Thành phố Bến Tre")


def _options(html: str, select_id: str) -> list[str]:
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<option[^>]*>(.*?)</option>", block, re.S)]


def _create_data(plan, **over):
    data = {
        "plan": plan.pk,
        "code": "KCQG-2018-01",
        "title": "Hỗ trợ máy đóng gói",
        "content": f.content("3").pk,
        "requested_national": "200 triệu",
    }
    data.update(over)
    return data


# ---------------------------------------------------------------------------------------------- batches


def test_batch_list_holds_only_the_plans_batches(vinhlong_officer, as_user):
    plan18 = f.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    plan17 = f.plan(vinhlong_officer, "Bến Tre", 2017, "national")
    b18 = services.batch_create(
        actor=vinhlong_officer,
        plan=plan18,
        decision_no="01/QĐ",
        decision_date=dt.date(2018, 2, 1),
        amounts={"national": "1 tỷ"},
    )
    b17 = services.batch_create(
        actor=vinhlong_officer,
        plan=plan17,
        decision_no="09/QĐ",
        decision_date=dt.date(2017, 2, 1),
        amounts={"national": "1 tỷ"},
    )
    client = as_user(vinhlong_officer)
    html = client.get(f"/projects/new/?plan={plan18.pk}").content.decode()
    assert _options(html, "id_batch")[1:] == ["Đợt 1 năm 2018"]
    # No plan chosen yet: no batch offered.
    html = client.get("/projects/new/").content.decode()
    assert _options(html, "id_batch") == ["— Chọn kế hoạch trước —"]
    # Another year's batch is refused by the form, then by the service on edit.
    response = client.post("/projects/new/", _create_data(plan18, batch=b17.pk))
    assert response.status_code == 200 and not Project.objects.exists()
    assert (
        "Hãy chọn một lựa chọn hợp lệ" in response.content.decode() or "hợp lệ" in response.content.decode()
    )
    project = f.project(vinhlong_officer, code="BT-1")
    html = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert _options(html, "id_batch")[1:] == ["Đợt 1 năm 2018"]
    with pytest.raises(DomainError, match="Đợt đã chọn không thuộc kế hoạch"):
        services.project_update(
            project=project, actor=vinhlong_officer, expected_version=project.version, changes={"batch": b17}
        )
    assert b18.plan_id == project.plan_id


# ---------------------------------------------------------------------------------------------- codes


def test_code_prefilled_per_plan_and_year_editable_and_unique(vinhlong_officer, as_user):
    local = f.plan(vinhlong_officer, "Bến Tre", 2018, "local")
    for n in range(1, 7):
        f.project(vinhlong_officer, level="local", code=f"KCĐP-2018-{n:02d}", funding={})
    client = as_user(vinhlong_officer)
    html = client.get(f"/projects/new/?plan={local.pk}").content.decode()
    assert 'value="KCĐP-2018-07"' in html
    # The same answer when the plan is changed on the form (static/js/forms.js asks this).
    data = client.get(f"/projects/plans/{local.pk}/form-options/").json()
    assert data["code"] == "KCĐP-2018-07" and data["batches"] == []
    assert data["province"] == testing.current_province("Vĩnh Long").pk
    national = f.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    assert client.get(f"/projects/plans/{national.pk}/form-options/").json()["code"] == "KCQG-2018-01"
    # Editable: the officer's own code is kept; a code the plan already has is refused.
    response = client.post("/projects/new/", _create_data(local, code="BT-MAY-01", requested_national=""))
    assert response.status_code == 302
    assert Project.objects.filter(plan=local, code="BT-MAY-01").exists()
    response = client.post("/projects/new/", _create_data(local, code="KCĐP-2018-03", requested_national=""))
    assert "Kế hoạch đã có đề án mã «KCĐP-2018-03»." in response.content.decode()
    # plan_import numbers its rows with the same function.
    from khuyencong.projects import plan_import

    assert plan_import.next_code is services.next_code
    assert services.next_code(local, {"KCĐP-2018-01"}) == "KCĐP-2018-02"


def test_plan_form_options_outsider_gets_404(vinhlong_officer, thainguyen_officer, as_user):
    plan = f.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    assert as_user(thainguyen_officer).get(f"/projects/plans/{plan.pk}/form-options/").status_code == 404


# ---------------------------------------------------------------------------------------------- communes


def test_commune_search_folds_and_labels_both_trees(vinhlong_officer, as_user):
    vl = testing.current_province("Vĩnh Long")
    client = as_user(vinhlong_officer)
    results = client.get("/establishments/communes/search/", {"province": vl.pk, "q": "phuong 6"}).json()[
        "results"
    ]
    texts = [r["text"] for r in results]
    assert BEN_TRE_P6 in texts
    assert all(t.startswith("Phường 6 — ") for t in texts), texts
    ben_tre = client.get("/establishments/communes/search/", {"province": vl.pk, "q": "phuong 6 ben tre"})
    assert [r["text"] for r in ben_tre.json()["results"]] == [BEN_TRE_P6]
    assert all(t.endswith(("(trước 1/7/2025)", "(hiện nay)")) for t in texts)
    # No query: the province's whole list (current units first), never another province's.
    everything = client.get("/establishments/communes/search/", {"province": vl.pk}).json()["results"]
    ids = [r["value"] for r in everything]
    assert len(ids) > 100
    assert set(AdminUnit.objects.filter(pk__in=ids).values_list("current_province_id", flat=True)) == {vl.pk}
    assert everything[0]["text"].endswith("(hiện nay)")


def test_commune_search_outsider_and_establishment_get_nothing(
    vinhlong_officer, thainguyen_officer, as_user, client
):
    vl = testing.current_province("Vĩnh Long")
    outsider = as_user(thainguyen_officer)
    assert outsider.get("/establishments/communes/search/", {"province": vl.pk, "q": "phuong"}).json() == {
        "results": []
    }
    est = f.establishment("Bến Tre", name="Cơ sở Minh Tâm")
    org = testing.make_org("establishment", None, "Cơ sở Minh Tâm", establishment=est)
    coso = testing.make_user("coso.test", org, "officer")
    client.force_login(coso)
    assert client.get("/establishments/communes/search/", {"province": vl.pk}).json() == {"results": []}
    client.logout()
    assert client.get("/establishments/communes/search/", {"province": vl.pk}).status_code == 302


def test_form_lists_the_provinces_communes_without_js(vinhlong_officer, as_user):
    """Without JavaScript the plain selects still work: the province is the officer's, its communes listed."""
    plan = f.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    html = as_user(vinhlong_officer).get(f"/projects/new/?plan={plan.pk}").content.decode()
    assert _options(html, "id_province") == ["---------", "Tỉnh Vĩnh Long"] or _options(html, "id_province")[
        1:
    ] == ["Tỉnh Vĩnh Long"]
    communes = _options(html, "id_commune")
    assert BEN_TRE_P6 in communes and len(communes) > 100
    assert 'data-picker-url="/establishments/communes/search/"' in html
    # The province comes before its communes on the form.
    assert html.index('id="id_province"') < html.index('id="id_commune"')


def test_commune_saved_and_shown_checked_against_the_plan(vinhlong_officer, thainguyen_officer, as_user):
    plan = f.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    vl = testing.current_province("Vĩnh Long")
    client = as_user(vinhlong_officer)
    response = client.post("/projects/new/", _create_data(plan, province=vl.pk, commune=_phuong6().pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(plan=plan)
    assert project.commune == _phuong6()
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Phường 6, Thành phố Bến Tre, Tỉnh Bến Tre" in page
    # A commune of another province is refused (the form lists none; the service checks too).
    tn_commune = AdminUnit.objects.filter(
        level=3, current_province=testing.current_province("Thái Nguyên")
    ).first()
    response = client.post(
        "/projects/new/", _create_data(plan, code="X-2", province=vl.pk, commune=tn_commune.pk)
    )
    assert response.status_code == 200 and not Project.objects.filter(code="X-2").exists()
    with pytest.raises(DomainError, match="không thuộc tỉnh của kế hoạch"):
        services.project_update(
            project=project,
            actor=vinhlong_officer,
            expected_version=project.version,
            changes={"commune": tn_commune},
        )


# ------------------------------------------------------------------------------------------ establishments


def test_establishment_search_by_name_or_tax_code_scoped(vinhlong_officer, thainguyen_officer, as_user):
    from khuyencong.core.audit import save_audited

    est = f.establishment("Bến Tre", name="Cơ sở thạch dừa Minh Tâm")
    est.tax_code = "1300000027"
    save_audited(est, actor=None, reason="test")
    f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Bình")
    client = as_user(vinhlong_officer)
    by_name = client.get("/establishments/search/", {"q": "thach dua minh tam"}).json()["results"]
    by_tax = client.get("/establishments/search/", {"q": "1300000027"}).json()["results"]
    label = f"Cơ sở thạch dừa Minh Tâm (MST 1300000027) — {est.commune.name}"
    assert by_name == by_tax == [{"value": est.pk, "text": label}]
    assert as_user(thainguyen_officer).get("/establishments/search/", {"q": "1300000027"}).json() == {
        "results": []
    }


def test_quick_create_through_the_service(vinhlong_officer, thainguyen_officer, as_user):
    client = as_user(vinhlong_officer)
    response = client.post(
        "/establishments/quick-create/",
        {"name": "Cơ sở bánh tráng Mỹ Lồng", "commune": _phuong6().pk, "establishment_type": "HKD"},
    )
    assert response.status_code == 201
    est = Establishment.objects.get(name="Cơ sở bánh tráng Mỹ Lồng")
    assert response.json() == {"value": est.pk, "text": f"Cơ sở bánh tráng Mỹ Lồng — {_phuong6().name}"}
    assert est.province == testing.current_province("Vĩnh Long")
    history = est.history.get()
    assert (
        history.history_user == vinhlong_officer and history.history_change_reason == "Tạo mới khi lập đề án"
    )
    # Missing commune; an outsider on Vĩnh Long's commune; nothing written.
    bad = client.post("/establishments/quick-create/", {"name": "Cơ sở X", "establishment_type": "HKD"})
    assert bad.status_code == 400 and bad.json()["error"]["message"] == "Hãy chọn xã, phường của cơ sở."
    outsider = as_user(thainguyen_officer).post(
        "/establishments/quick-create/",
        {"name": "Cơ sở Y", "commune": _phuong6().pk, "establishment_type": "HKD"},
    )
    assert outsider.status_code == 403
    assert not Establishment.objects.filter(name__in=["Cơ sở X", "Cơ sở Y"]).exists()


def test_form_has_searchable_multi_select_and_create_box(vinhlong_officer, as_user):
    plan = f.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Bình")
    html = as_user(vinhlong_officer).get(f"/projects/new/?plan={plan.pk}").content.decode()
    assert "Cơ sở kẹo dừa Thanh Bình — " in " ".join(_options(html, "id_establishments"))
    assert 'data-picker-create="establishment-create"' in html and 'id="establishment-create"' in html
    assert "vendor/tom-select/tom-select.complete.min.js" in html


def test_unit_search_for_the_organisation_form(cuc_admin, vinhlong_officer, as_user):
    results = as_user(cuc_admin).get("/accounts/unit-search/", {"q": "phuong 6"}).json()["results"]
    assert any(r["text"].startswith("Phường 6, Thành phố Bến Tre (trước 1/7/2025)") for r in results)
    assert as_user(vinhlong_officer).get("/accounts/unit-search/", {"q": "phuong 6"}).status_code == 404
