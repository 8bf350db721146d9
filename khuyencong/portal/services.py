"""Writes of the portal: applications (create, edit, attach, the workflow steps), profile changes and
notifications. Every function is keyword-only, checks who acts (the establishment's own user, or an officer of
its province) and saves through core.audit.

An accepted application becomes a registered đề án of that year's plan through the projects services
(`project_create`, then the "Đăng ký đề án" step): the same checks (scope, caps, commune) as an officer's own.
"""

import datetime as dt
import os
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from khuyencong.beneficiaries import services as beneficiary_services
from khuyencong.catalog import selectors as catalog
from khuyencong.core.audit import save_audited
from khuyencong.core.concurrency import update_versioned
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.fields import parse_amount
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import Workflow, business_date, run_transition
from khuyencong.projects import services as project_services
from khuyencong.projects.models import AnnualPlan, Level, Project, Status

from . import workflow
from .models import Application, ApplicationStatus, ApplicationStep, Attachment, Notification, ProfileChange

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

S = ApplicationStatus
APPLICATION_WORKFLOW = Workflow(
    name="application",
    model_label="portal.application",
    transitions=workflow.TRANSITIONS,
    status_labels=dict(S.choices),
    field_labels=workflow.FIELD_LABELS,
    noun="đăng ký đề án",
    describe=lambda a: f"đăng ký số {a.pk}",
)
EDIT_FIELDS = (
    "year",
    "level",
    "content",
    "support_cap",
    "title",
    "description",
    "items",
    "requested",
    "counterpart",
    "start_date",
    "end_date",
)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_UPLOADS = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG"),
}
# What an establishment may propose to change in its own record (confirmed by the officer).
PROFILE_FIELDS = (
    "name",
    "business_reg_no",
    "representative_name",
    "street",
    "main_products",
    "employees",
    "phone",
    "email",
    "craft_village",
)


# ---------------------------------------------------------------------------------------------------- who


def own_establishment_id(user) -> int | None:
    """The establishment a portal user acts for (None for everybody else)."""
    scope = scope_for(user)
    return scope.establishment_id if scope.kind == "establishment" else None


def _require_own(actor, establishment_id: int) -> None:
    if own_establishment_id(actor) != establishment_id:
        raise NotAllowed("Chỉ tài khoản của chính cơ sở mới thực hiện được thao tác này.")


def _require_office(actor, province_id: int) -> None:
    scope = scope_for(actor)
    if scope.kind not in ("all", "province") or not scope.allows_province(province_id):
        raise NotAllowed("Đăng ký này không thuộc phạm vi quản lý của bạn.")


# ---------------------------------------------------------------------------------------------------- caps


def _money(value, label: str, field: str) -> int:
    if value in (None, ""):
        return 0
    try:
        amount = parse_amount(value)
    except DomainError as exc:
        raise DomainError(f"{label}: {exc.message}", field=field, code=exc.code)
    if amount < 0:
        raise DomainError(f"{label} không được âm.", field=field)
    return amount


def check_caps(*, year: int, level: str, content, support_cap=None, requested: int, counterpart: int) -> None:
    """Refuse a request above the support caps of the content, the level's source and the plan year, with
    the rule named (the projects check itself, on the đề án the application would become)."""
    if content is None or not requested:
        return
    plan = AnnualPlan(year=int(year), level=level)
    project = Project(plan=plan, content=content, support_cap=support_cap)
    public = catalog.funding_source_by_code(level)
    rows = [SimpleNamespace(source=public, requested=int(requested), approved=0)]
    if counterpart:
        rows.append(
            SimpleNamespace(
                source=catalog.funding_source_by_code("counterpart"), requested=int(counterpart), approved=0
            )
        )
    project_services.check_caps(project, rows, n_establishments=1)


def cap_message(data: dict) -> tuple[bool, str]:
    """(ok, message) for the live check while the establishment types."""
    try:
        check_caps(**data)
    except DomainError as exc:
        return False, exc.message
    return True, "Trong mức hỗ trợ tối đa."


