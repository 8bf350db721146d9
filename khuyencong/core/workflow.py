"""One workflow engine for every record with a status (đề án, programme, report, plan; voting rounds and
loans).

An app declares its table as data — `{(from, to): {"roles", "requires", "label", ...}}` — in a `Workflow`, and
its service calls `run_transition(...)`, which in one transaction:

1. locks the row (`select_for_update`) and lets the app check scope (`authorize`);
2. requires the version the actor saw: a missing or stale version is refused with 409 and nothing changes;
3. finds the table row (else 409 "cannot move from … to …"), checks the actor's role and the required fields;
4. reads the business date (`effective_date`, default today): a future date, or one before the previous step's
   business date, is refused naming both dates; `extra_roles` lets an officer record a decision already taken
   and documented (an import of last year's plan);
5. lets the app apply the step's data (`apply`), sets the status, bumps the version, saves with history;
6. hands the app one change description — before and after of every tracked field the step touched — to
   write its change row (`record`).

Nothing else writes a status.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from .audit import normalise_text_fields, save_audited
from .errors import ConcurrentEditError, DomainError, NotAllowed
from .permissions import ADMIN, APPROVER, OFFICER, ROLE_LABELS, VIEWER, role_of


class TransitionRefused(DomainError):
    code = "invalid_transition"
    status = 409


class VersionRequired(ConcurrentEditError):
    def __init__(self):
        super().__init__(
            "Thiếu phiên bản bản ghi bạn đã xem (version): không thể kiểm tra người khác đã thay đổi "
            "bản ghi hay chưa. Hãy tải lại trang rồi thực hiện lại.",
            details={"missing": ["version"]},
        )


WORKFLOWS: dict[str, "Workflow"] = {}


def workflow_for(instance) -> "Workflow | None":
    """The table of a record's model (apps declare theirs in workflow.py or services.py)."""
    import importlib

    label = instance._meta.label_lower
    if label not in WORKFLOWS:
        for module in ("workflow", "services"):
            try:
                importlib.import_module(f"{instance._meta.app_config.name}.{module}")
            except ImportError:
                continue
    return WORKFLOWS.get(label)


@dataclass
class Workflow:
    """A status table. `transitions[(frm, to)]` is a dict with at least `roles` (frozenset) and `label`;
    `requires` (field names that must be present in the step's data) is optional. `events[name]` are steps
    that
    leave the status as it is (adjustment, extension): a row with `statuses` (where the event is allowed),
    `roles`, `requires` and `label`. `money_fields` are shown as amounts in đồng in the history."""

    name: str
    transitions: dict[tuple[str, str], dict]
    status_labels: dict[str, str]
    field_labels: dict[str, str] = field(default_factory=dict)
    noun: str = "bản ghi"
    # How a message names one record ("đề án «KCĐP-2018-07»"); default: the noun alone.
    describe: Callable[[object], str] | None = None
    events: dict[str, dict] = field(default_factory=dict)
    money_fields: frozenset = frozenset()
    # "app_label.model" of the record: the history page finds the table (labels) of a record by it.
    model_label: str = ""

    def __post_init__(self):
        if self.model_label:
            WORKFLOWS[self.model_label] = self

    def name_of(self, instance) -> str:
        return self.describe(instance) if self.describe else self.noun

    def status_label(self, status: str) -> str:
        return self.status_labels.get(status, status)

    def rule(self, frm: str, to: str) -> dict | None:
        return self.transitions.get((frm, to))

    def allowed(self, status: str, role: str | None, *, check: Callable[[dict], bool] | None = None):
        """The targets (with their row) that `role` may move a record in `status` to."""
        return [
            (to, rule)
            for (frm, to), rule in self.transitions.items()
            if frm == status and role in rule["roles"] and (check is None or check(rule))
        ]

    def require_role(self, rule: dict, role: str | None) -> None:
        if role not in rule["roles"]:
            allowed = ", ".join(ROLE_LABELS[r] for r in sorted(rule["roles"]))
            raise NotAllowed(
                f"Vai trò «{ROLE_LABELS.get(role, 'không xác định')}» không được phép "
                f"«{rule['label']}» (cần vai trò: {allowed})."
            )

    def require_data(self, requires: Iterable[str], data: dict) -> None:
        missing = [f for f in requires if data.get(f) in (None, "")]
        if missing:
            labels = ", ".join(self.field_labels.get(f, f) for f in missing)
            raise DomainError(
                f"Thiếu thông tin bắt buộc: {labels}.", field=missing[0], details={"missing": missing}
            )


