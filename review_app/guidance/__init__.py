"""The instrument's guidance for reviewers: a searchable glossary per site."""
