"""Signals of the sites domain, for the domains above it (members)."""

from blinker import Namespace

from review_app.sites.models import Region

_signals = Namespace()

# Sent with a region (as sender) before it is removed: members, a domain above sites,
# answers with the names of the people whose access the region limits
# (members/queries.py), so that a region still in use is not removed.
region_use_asked = _signals.signal("region-use-asked")


def people_limited_to(region: Region) -> list[str]:
    """Return the names of the people whose access ``region`` limits, by name."""
    answers = region_use_asked.send(region)
    return sorted(name for _, names in answers for name in (names or []))


# Sent with a region (as sender) just before it is removed, once nothing refused it:
# domains that name regions in their records (access requests) put its local sites
# in its place.
region_removing = _signals.signal("region-removing")
