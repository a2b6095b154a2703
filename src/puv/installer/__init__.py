"""Installing wheels into environments, and removing what was installed.

- `layout.py`: where an install writes (the scheme of the target environment);
- `inventory.py`: what an environment holds (`.dist-info`, `.egg-info`, `.egg-link`);
- `archive.py`: a wheel, checked and unpacked once into the cache (`archive-v1/`);
- `wheel.py`: placing an unpacked wheel (links, scripts, RECORD, INSTALLER, direct_url.json);
- `uninstall.py`: what removing a distribution removes;
- `transaction.py`: stage, then commit or roll back, so that a failed or interrupted install
  leaves the environment as it was;
- `planner.py`: what to install, keep and remove (pure);
- `preparer.py`: getting every wheel into the archive cache, in parallel.

See docs/installer.md.
"""
