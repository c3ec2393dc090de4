"""What a person typed into a form that could not be taken (their session ended), kept for them."""
