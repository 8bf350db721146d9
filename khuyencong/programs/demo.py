"""Demo: seed 001 loaded whole — the Bến Tre programme 2014-2015 and toward 2020 (owner: the old province Bến
Tre,
scoped to today's Vĩnh Long), its legal bases, phases, every target it states, its Phụ lục 1 (imported from a
.docx laid out like the document's table, through the import service) and the amounts and shares its text
states,
each with where it is stated. Then the Sở submits it (the document ends "kính trình UBND tỉnh xem xét, phê
duyệt"; no approval decision is in the seed, so none is invented).

Its check reports what the document itself does not reconcile: content 9 (1.600 triệu in the text, 1.650 in
the
appendix), contents 3 and 7 (the text quotes only the state budget), the 87,8 % share of the first phase, and
the
overall targets of Part 2, II.2 that differ from the sum of the phase targets. Idempotent.
"""

import datetime as dt

from khuyencong.accounts.models import User
from khuyencong.geo.models import AdminUnit

from . import imports, seed001, services
from .models import Program, Status

TITLE = "Chương trình khuyến công trên địa bàn tỉnh Bến Tre giai đoạn 2014-2015 và hướng đến năm 2020"
D = dt.date

GENERAL = (
    "Hướng các hoạt động khuyến công tập trung vào các ngành công nghiệp thế mạnh, mũi nhọn của tỉnh, gia "
    "tăng hàm "
    "lượng công nghệ trong sản phẩm CN-TTCN, góp phần đẩy nhanh tiến trình công nghiệp hoá - hiện đại hoá "
    "của tỉnh.\n"
    "Tăng cường vai trò công tác khuyến công trong việc thúc đẩy sự phát triển CN-TTCN tỉnh nhà, hỗ trợ các "
    "doanh "
    "nghiệp, cơ sở, làng nghề CN-TTCN trên địa bàn tỉnh đầu tư đổi mới máy móc thiết bị, công nghệ, phát "
    "triển sản "
    "phẩm mới và mở rộng quy mô sản xuất, áp dụng các giải pháp SXSH trong công nghiệp, sử dụng năng lượng "
    "tiết kiệm "
    "và hiệu quả …; góp phần phấn đấu đến 2015, giá trị sản xuất công nghiệp của tỉnh (theo giá so sánh năm "
    "1994) "
    "đạt 14.400 tỷ đồng; đến năm 2020 đạt 43.410 tỷ đồng, giai đoạn 2016-2020 tăng bình quân 19,02% theo "
    "Quyết định "
    "số 974/QĐ-UBND ngày 27 tháng 4 năm 2011 của UBND tỉnh Bến Tre."
)

SPECIFIC = (
    "Giai đoạn 2014-2015: đào tạo nghề cho 400 lao động; hỗ trợ 40 dự án/đề án đầu tư mở rộng, phát triển "
    "sản xuất, "
    "mô hình trình diễn kỹ thuật, chuyển giao công nghệ, ứng dụng máy móc tiên tiến, mô hình SXSH, TKNL; hỗ "
    "trợ tư "
    "vấn SXSH, lập dự án đầu tư cho 40 dự án/đề án; hỗ trợ 20 lượt cơ sở tham gia hội chợ triển lãm trong "
    "nước; 06 lần "
    "tổ chức gian hàng; 05 lớp đào tạo, bồi dưỡng nâng cao năng lực quản lý, khởi sự doanh nghiệp; xây "
    "dựng, đăng ký "
    "thương hiệu cho 02 cơ sở; quy hoạch chi tiết và hạ tầng 02 cụm công nghiệp.\n"
    "Giai đoạn 2016-2020: đào tạo nghề cho 1.350 lao động; hỗ trợ 120 dự án/đề án; tư vấn SXSH, lập dự án "
    "đầu tư cho "
    "120 dự án/đề án; 100 lượt cơ sở tham gia hội chợ; 40 lần tổ chức gian hàng; 25 lớp đào tạo, bồi dưỡng; "
    "thương "
    "hiệu cho 08 cơ sở; quy hoạch chi tiết, hạ tầng và xử lý nước thải cho 6 cụm công nghiệp; tư vấn cho 20 "
    "cơ sở gây "
    "ô nhiễm di dời vào khu, cụm công nghiệp; giải quyết việc làm ổn định cho khoảng 5.000-6.000 lao động; "
    "nâng tổng "
    "kinh phí hỗ trợ cho doanh nghiệp, cơ sở trên 40 tỷ đồng."
)