# ---------------------------------------------------------------------------------------------------- writes


def _clean(changes: dict) -> dict:
    out = {}
    for key, value in changes.items():
        if key not in EDIT_FIELDS:
            raise DomainError(f"Không sửa được trường «{key}».")
        if key == "requested":
            value = _money(value, "Kinh phí đề nghị hỗ trợ", "requested")
        elif key == "counterpart":
            value = _money(value, "Vốn đối ứng", "counterpart")
        elif key == "level" and value not in Level.values:
            raise DomainError("Chọn cấp khuyến công.", field="level")
        out[key] = value
    return out


def _validate(app: Application) -> None:
    if not app.title:
        raise DomainError("Nhập tên đề án đề nghị.", field="title")
    if not 2000 <= int(app.year) <= 2100:
        raise DomainError(f"Năm kế hoạch không hợp lệ: {app.year}.", field="year")
    if app.start_date and app.end_date and app.end_date < app.start_date:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
    if app.support_cap_id and app.support_cap.content_id != app.content_id:
        raise DomainError("Nội dung chi không thuộc nội dung hoạt động đã chọn.", field="support_cap")
    check_caps(
        year=app.year,
        level=app.level,
        content=app.content,
        support_cap=app.support_cap,
        requested=app.requested,
        counterpart=app.counterpart,
    )


def application_create(*, actor: "User", data: dict, establishment=None, effective_date=None) -> Application:
    """A new draft application of the actor's own establishment — or, for an officer of its province, of
    `establishment` from a paper dossier (marked `entered_by_office`). Caps are checked (refused naming the
    rule)."""
    from khuyencong.beneficiaries.models import Establishment

    est_id = own_establishment_id(actor)
    on_paper = False
    if est_id is None:
        if establishment is None:
            raise NotAllowed("Chỉ tài khoản của cơ sở mới lập được đăng ký đề án trực tuyến.")
        _require_office(actor, establishment.province_id)
        est_id, on_paper = establishment.pk, True
    est = Establishment.objects.get(pk=est_id)
    fields = _clean(data)
    app = Application(establishment=est, province_id=est.province_id, entered_by_office=on_paper, **fields)
    if not app.level:
        app.level = Level.LOCAL
    day = business_date(effective_date, label="Ngày lập đăng ký")
    with transaction.atomic():
        _validate(app)
        save_audited(app, actor=actor, reason="Lập đăng ký đề án")
        _step(app, actor=actor, frm="", to=app.status, label="Lập đăng ký", day=day)
    return app


def _require_applicant(actor, app: Application) -> None:
    """The establishment itself, or the office for a paper dossier it entered."""
    if app.entered_by_office and own_establishment_id(actor) is None:
        _require_office(actor, app.province_id)
    else:
        _require_own(actor, app.establishment_id)


def application_update(
    *, actor: "User", application: Application, expected_version, changes: dict
) -> Application:
    _require_own(actor, application.establishment_id)
    if not application.editable:
        raise DomainError(f"Đăng ký đang ở trạng thái «{application.get_status_display()}»: không sửa được.")
    fields = _clean(changes)
    with transaction.atomic():
        updated = update_versioned(
            Application,
            pk=application.pk,
            expected_version=expected_version,
            changes=fields,
            actor=actor,
            reason="Sửa đăng ký đề án",
        )
        _validate(updated)
    return updated


