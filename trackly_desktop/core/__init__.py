"""The domain: spreadsheets, phones, templates, campaigns, journal, send engine. No Qt."""
