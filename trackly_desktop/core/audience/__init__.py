"""Who may be texted: the lasting do-not-text list, quiet hours, schedules."""
