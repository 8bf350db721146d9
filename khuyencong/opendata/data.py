"""The open dataset: what official decisions already publish about khuyến công money, for the provinces that
chose to publish (from their chosen year). Three tables — approved đề án, plan totals and execution,
recognised products — plus the Frictionless Data Package describing them and an IATI-like JSON per đề án
(docs/open-data.md).

Never in it: a tax code, a phone number, an e-mail, a representative's name, or any loan or arrears of a
named establishment (the `recoverable` flag of a đề án is published, its loan is not).

The whole dataset is built once and shared through Django's cache (a file cache under VAR_DIR in dev and
production, so the web workers and the task worker see one copy); each process keeps the copy it read in
memory, so a page reads no cache file and no database. Any save or delete of the records it reads, and
every bulk insert of the plan import, bumps a version: the next reader still gets the copy it has and a
background task (`rebuild_dataset`) builds the new one — at national scale the build takes a minute or more,
which no visitor waits for. Only the very first read, with no copy anywhere, builds in the request. A copy
older than `CACHE_SECONDS` is rebuilt the same way (for changes made outside the ORM's signals). Pages and
exports filter the rows of the copy.
"""

import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Max
from django.tasks import task

from khuyencong.core import dataversion

BUILT_KEY = "opendata:built"  # the version of the copy under DATA_KEY
DATA_KEY = "opendata:data"  # (version, dataset)
CACHE_SECONDS = 600

# This process's copy: {"version": …, "data": …}.
_LOCAL: dict = {}

PUBLISHED_STATUSES = (
    "approved",
    "contracted",
    "in_progress",
    "completed",
    "accepted",
    "settled",
    "stop_requested",
    "stopped",
)
NOT_EXECUTING = ("stopped", "cancelled")

