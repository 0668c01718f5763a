"""The HTTP front end: a FastAPI app built by :func:`qa.api.app.create_app`.

Kept import-free so ``qa.api.render`` (used by the terminal chat) does not pull in FastAPI.
"""
