"""Sampled cases: adding and importing them, assigning reviewers, listing them."""
