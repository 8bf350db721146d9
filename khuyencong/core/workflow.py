"""One workflow engine for every record with a status (đề án, programme, report, plan; voting rounds and loans).

An app declares its table as data — `{(from, to): {"roles", "requires", "label", ...}}` — in a `Workflow`, and
its service calls `run_transition(...)`, which in one transaction:

1. locks the row (`select_for_update`) and lets the app check scope (`authorize`);
2. requires the version the actor saw: a missing or stale version is refused with 409 and nothing changes;
3. finds the table row (else 409 "cannot move from … to …"), checks the actor's role and the required fields;
4. reads the business date (`effective_date`, default today): a future date, or one before the previous step's
   business date, is refused naming both dates;
5. lets the app apply the step's data (`apply`), sets the status, bumps the version, saves with history;
6. hands the app one change description — before and after of every tracked field the step touched — to
   write its change row (`record`).

Nothing else writes a status.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .audit import save_audited
from .errors import ConcurrentEditError, DomainError, NotAllowed
from .permissions import ROLE_LABELS, role_of


class TransitionRefused(DomainError):
    code = "invalid_transition"
    status = 409


class VersionRequired(ConcurrentEditError):
    def __init__(self):
        super().__init__("Thiếu phiên bản bản ghi bạn đã xem (version): không thể kiểm tra người khác đã thay đổi "
                         "bản ghi hay chưa. Hãy tải lại trang rồi thực hiện lại.", details={"missing": ["version"]})


@dataclass
class Workflow:
    """A status table. `transitions[(frm, to)]` is a dict with at least `roles` (frozenset) and `label`;
    `requires` (field names that must be present in the step's data) is optional."""

    name: str
    transitions: dict[tuple[str, str], dict]
    status_labels: dict[str, str]
    field_labels: dict[str, str] = field(default_factory=dict)
    noun: str = "bản ghi"
    # How a message names one record ("đề án «KCĐP-2018-07»"); default: the noun alone.
    describe: Callable[[object], str] | None = None

    def name_of(self, instance) -> str:
        return self.describe(instance) if self.describe else self.noun

    def status_label(self, status: str) -> str:
        return self.status_labels.get(status, status)

    def rule(self, frm: str, to: str) -> dict | None:
        return self.transitions.get((frm, to))

    def allowed(self, status: str, role: str | None, *, check: Callable[[dict], bool] | None = None):
        """The targets (with their row) that `role` may move a record in `status` to."""
        return [(to, rule) for (frm, to), rule in self.transitions.items()
                if frm == status and role in rule["roles"] and (check is None or check(rule))]

    def require_role(self, rule: dict, role: str | None) -> None:
        if role not in rule["roles"]:
            allowed = ", ".join(ROLE_LABELS[r] for r in sorted(rule["roles"]))
            raise NotAllowed(f"Vai trò «{ROLE_LABELS.get(role, 'không xác định')}» không được phép "
                             f"«{rule['label']}» (cần vai trò: {allowed}).")

    def require_data(self, requires: Iterable[str], data: dict) -> None:
        missing = [f for f in requires if data.get(f) in (None, "")]
        if missing:
            labels = ", ".join(self.field_labels.get(f, f) for f in missing)
            raise DomainError(f"Thiếu thông tin bắt buộc: {labels}.", field=missing[0], details={"missing": missing})


def business_date(value, *, previous: dt.date | None = None, previous_label: str = "bước trước",
                  label: str = "Ngày hiệu lực", field: str = "effective_date") -> dt.date:
    """The date on the step's document: default today; never in the future; never before `previous`."""
    from .fields import parse_business_date

    day = timezone.localdate() if value in (None, "") else parse_business_date(value, label=label.lower(),
                                                                                 field=field)
    today = timezone.localdate()
    if day > today:
        raise DomainError(f"{label} ({day:%d/%m/%Y}) không được sau ngày hôm nay ({today:%d/%m/%Y}).", field=field,
                          code="future_date")
    if previous is not None and day < previous:
        raise DomainError(f"{label} ({day:%d/%m/%Y}) không được trước ngày của {previous_label} "
                          f"({previous:%d/%m/%Y}).", field=field, code="date_order",
                          details={"date": day.isoformat(), "previous": previous.isoformat()})
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
    return {k: [jsonable(before.get(k)), jsonable(after.get(k))] for k in after if before.get(k) != after.get(k)}


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


def run_transition(*, workflow: Workflow, queryset, pk, actor, to_status: str, expected_version,
                   effective_date=None, data: dict | None = None, tracked: Iterable[str] = (),
                   authorize: Callable[[object], None] | None = None,
                   previous_date: Callable[[object], dt.date | None] | None = None,
                   check_rule: Callable[[object, dict], None] | None = None,
                   apply: Callable[[object, str, str, dict, dt.date], None] | None = None,
                   record: Callable[[Step], object] | None = None,
                   status_field: str = "status"):
    """Apply one step of `workflow` to row `pk` of `queryset` (see the module docstring). Returns the record."""
    data = dict(data or {})
    role = role_of(actor)
    with transaction.atomic():
        locked = queryset.select_for_update().get(pk=pk)
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
        frm = getattr(locked, status_field)
        rule = workflow.rule(frm, to_status)
        if rule is None:
            raise TransitionRefused(
                f"Không thể chuyển {workflow.name_of(locked)} từ trạng thái «{workflow.status_label(frm)}» sang "
                f"«{workflow.status_label(to_status)}».", details={"from": frm, "to": to_status})
        workflow.require_role(rule, role)
        if check_rule is not None:
            check_rule(locked, rule)
        workflow.require_data(rule.get("requires", ()), data)
        previous = previous_date(locked) if previous_date is not None else None
        day = business_date(effective_date, previous=previous)
        tracked = list(tracked)
        before = {f: getattr(locked, f) for f in tracked}
        before[status_field] = frm
        if apply is not None:
            apply(locked, frm, to_status, data, day)
        setattr(locked, status_field, to_status)
        locked.version += 1
        save_audited(locked, actor=actor, reason=rule["label"])
        after = {f: getattr(locked, f) for f in tracked}
        after[status_field] = to_status
        step = Step(instance=locked, frm=frm, to=to_status, rule=rule, effective_date=day,
                    changes=diff(before, after), data=data)
        if record is not None:
            record(step)
        return locked
