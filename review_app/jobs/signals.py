"""Signals of the jobs domain, for the domains above it (notices tells the job's owner).

``job_ended`` is sent with the job (as sender) and ``succeeded`` once the job is
marked done or failed; receivers write in the session of the task that ended it.
"""

from blinker import Namespace

_signals = Namespace()

job_ended = _signals.signal("job-ended")
