"""Messages: templates, SMS parts and what they cost."""
