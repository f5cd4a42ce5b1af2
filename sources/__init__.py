"""One reader per source system: a landed file in, rows of text out (nothing else)."""
