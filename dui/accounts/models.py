import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import ThrottlingMixin

from dui.core import dates
from dui.core.models import TimestampedModel, VersionedModel
from dui.organisation.models import Establishment, Unit


class ProfessionCode(models.TextChoices):
    """Professions of ESMS staff. Codes are stable; they drive the default access matrix."""

    AS = "as", _("Aide-soignant(e)")
    AES = "aes", _("Accompagnant(e) éducatif et social")
    AMP = "amp", _("Aide médico-psychologique")
    IDE = "ide", _("Infirmier(e) diplômé(e) d'État")
    IDEC = "idec", _("Infirmier(e) coordinateur(trice)")
    MEDECIN_COORDONNATEUR = "medecin_coordonnateur", _("Médecin coordonnateur")
    MEDECIN = "medecin", _("Médecin")
    PHARMACIEN = "pharmacien", _("Pharmacien(ne)")
    PSYCHOLOGUE = "psychologue", _("Psychologue")
    EDUCATEUR_SPECIALISE = "educateur_specialise", _("Éducateur(trice) spécialisé(e)")
    MONITEUR_EDUCATEUR = "moniteur_educateur", _("Moniteur(trice)-éducateur(trice)")
    ASSISTANT_SERVICE_SOCIAL = "assistant_service_social", _("Assistant(e) de service social")
    ERGOTHERAPEUTE = "ergotherapeute", _("Ergothérapeute")
    KINESITHERAPEUTE = "kinesitherapeute", _("Masseur-kinésithérapeute")
    SECRETAIRE = "secretaire", _("Secrétaire / accueil")
    CADRE_SANTE = "cadre_sante", _("Cadre de santé")
    CHEF_SERVICE = "chef_service", _("Chef(fe) de service")
    DIRECTEUR = "directeur", _("Directeur(trice)")
    ADMINISTRATEUR = "administrateur", _("Administrateur(trice) du système")


# Professions registered in the RPPS (11 digits) — others may have an ADELI number (9 chars).
RPPS_PROFESSIONS = {
    ProfessionCode.MEDECIN_COORDONNATEUR,
    ProfessionCode.MEDECIN,
    ProfessionCode.PHARMACIEN,
    ProfessionCode.IDE,
    ProfessionCode.IDEC,
    ProfessionCode.KINESITHERAPEUTE,
    ProfessionCode.CADRE_SANTE,
}
ADELI_PROFESSIONS = {
    ProfessionCode.PSYCHOLOGUE,
    ProfessionCode.ERGOTHERAPEUTE,
    ProfessionCode.ASSISTANT_SERVICE_SOCIAL,
}

rpps_validator = RegexValidator(
    r"^\d{11}$", _("Le numéro RPPS compte 11 chiffres."), "invalid_rpps"
)
adeli_validator = RegexValidator(
    r"^\d{2}[0-9A-B]\d{6}$",
    _("Le numéro ADELI compte 9 caractères (ex. 759312345)."),
    "invalid_adeli",
)


