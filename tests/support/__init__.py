"""Test support for puv: a builder of real distributions and a local package index server.

See ``tests/support/README.md``.  The main entry points::

    from tests.support import PackageIndex, build_description, description_from_packse
"""

from .builder import BuildCache, BuiltFile, build_description, load_description
from .index import PackageIndex, Request
from .packse import PackseScenario, description_from_packse, packse_scenarios

__all__ = [
    "BuildCache",
    "BuiltFile",
    "PackageIndex",
    "PackseScenario",
    "Request",
    "build_description",
    "description_from_packse",
    "load_description",
    "packse_scenarios",
]
