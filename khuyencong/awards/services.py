"""Writes on product voting: rounds (create, edit, move along the workflow), councils, products, entries and
their dossiers, forwarding to the next level, score sheets, results and certificates. Every write is saved
with its history (who, when, why) through core.audit."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from khuyencong.core.audit import save_audited
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.core.permissions import can_edit, require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import business_date, run_transition

from . import workflow
from .models import (
    COMMUNE_LEVEL_FROM,
    LEVEL_BELOW,
    AwardLevel,
    AwardRound,
    Certificate,
    Criterion,
    DossierFile,
    Entry,
    EntryStatus,
    Juror,
    Product,
    RoundStatus,
    RoundStep,
    ScoreSheet,
)

# The score sheet seen in provincial rounds (not confirmed from the Circular: data, editable per round).
DEFAULT_CRITERIA = [
    (
        "Thị trường và khả năng phát triển sản xuất",
        40,
        ["Khả năng tiêu thụ, thị phần", "Quy mô và năng lực sản xuất", "Khả năng mở rộng sản xuất"],
    ),
    (
        "Kinh tế – kỹ thuật – xã hội – môi trường",
        40,
        [
            "Hiệu quả kinh tế",
            "Chất lượng, công nghệ sản xuất",
            "Tạo việc làm, thu nhập cho lao động",
            "Bảo vệ môi trường",
        ],
    ),
    ("Văn hóa, thẩm mỹ", 10, ["Tính văn hóa, bản sắc", "Tính thẩm mỹ, kiểu dáng, bao bì"]),
    ("Tiêu chí khác", 10, ["Tiêu chí khác do Hội đồng quy định"]),
]

# The catalogue's support cap (Thông tư 28/2018/TT-BTC, content 4) per round level.
CAP_CODES = {AwardLevel.REGION: "tt28-binh-chon-khu-vuc", AwardLevel.NATIONAL: "tt28-binh-chon-quoc-gia"}
FUNDING_CONTENT = "4"

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_UPLOADS = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
}
PHOTO_TYPES = {"image/jpeg", "image/png"}
MIN_PHOTOS = 3
ONE_DECIMAL = Decimal("0.1")

RULE_LEVEL_BELOW = (
    "Quy tắc liên thông: sản phẩm dự bình chọn {level} phải có giấy chứng nhận sản phẩm CNNT tiêu biểu "
    "{below} còn hiệu lực vào ngày {day:%d/%m/%Y} (ngày bắt đầu nhận hồ sơ của đợt)."
)


def _decimal(value, *, label: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}: «{value}» không phải là số.", field=field)
    if not number.is_finite():
        raise DomainError(f"{label}: «{value}» không phải là số.", field=field)
    return number


def _day(value, *, label: str, field: str) -> dt.date:
    from khuyencong.core.fields import parse_business_date

    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        raise DomainError(f"Thiếu {label.lower()}.", field=field)
    return parse_business_date(value, label=label.lower(), field=field)


def fmt(value) -> str:
    """A score the Vietnamese way: 40 → "40", 69.9 → "69,9"."""
    from khuyencong.core.money import format_number

    return "" if value is None else format_number(Decimal(value).normalize())


def _authenticated(actor) -> bool:
    return getattr(actor, "is_authenticated", False)


# --------------------------------------------------------------------------------------------------- rounds


def manages_round(user, award_round: AwardRound) -> bool:
    """Whether `user` organises `award_round`: the Cục every round; a province (Sở/TTKC) its province's
    commune, district and provincial rounds; a commune office its own communes' rounds."""
    if not can_edit(user):
        return False
    scope = scope_for(user)
    if scope.kind == "all":
        return True
    if scope.kind == "province":
        return award_round.level not in LEVEL_BELOW and award_round.province_id == scope.province_id
    if scope.kind == "units":
        return award_round.level in (AwardLevel.COMMUNE, AwardLevel.DISTRICT) and (
            award_round.unit_id in scope.unit_ids
        )
    return False


def require_manager(user, award_round: AwardRound) -> None:
    if not manages_round(user, award_round):
        raise NotAllowed(f"Bạn không phải cơ quan tổ chức đợt bình chọn «{award_round.title}».")


