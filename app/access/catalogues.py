"""Who may see and manage a catalogue; its items, history, exports and imports follow the needs policy.

- Published and closed catalogues are public. Drafts and catalogues in review exist only for staff whose chains
  cover the catalogue's chain; an operator's regions do not bind a catalogue, which lists one chain's needs
  across regions.
- Staff who reach a catalogue manage it: edit it, move it through review, import into it, read its history.
  Publishing it publishes its draft items, so that also needs every draft item to be a need the caller manages.
- Items are needs: each is listed only to those who may see that need, with the need's own budget and poster rules;
  history entries about an item are shown only to those who may see the item.
- Chain leaders add and remove their own needs (only those) while a catalogue is editable.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import object_session

from app.access.reach import catalogues_in_reach, covers_chain, is_staff
from app.core.errors import Forbidden, NotFound
from app.models import Catalogue, Chain, Principal

PUBLIC_STATUSES = ("published", "closed")


def _chain_code(catalogue: Catalogue) -> str | None:
    session = object_session(catalogue)
    chain = session.get(Chain, catalogue.chain_id) if session is not None else None
    return chain.code if chain is not None else None


def manages(principal: Principal, catalogue: Catalogue) -> bool:
    if not is_staff(principal):
        return False
    if principal.role != "operator" or not principal.chains:
        return True
    code = _chain_code(catalogue)
    return code is not None and covers_chain(principal, code)


def can_view(principal: Principal, catalogue: Catalogue) -> bool:
    return catalogue.status in PUBLIC_STATUSES or manages(principal, catalogue)


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    """The catalogues the principal may know of, as a condition on the catalogues table."""
    if principal.role == "admin" or (principal.role == "operator" and not principal.chains):
        return true()
    public = Catalogue.status.in_(PUBLIC_STATUSES)
    if principal.role == "operator":
        return or_(public, Catalogue.id.in_(catalogues_in_reach(principal)))
    return public


def viewable(principal: Principal, catalogue: Catalogue | None, catalogue_id: int) -> Catalogue:
    """The catalogue if the caller may know it exists; otherwise 404."""
    if catalogue is None or not can_view(principal, catalogue):
        raise NotFound(f"catalogue {catalogue_id} not found")
    return catalogue


def managed(principal: Principal, catalogue: Catalogue | None, catalogue_id: int) -> Catalogue:
    """The catalogue the caller is about to change or audit: 404 if it may not know of it, 403 if it only reads it."""
    found = viewable(principal, catalogue, catalogue_id)
    if not manages(principal, found):
        raise Forbidden(f"catalogue {catalogue_id} is outside your chains" if is_staff(principal)
                        else "only operators and admins manage catalogues")
    return found


def for_item_change(principal: Principal, catalogue: Catalogue | None, catalogue_id: int) -> Catalogue:
    """The catalogue a need is added to or removed from: staff who manage it, or a chain leader with its own need
    (the need's owner is checked next, by the needs policy)."""
    if principal.role == "leader" and catalogue is not None:
        return catalogue
    return managed(principal, catalogue, catalogue_id)
