"""The `uv.lock` model, its reader and its writer (the project issue)."""
