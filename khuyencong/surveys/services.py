"""Writes of the demand surveys: campaigns and their questionnaire, invitations, answers (the
establishment's own, or a paper form entered by an officer — marked so), and the one-step conversion of
selected answers into registered đề án of the campaign's plan (through the projects services, linked back
to the answer)."""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from khuyencong.catalog import selectors as catalog
from khuyencong.core.audit import save_audited
from khuyencong.core.bulk import rows_inserted
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.fields import parse_amount, parse_business_date
from khuyencong.core.money import parse_number
from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER, require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import Workflow, business_date, run_transition
from khuyencong.projects import services as project_services
from khuyencong.projects.models import AnnualPlan, Project, Status

from .models import Answer, Campaign, CampaignStatus, Invitation, Question, Response

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

OFFICE = frozenset({OFFICER, APPROVER, ADMIN})
CAMPAIGN_WORKFLOW = Workflow(
    name="survey-campaign",
    model_label="surveys.campaign",
    transitions={
        (CampaignStatus.DRAFT, CampaignStatus.OPEN): {"roles": OFFICE, "label": "Bắt đầu nhận phiếu"},
        (CampaignStatus.OPEN, CampaignStatus.CLOSED): {"roles": OFFICE, "label": "Kết thúc khảo sát"},
        (CampaignStatus.CLOSED, CampaignStatus.OPEN): {
            "roles": OFFICE,
            "label": "Mở lại khảo sát",
            "requires": ["note"],
        },
    },
    status_labels=dict(CampaignStatus.choices),
    noun="đợt khảo sát",
    describe=lambda c: f"đợt khảo sát «{c.title}»",
)

CONTENT_CHOICES = [
    ["1", "1. Đào tạo nghề, truyền nghề"],
    ["2", "2. Nâng cao năng lực quản lý, sản xuất sạch hơn"],
    ["3", "3. Mô hình trình diễn, ứng dụng máy móc thiết bị"],
    ["4", "4. Phát triển sản phẩm CNNT tiêu biểu (bình chọn, hội chợ, thương hiệu)"],
    ["5", "5. Tư vấn, trợ giúp"],
    ["6", "6. Thông tin, tuyên truyền"],
    ["7", "7. Liên kết, cụm công nghiệp"],
]
# The standard questionnaire (a campaign may add or drop questions: they are data).
Q, R = Question.Kind, Question.Role
DEFAULT_QUESTIONS = [
    ("noi_dung", "Nội dung cơ sở cần hỗ trợ", Q.CHOICE, CONTENT_CHOICES, True, R.CONTENT),
    ("nhu_cau", "Cụ thể cần hỗ trợ gì (máy móc, thiết bị, đào tạo…)?", Q.TEXT, [], True, R.TITLE),
    ("kinh_phi", "Kinh phí đề nghị hỗ trợ", Q.MONEY, [], True, R.AMOUNT),
    ("doi_ung", "Vốn đối ứng cơ sở có thể bỏ ra", Q.MONEY, [], False, R.COUNTERPART),
    ("san_pham", "Sản phẩm chính", Q.TEXT, [], False, ""),
    ("lao_dong", "Số lao động hiện có", Q.NUMBER, [], False, ""),
    ("dao_tao", "Số lao động cần đào tạo nghề", Q.NUMBER, [], False, ""),
    (
        "hoi_cho",
        "Có muốn tham gia hội chợ, triển lãm?",
        Q.CHOICE,
        [["co", "Có"], ["khong", "Không"]],
        False,
        "",
    ),
]


def _require_office(actor, province_id: int) -> None:
    require_edit(actor, "quản lý khảo sát nhu cầu")
    scope = scope_for(actor)
    if scope.kind not in ("all", "province") or not scope.allows_province(province_id):
        raise NotAllowed("Đợt khảo sát này không thuộc phạm vi quản lý của bạn.")


def campaign_create(
    *,
    actor: "User | None",
    unit,
    title: str,
    plan_year: int,
    opens_on,
    closes_on,
    level: str = "local",
    note: str = "",
    questions: Iterable | None = None,
) -> Campaign:
    """A campaign in status draft with its questionnaire (the standard one unless `questions` is given:
    (code, text, kind, choices, required, role) rows)."""
    if actor is not None:
        _require_office(actor, unit.current_province_id or unit.id)
    if not title:
        raise DomainError("Nhập tên đợt khảo sát.", field="title")
    if unit.level != 1:
        raise DomainError("Đợt khảo sát lập theo tỉnh.", field="unit")
    opens = (
        parse_business_date(opens_on, label="ngày bắt đầu nhận phiếu", allow_future=True)
        if opens_on
        else None
    )
    closes = (
        parse_business_date(closes_on, label="ngày kết thúc nhận phiếu", allow_future=True)
        if closes_on
        else None
    )
    if opens is None or closes is None or closes < opens:
        raise DomainError("Ngày kết thúc nhận phiếu phải sau ngày bắt đầu.", field="closes_on")
    with transaction.atomic():
        c = save_audited(
            Campaign(
                unit=unit,
                title=title,
                plan_year=int(plan_year),
                level=level,
                opens_on=opens,
                closes_on=closes,
                note=note,
            ),
            actor=actor,
            reason="Lập đợt khảo sát",
        )
        for i, (code, text, kind, choices, required, role) in enumerate(questions or DEFAULT_QUESTIONS, 1):
            question_add(
                actor=actor,
                campaign=c,
                order=i,
                code=code,
                text=text,
                kind=kind,
                choices=choices,
                required=required,
                role=role,
            )
    return c


