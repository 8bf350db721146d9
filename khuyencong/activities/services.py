"""Writes on activities: create and edit an activity, move it along its workflow (planned → held → reported),
its participations (with support per source), trainees, attendees, information pieces and energy audits /
cleaner-production assessments. Every write checks the actor's role and scope and is saved with its history
(who, when, why) through core.audit."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction

from khuyencong.core.audit import delete_audited, save_audited
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.core.permissions import can_edit, require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import run_transition

from . import workflow
from .models import (
    ASSESSMENT_GROUPS,
    ATTENDEE_GROUPS,
    PARTICIPANT_GROUPS,
    TRAINEE_GROUPS,
    Activity,
    ActivityStatus,
    ActivityStep,
    Assessment,
    Attendee,
    EnergyFactor,
    InfoPiece,
    KindGroup,
    Participation,
    ParticipationSupport,
    Trainee,
)

TWO = Decimal("0.01")

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "start_date",
    "end_date",
    "unit",
    "place",
    "venue",
    "organiser",
    "organiser_name",
    "funding_project",
    "content",
    "description",
    "trainees_total",
    "trainees_female",
    "trainees_ethnic",
    "certificates",
    "employed_count",
    "employed_on",
    "note",
)
COUNT_FIELDS = ("trainees_total", "trainees_female", "trainees_ethnic", "certificates", "employed_count")


def _authenticated(actor) -> bool:
    return getattr(actor, "is_authenticated", False)


# ------------------------------------------------------------------------------------------------- scope


def manages(user, activity: Activity) -> bool:
    """Whether `user` may edit `activity`: an editor whose scope holds the activity's unit (the Cục every one;
    a Sở / TTKC its province's; a commune office its own units')."""
    if not can_edit(user):
        return False
    scope = scope_for(user)
    if scope.kind == "all":
        return True
    if scope.kind == "province":
        return activity.province_id == scope.province_id
    if scope.kind == "units":
        return activity.unit_id in scope.unit_ids
    return False


def require_manager(user, activity: Activity) -> None:
    if not manages(user, activity):
        raise NotAllowed(f"Bạn không quản lý hoạt động «{activity.title}».")


def _visible_establishment(actor, establishment, *, field: str = "establishment"):
    from khuyencong.beneficiaries.selectors import establishment_list_for

    if establishment is None:
        raise DomainError("Chọn cơ sở.", field=field)
    if _authenticated(actor) and not establishment_list_for(user=actor).filter(pk=establishment.pk).exists():
        # An error never names a record outside the reader's scope.
        raise DomainError("Không có cơ sở này trong phạm vi của bạn.", field=field)
    return establishment


def _require_group(activity: Activity, groups, what: str) -> None:
    if activity.kind.group not in groups:
        raise DomainError(f"Hoạt động loại «{activity.kind.name}» không có {what}.")


# ------------------------------------------------------------------------------------------------ activity


def _check_activity(a: Activity) -> None:
    from khuyencong.catalog.selectors import activity_content_by_code

    if not (a.title or "").strip():
        raise DomainError("Nhập tên hoạt động.", field="title")
    if a.start_date is None:
        raise DomainError("Nhập ngày bắt đầu.", field="start_date")
    if a.end_date is None:
        a.end_date = a.start_date
    if a.end_date < a.start_date:
        raise DomainError(
            f"Ngày kết thúc ({a.end_date:%d/%m/%Y}) không được trước ngày bắt đầu ({a.start_date:%d/%m/%Y}).",
            field="end_date",
        )
    if a.unit_id is None:
        raise DomainError("Chọn địa phương thực hiện.", field="unit")
    if a.content_id is None:
        content = activity_content_by_code(a.kind.content_code, on=a.start_date)
        if content is None:
            raise DomainError("Chọn nội dung khuyến công.", field="content")
        a.content = content
    for name in COUNT_FIELDS:
        value = getattr(a, name)
        if value is not None and value < 0:
            raise DomainError("Số lượng không được âm.", field=name)
    total = a.trainees_total
    for name, label in (("trainees_female", "Học viên nữ"), ("trainees_ethnic", "Học viên dân tộc thiểu số")):
        value = getattr(a, name)
        if value is not None and total is not None and value > total:
            raise DomainError(f"{label} ({value}) nhiều hơn số học viên ({total}).", field=name)
    if a.employed_count is not None and total is not None and a.employed_count > total:
        raise DomainError(
            f"Số có việc làm ({a.employed_count}) nhiều hơn số học viên ({total}).", field="employed_count"
        )
    if a.employed_count is not None and a.employed_on is None:
        raise DomainError("Nhập ngày theo dõi việc làm sau đào tạo.", field="employed_on")
    if a.employed_on is not None and a.employed_on < a.end_date:
        raise DomainError("Ngày theo dõi việc làm phải sau khi kết thúc lớp.", field="employed_on")
    project = a.funding_project
    if (
        project is not None
        and project.province_id
        and project.province_id != (a.unit.current_province_id or a.unit_id)
    ):
        raise DomainError(
            f"Đề án «{project.code}» thuộc tỉnh khác với địa phương thực hiện hoạt động.",
            field="funding_project",
        )


def activity_create(*, actor, **fields) -> Activity:
    """A new activity (planned). The content defaults to the kind's; the organiser to the actor's
    organisation."""
    require_edit(actor, "lập hoạt động khuyến công")
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise DomainError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    if fields.get("kind") is None:
        raise DomainError("Chọn loại hoạt động.", field="kind")
    a = Activity(**{k: v for k, v in fields.items() if v is not None or k in COUNT_FIELDS})
    if a.organiser_id is None and _authenticated(actor) and actor.organisation_id:
        a.organiser = actor.organisation
    if not a.organiser_name and a.organiser_id:
        a.organiser_name = a.organiser.name
    _check_activity(a)
    a.province_id = a.unit.current_province_id or a.unit_id
    if not manages(actor, a):
        raise NotAllowed("Bạn chỉ lập được hoạt động của địa phương mình.")
    with transaction.atomic():
        return save_audited(a, actor=actor, reason="Lập hoạt động")


def activity_update(*, actor, activity: Activity, expected_version, changes: dict) -> Activity:
    """Edit an activity's fields (not its status) with the version the actor saw (stale: 409)."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise DomainError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        a = Activity.objects.select_for_update().select_related("kind", "unit").get(pk=activity.pk)
        require_manager(actor, a)
        if expected_version in (None, "") or int(expected_version) != a.version:
            raise ConcurrentEditError()
        for key, value in changes.items():
            setattr(a, key, value)
        _check_activity(a)
        a.province_id = a.unit.current_province_id or a.unit_id
        if not manages(actor, a):
            raise NotAllowed("Bạn chỉ quản lý được hoạt động của địa phương mình.")
        a.version += 1
        return save_audited(a, actor=actor, reason="Sửa hoạt động")


