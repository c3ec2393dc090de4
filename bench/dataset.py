"""The shape of a national dataset: jurisdictions of unequal size, their people, their cases.

Jurisdiction sizes follow a power law (the largest has about 19 times the cases
of the smallest, roughly as state populations differ). Every jurisdiction's CQI
site has a few local sites (counties) and one review period per fiscal year, the
latest still open; every case is finalized: rated in full by a reviewer or a
pair, with one resolved QA thread, and now and then a QA override.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

SIZE_EXPONENT = 0.75
PAIR_SHARE = 0.6  # of cases rated by two reviewers
FOSTER_CARE_SHARE = 2 / 3
INITIALS = [f"{a}.{b}." for a in "ABCDEFGHJKLMNPRSTW" for b in "ABCDEFGHJKLMNPRSTW"]


@dataclass
class Options:
    cases: int = 100_000
    jurisdictions: int = 50
    periods: int = 2
    local_sites: int = 10
    pool: int = 300
    seed: int = 1


@dataclass
class Person:
    id: int
    username: str
    name: str
    # (site id, is_state_admin, is_reviewer, is_observer, qa_level)
    roles: list[tuple[int, bool, bool, bool, int | None]]


@dataclass
class Period:
    id: int
    site_id: int
    name: str
    pur_start: date
    pur_end: date
    is_open: bool
    cases: int
    local_site_ids: list[int]


@dataclass
class Jurisdiction:
    id: int
    code: str
    name: str
    site_ids: dict[str, int]  # kind -> site id
    cases: int
    people: list[Person] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    local_sites: list[tuple[int, str, str]] = field(default_factory=list)  # id, code, name

    @property
    def reviewers(self) -> list[int]:
        return [p.id for p in self.people if "-reviewer" in p.username]

    @property
    def qa(self) -> int:
        return next(p.id for p in self.people if p.username.endswith("-qa"))


def sizes(total: int, count: int) -> list[int]:
    """Split ``total`` cases over ``count`` jurisdictions, largest first."""
    weights = [(rank + 1) ** -SIZE_EXPONENT for rank in range(count)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for rank in range(total - sum(shares)):
        shares[rank % count] += 1
    return shares


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def plan(options: Options, kinds: tuple[str, ...], first: dict[str, int]) -> list[Jurisdiction]:
    """Lay out jurisdictions, sites, people, local sites and periods; ids start at ``first``."""
    ids = dict(first)

    def take(table: str) -> int:
        ids[table] += 1
        return ids[table] - 1

    found = []
    for rank, cases in enumerate(sizes(options.cases, options.jurisdictions)):
        code = f"st{rank + 1:02d}"
        j = Jurisdiction(
            take("jurisdictions"),
            code,
            f"State {rank + 1:02d}",
            {kind: take("sites") for kind in kinds},
            cases,
        )
        cqi = j.site_ids["cqi"]
        everywhere = [(site, True, False, False, None) for site in j.site_ids.values()]
        j.people = [
            Person(take("users"), f"{code}-admin", f"Administrator {code}", everywhere),
            Person(take("users"), f"{code}-qa", f"QA {code}", [(cqi, False, False, False, 1)]),
            Person(take("users"), f"{code}-observer", f"Observer {code}", [(cqi, *_OBSERVER)]),
        ]
        for n in range(min(40, max(4, cases // 150))):
            name = f"{code}-reviewer{n + 1:02d}"
            j.people.append(
                Person(take("users"), name, f"Reviewer {n + 1} {code}", [(cqi, *_REVIEWER)])
            )
        j.local_sites = [
            (take("local_sites"), f"C{n + 1:02d}", f"County {n + 1:02d}")
            for n in range(options.local_sites)
        ]
        local_ids = [local[0] for local in j.local_sites]
        for index, count in enumerate(split(cases, options.periods)):
            year = 2026 - (options.periods - 1 - index)
            j.periods.append(
                Period(
                    take("review_periods"),
                    cqi,
                    f"FY{year}",
                    date(year - 1, 10, 1),
                    date(year, 9, 30),
                    index == options.periods - 1,
                    count,
                    local_ids,
                )
            )
        found.append(j)
    return found


_OBSERVER = (False, False, True, None)
_REVIEWER = (False, True, False, None)


@dataclass
class CaseFacts:
    """What the generator decides per case; answers and ratings come from the pool."""

    id: int
    jurisdiction: Jurisdiction
    period: Period
    number: str
    case_type: str
    pool_index: int
    local_site_id: int
    reviewers: list[int]
    child_name: str
    birth: date
    dates: dict[str, date]  # opened_on, removal_on, closed_on (the last two when known)
    created_at: datetime
    submitted_at: datetime
    finalized_at: datetime


def cases(jurisdictions: list[Jurisdiction], pool_sizes: dict[str, int], first_id: int, seed: int):
    """Yield the facts of every case, jurisdiction by jurisdiction and period by period."""
    rng = random.Random(seed)
    next_id = first_id
    for j in jurisdictions:
        reviewers = j.reviewers
        for period in j.periods:
            for n in range(period.cases):
                case_type = "foster_care" if rng.random() < FOSTER_CARE_SHARE else "in_home"
                opened = period.pur_start - timedelta(days=rng.randint(0, 700))
                created = datetime.combine(period.pur_end, datetime.min.time()) + timedelta(
                    days=rng.randint(1, 30), hours=rng.randint(8, 17)
                )
                submitted = created + timedelta(
                    days=rng.randint(5, 40), minutes=rng.randint(0, 600)
                )
                initials = rng.choice(INITIALS)
                yield CaseFacts(
                    id=next_id,
                    jurisdiction=j,
                    period=period,
                    number=f"{'FC' if case_type == 'foster_care' else 'IH'}-{n + 1:06d}",
                    case_type=case_type,
                    pool_index=rng.randrange(pool_sizes[case_type]),
                    local_site_id=rng.choice(period.local_site_ids),
                    reviewers=rng.sample(reviewers, 2 if rng.random() < PAIR_SHARE else 1),
                    child_name=initials,
                    birth=period.pur_end - timedelta(days=rng.randint(30, 18 * 365 - 1)),
                    dates={
                        "opened_on": opened,
                        "removal_on": opened + timedelta(days=rng.randint(0, 60)),
                        "closed_on": period.pur_start + timedelta(days=rng.randint(30, 360)),
                    },
                    created_at=created,
                    submitted_at=submitted,
                    finalized_at=submitted + timedelta(days=rng.randint(3, 30), hours=2),
                )
                next_id += 1
