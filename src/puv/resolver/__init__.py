"""Resolution: choosing versions and files. `candidates.py` picks a project's best version and
file for a target interpreter (what `pip sync` needs, and the resolver's candidate source);
`pubgrub/` is the version solver (pure PubGrub against a provider Protocol, with failures
explained in uv's words: see docs/resolver.md)."""
