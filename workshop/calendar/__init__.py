"""Calendar files: the public feed, single sessions, registrants' calendars and iTIP messages."""
