"""Reads over annual plans and đề án.

`program_execution` is the seam through which đề án feed a programme's progress page (programs app):
approved and disbursed money by (content code, funding source code, year), and achieved outputs by
(indicator code, year), for one current province. The đề án issue fills it from its records.
"""

from dataclasses import dataclass, field


@dataclass
class ExecutionFigures:
    # (activity content code, funding source code, year) -> {"approved": int đồng, "disbursed": int đồng}
    money: dict[tuple[str, str, int], dict[str, int]] = field(default_factory=dict)
    # (output indicator code, year) -> achieved quantity (int)
    outputs: dict[tuple[str, int], int] = field(default_factory=dict)


def program_execution(*, province_id: int, year_from: int, year_to: int) -> ExecutionFigures:
    """Approved/disbursed money and achieved outputs of the province's đề án in [year_from, year_to].

    No đề án are recorded yet (they arrive with the đề án issue), so every figure is 0 / absent.
    """
    return ExecutionFigures()