def activity_transition(
    *, actor, activity: Activity, to_status: str, expected_version, effective_date=None, result_note: str = ""
) -> Activity:
    """Move an activity along the table (workflow.py). «Đã tổ chức» is dated by the minutes (default: the
    activity's last day when it is past); reports count the activity on that date."""
    if effective_date in (None, "") and to_status == ActivityStatus.HELD:
        from django.utils import timezone

        if activity.end_date <= timezone.localdate():
            effective_date = activity.end_date

    def authorize(a):
        require_manager(actor, a)

    def previous(a):
        return a.status_date or (a.start_date if to_status == ActivityStatus.HELD else None)

    def apply(a, frm, to, data, day):
        a.status_date = day
        if to == ActivityStatus.HELD:
            a.held_on = day
        elif to == ActivityStatus.REPORTED:
            a.reported_on = day
            if result_note:
                a.result_note = result_note

    def record(step):
        ActivityStep.objects.create(
            activity=step.instance,
            actor=actor if _authenticated(actor) else None,
            effective_date=step.effective_date,
            from_status=step.frm,
            to_status=step.to,
            label=step.rule["label"],
            changes=step.changes,
        )

    return run_transition(
        workflow=workflow.WORKFLOW,
        queryset=Activity.objects.select_related("kind", "unit"),
        pk=activity.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data={},
        tracked=["held_on", "reported_on"],
        authorize=authorize,
        previous_date=previous,
        apply=apply,
        record=record,
    )


