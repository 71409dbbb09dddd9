"""The HTTP API: ``create_app()`` builds a FastAPI app over one store; ``sourcetrace serve`` runs it."""

from .app import create_app

__all__ = ["create_app"]
