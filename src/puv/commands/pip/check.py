"""`puv pip check` (and every `--strict`): what is wrong with an environment, as uv words it.

For each installed project, in name order: installed twice or more (nothing else is checked
for it); metadata that cannot be read; a `Requires-Python` the interpreter does not meet; a
wheel built for another platform (its `WHEEL` tags); then each `Requires-Dist` that applies
here: not installed, or installed at a version outside its specifiers. uv lists the same
problems in the order of a hash map; puv sorts them by project name.
"""

from __future__ import annotations

from packaging.version import Version

from puv.commands.pip.inspect import SitePackages, specifiers_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.installer.inventory import InstalledDist

__all__ = ["Diagnostic", "diagnose"]


class Diagnostic:
    """One problem: the project it is about, and the sentence uv prints for it."""

    __slots__ = ("message", "package")

    def __init__(self, package: str, message: str) -> None:
        self.package = package
        self.message = message

    def __repr__(self) -> str:
        return f"Diagnostic({self.package!r}, {self.message!r})"


def _install_path(dist: InstalledDist) -> str:
    """The metadata directory (for a legacy editable, the project's `.egg-info`)."""
    return dist.info_dir or dist.path


def _broken(name: str, what: str, dist: InstalledDist) -> Diagnostic:
    return Diagnostic(name, f"The package `{name}` is broken or incomplete (unable to read "
                      f"{what}). Consider recreating the virtualenv, or removing the "
                      f"package directory at: {_install_path(dist)}.")


def _wheel_tags(dist: InstalledDist) -> list[str] | None:
    """The `Tag:` values of the `WHEEL` file (`[]` when it names none); `None` if missing."""
    text = dist.read_text("WHEEL")
    if text is None:
        return None
    tags = []
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip().lower() == "tag":
            tags.append(value.strip())
    return tags


def diagnose(site: SitePackages) -> list[Diagnostic]:
    """Every problem in `site` (see the module docstring)."""
    found: list[Diagnostic] = []
    python = Version(site.markers["python_full_version"])
    for name in sorted(site.names()):
        dists = site.get(name)
        if len(dists) > 1:
            paths = "".join(f"\n  - {path}" for path in sorted(map(_install_path, dists)))
            found.append(Diagnostic(name, f"The package `{name}` has multiple installed "
                                    f"distributions: {paths}"))
            continue
        dist = dists[0]
        metadata = site.metadata(dist)
        deps = site.dependencies(dist)
        if metadata is None or deps is None:
            found.append(_broken(name, "`METADATA`", dist))
            continue
        requires_python = metadata.requires_python
        if requires_python is not None and not requires_python.contains(python,
                                                                        prereleases=True):
            found.append(Diagnostic(name, f"The package `{name}` requires Python "
                                    f"{specifiers_text(requires_python, ', ')}, but "
                                    f"`{python}` is installed"))
        if dist.kind == "dist-info":
            tags = _wheel_tags(dist)
            if tags is None:
                found.append(_broken(name, "`WHEEL` file", dist))
            elif tags and all(site.interpreter.tags().priority(tag) is None for tag in tags):
                found.append(Diagnostic(name, f"The package `{name}` was built for a "
                                        "different platform"))
        for dep in deps:
            installed = site.get(dep.name)
            if not installed:
                found.append(Diagnostic(name, f"The package `{name}` requires `{dep}`, but "
                                        "it's not installed"))
            elif len(installed) == 1 and dep.url is None \
                    and not dep.allows(installed[0].version):
                found.append(Diagnostic(name, f"The package `{name}` requires `{dep}`, but "
                                        f"`{installed[0].version}` is installed"))
    return found
