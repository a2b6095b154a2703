"""Building distributions from source: a PEP 517 / PEP 660 frontend over `pyproject_hooks`.

- `options.py`: `BuildOptions` (isolation, config settings, extra build requirements,
  `--no-build`), merged from flags, `UV_*` variables and `[tool.uv]`;
- `backend.py`: a source tree's `[build-system]`, with the legacy setuptools fallback;
- `environment.py`: isolated build environments, cached in `builds-v1/`;
- `frontend.py`: `Builder` and `SourceBuild`, which call the hooks;
- `errors.py`: `BuildError` and uv's wording of build failures.

What is built, where the results are kept and when a build is skipped is the `distribution`
layer's business. See docs/builds.md.
"""

from puv.build.backend import LEGACY_BACKEND, LEGACY_REQUIRES, BuildSystem, read_build_system
from puv.build.errors import BuildError
from puv.build.frontend import Builder, SourceBuild
from puv.build.options import BuildOptions, parse_config_settings

__all__ = [
    "LEGACY_BACKEND",
    "LEGACY_REQUIRES",
    "BuildError",
    "BuildOptions",
    "BuildSystem",
    "Builder",
    "SourceBuild",
    "parse_config_settings",
    "read_build_system",
]