def attachment_add(*, actor: "User", application: Application, kind: str, upload) -> Attachment:
    """One file: PDF, JPG or PNG (checked by its first bytes too), at most 10 MB."""
    _require_applicant(actor, application)
    if not application.editable:
        raise DomainError("Đăng ký đã gửi: không bổ sung tài liệu được.")
    if kind not in Attachment.Kind.values:
        raise DomainError("Chọn loại tài liệu.", field="kind")
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_UPLOADS:
        raise DomainError(f"Tệp «{name}»: chỉ nhận PDF, JPG hoặc PNG.", field="file", code="file_type")
    content_type, magic = ALLOWED_UPLOADS[ext]
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(magic):
        raise DomainError(
            f"Tệp «{name}» không đúng định dạng {ext[1:].upper()}.", field="file", code="file_type"
        )
    limit = getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if upload.size > limit:
        raise DomainError(
            f"Tệp «{name}» quá lớn ({upload.size // 1024} KB); tối đa {limit // (1024 * 1024)} MB.",
            field="file",
            code="file_size",
        )
    row = Attachment(
        application=application,
        kind=kind,
        original_name=name,
        size=upload.size,
        content_type=content_type,
        uploaded_by=actor,
    )
    row.file.save(f"{timezone.now():%Y%m%d%H%M%S%f}{ext}", upload, save=False)
    return save_audited(row, actor=actor, reason="Đính kèm tài liệu")


def _step(app, *, actor, frm, to, label, note="", changes=None, day=None) -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=app,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        effective_date=day or timezone.localdate(),
        from_status=frm,
        to_status=to,
        label=label,
        note=note,
        changes=changes or {},
    )


def notify(*, establishment_id: int, text: str, application: Application | None = None) -> Notification:
    return Notification.objects.create(establishment_id=establishment_id, application=application, text=text)


def _plan_unit(app: Application):
    """The province a plan of the application's year is filed on: the pre-2025 one while it was in force."""
    unit = app.establishment.commune
    while unit is not None and unit.parent_id is not None:
        unit = unit.parent
    if unit is not None and unit.is_valid_in_year(app.year):
        return unit
    return app.establishment.province


def plan_for(app: Application, *, actor) -> AnnualPlan:
    """The plan of the application's province, year and level (created, registered, when there is none)."""
    plans = list(
        AnnualPlan.objects.filter(province_id=app.province_id, year=app.year, level=app.level).order_by("pk")
    )
    if plans:
        return plans[0]
    return project_services.plan_create(
        actor=actor,
        unit=_plan_unit(app),
        year=app.year,
        level=app.level,
        note="Lập khi tiếp nhận đăng ký đề án trực tuyến của cơ sở.",
    )


def _register(app: Application, *, actor, plan: AnnualPlan | None, day: dt.date) -> Project:
    plan = plan or plan_for(app, actor=actor)
    if plan.province_id != app.province_id or plan.year != app.year or plan.level != app.level:
        raise DomainError("Kế hoạch đã chọn không cùng tỉnh, năm và cấp với đăng ký.", field="plan")
    funding = {app.level: {"requested": app.requested}}
    if app.counterpart:
        funding["counterpart"] = {"requested": app.counterpart}
    description = "\n\n".join(
        p for p in [app.description, app.items and f"Nội dung đầu tư: {app.items}"] if p
    )
    project = project_services.project_create(
        actor=actor,
        plan=plan,
        code=project_services.next_code(plan),
        title=app.title,
        content=app.content,
        support_cap=app.support_cap,
        establishments=[app.establishment],
        commune=app.establishment.commune,
        start_date=app.start_date,
        end_date=app.end_date,
        description=description,
        funding=funding,
        note=f"Từ đăng ký đề án trực tuyến số {app.pk} của cơ sở",
        effective_date=day,
    )
    return project_services.project_transition(
        project=project,
        actor=actor,
        to_status=Status.REGISTERED,
        expected_version=project.version,
        effective_date=day,
        note=f"Tiếp nhận đăng ký trực tuyến số {app.pk}",
    )