LEGAL_BASES = [
    # number, type, title, issuer, date
    ("45/2012/NĐ-CP", "Nghị định", "Về khuyến công", "Chính phủ", D(2012, 5, 21)),
    (
        "46/2012/TT-BCT",
        "Thông tư",
        "Quy định chi tiết một số nội dung của Nghị định số 45/2012/NĐ-CP về khuyến công",
        "Bộ Công Thương",
        D(2012, 12, 28),
    ),
    (
        "221/2012/TTLT-BTC-BCT",
        "Thông tư liên tịch",
        "Hướng dẫn chế độ quản lý, sử dụng kinh phí ngân sách nhà nước thực hiện Chiến lược sản xuất sạch "
        "hơn trong "
        "công nghiệp đến năm 2020",
        "Bộ Tài chính - Bộ Công Thương",
        D(2012, 12, 24),
    ),
    (
        "125/2009/TTLT-BTC-BCT",
        "Thông tư liên tịch",
        "Quy định việc quản lý và sử dụng kinh phí sự nghiệp kinh tế đối với Chương trình khuyến công",
        "Bộ Tài chính - Bộ Công Thương",
        D(2009, 6, 17),
    ),
    (
        "97/2010/TT-BTC",
        "Thông tư",
        "Quy định chế độ công tác phí, chế độ chi tổ chức các cuộc hội nghị",
        "Bộ Tài chính",
        D(2010, 7, 6),
    ),
    (
        "03/2010/CT-UBND",
        "Chỉ thị",
        "Triển khai thực hiện Chiến lược SXSH trong công nghiệp đến năm 2020 trên địa bàn tỉnh",
        "UBND tỉnh Bến Tre",
        D(2010, 7, 30),
    ),
    (
        "03/2012/CT-UBND",
        "Chỉ thị",
        "Đẩy mạnh hoạt động khuyến công trên địa bàn tỉnh Bến Tre",
        "UBND tỉnh Bến Tre",
        D(2012, 10, 4),
    ),
    (
        "974/QĐ-UBND",
        "Quyết định",
        "Phê duyệt Quy hoạch phát triển công nghiệp tỉnh Bến Tre đến năm 2020",
        "UBND tỉnh Bến Tre",
        D(2011, 4, 27),
    ),
    (
        "1146/QĐ-UBND",
        "Quyết định",
        "Phê duyệt Quy hoạch phát triển cụm công nghiệp trên địa bàn tỉnh Bến Tre đến năm 2020",
        "UBND tỉnh Bến Tre",
        D(2012, 6, 19),
    ),
    (
        "1850/UBND-KTN",
        "Công văn",
        "Phê duyệt chủ trương sửa đổi, bổ sung Quy chế quản lý Quỹ Khuyến công và xây "
        "dựng Đề án hoạt động khuyến công",
        "UBND tỉnh Bến Tre",
        D(2012, 4, 26),
    ),
    (
        "5223/UBND-KTN",
        "Công văn",
        "Chấp thuận cho dời thời gian thông qua Đề án hoạt động khuyến công vào quý III năm 2013",
        "UBND tỉnh Bến Tre",
        D(2012, 11, 12),
    ),
]

OBJ1 = "Phần 2, mục I.1.2.1 (mục tiêu giai đoạn 2014-2015)"
OBJ2 = "Phần 2, mục I.1.2.2 (mục tiêu giai đoạn 2016-2020)"
OBJ = f"{OBJ1}; {OBJ2}"

