"""The roles a person can hold on a site, and the one lookup of who holds which."""

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context


@dataclass(frozen=True)
class RoleSet:
    """The roles held on one site: what a membership row stores, as plain values."""

    is_state_admin: bool = False
    is_reviewer: bool = False
    is_observer: bool = False
    qa_level: int | None = None
    # A Site Leader runs the cases of their local sites: assigns them among reviewers,
    # does first-level QA there and reads the sites' progress board.
    is_site_leader: bool = False

    @classmethod
    def from_codes(cls, codes: list[str] | set[str]) -> "RoleSet":
        """Build from codes such as ``['reviewer', 'qa2']``; raise ValueError on an unknown one."""
        unknown = [code for code in codes if code not in ROLE_CODES]
        if unknown:
            raise ValueError(
                f"unknown role {', '.join(sorted(unknown))}; use {', '.join(ROLE_CODES)}"
            )
        if "qa1" in codes and "qa2" in codes:
            raise ValueError("choose one QA level, qa1 or qa2")
        qa_level = 2 if "qa2" in codes else 1 if {"qa", "qa1"} & set(codes) else None
        return cls(
            is_state_admin="state_admin" in codes,
            is_reviewer="reviewer" in codes,
            is_observer="observer" in codes,
            qa_level=qa_level,
            is_site_leader="site_leader" in codes,
        )

    @property
    def codes(self) -> list[str]:
        """Return the role codes in display order."""
        codes = []
        if self.is_state_admin:
            codes.append("state_admin")
        if self.is_site_leader:
            codes.append("site_leader")
        if self.is_reviewer:
            codes.append("reviewer")
        if self.qa_level:
            codes.append(f"qa{self.qa_level}")
        if self.is_observer:
            codes.append("observer")
        return codes

    @property
    def role_labels(self) -> list[str]:
        """Return the roles in words, for pages."""
        return [ROLE_LABELS[code] for code in self.codes]

    @property
    def is_empty(self) -> bool:
        return not self.codes

    @property
    def qa_rank(self) -> int:
        """Return the QA level this person may act at: a Site Leader's is at least 1."""
        return max(self.qa_level or 0, 1 if self.is_site_leader else 0)

    def holds(self, *codes: str) -> bool:
        """Tell whether any of ``codes`` is held ('member': any role; 'qa': either level)."""
        held = set(self.codes)
        if held:
            held.add("member")
        if self.qa_rank:
            held.update(("qa", f"qa{self.qa_rank}"))
        return bool(held.intersection(codes))


ROLE_CODES: tuple[str, ...] = (
    "state_admin",
    "site_leader",
    "reviewer",
    "qa",
    "qa1",
    "qa2",
    "observer",
)

ROLE_LABELS: dict[str, str] = {
    "state_admin": "State administrator",
    "site_leader": "Site Leader",
    "reviewer": "Reviewer",
    "qa1": "QA, level 1",
    "qa2": "QA, level 2",
    "observer": "Observer",
}


def roles_text(roles: "RoleSet") -> str:
    """Return the roles in words: 'Reviewer, QA, level 1'."""
    return ", ".join(roles.role_labels)


def roles_of(user: Any, site: Any) -> RoleSet:
    """Return the user's roles on a site: none unless their membership there is active.

    This is the one lookup of roles. The signed-in user's roles were read with
    the user when the request began (members/identity.py); anyone else's, and
    anyone's outside a request, are read from the database by the loader the
    members domain registers (``ROLES_LOADER``).
    """
    if user is None or not user.is_authenticated:
        return RoleSet()
    site_id = site if isinstance(site, int) else site.id
    held = g.site_roles if has_request_context() and _is_request_user(user) else None
    if held is None:
        held = current_app.extensions[ROLES_LOADER](user.id)
    roles: RoleSet = held.get(site_id, RoleSet())
    return roles


def _is_request_user(user: Any) -> bool:
    return g.get("site_roles_user_id") == user.id and "site_roles" in g


def keep_request_roles(user_id: int | None, roles: dict[int, RoleSet]) -> None:
    """Keep the roles by site of the user a request acts for (read with the user)."""
    g.site_roles_user_id = user_id
    g.site_roles = roles


def my_memberships() -> list[Any]:
    """Return the signed-in user's active memberships with their sites (read once a request).

    Read by the loader the members domain registers (``MEMBERSHIPS_LOADER``), for
    the pages below members that list where the user works (the account's home).
    """
    memberships: list[Any] = current_app.extensions[MEMBERSHIPS_LOADER]()
    return memberships


ROLES_LOADER = "site_roles_of"
MEMBERSHIPS_LOADER = "my_memberships"