def business_date(
    value,
    *,
    previous: dt.date | None = None,
    previous_label: str = "bước trước",
    label: str = "Ngày hiệu lực",
    field: str = "effective_date",
) -> dt.date:
    """The date on the step's document: default today; never in the future; never before `previous`."""
    from .fields import parse_business_date
    from .fields import today as today_

    today = today_()
    day = today if value in (None, "") else parse_business_date(value, label=label.lower(), field=field)
    if day > today:
        raise DomainError(
            f"{label} ({day:%d/%m/%Y}) không được sau ngày hôm nay ({today:%d/%m/%Y}).",
            field=field,
            code="future_date",
        )
    if previous is not None and day < previous:
        raise DomainError(
            f"{label} ({day:%d/%m/%Y}) không được trước ngày của {previous_label} ({previous:%d/%m/%Y}).",
            field=field,
            code="date_order",
            details={"date": day.isoformat(), "previous": previous.isoformat()},
        )
    return day


def jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        k: [jsonable(before.get(k)), jsonable(after.get(k))] for k in after if before.get(k) != after.get(k)
    }


@dataclass
class Step:
    """What `run_transition` hands to `record`: the locked record and everything about the applied step."""

    instance: object
    frm: str
    to: str
    rule: dict
    effective_date: dt.date
    changes: dict
    data: dict
    event: str | None = None  # the event's name when the step leaves the status as it is


def prepare_step(
    *,
    workflow: Workflow,
    instance,
    role: str | None,
    to_status: str,
    effective_date=None,
    data: dict,
    tracked: Iterable[str] = (),
    previous: dt.date | None = None,
    check_rule: Callable[[object, dict], None] | None = None,
    apply: Callable[[object, str, str, dict, dt.date], None] | None = None,
    status_field: str = "status",
    extra_roles: frozenset = frozenset(),
) -> Step:
    """Steps 3-5 of the module docstring on a record held in memory, nothing saved: the table row (or event),
    the role, the required data, the business date against `previous`, `apply`, the new status and version.
    Returns the Step with the before → after of the tracked fields. `run_transition` saves what this
    prepared;
    a bulk import (projects.plan_import) runs it on new records that it then inserts set-based, so both obey
    the same table and checks."""
    frm = getattr(instance, status_field)
    event = to_status if to_status in workflow.events else None
    if event is not None:
        rule = workflow.events[event]
        if frm not in rule["statuses"]:
            raise TransitionRefused(
                f"Không thể «{rule['label']}» {workflow.name_of(instance)} đang ở trạng thái "
                f"«{workflow.status_label(frm)}».",
                details={"from": frm, "event": event},
            )
        to_status = frm
    else:
        rule = workflow.rule(frm, to_status)
    if rule is None:
        raise TransitionRefused(
            f"Không thể chuyển {workflow.name_of(instance)} từ trạng thái «{workflow.status_label(frm)}» "
            f"sang "
            f"«{workflow.status_label(to_status)}».",
            details={"from": frm, "to": to_status},
        )
    workflow.require_role({**rule, "roles": rule["roles"] | extra_roles}, role)
    if check_rule is not None:
        check_rule(instance, rule)
    workflow.require_data(rule.get("requires", ()), data)
    day = business_date(effective_date, previous=previous)
    tracked = list(tracked)
    before = {f: getattr(instance, f) for f in tracked}
    before[status_field] = frm
    if apply is not None:
        # `apply` may raise a DomainError: the transaction rolls back and nothing is written.
        apply(instance, frm, to_status, data, day)
    setattr(instance, status_field, to_status)
    instance.version += 1
    normalise_text_fields(instance)  # as the save will: the after values are the stored ones
    after = {f: getattr(instance, f) for f in tracked}
    after[status_field] = to_status
    return Step(
        instance=instance,
        frm=frm,
        to=to_status,
        rule=rule,
        effective_date=day,
        changes=diff(before, after),
        data=data,
        event=event,
    )


