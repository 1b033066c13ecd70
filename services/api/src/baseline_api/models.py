"""Every ORM model, imported in one place so Alembic sees the whole schema."""

from .api_keys.models import ApiKey
from .core.db import Base

__all__ = ["ApiKey", "Base"]
