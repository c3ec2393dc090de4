"""Long work done by the job queue for one person on one site, with progress and a result."""
