from django.conf import settings

from .scoping import scope_for

NAV = [
    ("home", "Tổng quan", "/"),
    ("beneficiaries", "Cơ sở CNNT", "/establishments/"),
    ("programs", "Chương trình", "/programs/"),
    ("projects", "Kế hoạch & đề án", "/projects/"),
    ("reports", "Báo cáo", "/reports/"),
    ("catalog", "Danh mục", "/catalog/"),
    ("geo", "Đơn vị hành chính", "/admin-units/"),
]


def layout(request):
    user = getattr(request, "user", None)
    unit = None
    if user is not None and user.is_authenticated and user.organisation_id:
        unit = user.organisation.unit
    path = request.path
    active = next((key for key, _, url in reversed(NAV) if url != "/" and path.startswith(url)), "home" if path == "/" else "")
    return {
        "nav_items": NAV,
        "nav_active": active,
        "user_unit": unit,
        "user_scope": scope_for(user) if user is not None else None,
        "app_name": "Khuyến công",
        "DEBUG": settings.DEBUG,
    }