# name, unit, content, indicator, {phase: value}, overall value (when not split by phase), where, note,
# [(stated overall, where)]
TARGETS = [
    (
        "Đào tạo nghề cho lao động theo nhu cầu của cơ sở CN-TTCN",
        "lao động",
        "1",
        "hoc-vien",
        {"2014-2015": 400, "2016-2020": 1350},
        None,
        OBJ,
        "",
        [(2500, "Phần 2, mục II.2.1 («đào tạo cho 2.500 lao động có tay nghề»)")],
    ),
    (
        "Hỗ trợ dự án/đề án đầu tư mở rộng, phát triển sản xuất; mô hình trình diễn kỹ thuật, chuyển giao "
        "công nghệ, "
        "ứng dụng máy móc tiên tiến; mô hình SXSH, TKNL",
        "dự án/đề án",
        "3",
        "de-an",
        {"2014-2015": 40, "2016-2020": 120},
        None,
        OBJ,
        "",
        [(160, "Phần 2, mục II.2.3 («tổ chức hỗ trợ khoảng 160 dự án/đề án»)")],
    ),
    (
        "Hỗ trợ tư vấn SXSH, lập dự án đầu tư",
        "dự án/đề án",
        "5",
        None,
        {"2014-2015": 40, "2016-2020": 120},
        None,
        OBJ,
        "",
        [],
    ),
    (
        "Lượt cơ sở, doanh nghiệp tham gia hội chợ triển lãm trong nước",
        "lượt cơ sở",
        "4",
        "luot-hoi-cho",
        {"2014-2015": 20, "2016-2020": 100},
        None,
        OBJ,
        "",
        [(100, "Phần 2, mục II.2.4 («dự kiến hỗ trợ 100 lượt cơ sở, doanh nghiệp tham gia hội chợ»)")],
    ),
    (
        "Lần tổ chức gian hàng giới thiệu sản phẩm CN-TTCN của tỉnh tại hội chợ triển lãm trong và ngoài "
        "nước, cấp khu "
        "vực",
        "lần",
        "4",
        None,
        {"2014-2015": 6, "2016-2020": 40},
        None,
        OBJ,
        "",
        [(50, "Phần 2, mục II.2.4 («50 lần tổ chức gian hàng»)")],
    ),
    (
        "Lớp đào tạo, bồi dưỡng nâng cao năng lực quản lý, điều hành doanh nghiệp, khởi sự doanh nghiệp",
        "lớp",
        "2",
        "lop-tap-huan",
        {"2014-2015": 5, "2016-2020": 25},
        None,
        OBJ,
        "",
        [],
    ),
    (
        "Cơ sở CN-TTCN được hỗ trợ xây dựng, đăng ký thương hiệu",
        "cơ sở",
        "4",
        "thuong-hieu",
        {"2014-2015": 2, "2016-2020": 8},
        None,
        OBJ,
        "",
        [(10, "Phần 2, mục II.2.4 («hỗ trợ xây dựng và đăng ký thương hiệu cho 10 cơ sở CNNT»)")],
    ),
    (
        "Cụm công nghiệp được hỗ trợ quy hoạch chi tiết, hạ tầng (và xử lý nước thải)",
        "cụm",
        "7",
        "cum-cong-nghiep",
        {"2014-2015": 2, "2016-2020": 6},
        None,
        OBJ,
        "",
        [(8, "Phần 2, mục II.2.7 («đầu tư hạ tầng/xử lý nước thải cho 8 cụm công nghiệp»)")],
    ),
    (
        "Cơ sở, doanh nghiệp gây ô nhiễm môi trường được tư vấn di dời vào khu, cụm công nghiệp",
        "cơ sở",
        "7",
        "co-so-di-doi",
        {"2016-2020": 20},
        None,
        OBJ2,
        "",
        [(20, "Phần 2, mục II.2.7 («hỗ trợ tư vấn cho 20 cơ sở, doanh nghiệp gây ô nhiễm»)")],
    ),
    (
        "Giải quyết việc làm ổn định cho lao động",
        "lao động",
        None,
        "viec-lam-moi",
        {"2016-2020": 5000},
        None,
        OBJ2,
        "Văn bản ghi «khoảng 5.000-6.000 lao động»: ghi cận dưới.",
        [],
    ),
    (
        "Tổng kinh phí hỗ trợ cho doanh nghiệp, cơ sở sản xuất CN-TTCN (huy động mọi nguồn lực)",
        "đồng",
        None,
        None,
        {"2016-2020": 40_000_000_000},
        None,
        OBJ2,
        "Văn bản ghi «trên 40 tỷ đồng»: mức tối thiểu.",
        [],
    ),
    # Overall-only figures of Part 2, II.2 (not split by phase in the document).
    ("Lớp đào tạo nghề, truyền nghề", "lớp", "1", None, {}, 100, "Phần 2, mục II.2.1", "", []),
    ("Tỷ lệ lao động có việc làm sau đào tạo", "%", "1", None, {}, 80, "Phần 2, mục II.2.1", "", []),
    (
        "Mô hình trình diễn kỹ thuật sản xuất sản phẩm mới hoặc công nghệ mới",
        "mô hình",
        "3",
        "mo-hinh",
        {},
        50,
        "Phần 2, mục II.2.3",
        "",
        [],
    ),
    (
        "Lượt cơ sở, doanh nghiệp được hỗ trợ chuyển giao, ứng dụng máy móc thiết bị tiên tiến",
        "lượt cơ sở",
        "3",
        "co-so-ho-tro",
        {},
        60,
        "Phần 2, mục II.2.3",
        "",
        [],
    ),
    (
        "Đơn vị được hỗ trợ áp dụng giải pháp SXSH, mô hình tiết kiệm năng lượng",
        "đơn vị",
        "3",
        None,
        {},
        50,
        "Phần 2, mục II.2.3",
        "",
        [],
    ),
    (
        "Lần bình chọn sản phẩm CN-TTCN tiêu biểu cấp tỉnh, cấp huyện",
        "lần",
        "4",
        "lan-binh-chon",
        {},
        4,
        "Phần 2, mục II.2.4",
        "",
        [],
    ),
    (
        "Lượt doanh nghiệp, cơ sở sản xuất CN-TTCN được tư vấn, trợ giúp",
        "lượt cơ sở",
        "5",
        "tu-van",
        {},
        160,
        "Phần 2, mục II.2.5",
        "",
        [],
    ),
]

