"""The `chainmatch` command: init, import, serve, demo, token, user, learn, index."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from app.core.config import Settings

app = typer.Typer(help="chainmatch: supply-chain matchmaking between chain leaders and specialist SMEs.",
                  no_args_is_help=True)
import_app = typer.Typer(help="Import data into the database.", no_args_is_help=True)
token_app = typer.Typer(help="Create and revoke API tokens.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(token_app, name="token")
user_app = typer.Typer(help="People who log in to the web pages.", no_args_is_help=True)
app.add_typer(user_app, name="user")
index_app = typer.Typer(help="Snapshots of the match index that workers map instead of each fitting one.",
                        no_args_is_help=True)
app.add_typer(index_app, name="index")
err = Console(stderr=True, soft_wrap=True)
DEMO_PASSWORD = "chainmatch-demo"
out = Console(soft_wrap=True)


def _settings() -> Settings:
    return Settings()


def _session_factory(url: str):  # type: ignore[no-untyped-def]
    from app.core.db import WRITER, make_engine, make_sessionmaker

    # Every CLI command writes: on SQLite it takes the write lock up front (BEGIN IMMEDIATE), so it waits for a
    # running server's writers instead of failing on a stale read. Commands print success only after commit.
    return make_sessionmaker(make_engine(url).execution_options(**{WRITER: True}))


@app.command()
def init() -> None:
    """Create or migrate the database named by CHAINMATCH_DATABASE_URL (alembic upgrade head)."""
    from app.core.migrations import upgrade

    url = _settings().database_url
    upgrade(url)
    out.print(f"database ready: {_redact(url)}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run_chainkg_import(url: str, folder: Path, *, quiet: bool = False) -> bool:
    """Read, validate and import a chainkg folder in one transaction; returns whether anything changed."""
    from app.imports.chainkg import analyze_imported, import_chainkg
    from graph.chainkg import ChainKGFormatError, read_chainkg

    try:
        kg = read_chainkg(folder)
    except ChainKGFormatError as exc:
        err.print(f"[red]error:[/red] {folder / exc.file if exc.file else folder}"
                  f"{':' + str(exc.line) if exc.line else ''}: {exc.reason}\nnothing was imported.")
        raise typer.Exit(2) from None
    factory = _session_factory(url)
    with Progress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), console=err,
                  disable=quiet, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=max(total, 1))
            bar.update(tasks[step], completed=done if total else 1)

        with factory() as session, session.begin():
            summary = import_chainkg(session, kg, progress=progress)
        with factory() as session:
            analyze_imported(session)
    if not quiet:
        created = ", ".join(f"{v} {k}" for k, v in summary.created.items())
        updated = ", ".join(f"{v} {k}" for k, v in summary.updated.items() if v)
        out.print(f"created: {created}")
        out.print(f"updated: {updated or 'nothing'}")
        if not summary.changed:
            out.print("already up to date: nothing changed.")
        if summary.problems:
            out.print(f"{len(summary.problems)} rows skipped or adjusted (the data's own noise):")
            kinds = Counter(f"{p.file}: {p.reason.split(' ')[0]} {p.reason.split(';')[-1].strip()}"
                            for p in summary.problems)
            for kind, n in kinds.most_common():
                out.print(f"  {n:>6}  {kind}")
            for p in summary.problems[:5]:
                out.print(f"  e.g. {folder / p.file}:{p.line}: {p.reason}")
    return summary.changed


@import_app.command("chainkg")
def import_chainkg_cmd(
    folder: Annotated[Path, typer.Argument(help="a folder in the chainkg format")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Import a chainkg folder (companies, industries, products, relations). Idempotent and all-or-nothing."""
    run_chainkg_import(_settings().database_url, folder, quiet=quiet)