def application_transition(
    *,
    actor: "User",
    application: Application,
    to_status: str,
    expected_version,
    note: str = "",
    plan: AnnualPlan | None = None,
    effective_date=None,
) -> Application:
    """One step of the table in workflow.py; the establishment is notified of every office step."""
    created: dict = {}

    def check_rule(app, rule):
        if rule["who"] == "establishment":
            _require_applicant(actor, app)
        else:
            _require_office(actor, app.province_id)

    def apply(app, frm, to, data, day):
        if to == S.SUBMITTED:
            needs_quote = app.content.code == "3" and not app.entered_by_office  # paper: the office holds it
            if needs_quote and not app.attachments.filter(kind=Attachment.Kind.QUOTATION).exists():
                raise DomainError("Đăng ký máy móc, thiết bị cần kèm ít nhất một báo giá.", field="file")
            _validate(app)
            app.submitted_on = day
        elif to == S.RETURNED:
            app.officer_comment = data["note"]
            app.decided_on = day
        elif to == S.REJECTED:
            app.reject_reason = data["note"]
            app.decided_on = day
        elif to == S.ACCEPTED:
            app.project = _register(app, actor=actor, plan=plan, day=day)
            app.officer_comment = data.get("note") or app.officer_comment
            app.decided_on = day
            created["project"] = app.project

    def record(step):
        app = step.instance
        _step(
            app,
            actor=actor,
            frm=step.frm,
            to=step.to,
            label=step.rule["label"],
            note=note,
            changes=step.changes,
            day=step.effective_date,
        )
        if step.rule["who"] == "office":
            text = f"Đăng ký «{app.title}»: {step.rule['label'].lower()}"
            if step.to == S.ACCEPTED:
                text += f" — đề án {app.project.code} của {app.project.plan}"
            if note:
                text += f". Ý kiến: {note}"
            notify(establishment_id=app.establishment_id, application=app, text=text)

    return run_transition(
        workflow=APPLICATION_WORKFLOW,
        queryset=Application.objects.select_related("establishment", "content", "support_cap"),
        pk=application.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data={"note": note},
        tracked=["officer_comment", "reject_reason", "submitted_on", "decided_on", "project_id"],
        check_rule=check_rule,
        apply=apply,
        record=record,
    )


# ---------------------------------------------------------------------------------------------------- profile


def profile_change_propose(*, actor: "User", changes: dict) -> ProfileChange:
    """The establishment proposes changes to its own record; nothing changes until an officer confirms."""
    from khuyencong.beneficiaries.models import Establishment

    est_id = own_establishment_id(actor)
    if est_id is None:
        raise NotAllowed("Chỉ tài khoản của cơ sở mới đề nghị sửa hồ sơ của mình.")
    est = Establishment.objects.get(pk=est_id)
    diff = {}
    for key, value in changes.items():
        if key not in PROFILE_FIELDS:
            raise DomainError(f"Không đề nghị sửa được trường «{key}».")
        before = getattr(est, key)
        if value in ("", None) and before in ("", None):
            continue
        if str(before if before is not None else "") != str(value if value is not None else ""):
            diff[key] = [before, value]
    if not diff:
        raise DomainError("Không có thay đổi nào so với hồ sơ hiện tại.")
    row = ProfileChange(establishment=est, proposed_by=actor, changes=diff)
    return save_audited(row, actor=actor, reason="Cơ sở đề nghị sửa hồ sơ")


def profile_change_decide(
    *, actor: "User", change: ProfileChange, confirm: bool, note: str = ""
) -> ProfileChange:
    """The officer confirms (the record is updated through the beneficiaries service, audited) or rejects."""
    _require_office(actor, change.establishment.province_id)
    with transaction.atomic():
        locked = ProfileChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != ProfileChange.State.PENDING:
            raise DomainError("Đề nghị này đã được xử lý.")
        if confirm:
            est = locked.establishment
            beneficiary_services.establishment_update(
                actor=actor,
                pk=est.pk,
                expected_version=est.version,
                changes={k: v[1] for k, v in locked.changes.items()},
                reason=f"Xác nhận đề nghị sửa hồ sơ số {locked.pk} của cơ sở",
            )
        locked.state = ProfileChange.State.CONFIRMED if confirm else ProfileChange.State.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.note = note
        save_audited(locked, actor=actor, reason="Xử lý đề nghị sửa hồ sơ")
        notify(
            establishment_id=locked.establishment_id,
            text=f"Đề nghị sửa hồ sơ số {locked.pk}: {locked.get_state_display().lower()}"
            + (f". Ý kiến: {note}" if note else ""),
        )
    return locked
