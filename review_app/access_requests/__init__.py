"""Access requests: a person asks for a role and a scope on a site; an administrator decides."""
