"""HQ HTTP API (FastAPI); built by hq.api.app.create_app(engine), never at import time."""
