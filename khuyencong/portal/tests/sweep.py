"""Records of the portal and the surveys for the outsider sweep (core/tests/test_outsider_sweep.py): an
application of the marked establishment with a file, a profile change and a notification, and a campaign
that invited it and holds its answer."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong import testing


def portal_records(officer, est) -> dict:
    from khuyencong.catalog.models import ActivityContent
    from khuyencong.portal import services as portal
    from khuyencong.surveys import services as surveys
    from khuyencong.surveys.models import CampaignStatus

    user = testing.make_user(
        "sweep.chu", testing.make_org("establishment", None, est.name, establishment=est), "officer"
    )
    app = portal.application_create(
        actor=user,
        data={
            "year": 2027,
            "level": "local",
            "content": ActivityContent.objects.filter(code="3").first(),
            "title": "Đăng ký đề án của cơ sở được đánh dấu",
            "requested": 100_000_000,
        },
    )
    file = portal.attachment_add(
        actor=user, application=app, kind="quotation", upload=SimpleUploadedFile("q.pdf", b"%PDF-1.4 x")
    )
    change = portal.profile_change_propose(actor=user, changes={"employees": 99})
    note = portal.notify(establishment_id=est.pk, application=app, text="Thông báo của cơ sở được đánh dấu")
    today = dt.date.today()
    c = surveys.campaign_create(
        actor=officer,
        unit=testing.old_province("Bến Tre"),
        title="Khảo sát của tỉnh được đánh dấu",
        plan_year=2027,
        opens_on=today,
        closes_on=today + dt.timedelta(days=10),
    )
    c = surveys.campaign_transition(
        actor=officer, campaign=c, to_status=CampaignStatus.OPEN, expected_version=1
    )
    surveys.invitations_create(actor=officer, campaign=c, establishments=[est])
    inv = c.invitations.get()
    surveys.response_save(
        actor=user, invitation=inv, answers={"noi_dung": "3", "nhu_cau": "Máy sấy", "kinh_phi": 100_000_000}
    )
    return {
        "application": app,
        "application_file": file,
        "profile_change": change,
        "notification": note,
        "campaign": c,
        "invitation": inv,
    }