def check_level_dates(level: str, day: dt.date, *, field: str = "level") -> None:
    """From 1/7/2025 the local level is the commune; before it, the district (Thông tư 38/2025/TT-BCT)."""
    if level == AwardLevel.COMMUNE and day < COMMUNE_LEVEL_FROM:
        raise DomainError(
            f"Bình chọn cấp xã chỉ có từ ngày {COMMUNE_LEVEL_FROM:%d/%m/%Y} (Thông tư 38/2025/TT-BCT); "
            f"đợt bắt đầu ngày {day:%d/%m/%Y} phải là cấp huyện.",
            field=field,
        )
    if level == AwardLevel.DISTRICT and day >= COMMUNE_LEVEL_FROM:
        raise DomainError(
            f"Từ ngày {COMMUNE_LEVEL_FROM:%d/%m/%Y} không còn cấp huyện (Thông tư 38/2025/TT-BCT); "
            f"đợt bắt đầu ngày {day:%d/%m/%Y} là bình chọn cấp xã.",
            field=field,
        )


def check_funding_cap(award_round: AwardRound) -> None:
    """The funding đề án must be of content 4; at regional and national level its national money must not
    exceed the catalogue's cap per round (Thông tư 28/2018/TT-BTC)."""
    from khuyencong.catalog import selectors as catalog

    project = award_round.funding_project
    if project is None:
        return
    if project.content.code != FUNDING_CONTENT:
        raise DomainError(
            f"Đề án «{project.code}» thuộc nội dung {project.content.code}: đợt bình chọn chỉ được cấp kinh "
            f"phí từ đề án nội dung {FUNDING_CONTENT} (hỗ trợ quảng bá, bình chọn sản phẩm).",
            field="funding_project",
        )
    code = CAP_CODES.get(award_round.level)
    if code is None:
        return
    day = award_round.reference_date
    for cap in catalog.support_caps_for(day=day).filter(code=code):
        amount = sum(max(f.approved, f.requested) for f in project.fundings.filter(source=cap.funding_source))
        if cap.max_amount is not None and amount > cap.max_amount:
            from khuyencong.core.money import format_short

            raise DomainError(
                f"Kinh phí {cap.funding_source.short_name} của đề án «{project.code}» "
                f"({format_short(amount)}) "
                f"vượt mức tối đa {format_short(cap.max_amount)} — quy định: {cap.rule_text}.",
                field="funding_project",
                details={"cap": cap.code},
            )


def _check_round(r: AwardRound) -> None:
    if r.registration_end < r.registration_start:
        raise DomainError("Ngày kết thúc nhận hồ sơ phải sau ngày bắt đầu.", field="registration_end")
    if r.scoring_end < r.scoring_start:
        raise DomainError("Ngày kết thúc chấm điểm phải sau ngày bắt đầu.", field="scoring_end")
    if r.scoring_start < r.registration_start:
        raise DomainError("Chấm điểm không thể bắt đầu trước khi nhận hồ sơ.", field="scoring_start")
    check_level_dates(r.level, r.registration_start)
    if not (0 <= r.pass_mark <= 100):
        raise DomainError("Điểm đạt phải từ 0 đến 100.", field="pass_mark")
    if r.quota < 1:
        raise DomainError("Số sản phẩm được công nhận tối đa phải ít nhất là 1.", field="quota")
    if r.level in LEVEL_BELOW:
        if r.unit_id is not None:
            r.unit = None
        if r.level == AwardLevel.REGION and r.region_id is None:
            raise DomainError("Đợt bình chọn cấp khu vực phải chọn khu vực.", field="region")
    elif r.unit_id is None:
        raise DomainError("Chọn địa bàn (xã, huyện hoặc tỉnh) tổ chức đợt bình chọn.", field="unit")
    if r.year != r.registration_start.year and r.year != r.scoring_end.year:
        raise DomainError(
            f"Năm {r.year} không khớp ngày nhận hồ sơ ({r.registration_start:%d/%m/%Y}).", field="year"
        )
    check_funding_cap(r)


ROUND_FIELDS = (
    "title",
    "level",
    "year",
    "organiser",
    "unit",
    "region",
    "legal_basis",
    "registration_start",
    "registration_end",
    "scoring_start",
    "scoring_end",
    "pass_mark",
    "quota",
    "validity_years",
    "publish_scores",
    "funding_project",
    "note",
)


