"""Command line of the directory: migrate, load-data, serve, export-schema.

    python manage.py migrate          apply migrations to DATABASE_URL
    python manage.py load-data        load data/unodc.json (idempotent)
    python manage.py serve            serve on HOST:PORT with GraphiQL
    python manage.py export-schema    print the SDL (or --output FILE)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from settings import Settings

ROOT = Path(__file__).resolve().parent
DEFAULT_FIXTURE = ROOT / "data" / "unodc.json"


async def _load_data(settings: Settings, path: Path) -> None:
    from db.lifecycle import open_database
    from services.fixture_loader import load_fixture

    async with open_database(settings.database_url):
        report = await load_fixture(path)
    print(report)


def _serve(settings: Settings) -> None:
    import uvicorn

    from server import create_app

    print(f"GraphiQL: http://{settings.host}:{settings.port}/graphql", flush=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations")
    load = commands.add_parser("load-data", help="load the directory data (idempotent)")
    load.add_argument("path", nargs="?", type=Path, default=DEFAULT_FIXTURE)
    commands.add_parser("serve", help="serve the API with GraphiQL")
    export = commands.add_parser("export-schema", help="print the GraphQL SDL")
    export.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    settings = Settings.from_env()

    if args.command == "migrate":
        from db.lifecycle import migrate

        asyncio.run(migrate(settings.database_url))
    elif args.command == "load-data":
        asyncio.run(_load_data(settings, args.path))
    elif args.command == "serve":
        _serve(settings)
    elif args.command == "export-schema":
        from schema import print_sdl

        sdl = print_sdl()
        if args.output:
            args.output.write_text(sdl)
        else:
            sys.stdout.write(sdl)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
