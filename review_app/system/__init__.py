"""System administration: jurisdictions, their first state administrators, accounts."""
