"""Who may work on a site, and in which roles."""
