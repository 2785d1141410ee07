"""Every model, imported once so SQLAlchemy's registry and Alembic's autogenerate see them all."""

from workshop.agenda.models import AgendaItem, AgendaItemPerson  # noqa: F401
from workshop.platform.audit.models import AuditEntry  # noqa: F401
from workshop.auth.models import AccountToken, RecoveryCode, User  # noqa: F401
from workshop.platform.mail.models import OutboxMessage  # noqa: F401
from workshop.platform.jobs import ScheduledJob  # noqa: F401
from workshop.platform.stored_pdfs import StoredPdf  # noqa: F401
from workshop.people.models import Contact  # noqa: F401
from workshop.workshops.models import (  # noqa: F401
    Organization,
    Series,
    TeamInvitation,
    Workshop,
    WorkshopMember,
    WorkshopOrganization,
)
from workshop.notes.models import Note, NoteRevision  # noqa: F401
from workshop.memos.models import Memo, MemoRevision, MemoVersion  # noqa: F401
from workshop.registration.models import (  # noqa: F401
    AccessToken, Category, ContactCategory, Invitation, Registration, RegistrationChange, RegistrationSettings,
)
from workshop.documents.models import Document  # noqa: F401
from workshop.messages.models import (  # noqa: F401
    ComposedMessage, MessageDocument, MessageRecipient, TeamNotice, TeamNoticePreference,
)
from workshop.reminders.models import ReminderDelivery, ReminderRule  # noqa: F401
from workshop.letters.models import LetterVersion  # noqa: F401
from workshop.questions.models import Answer, FollowUpRequest, Question  # noqa: F401
from workshop.visas.models import LetterTemplate, VisaLetter  # noqa: F401
from workshop.briefing.models import BriefingPack  # noqa: F401
from workshop.reviews.models import MemoReview, ReviewComment, Reviewer  # noqa: F401
from workshop.followup.models import Recommendation, RecommendationUpdate, RecordVersion  # noqa: F401
