"""The outsider sweep: every page, export, API list, detail and action, walked from the URL configuration
itself
(so routes added by later apps are covered or make this test fail), for four readers who must see nothing of a
Vĩnh Long record:

- another province's officer (Thái Nguyên): 404 on every record, no trace of it in any list or export;
- a commune office of the same province, for another commune: nothing of the commune's establishments and đề
án;
- an establishment's own user (another establishment): only its own records, no plan totals;
- anonymous: the login page or 401/403, never data.

Writes (POST/PATCH/DELETE) by the same readers change nothing.
"""

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import establishment
from khuyencong.geo.models import AdminUnit
from khuyencong.portal.tests.sweep import portal_records
from khuyencong.programs.tests.factories import make_program
from khuyencong.projects.tests import factories as pf
from khuyencong.reports.tests.factories import make_report

MARK = {
    "est": "ZQXESTMARK",
    "project": "ZQXPROJMARK",
    "plan": "ZQXPLANMARK",
    "program": "ZQXPROGMARK",
    "report": "ZQXREPMARK",
    "award_round": "ZQXROUNDMARK",
    "award_entry": "ZQXENTRYMARK",
    "activity": "ZQXACTMARK",
    "cluster": "ZQXCLUSTERMARK",
    "fund_draw": "ZQXDRAWMARK",
}

# Routes that show public reference data (catalogues, administrative units) or the reader's own account.
PUBLIC = re.compile(
    r"^(api/schema/|api/docs/|api/v1/$|api/v1/me/|admin-units/|api/v1/admin-units/|catalog/|"
    r"api/v1/catalog/|login/|logout/|password-change/|set-password/|i18n/|du-lieu-mo/|api/v1/public/projects/|$)"
)
# A record route's prefix → which record its first <pk> names. A route with a pk that matches none fails the
# test.
OWNED = [
    (re.compile(r"^history/"), "history"),
    (re.compile(r"^(api/v1/)?establishments/"), "est"),
    (re.compile(r"^(api/v1/)?programs/"), "program"),
    (re.compile(r"^projects/plans/|^api/v1/plans/"), "plan"),
    (re.compile(r"^(api/v1/)?projects/"), "project"),
    (re.compile(r"^(api/v1/)?reports/jobs/"), "job"),
    (re.compile(r"^(api/v1/)?reports/"), "report"),
    (re.compile(r"^(api/v1|accounts)/organisations/"), "organisation"),
    (re.compile(r"^(api/v1|accounts)/users/"), "user"),
    (re.compile(r"^(api/v1/)?awards/rounds/"), "award_round"),
    (re.compile(r"^(api/v1/)?awards/entries/"), "award_entry"),
    (re.compile(r"^awards/files/|^san-pham-tieu-bieu/anh/"), "award_file"),
    (re.compile(r"^(api/v1/)?awards/certificates/"), "award_certificate"),
    (re.compile(r"^san-pham-tieu-bieu/|^api/v1/public/products/"), "award_product"),
    (re.compile(r"^(api/v1/)?loans/"), "loan"),
    (re.compile(r"^(api/v1/)?activities/"), "activity"),
    (re.compile(r"^clusters/members/"), "cluster_member"),
    (re.compile(r"^(api/v1/)?clusters/"), "cluster"),
    (re.compile(r"^(api/v1/)?portal/applications/"), "application"),
    (re.compile(r"^portal/files/"), "application_file"),
    (re.compile(r"^portal/profile-changes/"), "profile_change"),
    (re.compile(r"^api/v1/portal/notifications/"), "notification"),
    (re.compile(r"^(api/v1/)?surveys/invitations/"), "invitation"),
    (re.compile(r"^(api/v1/)?surveys/"), "campaign"),
]


def _routes():
    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    out = []
    for raw in walk(get_resolver()):
        if raw.startswith("admin/") or "(?P<format>" in raw:
            continue
        route = raw.replace("(?P<pk>[^/.]+)", "<pk>").replace("(?P<pk>\\d+)", "<pk>")
        route = route.replace("^", "").replace("$", "")
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)  # other regex groups (a member's id)
        route = re.sub(r"<(int|str):(\w+)>", r"<\2>", route)
        out.append(route)
    return sorted(set(out))


def _kind_of(route: str) -> str | None:
    for pattern, kind in OWNED:
        if pattern.search(route):
            return kind
    return None