def round_create(*, actor, criteria=None, **fields) -> AwardRound:
    """A new round (planned), with the default score sheet (or `criteria`: [(name, max, [sub…])])."""
    require_edit(actor, "lập đợt bình chọn")
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise DomainError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    if fields.get("pass_mark") in (None, ""):
        fields.pop("pass_mark", None)
    else:
        fields["pass_mark"] = _decimal(fields["pass_mark"], label="Điểm đạt", field="pass_mark")
    if fields.get("legal_basis") is None:
        from khuyencong.catalog.models import LegalDocument

        fields["legal_basis"] = LegalDocument.objects.filter(number="26/2014/TT-BCT").first()
    r = AwardRound(**fields)
    if r.organiser_id is None and _authenticated(actor):
        r.organiser = actor.organisation
    if r.organiser_id is None:
        raise DomainError("Chọn cơ quan tổ chức.", field="organiser")
    _check_round(r)
    if r.unit_id:
        r.province_id = r.unit.current_province_id or r.unit_id
    if not manages_round(actor, r):
        if r.level in LEVEL_BELOW:
            raise NotAllowed("Chỉ Cục tổ chức bình chọn cấp khu vực và cấp quốc gia.")
        raise NotAllowed("Bạn không được lập đợt bình chọn cho địa bàn ngoài phạm vi của mình.")
    with transaction.atomic():
        save_audited(r, actor=actor, reason="Lập đợt bình chọn")
        for order, (name, points, subs) in enumerate(criteria or DEFAULT_CRITERIA, start=1):
            save_audited(
                Criterion(
                    round=r, order=order, name=name, max_points=Decimal(points), sub_criteria=list(subs)
                ),
                actor=actor,
                reason="Tiêu chí chấm điểm",
            )
    return r


def round_update(*, actor, award_round: AwardRound, expected_version, changes: dict) -> AwardRound:
    """Edit a round that is not decided yet (pass mark, quota, windows…); a stale version answers 409."""
    editable = set(ROUND_FIELDS) - {"level", "organiser"}
    with transaction.atomic():
        r = AwardRound.objects.select_for_update().get(pk=award_round.pk)
        require_manager(actor, r)
        if expected_version in (None, "") or int(expected_version) != r.version:
            raise ConcurrentEditError()
        if r.status in (RoundStatus.DECIDED, RoundStatus.CLOSED):
            raise DomainError("Đợt bình chọn đã có quyết định công nhận: không sửa được nữa.")
        for name, value in changes.items():
            if name not in editable:
                raise DomainError(f"Không sửa được trường «{name}».", field=name)
            if name == "pass_mark":
                value = _decimal(value, label="Điểm đạt", field="pass_mark")
            setattr(r, name, value)
        _check_round(r)
        r.version += 1
        save_audited(r, actor=actor, reason="Sửa đợt bình chọn")
    return r


def round_transition(
    *,
    actor,
    award_round: AwardRound,
    to_status: str,
    expected_version,
    effective_date=None,
    decision_no: str = "",
    decision_date=None,
    decision_note: str = "",
    recognised: list[int] | None = None,
) -> AwardRound:
    """Move a round along the table (workflow.py). The decision step ranks the entries, refuses a choice
    beyond the quota or below the pass mark, records which entries are recognised and why, and issues their
    certificates (numbered «<decision number>/<rank>», dated on the decision)."""
    decision_no = (decision_no or "").strip()
    if to_status == RoundStatus.DECIDED and decision_date not in (None, ""):
        decision_date = _day(decision_date, label="Ngày quyết định công nhận", field="decision_date")
        if effective_date in (None, ""):
            effective_date = decision_date
    data = {"decision_no": decision_no, "decision_date": decision_date}

    def authorize(r):
        require_manager(actor, r)

    def apply(r, frm, to, data, day):
        r.status_date = day
        if to == RoundStatus.DECIDED:
            r.decision_no = decision_no
            r.decision_date = decision_date
            r.decision_note = _decide(r, actor=actor, recognised=recognised, note=decision_note, day=day)

    def record(step):
        RoundStep.objects.create(
            round=step.instance,
            actor=actor if _authenticated(actor) else None,
            effective_date=step.effective_date,
            from_status=step.frm,
            to_status=step.to,
            label=step.rule["label"],
            changes=step.changes,
        )

    return run_transition(
        workflow=workflow.WORKFLOW,
        queryset=AwardRound.objects.all(),
        pk=award_round.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data=data,
        tracked=["decision_no", "decision_date"],
        authorize=authorize,
        previous_date=lambda r: r.status_date,
        apply=apply,
        record=record,
    )


