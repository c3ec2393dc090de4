"""The Training site: answer keys, practice copies, scores and trainees' progress."""
