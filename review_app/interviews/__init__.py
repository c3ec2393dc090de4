"""Stakeholder interviews about the systemic factors (items 19 to 36)."""
