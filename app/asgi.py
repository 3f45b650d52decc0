"""ASGI entry point for uvicorn workers: settings come from the environment."""

from app.main import create_app

app = create_app()
