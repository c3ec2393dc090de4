"""Email: messages composed from templates and delivered by the job queue, with retries."""
