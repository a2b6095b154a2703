from tests.support.build_fixtures import (  # noqa: F401 (fixtures)
    build_wheels,
    context,
    interpreter,
    puv_cache,
)
