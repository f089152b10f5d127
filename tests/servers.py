"""The local database servers the tests use (PostgreSQL, MariaDB).

A missing server fails the test under CI=true (the CI machine runs both; .ci/run
starts them) and skips it with the reason elsewhere, e.g. on a laptop."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text


def require_server(label: str, urls: list[str]) -> str:
    """The first of `urls` whose server answers `select 1`."""
    reasons = []
    for url in urls:
        try:
            engine = create_engine(url)
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
            return url
        except Exception as e:
            reasons.append(f"{url.split('://')[1].split('@')[0]}: {type(e).__name__}")
    message = f"{label} unavailable ({'; '.join(reasons)})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " — CI requires it (.ci/run starts it)")
    pytest.skip(message)