def run_transition(
    *,
    workflow: Workflow,
    queryset,
    pk,
    actor,
    to_status: str,
    expected_version,
    effective_date=None,
    data: dict | None = None,
    tracked: Iterable[str] = (),
    authorize: Callable[[object], None] | None = None,
    previous_date: Callable[[object], dt.date | None] | None = None,
    check_rule: Callable[[object, dict], None] | None = None,
    apply: Callable[[object, str, str, dict, dt.date], None] | None = None,
    record: Callable[[Step], object] | None = None,
    status_field: str = "status",
    extra_roles: frozenset = frozenset(),
):
    """Apply one step of `workflow` to row `pk` of `queryset` (see the module docstring). Returns the
    record."""
    data = dict(data or {})
    role = role_of(actor)
    with transaction.atomic():
        # The record's own row only: a queryset that select_related()s a nullable foreign key joins it with a
        # LEFT OUTER JOIN, which PostgreSQL refuses to lock ("FOR UPDATE cannot be applied to the nullable
        # side of an outer join").
        locked = queryset.select_for_update(of=("self",)).get(pk=pk)
        if authorize is not None:
            authorize(locked)
        if expected_version in (None, ""):
            raise VersionRequired()
        try:
            stale = int(expected_version) != locked.version
        except (TypeError, ValueError):
            raise ConcurrentEditError(details={"version": str(expected_version)})
        if stale:
            raise ConcurrentEditError()
        step = prepare_step(
            workflow=workflow,
            instance=locked,
            role=role,
            to_status=to_status,
            effective_date=effective_date,
            data=data,
            tracked=tracked,
            previous=previous_date(locked) if previous_date is not None else None,
            check_rule=check_rule,
            apply=apply,
            status_field=status_field,
            extra_roles=extra_roles,
        )
        save_audited(locked, actor=actor, reason=step.rule["label"])
        if record is not None:
            record(step)
        return locked


# ---------------------------------------------------------------------------------------------------- display

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FUNDING_COLUMNS = {"requested": "Đề nghị hỗ trợ", "approved": "Được phê duyệt"}


def format_value(value, *, money: bool = False, status_labels: dict | None = None) -> str:
    """One value of a change row the way people read it: statuses by their label, amounts in đồng with dots,
    dates dd/mm/yyyy; nothing is "(trống)"."""
    from .money import format_vnd

    if value in (None, ""):
        return "(trống)"
    if status_labels is not None:
        return status_labels.get(value, str(value))
    if money:
        try:
            return format_vnd(int(value))
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dict | list):
        # A stored table of figures (e.g. a report's manual figures): its keys are code names, not words.
        return "(bảng số liệu — xem trên trang của bản ghi)"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _label(name: str, workflow: Workflow | None, model) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:
            pass
    text = (workflow.field_labels.get(name) if workflow else None) or name
    return text[:1].upper() + text[1:]