def question_add(
    *,
    actor,
    campaign: Campaign,
    order: int,
    code: str,
    text: str,
    kind: str,
    choices=(),
    required: bool = False,
    role: str = "",
) -> Question:
    if actor is not None:
        _require_office(actor, campaign.province_id)
    if kind not in Question.Kind.values:
        raise DomainError(f"Loại câu hỏi không hợp lệ: «{kind}».", field="kind")
    if kind == Question.Kind.CHOICE and not choices:
        raise DomainError("Câu hỏi chọn một cần có các lựa chọn.", field="choices")
    if Response.objects.filter(invitation__campaign=campaign).exists():
        raise DomainError("Đợt khảo sát đã có phiếu trả lời: không đổi bộ câu hỏi được.")
    return save_audited(
        Question(
            campaign=campaign,
            order=order,
            code=code,
            text=text,
            kind=kind,
            choices=[list(c) for c in choices],
            required=required,
            role=role or "",
        ),
        actor=actor,
        reason="Thêm câu hỏi khảo sát",
    )


def campaign_transition(
    *, actor, campaign: Campaign, to_status: str, expected_version, note: str = "", effective_date=None
) -> Campaign:
    return run_transition(
        workflow=CAMPAIGN_WORKFLOW,
        queryset=Campaign.objects.all(),
        pk=campaign.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data={"note": note},
        authorize=lambda c: _require_office(actor, c.province_id),
    )


def invitations_create(
    *,
    actor,
    campaign: Campaign,
    communes: Iterable = (),
    sectors: Iterable = (),
    types: Iterable = (),
    establishments: Iterable = (),
    invited_on=None,
) -> int:
    """Invite the campaign province's establishments matching every given filter (communes — old or current,
    sectors, establishment types) or the listed ones; already-invited ones are skipped. Returns how many
    were invited."""
    from khuyencong.beneficiaries.models import Establishment

    if actor is not None:
        _require_office(actor, campaign.province_id)
    day = invited_on or timezone.localdate()
    qs = Establishment.objects.filter(province_id=campaign.province_id)
    commune_ids = [getattr(c, "pk", c) for c in communes]
    if commune_ids:
        qs = qs.filter(commune_id__in=commune_ids)
    sector_ids = [getattr(s, "pk", s) for s in sectors]
    if sector_ids:
        qs = qs.filter(sector_id__in=sector_ids)
    type_ids = [getattr(t, "pk", t) for t in types]
    if type_ids:
        qs = qs.filter(establishment_type_id__in=type_ids)
    est_ids = [getattr(e, "pk", e) for e in establishments]
    if est_ids:
        qs = qs.filter(pk__in=est_ids)
    taken = set(campaign.invitations.values_list("establishment_id", flat=True))
    n = 0
    with transaction.atomic():
        for est in qs.exclude(pk__in=taken).order_by("name", "pk"):
            save_audited(
                Invitation(
                    campaign=campaign,
                    establishment=est,
                    commune_id=est.commune_id,
                    sector_id=est.sector_id,
                    invited_on=day,
                ),
                actor=actor,
                reason="Mời tham gia khảo sát",
            )
            n += 1
    return n


def _parse(question: Question, raw) -> tuple[str, int | None]:
    if raw in (None, ""):
        return "", None
    if question.kind == Question.Kind.CHOICE:
        values = {str(v) for v, _ in question.choices}
        if str(raw) not in values:
            raise DomainError(f"«{question.text}»: lựa chọn không hợp lệ.", field=question.code)
        return str(raw), None
    if question.kind == Question.Kind.MONEY:
        try:
            return "", parse_amount(raw)
        except DomainError as exc:
            raise DomainError(f"«{question.text}»: {exc.message}", field=question.code)
    if question.kind == Question.Kind.NUMBER:
        try:
            value = parse_number(str(raw))
        except DomainError as exc:
            raise DomainError(f"«{question.text}»: {exc.message}", field=question.code)
        if value < 0 or value != int(value):
            raise DomainError(f"«{question.text}»: nhập một số nguyên không âm.", field=question.code)
        return "", int(value)
    return str(raw).strip(), None


