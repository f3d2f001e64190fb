"""The emulator's domain: rooms, storage documents, schemas, tokens and permissions.

Pure Python. Nothing in this package imports Starlette, uvicorn or any HTTP
notion: a test can drive it with plain calls, and the API layer maps its typed
errors (see ``errors.py``) onto HTTP responses in one place.
"""
