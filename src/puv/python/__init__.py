"""Interpreters: requests (`request.py`), introspection (`interpreter.py`), discovery
(`discovery.py`) and `.python-version` files (`version_file.py`)."""
