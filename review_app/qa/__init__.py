"""Quality assurance: the case status machine, comment threads, overrides, queues."""
