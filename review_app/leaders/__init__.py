"""The Site Leader's pages: assigning cases among reviewers and the progress board."""
