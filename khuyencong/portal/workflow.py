"""An online application's lifecycle as one table for the shared engine (core.workflow).

draft → submitted (the establishment) → returned with comments (the officer) → submitted again …;
submitted → rejected with a reason the establishment sees, or → accepted: the application becomes a
registered đề án of that year's plan (services.application_transition).
`who` says which side acts: "establishment" (its own user) or "office" (an officer of the province).
"""

from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER, VIEWER

from .models import ApplicationStatus as S

ESTABLISHMENT_ROLES = frozenset({VIEWER, OFFICER})
OFFICE_ROLES = frozenset({OFFICER, APPROVER, ADMIN})

TRANSITIONS: dict[tuple[str, str], dict] = {
    (S.DRAFT, S.SUBMITTED): {
        "roles": ESTABLISHMENT_ROLES,
        "who": "establishment",
        "requires": [],
        "label": "Gửi đăng ký",
        "waits": "cơ sở gửi đăng ký",
    },
    (S.RETURNED, S.SUBMITTED): {
        "roles": ESTABLISHMENT_ROLES,
        "who": "establishment",
        "requires": [],
        "label": "Gửi lại sau khi bổ sung",
        "waits": "cơ sở bổ sung, gửi lại",
    },
    (S.SUBMITTED, S.RETURNED): {
        "roles": OFFICE_ROLES,
        "who": "office",
        "requires": ["note"],
        "label": "Trả lại để bổ sung",
        "waits": "cán bộ xem xét",
    },
    (S.SUBMITTED, S.REJECTED): {
        "roles": OFFICE_ROLES,
        "who": "office",
        "requires": ["note"],
        "label": "Không chấp nhận",
        "waits": "cán bộ xem xét",
    },
    (S.SUBMITTED, S.ACCEPTED): {
        "roles": OFFICE_ROLES,
        "who": "office",
        "requires": [],
        "label": "Tiếp nhận thành đề án đăng ký",
        "waits": "cán bộ xem xét",
    },
}
FIELD_LABELS = {"note": "Ý kiến, lý do", "officer_comment": "Ý kiến của cán bộ", "reject_reason": "Lý do"}
