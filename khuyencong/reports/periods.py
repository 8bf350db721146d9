"""Reporting periods: quarter, 6 months, 9 months, year, or any date range.

Every figure of a report is taken "as of" the period's end (`Period.end`), so a report stays right when
đề án change later. A period is a small value object; reports store its kind, year, number and dates.
"""

import datetime as dt
from dataclasses import dataclass

QUARTER, HALF, NINE_MONTHS, YEAR, CUSTOM = "quarter", "half", "nine_months", "year", "custom"
KIND_CHOICES = [
    (QUARTER, "Quý"),
    (HALF, "6 tháng"),
    (NINE_MONTHS, "9 tháng"),
    (YEAR, "Năm"),
    (CUSTOM, "Khoảng thời gian"),
]
KIND_LABELS = dict(KIND_CHOICES)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period that cannot exist; the message is Vietnamese."""


def _fmt(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 0  # quarter 1-4; 0 otherwise
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def make(
        cls,
        kind: str,
        year: int | None = None,
        number: int | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> "Period":
        if kind not in KIND_LABELS:
            raise PeriodError("Loại kỳ báo cáo không hợp lệ.")
        if kind == CUSTOM:
            if not start or not end:
                raise PeriodError("Kỳ báo cáo tùy chọn cần ngày bắt đầu và ngày kết thúc.")
            if end < start:
                raise PeriodError("Ngày kết thúc phải sau ngày bắt đầu.")
            return cls(CUSTOM, end.year, 0, start, end)
        if not year or not (2000 <= int(year) <= 2100):
            raise PeriodError("Năm báo cáo không hợp lệ.")
        year = int(year)
        if kind == QUARTER:
            if not number or not 1 <= int(number) <= 4:
                raise PeriodError("Quý phải từ 1 đến 4.")
            q = int(number)
            start = dt.date(year, 3 * q - 2, 1)
            end_month = 3 * q
            end = (
                dt.date(year + 1, 1, 1) if end_month == 12 else dt.date(year, end_month + 1, 1)
            ) - dt.timedelta(days=1)
            return cls(QUARTER, year, q, start, end)
        if kind == HALF:
            return cls(HALF, year, 0, dt.date(year, 1, 1), dt.date(year, 6, 30))
        if kind == NINE_MONTHS:
            return cls(NINE_MONTHS, year, 0, dt.date(year, 1, 1), dt.date(year, 9, 30))
        return cls(YEAR, year, 0, dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def parse(cls, key: str) -> "Period":
        """Inverse of `key`: "2018-half", "2019-quarter-2", "custom-2018-01-01-2018-06-30"."""
        try:
            if key.startswith(CUSTOM + "-"):
                rest = key[len(CUSTOM) + 1 :]
                return cls.make(
                    CUSTOM, start=dt.date.fromisoformat(rest[:10]), end=dt.date.fromisoformat(rest[11:21])
                )
            parts = key.split("-")
            year, kind = int(parts[0]), parts[1]
            number = int(parts[2]) if len(parts) > 2 else None
            return cls.make(kind, year, number)
        except (ValueError, IndexError) as exc:
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(f"Không đọc được kỳ báo cáo «{key}».") from None

    @property
    def key(self) -> str:
        if self.kind == CUSTOM:
            return f"{CUSTOM}-{self.start.isoformat()}-{self.end.isoformat()}"
        if self.kind == QUARTER:
            return f"{self.year}-{QUARTER}-{self.number}"
        return f"{self.year}-{self.kind}"

    @property
    def as_of(self) -> dt.date:
        return self.end

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return f"Quý {ROMAN[self.number]} năm {self.year}"
        if self.kind == HALF:
            return f"6 tháng đầu năm {self.year}"
        if self.kind == NINE_MONTHS:
            return f"9 tháng năm {self.year}"
        if self.kind == YEAR:
            return f"Năm {self.year}"
        return f"Từ ngày {_fmt(self.start)} đến ngày {_fmt(self.end)}"

    def same_period_previous_year(self) -> "Period":
        if self.kind == CUSTOM:

            def back(d):
                try:
                    return d.replace(year=d.year - 1)
                except ValueError:  # 29/2
                    return d.replace(year=d.year - 1, day=28)

            return Period.make(CUSTOM, start=back(self.start), end=back(self.end))
        return Period.make(self.kind, self.year - 1, self.number or None)

    def __str__(self) -> str:
        return self.label


def period_from_params(params) -> Period:
    """A period from query parameters: kind, year, number (quarter), start, end (ISO dates)."""
    kind = params.get("kind") or HALF
    start = params.get("start") or None
    end = params.get("end") or None
    try:
        start = dt.date.fromisoformat(start) if start else None
        end = dt.date.fromisoformat(end) if end else None
        year = int(params.get("year")) if params.get("year") else None
        number = int(params.get("number")) if params.get("number") else None
    except ValueError:
        raise PeriodError("Tham số kỳ báo cáo không hợp lệ.") from None
    return Period.make(kind, year, number, start, end)
