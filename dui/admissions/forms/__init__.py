"""Forms of the pathway pages, one module per use case. Person-related choices travel as
public UUIDs (never sequential keys); every form that changes an existing entry carries the
version it was read at."""
