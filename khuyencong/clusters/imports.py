"""Excel in and out of the cluster registry. The export's columns are the import's: a province can export,
correct and import back. An import is all or nothing: every row is checked first and each problem is named
by row and column in Vietnamese; if any row fails, nothing is saved. A row whose commune already has a cluster
of that name updates it; other rows create clusters."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from khuyencong.beneficiaries.imports import _date_value, _text, read_rows
from khuyencong.core.errors import DomainError, ImportFailed, ImportRowError
from khuyencong.core.permissions import require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import fold
from khuyencong.core.xlsx import Sheet
from khuyencong.geo.models import AdminUnit

from . import services
from .models import WORKS, IndustrialCluster, WorkStatus

# (header, field); the "Xã, phường" and "Tỉnh" columns are for reading only (the codes decide).
COLUMNS = [
    ("Tên cụm công nghiệp", "name"),
    ("Mã xã, phường (theo QĐ thành lập)", "commune"),
    ("Xã, phường", None),
    ("Mã xã, phường hiện nay", "current_commune"),
    ("Tỉnh (hiện nay)", None),
    ("Diện tích quy hoạch (ha)", "planned_area_ha"),
    ("Diện tích đã cho thuê (ha)", "occupied_area_ha"),
    ("Số QĐ thành lập", "decision_no"),
    ("Ngày QĐ thành lập", "decision_date"),
    ("Chủ đầu tư hạ tầng", "investor"),
    ("Quy hoạch chi tiết", "planning_status"),
    ("Ngày (quy hoạch chi tiết)", "planning_date"),
    ("Hạ tầng kỹ thuật", "infrastructure_status"),
    ("Ngày (hạ tầng)", "infrastructure_date"),
    ("Xử lý nước thải", "wastewater_status"),
    ("Ngày (xử lý nước thải)", "wastewater_date"),
    ("Ghi chú", "note"),
]
HEADERS = [h for h, _ in COLUMNS]
STATUS_BY_LABEL = {fold(label): value for value, label in WorkStatus.choices} | {
    fold(v): v for v in WorkStatus.values
}
DATE_FIELDS = {"decision_date", *(f"{k}_date" for k, _ in WORKS)}
STATUS_FIELDS = {f"{k}_status" for k, _ in WORKS}


def export_sheet(qs) -> Sheet:
    rows = (
        [
            c.name,
            c.commune.code,
            c.commune.name,
            c.current_commune.code if c.current_commune_id else "",
            c.province.name if c.province_id else "",
            c.planned_area_ha,
            c.occupied_area_ha,
            c.decision_no,
            c.decision_date.strftime("%d/%m/%Y") if c.decision_date else "",
            c.investor,
            c.get_planning_status_display(),
            c.planning_date.strftime("%d/%m/%Y") if c.planning_date else "",
            c.get_infrastructure_status_display(),
            c.infrastructure_date.strftime("%d/%m/%Y") if c.infrastructure_date else "",
            c.get_wastewater_status_display(),
            c.wastewater_date.strftime("%d/%m/%Y") if c.wastewater_date else "",
            c.note,
        ]
        for c in qs.iterator(chunk_size=1000)
    )
    return Sheet(title="Cụm công nghiệp", headers=HEADERS, rows=rows)


@dataclass
class ImportResult:
    created: int
    updated: int

    @property
    def message(self) -> str:
        return f"Đã nhập {self.created} cụm công nghiệp mới, cập nhật {self.updated} cụm."


def _area(value):
    if value in (None, ""):
        return Decimal(0), None
    try:
        if isinstance(value, float | int):
            return Decimal(str(value)).quantize(Decimal("0.01")), None
        text = str(value).strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        return Decimal(text).quantize(Decimal("0.01")), None
    except (InvalidOperation, ValueError):
        return None, "Không phải là số (ha)."


def _unit(code: str, era: str | None):
    qs = AdminUnit.objects.filter(code=code).exclude(level=1)
    if era:
        qs = qs.filter(era=era)
    units = list(qs.order_by("-era")[:2])  # "old" before "current"
    return units[0] if units else None


def cluster_import(*, actor, content: bytes) -> ImportResult:
    require_edit(actor, "nhập danh sách cụm công nghiệp")
    scope = scope_for(actor)
    rows = read_rows(content)
    header_at = next(
        (i for i, row in enumerate(rows[:10]) if any(fold(_text(c)) == fold(HEADERS[0]) for c in row)), None
    )
    if header_at is None:
        raise ImportFailed(
            [ImportRowError(None, None, None, f"Không thấy dòng tiêu đề (cột «{HEADERS[0]}»).")]
        )
    index = {fold(_text(c)): i for i, c in enumerate(rows[header_at])}
    missing = [h for h, f in COLUMNS if f and fold(h) not in index]
    if missing:
        raise ImportFailed([ImportRowError(header_at + 1, h, None, "Thiếu cột này.") for h in missing])
    errors: list[ImportRowError] = []
    parsed: list[tuple[int, dict]] = []
    for n, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = {f: row[index[fold(h)]] if index[fold(h)] < len(row) else None for h, f in COLUMNS if f}
        if all(_text(v) == "" for v in cells.values()):
            continue
        data, bad = {}, False
        header = {f: h for h, f in COLUMNS if f}
        for field, value in cells.items():
            text = _text(value)
            problem = None
            if field in ("commune", "current_commune"):
                if not text:
                    data[field] = None
                    if field == "commune":
                        problem = "Cần mã xã, phường."
                else:
                    unit = _unit(text.zfill(5), "current" if field == "current_commune" else None)
                    if unit is None:
                        problem = "Không có xã, phường mang mã này."
                    elif not scope.allows_province(unit.current_province_id):
                        problem = "Xã, phường này không thuộc phạm vi quản lý của bạn."
                    data[field] = unit
            elif field in ("planned_area_ha", "occupied_area_ha"):
                data[field], problem = _area(value)
            elif field in DATE_FIELDS:
                data[field], problem = _date_value(value)
            elif field in STATUS_FIELDS:
                data[field] = STATUS_BY_LABEL.get(fold(text)) if text else WorkStatus.NONE
                if data[field] is None:
                    problem = "Ghi «Chưa thực hiện», «Đang thực hiện» hoặc «Đã hoàn thành»."
            else:
                data[field] = text
            if problem:
                errors.append(ImportRowError(n, header[field], text, problem))
                bad = True
        if not bad:
            try:
                services._validate(data)
            except DomainError as exc:
                errors.append(ImportRowError(n, header.get(exc.field, None), None, exc.message))
                continue
            parsed.append((n, data))
    if errors:
        raise ImportFailed(errors)
    if not parsed:
        raise ImportFailed([ImportRowError(None, None, None, "Tệp không có dòng dữ liệu nào.")])
    created = updated = 0
    header = {f: h for h, f in COLUMNS if f}
    with transaction.atomic():
        for n, data in parsed:
            existing = IndustrialCluster.objects.filter(
                commune=data["commune"], name__iexact=data["name"]
            ).first()
            try:
                if existing is None:
                    services.cluster_create(actor=actor, reason="Nhập từ Excel", **data)
                    created += 1
                else:
                    services.cluster_update(actor=actor, cluster=existing, changes=data)
                    updated += 1
            except DomainError as exc:
                errors.append(ImportRowError(n, header.get(exc.field, None), None, exc.message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(errors)
    return ImportResult(created, updated)