# ---------------------------------------------------------------------------------------------- results


def mean_score(totals: list[Decimal]) -> Decimal | None:
    """The product's score: the mean of its jurors' totals, to one decimal (half up)."""
    if not totals:
        return None
    return (sum(totals, Decimal(0)) / len(totals)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def results(award_round: AwardRound) -> list[dict]:
    """Every submitted entry with its score, eligibility and rank (ties share a rank), best first."""
    rows = []
    entries = (
        award_round.entries.filter(status=EntryStatus.SUBMITTED)
        .select_related("product", "establishment")
        .prefetch_related("sheets")
    )
    for entry in entries:
        score = mean_score([s.total for s in entry.sheets.all()])
        rows.append(
            {
                "entry": entry,
                "score": score,
                "sheets": len(entry.sheets.all()),
                "eligible": score is not None and score >= award_round.pass_mark,
            }
        )
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["entry"].product.name))
    rank, previous = 0, object()
    for i, row in enumerate(rows, start=1):
        if row["score"] != previous:
            rank, previous = i, row["score"]
        row["rank"] = rank if row["score"] is not None else None
    counts: dict = {}
    for row in rows:
        counts[row["score"]] = counts.get(row["score"], 0) + 1
    for row in rows:
        row["tied"] = row["score"] is not None and counts[row["score"]] > 1
    return rows


def _decide(r: AwardRound, *, actor, recognised, note: str, day: dt.date) -> str:
    rows = results(r)
    eligible = [row for row in rows if row["eligible"]]
    by_id = {row["entry"].pk: row for row in rows}
    if recognised is None:
        chosen = eligible[: r.quota]
        if len(eligible) > r.quota and eligible[r.quota]["score"] == eligible[r.quota - 1]["score"]:
            raise DomainError(
                f"Có sản phẩm đồng điểm ({fmt(eligible[r.quota]['score'])}) ở vị trí thứ {r.quota} "
                "(chỉ tiêu): "
                "Hội đồng phải chọn rõ các sản phẩm được công nhận.",
                field="recognised",
            )
    else:
        ids = list(dict.fromkeys(int(i) for i in recognised))
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise DomainError(
                f"Sản phẩm mã {', '.join(map(str, unknown))} không thuộc đợt này hoặc chưa nộp hồ sơ.",
                field="recognised",
            )
        below = [by_id[i] for i in ids if not by_id[i]["eligible"]]
        if below:
            names = "; ".join(f"{row['entry'].product.name} ({fmt(row['score'] or 0)})" for row in below)
            raise DomainError(
                f"Chỉ công nhận sản phẩm đạt từ {fmt(r.pass_mark)} điểm trở lên: {names} chưa đạt.",
                field="recognised",
            )
        chosen = [by_id[i] for i in ids]
    if len(chosen) > r.quota:
        raise DomainError(
            f"Đợt bình chọn chỉ được công nhận tối đa {r.quota} sản phẩm; đã chọn {len(chosen)} "
            f"(trong {len(eligible)} sản phẩm đạt điểm).",
            field="recognised",
            details={"quota": r.quota, "chosen": len(chosen), "eligible": len(eligible)},
        )
    chosen_ids = {row["entry"].pk for row in chosen}
    for row in rows:
        entry = row["entry"]
        entry.score = row["score"]
        entry.rank = row["rank"]
        entry.eligible = row["eligible"]
        entry.recognised = entry.pk in chosen_ids
        if entry.recognised:
            entry.result_note = "Được công nhận"
        elif entry.eligible:
            entry.result_note = f"Đạt điểm nhưng ngoài chỉ tiêu {r.quota} sản phẩm"
        elif entry.score is None:
            entry.result_note = "Chưa có phiếu chấm"
        else:
            entry.result_note = f"Dưới điểm đạt ({fmt(r.pass_mark)})"
        entry.version += 1
        save_audited(entry, actor=actor, reason="Kết quả bình chọn")
    for seq, row in enumerate(sorted(chosen, key=lambda x: (x["rank"] or 0, x["entry"].product.name)), 1):
        entry = row["entry"]
        save_audited(
            Certificate(
                number=f"{r.decision_no}/{seq:02d}",
                issued_on=r.decision_date,
                level=r.level,
                round=r,
                entry=entry,
                product=entry.product,
                establishment=entry.establishment,
                validity_years=r.validity_years,
            ),
            actor=actor,
            reason="Cấp giấy chứng nhận",
        )
    summary = (
        f"{len(rows)} sản phẩm được chấm, {len(eligible)} sản phẩm đạt từ {fmt(r.pass_mark)} điểm, "
        f"công nhận {len(chosen)} sản phẩm (chỉ tiêu {r.quota})"
    )
    return f"{summary}. {note.strip()}" if note and note.strip() else f"{summary}."


