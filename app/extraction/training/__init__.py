"""Training of the learned parts of extraction (pure: files in, weights out; no database)."""