# Resource fields: (name, Table Schema type, title, description). The order is the CSV/XLSX column order.
PROJECT_FIELDS = [
    (
        "identifier",
        "string",
        "Mã định danh",
        "Mã tỉnh lập kế hoạch – năm kế hoạch – mã đề án; không đổi giữa các lần xuất",
    ),
    ("province_code", "string", "Mã tỉnh lập kế hoạch", "Mã tỉnh (QĐ 19/2025/QĐ-TTg) của tỉnh lập kế hoạch"),
    ("year", "integer", "Năm kế hoạch", ""),
    ("level", "string", "Cấp", "national = khuyến công quốc gia, local = khuyến công địa phương"),
    ("code", "string", "Mã đề án", ""),
    ("title", "string", "Tên đề án", ""),
    ("content_code", "string", "Mã nội dung hoạt động", "Theo Nghị định 45/2012/NĐ-CP, Điều 4"),
    ("content", "string", "Nội dung hoạt động", ""),
    ("commune", "string", "Xã, phường (khi thực hiện)", ""),
    ("commune_current", "string", "Xã, phường (hiện nay)", "Sau sắp xếp đơn vị hành chính 2025"),
    ("province_old", "string", "Tỉnh (khi lập kế hoạch)", "Trống nếu kế hoạch lập trên tỉnh hiện nay"),
    ("province", "string", "Tỉnh (hiện nay)", ""),
    ("beneficiaries", "string", "Đơn vị thụ hưởng", "Tên các cơ sở, cách nhau bởi dấu ;"),
    ("beneficiary_types", "string", "Loại hình đơn vị thụ hưởng", "DN, HTX, THT, HKD…, cách nhau bởi dấu ;"),
    ("approved_national", "integer", "Phê duyệt KCQG (đồng)", "Đề án đã dừng chỉ còn số đã chi"),
    ("approved_local", "integer", "Phê duyệt KCĐP (đồng)", "Đề án đã dừng chỉ còn số đã chi"),
    ("paid_national", "integer", "Đã chi KCQG (đồng)", ""),
    ("paid_local", "integer", "Đã chi KCĐP (đồng)", ""),
    ("counterpart", "integer", "Vốn đối ứng (đồng)", "Phê duyệt, hoặc đăng ký khi chưa có số phê duyệt"),
    ("status_code", "string", "Mã trạng thái", ""),
    ("status", "string", "Trạng thái", ""),
    ("status_date", "date", "Ngày của trạng thái", "Ngày trên văn bản của bước gần nhất"),
    ("decision_no", "string", "Số quyết định phê duyệt", ""),
    ("decision_date", "date", "Ngày quyết định phê duyệt", ""),
    ("start_date", "date", "Ngày bắt đầu", ""),
    ("end_date", "date", "Ngày kết thúc", ""),
    ("acceptance_date", "date", "Ngày nghiệm thu", ""),
    ("flagship", "boolean", "Đề án điểm", ""),
    ("recoverable", "boolean", "Hỗ trợ có hoàn trả", "Chỉ cờ; khoản vay, nợ của cơ sở không được công bố"),
]
PLAN_FIELDS = [
    ("identifier", "string", "Mã định danh", "Mã tỉnh lập kế hoạch – năm – cấp"),
    ("province_code", "string", "Mã tỉnh lập kế hoạch", ""),
    ("province_old", "string", "Tỉnh (khi lập kế hoạch)", ""),
    ("province", "string", "Tỉnh (hiện nay)", ""),
    ("year", "integer", "Năm kế hoạch", ""),
    ("level", "string", "Cấp", "national / local"),
    ("status", "string", "Trạng thái kế hoạch", ""),
    ("projects", "integer", "Số đề án (không kể đề án đã hủy)", ""),
    ("registered", "integer", "Kinh phí đăng ký, ngân sách nhà nước (đồng)", ""),
    ("assigned", "integer", "Kinh phí được giao (đồng)", ""),
    ("approved", "integer", "Đã phê duyệt cho đề án (đồng)", ""),
    ("paid", "integer", "Đã chi (đồng)", ""),
    ("execution_rate", "number", "Tỷ lệ thực hiện (%)", "Đã chi ÷ được giao"),
    ("counterpart", "integer", "Vốn đối ứng đã phê duyệt (đồng)", ""),
]
PRODUCT_FIELDS = [
    ("identifier", "string", "Mã định danh", "Cấp – năm – số giấy chứng nhận – mã sản phẩm"),
    ("product", "string", "Sản phẩm", ""),
    ("group", "string", "Nhóm sản phẩm", ""),
    ("level", "string", "Cấp công nhận", ""),
    ("year", "integer", "Năm", ""),
    ("establishment", "string", "Cơ sở", ""),
    ("commune", "string", "Xã, phường", ""),
    ("province_old", "string", "Tỉnh (khi công nhận)", ""),
    ("province", "string", "Tỉnh (hiện nay)", ""),
    ("certificate_no", "string", "Số giấy chứng nhận", ""),
    ("issued_on", "date", "Ngày cấp", ""),
    ("valid_until", "date", "Có giá trị đến", ""),
]
RESOURCES = {
    "de-an": ("Đề án khuyến công đã phê duyệt", PROJECT_FIELDS),
    "ke-hoach": ("Kế hoạch khuyến công năm: tổng kinh phí và thực hiện", PLAN_FIELDS),
    "san-pham": ("Sản phẩm công nghiệp nông thôn tiêu biểu được công nhận", PRODUCT_FIELDS),
}


# ---------------------------------------------------------------------------------------------------- cache


GROUP = "opendata"  # core.dataversion group: the version readers want, bumped by every change


def bump_version() -> None:
    """The dataset is out of date (now, and again when the change commits: core.dataversion)."""
    dataversion.bump(GROUP)


def connect_invalidation() -> None:
    dataversion.connect(
        GROUP,
        (
            "projects.Project",
            "projects.ProjectFunding",
            "projects.ProjectBeneficiary",
            "projects.Disbursement",
            "projects.StatusChange",
            "projects.AnnualPlan",
            "projects.Batch",
            "projects.BatchAllocation",
            "awards.Certificate",
            "beneficiaries.Establishment",
            "opendata.PublishSetting",
        ),
    )


def _store(version: int, data: dict) -> None:
    cache.set(DATA_KEY, (version, data), None)
    cache.set(BUILT_KEY, version, None)
    _LOCAL.update(version=version, data=data)


def _load_shared() -> None:
    """Take the shared copy if it is newer than this process's."""
    built = cache.get(BUILT_KEY)
    if built is not None and built != _LOCAL.get("version"):
        shared = cache.get(DATA_KEY)
        if shared is not None:
            _LOCAL.update(version=shared[0], data=shared[1])


