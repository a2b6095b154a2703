"""puv: a fast Python package and project manager that behaves like uv."""

__version__ = "0.1.0"

__all__ = ["__version__"]
