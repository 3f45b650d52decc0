"""All models, imported here so Alembic's autogenerate and metadata see every table."""

from app.core.vocabulary import (
    CATALOGUE_STATUSES,
    ENTERPRISE_KINDS,
    NEED_KINDS,
    NEED_STATUSES,
    NODE_KINDS,
    OFFER_KINDS,
    ROLES,
    TIERS,
)
from app.models.analytics import QuarterReport
from app.models.auth import ApiToken, Principal, WebSession
from app.models.catalogue import Catalogue, CatalogueEvent
from app.models.chain import EDGE_TYPES, Chain, ChainMember, ChainNode, NodeAlias, NodeEdge, NodeKind
from app.models.challenge import (
    APPLICATION_STATUSES,
    CHALLENGE_MODES,
    OFFER_STATUSES,
    Application,
    Challenge,
    Offer,
)
from app.models.changelog import ChangeLog
from app.models.counter import RateCounter
from app.models.enterprise import CAPABILITY_SOURCES, Capability, Enterprise
from app.models.events import Event, EventMeeting, EventParticipant, MeetingRequest
from app.models.industry import Industry, IndustryUpstream
from app.models.learning import Impression, RankerModel
from app.models.need import NEED_SCOPES, Need, NeedNode, NeedVersion
from app.models.opportunity import POSTER_STATUSES, SME_STATUSES, Opportunity
from app.models.outbox import JOB_STATUSES, AuditEntry, Job, Notification, Webhook, WebhookDelivery

__all__ = [
    "APPLICATION_STATUSES", "CAPABILITY_SOURCES", "CATALOGUE_STATUSES", "CHALLENGE_MODES", "EDGE_TYPES",
    "ENTERPRISE_KINDS", "JOB_STATUSES", "NEED_KINDS", "NEED_SCOPES", "NEED_STATUSES", "NODE_KINDS", "OFFER_KINDS",
    "OFFER_STATUSES", "POSTER_STATUSES", "ROLES", "SME_STATUSES", "TIERS",
    "ApiToken", "Application", "AuditEntry", "Capability", "Catalogue", "CatalogueEvent", "Chain", "ChainMember",
    "ChainNode", "ChangeLog", "Challenge", "Enterprise", "Impression", "Industry", "IndustryUpstream", "Job", "Need",
    "NeedNode", "NeedVersion", "NodeAlias", "NodeEdge", "NodeKind", "RankerModel", "Event", "EventMeeting",
    "EventParticipant", "MeetingRequest",
    "Notification", "Offer", "Opportunity", "Principal", "QuarterReport", "RateCounter", "Webhook", "WebhookDelivery",
    "WebSession",
]

# The listener that numbers changes in the changing transaction: registered with the models, so every session of
# every process (server, CLI, tests) has it.
import app.core.changes  # noqa: E402, F401
