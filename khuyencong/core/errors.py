"""Domain errors carry a Vietnamese message for the user (pages, API and imports show it as is)."""


class DomainError(Exception):
    """A rule of the domain was broken; `message` is shown to the user in Vietnamese."""

    code = "invalid"
    status = 400

    def __init__(
        self, message: str, *, field: str | None = None, details: dict | None = None, code: str | None = None
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.details = details or {}


class NotAllowed(DomainError):
    """The actor's role or scope does not allow this action."""

    code = "not_allowed"
    status = 403


class ConcurrentEditError(DomainError):
    """Someone else saved the record since it was read: nothing was overwritten."""

    code = "conflict"
    status = 409

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(
            message
            or "Bản ghi đã được người khác thay đổi sau khi bạn mở nó. Thay đổi của bạn chưa được lưu; "
            "hãy tải lại trang để xem dữ liệu mới nhất rồi nhập lại.",
            **kwargs,
        )


class ImportRowError:
    """One problem of an import: row (1-based, as Excel shows it), column, value and reason."""

    __slots__ = ("row", "column", "value", "reason")

    def __init__(self, row: int | None, column: str | None, value, reason: str):
        self.row, self.column, self.value, self.reason = row, column, value, reason

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        value = "" if self.value in (None, "") else f" (giá trị: {self.value!s})"
        return f"{', '.join(where)}: {self.reason}{value}" if where else f"{self.reason}{value}"


class ImportFailed(DomainError):
    """An import was refused as a whole; `errors` lists every problem found."""

    code = "import_failed"

    def __init__(self, errors: list[ImportRowError], message: str | None = None):
        self.errors = errors
        super().__init__(
            message or f"Không nhập được tệp: có {len(errors)} lỗi. Không có dòng nào được lưu.",
            details={"errors": [e.as_dict() for e in errors]},
        )
