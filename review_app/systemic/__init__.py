"""Systemic factor ratings: items 19 to 36 rated per review period from the interviews."""