@task
def rebuild_dataset(version: int) -> None:
    if cache.get(BUILT_KEY) == version:
        return
    _store(version, build())


def _rebuild_later(version: int) -> None:
    if cache.add(f"opendata:building:{version}", 1, CACHE_SECONDS):
        rebuild_dataset.enqueue(version)
        _load_shared()  # the immediate backend (tests, TASKS_IMMEDIATE) has built it already


def dataset() -> dict:
    """{"projects", "plans", "products", "provinces", "from_year", "built_at"}: this process's copy, the
    shared one if newer; never older than a change for longer than a rebuild takes."""
    want = dataversion.version(GROUP)
    if _LOCAL.get("version") != want:
        _load_shared()
    if _LOCAL.get("data") is None:
        _store(want, build())
    elif _LOCAL["version"] != want:
        _rebuild_later(want)
    elif (dt.datetime.now(dt.UTC) - _LOCAL["data"]["built_at"]).total_seconds() > CACHE_SECONDS:
        dataversion.bump(GROUP)
        _rebuild_later(dataversion.version(GROUP))
    return _LOCAL["data"]


def forget_local_copy() -> None:
    """Drop this process's copy (tests; a new process starts without one)."""
    _LOCAL.clear()


# ---------------------------------------------------------------------------------------------------- build


def published() -> dict[int, int]:
    """{current province id: first published year} of the provinces that publish."""
    from .models import PublishSetting

    return dict(PublishSetting.objects.filter(publish=True).values_list("province_id", "from_year"))


def _old_province(unit):
    while unit is not None and unit.parent_id is not None:
        unit = unit.parent
    return unit


