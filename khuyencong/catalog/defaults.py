"""The catalogues' initial rows: legal facts from ../shared/domain.md, kept as data (editable by admins)."""

import datetime as dt

LEGAL_DOCUMENTS = [
    # number, type, title, issuer, issued, effective
    ("45/2012/NĐ-CP", "Nghị định", "Về khuyến công", "Chính phủ", dt.date(2012, 5, 21), dt.date(2012, 7, 10)),
    (
        "235/2025/NĐ-CP",
        "Nghị định",
        "Sửa đổi, bổ sung một số điều của Nghị định 45/2012/NĐ-CP về khuyến công",
        "Chính phủ",
        None,
        dt.date(2025, 10, 15),
    ),
    (
        "28/2018/TT-BTC",
        "Thông tư",
        "Hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công",
        "Bộ Tài chính",
        dt.date(2018, 3, 28),
        dt.date(2018, 5, 15),
    ),
    (
        "26/2014/TT-BCT",
        "Thông tư",
        "Quy định về việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
        "Bộ Công Thương",
        dt.date(2014, 8, 28),
        None,
    ),
    (
        "19/2025/QĐ-TTg",
        "Quyết định",
        "Ban hành bảng danh mục và mã số các đơn vị hành chính Việt Nam",
        "Thủ tướng Chính phủ",
        None,
        None,
    ),
]

# Nghị định 45/2012/NĐ-CP, Điều 4 — numbered as in seed 001's appendix.
ACTIVITY_CONTENTS = [
    ("1", "Đào tạo nghề, truyền nghề, nâng cao tay nghề", "Đào tạo nghề"),
    (
        "2",
        "Nâng cao năng lực quản lý doanh nghiệp; nhận thức và năng lực áp dụng sản xuất sạch hơn",
        "Nâng cao năng lực quản lý, SXSH",
    ),
    (
        "3",
        "Mô hình trình diễn kỹ thuật; chuyển giao công nghệ, ứng dụng máy móc tiên tiến",
        "Mô hình trình diễn, ứng dụng máy móc",
    ),
    (
        "4",
        "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu (bình chọn, hội chợ triển lãm, thương hiệu)",
        "Phát triển sản phẩm CNNT tiêu biểu",
    ),
    ("5", "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn", "Tư vấn, trợ giúp"),
    ("6", "Cung cấp thông tin, tuyên truyền", "Thông tin, tuyên truyền"),
    (
        "7",
        "Liên doanh liên kết, hợp tác kinh tế, phát triển cụm công nghiệp, di dời cơ sở gây ô nhiễm",
        "Liên doanh liên kết, cụm công nghiệp",
    ),
    ("8", "Hợp tác quốc tế về khuyến công", "Hợp tác quốc tế"),
    (
        "9",
        "Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công",
        "Nâng cao năng lực quản lý khuyến công",
    ),
]

FUNDING_SOURCES = [
    ("national", "Khuyến công quốc gia", "KCQG", True),
    ("local", "Khuyến công địa phương (ngân sách tỉnh)", "KCĐP", True),
    ("district", "Ngân sách cấp huyện, xã", "NS huyện/xã", True),
    ("counterpart", "Vốn đối ứng, nguồn khác", "Đối ứng", False),
]

ESTABLISHMENT_TYPES = [
    ("DN", "Doanh nghiệp"),
    ("HTX", "Hợp tác xã"),
    ("THT", "Tổ hợp tác"),
    ("HKD", "Hộ kinh doanh"),
]

SECTORS = [
    ("che-bien-nong-lam-thuy-san", "Chế biến nông, lâm, thủy sản và thực phẩm"),
    ("vat-lieu-xay-dung", "Sản xuất vật liệu xây dựng"),
    ("co-khi", "Cơ khí, sản xuất thiết bị, máy móc, phụ tùng"),
    ("thu-cong-my-nghe", "Thủ công mỹ nghệ"),
    ("det-may-da-giay", "Dệt may, da giày"),
    ("hoa-chat-nhua", "Hóa chất, cao su, nhựa"),
    ("dien-tu-dien", "Điện, điện tử"),
    ("xu-ly-moi-truong", "Thu gom, xử lý chất thải, môi trường"),
    ("khac", "Ngành nghề khác"),
]

# Thông tư 28/2018/TT-BTC, national funds — confirmed figures (domain.md).
SUPPORT_CAPS = [
    # code, name, content code, per, max %, max amount đồng
    ("tt28-mo-hinh-trinh-dien", "Xây dựng mô hình trình diễn kỹ thuật", "3", "model", 30, 1_000_000_000),
    (
        "tt28-may-moc-thiet-bi",
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ",
        "3",
        "establishment",
        50,
        300_000_000,
    ),
    ("tt28-day-chuyen-cong-nghe", "Hỗ trợ ứng dụng dây chuyền công nghệ", "3", "tech_line", 50, 450_000_000),
    (
        "tt28-binh-chon-khu-vuc",
        "Tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp khu vực",
        "4",
        "round",
        None,
        200_000_000,
    ),
    (
        "tt28-binh-chon-quoc-gia",
        "Tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia",
        "4",
        "round",
        None,
        400_000_000,
    ),
    ("tt28-ha-tang-ccn", "Hỗ trợ đầu tư hạ tầng cụm công nghiệp", "7", "cluster", None, 6_000_000_000),
    (
        "tt28-thanh-lap-dn-kho-khan",
        "Hỗ trợ thành lập doanh nghiệp CNNT ở địa bàn khó khăn",
        "5",
        "establishment",
        None,
        10_000_000,
    ),
]

OUTPUT_INDICATORS = [
    # code, name, unit, content code, is_money
    ("hoc-vien", "Lao động được đào tạo nghề", "người", "1", False),
    ("lao-dong-co-viec", "Lao động có việc làm sau đào tạo", "người", "1", False),
    ("lop-tap-huan", "Lớp tập huấn, đào tạo", "lớp", "2", False),
    ("mo-hinh", "Mô hình trình diễn kỹ thuật", "mô hình", "3", False),
    ("may-moc", "Máy móc thiết bị được hỗ trợ ứng dụng", "máy", "3", False),
    ("co-so-ho-tro", "Cơ sở được hỗ trợ ứng dụng máy móc thiết bị", "cơ sở", "3", False),
    ("san-pham-binh-chon", "Sản phẩm CNNT tiêu biểu được bình chọn", "sản phẩm", "4", False),
    ("lan-binh-chon", "Lần tổ chức bình chọn sản phẩm CNNT tiêu biểu", "lần", "4", False),
    ("luot-hoi-cho", "Lượt cơ sở tham gia hội chợ triển lãm", "lượt cơ sở", "4", False),
    ("thuong-hieu", "Cơ sở được hỗ trợ xây dựng thương hiệu", "cơ sở", "4", False),
    ("tu-van", "Cơ sở được tư vấn, trợ giúp", "cơ sở", "5", False),
    ("tuyen-truyen", "Tin, bài, phóng sự tuyên truyền", "tin bài", "6", False),
    ("cum-cong-nghiep", "Cụm công nghiệp được hỗ trợ", "cụm", "7", False),
    ("co-so-di-doi", "Cơ sở gây ô nhiễm di dời vào khu, cụm công nghiệp", "cơ sở", "7", False),
    ("de-an", "Đề án khuyến công được hỗ trợ", "đề án", None, False),
    ("viec-lam-moi", "Việc làm mới tạo ra", "người", None, False),
    ("von-doi-ung", "Vốn đối ứng thực đầu tư", "đồng", None, True),
]
