"""Values PostgreSQL refuses to store (a NUL character in text, say) are the client's error.

Schemas catch what they can; this is the net under them, so such input is a 422 and never a
500. The database's own message is not echoed: it can quote internals.
"""

from __future__ import annotations

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from baseline_service_kit import Unprocessable, problem_response

__all__ = ["install_database_error_handler"]


async def _on_data_error(_: Request, exc: Exception) -> JSONResponse:
    error = Unprocessable("A value in the request cannot be stored (for example, text with a NUL character).")
    return problem_response(error.to_problem())


def install_database_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(DataError, _on_data_error)  # through SQLAlchemy
    app.add_exception_handler(psycopg.DataError, _on_data_error)  # on psycopg's own pool