@import_app.command("overlay")
def import_overlay_cmd(path: Annotated[Path, typer.Argument(help="a demo.json-style overlay file")]) -> None:
    """Apply profile details, extra enterprises and chains from an overlay JSON file."""
    from app.imports.demo import OverlayError, apply_overlay

    factory = _session_factory(_settings().database_url)
    try:
        with factory() as session, session.begin():
            counts = apply_overlay(session, path)
    except OverlayError as exc:
        err.print(f"[red]error:[/red] {exc}\nnothing was changed.")
        raise typer.Exit(2) from None
    out.print(", ".join(f"{v} {k}" for k, v in counts.items()))


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=32)] = 1,
) -> None:
    """Run the API with uvicorn (several workers: forked from a supervisor that built the match index once)."""
    from app.core.config import get_settings
    from app.core.serve import run
    from app.match_index import preload

    run(host=host, port=port, workers=workers, preload=lambda: preload.build(get_settings()), stale=preload.stale)


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    db: Annotated[Path, typer.Option(help="SQLite file to (re)create")] = Path("chainmatch-demo.db"),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="prepare the database only")] = False,
) -> None:
    """A fresh SQLite database with the bundled demo data, then serve it."""
    from app.core.counters.database import side_file
    from app.core.migrations import upgrade
    from app.imports.demo import DEMO_DIR, apply_overlay
    from app.imports.demo_activity import seed_quarter

    for path in (str(db), side_file(str(db))):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db.resolve()}"
    upgrade(url)
    run_chainkg_import(url, DEMO_DIR / "chainkg", quiet=True)
    factory = _session_factory(url)
    with factory() as session, session.begin():
        counts = apply_overlay(session, DEMO_DIR / "demo.json")
    items = seed_quarter(factory)
    with factory() as session, session.begin():
        tokens = _demo_tokens(session)
    out.print(f"demo database: {db.resolve()} ({counts['profiles']} profiles, {counts['chains']} chains, "
              f"a published catalogue of {items} needs)")
    for role, token in tokens.items():
        out.print(f"  {role:<9} token: {token}")
    out.print(f"  web logins: operator / leader / sme, password {DEMO_PASSWORD}")
    if no_serve:
        return
    os.environ["CHAINMATCH_DATABASE_URL"] = url
    # The demo serves plain HTTP on this machine: cookies cannot be Secure there, and webhooks may call localhost.
    os.environ.setdefault("CHAINMATCH_COOKIE_SECURE", "false")
    os.environ.setdefault("CHAINMATCH_WEBHOOK_ALLOW_PRIVATE", "true")
    out.print(f"open http://{host}:{port}/ (web pages) or http://{host}:{port}/docs (API)")
    serve(host=host, port=port, workers=1)


def _demo_tokens(session) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from app.auth.tokens import create_token
    from app.auth.web_sessions import create_user
    from app.imports.demo import demo_firms

    leader, sme = demo_firms(session)
    tokens = {"admin": create_token(session, role="admin", name="demo admin")[0],
              "operator": create_token(session, role="operator", name="demo operator")[0]}
    # Web users with a published demo password (illustrative data only; never use these elsewhere).
    create_user(session, login="operator", password=DEMO_PASSWORD, role="operator", name="省工信厅运营")
    if leader:
        tokens["leader"] = create_token(session, role="leader", name="demo leader", org_code=leader)[0]
        create_user(session, login="leader", password=DEMO_PASSWORD, role="leader", name="链主采购部", org_code=leader)
    if sme:
        tokens["sme"] = create_token(session, role="sme", name="demo sme", org_code=sme)[0]
        create_user(session, login="sme", password=DEMO_PASSWORD, role="sme", name="中小企业用户", org_code=sme)
    return tokens


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="admin, operator, leader, sme or integration")],
    name: Annotated[str, typer.Option(help="who or what uses the token")],
    org: Annotated[str | None, typer.Option(help="organisation (enterprise code) for leader and sme")] = None,
    days: Annotated[int, typer.Option(help="days until it expires; 0 never")] = 365,
    scope: Annotated[list[str] | None, typer.Option(help="integration scope: read, match, webhooks")] = None,
    region: Annotated[list[str] | None, typer.Option(help="operator region prefix, e.g. 山东省/济南市")] = None,
    chain: Annotated[list[str] | None, typer.Option(help="operator chain code")] = None,
) -> None:
    """Create an API token; it is printed once, as the last line."""
    from app.auth.tokens import create_token
    from app.core.errors import AppError

    factory = _session_factory(_settings().database_url)
    try:
        with factory() as session, session.begin():
            token, record = create_token(session, role=role, name=name, org_code=org, ttl_days=days,
                                         scopes=scope, regions=region, chains=chain)
    except AppError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    err.print(f"token {record.prefix} for {name} ({role}); store it now, it is not shown again:")
    print(token)


@token_app.command("revoke")
def token_revoke(prefix: Annotated[str, typer.Argument(help="the token's prefix (the part after cm_)")]) -> None:
    """Revoke a token at once."""
    from app.auth.tokens import revoke_token
    from app.core.errors import AppError

    factory = _session_factory(_settings().database_url)
    try:
        with factory() as session, session.begin():
            revoke_token(session, prefix=prefix)
    except AppError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    out.print(f"token {prefix} revoked")


