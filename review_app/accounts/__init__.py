"""People: accounts, sign-in, sessions and passwords."""
