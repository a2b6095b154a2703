"""Resolution: choosing versions and files. `candidates.py` picks a project's best version and
file for a target interpreter (what `pip sync` needs, and the resolver's candidate source)."""
