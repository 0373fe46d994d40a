"""`{% hits_for item %}`: the possible matches in the records for the item a page shows, for those who may see them."""

from django import template

from accounts import access
from records import queries

register = template.Library()


@register.inclusion_tag("records/_source_hits.html", takes_context=True)
def hits_for(context, source) -> dict:
    user = context["request"].user
    if source is None or not access.can(user, "records.search"):
        return {"hits": []}
    return {"hits": list(queries.hits_of_source(user, source)[:20])}
