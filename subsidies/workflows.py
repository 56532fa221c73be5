"""The subsidy claim's state machine (ARCHITECTURE.md, One home for each kind of rule): the review
workflow (DESIGN.md, Review workflow)."""

from jianxi_portal.core.review import review_machine

REVIEW = review_machine("subsidies.claim")
