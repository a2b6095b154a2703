"""Where an installation puts things: the scheme of one target environment.

A `Layout` holds the five directories of the installation scheme (`purelib`, `platlib`,
`scripts`, `data` and the base of `headers`), the interpreter that will run what is installed
(its path goes into script shebangs; its tags say which wheels fit), and the environment's
root (where its lock lives). Made from the interpreter's own `sysconfig` paths (a virtual
environment's interpreter reports the environment's), or for `--target DIR` / `--prefix DIR`.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.core.tags import TargetTags
    from puv.python.interpreter import Interpreter

__all__ = ["Layout"]


class Layout:
    """The directories an install writes to, and the interpreter it installs for."""

    __slots__ = ("data", "include", "interpreter", "kind", "platlib", "purelib", "python",
                 "root", "scripts")

    def __init__(self, *, interpreter: Interpreter, root: str, purelib: str, platlib: str,
                 scripts: str, data: str, include: str, kind: str) -> None:
        self.interpreter = interpreter
        self.root = root  # the environment's directory (or --target / --prefix)
        self.purelib = purelib
        self.platlib = platlib
        self.scripts = scripts
        self.data = data
        self.include = include  # headers go to `<include>/<project name>/`
        self.kind = kind  # "venv", "system", "target" or "prefix"
        # What a script's shebang names: the environment's interpreter, as it was found.
        self.python = interpreter.path if kind in ("venv", "system") else interpreter.executable

    @classmethod
    def for_interpreter(cls, interpreter: Interpreter) -> Layout:
        """The interpreter's own scheme: a virtual environment's, or the system's."""
        paths = interpreter.info["paths"]
        version = interpreter.python_version
        kind = "venv" if interpreter.is_virtualenv else "system"
        include = os.path.join(interpreter.prefix, "include", "site", f"python{version}")
        return cls(interpreter=interpreter, root=interpreter.prefix, purelib=paths["purelib"],
                   platlib=paths["platlib"], scripts=paths["scripts"], data=paths["data"],
                   include=include, kind=kind)

    @classmethod
    def for_target(cls, interpreter: Interpreter, target: str) -> Layout:
        """`--target DIR`: packages in DIR itself, scripts in `DIR/bin`, as uv does."""
        target = os.path.abspath(target)
        return cls(interpreter=interpreter, root=target, purelib=target, platlib=target,
                   scripts=os.path.join(target, "bin"), data=target,
                   include=os.path.join(target, "include"), kind="target")

    @classmethod
    def for_prefix(cls, interpreter: Interpreter, prefix: str) -> Layout:
        """`--prefix DIR`: the interpreter's scheme, rooted at DIR (`DIR/lib/python3.X/...`)."""
        prefix = os.path.abspath(prefix)
        scheme = interpreter.venv_scheme

        def at(key: str) -> str:
            return os.path.join(prefix, scheme[key])

        include = os.path.join(prefix, "include", "site", f"python{interpreter.python_version}")
        return cls(interpreter=interpreter, root=prefix, purelib=at("purelib"),
                   platlib=at("platlib"), scripts=at("scripts"), data=at("data"),
                   include=include, kind="prefix")

    @property
    def site_packages(self) -> tuple[str, ...]:
        """The directories that hold installed distributions (one when purelib is platlib)."""
        if self.platlib == self.purelib:
            return (self.purelib,)
        return (self.purelib, self.platlib)

    @property
    def tags(self) -> TargetTags:
        return self.interpreter.tags()

    def lock_path(self) -> str:
        """The lock two installers into this environment share (`.lock` at its root, as uv)."""
        return os.path.join(self.root, ".lock")

    def __repr__(self) -> str:
        return f"Layout({self.kind}, {self.root!r})"
