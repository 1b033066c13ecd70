"""Routes are tried in order, the assessments' first (they are called most): no route may take a
request meant for one after it."""

from __future__ import annotations

import re

from starlette.routing import compile_path

from baseline_api.app import create_app
from baseline_api.core.settings import Settings

# A value each path parameter could take: a UUID where most take one, a word where a literal
# segment of another route could stand in the same place.
SAMPLES = ("00000000-0000-4000-8000-000000000000", "compare", "summary", "1.0.0")


def _routes(settings: Settings) -> list[tuple[str, set[str]]]:
    app = create_app(settings)
    # The paths and methods in the order the app tries them (an included router's, in its order).
    return [
        (route.path, set(route.methods or ()))
        for entry in app.router.routes
        for route in getattr(getattr(entry, "original_router", None), "routes", [entry])
        if getattr(route, "methods", None)
    ]


def test_no_route_takes_the_requests_of_a_later_one(settings: Settings) -> None:
    routes = _routes(settings)
    assert len(routes) > 50
    taken = []
    for position, (path, methods) in enumerate(routes):
        for sample in SAMPLES:
            concrete = re.sub(r"\{[^}]+\}", sample, path)
            for earlier, earlier_methods in routes[:position]:
                if earlier != path and methods & earlier_methods and compile_path(earlier)[0].match(concrete):
                    taken.append(f"{sorted(methods)} {concrete} goes to {earlier}")
    assert taken == []
