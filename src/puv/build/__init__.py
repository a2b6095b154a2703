"""PEP 517 builds: calling a build backend (`pyproject-hooks`) in an isolated build environment
that puv resolves and installs itself (through the `BuildContext` protocol), cached by its
requirements."""