# ------------------------------------------------------------------------------------------ participations


def _money(value, *, label: str, field: str) -> int:
    from khuyencong.core.fields import parse_amount

    if value in (None, ""):
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        amount = value
    else:
        try:
            amount = parse_amount(value)
        except DomainError as exc:
            raise DomainError(f"{label}: {exc.message}", field=field)
    if amount < 0:
        raise DomainError(f"{label} không được âm.", field=field)
    return amount


def _whole(value, *, label: str, field: str) -> int:
    """A whole quantity (kWh, people) typed with or without thousands dots: "2.500.000", 2500000."""
    if isinstance(value, bool):
        raise DomainError(f"{label}: không phải là số.", field=field)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value).strip().replace(".", "").replace(" ", "")
        if not text.isdigit():
            raise DomainError(f"{label}: «{value}» không phải là số nguyên.", field=field)
        number = int(text)
    if number < 0:
        raise DomainError(f"{label} không được âm.", field=field)
    return number


def participation_add(
    *,
    actor,
    activity: Activity,
    establishment,
    booths=0,
    products: str = "",
    contracts=0,
    contract_value=0,
    sales=0,
    support: dict | None = None,
    note: str = "",
    check_scope: bool = True,
) -> Participation:
    """One establishment at a fair (or consulted): a «lượt cơ sở». `support`: {funding source code: đồng}."""
    from khuyencong.catalog.models import FundingSource

    require_manager(actor, activity)
    _require_group(activity, PARTICIPANT_GROUPS, "cơ sở tham gia")
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError("Hoạt động đã hủy.")
    if check_scope:
        _visible_establishment(actor, establishment)
    if Participation.objects.filter(activity=activity, establishment=establishment).exists():
        raise DomainError(
            f"Cơ sở «{establishment.name}» đã có trong danh sách tham gia.", field="establishment"
        )
    try:
        booths = int(booths or 0)
        contracts = int(contracts or 0)
    except (TypeError, ValueError):
        raise DomainError("Số gian hàng, số hợp đồng phải là số nguyên.", field="booths")
    if booths < 0 or booths > 1000:
        raise DomainError("Số gian hàng phải từ 0 đến 1.000.", field="booths")
    if contracts < 0:
        raise DomainError("Số hợp đồng không được âm.", field="contracts")
    p = Participation(
        activity=activity,
        establishment=establishment,
        booths=booths,
        products=products or "",
        contracts=contracts,
        contract_value=_money(contract_value, label="Giá trị hợp đồng", field="contract_value"),
        sales=_money(sales, label="Doanh số", field="sales"),
        note=note or "",
    )
    with transaction.atomic():
        save_audited(p, actor=actor, reason="Thêm cơ sở tham gia")
        for code, amount in (support or {}).items():
            amount = _money(amount, label="Kinh phí hỗ trợ", field=f"support_{code}")
            if not amount:
                continue
            source = FundingSource.objects.filter(code=code).first()
            if source is None:
                raise DomainError(f"Không có nguồn kinh phí «{code}».", field="support")
            save_audited(
                ParticipationSupport(participation=p, source=source, amount=amount),
                actor=actor,
                reason="Kinh phí hỗ trợ tham gia",
            )
    return p


