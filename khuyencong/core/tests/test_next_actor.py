""" "Who acts next" (core.workflow.who_acts_next): the line under the status of every đề án, report and plan
page, read from the workflow tables — for each status the role the next step is meant for and the
organisation whose users hold it."""

import pytest

from khuyencong import testing
from khuyencong.core.workflow import who_acts_next
from khuyencong.projects import plan_workflow
from khuyencong.projects import workflow as project_workflow
from khuyencong.projects.models import AnnualPlan, Project, Status
from khuyencong.projects.services import PROJECT_WORKFLOW
from khuyencong.reports import workflow as report_workflow
from khuyencong.reports.models import Report, ReportStatus

CUC = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
SO = "Sở Công Thương Vĩnh Long"

PROJECT_LINES = {
    Status.DRAFT: f"Chờ cán bộ {SO} đăng ký đề án",
    Status.REGISTERED: f"Chờ lãnh đạo {SO} thẩm định",
    Status.APPROVED: f"Chờ cán bộ {SO} ký hợp đồng hoặc triển khai",
    Status.CONTRACTED: f"Chờ cán bộ {SO} triển khai",
    Status.IN_PROGRESS: f"Chờ cán bộ {SO} cập nhật tiến độ hoặc báo cáo hoàn thành",
    Status.COMPLETED: f"Chờ lãnh đạo {SO} nghiệm thu",
    Status.ACCEPTED: f"Chờ lãnh đạo {SO} quyết toán",
    Status.STOP_REQUESTED: f"Chờ lãnh đạo {SO} quyết định dừng hoặc cho tiếp tục thực hiện",
    Status.SETTLED: "Đề án ở trạng thái «Đã quyết toán»: không còn bước xử lý nào.",
    Status.STOPPED: "Đề án ở trạng thái «Đã dừng»: không còn bước xử lý nào.",
    Status.CANCELLED: "Đề án ở trạng thái «Đã hủy»: không còn bước xử lý nào.",
}


@pytest.fixture
def vinhlong(vinhlong_officer, vinhlong_approver, cuc_admin):
    return testing.current_province("Vĩnh Long")


def _project(status, province, **kw):
    return Project(status=status, province=province, **kw)


def test_every_project_status(vinhlong):
    for status in Status.values:
        if status == Status.APPRAISED:
            continue
        assert project_workflow.waiting_for(_project(status, vinhlong)) == PROJECT_LINES[status], status


def test_after_appraisal_the_result_decides(vinhlong):
    passed = _project(Status.APPRAISED, vinhlong, appraisal_result="passed")
    failed = _project(Status.APPRAISED, vinhlong, appraisal_result="failed")
    assert project_workflow.waiting_for(passed) == f"Chờ lãnh đạo {SO} phê duyệt, giao kinh phí"
    assert project_workflow.waiting_for(failed) == f"Chờ cán bộ {SO} hoàn thiện hồ sơ, đăng ký lại"


def test_every_report_status(vinhlong):
    lines = {
        ReportStatus.DRAFT: f"Chờ cán bộ {SO} lập báo cáo, trình Sở duyệt",
        ReportStatus.PREPARED: f"Chờ lãnh đạo {SO} duyệt, gửi Cục",
        ReportStatus.SUBMITTED: f"Chờ lãnh đạo {CUC} tiếp nhận báo cáo",
        ReportStatus.ACCEPTED: "Báo cáo ở trạng thái «Cục đã tiếp nhận (khóa)»: không còn bước xử lý nào.",
    }
    for status in ReportStatus.values:
        report = Report(status=status, province=vinhlong)
        assert report_workflow.waiting_for(report) == lines[status], status


def test_every_plan_status(vinhlong):
    P = AnnualPlan.PlanStatus
    lines = {
        P.REGISTERED: f"Chờ cán bộ {SO} ghi nhận quyết định giao kế hoạch",
        P.ASSIGNED: f"Chờ cán bộ {SO} ghi nhận kết thúc kế hoạch",
        P.CLOSED: "Kế hoạch ở trạng thái «Đã kết thúc»: không còn bước xử lý nào.",
    }
    for status in P.values:
        assert plan_workflow.plan_waiting_for(AnnualPlan(status=status, province=vinhlong)) == lines[status]
    # The Cục's own national plan (no province) waits on the Cục.
    own = AnnualPlan(status=P.REGISTERED, province=None)
    assert plan_workflow.plan_waiting_for(own) == f"Chờ cán bộ {CUC} ghi nhận quyết định giao kế hoạch"


def test_names_who_holds_the_role(vinhlong):
    """The officer's step names the Sở and its centre when both have officers; a province with no
    organisation yet still reads «Sở Công Thương <tỉnh>»."""
    centre = testing.make_org("centre", vinhlong, "Trung tâm Khuyến công Vĩnh Long")
    testing.make_user("ttkc.officer", centre, "officer")
    draft = _project(Status.DRAFT, vinhlong)
    assert project_workflow.waiting_for(draft) == (
        f"Chờ cán bộ {SO} hoặc Trung tâm Khuyến công Vĩnh Long đăng ký đề án"
    )
    # The approval is still the Sở's: the centre has no approver.
    registered = _project(Status.REGISTERED, vinhlong)
    assert project_workflow.waiting_for(registered) == f"Chờ lãnh đạo {SO} thẩm định"
    can_tho = testing.current_province("Cần Thơ")
    assert project_workflow.waiting_for(_project(Status.COMPLETED, can_tho)) == (
        "Chờ lãnh đạo Sở Công Thương Cần Thơ nghiệm thu"
    )


def test_core_function_reads_only_waiting_rows(vinhlong):
    """Side steps (cancel, stop request, sending back) never name an actor."""
    line = who_acts_next(PROJECT_WORKFLOW, Status.REGISTERED, province_id=vinhlong.pk)
    assert "hủy" not in line and "dừng" not in line


def test_pages_show_the_line(vinhlong_officer, vinhlong_approver, cuc_admin, as_user):
    from khuyencong.projects.tests import factories as f
    from khuyencong.reports.tests.factories import make_report

    project = f.project(vinhlong_officer, code="BT18-01", title="Máy đóng gói")
    client = as_user(vinhlong_officer)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'data-testid="next-actor">Chờ cán bộ {SO} đăng ký đề án<' in page
    page = client.get(f"/projects/plans/{project.plan_id}/").content.decode()
    assert f'data-testid="next-actor">Chờ cán bộ {SO} ghi nhận kết thúc kế hoạch<' in page
    report = make_report(vinhlong_officer)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"Chờ cán bộ {SO} lập báo cáo, trình Sở duyệt" in page