@pytest.fixture
def world(db, vinhlong_officer, vinhlong_approver):
    from khuyencong.reports.models import ReportJob

    communes = list(
        AdminUnit.objects.filter(era="old", level=3, parent__parent__short_name="Bến Tre").order_by("code")[
            :2
        ]
    )
    here, elsewhere = communes
    est = establishment("Bến Tre", name=f"Cơ sở {MARK['est']}", commune=here)
    plan = pf.plan(vinhlong_officer, "Bến Tre", 2018, "national", title=f"Kế hoạch {MARK['plan']}")
    project = pf.project(
        vinhlong_officer, title=f"Đề án {MARK['project']}", establishments=[est], commune=here
    )
    project = pf.walk(project, "approved", officer=vinhlong_officer, approver=vinhlong_approver)
    program = make_program(vinhlong_officer, title=f"Chương trình {MARK['program']}")
    report = make_report(vinhlong_officer, title=f"Báo cáo {MARK['report']}")
    job = ReportJob.objects.create(
        created_by=vinhlong_officer, period_key="2019-half", source="accepted", rollup="current"
    )
    award = _award_records(vinhlong_officer, vinhlong_approver, est)
    own = establishment("Bến Tre", name="Cơ sở riêng của người đọc", commune=elsewhere)
    readers = {
        "other_province": testing.province_user("Thái Nguyên", "sweep.tn", "officer"),
        "commune_office": testing.make_user(
            "sweep.xa", testing.make_org("local_office", elsewhere, "UBND xã khác"), "officer"
        ),
        "establishment": testing.make_user(
            "sweep.coso", testing.make_org("establishment", None, own.name, establishment=own), "viewer"
        ),
        "anonymous": None,
    }
    records = {
        "est": est,
        "project": project,
        "plan": plan,
        "program": program,
        "report": report,
        "job": job,
        "organisation": vinhlong_officer.organisation,
        "user": vinhlong_approver,
        **award,
        **_loan_and_draw(vinhlong_officer, vinhlong_approver, est),
        **_activity_and_cluster(vinhlong_officer, est),
        **portal_records(vinhlong_officer, est),
    }
    return {"records": records, "readers": readers, "own": own}


def _activity_and_cluster(officer, est):
    """A Bến Tre fair the marked establishment took part in, and a Bến Tre cluster it is located in."""
    from khuyencong.activities import services as activity_services
    from khuyencong.activities.tests import factories as act
    from khuyencong.clusters import services as cluster_services
    from khuyencong.clusters.tests import factories as cf

    fair = act.activity(officer, title=f"Hội chợ {MARK['activity']}")
    activity_services.participation_add(actor=officer, activity=fair, establishment=est, booths=1)
    cluster = cf.cluster(officer, name=f"Cụm công nghiệp {MARK['cluster']}", commune=est.commune)
    member = cluster_services.member_set(actor=officer, cluster=cluster, establishment=est)
    return {"activity": fair, "cluster": cluster, "cluster_member": member}


def _award_records(officer, approver, est):
    """A Bến Tre voting round whose product (of the marked establishment) was recognised, then its
    certificate revoked: nothing of it is public, nothing of it is the outsiders'."""
    import datetime as dt

    from khuyencong.awards.models import RoundStatus
    from khuyencong.awards.services import certificate_revoke
    from khuyencong.awards.tests import factories as af

    award_round = af.provincial_round(officer, quota=1, title=f"Đợt bình chọn {MARK['award_round']}")
    af.move(award_round, officer, RoundStatus.OPEN)
    juror = af.juror(officer, award_round, "sweep.giamkhao")
    entry = af.submitted_entry(
        officer, award_round, af.product(officer, est, name=f"Kẹo dừa {MARK['award_entry']}")
    )
    af.move(award_round, officer, RoundStatus.SCORING)
    entry.refresh_from_db()
    af.score(juror, entry, [35, 35, 8, 8])
    af.move(award_round, approver, RoundStatus.DECIDED, decision_no="9/QĐ", decision_date=dt.date(2016, 6, 2))
    entry.refresh_from_db()
    cert = entry.certificate
    certificate_revoke(
        actor=officer,
        certificate=cert,
        reason="Thử",
        revoked_on=dt.date(2016, 7, 1),
        expected_version=cert.version,
    )
    return {
        "award_round": award_round,
        "award_entry": entry,
        "award_file": entry.product.files.first(),
        "award_certificate": cert,
        "award_product": entry.product,
    }


def _loan(officer, approver, est):
    """A disbursed loan of the marked establishment, with a repayment (the loans app)."""
    import datetime as dt

    from khuyencong.loans import services as loan_services
    from khuyencong.loans.tests import factories as lf

    loan = lf.disbursed(officer, approver, project=lf.recoverable_project(officer, establishments=[est]))
    loan_services.repayment_record(actor=officer, loan=loan, date=dt.date(2019, 4, 15), amount=1_000_000)
    return loan


def _loan_and_draw(officer, approver, est):
    """The loan, and its plan's use of what was repaid (the revolving fund)."""
    import datetime as dt

    from khuyencong.loans import services as loan_services

    loan = _loan(officer, approver, est)
    draw = loan_services.fund_draw_record(
        actor=approver,
        plan=loan.project.plan,
        amount=1_000_000,
        decision_no="1/QĐ-UBND",
        decision_date=dt.date(2019, 5, 2),
        note=f"Cho vay lại {MARK['fund_draw']}",
    )
    return {"loan": loan, "fund_draw": draw}


