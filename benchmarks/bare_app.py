"""The baseline for the scoring service's rate: a bare FastAPI endpoint that accepts a JSON body
and returns it, served the same way (one uvicorn worker)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

app = FastAPI()


@app.post("/echo")
async def echo(body: dict[str, Any]) -> dict[str, Any]:
    return body


if __name__ == "__main__":
    # Served exactly as `python -m baseline_scoring` serves the scoring app: same uvicorn settings.
    import os

    import uvicorn

    uvicorn.run(app, host=os.environ["HOST"], port=int(os.environ["PORT"]), log_level="info")
