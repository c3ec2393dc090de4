"""Agreement between two ratings of the same cases: percent, Cohen's kappa, Gwet's AC1.

Plain functions over a contingency table {(first, second): count}; no database.
"""

from dataclasses import dataclass

CATEGORIES = ("strength", "ani", "not_applicable")


@dataclass(frozen=True)
class Agreement:
    cases: int
    agreed: int
    percent: float | None
    kappa: float | None
    ac1: float | None


def agreement(table: dict[tuple[str, str], int], categories=CATEGORIES) -> Agreement:
    """Return the agreement figures of a contingency table of (submitted, final) ratings.

    Kappa and AC1 are None when they are undefined: no cases, or chance
    agreement of 1 (every rating in one category on both sides, for kappa).
    """
    total = sum(table.values())
    if not total:
        return Agreement(0, 0, None, None, None)
    agreed = sum(table.get((k, k), 0) for k in categories)
    observed = agreed / total
    first = {k: sum(n for (a, _), n in table.items() if a == k) / total for k in categories}
    second = {k: sum(n for (_, b), n in table.items() if b == k) / total for k in categories}
    chance_kappa = sum(first[k] * second[k] for k in categories)
    kappa = None if chance_kappa >= 1 else (observed - chance_kappa) / (1 - chance_kappa)
    shares = {k: (first[k] + second[k]) / 2 for k in categories}
    chance_ac1 = sum(p * (1 - p) for p in shares.values()) / (len(categories) - 1)
    ac1 = None if chance_ac1 >= 1 else (observed - chance_ac1) / (1 - chance_ac1)
    return Agreement(total, agreed, 100 * observed, kappa, ac1)
