"""The FastAPI application: engine, sessions and the match index are built in lifespan, not at import."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.orm import Session, sessionmaker

from app import __version__
from app.auth.login import LoginGuard
from app.auth.router import router as auth_router
from app.background import job_registry
from app.chains.router import chains_router, nodes_router
from app.core.admission import Gate, admit
from app.core.changes import on_commit
from app.core.config import Settings, get_settings
from app.core.counters import open_stores
from app.core.db import make_engine, make_sessionmaker
from app.core.errors import document_errors, install_error_handlers
from app.core.middleware import SecurityMiddleware
from app.core.ratelimit import RateLimitMiddleware, RateLimits
from app.core.replica import PositionMiddleware, make_routing
from app.core.token_check import TokenBook
from app.enterprises.router import router as enterprises_router
from app.health.router import router as health_router
from app.industries.router import router as industries_router
from app.jobs.runner import JobRunner
from app.match_index import freshness, preload
from app.match_index.feed import Waker, redis_publisher
from app.match_index.holder import IndexHolder
from app.matches.router import router as matches_router
from app.web import docs as web_docs
from app.web import errors as web_errors
from app.web.analytics_pages import router as analytics_pages
from app.web.events_pages import router as events_pages_router
from app.web.router import router as web_router
from app.webhooks.dispatcher import Dispatcher

# Domains whose router module is named app.<domain>.router and exposes `router`.
DOMAINS = ("aliases", "kinds", "needs", "opportunities", "catalogues", "jobs", "challenges", "offers", "notifications",
           "webhooks", "events", "analytics")


def create_app(settings: Settings | None = None, *, session_factory: sessionmaker[Session] | None = None) -> FastAPI:
    """Build the app; tests pass ``session_factory`` to run every request inside their own transaction."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        factory = session_factory or make_sessionmaker(engine)
        app.state.settings, app.state.engine, app.state.sessionmaker = settings, engine, factory
        replica_engine = make_engine(settings.replica_url) if settings.replica_url else None
        app.state.read_routing = make_routing(factory, replica_engine, window_seconds=settings.read_your_writes_seconds,
                                              cookie_secure=settings.cookie_secure)
        if settings.admission_total > 0:
            app.state.admission = Gate(total=settings.admission_total, writes=settings.admission_writes,
                                       heavy=settings.admission_heavy, wait_seconds=settings.admission_wait_seconds)
        counters = open_stores(settings, session_factory=session_factory)
        app.state.rate_limits = RateLimits.from_settings(counters.limits, settings, factory)
        app.state.login_guard = LoginGuard.from_settings(counters.logins, settings, factory)
        # A worker forked by the pre-fork supervisor (core/prefork.py) shares the holder it built before forking.
        holder = preload.take() if session_factory is None else None
        preloaded = holder is not None
        if holder is not None:
            holder.rebind(factory)
        else:
            holder = IndexHolder(factory, snapshot_dir=settings.snapshot_dir)
        app.state.index = holder
        freshness.install(factory, holder.refresh, holder.refresh_aliases)
        waker = None
        unpublish = None
        if settings.change_notify == "redis" and settings.redis_url:
            unpublish = on_commit(redis_publisher(settings.redis_url))
        if settings.build_index:
            if preloaded:
                holder.catch_up()
            else:
                holder.build()
            if settings.index_sync_seconds > 0:
                waker = Waker(holder.sync_once, database_url=settings.database_url, redis_url=settings.redis_url,
                              notify=settings.change_notify, poll_seconds=settings.index_sync_seconds)
                waker.start()
        runner = None
        # Tests pass their own session_factory (one connection): a thread must not share it; they call run_once.
        if settings.run_jobs and session_factory is None:
            runner = JobRunner(factory, job_registry(), holder, poll_seconds=settings.job_poll_seconds,
                               stale_seconds=settings.job_stale_seconds)
            runner.start()
        app.state.jobs = runner
        dispatcher = None
        if settings.dispatch_webhooks and session_factory is None:
            dispatcher = Dispatcher(factory, allow_private=settings.webhook_allow_private)
            dispatcher.start()
        yield
        if dispatcher is not None:
            dispatcher.stop()
        if runner is not None:
            runner.stop()
        if waker is not None:
            waker.stop()
        if unpublish is not None:
            unpublish()
        counters.close()
        if replica_engine is not None:
            replica_engine.dispose()
        engine.dispose()

    # The docs pages are served by app.web.docs from vendored assets, not from a CDN.
    # admit runs before every other dependency of every route: a request holds its place in the worker for the
    # whole of its work, and a writer takes the database's write lock only once it is in.
    app = FastAPI(title="chainmatch", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  dependencies=[Depends(admit, scope="function")],
                  description="Supply-chain matchmaking between chain leaders and specialist SMEs.")
    # Per app (so per worker): the tokens its match route accepted (app/core/token_check.py).
    app.state.tokens = TokenBook()
    install_error_handlers(app)
    web_errors.install(app)  # pages get Chinese HTML error pages; the API keeps its JSON envelope
    document_errors(app)
    # Added last runs first: limits and headers wrap everything, CORS answers preflights inside them.
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(PositionMiddleware)
    app.add_middleware(SecurityMiddleware, max_body_bytes=settings.max_body_bytes,
                       max_upload_bytes=settings.import_max_bytes + 1_000_000)
    for router in (health_router, auth_router, enterprises_router, nodes_router, chains_router, industries_router,
                   matches_router, web_router, events_pages_router, analytics_pages):
        app.include_router(router)
    for domain in DOMAINS:
        app.include_router(importlib.import_module(f"app.{domain}.router").router)
    web_docs.install(app)
    return app
