"""The provider that answers the solver from the package indexes (being written)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.distribution import Distributions
    from puv.index.registry import Registry
    from puv.resolver.resolution import (
        Resolution,
        ResolverEnvironment,
        ResolverOptions,
        RootRequirement,
    )

__all__ = ["resolve_with_registry"]


def resolve_with_registry(
    requirements: Sequence[RootRequirement],
    *,
    registry: Registry,
    distributions: Distributions | None,
    environment: ResolverEnvironment,
    options: ResolverOptions,
) -> Resolution:
    raise NotImplementedError("the registry provider is being written")
