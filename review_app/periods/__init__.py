"""Review periods: what is reviewed, over which dates, with which instrument."""