# ---------------------------------------------------------------------------------------------- council


def juror_add(*, actor, award_round: AwardRound, user, role=Juror.Role.MEMBER, affiliation="") -> Juror:
    require_manager(actor, award_round)
    if award_round.status in (RoundStatus.DECIDED, RoundStatus.CLOSED):
        raise DomainError("Đợt bình chọn đã có quyết định: không bổ sung thành viên hội đồng.")
    if Juror.objects.filter(round=award_round, user=user).exists():
        raise DomainError(f"{user.display_name} đã là thành viên hội đồng của đợt này.", field="user")
    return save_audited(
        Juror(round=award_round, user=user, role=role, affiliation=affiliation),
        actor=actor,
        reason="Thành viên hội đồng",
    )


# ---------------------------------------------------------------------------------------------- products


def _can_act_for(actor, establishment) -> bool:
    """The establishment's own user, or an editor whose scope holds the establishment."""
    from khuyencong.beneficiaries.selectors import establishment_list_for

    scope = scope_for(actor)
    if scope.kind == "establishment":
        return scope.establishment_id == establishment.pk
    return can_edit(actor) and establishment_list_for(user=actor).filter(pk=establishment.pk).exists()


def product_create(
    *,
    actor,
    establishment,
    name: str,
    group: str,
    description: str = "",
    sector=None,
    made_by_establishment: bool = True,
    series_production: bool = True,
) -> Product:
    if not _can_act_for(actor, establishment):
        raise NotAllowed("Bạn chỉ được đăng ký sản phẩm của cơ sở trong phạm vi của mình.")
    name = (name or "").strip()
    if not name:
        raise DomainError("Nhập tên sản phẩm.", field="name")
    product = Product(
        establishment=establishment,
        name=name,
        group=group,
        description=description,
        sector=sector or establishment.sector,
        made_by_establishment=made_by_establishment,
        series_production=series_production,
    )
    if group not in dict(Product._meta.get_field("group").choices):
        raise DomainError("Chọn nhóm sản phẩm.", field="group")
    return save_audited(product, actor=actor, reason="Đăng ký sản phẩm")