def participation_remove(*, actor, participation: Participation) -> None:
    require_manager(actor, participation.activity)
    with transaction.atomic():
        for s in participation.supports.all():
            delete_audited(s, actor=actor, reason="Bỏ cơ sở khỏi danh sách tham gia")
        delete_audited(participation, actor=actor, reason="Bỏ cơ sở khỏi danh sách tham gia")


# ----------------------------------------------------------------------------------------------- trainees


def trainees_add(*, actor, activity: Activity, rows: list[dict], reason: str = "Nhập danh sách học viên"):
    """Named trainees (each a dict of Trainee fields); the class's counts are set from the whole list."""
    require_manager(actor, activity)
    _require_group(activity, TRAINEE_GROUPS, "học viên")
    with transaction.atomic():
        for row in rows:
            save_audited(Trainee(activity=activity, **row), actor=actor, reason=reason)
        return counts_from_trainees(actor=actor, activity=activity, reason=reason)


def counts_from_trainees(*, actor, activity: Activity, reason: str) -> Activity:
    a = Activity.objects.select_for_update().get(pk=activity.pk)
    qs = a.trainees.all()
    a.trainees_total = qs.count()
    a.trainees_female = qs.filter(sex=Trainee.Sex.FEMALE).count()
    a.trainees_ethnic = qs.filter(ethnic_minority=True).count()
    a.certificates = qs.exclude(certificate_no="").count()
    if qs.filter(employed__isnull=False).exists():
        a.employed_count = qs.filter(employed=True).count()
        if a.employed_on is None:
            a.employed_on = max(a.end_date, a.held_on or a.end_date)
    a.version += 1
    return save_audited(a, actor=actor, reason=reason)


def attendee_add(*, actor, activity: Activity, organisation: str, count=1, establishment=None) -> Attendee:
    require_manager(actor, activity)
    _require_group(activity, ATTENDEE_GROUPS, "đại biểu, thành viên đoàn")
    if not (organisation or "").strip():
        raise DomainError("Nhập cơ quan, đơn vị.", field="organisation")
    if establishment is not None:
        _visible_establishment(actor, establishment)
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise DomainError("Số người phải là số nguyên.", field="count")
    if count < 1:
        raise DomainError("Số người phải ít nhất là 1.", field="count")
    return save_audited(
        Attendee(
            activity=activity, organisation=organisation.strip(), count=count, establishment=establishment
        ),
        actor=actor,
        reason="Thêm đại biểu",
    )


def info_piece_add(
    *, actor, activity: Activity, kind: str, title: str, medium: str, published_on, copies=None
):
    require_manager(actor, activity)
    _require_group(activity, {KindGroup.INFORMATION}, "tin, bài")
    if kind not in InfoPiece.Kind.values:
        raise DomainError("Chọn loại tin, bài.", field="kind")
    if not (title or "").strip():
        raise DomainError("Nhập tiêu đề.", field="title")
    if not (medium or "").strip():
        raise DomainError("Nhập cơ quan báo, đài.", field="medium")
    if not isinstance(published_on, dt.date):
        raise DomainError("Nhập ngày đăng, phát sóng.", field="published_on")
    return save_audited(
        InfoPiece(
            activity=activity,
            kind=kind,
            title=title.strip(),
            medium=medium.strip(),
            published_on=published_on,
            copies=copies,
        ),
        actor=actor,
        reason="Thêm tin, bài",
    )


# -------------------------------------------------------------------------------------------- assessments


def _dec(value, *, label: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = (
            Decimal(str(value).strip().replace(".", "").replace(",", "."))
            if isinstance(value, str)
            else (Decimal(str(value)))
        )
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}: «{value}» không phải là số.", field=field)
    if not number.is_finite() or number < 0:
        raise DomainError(f"{label} phải là số không âm.", field=field)
    return number