# What the text of Part 2, II states about money (triệu đồng), each with its place.
II1 = "Phần 2, mục II.1"
TEXT_AMOUNTS = [
    # value, content, source, phase, location, text
    ("391.573", None, None, None, II1, "Tổng kinh phí … là 391.573 triệu đồng"),
    ("16.448", None, "national", None, II1, "nguồn kinh phí khuyến công quốc gia: 16.448 triệu đồng"),
    ("19.845", None, "local", None, II1, "nguồn kinh phí khuyến công địa phương: 19.845 triệu đồng"),
    ("355.280", None, "counterpart", None, II1, "Nguồn khác (đối tượng thụ hưởng): 355.280 triệu đồng"),
    (
        "66.797",
        None,
        None,
        "2014-2015",
        "Phần 2, mục II.1.1",
        "Giai đoạn 2014-2015: tổng kinh phí … 66.797 triệu",
    ),
    ("2.832", None, "national", "2014-2015", "Phần 2, mục II.1.1", "khuyến công quốc gia: 2.832 triệu đồng"),
    ("5.365", None, "local", "2014-2015", "Phần 2, mục II.1.1", "khuyến công địa phương: 5.365 triệu đồng"),
    ("58.600", None, "counterpart", "2014-2015", "Phần 2, mục II.1.1", "Nguồn khác: 58.600 triệu đồng"),
    (
        "324.776",
        None,
        None,
        "2016-2020",
        "Phần 2, mục II.1.2",
        "Giai đoạn 2016-2020: Tổng kinh phí … 324.776 triệu",
    ),
    (
        "13.616",
        None,
        "national",
        "2016-2020",
        "Phần 2, mục II.1.2",
        "khuyến công quốc gia: 13.616 triệu đồng",
    ),
    ("14.480", None, "local", "2016-2020", "Phần 2, mục II.1.2", "khuyến công địa phương: 14.480 triệu đồng"),
    ("296.680", None, "counterpart", "2016-2020", "Phần 2, mục II.1.2", "Nguồn khác: 296.680 triệu đồng"),
    ("748", "1", None, None, "Phần 2, mục II.2.1", "với tổng kinh phí hỗ trợ là 748 triệu đồng"),
    ("765", "2", None, None, "Phần 2, mục II.2.2", "tổng kinh phí hỗ trợ dự kiến là 765 triệu đồng"),
    ("19.700", "3", None, None, "Phần 2, mục II.2.3", "với tổng kinh phí hỗ trợ là 19.700 triệu đồng"),
    ("1.020", "4", None, None, "Phần 2, mục II.2.4", "với tổng kinh phí hỗ trợ là 1.020 triệu đồng"),
    ("4.560", "5", None, None, "Phần 2, mục II.2.5", "với tổng kinh phí hỗ trợ là 4.560 triệu đồng"),
    ("730", "6", None, None, "Phần 2, mục II.2.6", "với tổng kinh phí hỗ trợ là 730 triệu đồng"),
    ("8.800", "7", None, None, "Phần 2, mục II.2.7", "với tổng kinh phí hỗ trợ là 8.800 triệu đồng"),
    (
        "600",
        "8",
        None,
        None,
        "Phần 2, mục II.2.8",
        "Kinh phí thực hiện hợp tác quốc tế về khuyến công là 600 triệu",
    ),
    (
        "1.600",
        "9",
        None,
        None,
        "Phần 2, mục II.2.9",
        "Kinh phí thực hiện nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công là 1.600 "
        "triệu đồng",
    ),
]
TEXT_SHARES = [
    # percent, source, phase, location
    ("4,2%", "national", None, II1),
    ("5,1%", "local", None, II1),
    ("90,7%", "counterpart", None, II1),
    ("4,2%", "national", "2014-2015", "Phần 2, mục II.1.1"),
    ("8,0%", "local", "2014-2015", "Phần 2, mục II.1.1"),
    ("87,8%", "counterpart", "2014-2015", "Phần 2, mục II.1.1"),
    ("4,2%", "national", "2016-2020", "Phần 2, mục II.1.2"),
    ("4,5%", "local", "2016-2020", "Phần 2, mục II.1.2"),
    ("91,3%", "counterpart", "2016-2020", "Phần 2, mục II.1.2"),
]