class Profession(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True, choices=ProfessionCode.choices)
    label = models.CharField(_("libellé"), max_length=100)

    class Meta:
        verbose_name = _("profession")
        verbose_name_plural = _("professions")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class User(AbstractUser):
    """A professional (or an administrator). Login by username; second factor by TOTP."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    profession = models.ForeignKey(
        Profession,
        verbose_name=_("profession"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    rpps = models.CharField(
        _("numéro RPPS"), max_length=11, blank=True, validators=[rpps_validator]
    )
    adeli = models.CharField(
        _("numéro ADELI"), max_length=9, blank=True, validators=[adeli_validator]
    )
    is_demo = models.BooleanField(
        _("compte de démonstration"),
        default=False,
        help_text=_("Exempté du second facteur uniquement quand le mode démonstration est actif."),
    )
    # Bumped by "logout everywhere": every session holding an older value is closed.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("professionnel")
        verbose_name_plural = _("professionnels")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def profession_code(self) -> str | None:
        return self.profession.code if self.profession_id else None

    def clean(self) -> None:
        super().clean()
        code = self.profession.code if self.profession_id else None
        if self.rpps and code not in RPPS_PROFESSIONS:
            raise ValidationError({"rpps": _("Cette profession n'est pas enregistrée au RPPS.")})


class AssignmentRole(models.TextChoices):
    STAFF = "staff", _("Intervenant(e)")
    MANAGER = "manager", _("Encadrement (cadre, chef de service)")
    DIRECTOR = "director", _("Direction")
    DPO = "dpo", _("Délégué(e) à la protection des données")
    ADMIN = "admin", _("Administration du système")


class AssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or dates.today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Assignment(VersionedModel):
    """A professional's assignment to an establishment (optionally one unit), with a role."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("professionnel")
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("établissement"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("unité"),
        help_text=_("Vide : tout l'établissement."),
    )
    role = models.CharField(
        _("rôle"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.STAFF
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        ordering = ["establishment__name", "unit__name"]
        indexes = [models.Index(fields=["user", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
                violation_error_message=_("La fin de l'affectation ne peut précéder son début."),
            )
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else self.establishment.name
        return f"{where} ({self.get_role_display()})"

    def clean(self) -> None:
        if (
            self.unit_id
            and self.establishment_id
            and self.unit.establishment_id != self.establishment_id
        ):
            raise ValidationError(
                {"unit": _("Cette unité appartient à un autre établissement.")},
                code="unit_of_other_establishment",
            )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La fin de l'affectation ne peut précéder son début.")},
                code="assignment_ends_after_start",
            )

    def is_active(self, on=None) -> bool:
        day = on or dates.today()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class SecondFactorExemption(VersionedModel):
    """An establishment's explicit decision to exempt a profession from the second factor.

    The default is that everyone uses a second factor (from 2026 a password alone is not
    compliant for health professionals). An exemption is a journaled, revocable decision.
    """

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="second_factor_exemptions",
        verbose_name=_("établissement"),
    )
    profession = models.ForeignKey(
        Profession, on_delete=models.PROTECT, verbose_name=_("profession")
    )
    reason = models.TextField(_("motif"))
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("exemption de second facteur")
        verbose_name_plural = _("exemptions de second facteur")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "profession"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_exemption_per_profession",
                violation_error_message=_(
                    "Cette profession est déjà exemptée dans cet établissement."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.establishment} — {self.profession}"


class _AlwaysVerifiable(models.Model):
    """The end of django-otp's `verify_is_allowed` chain (its `Device` plays this part for
    devices): `ThrottlingMixin` adds its delay on top."""

    class Meta:
        abstract = True

    def verify_is_allowed(self):
        return True, None


class EnrolmentChannel(models.TextChoices):
    """How the professional receives the secret that lets them enrol a second factor."""

    CODE = "code", _("Code remis par la direction")
    LINK = "link", _("Lien envoyé par courriel")


class EnrolmentCode(ThrottlingMixin, _AlwaysVerifiable, TimestampedModel):
    """A one-time permission to enrol a second factor (first enrolment, or after a lost phone).

    The password alone does not let anyone attach their own phone to an account: an
    administrator or a director of one of the professional's establishments issues this code
    (shown once to them) or sends it as a link to the professional's address. Only a keyed
    digest of the secret is stored. Valid once, for at most 72 hours; wrong attempts are
    throttled like the TOTP check (django-otp's exponential delay)."""

    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="enrolment_codes",
        verbose_name=_("professionnel"),
    )
    channel = models.CharField(
        _("remis par"),
        max_length=8,
        choices=EnrolmentChannel.choices,
        default=EnrolmentChannel.CODE,
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code d'enrôlement")
        verbose_name_plural = _("codes d'enrôlement")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_enrolment_code_per_user",
                violation_error_message=_(
                    "Un code d'enrôlement est déjà en attente pour ce professionnel."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="enrolment_code_expires_after_issue",
                violation_error_message=_("Un code d'enrôlement expire après son émission."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_channel_display()} ({self.created_at:%d/%m/%Y %H:%M})"

    def get_throttle_factor(self):
        # The same back-off as the TOTP check: 1, 2, 4, 8… seconds after each wrong code.
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.cancelled_at is None

    def is_usable(self, at=None) -> bool:
        return self.is_open and (at or dates.now()) < self.expires_at
