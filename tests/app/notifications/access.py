"""Access entries for the in-app inbox. Marking one's own notifications read counts as reading, so the fixture's
integration token (read scope) may do it for its own."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Enterprise
from app.notifications.outbox import emit
from tests.app.access import ANY, Access, Ctx, only

URL = "/api/v1/me/notifications"


def _fresh_note_for_the_sme(ctx: Ctx) -> str:
    org_id = ctx.session.scalar(select(Enterprise.id).where(Enterprise.code == "100002"))
    note = emit(ctx.session, event="opportunity.new", org_id=org_id, payload={"need_id": 1})
    ctx.session.commit()
    return f"{URL}/{note.id}/read"


ACCESS = {
    # By now the leader has accepted the SME's interest in an anonymous need: the answer must not name the poster.
    ("GET", URL): Access(URL, ANY, poster_private=True),
    ("POST", URL + "/{notification_id}/read"): Access(_fresh_note_for_the_sme,
                                                      only({"sme": 200}, others=404)),
    ("POST", URL + "/read-all"): Access(URL + "/read-all", ANY),
}