def response_save(
    *, actor, invitation: Invitation, answers: dict, answered_on=None, on_paper: bool = True
) -> Response:
    """The invitation's answers (replacing earlier ones). The establishment answers its own invitation
    while the campaign is open; an officer of the province enters a paper form (marked `on_paper`).
    `on_paper` is read only when the system itself writes (actor None: demo data, imports)."""
    campaign = invitation.campaign
    scope = scope_for(actor)
    own = scope.kind == "establishment" and scope.establishment_id == invitation.establishment_id
    if own:
        if campaign.status != CampaignStatus.OPEN:
            raise DomainError("Đợt khảo sát không còn nhận phiếu.")
    elif actor is not None:
        _require_office(actor, campaign.province_id)
    day = business_date(answered_on, label="Ngày trả lời") if answered_on else timezone.localdate()
    parsed = {}
    for q in campaign.questions.all():
        text, number = _parse(q, answers.get(q.code))
        if q.required and text == "" and number is None:
            raise DomainError(f"Câu hỏi bắt buộc: «{q.text}».", field=q.code)
        parsed[q] = (text, number)
    with transaction.atomic():
        response = Response.objects.filter(invitation=invitation).first() or Response(invitation=invitation)
        if response.project_id:
            raise DomainError("Phiếu đã được lập thành đề án đăng ký: không sửa được.")
        response.answered_on = day
        response.on_paper = on_paper if actor is None else not own
        response.entered_by = actor if getattr(actor, "is_authenticated", False) else None
        save_audited(
            response,
            actor=actor,
            reason="Phiếu khảo sát (giấy, cán bộ nhập)" if not own else "Trả lời khảo sát",
        )
        response.answers.all().delete()
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, text=t, number=n) for q, (t, n) in parsed.items()]
        )
        rows_inserted.send(sender=Answer)  # bulk rows send no post_save (core.dataversion)
    return response


def response_link(*, actor, response: Response, project: Project | None = None, application=None) -> Response:
    """Record the registration (đề án, or the establishment's application) an answer led to."""
    if actor is not None:
        _require_office(actor, response.invitation.campaign.province_id)
    if project is not None:
        response.project = project
    if application is not None:
        response.application = application
    return save_audited(response, actor=actor, reason="Gắn phiếu khảo sát với đề án đăng ký")


def _plan(campaign: Campaign, actor) -> AnnualPlan:
    plan = (
        AnnualPlan.objects.filter(
            province_id=campaign.province_id, year=campaign.plan_year, level=campaign.level
        )
        .order_by("pk")
        .first()
    )
    if plan is not None:
        return plan
    unit = campaign.unit if campaign.unit.is_valid_in_year(campaign.plan_year) else campaign.province
    return project_services.plan_create(
        actor=actor,
        unit=unit,
        year=campaign.plan_year,
        level=campaign.level,
        note=f"Lập từ đợt khảo sát nhu cầu «{campaign.title}».",
    )


def responses_to_registrations(
    *, actor, campaign: Campaign, response_ids: Iterable[int], effective_date=None
) -> list[Project]:
    """One step: each selected answer becomes a registered đề án of the campaign's plan (content, title,
    support and counterpart from the questions with those roles; the establishment as beneficiary), linked
    back to the answer. All or nothing."""
    _require_office(actor, campaign.province_id)
    day = business_date(effective_date, label="Ngày đăng ký")
    responses = list(
        Response.objects.filter(invitation__campaign=campaign, pk__in=list(response_ids))
        .select_related("invitation__establishment")
        .prefetch_related("answers__question")
    )
    if not responses:
        raise DomainError("Chọn ít nhất một phiếu trả lời.")
    out = []
    with transaction.atomic():
        plan = _plan(campaign, actor)
        for r in responses:
            if r.project_id:
                raise DomainError(f"Phiếu của «{r.invitation.establishment.name}» đã được lập thành đề án.")
            by_role = {a.question.role: a for a in r.answers.all() if a.question.role}
            code = by_role[R.CONTENT].text if R.CONTENT in by_role else ""
            content = (
                catalog.activity_content_by_code(code, on=dt.date(campaign.plan_year, 1, 1)) if code else None
            )
            if content is None:
                raise DomainError(f"Phiếu của «{r.invitation.establishment.name}» chưa chọn nội dung hỗ trợ.")
            need = by_role[R.TITLE].text if R.TITLE in by_role else ""
            est = r.invitation.establishment
            funding = (
                {campaign.level: {"requested": by_role[R.AMOUNT].number or 0}} if R.AMOUNT in by_role else {}
            )
            if R.COUNTERPART in by_role and by_role[R.COUNTERPART].number:
                funding["counterpart"] = {"requested": by_role[R.COUNTERPART].number}
            project = project_services.project_create(
                actor=actor,
                plan=plan,
                code=project_services.next_code(plan),
                title=(need or content.name)[:500],
                content=content,
                establishments=[est],
                commune=est.commune,
                funding=funding or None,
                description=f"Từ phiếu khảo sát nhu cầu «{campaign.title}» của {est.name}.",
                note=f"Lập từ phiếu khảo sát số {r.pk}",
                effective_date=day,
            )
            project = project_services.project_transition(
                project=project,
                actor=actor,
                to_status=Status.REGISTERED,
                expected_version=project.version,
                effective_date=day,
                note=f"Đăng ký từ phiếu khảo sát số {r.pk}",
            )
            response_link(actor=actor, response=r, project=project)
            out.append(project)
    return out
