"""The review instrument: versions kept as data files in ``instruments/``."""