def _choice_labels(name: str, model) -> dict | None:
    """The labels of a model field's choices ("passed" → "Đạt"), so no stored code reaches a page."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except Exception:
        return None
    return dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else None


def describe_changes(
    changes: dict | None, *, workflow: Workflow | None = None, model=None, status_field: str = "status"
) -> list[dict]:
    """A change row's {field: [before, after]} as [{"field", "old", "new"}] ready to show. The "funding" entry
    (before and after {source code: {"requested", "approved"}}) gives one line per source and column that
    changed, e.g. "Được phê duyệt — KCQG: 0 đồng → 350.000.000 đồng"."""
    rows = []
    for name, pair in (changes or {}).items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        old, new = pair
        if name == "funding":
            rows.extend(_funding_lines(old or {}, new or {}))
            continue
        is_status = name in (status_field, "status")
        labels = workflow.status_labels if workflow is not None and is_status else None
        money = workflow is not None and name in workflow.money_fields
        choices = _choice_labels(name, model)
        rows.append(
            {
                "field": "Trạng thái"
                if labels is not None or (is_status and choices)
                else _label(name, workflow, model),
                "old": format_value(old, money=money, status_labels=labels or choices),
                "new": format_value(new, money=money, status_labels=labels or choices),
            }
        )
    return rows


def _funding_lines(old: dict, new: dict) -> list[dict]:
    from django.apps import apps

    names = dict(apps.get_model("catalog", "FundingSource").objects.values_list("code", "short_name"))
    rows = []
    for code in [*old, *[c for c in new if c not in old]]:
        before, after = old.get(code) or {}, new.get(code) or {}
        for col, label in FUNDING_COLUMNS.items():
            if (before.get(col) or 0) != (after.get(col) or 0):
                rows.append(
                    {
                        "field": f"{label} — {names.get(code, code)}",
                        "old": format_value(before.get(col) or 0, money=True),
                        "new": format_value(after.get(col) or 0, money=True),
                    }
                )
    return rows


# ---------------------------------------------------------------------------------------------- who acts next

# How the "who acts next" line names the role that takes a step ("Chờ lãnh đạo Sở … thẩm định").
ROLE_ACTORS = {OFFICER: "cán bộ", APPROVER: "lãnh đạo", ADMIN: "quản trị viên", VIEWER: "người xem"}
ORG_KINDS_OF_PROVINCE = ("department", "centre")  # who acts for a province: the Sở, its centre


def next_steps(workflow: Workflow, status: str, *, check: Callable[[str, dict], bool] | None = None):
    """The table rows a record in `status` waits on: the rows leaving `status` that carry a "waits" phrase
    (the main path; cancelling, stop requests and sending back are side steps and carry none), filtered by
    `check(to, rule)` where the record itself decides (a failed appraisal waits on the officer, not on the
    approval)."""
    return [
        (to, rule)
        for (frm, to), rule in workflow.transitions.items()
        if frm == status and rule.get("waits") and (check is None or check(to, rule))
    ]


def _acting_role(roles) -> str | None:
    """The role a step is meant for: the lowest one allowed (an admin may always stand in)."""
    for role in (OFFICER, APPROVER, ADMIN):
        if role in roles:
            return role
    return None


def acting_organisations(role: str | None, *, province_id: int | None, ministry: bool = False) -> str:
    """The organisation(s) whose users take a step: the Cục for a step of the ministry (or a record of no
    province); else the Sở / centre of the province that has active users of that role, else the province's
    Sở, else «Sở Công Thương <tỉnh>»."""
    from khuyencong.accounts.models import Organisation, User
    from khuyencong.geo.models import AdminUnit

    if ministry or province_id is None:
        names = list(
            Organisation.objects.filter(kind="ministry", is_active=True)
            .order_by("pk")
            .values_list("name", flat=True)
        )
        return names[0] if names else "Cục"
    orgs = Organisation.objects.filter(kind__in=ORG_KINDS_OF_PROVINCE, unit_id=province_id, is_active=True)
    staffed = orgs.filter(pk__in=User.objects.filter(is_active=True, role=role).values("organisation_id"))
    # The Sở first, then its centre.
    rows = sorted(staffed.values_list("kind", "name"), key=lambda r: (r[0] != "department", r[1]))
    names = list(dict.fromkeys(name for _kind, name in rows))
    if not names:
        names = list(orgs.filter(kind="department").order_by("name").values_list("name", flat=True))[:1]
    if not names:
        unit = AdminUnit.objects.filter(pk=province_id).values_list("short_name", "name").first()
        names = [f"Sở Công Thương {(unit[0] or unit[1]) if unit else ''}".strip()]
    return " hoặc ".join(names)


def who_acts_next(
    workflow: Workflow,
    status: str,
    *,
    province_id: int | None,
    check: Callable[[str, dict], bool] | None = None,
) -> str:
    """The line every record page shows under its status: who must take the next step and what it is —
    "Chờ lãnh đạo Sở Công Thương tỉnh Vĩnh Long nghiệm thu", "Chờ lãnh đạo Cục … tiếp nhận báo cáo" — read
    from the table: the rows leaving `status` that carry a "waits" phrase, the role they are meant for and the
    organisation whose users hold it (a row with "actor": "ministry" is the Cục's). A status with no such row
    is the end of the path."""
    groups: dict[str, list[str]] = {}
    for _to, rule in next_steps(workflow, status, check=check):
        role = _acting_role(rule["roles"])
        org = acting_organisations(role, province_id=province_id, ministry=rule.get("actor") == "ministry")
        actor = f"{ROLE_ACTORS.get(role, 'người có thẩm quyền')} {org}"
        phrases = groups.setdefault(actor, [])
        if rule["waits"] not in phrases:
            phrases.append(rule["waits"])
    if not groups:
        noun = workflow.noun[:1].upper() + workflow.noun[1:]
        return f"{noun} ở trạng thái «{workflow.status_label(status)}»: không còn bước xử lý nào."
    return "Chờ " + "; hoặc ".join(f"{actor} {' hoặc '.join(steps)}" for actor, steps in groups.items())
