"""What the database's errors mean to a client.

- Values PostgreSQL refuses to store (a NUL character in text, say) are the client's error.
  Schemas catch what they can; this is the net under them, so such input is a 422 and never a
  500.
- A database that does not answer (down, restarting, every connection in use for too long) is
  a 503 the client may retry, not a 500.

The database's own message is not echoed: it can quote internals.
"""

from __future__ import annotations

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from baseline_service_kit import ServiceUnavailable, Unprocessable, problem_response

__all__ = ["install_database_error_handler", "violated_constraint"]

RETRY_AFTER_SECONDS = "5"


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint (or unique index) a refused write broke, to tell which rule a
    client ran into."""
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


async def _on_data_error(_: Request, exc: Exception) -> JSONResponse:
    error = Unprocessable("A value in the request cannot be stored (for example, text with a NUL character).")
    return problem_response(error.to_problem())


async def _on_unavailable(_: Request, exc: Exception) -> JSONResponse:
    error = ServiceUnavailable("The database is not answering; try again later.")
    return problem_response(error.to_problem(), {"Retry-After": RETRY_AFTER_SECONDS})


def install_database_error_handler(app: FastAPI) -> None:
    # Each twice: through SQLAlchemy, and on psycopg's own pool (psycopg_pool.PoolTimeout is a
    # psycopg.OperationalError).
    app.add_exception_handler(DataError, _on_data_error)
    app.add_exception_handler(psycopg.DataError, _on_data_error)
    app.add_exception_handler(OperationalError, _on_unavailable)
    app.add_exception_handler(psycopg.OperationalError, _on_unavailable)