def dossier_add(*, actor, product: Product, kind: str, upload) -> DossierFile:
    """Store one uploaded file of the dossier: JPEG/PNG/PDF only (photos JPEG/PNG), at most 10 MB."""
    import os

    if not _can_act_for(actor, product.establishment):
        raise NotAllowed("Bạn không được bổ sung hồ sơ của sản phẩm này.")
    if kind not in DossierFile.Kind.values:
        raise DomainError("Chọn loại tài liệu.", field="kind")
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_UPLOADS:
        raise DomainError(
            f"Tệp «{name}»: chỉ nhận ảnh JPG, PNG hoặc tài liệu PDF.", field="file", code="file_type"
        )
    kind_type = ALLOWED_UPLOADS[ext]
    head = upload.read(8)
    upload.seek(0)
    magic_ok = {
        "image/jpeg": head.startswith(b"\xff\xd8\xff"),
        "image/png": head.startswith(b"\x89PNG"),
        "application/pdf": head.startswith(b"%PDF"),
    }[kind_type]
    if not magic_ok:
        raise DomainError(
            f"Tệp «{name}» không đúng định dạng {ext[1:].upper()}.", field="file", code="file_type"
        )
    if kind == DossierFile.Kind.PHOTO and kind_type not in PHOTO_TYPES:
        raise DomainError("Ảnh sản phẩm phải là tệp JPG hoặc PNG.", field="file", code="file_type")
    limit = getattr(settings, "AWARDS_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if upload.size > limit:
        raise DomainError(
            f"Tệp «{name}» quá lớn ({upload.size // 1024} KB); tối đa {limit // (1024 * 1024)} MB.",
            field="file",
            code="file_size",
        )
    row = DossierFile(
        product=product,
        kind=kind,
        original_name=name,
        size=upload.size,
        content_type=kind_type,
        uploaded_by=actor if _authenticated(actor) else None,
    )
    row.file.save(f"{timezone.now():%Y%m%d%H%M%S%f}{ext}", upload, save=False)
    return save_audited(row, actor=actor, reason="Bổ sung hồ sơ")


def photo_count(product: Product) -> int:
    return product.files.filter(kind=DossierFile.Kind.PHOTO).count()


# ------------------------------------------------------------------------------------------------ entries


def valid_certificate(product: Product, level: str, day: dt.date) -> Certificate | None:
    for cert in Certificate.objects.filter(product=product, level=level, issued_on__lte=day).order_by(
        "-issued_on"
    ):
        if cert.valid_on(day):
            return cert
    return None


def check_level_below(award_round: AwardRound, product: Product) -> Certificate | None:
    """At regional and national level the product needs a certificate of the level below, valid on the
    round's date; refused naming the rule."""
    below = LEVEL_BELOW.get(award_round.level)
    if below is None:
        return None
    day = award_round.reference_date
    cert = valid_certificate(product, below, day)
    if cert is None:
        raise DomainError(
            RULE_LEVEL_BELOW.format(
                level=AwardLevel(award_round.level).label.lower(),
                below=AwardLevel(below).label.lower(),
                day=day,
            )
            + f" «{product.name}» không có giấy chứng nhận như vậy.",
            field="product",
            code="level_below_certificate",
        )
    return cert


def entry_conditions(entry_or_product) -> list[tuple[str, bool]]:
    """The entry conditions shown on the entry page (label, met?)."""
    product = entry_or_product if isinstance(entry_or_product, Product) else entry_or_product.product
    photos = photo_count(product)
    kinds = set(product.files.values_list("kind", flat=True))
    return [
        ("Cơ sở tự sản xuất sản phẩm", product.made_by_establishment),
        ("Sản phẩm sản xuất hàng loạt, không phải sản phẩm đơn chiếc", product.series_production),
        (f"Có ít nhất {MIN_PHOTOS} ảnh màu sản phẩm (hiện có {photos})", photos >= MIN_PHOTOS),
        ("Có phiếu đăng ký", DossierFile.Kind.REGISTRATION in kinds),
        ("Có bản sao giấy đăng ký kinh doanh", DossierFile.Kind.BUSINESS_REG in kinds),
    ]


def _region_holds(award_round: AwardRound, establishment) -> bool:
    if award_round.level != AwardLevel.REGION or award_round.region_id is None:
        return True
    provinces = set(award_round.region.members.values_list("province__current_province_id", flat=True))
    provinces |= set(award_round.region.members.values_list("province_id", flat=True))
    return establishment.province_id in provinces


def entry_create(
    *,
    actor,
    award_round: AwardRound,
    product: Product,
    registered_on=None,
    registration_details: str = "",
    forwarded_from: Entry | None = None,
) -> Entry:
    """Enter a product in a round while it is open (the registration date inside the window). The
    establishment's own user enters only its own products in its province's rounds; regional and national
    entries need the certificate of the level below."""
    scope = scope_for(actor)
    if scope.kind == "establishment":
        if product.establishment_id != scope.establishment_id:
            raise NotAllowed("Cơ sở chỉ được đăng ký sản phẩm của chính mình.")
        if award_round.level in LEVEL_BELOW:
            raise NotAllowed("Sản phẩm dự bình chọn cấp khu vực, quốc gia do tỉnh chuyển lên (liên thông).")
        if award_round.province_id != product.establishment.province_id:
            raise NotAllowed("Cơ sở chỉ đăng ký được đợt bình chọn của tỉnh mình.")
    elif award_round.level in LEVEL_BELOW and forwarded_from is not None:
        require_manager(actor, forwarded_from.round)
    else:
        require_manager(actor, award_round)
        if not _can_act_for(actor, product.establishment):
            raise NotAllowed("Cơ sở của sản phẩm ngoài phạm vi của bạn.")
    if award_round.level not in LEVEL_BELOW and award_round.province_id != product.establishment.province_id:
        raise DomainError("Cơ sở của sản phẩm không thuộc địa bàn của đợt bình chọn.", field="product")
    if not _region_holds(award_round, product.establishment):
        raise DomainError(f"Cơ sở của sản phẩm không thuộc {award_round.region}.", field="product")
    if award_round.status != RoundStatus.OPEN:
        raise DomainError(
            f"Đợt bình chọn «{award_round.title}» không nhận hồ sơ "
            f"(trạng thái: {award_round.get_status_display()}).",
            code="round_not_open",
        )
    day = business_date(registered_on, label="Ngày đăng ký", field="registered_on")
    if not award_round.registration_start <= day <= award_round.registration_end:
        raise DomainError(
            f"Ngày đăng ký {day:%d/%m/%Y} ngoài thời gian nhận hồ sơ "
            f"({award_round.registration_start:%d/%m/%Y} – {award_round.registration_end:%d/%m/%Y}).",
            field="registered_on",
        )
    if not product.made_by_establishment or not product.series_production:
        raise DomainError(
            "Điều kiện dự bình chọn: sản phẩm do chính cơ sở sản xuất và sản xuất hàng loạt (không phải sản "
            "phẩm đơn chiếc).",
            field="product",
        )
    check_level_below(award_round, product)
    if Entry.objects.filter(round=award_round, product=product).exists():
        raise DomainError(f"«{product.name}» đã đăng ký trong đợt này.", field="product")
    entry = Entry(
        round=award_round,
        product=product,
        registered_on=day,
        registration_details=registration_details,
        forwarded_from=forwarded_from,
    )
    return save_audited(entry, actor=actor, reason="Đăng ký dự bình chọn")


def entry_submit(*, actor, entry: Entry, expected_version, submitted_on=None) -> Entry:
    """Submit the dossier: at least 3 photos and the entry conditions met."""
    with transaction.atomic():
        e = Entry.objects.select_for_update().select_related("round", "product").get(pk=entry.pk)
        if not (_can_act_for(actor, e.product.establishment) or manages_round(actor, e.round)):
            raise NotAllowed("Bạn không được nộp hồ sơ này.")
        if expected_version in (None, "") or int(expected_version) != e.version:
            raise ConcurrentEditError()
        if e.status == EntryStatus.SUBMITTED:
            raise DomainError("Hồ sơ đã được nộp.", code="already_submitted", details={})
        if e.round.status != RoundStatus.OPEN:
            raise DomainError("Đợt bình chọn không còn nhận hồ sơ.", code="round_not_open")
        photos = photo_count(e.product)
        if photos < MIN_PHOTOS:
            raise DomainError(
                f"Hồ sơ cần ít nhất {MIN_PHOTOS} ảnh màu sản phẩm (hiện có {photos}).",
                field="photos",
                code="photos_required",
            )
        day = business_date(
            submitted_on,
            previous=e.registered_on,
            previous_label="ngày đăng ký",
            label="Ngày nộp hồ sơ",
            field="submitted_on",
        )
        if day > e.round.registration_end:
            raise DomainError(
                f"Hạn nộp hồ sơ là ngày {e.round.registration_end:%d/%m/%Y}.", field="submitted_on"
            )
        e.status = EntryStatus.SUBMITTED
        e.submitted_on = day
        e.version += 1
        save_audited(e, actor=actor, reason="Nộp hồ sơ")
    return e


def entries_forward(*, actor, entries: list[Entry], to_round: AwardRound, registered_on=None) -> list[Entry]:
    """Liên thông: the province forwards the recognised products it chooses to the next level's round; the
    same product and dossier travel up (each new entry is submitted at once)."""
    out = []
    with transaction.atomic():
        for entry in entries:
            if not entry.recognised:
                raise DomainError(
                    f"«{entry.product.name}» chưa được công nhận ở "
                    f"{entry.round.get_level_display().lower()}: "
                    "chỉ chuyển lên sản phẩm đã được công nhận.",
                    field="entries",
                )
            if LEVEL_BELOW.get(to_round.level) != entry.round.level:
                raise DomainError(
                    f"Không chuyển được từ {entry.round.get_level_display().lower()} lên "
                    f"{to_round.get_level_display().lower()}.",
                    field="round",
                )
            new = entry_create(
                actor=actor,
                award_round=to_round,
                product=entry.product,
                registered_on=registered_on,
                registration_details=entry.registration_details,
                forwarded_from=entry,
            )
            out.append(
                entry_submit(
                    actor=actor, entry=new, expected_version=new.version, submitted_on=new.registered_on
                )
            )
    return out


# ------------------------------------------------------------------------------------------------- sheets


def sheet_save(*, actor, entry: Entry, points: dict, scored_on=None, comment: str = "") -> ScoreSheet:
    """The juror's own sheet for one entry: one score per criterion, none above its maximum; only while the
    round is scoring and on a day inside the scoring window."""
    r = entry.round
    juror = Juror.objects.filter(round=r, user=actor).first() if _authenticated(actor) else None
    if juror is None:
        raise NotAllowed("Chỉ thành viên hội đồng của đợt này được chấm điểm.")
    if entry.status != EntryStatus.SUBMITTED:
        raise DomainError("Hồ sơ chưa được nộp: chưa chấm điểm được.")
    if r.status != RoundStatus.SCORING:
        raise DomainError(
            f"Đợt bình chọn không ở giai đoạn chấm điểm (trạng thái: {r.get_status_display()}).",
            code="scoring_closed",
        )
    day = business_date(scored_on, label="Ngày chấm", field="scored_on")
    if not r.scoring_start <= day <= r.scoring_end:
        raise DomainError(
            f"Ngày chấm {day:%d/%m/%Y} ngoài thời gian chấm điểm ({r.scoring_start:%d/%m/%Y} – "
            f"{r.scoring_end:%d/%m/%Y}): phiếu không còn sửa được.",
            field="scored_on",
            code="scoring_closed",
        )
    criteria = list(r.criteria.order_by("order"))
    given = {str(k): v for k, v in (points or {}).items()}
    clean, total = {}, Decimal(0)
    for c in criteria:
        raw = given.pop(str(c.pk), given.pop(str(c.order), None))
        if raw in (None, ""):
            raise DomainError(f"Thiếu điểm tiêu chí «{c.name}».", field=f"points.{c.pk}")
        value = _decimal(raw, label=f"Điểm tiêu chí «{c.name}»", field=f"points.{c.pk}")
        if value < 0 or value > c.max_points:
            raise DomainError(
                f"Điểm tiêu chí «{c.name}» phải từ 0 đến {fmt(c.max_points)}; đã nhập {fmt(value)}.",
                field=f"points.{c.pk}",
                code="score_out_of_range",
            )
        clean[str(c.pk)] = str(value)
        total += value
    if given:
        raise DomainError(f"Tiêu chí không có trong phiếu: {', '.join(given)}.", field="points")
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().filter(entry=entry, juror=juror).first()
        if sheet is None:
            sheet = ScoreSheet(entry=entry, juror=juror)
        else:
            sheet.version += 1
        sheet.points, sheet.total, sheet.scored_on, sheet.comment = clean, total, day, comment
        save_audited(sheet, actor=actor, reason="Chấm điểm")
    return sheet


# ------------------------------------------------------------------------------------------- certificates


def certificate_revoke(
    *, actor, certificate: Certificate, reason: str, revoked_on=None, expected_version
) -> Certificate:
    reason = (reason or "").strip()
    with transaction.atomic():
        c = Certificate.objects.select_for_update().select_related("round").get(pk=certificate.pk)
        require_manager(actor, c.round)
        if expected_version in (None, "") or int(expected_version) != c.version:
            raise ConcurrentEditError()
        if c.revoked:
            raise DomainError("Giấy chứng nhận đã bị thu hồi.")
        if not reason:
            raise DomainError("Thu hồi giấy chứng nhận cần nêu lý do.", field="reason")
        day = business_date(
            revoked_on,
            previous=c.issued_on,
            previous_label="ngày cấp",
            label="Ngày thu hồi",
            field="revoked_on",
        )
        c.revoked, c.revoked_on, c.revocation_reason = True, day, reason
        c.version += 1
        save_audited(c, actor=actor, reason="Thu hồi giấy chứng nhận")
    return c
