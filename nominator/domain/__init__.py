"""Pure Python: the records, the rules and the checker. No Qt, no database sessions."""