def build() -> dict:
    from khuyencong.awards import public as award_public
    from khuyencong.awards import selectors as award_selectors
    from khuyencong.geo.models import AdminUnit, UnitSuccession
    from khuyencong.projects.models import AnnualPlan, Project, ProjectBeneficiary, Status, StatusChange
    from khuyencong.projects.selectors import money_by_project_source, plan_money

    pub = published()
    labels = dict(Status.choices)
    plans = [
        p
        for p in AnnualPlan.objects.filter(province_id__in=pub, unit__isnull=False)
        .select_related("unit", "province")
        .order_by("province__name", "year", "level")
        if p.year >= pub[p.province_id]
    ]
    plan_by_id = {p.pk: p for p in plans}
    projects = list(
        Project.objects.filter(plan_id__in=plan_by_id, status__in=PUBLISHED_STATUSES)
        .select_related("content", "commune", "province")
        .order_by("plan__province__name", "plan__year", "plan__level", "code")
    )
    ids = [p.pk for p in projects]
    money = money_by_project_source(ids)
    benefs: dict = defaultdict(list)
    for pid, name, type_code in (
        ProjectBeneficiary.objects.filter(project_id__in=ids)
        .order_by("pk")
        .values_list("project_id", "establishment__name", "establishment__establishment_type__code")
    ):
        benefs[pid].append((name, type_code))
    status_dates = dict(
        StatusChange.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(d=Max("effective_date"))
        .values_list("project_id", "d")
    )
    commune_ids = {p.commune_id for p in projects if p.commune_id}
    successors: dict = defaultdict(list)
    for old_id, name in UnitSuccession.objects.filter(old_unit_id__in=commune_ids).values_list(
        "old_unit_id", "new_unit__name"
    ):
        successors[old_id].append(name)
    rows = []
    for p in projects:
        plan = plan_by_id[p.plan_id]
        m = money.get(p.pk, {})
        executing = p.status not in NOT_EXECUTING

        def amount(code, col, m=m):
            return (m.get(code) or {}).get(col, 0)

        cp = m.get("counterpart") or {}
        commune_current = ""
        if p.commune_id:
            commune_current = (
                p.commune.name if p.commune.era == "current" else "; ".join(successors[p.commune_id])
            )
        rows.append(
            {
                "identifier": f"{plan.unit.code}-{plan.year}-{p.code}",
                "province_code": plan.unit.code,
                "year": plan.year,
                "level": plan.level,
                "code": p.code,
                "title": p.title,
                "content_code": p.content.code,
                "content": p.content.name,
                "commune": p.commune.name if p.commune_id else "",
                "commune_current": commune_current,
                "province_old": plan.unit.name if plan.unit.era == "old" else "",
                "province": p.province.name if p.province_id else "",
                "beneficiaries": "; ".join(n for n, _ in benefs[p.pk]),
                "beneficiary_types": "; ".join(t for _, t in benefs[p.pk]),
                "approved_national": amount("national", "approved") if executing else 0,
                "approved_local": amount("local", "approved") if executing else 0,
                "paid_national": amount("national", "disbursed"),
                "paid_local": amount("local", "disbursed"),
                "counterpart": cp.get("approved") or cp.get("requested") or 0,
                "status_code": p.status,
                "status": labels.get(p.status, p.status),
                "status_date": status_dates.get(p.pk),
                "decision_no": p.decision_no,
                "decision_date": p.decision_date,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "acceptance_date": p.acceptance_date,
                "flagship": p.is_flagship,
                "recoverable": p.recoverable,
                # Not a column: the IATI view and the page use them.
                "x_pk": p.pk,
                "x_province_id": plan.province_id,
                "x_description": p.description,
                "x_implementing_unit": p.implementing_unit,
                "x_contract_date": p.contract_date,
                "x_commune_code": p.commune.code if p.commune_id else "",
            }
        )
    plan_rows = []
    for plan in plans:
        fig = plan_money(plan=plan)
        state = fig["state"]
        cp = next((r for r in fig["rows"] if r["code"] == "counterpart"), None)
        rate = state["rate"]
        plan_rows.append(
            {
                "identifier": f"{plan.unit.code}-{plan.year}-{plan.level}",
                "province_code": plan.unit.code,
                "province_old": plan.unit.name if plan.unit.era == "old" else "",
                "province": plan.province.name,
                "year": plan.year,
                "level": plan.level,
                "status": plan.get_status_display(),
                "projects": fig["count"],
                "registered": state["registered"],
                "assigned": state["assigned"],
                "approved": state["approved"],
                "paid": state["paid"],
                "execution_rate": float(round(rate * 100, 1)) if rate is not None else None,
                "counterpart": cp["approved"] if cp else 0,
                "x_province_id": plan.province_id,
                "x_pk": plan.pk,
                "x_rate_text": state["rate_text"],
            }
        )
    product_rows = []
    certs = list(award_selectors.public_certificates().filter(establishment__province_id__in=pub))
    for r, c in zip(award_public.rows(certs), certs, strict=True):
        if r["year"] < pub[c.establishment.province_id]:
            continue
        product_rows.append(
            {
                "identifier": f"{r['level_code']}-{r['year']}-{r['certificate_no']}-{r['id']}",
                **{k: r[k] for k, *_ in PRODUCT_FIELDS if k != "identifier"},
                "x_province_id": c.establishment.province_id,
            }
        )
    provinces = list(AdminUnit.objects.filter(pk__in=pub).order_by("name").values("pk", "name", "code"))
    return {
        "projects": rows,
        "plans": plan_rows,
        "products": product_rows,
        "provinces": provinces,
        "from_year": pub,
        "built_at": dt.datetime.now(dt.UTC),
    }


def filtered(rows: list[dict], *, province_id: int | None = None, year: int | None = None) -> list[dict]:
    return [
        r
        for r in rows
        if (province_id is None or r["x_province_id"] == province_id) and (year is None or r["year"] == year)
    ]


def public_row(row: dict, fields) -> dict:
    return {name: row.get(name) for name, *_ in fields}


# ---------------------------------------------------------------------------------------------------- package


def table_schema(fields, primary_key: str = "identifier") -> dict:
    out = []
    for name, kind, title, description in fields:
        f = {"name": name, "type": kind, "title": title}
        if description:
            f["description"] = description
        if kind == "date":
            f["format"] = "default"
        if name == primary_key:
            f["constraints"] = {"required": True, "unique": True}
        if kind == "integer" and name not in ("year",):
            f.setdefault("constraints", {})["minimum"] = 0
        out.append(f)
    return {"fields": out, "primaryKey": primary_key, "missingValues": [""]}


