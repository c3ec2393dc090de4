"""The demonstration jurisdiction a new user explores."""
