"""Reminders: stand and stretch after time at the computer, routines at set times, quiet hours, saved settings."""
