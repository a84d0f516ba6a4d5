"""Mails to a professional about their own second factor (DESIGN §5: side effects after the
commit, `transaction.on_commit`). Sent through Django's mail backend (SMTP in production).

A notice tells the professional what was done to their account, by whom and when, so that an
enrolment they did not make is noticed. It never carries a secret; the only mail with one is
the enrolment link itself, which is that secret's way to its owner.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    subject: str
    template: str


ENROLMENT_LINK = Notice(_("DUI : activez votre second facteur"), "enrolment_link")
ENROLMENT_CODE_ISSUED = Notice(
    _("DUI : un code d'enrôlement a été émis pour votre compte"), "enrolment_code_issued"
)
ENROLLED = Notice(_("DUI : second facteur activé sur votre compte"), "enrolled")
REVOKED = Notice(_("DUI : votre second facteur a été révoqué"), "revoked")
RECOVERY_CODE_USED = Notice(_("DUI : un code de secours a été utilisé"), "recovery_code_used")


def send(notice: Notice, *, user, **context) -> bool:
    """Send one notice to the professional's address; False when it could not be sent (no
    address, mail server down): logged, never raised — the change it reports is committed."""
    if not user.email:
        logger.warning(
            "Second-factor notice %s not sent: user %s has no address",
            notice.template,
            user.public_id,
        )
        return False
    body = render_to_string(
        f"accounts/mail/{notice.template}.txt",
        {
            "user": user,
            "moment": timezone.localtime(timezone.now()),
            **context,
        },
    )
    try:
        send_mail(
            str(notice.subject),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=False,
        )
    except (OSError, ValueError) as error:
        # smtplib's errors are OSErrors, and so are refused connections and timeouts.
        logger.error(
            "Second-factor notice %s to user %s not sent: %s",
            notice.template,
            user.public_id,
            error,
        )
        return False
    return True
