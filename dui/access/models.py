"""Models owned by the access layer (DESIGN.md §4, invariants 1–3).

The access layer imports no brick: the person model is named by settings.ACCESS_PERSON_MODEL
and establishments, units and assignments by their string labels.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class InformationCategory(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administratif")
    SOCIAL = "social", _("Social")
    EDUCATIONAL = "educational", _("Éducatif")
    CARE = "care", _("Soins")
    MEDICAL = "medical", _("Médical")
    PSYCHOLOGICAL = "psychological", _("Psychologique")


class MembershipReason(models.TextChoices):
    APPLICATION = "application", _("Demande d'admission")
    STAY = "stay", _("Séjour / accompagnement")
    TRANSFER = "transfer", _("Transfert")
    # A record opened by the establishment's staff (identity recorded before any application).
    REGISTRATION = "registration", _("Dossier ouvert par l'établissement")
    OTHER = "other", _("Autre")


class CareTeamMembership(models.Model):
    """Which team may see which person, and when: person × establishment/unit × from/to.

    Written by the pathway services (application received, admission, transfer, discharge)
    through `access.services.care_team_join/leave`. An empty unit means the establishment's
    establishment-wide staff only (e.g. an application not yet placed in a unit).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="care_team_memberships",
        verbose_name=_("personne"),
    )
    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )
    reason = models.CharField(_("motif"), max_length=16, choices=MembershipReason.choices)
    valid_from = models.DateTimeField(_("depuis"))
    valid_to = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    source = models.CharField(
        _("origine"),
        max_length=80,
        blank=True,
        help_text=_("Objet du parcours qui a ouvert l'accès (type:uuid)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance à l'équipe")
        verbose_name_plural = _("appartenances aux équipes")
        indexes = [
            models.Index(fields=["establishment", "unit", "valid_to"], name="membership_scope_idx"),
            # The establishment's current team (a whole-establishment assignment): without it the
            # database reads every past membership of the establishment (years of residents).
            models.Index(fields=["establishment", "valid_to"], name="membership_estab_current_idx"),
            models.Index(fields=["person", "valid_to"], name="membership_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="membership_ends_after_start",
                violation_error_message=_("La fin de l'accès ne peut précéder son début."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id}/{self.unit_id or '-'} {self.valid_from:%Y-%m-%d}"


class CategoryPermission(models.Model):
    """An establishment's override of the default profession × category matrix."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("établissement"),
    )
    profession = models.ForeignKey(
        "accounts.Profession",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("profession"),
    )
    category = models.CharField(_("catégorie"), max_length=16, choices=InformationCategory.choices)
    can_read = models.BooleanField(_("lecture"), default=False)
    can_write = models.BooleanField(_("écriture"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("droit par catégorie")
        verbose_name_plural = _("droits par catégorie")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "profession", "category"],
                name="category_permission_unique",
                violation_error_message=_("Ce droit est déjà paramétré."),
            ),
            models.CheckConstraint(
                condition=Q(can_write=False) | Q(can_read=True),
                name="category_write_implies_read",
                violation_error_message=_("Le droit d'écriture suppose le droit de lecture."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profession_id} {self.category} r={self.can_read} w={self.can_write}"


class BreakGlass(models.Model):
    """Emergency access outside the rules: reason required, time-limited, reviewed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="break_glasses",
        verbose_name=_("professionnel"),
    )
    assignment = models.ForeignKey(
        "accounts.Assignment",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("affectation"),
    )
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personne"),
    )
    # Establishments concerned, kept for the review screens of their directors / DPO.
    user_establishment = models.ForeignKey(
        "organisation.Establishment", on_delete=models.PROTECT, null=True, related_name="+"
    )
    person_establishment = models.ForeignKey(
        "organisation.Establishment", on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(_("motif"))
    opened_at = models.DateTimeField(_("ouvert le"))
    expires_at = models.DateTimeField(_("expire le"))
    reviewed_at = models.DateTimeField(_("revu le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revu par"),
    )
    review_note = models.TextField(_("commentaire de revue"), blank=True)

    class Meta:
        verbose_name = _("accès exceptionnel")
        verbose_name_plural = _("accès exceptionnels")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["user", "person", "expires_at"], name="breakglass_active_idx"),
            models.Index(
                fields=["person_establishment", "reviewed_at"], name="breakglass_review_idx"
            ),
            models.Index(
                fields=["user_establishment", "reviewed_at"], name="breakglass_review_u_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("opened_at")),
                name="breakglass_expires_after_opening",
                violation_error_message=_(
                    "Un accès exceptionnel doit expirer après son ouverture."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Accès exceptionnel du {self.opened_at:%d/%m/%Y %H:%M}"


class AccessAction(models.TextChoices):
    READ = "read", _("Consultation")
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    AMEND = "amend", _("Correction")
    EXPORT = "export", _("Export")
    DENIED = "denied", _("Accès refusé")
    BREAK_GLASS = "break_glass", _("Accès exceptionnel")
    REVIEW = "review", _("Revue")
    CONFIGURE = "configure", _("Paramétrage")
    SESSION = "session", _("Session")


class JournalChain(models.TextChoices):
    """The journal is two hash chains, so that a read never waits for a write (issue 10).

    An entry written inside a use case's transaction (a write and what it journals) goes to
    the *writes* chain, whose lock is held until that transaction ends; an entry written on its
    own (the read of a page, a refusal, a login) goes to the *reads* chain, whose lock is held
    for the insert only. Each chain is verified on its own and attested by the checkpoints."""

    READS = "reads", _("consultations et refus")
    WRITES = "writes", _("écritures")


class AccessEvent(models.Model):
    """Append-only, hash-chained access journal (ISO 27789 depth, identifiers only).

    Never updated or deleted through the app: the application's database role may only insert
    and read (`manage.py journal_grants`), database triggers refuse UPDATE, TRUNCATE, and
    DELETE except for rows covered by a retention purge recorded as a JournalAnchor. Each
    entry's hash is keyed (HMAC, `DUI_JOURNAL_KEY`, a secret kept outside the database) and
    covers the previous entry's hash; signed checkpoints of each chain's head are kept outside
    the database (`dui.access.checkpoints`).
    """

    chain = models.CharField(
        _("chaîne"), max_length=8, choices=JournalChain.choices, default=JournalChain.READS
    )
    sequence = models.BigIntegerField(editable=False)
    occurred_at = models.DateTimeField(_("date et heure (UTC)"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("professionnel"),
    )
    assignment = models.ForeignKey(
        "accounts.Assignment",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("affectation"),
    )
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("personne"),
    )
    object_type = models.CharField(_("type d'objet"), max_length=60, blank=True)
    object_id = models.CharField(_("identifiant d'objet"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True)
    break_glass = models.BooleanField(_("accès exceptionnel"), default=False)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("événement du journal des accès")
        verbose_name_plural = _("journal des accès")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="journal_person_idx"),
            models.Index(fields=["user", "-occurred_at"], name="journal_user_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"],
                name="journal_one_entry_per_place_in_its_chain",
                violation_error_message=_("Cette place de la chaîne du journal est déjà prise."),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.chain}:{self.sequence} {self.action} {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class JournalAnchor(models.Model):
    """Where a chain restarts after a retention purge: the last purged entry's hash. Accepted
    by `verify_journal` only if a signed checkpoint attests it (the purge writes one)."""

    chain = models.CharField(
        _("chaîne"), max_length=8, choices=JournalChain.choices, default=JournalChain.WRITES
    )
    purged_through_sequence = models.BigIntegerField()
    anchor_hash = models.CharField(max_length=64)
    purged_at = models.DateTimeField(auto_now_add=True)
    purged_count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("purge du journal")
        verbose_name_plural = _("purges du journal")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "purged_through_sequence"],
                name="journal_anchor_once_per_place",
                violation_error_message=_("Cette purge du journal est déjà enregistrée."),
            )
        ]

    def __str__(self) -> str:
        return f"Purge jusqu'à #{self.chain}:{self.purged_through_sequence}"