def datapackage(base_url: str = "") -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "khuyen-cong-du-lieu-mo",
        "title": "Dữ liệu mở về kinh phí khuyến công",
        "description": "Đề án khuyến công đã phê duyệt, kế hoạch khuyến công năm và sản phẩm CNNT tiêu biểu "
        "của các tỉnh đã chọn công bố. Không có mã số thuế, điện thoại, thư điện tử, người đại diện, "
        "khoản vay hay nợ của cơ sở.",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "CC BY 4.0",
            }
        ],
        "resources": [
            {
                "name": name,
                "title": title,
                "path": f"{base_url}{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(fields),
            }
            for name, (title, fields) in RESOURCES.items()
        ],
    }


def cell(value):
    """A value as CSV text: dates ISO, booleans true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------------------------------- IATI

IATI_STATUS = {
    "approved": "2",
    "contracted": "2",
    "in_progress": "2",
    "stop_requested": "2",
    "completed": "3",
    "accepted": "3",
    "settled": "4",
    "stopped": "6",
    "cancelled": "5",
}


def iati_activity(row: dict) -> dict:
    """One đề án in the IATI activity standard's field names (JSON, not the XML schema)."""
    from khuyencong.projects.models import Disbursement

    org_ref = f"VN-SCT-{row['province_code']}"
    dates = [
        ("1", row["start_date"]),
        ("2", row["x_contract_date"] or row["decision_date"]),
        ("3", row["end_date"]),
        ("4", row["acceptance_date"]),
    ]
    transactions = []
    for code, name in (("national", "Khuyến công quốc gia"), ("local", "Khuyến công địa phương")):
        amount = row[f"approved_{code}"]
        if amount:
            transactions.append(
                {
                    "transaction-type": {"code": "2", "name": "Commitment"},
                    "value": {"amount": amount, "currency": "VND", "value-date": cell(row["decision_date"])},
                    "transaction-date": {"iso-date": cell(row["decision_date"])},
                    "provider-org": {"narrative": name, "ref": code},
                }
            )
    for d in (
        Disbursement.objects.filter(project_id=row["x_pk"], source__code__in=("national", "local"))
        .select_related("source")
        .order_by("date", "pk")
    ):
        transactions.append(
            {
                "transaction-type": {"code": "3", "name": "Disbursement"},
                "value": {"amount": d.amount, "currency": "VND", "value-date": d.date.isoformat()},
                "transaction-date": {"iso-date": d.date.isoformat()},
                "provider-org": {"narrative": d.source.name, "ref": d.source.code},
                "description": {"narrative": d.get_kind_display()},
            }
        )
    return {
        "iati-identifier": f"{org_ref}-{row['identifier']}",
        "reporting-org": {"ref": org_ref, "type": "10", "narrative": f"Sở Công Thương {row['province']}"},
        "default-currency": "VND",
        "xml:lang": "vi",
        "title": {"narrative": row["title"]},
        "description": [{"type": "1", "narrative": row["x_description"] or row["title"]}],
        "activity-status": {"code": IATI_STATUS.get(row["status_code"], "2"), "narrative": row["status"]},
        "activity-date": [{"type": t, "iso-date": cell(d)} for t, d in dates if d],
        "sector": [
            {
                "vocabulary": "99",
                "vocabulary-uri": "/docs/open-data.md#sector",
                "code": row["content_code"],
                "narrative": row["content"],
            }
        ],
        "location": [
            {
                "name": {"narrative": row["commune"] or row["province"]},
                "administrative": [
                    {
                        "level": "1",
                        "code": row["province_code"],
                        "narrative": row["province_old"] or row["province"],
                    },
                    *(
                        [{"level": "3", "code": row["x_commune_code"], "narrative": row["commune"]}]
                        if row["commune"]
                        else []
                    ),
                ],
            }
        ],
        "participating-org": [
            *([{"role": "4", "narrative": row["x_implementing_unit"]}] if row["x_implementing_unit"] else []),
        ],
        # Not an IATI element (the standard has no beneficiary role): the establishments supported.
        "beneficiary": [name for name in row["beneficiaries"].split("; ") if name],
        "transaction": transactions,
        "flagship": row["flagship"],
        "recoverable": row["recoverable"],
    }