def assessment_save(
    *,
    actor,
    activity: Activity,
    establishment,
    assessed_on: dt.date,
    baseline_kwh=None,
    baseline_toe=None,
    factor: EnergyFactor | None = None,
    measures_proposed: str = "",
    measures_adopted: str = "",
    expected_kwh=0,
    expected_money=0,
    investment=0,
    verified_on: dt.date | None = None,
    verified_kwh=None,
    verified_money=None,
    payback_years=None,
) -> Assessment:
    """An energy audit / cleaner-production assessment of one establishment. TOE and tCO₂e are computed from
    kWh by the catalogue's factor (a TOE figure given directly is kept); payback = investment / yearly saving
    in money when not given."""
    require_manager(actor, activity)
    _require_group(activity, ASSESSMENT_GROUPS, "kết quả kiểm toán, đánh giá")
    _visible_establishment(actor, establishment)
    factor = factor or EnergyFactor.objects.get(code="dien")
    kwh = (
        None
        if baseline_kwh in (None, "")
        else _whole(baseline_kwh, label="Tiêu thụ (kWh/năm)", field="baseline_kwh")
    )
    toe = _dec(baseline_toe, label="Tiêu thụ (TOE/năm)", field="baseline_toe")
    if toe is None:
        if kwh is None:
            raise DomainError(
                "Nhập mức tiêu thụ năng lượng trước (kWh/năm hoặc TOE/năm).", field="baseline_kwh"
            )
        toe = (Decimal(kwh) * factor.toe_per_unit).quantize(TWO, rounding=ROUND_HALF_UP)
    e_kwh = _whole(expected_kwh or 0, label="Tiết kiệm dự kiến (kWh)", field="expected_kwh")
    v_kwh = (
        None
        if verified_kwh in (None, "")
        else _whole(verified_kwh, label="Tiết kiệm thực tế", field="verified_kwh")
    )
    if kwh is not None and e_kwh > kwh:
        raise DomainError("Tiết kiệm dự kiến lớn hơn mức tiêu thụ trước.", field="expected_kwh")
    if verified_on is not None and verified_on < assessed_on:
        raise DomainError("Ngày xác nhận kết quả phải sau ngày kiểm toán, đánh giá.", field="verified_on")
    e_money = _money(expected_money, label="Tiết kiệm dự kiến (đồng)", field="expected_money")
    invest = _money(investment, label="Vốn đầu tư", field="investment")
    payback = _dec(payback_years, label="Thời gian hoàn vốn", field="payback_years")
    if payback is None and invest and e_money:
        payback = (Decimal(invest) / Decimal(e_money)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    a = Assessment.objects.filter(activity=activity, establishment=establishment).first() or Assessment(
        activity=activity, establishment=establishment
    )
    a.assessed_on, a.factor, a.baseline_kwh, a.baseline_toe = assessed_on, factor, kwh, toe
    a.measures_proposed, a.measures_adopted = measures_proposed or "", measures_adopted or ""
    a.expected_kwh = e_kwh
    a.expected_toe = (Decimal(e_kwh) * factor.toe_per_unit).quantize(TWO, rounding=ROUND_HALF_UP)
    a.expected_co2 = (Decimal(e_kwh) * factor.co2_per_unit).quantize(TWO, rounding=ROUND_HALF_UP)
    a.expected_money, a.investment, a.payback_years = e_money, invest, payback
    a.verified_on, a.verified_kwh = verified_on, v_kwh
    a.verified_money = (
        None
        if verified_money in (None, "")
        else _money(verified_money, label="Tiết kiệm thực tế (đồng)", field="verified_money")
    )
    if v_kwh is not None:
        a.verified_toe = (Decimal(v_kwh) * factor.toe_per_unit).quantize(TWO, rounding=ROUND_HALF_UP)
        a.verified_co2 = (Decimal(v_kwh) * factor.co2_per_unit).quantize(TWO, rounding=ROUND_HALF_UP)
    if a.pk:
        a.version += 1
    with transaction.atomic():
        return save_audited(a, actor=actor, reason="Kết quả kiểm toán năng lượng, đánh giá SXSH")
