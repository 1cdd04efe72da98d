"""Settings, read once from the environment into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite://data/directory.sqlite3"


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
