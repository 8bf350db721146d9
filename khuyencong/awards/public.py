"""The public catalogue of recognised products (no login): one row builder for the page, the JSON API and
the .xlsx and .csv downloads. A row holds only what a certificate makes public — product, group, level,
year, the establishment's name and place, the certificate's number and validity, a photo — never a phone,
an e-mail or a representative; the product's mean score only when its round publishes the scores."""

from django.urls import reverse

from khuyencong.core.xlsx import Sheet

from . import selectors
from .models import AwardLevel, ProductGroup

COLUMNS = [
    ("product", "Sản phẩm"),
    ("group", "Nhóm sản phẩm"),
    ("level", "Cấp công nhận"),
    ("year", "Năm"),
    ("establishment", "Cơ sở"),
    ("commune", "Xã, phường"),
    ("province_old", "Tỉnh (khi công nhận)"),
    ("province", "Tỉnh (hiện nay)"),
    ("certificate_no", "Số giấy chứng nhận"),
    ("issued_on", "Ngày cấp"),
    ("valid_until", "Có giá trị đến"),
    ("score", "Điểm bình quân (nếu đợt công bố)"),
]


def _old_province(commune):
    unit = commune
    while unit is not None and unit.parent_id is not None:
        unit = unit.parent
    return unit


def rows(certificates) -> list[dict]:
    certificates = list(certificates)
    photos = selectors.first_photo_ids({c.product_id for c in certificates})
    out = []
    for c in certificates:
        est = c.establishment
        old = _old_province(est.commune)
        photo = photos.get(c.product_id)
        out.append(
            {
                "id": c.product_id,
                "product": c.product.name,
                "group": c.product.get_group_display(),
                "group_code": c.product.group,
                "level": c.get_level_display(),
                "level_code": c.level,
                "year": c.round.year,
                "establishment": est.name,
                "commune": est.commune.name,
                "province_old": old.name if old is not None else "",
                "province": est.province.name,
                "certificate_no": c.number,
                "issued_on": c.issued_on,
                "valid_until": c.valid_until,
                "score": c.entry.score if c.round.publish_scores else None,
                "photo_url": reverse("awards:public-photo", args=[photo]) if photo else None,
                "url": reverse("awards:public-product", args=[c.product_id]),
            }
        )
    return out


def _cell(row: dict, key: str):
    value = row[key]
    if key == "score":
        from .services import fmt

        return fmt(value)
    return value.strftime("%d/%m/%Y") if key in ("issued_on", "valid_until") else value


def csv_text(data: list[dict]) -> str:
    """The catalogue's rows as CSV: the public columns only, a header of their Vietnamese labels."""
    import csv
    import io

    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow([label for _, label in COLUMNS])
    for r in data:
        writer.writerow([_cell(r, k) for k, _ in COLUMNS])
    return buf.getvalue()


def xlsx_sheet(data: list[dict]) -> Sheet:
    return Sheet(
        title="Sản phẩm CNNT tiêu biểu",
        heading="Danh mục sản phẩm công nghiệp nông thôn tiêu biểu được công nhận",
        headers=[label for _, label in COLUMNS],
        rows=[[_cell(r, k) for k, _ in COLUMNS] for r in data],
    )


LEVEL_CHOICES = [(v, label) for v, label in AwardLevel.choices]
GROUP_CHOICES = list(ProductGroup.choices)
