"""Agreement between two ratings of the same cases: percent, Cohen's kappa, Gwet's AC1.

Plain functions over a contingency table {(first, second): count}; no database.
Notation below: n cases, p_kl the share rated k first and l finally, r_k and c_k
the first and final ratings' shares of category k, q the number of categories.
"""

from dataclasses import dataclass
from math import sqrt

STRENGTH, ANI, NA = "strength", "ani", "not_applicable"
CATEGORIES = (STRENGTH, ANI, NA)
# The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054

Interval = tuple[float, float]


@dataclass(frozen=True)
class Agreement:
    cases: int
    agreed: int
    percent: float | None
    kappa: float | None
    ac1: float | None
    # The categories the chance terms counted (those the items can take, and any seen).
    categories: tuple[str, ...] = CATEGORIES
    kappa_ci: Interval | None = None
    ac1_ci: Interval | None = None

    @property
    def all_agree(self) -> bool:
        """Every rating compared was the same on both sides (so 100% and 1 are exact)."""
        return self.cases > 0 and self.agreed == self.cases


def categories_of(table: dict[tuple[str, str], int], possible=CATEGORIES) -> tuple[str, ...]:
    """Return ``possible`` plus any category the table holds that it lacks, in a fixed order."""
    seen = {k for pair, n in table.items() if n for k in pair}
    wanted = set(possible) | seen
    return tuple(k for k in CATEGORIES if k in wanted) + tuple(sorted(wanted - set(CATEGORIES)))


def agreement(table: dict[tuple[str, str], int], categories=CATEGORIES) -> Agreement:
    """Return the agreement figures of a contingency table of (submitted, final) ratings.

    ``categories`` are the ratings the items compared can take: an item that can
    never be Not Applicable is counted over two, since a third category nobody
    can choose would lower AC1's chance term and raise AC1. A category the table
    holds anyway (a QA override to one) is added, so every rating is counted.

    Kappa (Cohen 1960): (po - pe) / (1 - pe), pe = sum_k r_k c_k.
    AC1 (Gwet 2008; irrCAC ``gwet.ac1.table``): (po - pe) / (1 - pe),
    pe = sum_k pi_k (1 - pi_k) / (q - 1), pi_k = (r_k + c_k) / 2.
    Kappa is None when it is undefined (no cases, or chance agreement of 1: every
    rating in one category on both sides); AC1 only with no cases.
    """
    cats = categories_of(table, categories)
    total = sum(table.values())
    if not total:
        return Agreement(0, 0, None, None, None, cats)
    p = {(a, b): table.get((a, b), 0) / total for a in cats for b in cats}
    agreed = sum(table.get((k, k), 0) for k in cats)
    observed = agreed / total
    first = {k: sum(p[k, b] for b in cats) for k in cats}
    second = {k: sum(p[a, k] for a in cats) for k in cats}
    chance_kappa = sum(first[k] * second[k] for k in cats)
    kappa = kappa_ci = None
    if chance_kappa < 1 - 1e-12:
        kappa = (observed - chance_kappa) / (1 - chance_kappa)
        kappa_ci = _interval(kappa, _kappa_variance(p, cats, first, second, kappa, total))
    share = {k: (first[k] + second[k]) / 2 for k in cats}
    chance_ac1 = sum(s * (1 - s) for s in share.values()) / (len(cats) - 1)
    ac1 = (observed - chance_ac1) / (1 - chance_ac1)
    ac1_ci = _interval(ac1, _ac1_variance(p, cats, share, observed, chance_ac1, ac1, total))
    return Agreement(total, agreed, 100 * observed, kappa, ac1, cats, kappa_ci, ac1_ci)


def _kappa_variance(p, cats, first, second, kappa: float, n: int) -> float:
    """Return kappa's large-sample variance (Fleiss, Cohen and Everitt 1969).

    var = [sum_k p_kk (1 - (r_k + c_k)(1 - kappa))^2
           + (1 - kappa)^2 sum_{k != l} p_kl (c_k + r_l)^2
           - (kappa - pe (1 - kappa))^2] / (n (1 - pe)^2)
    It is the "ASE" of SAS PROC FREQ and statsmodels' ``cohens_kappa`` ``var_kappa``.
    """
    pe = sum(first[k] * second[k] for k in cats)
    diagonal = sum(p[k, k] * (1 - (first[k] + second[k]) * (1 - kappa)) ** 2 for k in cats)
    off = sum(p[k, m] * (second[k] + first[m]) ** 2 for k in cats for m in cats if k != m)
    value = diagonal + (1 - kappa) ** 2 * off - (kappa - pe * (1 - kappa)) ** 2
    return value / (n * (1 - pe) ** 2)


def _ac1_variance(p, cats, share, pa: float, pe: float, ac1: float, n: int) -> float:
    """Return AC1's large-sample variance for two raters (Gwet 2008; irrCAC ``gwet.ac1.table``).

    With w_kl = 1 when k = l, else 0, and the population taken as infinite:
    var = [sum_kl p_kl (w_kl - 2 (1 - AC1)(1 - (pi_k + pi_l) / 2) / (q - 1))^2
           - (pa - 2 (1 - AC1) pe)^2] / (n (1 - pe)^2)
    """
    q = len(cats)
    spread = sum(
        p[k, m] * ((k == m) - 2 * (1 - ac1) * (1 - (share[k] + share[m]) / 2) / (q - 1)) ** 2
        for k in cats
        for m in cats
    )
    return (spread - (pa - 2 * (1 - ac1) * pe) ** 2) / (n * (1 - pe) ** 2)


def _interval(estimate: float, variance: float) -> Interval | None:
    """Return the 95% interval estimate +- 1.96 SE within [-1, 1]; None when it has no width.

    A variance of zero (every rating agreed, or a single case) gives no usable
    interval from these large-sample formulas, so none is claimed.
    """
    if variance <= 1e-15:
        return None
    half = Z95 * sqrt(variance)
    return max(-1.0, estimate - half), min(1.0, estimate + half)


def pooled(tables) -> dict[tuple[str, str], int]:
    """Add contingency tables up cell by cell."""
    total: dict[tuple[str, str], int] = {}
    for table in tables:
        for key, count in table.items():
            total[key] = total.get(key, 0) + count
    return total
