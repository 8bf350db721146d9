"""Programmes for tests, built through the services (as a Vĩnh Long officer unless told otherwise)."""

import datetime as dt
import itertools

from khuyencong import testing
from khuyencong.programs import services

_seq = itertools.count(1)


def make_program(
    actor,
    *,
    owner: str = "Bến Tre",
    old: bool = True,
    year_from: int = 2014,
    year_to: int = 2020,
    phases=(("2014-2015", 2014, 2015), ("2016-2020", 2016, 2020)),
    title: str | None = None,
    effective_date=None,
):
    unit = testing.old_province(owner) if old else testing.current_province(owner)
    # Drafted the year before it starts (a past programme entered today keeps its own dates).
    program = services.program_create(
        actor=actor,
        owner_unit=unit,
        year_from=year_from,
        year_to=year_to,
        title=title or f"Chương trình khuyến công thử {next(_seq)}",
        effective_date=effective_date or dt.date(year_from - 1, 6, 1),
    )
    for name, lo, hi in phases:
        services.phase_set(actor=actor, program=program, name=name, year_from=lo, year_to=hi)
    return program


def full_cells(
    program, sources=("national", "local", "counterpart"), contents=tuple(str(i) for i in range(1, 10))
):
    """Every content × source × year with a distinct amount (some with odd đồng, to test exactness)."""
    cells = {}
    for ci, c in enumerate(contents, start=1):
        for si, s in enumerate(sources, start=1):
            for y in program.years:
                cells[(c, s, y)] = (ci * 100 + si * 10 + (y - 2000)) * 10**6 + (
                    500_000 if (ci + si + y) % 5 == 0 else 0
                )
    return cells
