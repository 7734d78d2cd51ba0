"""Typed SQLAlchemy 2.0 models, one aggregate per module."""

from workshop.models.action import DECISION_BODIES, Action, ActionSuggestion, FollowUpNote
from workshop.models.audit import AuditEntry
from workshop.models.base import Base
from workshop.models.browser_key import BrowserKey
from workshop.models.comparison import Comparison, MatchDecision, joined_rows
from workshop.models.deletion import DeletionRecord
from workshop.models.participant import Participant
from workshop.models.proposal import CHANGE_LEVELS, STATUSES, Merge, Proposal
from workshop.models.vote import PaperDots, Rating, Stance, Vote
from workshop.models.workshop import PRIORITISING_KINDS, STEP_KINDS, Step, Workshop

__all__ = [
    "Action",
    "ActionSuggestion",
    "DECISION_BODIES",
    "DeletionRecord",
    "FollowUpNote",
    "AuditEntry",
    "Base",
    "BrowserKey",
    "CHANGE_LEVELS",
    "Comparison",
    "MatchDecision",
    "Merge",
    "PaperDots",
    "PRIORITISING_KINDS",
    "Participant",
    "Proposal",
    "Rating",
    "STATUSES",
    "STEP_KINDS",
    "Stance",
    "Step",
    "Vote",
    "Workshop",
    "joined_rows",
]
