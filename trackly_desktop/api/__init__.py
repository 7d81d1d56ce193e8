"""The Trackly HTTP client and its error catalogue. No Qt."""
