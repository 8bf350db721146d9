from django.conf import settings

from .scoping import scope_for

NAV = [
    ("home", "Tổng quan", "/"),
    ("beneficiaries", "Cơ sở CNNT", "/establishments/"),
    ("programs", "Chương trình", "/programs/"),
    ("projects", "Kế hoạch & đề án", "/projects/"),
    ("reports", "Báo cáo", "/reports/"),
    ("awards", "Bình chọn sản phẩm", "/awards/"),
    ("loans", "Vốn có hoàn trả", "/loans/"),
    ("clusters", "Cụm công nghiệp", "/clusters/"),
    ("rankings", "Đánh giá, xếp hạng", "/rankings/"),
    ("activities", "Hội chợ, đào tạo", "/activities/"),
    ("portal", "Cổng cơ sở, đăng ký trực tuyến", "/portal/"),
    ("surveys", "Khảo sát nhu cầu", "/surveys/"),
    ("catalog", "Danh mục", "/catalog/"),
    ("geo", "Đơn vị hành chính", "/admin-units/"),
]


def layout(request):
    user = getattr(request, "user", None)
    unit = None
    if user is not None and user.is_authenticated and user.organisation_id:
        unit = user.organisation.unit
    path = request.path
    active = next(
        (
            key
            for key, _, url in reversed([*NAV, ("accounts", "", "/accounts/")])
            if url != "/" and path.startswith(url)
        ),
        "home" if path == "/" else "",
    )
    nav = NAV
    if (
        user is not None
        and user.is_authenticated
        and getattr(user, "role", None) == "admin"
        and user.organisation_id
        and user.organisation.kind in ("ministry", "department")
    ):
        nav = [*NAV, ("accounts", "Người dùng", "/accounts/users/")]
    scope = scope_for(user) if user is not None else None
    if scope is not None and scope.kind == "establishment":
        # The yearly assessment of provinces is no establishment's business (its page answers 404 to them).
        nav = [item for item in nav if item[0] != "rankings"]
    return {
        "nav_items": nav,
        "nav_active": active,
        "user_unit": unit,
        "user_scope": scope,
        "app_name": "Khuyến công",
        "DEBUG": settings.DEBUG,
    }
