"""The roles a person can hold on a site."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleSet:
    """The roles held on one site: what a membership row stores, as plain values."""

    is_state_admin: bool = False
    is_reviewer: bool = False
    is_observer: bool = False
    qa_level: int | None = None

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
        )

    @property
    def codes(self) -> list[str]:
        """Return the role codes in display order."""
        codes = []
        if self.is_state_admin:
            codes.append("state_admin")
        if self.is_reviewer:
            codes.append("reviewer")
        if self.qa_level:
            codes.append(f"qa{self.qa_level}")
        if self.is_observer:
            codes.append("observer")
        return codes

    @property
    def is_empty(self) -> bool:
        return not self.codes


ROLE_CODES: tuple[str, ...] = ("state_admin", "reviewer", "qa", "qa1", "qa2", "observer")

ROLE_LABELS: dict[str, str] = {
    "state_admin": "State administrator",
    "reviewer": "Reviewer",
    "qa1": "QA, level 1",
    "qa2": "QA, level 2",
    "observer": "Observer",
}


def roles_text(roles: "RoleSet") -> str:
    """Return the roles in words: 'Reviewer, QA, level 1'."""
    return ", ".join(ROLE_LABELS.get(code, code) for code in roles.codes)
