"""The establishment's portal: scoping (own records only, 404 elsewhere), the caps checked naming the rule,
an accepted application registered as a đề án of its plan (linked both ways), profile changes confirmed by
the officer."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.catalog.models import SupportCap
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.projects.models import Status
from khuyencong.projects.tests.factories import content

from .. import services
from ..models import ApplicationStatus, ProfileChange

PDF = b"%PDF-1.4\n%test\n"
TR = 1_000_000


def _data(**kw):
    d = {
        "year": dt.date.today().year + 1,
        "level": "national",
        "content": content("3"),
        "support_cap": SupportCap.objects.get(code="tt28-may-moc-thiet-bi"),
        "title": "Hỗ trợ ứng dụng máy đóng chai nước màn dừa",
        "items": "Máy chiết rót, máy đóng nắp",
        "requested": 250 * TR,
        "counterpart": 300 * TR,
    }
    d.update(kw)
    return d


def _submitted(coso):
    app = services.application_create(actor=coso, data=_data())
    services.attachment_add(
        actor=coso, application=app, kind="quotation", upload=SimpleUploadedFile("bao-gia.pdf", PDF)
    )
    app.refresh_from_db()
    return services.application_transition(
        actor=coso, application=app, to_status=ApplicationStatus.SUBMITTED, expected_version=app.version
    )


def test_over_cap_refused_naming_the_rule(coso):
    with pytest.raises(DomainError) as exc:
        services.application_create(actor=coso, data=_data(requested=400 * TR, counterpart=500 * TR))
    assert "Thông tư" in exc.value.message and "300 triệu" in exc.value.message
    ok, message = services.cap_message(
        {
            "year": 2027,
            "level": "national",
            "content": content("3"),
            "support_cap": SupportCap.objects.get(code="tt28-may-moc-thiet-bi"),
            "requested": 400 * TR,
            "counterpart": 500 * TR,
        }
    )
    assert not ok and "28/2018" in message


def test_cap_check_page_names_the_rule(as_user, coso):
    cap = SupportCap.objects.get(code="tt28-may-moc-thiet-bi")
    r = as_user(coso).post(
        reverse("portal:cap-check"),
        {
            "year": 2027,
            "level": "national",
            "content": content("3").pk,
            "support_cap": cap.pk,
            "title": "x",
            "requested": "400 triệu",
            "counterpart": "500 triệu",
        },
    )
    assert r.status_code == 200
    assert "vượt mức hỗ trợ tối đa" in r.content.decode()


def test_upload_checked(coso):
    app = services.application_create(actor=coso, data=_data())
    with pytest.raises(DomainError):
        services.attachment_add(
            actor=coso, application=app, kind="quotation", upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    with pytest.raises(DomainError):
        services.attachment_add(
            actor=coso, application=app, kind="quotation", upload=SimpleUploadedFile("x.pdf", b"not a pdf")
        )


def test_accepted_becomes_registered_project_linked_both_ways(coso, vinhlong_officer, own):
    app = _submitted(coso)
    assert app.status == ApplicationStatus.SUBMITTED
    app = services.application_transition(
        actor=vinhlong_officer,
        application=app,
        to_status=ApplicationStatus.ACCEPTED,
        expected_version=app.version,
        note="Hồ sơ đầy đủ",
    )
    project = app.project
    assert project.status == Status.REGISTERED
    assert project.plan.year == app.year and project.plan.level == "national"
    assert project.portal_application == app
    assert list(project.establishments.all()) == [own]
    assert project.fundings.get(source__code="national").requested == 250 * TR
    assert own.portal_notifications.filter(application=app).exists()


def test_return_and_reject_with_reason(coso, vinhlong_officer, as_user):
    app = _submitted(coso)
    app = services.application_transition(
        actor=vinhlong_officer,
        application=app,
        to_status=ApplicationStatus.RETURNED,
        expected_version=app.version,
        note="Bổ sung báo giá thứ hai",
    )
    assert app.officer_comment == "Bổ sung báo giá thứ hai"
    app = services.application_transition(
        actor=coso, application=app, to_status=ApplicationStatus.SUBMITTED, expected_version=app.version
    )
    app = services.application_transition(
        actor=vinhlong_officer,
        application=app,
        to_status=ApplicationStatus.REJECTED,
        expected_version=app.version,
        note="Chưa đáp ứng yêu cầu của đề án khuyến công quốc gia",
    )
    page = as_user(coso).get(reverse("portal:application", args=[app.pk])).content.decode()
    assert "Chưa đáp ứng yêu cầu của đề án khuyến công quốc gia" in page


def test_establishment_cannot_review_and_officer_cannot_submit(coso, vinhlong_officer, thainguyen_officer):
    app = _submitted(coso)
    with pytest.raises(NotAllowed):
        services.application_transition(
            actor=coso, application=app, to_status=ApplicationStatus.ACCEPTED, expected_version=app.version
        )
    with pytest.raises(NotAllowed):
        services.application_transition(
            actor=thainguyen_officer,
            application=app,
            to_status=ApplicationStatus.ACCEPTED,
            expected_version=app.version,
        )


def test_coso_sees_only_its_own(coso, other_user, as_user, api_as, client):
    mine = _submitted(coso)
    theirs = services.application_create(actor=other_user, data=_data(title="Đề án của cơ sở khác"))
    f = theirs.attachments.create(
        kind="quotation",
        file=SimpleUploadedFile("b.pdf", PDF),
        original_name="b.pdf",
        size=3,
        content_type="x",
    )
    c = as_user(coso)
    assert c.get(reverse("portal:application", args=[mine.pk])).status_code == 200
    assert c.get(reverse("portal:application", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("portal:file", args=[f.pk])).status_code == 404
    assert c.get(reverse("portal:queue")).status_code == 404
    home = c.get(reverse("portal:home")).content.decode()
    assert "Đề án của cơ sở khác" not in home
    api = api_as(coso)
    assert api.get(f"/api/v1/portal/applications/{theirs.pk}/").status_code == 404
    listed = api.get("/api/v1/portal/applications/").json()
    assert [a["id"] for a in listed["results"]] == [mine.pk]
    assert api.get("/api/v1/portal/me/").json()["name"] == coso.organisation.establishment.name
    r = api.post(
        f"/api/v1/portal/applications/{theirs.pk}/transitions/",
        {"to_status": "submitted", "expected_version": theirs.version},
        format="json",
    )
    assert r.status_code == 404


def test_profile_change_confirmed_by_officer_audited(coso, vinhlong_officer, own):
    change = services.profile_change_propose(actor=coso, changes={"name": own.name, "employees": 25})
    own.refresh_from_db()
    assert own.employees != 25
    services.profile_change_decide(actor=vinhlong_officer, change=change, confirm=True)
    own.refresh_from_db()
    assert own.employees == 25
    assert own.history.first().history_user == vinhlong_officer
    assert ProfileChange.objects.get(pk=change.pk).state == "confirmed"


def test_office_queue_lists_submitted(coso, vinhlong_officer, thainguyen_officer, as_user):
    app = _submitted(coso)
    assert app.title in as_user(vinhlong_officer).get(reverse("portal:queue")).content.decode()
    assert app.title not in as_user(thainguyen_officer).get(reverse("portal:queue")).content.decode()


def test_project_page_links_back_to_application(coso, vinhlong_officer, as_user):
    app = _submitted(coso)
    app = services.application_transition(
        actor=vinhlong_officer,
        application=app,
        to_status=ApplicationStatus.ACCEPTED,
        expected_version=app.version,
    )
    page = as_user(vinhlong_officer).get(reverse("projects:detail", args=[app.project_id])).content.decode()
    assert reverse("portal:application", args=[app.pk]) in page
    own_page = as_user(coso).get(reverse("portal:application", args=[app.pk])).content.decode()
    assert reverse("projects:detail", args=[app.project_id]) in own_page


def test_api_refuses_a_body_that_is_not_an_object(coso, api_as):
    """Schemathesis sent `false` as the JSON body: a 400 with the error envelope, not a 500."""
    mine = _submitted(coso)
    api = api_as(coso)
    for method, url in (
        ("post", "/api/v1/portal/applications/"),
        ("patch", f"/api/v1/portal/applications/{mine.pk}/"),
    ):
        r = getattr(api, method)(url, data="false", content_type="application/json")
        assert r.status_code == 400, (method, r.status_code, r.content[:200])
        assert "error" in r.json()
