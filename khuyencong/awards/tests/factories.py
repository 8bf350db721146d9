"""Voting rounds, products and entries for tests, made through the services (so history rows exist)."""

import datetime as dt
import itertools
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import establishment
from khuyencong.geo.models import Region

from .. import services
from ..models import AwardLevel, DossierFile, Juror, RoundStatus

_seq = itertools.count(1)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def photo(name: str = "anh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf(name: str = "ho-so.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def provincial_round(officer, *, year=2016, quota=15, pass_mark=70, title=None, **extra):
    return services.round_create(
        actor=officer,
        title=title or f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Bến Tre năm {year} ({next(_seq)})",
        level=AwardLevel.PROVINCE,
        year=year,
        unit=testing.old_province("Bến Tre"),
        registration_start=dt.date(year, 3, 1),
        registration_end=dt.date(year, 4, 30),
        scoring_start=dt.date(year, 5, 2),
        scoring_end=dt.date(year, 5, 31),
        pass_mark=pass_mark,
        quota=quota,
        **extra,
    )


def regional_round(cuc, *, year=2016, quota=6, **extra):
    return services.round_create(
        actor=cuc,
        title=f"Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Nam năm {year} ({next(_seq)})",
        level=AwardLevel.REGION,
        year=year,
        region=Region.objects.get(code="phia-nam"),
        registration_start=dt.date(year, 7, 1),
        registration_end=dt.date(year, 8, 15),
        scoring_start=dt.date(year, 8, 20),
        scoring_end=dt.date(year, 9, 10),
        quota=quota,
        **extra,
    )


def move(award_round, actor, to_status, **data):
    award_round.refresh_from_db()
    days = {
        RoundStatus.OPEN: award_round.registration_start,
        RoundStatus.SCORING: award_round.scoring_start,
        RoundStatus.CLOSED: award_round.scoring_end + dt.timedelta(days=10),
    }
    data.setdefault("effective_date", days.get(to_status))
    moved = services.round_transition(
        actor=actor,
        award_round=award_round,
        to_status=to_status,
        expected_version=award_round.version,
        **data,
    )
    award_round.refresh_from_db()
    return moved


def product(actor, est=None, *, name=None, photos=3, **extra):
    est = est or establishment("Bến Tre")
    p = services.product_create(
        actor=actor, establishment=est, name=name or f"Sản phẩm thử {next(_seq)}", group="food", **extra
    )
    for i in range(photos):
        services.dossier_add(
            actor=actor, product=p, kind=DossierFile.Kind.PHOTO, upload=photo(f"anh-{i}.png")
        )
    return p


def submitted_entry(actor, award_round, prod):
    entry = services.entry_create(
        actor=actor, award_round=award_round, product=prod, registered_on=award_round.registration_start
    )
    return services.entry_submit(
        actor=actor, entry=entry, expected_version=entry.version, submitted_on=award_round.registration_start
    )


def juror(officer, award_round, username, role=Juror.Role.MEMBER):
    user = testing.make_user(username, officer.organisation, "viewer")
    services.juror_add(actor=officer, award_round=award_round, user=user, role=role)
    return user


def points_for(award_round, total_split):
    """{criterion id: points} from a list of points in criteria order."""
    return {str(c.pk): p for c, p in zip(award_round.criteria.order_by("order"), total_split, strict=True)}


def score(user, entry, split):
    return services.sheet_save(
        actor=user, entry=entry, points=points_for(entry.round, split), scored_on=entry.round.scoring_start
    )


def split_of(total):
    """Split a total over 40/40/10/10 (as even as the maxima allow)."""
    from decimal import Decimal

    total = Decimal(str(total))
    a = min(Decimal(40), total * Decimal("0.4"))
    b = min(Decimal(40), total * Decimal("0.4"))
    rest = total - a - b
    c = min(Decimal(10), rest / 2)
    return [a, b, c, rest - c]
