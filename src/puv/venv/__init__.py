"""Virtual environments: creating them (`create.py`) without running the `venv` module."""

from puv.venv.create import VenvOptions, create_venv, is_virtualenv

__all__ = ["VenvOptions", "create_venv", "is_virtualenv"]
