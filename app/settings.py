"""Configuration from the environment (DATABASE_URL, QUOTEGRAPH_*) in one Settings object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///" + str(Path("var") / "quotegraph.db")


class Settings(BaseSettings):
    """Every knob of the service; built once at start-up and passed down (tests build their own)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db.",
    )
    read_database_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias="QUOTEGRAPH_READ_DATABASE_URL",
        description=(
            "Read replicas of DATABASE_URL (streaming replicas of the PostgreSQL primary), comma "
            "separated: GraphQL queries read from them; writes and the write stamp stay on the "
            "primary, and a client reads its own writes (the X-Quotegraph-Stamp it got back)."
        ),
    )
    replica_retry_s: float = Field(
        default=5.0,
        validation_alias="QUOTEGRAPH_REPLICA_RETRY",
        description="A replica that failed is left alone this many seconds (the primary reads).",
    )
    host: str = Field(default="127.0.0.1", validation_alias="QUOTEGRAPH_HOST")
    port: int = Field(default=8000, validation_alias="QUOTEGRAPH_PORT")
    workers: int = Field(default=1, validation_alias="QUOTEGRAPH_WORKERS")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias="QUOTEGRAPH_CORS_ORIGINS",
        description="Origins allowed by CORS, comma separated or a JSON list.",
    )
    max_page_size: int = Field(default=100, validation_alias="QUOTEGRAPH_MAX_PAGE_SIZE")
    max_article_chars: int = Field(default=200_000, validation_alias="QUOTEGRAPH_MAX_ARTICLE_CHARS")
    db_pool_size: int = Field(default=10, validation_alias="QUOTEGRAPH_DB_POOL_SIZE")
    db_idle_ping_s: float = Field(
        default=5.0,
        validation_alias="QUOTEGRAPH_DB_IDLE_PING",
        description=(
            "PostgreSQL: a pooled connection idle this many seconds is checked before use "
            "(a dead one is replaced); busier ones are used without the extra round trip."
        ),
    )
    sqlite_busy_timeout_ms: int = Field(
        default=10_000, validation_alias="QUOTEGRAPH_SQLITE_BUSY_MS"
    )
    public_reads: bool = Field(
        default=True,
        validation_alias="QUOTEGRAPH_PUBLIC_READS",
        description="Queries need no API key; mutations always need one.",
    )
    introspection: bool = Field(default=True, validation_alias="QUOTEGRAPH_INTROSPECTION")
    max_depth: int = Field(default=10, validation_alias="QUOTEGRAPH_MAX_DEPTH")
    max_aliases: int = Field(default=30, validation_alias="QUOTEGRAPH_MAX_ALIASES")
    max_tokens: int = Field(default=2_000, validation_alias="QUOTEGRAPH_MAX_TOKENS")
    max_cost: int = Field(
        default=50_000,
        validation_alias="QUOTEGRAPH_MAX_COST",
        description="Estimated objects a query may return; page sizes multiply down the tree.",
    )
    max_query_bytes: int = Field(
        default=100_000,
        validation_alias="QUOTEGRAPH_MAX_QUERY_BYTES",
        description=(
            "Longest query text accepted (UTF-8 bytes), checked before it is parsed: comments "
            "are not tokens, so the token limit alone does not bound the text."
        ),
    )
    document_cache_mb: int = Field(
        default=16,
        validation_alias="QUOTEGRAPH_DOCUMENT_CACHE_MB",
        description="Memory per worker for parsed query documents, remembered by digest.",
    )
    max_body_bytes: int = Field(default=1_000_000, validation_alias="QUOTEGRAPH_MAX_BODY_BYTES")
    request_timeout_s: float = Field(default=15.0, validation_alias="QUOTEGRAPH_REQUEST_TIMEOUT")
    response_cache_mb: int = Field(
        default=64,
        validation_alias="QUOTEGRAPH_RESPONSE_CACHE_MB",
        description="Memory per worker for cached read responses; 0 switches the cache off.",
    )
    lean_reads: bool = Field(
        default=True,
        validation_alias="QUOTEGRAPH_LEAN_READS",
        description=(
            "Answer common read queries from rows in one step (app.graphql.lean) instead of "
            "field by field; false sends every request through Strawberry's executor."
        ),
    )
    extract_processes: int = Field(
        default=1,
        ge=1,
        validation_alias="QUOTEGRAPH_EXTRACT_PROCESSES",
        description="Processes per API worker that run extraction for ingestArticle.",
    )
    broker_url: str | None = Field(
        default=None,
        validation_alias="QUOTEGRAPH_BROKER_URL",
        description="Celery broker (amqp://guest:guest@127.0.0.1:5672//); none: in-process.",
    )
    queue_name: str = Field(default="quotegraph-ingest", validation_alias="QUOTEGRAPH_QUEUE")
    # --- rate limits (app.graphql.ratelimit): points per window, charged by estimated cost ---
    rate_limit: bool = Field(
        default=True,
        validation_alias="QUOTEGRAPH_RATE_LIMIT",
        description="Charge every GraphQL request to its caller's budget; false: no limits.",
    )
    rate_limit_key_points: int = Field(
        default=5_000,
        ge=1,
        validation_alias="QUOTEGRAPH_RATE_LIMIT_KEY_POINTS",
        description="Points per window for each API key (every worker and machine together).",
    )
    rate_limit_anonymous_points: int = Field(
        default=1_000,
        ge=1,
        validation_alias="QUOTEGRAPH_RATE_LIMIT_ANONYMOUS_POINTS",
        description="Points per window for each client address sending no valid key.",
    )
    rate_limit_window_s: int = Field(
        default=3_600,
        ge=1,
        validation_alias="QUOTEGRAPH_RATE_LIMIT_WINDOW",
        description="Length of a budget's window in seconds; it starts with the first request.",
    )
    rate_limit_objects_per_point: int = Field(
        default=100,
        ge=1,
        validation_alias="QUOTEGRAPH_RATE_LIMIT_OBJECTS_PER_POINT",
        description="Estimated objects (the cost limit's unit) that cost one point, rounded up.",
    )
    rate_limit_min_points: int = Field(
        default=1,
        ge=0,
        validation_alias="QUOTEGRAPH_RATE_LIMIT_MIN_POINTS",
        description="The least a request costs, even `{ __typename }` or one that is refused.",
    )
    rate_limit_mutation_points: int = Field(
        default=10,
        ge=0,
        validation_alias="QUOTEGRAPH_RATE_LIMIT_MUTATION_POINTS",
        description="Added for each mutation field of a request (ingesting runs extraction).",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        validation_alias="QUOTEGRAPH_RATE_LIMIT_STORAGE",
        description=(
            "Where the counters live: memory:// (one worker's own) or redis://host:port/db "
            "(shared by every worker and machine using it)."
        ),
    )
    rate_limit_prefix: str = Field(
        default="quotegraph",
        validation_alias="QUOTEGRAPH_RATE_LIMIT_PREFIX",
        description="Prefix of the counters' keys in Redis (deployments sharing one apart).",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias="QUOTEGRAPH_TRUSTED_PROXIES",
        description=(
            "Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For is believed, "
            "comma separated; a request from any other address is charged to that address."
        ),
    )
    # --- front ends (app.graphql.persisted, app.graphql.httpcache, app.graphql.live) ---
    persisted_only: bool = Field(
        default=False,
        validation_alias="QUOTEGRAPH_PERSISTED_ONLY",
        description=(
            "Run only the registered operations (QUOTEGRAPH_PERSISTED_OPERATIONS), sent by "
            "hash or in full; ad-hoc queries are refused and the playground is off. For "
            "production behind a known front end; leave off in development."
        ),
    )
    persisted_operations: Path = Field(
        default=Path(__file__).parent / "static" / "explorer" / "operations.graphql",
        validation_alias="QUOTEGRAPH_PERSISTED_OPERATIONS",
        description=(
            "File of named operations registered by SHA-256 at start-up (automatic persisted "
            "queries resolve them even in persisted-only mode); a missing file registers none."
        ),
    )
    http_max_age_s: int = Field(
        default=0,
        ge=0,
        validation_alias="QUOTEGRAPH_HTTP_MAX_AGE",
        description=(
            "max-age of Cache-Control on GET query answers (public; private when an API key "
            "is sent); 0: caches keep them but revalidate with the ETag every time."
        ),
    )
    max_subscriptions_per_connection: int = Field(
        default=20,
        ge=1,
        validation_alias="QUOTEGRAPH_MAX_SUBSCRIPTIONS",
        description="Subscriptions one websocket connection may hold at once.",
    )
    check_migrations: bool = Field(
        default=True,
        validation_alias="QUOTEGRAPH_CHECK_MIGRATIONS",
        description="Refuse to start when the database is behind the code's migrations.",
    )

    @field_validator("cors_origins", "read_database_urls", "trusted_proxies", mode="before")
    @classmethod
    def _split_lists(cls, value: object) -> object:
        # Accept the friendly "a,b" form as well as a JSON list (NoDecode leaves both as text).
        if isinstance(value, str) and value.strip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
