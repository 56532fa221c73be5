"""The decision form's draft: a decision the service refused (an opinion missing, the item already
decided) comes back to the page with the chosen conclusion and the typed opinion still in the form,
beside the reason (`views_review.decide` keeps it in the session for one page)."""

from django import template

from jianxi_portal.core.review import DECISION_CHOICES, ReviewStatus, review_history

register = template.Library()

DRAFT_KEY = "review_draft"


@register.simple_tag(takes_context=True)
def review_draft(context, key, pk) -> dict:
    request = context.get("request")
    session = getattr(request, "session", None)
    draft = session.get(DRAFT_KEY) if session is not None else None
    if not draft or draft.get("key") != key or str(draft.get("pk")) != str(pk):
        return {}
    del session[DRAFT_KEY]
    return draft


@register.simple_tag
def decision_choices() -> list[tuple[str, str]]:
    """(action, label) of the reviewer's decisions, as the review workflow declares them."""
    return DECISION_CHOICES


@register.inclusion_tag("review/_banner.html")
def decision_banner(obj) -> dict:
    """The last decision's opinion at the top of a returned or rejected item's page, where the
    person who must act on it reads first (not only in the history table at the bottom)."""
    status = getattr(obj, "review_status", "")
    if status not in (ReviewStatus.RETURNED, ReviewStatus.REJECTED):
        return {}
    log = review_history(obj).filter(to_status=status).order_by("-at", "-pk").first()
    return {"log": log, "status": status}
