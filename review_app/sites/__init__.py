"""Jurisdictions, their three sites, site settings and local sites."""
