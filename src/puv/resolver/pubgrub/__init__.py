"""PubGrub version solving, pure: no I/O, typed against the `Provider` protocol.

    from puv.resolver.pubgrub import Package, solve

    solution = solve(provider)            # provider.get_dependencies(root) = the requirements
    solution.by_name()                    # {"a": Version("1.0"), ...}

On failure `solve` raises `NoSolution` (a `PuvError`) whose message is uv's explanation. See
`docs/resolver.md` for the algorithm, the provider contract and the report rules.
"""

from puv.resolver.pubgrub.package import Package, PackageKind, PythonKind
from puv.resolver.pubgrub.provider import (
    BaseProvider,
    Dependencies,
    Provider,
    Unavailable,
    UnavailableKind,
)
from puv.resolver.pubgrub.report import NoSolution, PythonSource, ReportContext
from puv.resolver.pubgrub.solver import Solution, solve
from puv.resolver.pubgrub.tree import DerivationTree

__all__ = [
    "BaseProvider",
    "Dependencies",
    "DerivationTree",
    "NoSolution",
    "Package",
    "PackageKind",
    "Provider",
    "PythonKind",
    "PythonSource",
    "ReportContext",
    "Solution",
    "Unavailable",
    "UnavailableKind",
    "solve",
]
