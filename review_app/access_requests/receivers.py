"""What access requests do when a person departs (withdraw, and tell the administrators)
and when a region they name is removed (name its local sites instead)."""

from review_app.access_requests.operations import replace_region, withdraw_on_departure
from review_app.accounts.models import User
from review_app.members.models import Membership
from review_app.members.queries import active_people
from review_app.members.signals import departed
from review_app.notices.operations import notify, site_path
from review_app.notices.states import NoticeKind
from review_app.sites.models import Region, Site
from review_app.sites.signals import region_removing


@departed.connect
def after_departure(
    user: User, actor: User, site: Site, sites: list[Site], ended: list[Site]
) -> None:
    """Withdraw the person's pending requests; tell each site's other administrators."""
    withdraw_on_departure(actor, user, sites)
    for each in ended:
        notify(
            active_people(each, Membership.is_state_admin),
            each,
            NoticeKind.DEPARTURE,
            f"{actor.display_name} recorded the departure of {user.display_name}: "
            "their access to this site ended.",
            site_path(each, "members.index"),
            actor=actor,
        )


@region_removing.connect
def before_region_removed(region: Region, **_: object) -> None:
    """Let every request that names the region name its local sites instead."""
    replace_region(region)
