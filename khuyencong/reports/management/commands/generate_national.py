"""Synthetic national dataset for load and speed tests (never for real use).

34 current provinces and their pre-2025 units (already loaded), 20 years of annual plans, ≥ 100.000 đề án
with full status histories (StatusChange rows, the ProjectFunding history rows the as-of view reads),
disbursements and outputs, ≥ 300.000 establishments. Uses bulk_create and bypasses per-row history and the
services on purpose (speed); every synthetic row is marked (codes "NAT-…", plan titles "[Giả lập] …",
establishment notes "giả lập") so `--reset` can remove it.

    manage.py generate_national --seed 1 [--projects 100000] [--establishments 300000] [--years 20] [--reset]
"""

import datetime as dt
import json
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from khuyencong.core.text import fold

MARK = "[Giả lập]"
BATCH = 5000
WORDS = [
    "Minh",
    "An",
    "Phát",
    "Thành",
    "Hưng",
    "Lộc",
    "Tân",
    "Phú",
    "Hòa",
    "Long",
    "Thịnh",
    "Đức",
    "Việt",
    "Nam",
    "Sơn",
    "Hà",
    "Bình",
    "Kim",
    "Ngọc",
    "Hoàng",
    "Gia",
    "Quang",
    "Trường",
    "Hải",
    "Bảo",
    "Châu",
    "Đông",
    "Tây",
]
PRODUCTS = [
    "chế biến nông sản",
    "đồ gỗ mỹ nghệ",
    "cơ khí nhỏ",
    "mây tre đan",
    "gạch không nung",
    "nước mắm",
    "bánh tráng",
    "thạch dừa",
    "chè",
    "gốm",
    "dệt thổ cẩm",
    "may mặc",
    "phụ tùng",
    "in bao bì",
    "miến dong",
]
CONTENT_WEIGHTS = {"1": 12, "2": 6, "3": 40, "4": 18, "5": 6, "6": 8, "7": 4, "8": 1, "9": 5}
OUTPUTS = {
    "1": [("hoc-vien", 20, 60), ("lao-dong-co-viec", 10, 40)],
    "2": [("lop-tap-huan", 1, 4)],
    "3": [("may-moc", 1, 6), ("co-so-ho-tro", 1, 1), ("viec-lam-moi", 2, 15)],
    "4": [("luot-hoi-cho", 5, 40), ("san-pham-binh-chon", 3, 15)],
    "5": [("tu-van", 1, 5)],
    "6": [("tuyen-truyen", 5, 30)],
    "7": [("cum-cong-nghiep", 1, 1)],
    "8": [],
    "9": [],
}


