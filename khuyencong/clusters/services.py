"""Writes to the cluster registry: each checks the actor's role and scope (a Sở/Trung tâm for its own
province, the Cục for all), runs in a transaction and leaves a history row with who and why."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from khuyencong.core.audit import delete_audited, save_audited
from khuyencong.core.concurrency import update_versioned
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.core.permissions import require_edit
from khuyencong.core.scoping import scope_for

from .models import WORKS, ClusterEstablishment, IndustrialCluster, WorkStatus

FIELDS = [
    "name",
    "commune",
    "current_commune",
    "planned_area_ha",
    "occupied_area_ha",
    "decision_no",
    "decision_date",
    "investor",
    "planning_status",
    "planning_date",
    "infrastructure_status",
    "infrastructure_date",
    "wastewater_status",
    "wastewater_date",
    "note",
]


def _require_scope(actor, province_id) -> None:
    if not scope_for(actor).allows_province(province_id):
        raise NotAllowed("Cụm công nghiệp này không thuộc phạm vi quản lý của bạn.")


def _area(value, label: str, field: str) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        text = str(value).strip().replace(" ", "")
        if isinstance(value, str):
            text = text.replace(".", "").replace(",", ".") if "," in text else text
        area = Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label} phải là một số (ha).", field=field)
    if area < 0:
        raise DomainError(f"{label} không được âm.", field=field)
    return area


def _validate(data: dict) -> dict:
    data = dict(data)
    if not (data.get("name") or "").strip():
        raise DomainError("Cụm công nghiệp cần có tên.", field="name")
    data["name"] = " ".join(data["name"].split())
    commune = data.get("commune")
    if commune is None:
        raise DomainError("Hãy chọn xã, phường nơi có cụm công nghiệp.", field="commune")
    if commune.level == 1:
        raise DomainError("Hãy chọn xã, phường (không phải tỉnh).", field="commune")
    current = data.get("current_commune")
    if current is not None and current.current_province_id != commune.current_province_id:
        raise DomainError(
            "Xã, phường hiện nay phải cùng tỉnh với xã, phường ban đầu.", field="current_commune"
        )
    data["planned_area_ha"] = _area(data.get("planned_area_ha"), "Diện tích quy hoạch", "planned_area_ha")
    data["occupied_area_ha"] = _area(
        data.get("occupied_area_ha"), "Diện tích đã cho thuê", "occupied_area_ha"
    )
    if data["occupied_area_ha"] > data["planned_area_ha"]:
        raise DomainError(
            "Diện tích đã cho thuê không được lớn hơn diện tích quy hoạch.", field="occupied_area_ha"
        )
    for key, label in WORKS:
        status = data.get(f"{key}_status") or WorkStatus.NONE
        if status not in WorkStatus.values:
            raise DomainError(f"Trạng thái «{label}» không hợp lệ.", field=f"{key}_status")
        data[f"{key}_status"] = status
        day = data.get(f"{key}_date")
        if status != WorkStatus.NONE and day is None:
            raise DomainError(f"«{label}»: hãy ghi ngày (của quyết định, biên bản).", field=f"{key}_date")
        if (
            day is not None
            and data.get("decision_date")
            and key != "planning"
            and day < data["decision_date"]
        ):
            raise DomainError(
                f"«{label}»: ngày không được trước ngày quyết định thành lập.", field=f"{key}_date"
            )
    return data


def cluster_create(*, actor, reason: str = "Tạo cụm công nghiệp", **fields) -> IndustrialCluster:
    require_edit(actor, "tạo cụm công nghiệp")
    data = _validate({k: fields.get(k) for k in FIELDS if k in fields})
    _require_scope(actor, data["commune"].current_province_id)
    with transaction.atomic():
        if IndustrialCluster.objects.filter(commune=data["commune"], name__iexact=data["name"]).exists():
            raise DomainError(f"Xã, phường này đã có cụm công nghiệp «{data['name']}».", field="name")
        cluster = IndustrialCluster(**{k: v for k, v in data.items() if v is not None or k.endswith("date")})
        return save_audited(cluster, actor=actor, reason=reason)


def cluster_update(
    *, actor, cluster: IndustrialCluster, changes: dict, expected_version=None
) -> IndustrialCluster:
    require_edit(actor, "sửa cụm công nghiệp")
    _require_scope(actor, cluster.province_id)
    with transaction.atomic():
        current = IndustrialCluster.objects.select_for_update().get(pk=cluster.pk)
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentEditError()
        merged = {k: getattr(current, k) for k in FIELDS}
        merged.update({k: v for k, v in changes.items() if k in FIELDS})
        data = _validate(merged)
        _require_scope(actor, data["commune"].current_province_id)
        if (
            IndustrialCluster.objects.filter(commune=data["commune"], name__iexact=data["name"])
            .exclude(pk=current.pk)
            .exists()
        ):
            raise DomainError(f"Xã, phường này đã có cụm công nghiệp «{data['name']}».", field="name")
        diff = {k: v for k, v in data.items() if getattr(current, k) != v}
        if not diff:
            return current
        return update_versioned(
            IndustrialCluster,
            pk=current.pk,
            expected_version=current.version,
            changes=diff,
            actor=actor,
            reason="Sửa cụm công nghiệp",
        )


def member_set(
    *,
    actor,
    cluster: IndustrialCluster,
    establishment,
    since: dt.date | None = None,
    relocated: bool = False,
    relocated_from: str = "",
    relocation_date: dt.date | None = None,
    area_ha=None,
    note: str = "",
) -> ClusterEstablishment:
    """Record an establishment located in the cluster (or change its row); `relocated` with its date when it
    moved in from elsewhere (di dời)."""
    require_edit(actor, "ghi cơ sở trong cụm công nghiệp")
    _require_scope(actor, cluster.province_id)
    if establishment.province_id != cluster.province_id:
        raise DomainError("Cơ sở không cùng tỉnh với cụm công nghiệp.", field="establishment")
    if relocated and relocation_date is None:
        raise DomainError("Cơ sở di dời vào cụm cần có ngày di dời.", field="relocation_date")
    if relocation_date and cluster.decision_date and relocation_date < cluster.decision_date:
        raise DomainError("Ngày di dời không được trước ngày thành lập cụm.", field="relocation_date")
    with transaction.atomic():
        row = ClusterEstablishment.objects.filter(cluster=cluster, establishment=establishment).first()
        row = row or ClusterEstablishment(cluster=cluster, establishment=establishment)
        row.since = since or relocation_date
        row.relocated = bool(relocated)
        row.relocated_from = relocated_from or ""
        row.relocation_date = relocation_date if relocated else None
        row.area_ha = _area(area_ha, "Diện tích thuê", "area_ha") if area_ha not in (None, "") else None
        row.note = note or ""
        if row.pk:
            row.version += 1
        return save_audited(row, actor=actor, reason="Cơ sở trong cụm công nghiệp")


def member_remove(*, actor, member: ClusterEstablishment) -> None:
    require_edit(actor, "bỏ cơ sở khỏi cụm công nghiệp")
    _require_scope(actor, member.cluster.province_id)
    with transaction.atomic():
        delete_audited(member, actor=actor, reason="Bỏ cơ sở khỏi cụm công nghiệp")
