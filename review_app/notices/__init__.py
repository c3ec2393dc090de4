"""Notifications: notices in the app, email at once or in a daily digest, and reminders."""