def _aware(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


class Command(BaseCommand):
    help = "Tạo bộ dữ liệu giả lập toàn quốc (đề án, cơ sở, lịch sử trạng thái) để đo tốc độ."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--projects", type=int, default=100_000)
        parser.add_argument("--establishments", type=int, default=300_000)
        parser.add_argument("--years", type=int, default=20)
        parser.add_argument("--last-year", type=int, default=2025)
        parser.add_argument("--reset", action="store_true", help="Xóa dữ liệu giả lập cũ trước khi tạo")

    def handle(self, *args, **opts):
        from khuyencong.projects.models import Project

        started = time.monotonic()
        self.rng = random.Random(opts["seed"])
        if opts["reset"]:
            self.reset()
        elif Project.objects.filter(code__startswith="NAT-").exists():
            raise CommandError("Đã có dữ liệu giả lập; chạy lại với --reset để tạo lại.")
        self.now = timezone.now()
        self.load_refs()
        years = list(range(opts["last_year"] - opts["years"] + 1, opts["last_year"] + 1))
        with transaction.atomic():
            n_est = self.make_establishments(opts["establishments"])
            self.say(f"cơ sở: {n_est:,}", started)
            plans = self.make_plans(years, opts["projects"])
            self.say(f"kế hoạch: {len(plans):,}", started)
            counts = self.make_projects(plans, opts["projects"])
            self.say("đề án: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), started)
            # The raw inserts above bypass the model signals that mark plans: rebuild the dashboard summary.
            from khuyencong.reports.figures import plan_figures_rebuild

            self.say(f"số liệu tổng hợp theo kế hoạch: {plan_figures_rebuild():,} dòng", started)
            # … the đề án search column (code, title and the beneficiaries' text) …
            from khuyencong.projects.models import Project
            from khuyencong.projects.search import refresh_search_text

            ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), 10_000):
                refresh_search_text(ids[start : start + 10_000])
            self.say(f"cột tìm kiếm đề án: {len(ids):,}", started)
            # … and the as-of table the lists read (one row per đề án and day on which it changed).
            from khuyencong.projects.asof import rebuild as asof_rebuild

            self.say(f"bảng tình trạng theo ngày: {asof_rebuild():,} dòng", started)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        self.say("xong", started)

    def say(self, text, started):
        self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {text}")

    # ------------------------------------------------------------------------------------------------ setup
    def reset(self):
        from khuyencong.beneficiaries.models import Establishment
        from khuyencong.projects.models import (
            AnnualPlan,
            Batch,
            Disbursement,
            Project,
            ProjectBeneficiary,
            ProjectFunding,
            ProjectOutput,
            StatusChange,
        )

        with transaction.atomic():
            projects = Project.objects.filter(code__startswith="NAT-")
            H = ProjectFunding.history.model
            H.objects.filter(project_id__in=projects.values("pk"))._raw_delete(H.objects.db)
            for model in (StatusChange, Disbursement, ProjectOutput, ProjectBeneficiary, ProjectFunding):
                model.objects.filter(project__in=projects)._raw_delete(model.objects.db)
            projects._raw_delete(Project.objects.db)
            plans = AnnualPlan.objects.filter(title__startswith=MARK)
            from khuyencong.reports.models import PlanFigure, PlanFigureDirty

            PlanFigure.objects.filter(plan__in=plans)._raw_delete(PlanFigure.objects.db)
            PlanFigureDirty.objects.filter(plan_id__in=plans.values("pk"))._raw_delete(
                PlanFigureDirty.objects.db
            )
            from khuyencong.projects.models import BatchAllocation

            BatchAllocation.objects.filter(batch__plan__in=plans)._raw_delete(BatchAllocation.objects.db)
            Batch.objects.filter(plan__in=plans)._raw_delete(Batch.objects.db)
            plans._raw_delete(AnnualPlan.objects.db)
            Establishment.objects.filter(notes="giả lập")._raw_delete(Establishment.objects.db)
        self.stdout.write("Đã xóa dữ liệu giả lập cũ.")

    def load_refs(self):
        from khuyencong.catalog.models import (
            ActivityContent,
            EstablishmentType,
            FundingSource,
            OutputIndicator,
            Sector,
        )
        from khuyencong.geo.models import AdminUnit

        old = list(AdminUnit.objects.filter(era="old", level=1).order_by("code"))
        cur = list(AdminUnit.objects.filter(era="current", level=1).order_by("code"))
        if len(cur) != 34 or len(old) != 63:
            raise CommandError("Chưa nạp đơn vị hành chính (chạy setup_demo hoặc migrate + load_base).")
        self.old_provinces, self.current_provinces = old, cur
        self.communes: dict[int, list[tuple[int, int]]] = {}
        for cid, prov_old, cprov in AdminUnit.objects.filter(era="old", level=3).values_list(
            "id", "parent__parent_id", "current_province_id"
        ):
            self.communes.setdefault(prov_old, []).append((cid, cprov))
        self.current_communes: dict[int, list[tuple[int, int]]] = {}
        for cid, cprov in AdminUnit.objects.filter(era="current", level=3).values_list(
            "id", "current_province_id"
        ):
            self.current_communes.setdefault(cprov, []).append((cid, cprov))
        self.contents = {
            c.code: c for c in ActivityContent.objects.filter(legal_basis__number="45/2012/NĐ-CP")
        }
        self.sources = {s.code: s for s in FundingSource.objects.all()}
        self.types = list(EstablishmentType.objects.all())
        self.sectors = list(Sector.objects.all())
        self.indicators = {i.code: i for i in OutputIndicator.objects.all()}

    # ------------------------------------------------------------------------------------------ raw inserts
    def table(self, model, rows_overrides):
        """Rows for `model` in its column order: every concrete field, its default unless overridden."""
        rows_overrides = list(rows_overrides)
        pk = model._meta.pk
        fields = [
            f
            for f in model._meta.concrete_fields
            if not (f is pk and rows_overrides and pk.attname not in rows_overrides[0])
        ]  # let the DB number it
        defaults = []
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults.append(self.now)
            else:
                defaults.append(f.get_default())  # "" for text, None for nullable, the declared default
        names = [f.attname for f in fields]
        out = []
        for over in rows_overrides:
            out.append(tuple(over.get(n, d) for n, d in zip(names, defaults, strict=True)))
        return model._meta.db_table, [f.column for f in fields], out

    def insert(self, model, rows_overrides) -> int:
        table, columns, rows = self.table(model, rows_overrides)
        if not rows:
            return 0
        if connection.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in columns)
            with connection.cursor() as cur:
                with cur.connection.cursor().copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row])
        else:

            def conv(v):
                if isinstance(v, dt.datetime):
                    return v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
                if isinstance(v, dt.date):
                    return v.isoformat()
                if isinstance(v, dict):
                    return json.dumps(v)
                return v

            sql = (
                f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) VALUES '
                f"({', '.join('?' for _ in columns)})"
            )
            with connection.cursor() as cur:
                cur.connection.executemany(sql, [tuple(conv(v) for v in row) for row in rows])
        return len(rows)

    def next_id(self, model) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(m=Max(model._meta.pk.attname))["m"] or 0) + 1

    def fix_sequences(self, *models):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cur:
            for model in models:
                table, pk = model._meta.db_table, model._meta.pk.column
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "
                    f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
                )

    # ------------------------------------------------------------------------------------------ establishment
    def make_establishments(self, n: int) -> int:
        from khuyencong.beneficiaries.models import Establishment

        rng = self.rng
        self.now = now = timezone.now()
        units = [(u.id, self.communes.get(u.id) or []) for u in self.old_provinces]
        units = [(uid, cs) for uid, cs in units if cs]
        self.est_by_old: dict[int, list[int]] = {uid: [] for uid, _cs in units}
        first = next_id = self.next_id(Establishment)
        rows = []
        for i in range(n):
            prov_old, communes = units[i % len(units)]
            commune_id, cprov = communes[rng.randrange(len(communes))]
            t = self.types[rng.randrange(len(self.types))]
            product = PRODUCTS[rng.randrange(len(PRODUCTS))]
            word1, word2 = WORDS[rng.randrange(len(WORDS))], WORDS[rng.randrange(len(WORDS))]
            name = f"{t.code} {word1} {word2} {product} {i + 1}"
            rows.append(
                {
                    "id": next_id,
                    "name": name,
                    "establishment_type_id": t.id,
                    "commune_id": commune_id,
                    "province_id": cprov,
                    "sector_id": self.sectors[rng.randrange(len(self.sectors))].id,
                    "main_products": product,
                    "employees": rng.randint(2, 200),
                    "founded_year": rng.randint(1990, 2024),
                    "notes": "giả lập",
                    "tax_code": None,
                    "search_text": fold(f"{name} {product}"),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            self.est_by_old[prov_old].append(next_id)
            next_id += 1
            if len(rows) >= 50_000:
                self.insert(Establishment, rows)
                rows = []
        self.insert(Establishment, rows)
        self.fix_sequences(Establishment)
        return next_id - first

    # ------------------------------------------------------------------------------------------------ plans
    def make_plans(self, years, n_projects):
        from khuyencong.projects.models import AnnualPlan

        now = self.now
        plans = []
        taken = set(AnnualPlan.objects.values_list("unit_id", "year", "level"))  # real (demo) plans stay
        for year in years:
            units = self.current_provinces if year >= 2025 else self.old_provinces
            for unit in units:
                for level in ("national", "local"):
                    if (unit.id, year, level) in taken:
                        continue
                    plans.append(
                        AnnualPlan(
                            unit=unit,
                            province_id=unit.current_province_id or unit.id,
                            year=year,
                            level=level,
                            status="assigned",
                            title=f"{MARK} Kế hoạch {'KCQG' if level == 'national' else 'KCĐP'} "
                            f"năm {year} — {unit.name}",
                            created_at=now,
                            updated_at=now,
                        )
                    )
        return AnnualPlan.objects.bulk_create(plans, batch_size=BATCH)

    # ----------------------------------------------------------------------------------------------- đề án
    def make_projects(self, plans, n_projects) -> dict:
        from khuyencong.projects.models import (
            Batch,
            Disbursement,
            Project,
            ProjectBeneficiary,
            ProjectFunding,
            ProjectOutput,
            StatusChange,
        )

        rng = self.rng
        now = self.now
        H = ProjectFunding.history.model
        contents = list(CONTENT_WEIGHTS)
        weights = [CONTENT_WEIGHTS[c] for c in contents]
        per_plan = [n_projects // len(plans)] * len(plans)
        for i in range(n_projects - sum(per_plan)):
            per_plan[i] += 1
        today = dt.date.today()
        ids = {
            m: self.next_id(m)
            for m in (Project, ProjectFunding, StatusChange, Disbursement, ProjectOutput, ProjectBeneficiary)
        }
        buf = {
            m: []
            for m in (
                Project,
                ProjectFunding,
                H,
                StatusChange,
                Disbursement,
                ProjectOutput,
                ProjectBeneficiary,
            )
        }
        counts = {m: 0 for m in buf}

        def flush():
            for model, rows in buf.items():
                counts[model] += self.insert(model, rows)
                rows.clear()

        def add(model, row):
            if model is not H:
                row["id"] = ids[model]
                ids[model] += 1
            buf[model].append(row)
            return row.get("id")

        batches = []
        for plan, n in zip(plans, per_plan, strict=True):
            year = plan.year
            plan_total = 0
            ests = self.est_by_old.get(plan.unit_id) or []
            if not ests and plan.unit.era == "current":
                ests = [
                    e
                    for old in self.old_provinces
                    if old.current_province_id == plan.unit_id
                    for e in self.est_by_old.get(old.id, [])[:2000]
                ]
            source = self.sources[plan.level]
            for k in range(n):
                content = rng.choices(contents, weights)[0]
                support = (rng.randrange(20, 300) if content == "3" else rng.randrange(10, 150)) * 1_000_000
                plan_total += support
                steps, status, progress = self.path(year, today)
                code = f"NAT-{year}-{plan.unit.code}-{plan.level[0].upper()}{k + 1:03d}"
                title = (
                    f"Hỗ trợ {PRODUCTS[rng.randrange(len(PRODUCTS))]} "
                    f"({'KCQG' if plan.level == 'national' else 'KCĐP'} {year})"
                )
                pid = add(
                    Project,
                    {
                        "code": code,
                        "title": title,
                        "search_text": fold(f"{code} {title}"),
                        "content_id": self.contents[content].id,
                        "plan_id": plan.id,
                        "province_id": plan.province_id,
                        "implementing_unit": "Trung tâm Khuyến công",
                        "start_date": dt.date(year, 3, 1),
                        "end_date": dt.date(year, 11, 30),
                        "status": status,
                        "progress_pct": progress,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
                for frm, to, day, action, pct in steps:
                    at = self.at(day)
                    add(
                        StatusChange,
                        {
                            "project_id": pid,
                            "changed_at": at,
                            "effective_date": day,
                            "from_status": frm,
                            "to_status": to,
                            "action": action,
                            "progress_pct": pct,
                            "note": "giả lập",
                            "data": {},
                            "created_at": at,
                            "updated_at": at,
                        },
                    )
                approved_at = self.at(dt.date(year - 1, 8, 1))
                money = [(source.id, support)]
                if content == "3":
                    money.append((self.sources["counterpart"].id, support * rng.randint(2, 5)))
                for source_id, amount in money:
                    fid = add(
                        ProjectFunding,
                        {
                            "project_id": pid,
                            "source_id": source_id,
                            "requested": amount,
                            "approved": amount,
                            "effective_date": approved_at.date(),
                            "created_at": approved_at,
                            "updated_at": approved_at,
                        },
                    )
                    add(
                        H,
                        {
                            "id": fid,
                            "project_id": pid,
                            "source_id": source_id,
                            "requested": amount,
                            "effective_date": approved_at.date(),
                            "approved": amount,
                            "created_at": approved_at,
                            "updated_at": approved_at,
                            "version": 1,
                            "history_date": approved_at,
                            "history_type": "+",
                            "history_change_reason": "giả lập",
                            "history_user_id": None,
                        },
                    )
                reached = {s[1] for s in steps}
                if "contracted" in reached:
                    advance = support * 3 // 10
                    day = dt.date(year, 3, 15)
                    add(
                        Disbursement,
                        {
                            "project_id": pid,
                            "kind": "advance",
                            "source_id": source.id,
                            "date": day,
                            "amount": advance,
                            "document_no": "TU",
                            "created_at": self.at(day),
                            "updated_at": self.at(day),
                        },
                    )
                    if "completed" in reached:
                        day = dt.date(year, 11, 5)
                        add(
                            Disbursement,
                            {
                                "project_id": pid,
                                "kind": "payment",
                                "source_id": source.id,
                                "date": day,
                                "amount": support - advance,
                                "document_no": "TT",
                                "created_at": self.at(day),
                                "updated_at": self.at(day),
                            },
                        )
                if "completed" in reached:
                    day = dt.date(year, 10, 30)
                    for code, lo, hi in OUTPUTS.get(content, []):
                        ind = self.indicators.get(code)
                        if ind is not None:
                            add(
                                ProjectOutput,
                                {
                                    "project_id": pid,
                                    "indicator_id": ind.id,
                                    "quantity": rng.randint(lo, hi),
                                    "date": day,
                                    "created_at": self.at(day),
                                    "updated_at": self.at(day),
                                },
                            )
                if ests and content in ("1", "3", "4", "5"):
                    add(
                        ProjectBeneficiary,
                        {
                            "project_id": pid,
                            "establishment_id": ests[rng.randrange(len(ests))],
                            "created_at": now,
                            "updated_at": now,
                        },
                    )
                if len(buf[Project]) >= 10_000:
                    flush()
            batches.append(
                Batch(
                    plan=plan,
                    number=1,
                    decision_no=f"{rng.randint(100, 4000)}/QĐ-{year}",
                    decision_date=dt.date(year, 2, 15),
                    issuer="Cục / UBND tỉnh",
                    total=plan_total,
                    created_at=now,
                    updated_at=now,
                )
            )
        flush()
        Batch.objects.bulk_create(batches, batch_size=BATCH)
        from khuyencong.projects.models import BatchAllocation

        BatchAllocation.objects.bulk_create(
            [
                BatchAllocation(
                    batch=b, source=self.sources[b.plan.level], amount=b.total, created_at=now, updated_at=now
                )
                for b in batches
                if b.total
            ],
            batch_size=BATCH,
        )
        self.fix_sequences(
            Project, ProjectFunding, H, StatusChange, Disbursement, ProjectOutput, ProjectBeneficiary
        )
        labels = {
            Project: "đề án",
            StatusChange: "chuyển trạng thái",
            Disbursement: "giải ngân",
            ProjectOutput: "đầu ra",
            ProjectFunding: "kinh phí",
            H: "lịch sử kinh phí",
            ProjectBeneficiary: "thụ hưởng",
        }
        return {labels[m]: v for m, v in counts.items()}

    def at(self, day: dt.date):
        cache = self.__dict__.setdefault("_at", {})
        if day not in cache:
            cache[day] = _aware(day)
        return cache[day]

    def path(self, year, today):
        """A plausible life with its StatusChange rows: registration the year before, approval in February,
        progress, end; a few cancelled or stopped; recent years stop at today."""
        rng = self.rng
        steps = [
            ("", "draft", dt.date(year - 1, 8, 1), "create", 0),
            ("draft", "registered", dt.date(year - 1, 8, 20), "", None),
            ("registered", "appraised", dt.date(year - 1, 10, 10), "", None),
            ("appraised", "approved", dt.date(year, 2, 20), "", None),
            ("approved", "contracted", dt.date(year, 3, 5), "", None),
            ("contracted", "in_progress", dt.date(year, 5, 10), "", 50),
            ("in_progress", "completed", dt.date(year, 10, 30), "", 100),
            ("completed", "accepted", dt.date(year, 11, 20), "", 100),
            ("accepted", "settled", dt.date(year, 12, 20), "", 100),
        ]
        roll = rng.random()
        if roll < 0.04:
            steps = steps[:4] + [("approved", "cancelled", dt.date(year, 4, 1), "", None)]
        elif roll < 0.10:
            steps = steps[:6] + [
                ("in_progress", "stop_requested", dt.date(year, 6, 15), "", None),
                ("stop_requested", "stopped", dt.date(year, 7, 20), "", None),
            ]
        steps = [s for s in steps if s[2] <= today]
        status = steps[-1][1]
        progress = next((s[4] for s in reversed(steps) if s[4] is not None), 0)
        if status in ("draft", "registered", "appraised", "approved", "contracted", "cancelled"):
            progress = 0
        return steps, status, progress
