"""Package indexes: simple-API parsers (pure), the index list and strategy, flat indexes
(`--find-links`), metadata by PEP 658 or range requests, and the registry client."""
