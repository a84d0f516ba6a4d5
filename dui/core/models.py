"""Base model shared by every brick: public UUID, timestamps and authors."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """Public UUID for URLs and exports (never sequential keys), created/updated + by."""

    public_id = models.UUIDField(
        _("identifiant public"), default=uuid.uuid4, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifié par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """An entry people edit: its version says which state a form was read at, so that a form
    read before someone else's change is refused instead of overwriting it (DESIGN §4.4).
    Written through `dui.access.writes` (lock, check, bump)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class AmendableModel(VersionedModel):
    """A person's entry that users end or mark as entered in error, never delete (DESIGN §4.4)."""

    entered_in_error = models.BooleanField(_("saisi par erreur"), default=False)
    entered_in_error_reason = models.CharField(
        _("motif de l'annulation"), max_length=300, blank=True
    )

    class Meta:
        abstract = True


class IdempotencyKey(models.Model):
    """The first result of a write, keyed by the client's idempotency key (DESIGN §4.5).

    Stored in the same transaction as the write it protects: if the write committed, a replay
    of the same key returns this result instead of writing twice.
    """

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_location = models.CharField(max_length=500, blank=True)
    response_body = models.TextField(blank=True)
    response_content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("clé d'idempotence")
        verbose_name_plural = _("clés d'idempotence")

    def __str__(self) -> str:
        return str(self.key)
