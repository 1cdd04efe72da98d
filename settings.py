"""Settings, read once from the environment into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite://data/directory.sqlite3"
DEFAULT_RATE_LIMIT_REQUESTS = 600
"""Requests per client and window when the environment does not say (``Settings()`` itself limits nothing)."""
DEFAULT_RATE_LIMIT_COST = 500_000
"""Query cost per client and window when the environment does not say: ten operations at ``MAX_QUERY_COST``."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the service can be configured with; see the table in README.md."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    max_page_size: int = 100
    default_page_size: int = 20
    max_query_depth: int = 12
    max_query_cost: int = 50_000
    stats_always: bool = False
    graphiql: bool = True
    read_plans: bool = True
    engine_header: bool = False
    read_pool_size: int = 10
    db_statement_timeout: float = 5.0
    """Seconds a statement may run (0: no limit); see ``db.availability``."""
    db_acquire_timeout: float = 2.0
    """Seconds a request may wait for a pooled database connection (0: no limit)."""
    rate_limit_requests: int = 0
    """Requests a client may send per window (0: no limit); see ``web.rate_limits``."""
    rate_limit_cost: int = 0
    """Query cost (rows, ``plan.cost``) a client may spend per window (0: no limit)."""
    rate_limit_window: int = 60
    """Length of a rate-limit window, in seconds."""
    rate_limit_fail_open: bool = True
    """Whether requests are served, unlimited, while Redis is unreachable (else 503)."""
    redis_url: str = field(default="", repr=False)
    """Redis for counters shared by every worker; empty: counters in each worker's memory."""
    api_key_secret: str = field(default="", repr=False)
    """Server secret keying the hashes of API keys (``services.keys``); without it no key opens anything."""

    @property
    def on_postgres(self) -> bool:
        """Whether the database is PostgreSQL (else SQLite)."""
        return normalize_database_url(self.database_url).startswith("postgres://")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (``os.environ`` by default)."""
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            host=env.get("HOST") or "127.0.0.1",
            port=int(env.get("PORT") or 8000),
            debug=_flag(env.get("DEBUG")),
            max_page_size=int(env.get("MAX_PAGE_SIZE") or 100),
            default_page_size=int(env.get("DEFAULT_PAGE_SIZE") or 20),
            max_query_depth=int(env.get("MAX_QUERY_DEPTH") or 12),
            max_query_cost=int(env.get("MAX_QUERY_COST") or 50_000),
            stats_always=_flag(env.get("DIRECTORY_STATS")),
            graphiql=env.get("GRAPHIQL", "1") != "0",
            read_plans=env.get("READ_PLANS", "1") != "0",
            engine_header=_flag(env.get("ENGINE_HEADER")),
            read_pool_size=int(env.get("READ_POOL_SIZE") or 10),
            db_statement_timeout=float(env.get("DB_STATEMENT_TIMEOUT") or 5.0),
            db_acquire_timeout=float(env.get("DB_ACQUIRE_TIMEOUT") or 2.0),
            rate_limit_requests=int(env.get("RATE_LIMIT_REQUESTS") or DEFAULT_RATE_LIMIT_REQUESTS),
            rate_limit_cost=int(env.get("RATE_LIMIT_COST") or DEFAULT_RATE_LIMIT_COST),
            rate_limit_window=int(env.get("RATE_LIMIT_WINDOW") or 60),
            rate_limit_fail_open=env.get("RATE_LIMIT_FAIL_OPEN", "1") != "0",
            redis_url=env.get("REDIS_URL") or "",
            api_key_secret=env.get("API_KEY_SECRET") or "",
        )


def normalize_database_url(url: str) -> str:
    """Map the URL spellings users write to the ones Tortoise understands."""
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://") :]
    return url


def tortoise_config(database_url: str) -> dict[str, object]:
    """Tortoise ORM configuration for one database URL."""
    return {
        "connections": {"default": normalize_database_url(database_url)},
        "apps": {
            "models": {
                "models": ["models"],
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def __getattr__(name: str) -> object:
    """``settings.TORTOISE_ORM`` for the ``tortoise`` command line, built when asked for."""
    if name == "TORTOISE_ORM":
        return tortoise_config(Settings.from_env().database_url)
    raise AttributeError(name)