# Which markers each reader must never see (a commune office may see its province's plans, programmes,
# reports, voting rounds; an establishment its province's voting rounds, to enter its products).
HIDDEN = {
    "other_province": list(MARK.values()),
    "commune_office": [MARK["est"], MARK["project"], MARK["award_entry"]],
    "establishment": [m for k, m in MARK.items() if k != "award_round"],
    "anonymous": list(MARK.values()),
}


def _client(reader):
    from django.test import Client

    c = Client()
    if reader is not None:
        c.force_login(reader, backend="django.contrib.auth.backends.ModelBackend")
    return c


def _text(response) -> str:
    content = (
        b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    )
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(v)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    if "wordprocessingml" in kind:
        import docx

        return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    return content.decode("utf-8", "replace")


def _history_count():
    from django.apps import apps

    return sum(m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical"))


def test_every_record_route_is_known():
    unknown = [r for r in _routes() if "<" in r and not PUBLIC.search(r) and _kind_of(r) is None]
    assert unknown == [], f"routes with a record id that the outsider sweep does not cover: {unknown}"


@pytest.mark.parametrize("reader_name", list(HIDDEN))
def test_outsider_sweep(world, reader_name):
    reader = world["readers"][reader_name]
    client = _client(reader)
    hidden = HIDDEN[reader_name]
    records = world["records"]
    leaks, opened = [], []
    before = _history_count()
    for route in _routes():
        if PUBLIC.search(route):
            continue
        if "<" not in route:
            # Lists, dashboards, exports: no marker of the hidden records, as HTML and as .xlsx.
            for query in ("", "?format=xlsx"):
                response = client.get("/" + route + query)
                assert response.status_code < 500, (route, query, response.status_code)
                body = _text(response) if response.status_code == 200 else ""
                for mark in hidden:
                    if mark in body:
                        leaks.append(f"{route}{query} shows {mark}")
            continue
        kind = _kind_of(route)
        if kind == "history":
            targets = [
                (f"{type(r)._meta.label_lower}", r)
                for key, r in records.items()
                if r is not None and key in MARK and MARK[key] in hidden
            ]
        else:
            record = records.get(kind)
            if (
                record is None
                or (kind in MARK and MARK[kind] not in hidden)
                or (kind == "organisation" and reader_name == "commune_office")
            ):
                continue
            targets = [(None, record)]
        for label, record in targets:
            path = "/" + route
            if label is not None:
                path = path.replace("<model_label>", label)
            path = path.replace("<pk>", str(record.pk), 1)
            path = re.sub(r"<\w+>", "1", path)
            opened.append(path)
            response = client.get(path)
            if reader is None:
                assert response.status_code in (302, 401, 403, 404), (path, response.status_code)
                if response.status_code == 302:
                    assert "login" in response["Location"], (path, response["Location"])
            else:
                assert response.status_code in (403, 404, 405), (path, reader_name, response.status_code)
            for method in ("post", "patch", "delete"):
                answer = getattr(client, method)(path, {}, content_type="application/json")
                assert answer.status_code in (302, 400, 401, 403, 404, 405, 409), (
                    method,
                    path,
                    answer.status_code,
                )
                if answer.status_code == 302:
                    assert "login" in answer["Location"], (method, path, answer["Location"])
    assert leaks == []
    assert opened, "the sweep opened no record route"
    assert _history_count() == before, "an outsider's write changed data"


def test_the_sweep_can_see_a_leak(world, vinhlong_officer):
    """The province's own officer sees every marker somewhere: the sweep's markers are really rendered."""
    client = _client(vinhlong_officer)
    seen = set()
    report = world["records"]["report"]
    award_round = world["records"]["award_round"]
    routes = (
        "establishments/",
        "projects/",
        "projects/plans/",
        "programs/",
        f"reports/{report.pk}/",
        "activities/",
        "clusters/",
        "loans/fund/draws/",
    )
    for route in (*routes, f"awards/rounds/{award_round.pk}/"):
        body = _text(client.get("/" + route))
        seen |= {m for m in MARK.values() if m in body}
    assert seen == set(MARK.values())


def test_an_establishment_sees_its_own_project_but_no_plan_totals(world, vinhlong_officer):
    """Its own đề án yes; the plan (whose page and list total every beneficiary's money) no."""
    from khuyencong.projects.tests import factories as pf2

    own = world["own"]
    reader = world["readers"]["establishment"]
    project = pf2.project(vinhlong_officer, title="Đề án của chính cơ sở", establishments=[own])
    client = _client(reader)
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    assert client.get(f"/projects/plans/{project.plan_id}/").status_code == 404
    assert MARK["plan"] not in _text(client.get("/projects/plans/"))
    assert client.get(f"/api/v1/plans/{project.plan_id}/money/").status_code == 404
