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
    max_body_bytes: int = 1_000_000
    request_timeout: float = 10.0
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    keep_alive_timeout: float = 5.0
    max_query_tokens: int = 10_000
    max_aliases: int = 100
    max_root_fields: int = 50
    max_entities: int = 100
    cors_origins: tuple[str, ...] = ()
    graphiql_frame_ancestors: str = "'none'"
    cache: CacheSettings = field(default_factory=lambda: CacheSettings())
    """The response cache, persisted queries and HTTP caching (``web.cached_reads``)."""
    serving: ServingSettings = field(default_factory=lambda: ServingSettings())
    """Processes and shutdown of ``manage.py serve``."""

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
            max_body_bytes=int(env.get("MAX_BODY_BYTES") or 1_000_000),
            request_timeout=float(env.get("REQUEST_TIMEOUT") or 10),
            header_timeout=float(env.get("HEADER_TIMEOUT") or 10),
            body_timeout=float(env.get("BODY_TIMEOUT") or 10),
            keep_alive_timeout=float(env.get("KEEP_ALIVE_TIMEOUT") or 5),
            max_query_tokens=int(env.get("MAX_QUERY_TOKENS") or 10_000),
            max_aliases=int(env.get("MAX_ALIASES") or 100),
            max_root_fields=int(env.get("MAX_ROOT_FIELDS") or 50),
            max_entities=int(env.get("MAX_ENTITIES") or 100),
            cors_origins=tuple(o.strip() for o in (env.get("CORS_ORIGINS") or "").split(",") if o.strip()),
            graphiql_frame_ancestors=env.get("GRAPHIQL_FRAME_ANCESTORS") or "'none'",
            cache=CacheSettings.from_env(env),
            serving=ServingSettings.from_env(env),
        )


@dataclass(frozen=True)
class CacheSettings:
    """The response cache, persisted queries and HTTP caching; see the table in README.md."""

    response_cache: bool = True
    max_bytes: int = 64 * 1024 * 1024
    max_answer_bytes: int = 1024 * 1024
    max_document_bytes: int = 32 * 1024
    redis_url: str = field(default="", repr=False)
    redis_ttl: int = 3600
    trusted_documents_only: bool = False
    trusted_documents_manifest: str = ""
    http_max_age: int = 0
    http_stale_while_revalidate: int = 0
    freshness: str = "strict"
    """``strict``: a cached answer is checked against the data version read after the request arrived;
    ``notify`` (PostgreSQL): against the last version announced to the worker (``db.version_listener``)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CacheSettings:
        """Read the cache settings from environment variables."""
        freshness = (env.get("CACHE_FRESHNESS") or "strict").strip().lower()
        if freshness not in {"strict", "notify"}:
            raise ValueError(f"CACHE_FRESHNESS must be 'strict' or 'notify', not {freshness!r}")
        trusted = (env.get("TRUSTED_DOCUMENTS") or "off").strip().lower()
        if trusted not in {"off", "only"}:
            raise ValueError(f"TRUSTED_DOCUMENTS must be 'off' or 'only', not {trusted!r}")
        manifest = env.get("TRUSTED_DOCUMENTS_MANIFEST") or ""
        if trusted == "only" and not manifest:
            raise ValueError("TRUSTED_DOCUMENTS=only needs TRUSTED_DOCUMENTS_MANIFEST (manage.py trusted-documents)")
        return cls(
            response_cache=(env.get("RESPONSE_CACHE") or "on").strip().lower() not in {"off", "0", "false", "no"},
            max_bytes=int(env.get("RESPONSE_CACHE_BYTES") or 64 * 1024 * 1024),
            max_answer_bytes=int(env.get("RESPONSE_CACHE_MAX_ANSWER_BYTES") or 1024 * 1024),
            max_document_bytes=int(env.get("RESPONSE_CACHE_MAX_DOCUMENT_BYTES") or 32 * 1024),
            redis_url=env.get("REDIS_URL") or "",
            redis_ttl=int(env.get("RESPONSE_CACHE_TTL") or 3600),
            trusted_documents_only=trusted == "only",
            trusted_documents_manifest=manifest,
            http_max_age=int(env.get("HTTP_CACHE_MAX_AGE") or 0),
            http_stale_while_revalidate=int(env.get("HTTP_CACHE_STALE_WHILE_REVALIDATE") or 0),
            freshness=freshness,
        )


@dataclass(frozen=True)
class ServingSettings:
    """How ``manage.py serve`` runs the service; see the table in README.md."""

    workers: int = 1
    graceful_shutdown_seconds: int = 30

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ServingSettings:
        """Read the serving settings (``WORKERS`` defaults to the number of cores)."""
        return cls(
            workers=max(1, int(env.get("WORKERS") or os.cpu_count() or 1)),
            graceful_shutdown_seconds=int(env.get("GRACEFUL_SHUTDOWN_SECONDS") or 30),
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
