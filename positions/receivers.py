"""Positions' part in what happens to a unit (connected in `PositionsConfig.ready`)."""

from positions.services import posts_close_for_unit


def close_posts_of_revoked_unit(sender, *, unit, by, reason, today, **kwargs):
    """A revoked unit's open posts close the same day, in the revocation's transaction."""
    posts_close_for_unit(unit=unit, by=by, reason=f"单位已撤销：{reason}", today=today)
