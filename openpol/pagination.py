"""The page-numbered pagination of every API list: a page past the integer range is refused (422), not a crash."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

# Far beyond any real list, and small enough that (page - 1) × page size fits every database's OFFSET.
MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    """Ninja's pagination with bounded input: `page` from 1 to MAX_PAGE, `page_size` from 1 (larger sizes are cut
    to the list's maximum)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)