@user_app.command("create")
def user_create(
    login: Annotated[str, typer.Option(help="login name")],
    role: Annotated[str, typer.Option(help="admin, operator, leader or sme")],
    name: Annotated[str, typer.Option(help="display name")],
    org: Annotated[str | None, typer.Option(help="organisation (enterprise code) for leader and sme")] = None,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a web user with a password (asked for when not given)."""
    from app.auth.web_sessions import create_user
    from app.core.errors import AppError

    factory = _session_factory(_settings().database_url)
    try:
        with factory() as session, session.begin():
            create_user(session, login=login, password=password, role=role, name=name, org_code=org)
    except AppError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    out.print(f"user {login} ({role}) created")


@app.command()
def learn(
    queries: Annotated[list[Path] | None, typer.Option(
        help="benchmark files (bench/ jsonl with relevant grades) whose nDCG@10 must not drop, e.g. the B1/B2/B4 "
             "queries")] = None,
    test_share: Annotated[float, typer.Option(min=0.05, max=0.9, help="share of the newest needs held out")] = 0.3,
    min_gain: Annotated[float, typer.Option(min=0.0, help="nDCG@10 the model must gain on them")] = 0.0,
    dry_run: Annotated[bool, typer.Option(help="fit and evaluate, never install")] = False,
) -> None:
    """Fit a re-ranker on outcomes (selected > invited > interested > shown > dismissed), evaluate it on a time
    split next to the current ranking, and install it only when it wins and the quality checks do not drop."""
    from app.learning.quality import file_check
    from app.learning.service import learn as fit
    from app.match_index.holder import IndexHolder

    factory = _session_factory(_settings().database_url)
    check = None
    if queries:
        holder = IndexHolder(factory)
        holder.build()
        assert holder.index is not None
        check = file_check(holder.index, list(queries))
    with factory() as session:
        try:
            row = fit(session, test_share=test_share, min_gain=min_gain, check=check, install=not dry_run)
        except ValueError as exc:
            typer.echo(f"nothing learned: {exc}", err=True)
            raise typer.Exit(1) from None
        session.commit()
        typer.echo(json.dumps({"model": row.id, "installed": row.installed, **row.evaluation}, ensure_ascii=False,
                              indent=1))


def _snapshot_dir(folder: Path | None) -> Path:
    chosen = folder or (Path(d) if (d := _settings().snapshot_dir) else None)
    if chosen is None:
        err.print("[red]error:[/red] name a folder with --dir or CHAINMATCH_SNAPSHOT_DIR")
        raise typer.Exit(2)
    return chosen


@index_app.command("build")
def index_build(
    folder: Annotated[Path | None, typer.Option("--dir", help="snapshot folder (default: CHAINMATCH_SNAPSHOT_DIR)")]
    = None,
) -> None:
    """Fit the match index on the database and write it as the folder's newest snapshot."""
    from app.core.db import make_engine, make_sessionmaker
    from app.match_index import snapshots

    factory = make_sessionmaker(make_engine(_settings().database_url))
    _, info = snapshots.build(factory, _snapshot_dir(folder))
    out.print(f"snapshot {info['path']}: {info['enterprises']:,} enterprises, change log position "
              f"{info['position']}, {info['bytes'] / 1e6:,.1f} MB; fit {info['fit_seconds']} s, "
              f"write {info['write_seconds']} s")


@index_app.command("verify")
def index_verify(
    folder: Annotated[Path | None, typer.Option("--dir", help="snapshot folder (default: CHAINMATCH_SNAPSHOT_DIR)")]
    = None,
) -> None:
    """Check the newest snapshot's files against the sizes and SHA-256 sums of its manifest."""
    from app.match_index import snapshots
    from matching.snapshot import SnapshotError, verify_files

    found = snapshots.newest(_snapshot_dir(folder))
    if found is None:
        err.print("[red]error:[/red] no snapshot in that folder")
        raise typer.Exit(1)
    try:
        manifest = verify_files(found[1])
    except SnapshotError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    out.print(f"snapshot {found[1]} is intact: version {manifest['version']}, position {manifest['position']}, "
              f"{len(manifest['files'])} files")


if __name__ == "__main__":
    app()
