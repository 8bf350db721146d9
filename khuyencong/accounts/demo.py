"""Demo organisations and users, one per kind (usernames fixed by the platform issue)."""

from django.conf import settings

from khuyencong.beneficiaries.models import Establishment
from khuyencong.geo.models import AdminUnit

from .models import Organisation, User

CUC = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"


def _province(short: str) -> AdminUnit:
    return AdminUnit.objects.get(era="current", level=1, short_name=short)


def _org(kind, name, unit=None, parent=None, establishment=None, short_name=""):
    org, _ = Organisation.objects.get_or_create(
        kind=kind,
        name=name,
        defaults={"unit": unit, "parent": parent, "establishment": establishment, "short_name": short_name},
    )
    return org


def _user(username, org, role, last_name, first_name, job_title="", superuser=False):
    if User.objects.filter(username=username).exists():
        return User.objects.get(username=username)
    user = User(
        username=username,
        organisation=org,
        role=role,
        last_name=last_name,
        first_name=first_name,
        job_title=job_title,
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    return user


def load() -> None:
    K = Organisation.Kind
    cuc = _org(K.MINISTRY, CUC, short_name="Cục ĐMST-CĐX-KC")
    vl, tn = _province("Vĩnh Long"), _province("Thái Nguyên")
    so_vl = _org(K.DEPARTMENT, "Sở Công Thương tỉnh Vĩnh Long", vl, short_name="SCT Vĩnh Long")
    _org(
        K.CENTRE,
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Vĩnh Long",
        vl,
        so_vl,
        short_name="TTKC Vĩnh Long",
    )
    so_tn = _org(K.DEPARTMENT, "Sở Công Thương tỉnh Thái Nguyên", tn, short_name="SCT Thái Nguyên")
    _org(
        K.CENTRE,
        "Trung tâm Khuyến công và Xúc tiến thương mại Thái Nguyên",
        tn,
        so_tn,
        short_name="TTKC Thái Nguyên",
    )
    minh_tam = Establishment.objects.filter(name__icontains="Minh Tâm").first()
    _user("cuc", cuc, "admin", "Nguyễn Văn", "An", "Chuyên viên Cục", superuser=True)
    _user("vinhlong", so_vl, "officer", "Trần Thị", "Bình", "Chuyên viên phòng Quản lý công nghiệp")
    _user("vinhlong.lanhdao", so_vl, "approver", "Lê Văn", "Cường", "Phó Giám đốc Sở")
    _user("thainguyen", so_tn, "officer", "Nông Thị", "Thảo", "Chuyên viên")
    if minh_tam is not None:
        coso_org = _org(K.ESTABLISHMENT, minh_tam.name, minh_tam.commune, establishment=minh_tam)
        _user("coso", coso_org, "officer", "Nguyễn Thị", "Tâm", "Chủ cơ sở")
