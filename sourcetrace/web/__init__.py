"""The web pages: article view, chain graph, analyze form and corpus pages.

``mount(app, store=...)`` adds them under ``/web`` to the HTTP API's FastAPI app.
"""

from .routes import create_web_app, mount

__all__ = ["create_web_app", "mount"]
