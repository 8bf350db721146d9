import pytest

from khuyencong.catalog.models import ActivityContent, FundingSource, SupportCap

pytestmark = pytest.mark.django_db


def test_nine_activity_contents_and_sources():
    assert list(ActivityContent.objects.values_list("code", flat=True)) == [str(i) for i in range(1, 10)]
    assert set(FundingSource.objects.values_list("code", flat=True)) == {
        "national",
        "local",
        "district",
        "counterpart",
    }


def test_support_cap_rule_names_its_legal_basis():
    cap = SupportCap.objects.get(code="tt28-may-moc-thiet-bi")
    assert cap.max_percent == 50 and cap.max_amount == 300_000_000
    assert cap.rule_text == (
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ: ≤ 50 % chi phí và ≤ 300 triệu "
        "đồng "
        "mỗi cơ sở (Thông tư 28/2018/TT-BTC)"
    )


def test_only_admin_edits_catalogue(api_as, vinhlong_officer, cuc_admin):
    officer = api_as(vinhlong_officer)
    assert officer.get("/api/v1/catalog/activity-contents/").json()["count"] == 9
    response = officer.post("/api/v1/catalog/sectors/", {"code": "moi", "name": "Ngành mới"})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Chỉ quản trị viên được sửa danh mục."
    admin = api_as(cuc_admin)
    created = admin.post("/api/v1/catalog/sectors/", {"code": "moi", "name": "Ngành mới"})
    assert created.status_code == 201
    from khuyencong.catalog.models import Sector

    sector = Sector.objects.get(code="moi")
    assert sector.history.latest().history_user == cuc_admin


def test_catalog_page_and_excel(as_user, vinhlong_officer):
    client = as_user(vinhlong_officer)
    assert "Mô hình trình diễn kỹ thuật" in client.get("/catalog/").content.decode()
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(client.get("/catalog/?format=xlsx").content))
    assert wb.sheetnames[0] == "Nội dung hoạt động khuyến công"
    assert wb.worksheets[0].max_row == 10


@pytest.mark.django_db
def test_catalog_writes_go_through_services_with_history(cuc_admin, vinhlong_officer):
    from khuyencong.catalog import services
    from khuyencong.catalog.models import FundingSource, Sector
    from khuyencong.core.errors import DomainError, NotAllowed

    sector = Sector(code="thu-nghiem", name="Ngành thử nghiệm")
    services.catalog_save(actor=cuc_admin, instance=sector, reason="Thêm ngành")
    row = sector.history.order_by("-history_id").first()
    assert row.history_user == cuc_admin and row.history_change_reason == "Thêm ngành"
    with pytest.raises(NotAllowed):
        services.catalog_save(actor=vinhlong_officer, instance=Sector(code="x", name="x"))
    used = FundingSource.objects.get(code="national")
    with pytest.raises(DomainError) as refused:
        services.catalog_delete(actor=cuc_admin, instance=used)
    assert refused.value.status == 409
    assert "đang được sử dụng" in refused.value.message
    assert FundingSource.objects.filter(code="national").exists()
