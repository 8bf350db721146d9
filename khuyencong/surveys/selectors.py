"""Reads of the demand surveys, scoped: an office sees its province's campaigns; an establishment only the
campaigns it is invited to and only its own invitation and answers. Completeness counts expected vs
received (invited, answered, rate) per commune and sector, as DHIS2 does for data sets."""

from collections import Counter, defaultdict

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from khuyencong.core.money import format_percent, percent_of
from khuyencong.core.scoping import scope_for

from .models import Answer, Campaign, Invitation, Question, Response


def campaign_list_for(*, user) -> QuerySet[Campaign]:
    scope = scope_for(user)
    qs = Campaign.objects.select_related("unit", "province")
    if scope.kind == "establishment":
        return qs.filter(invitations__establishment_id=scope.establishment_id).distinct()
    if scope.kind == "units":
        return qs.filter(province_id=scope.province_id, invitations__commune_id__in=scope.unit_ids).distinct()
    return qs.filter(scope.q(province="province"))


def campaign_get_for(*, user, pk) -> Campaign:
    found = campaign_list_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def is_office(user, campaign: Campaign) -> bool:
    scope = scope_for(user)
    return scope.kind in ("all", "province") and scope.allows_province(campaign.province_id)


def invitation_list_for(*, user, campaign: Campaign | None = None) -> QuerySet[Invitation]:
    scope = scope_for(user)
    qs = Invitation.objects.select_related("campaign", "establishment", "commune", "sector", "response")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if scope.kind == "establishment":
        return qs.filter(establishment_id=scope.establishment_id)
    if scope.kind == "units":
        return qs.filter(commune_id__in=scope.unit_ids)
    return qs.filter(scope.q(province="campaign__province"))


def invitation_get_for(*, user, pk) -> Invitation:
    found = invitation_list_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def own_open_invitations(*, user) -> QuerySet[Invitation]:
    scope = scope_for(user)
    if scope.kind != "establishment":
        return Invitation.objects.none()
    return invitation_list_for(user=user).filter(campaign__status="open")


def response_list_for(*, user, campaign: Campaign) -> QuerySet[Response]:
    return Response.objects.filter(
        invitation__in=invitation_list_for(user=user, campaign=campaign)
    ).select_related(
        "invitation__establishment",
        "invitation__commune",
        "invitation__sector",
        "project",
        "project__plan",
        "entered_by",
    )


def _rate(answered: int, invited: int) -> str:
    return format_percent(percent_of(answered, invited)) if invited else "—"


def completeness(campaign: Campaign) -> dict:
    """{"total": row, "by_commune": [row…], "by_sector": [row…]}; a row has label, invited, answered,
    on_paper and rate ("60,0 %")."""
    rows = (
        Invitation.objects.filter(campaign=campaign)
        .values("commune_id", "commune__name", "sector_id", "sector__name")
        .annotate(
            invited=Count("pk"),
            answered=Count("response"),
            paper=Count("response", filter=Q(response__on_paper=True)),
        )
    )
    by_commune: dict = defaultdict(Counter)
    by_sector: dict = defaultdict(Counter)
    total: Counter = Counter()
    for r in rows:
        for bucket, key in (
            (by_commune, r["commune__name"] or "—"),
            (by_sector, r["sector__name"] or "(chưa ghi ngành nghề)"),
        ):
            bucket[key]["invited"] += r["invited"]
            bucket[key]["answered"] += r["answered"]
            bucket[key]["on_paper"] += r["paper"]
        total["invited"] += r["invited"]
        total["answered"] += r["answered"]
        total["on_paper"] += r["paper"]

    def row(label, c):
        return {
            "label": label,
            "invited": c["invited"],
            "answered": c["answered"],
            "on_paper": c["on_paper"],
            "rate": _rate(c["answered"], c["invited"]),
        }

    return {
        "total": row("Tổng cộng", total),
        "by_commune": [row(k, v) for k, v in sorted(by_commune.items())],
        "by_sector": [row(k, v) for k, v in sorted(by_sector.items())],
    }


def tabulate(campaign: Campaign, responses: QuerySet[Response] | None = None) -> list[dict]:
    """Per question: answered count; choices counted per option; numbers and money summed (with the mean);
    texts listed."""
    questions = list(campaign.questions.all())
    answers = Answer.objects.filter(question__campaign=campaign)
    if responses is not None:
        answers = answers.filter(response__in=responses)
    by_q: dict = defaultdict(list)
    for a in answers.values("question_id", "text", "number"):
        by_q[a["question_id"]].append(a)
    out = []
    for q in questions:
        vals = by_q.get(q.pk, [])
        row = {"question": q, "answered": 0, "options": [], "sum": None, "mean": None, "texts": []}
        if q.kind == Question.Kind.CHOICE:
            counts = Counter(a["text"] for a in vals if a["text"])
            row["answered"] = sum(counts.values())
            row["options"] = [
                {"value": v, "label": label, "count": counts.get(str(v), 0)} for v, label in q.choices
            ]
        elif q.kind in (Question.Kind.NUMBER, Question.Kind.MONEY):
            nums = [a["number"] for a in vals if a["number"] is not None]
            row["answered"] = len(nums)
            row["sum"] = sum(nums)
            row["mean"] = (sum(nums) // len(nums)) if nums else None
        else:
            texts = [a["text"] for a in vals if a["text"]]
            row["answered"] = len(texts)
            row["texts"] = texts
        out.append(row)
    return out


def response_matrix(campaign: Campaign, responses) -> tuple[list[Question], list[tuple[Response, dict]]]:
    """The answers as a table: one row per response, one column per question (for the Excel export)."""
    questions = list(campaign.questions.all())
    responses = list(responses)
    values: dict = defaultdict(dict)
    for a in Answer.objects.filter(response__in=responses).select_related("question"):
        q = a.question
        values[a.response_id][q.pk] = (
            q.choice_label(a.text) if q.kind == Question.Kind.CHOICE and a.text else a.value
        )
    return questions, [(r, values.get(r.pk, {})) for r in responses]