def _actors():
    officer = User.objects.filter(username="vinhlong").first()
    if officer is None:
        raise LookupError("Thiếu người dùng mẫu «vinhlong» (accounts.demo phải chạy trước).")
    return officer


def load() -> Program:
    owner = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    existing = Program.objects.filter(owner_unit=owner, title=TITLE).first()
    if existing is not None:
        return existing
    officer = _actors()
    program = services.program_create(
        actor=officer,
        owner_unit=owner,
        title=TITLE,
        year_from=2014,
        year_to=2020,
        code="CTKC-BT-2014-2020",
        general_objectives=GENERAL,
        specific_objectives=SPECIFIC,
        note="Dữ liệu mẫu: văn bản seed 001 (Sở Công Thương Bến Tre trình UBND tỉnh; Giám đốc Trương Minh "
        "Nhựt).",
    )
    for number, doc_type, title, issuer, issued in LEGAL_BASES:
        services.program_add_legal_basis(
            actor=officer,
            program=program,
            number=number,
            doc_type=doc_type,
            title=title,
            issuer=issuer,
            issued_date=issued,
        )
    services.phase_set(actor=officer, program=program, name="2014-2015", year_from=2014, year_to=2015)
    services.phase_set(actor=officer, program=program, name="2016-2020", year_from=2016, year_to=2020)
    for name, unit, content, indicator, values, overall, where, note, stated in TARGETS:
        target = services.target_create(
            actor=officer,
            program=program,
            name=name,
            unit=unit,
            content=content,
            indicator=indicator,
            values=values,
            overall_value=overall,
            location=where,
            note=note,
        )
        for value, location in stated:
            services.stated_figure_add(
                actor=officer,
                program=program,
                kind="target",
                target=target,
                value=value,
                location=location,
                text=f"{value}",
            )
    imports.appendix_import(
        actor=officer,
        program=program,
        data=seed001.appendix_docx_bytes(),
        filename="Phu-luc-1-Ben-Tre-2014-2020.docx",
    )
    for value, content, source, phase, location, text in TEXT_AMOUNTS:
        services.stated_figure_add(
            actor=officer,
            program=program,
            kind="amount",
            value=value,
            content=content,
            funding_source=source,
            phase=phase,
            location=location,
            text=text,
        )
    for value, source, phase, location in TEXT_SHARES:
        services.stated_figure_add(
            actor=officer,
            program=program,
            kind="share",
            value=value,
            funding_source=source,
            phase=phase,
            location=location,
            text=value,
        )
    # The version the officer sees on the page. The seed gives no date for the submission itself (only "quý
    # III
    # năm 2013" for the plan of work), so it carries the default business date, today.
    program.refresh_from_db(fields=["version"])
    return services.program_transition(
        actor=officer,
        program=program,
        to_status=Status.SUBMITTED,
        expected_version=program.version,
        note="Sở Công Thương kính trình Uỷ ban nhân dân tỉnh xem xét, phê duyệt.",
    )
