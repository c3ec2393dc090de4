"""Reports: the case rating summary, on screen and in print."""
