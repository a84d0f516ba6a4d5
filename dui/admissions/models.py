"""Steps 1–3 of the pathway: inquiries (renseigner), applications (`AdmissionRequest`,
pré-admettre) with their status pipeline, and what the admission brings (welcome checklist,
contract). Transitions are listed in `pipeline.py`, made by services only."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dui.core.models import TimestampedModel, VersionedModel
from dui.organisation.models import PlaceKind
from dui.people.models import validate_name
from dui.people.plausibility import refuse_before_birth


class InquiryChannel(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    MAIL = "mail", _("Courrier")
    VISIT = "visit", _("Visite")
    EMAIL = "email", _("Courriel")


class RequesterKind(models.TextChoices):
    PERSON = "person", _("La personne elle-même")
    RELATIVE = "relative", _("Un proche")
    LEGAL_REPRESENTATIVE = "legal_rep", _("Le représentant légal")
    HOSPITAL = "hospital", _("Service social hospitalier")
    MDPH = "mdph", _("MDPH")
    PROFESSIONAL = "professional", _("Autre professionnel")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("À suivre")
    CLOSED = "closed", _("Clos")
    CONVERTED = "converted", _("Transformée en demande d'admission")


class Inquiry(VersionedModel):
    """A first contact: who asked, for whom, what was explained and sent, when to follow up.
    Versioned: closing or converting it checks the state the user read."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    received_at = models.DateTimeField(_("reçue le"))
    channel = models.CharField(_("canal"), max_length=8, choices=InquiryChannel.choices)
    requester_kind = models.CharField(_("demandeur"), max_length=12, choices=RequesterKind.choices)
    requester_name = models.CharField(_("nom du demandeur"), max_length=150)
    requester_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    requester_email = models.EmailField(_("courriel"), blank=True)
    requester_organisation = models.CharField(_("organisme"), max_length=150, blank=True)
    # For whom: an existing record, or a minimal identity not yet a record.
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("personne concernée"),
    )
    prospect_birth_name = models.CharField(
        _("nom de naissance"), max_length=100, blank=True, validators=[validate_name]
    )
    prospect_first_names = models.CharField(
        _("prénoms"), max_length=200, blank=True, validators=[validate_name]
    )
    prospect_birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    prospect_sex = models.CharField(_("sexe"), max_length=1, blank=True)
    place_kind = models.CharField(
        _("accueil souhaité"), max_length=16, choices=PlaceKind.choices, blank=True
    )
    explained = models.TextField(_("ce qui a été expliqué"), blank=True)
    documents_sent = models.JSONField(_("documents envoyés"), default=list, blank=True)
    follow_up_on = models.DateField(_("à relancer le"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande de renseignement")
        verbose_name_plural = _("demandes de renseignement")
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["establishment", "status", "follow_up_on"], name="inquiry_follow_up_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(prospect_birth_name=""),
                name="inquiry_says_for_whom",
                violation_error_message=_(
                    "Indiquez pour qui est la demande : une personne déjà connue, ou au moins son nom."
                ),
            )
        ]

    def __str__(self) -> str:
        who = self.person or f"{self.prospect_birth_name} {self.prospect_first_names}".strip()
        return f"{who} ({self.received_at:%d/%m/%Y})"


class AdmissionSource(models.TextChoices):
    DIRECT = "direct", _("Demande directe")
    VIATRAJECTOIRE = "viatrajectoire", _("ViaTrajectoire")
    HOSPITAL = "hospital", _("Établissement de santé")
    MDPH = "mdph", _("Orientation MDPH")


class AdmissionStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    INCOMPLETE = "incomplete", _("Incomplète")
    EVALUATION = "evaluation", _("En évaluation")
    VISIT_PLANNED = "visit_planned", _("Visite de pré-admission prévue")
    VISIT_DONE = "visit_done", _("Visite faite")
    ACCEPTED = "accepted", _("Acceptée")
    WAITING_LIST = "waiting_list", _("Liste d'attente")
    REFUSED = "refused", _("Refusée")
    POSTPONED = "postponed", _("Ajournée")
    WITHDRAWN = "withdrawn", _("Retirée")
    ADMITTED = "admitted", _("Admise")


class AdmissionRequest(VersionedModel):
    """An application (demande d'admission). In the code: `application` (a `request` is an HTTP
    request). Moves along `pipeline.TRANSITIONS`; every move checks the version read."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="admission_requests",
        verbose_name=_("établissement"),
    )
    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="admission_requests",
        verbose_name=_("personne"),
    )
    inquiry = models.OneToOneField(
        Inquiry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admission_request",
        verbose_name=_("demande de renseignement d'origine"),
    )
    source = models.CharField(_("origine"), max_length=16, choices=AdmissionSource.choices)
    place_kind = models.CharField(_("accueil demandé"), max_length=16, choices=PlaceKind.choices)
    received_on = models.DateField(_("reçue le"))
    wished_start = models.DateField(_("entrée souhaitée le"), null=True, blank=True)
    wished_end = models.DateField(_("sortie prévue le"), null=True, blank=True)
    # Who made the application (the person, a relative, a social worker, a hospital…): the
    # letters of the application are addressed to them, by post.
    applicant_kind = models.CharField(
        _("demandeur"),
        max_length=12,
        choices=RequesterKind.choices,
        default=RequesterKind.PERSON,
    )
    applicant_name = models.CharField(
        _("nom du demandeur"),
        max_length=150,
        blank=True,
        help_text=_("Vide si la personne fait la demande elle-même."),
    )
    applicant_organisation = models.CharField(
        _("organisme du demandeur"), max_length=150, blank=True
    )
    applicant_address = models.CharField(
        _("adresse du demandeur"),
        max_length=200,
        blank=True,
        help_text=_("Numéro, voie, complément."),
    )
    applicant_postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    applicant_city = models.CharField(_("commune"), max_length=100, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=14,
        choices=AdmissionStatus.choices,
        default=AdmissionStatus.RECEIVED,
    )
    status_changed_at = models.DateTimeField(_("statut depuis"), null=True, blank=True)
    urgent = models.BooleanField(_("urgence"), default=False)
    priority_note = models.CharField(_("priorité : précision"), max_length=300, blank=True)
    waiting_rank = models.PositiveIntegerField(
        _("rang sur la liste d'attente"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande d'admission")
        verbose_name_plural = _("demandes d'admission")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(
                fields=["establishment", "status", "received_on"], name="admission_pipeline_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(wished_end__isnull=True)
                | Q(wished_start__isnull=True)
                | Q(wished_end__gte=models.F("wished_start")),
                name="admission_end_after_start",
                violation_error_message=_("La sortie prévue ne peut précéder l'entrée souhaitée."),
            ),
            models.CheckConstraint(
                condition=~Q(place_kind="temporary")
                | Q(wished_start__isnull=False, wished_end__isnull=False),
                name="admission_temporary_has_dates",
                violation_error_message=_(
                    "Un hébergement temporaire a une date d'entrée et une date de sortie souhaitées."
                ),
            ),
            models.CheckConstraint(
                condition=Q(applicant_postcode="") | Q(applicant_postcode__regex=r"^[0-9]{5}$"),
                name="admission_applicant_postcode_5_digits",
                violation_error_message=_("Le code postal compte 5 chiffres."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.establishment}"

    def clean(self) -> None:
        if self.person_id:
            refuse_before_birth(
                self.person,
                received_on=self.received_on,
                wished_start=self.wished_start,
                wished_end=self.wished_end,
            )

    @property
    def applicant_has_postal_address(self) -> bool:
        return bool(
            self.applicant_address.strip()
            and self.applicant_postcode.strip()
            and self.applicant_city.strip()
        )


class AdmissionEvent(models.Model):
    """The application's timeline: each transition, who made it, why (Saleor-style order events)."""

    application = models.ForeignKey(
        AdmissionRequest, on_delete=models.PROTECT, related_name="events", verbose_name=_("demande")
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    from_status = models.CharField(max_length=14, choices=AdmissionStatus.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=AdmissionStatus.choices)
    note = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("étape de la demande")
        verbose_name_plural = _("étapes de la demande")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class PieceKind(models.TextChoices):
    """Pieces of an application (dossier unique d'admission en EHPAD, Cerfa 14732; MDPH)."""

    CERFA_ADMINISTRATIVE = (
        "cerfa_admin",
        _("Dossier d'admission (Cerfa 14732) : volet administratif"),
    )
    CERFA_MEDICAL = "cerfa_medical", _("Dossier d'admission (Cerfa 14732) : volet médical")
    MDPH_NOTIFICATION = "mdph_notification", _("Notification d'orientation MDPH")
    IDENTITY = "identity", _("Pièce d'identité")
    INSURANCE = "insurance", _("Attestation d'assurance maladie")
    TAX_NOTICE = "tax_notice", _("Avis d'imposition")
    PROTECTION_JUDGEMENT = "protection_judgement", _("Jugement de protection")
    OTHER = "other", _("Autre pièce")


class ApplicationPiece(TimestampedModel):
    """One piece of the checklist of an application: expected, received (date, document)."""

    application = models.ForeignKey(
        AdmissionRequest, on_delete=models.PROTECT, related_name="pieces", verbose_name=_("demande")
    )
    kind = models.CharField(_("pièce"), max_length=24, choices=PieceKind.choices)
    detail = models.CharField(
        _("précision"),
        max_length=150,
        blank=True,
        help_text=_("Obligatoire pour « Autre pièce » : elle figure dans le courrier."),
    )
    received_on = models.DateField(_("reçue le"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pièce du dossier")
        verbose_name_plural = _("pièces du dossier")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=~Q(kind="other"),
                name="application_piece_once",
                violation_error_message=_("Cette pièce figure déjà dans la liste."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The piece as the letters name it: its kind, with its precision if any."""
        kind = str(self.get_kind_display())
        if not self.detail:
            return kind
        return self.detail if self.kind == PieceKind.OTHER else f"{kind} ({self.detail})"


class OrientationKind(models.TextChoices):
    """The type of a CDAPH orientation towards an establishment or service (CASF L241-6 I 2°),
    coded as the national nomenclature of the SI MDPH carries it: ANS TRE_R420 « droit
    prestation », value set J402 `typeDroitPrestation` of TDDUI (TDDUIDecision.fsh). Codes and
    wording read in ansforge/IG-fhir-medicosocial-suivi-decisions-orientation,
    input/pagecontent/annexes_Nomenclatures_precision.md. The stored value IS the national code
    (exported as is); only the orientations towards an ESMS are listed here (categories 7, 11,
    13, 14 — not the schooling ones, 8 to 10). The blank code is kept for orientations recorded
    before the nomenclature (free text in `detail`), never for a new one."""

    IME = "7.1", _("IME — institut médico-éducatif")
    IEM = "7.2", _("IEM — institut d'éducation motrice")
    HEARING = "7.3", _("Institut pour déficients auditifs")
    SIGHT = "7.4", _("Institut pour déficients visuels")
    POLYHANDICAP_CHILDREN = "7.5", _("Établissement pour enfants ou adolescents polyhandicapés")
    ITEP = "7.6", _("ITEP — institut thérapeutique, éducatif et pédagogique")
    ITEP_SCHEME = "7.7", _("Dispositif ITEP")
    SESSAD = "7.8", _("SESSAD — service d'éducation spéciale et de soins à domicile")
    SAFEP = "7.9", _("SAFEP — service d'accompagnement familial et d'éducation précoce")
    SSEFS = "7.10", _("SSEFS — service de soutien à l'éducation familiale et à la scolarisation")
    SAAAS = "7.11", _("SAAAS — service d'aide à l'acquisition de l'autonomie et à la scolarisation")
    SSAD = "7.12", _("SSAD — service de soins et d'aide à domicile")
    IES = "7.13", _("IES — institut d'éducation sensorielle")
    OTHER_CHILDREN = "7.99", _("Autre établissement ou service médico-social pour enfants")
    ESRP = "11.1", _("ESRP — établissement ou service de réadaptation professionnelle")
    ESPO = "11.2", _("ESPO — établissement ou service de préorientation")
    UEROS = "11.3", _("UEROS — unité d'évaluation, de réentraînement et d'orientation sociale")
    WORK_MARKET = "11.4", _("Orientation professionnelle vers le marché du travail")
    ESAT = "11.5", _("ESAT — établissement et service d'aide par le travail")
    SUPPORTED_EMPLOYMENT = "11.6", _("Dispositif d'emploi accompagné")
    NON_MEDICAL_ADULTS = (
        "13.1",
        _("Établissement d'accueil non médicalisé (foyer de vie, foyer d'hébergement…)"),
    )
    MEDICAL_ADULTS = "13.2", _("Établissement d'accueil médicalisé en tout ou partie (FAM, EAM)")
    MAS = "13.3", _("MAS — maison d'accueil spécialisée")
    SAVS = "13.4", _("SAVS — service d'accompagnement à la vie sociale")
    SAMSAH = "13.5", _("SAMSAH — service d'accompagnement médico-social pour adultes handicapés")
    OTHER_ADULTS = "13.99", _("Autre établissement ou service médico-social pour adultes")
    PCPE = "14.0", _("PCPE — pôle de compétences et de prestations externalisées")

    @property
    def national_category(self) -> str:
        """TDDUI J401 `categorieDroitPrestation`: the part of the code before the dot
        (7 = ESMS enfants, 11 = insertion professionnelle, 13 = ESMS adultes)."""
        return self.value.split(".")[0]


class OrientationQualification(models.TextChoices):
    """TDDUI J404 `qualificationOrientation` (1..1), ANS TRE_R422 « qualification de
    l'orientation » (OID 1.2.250.1.213.3.3.273): the stored value is the national code."""

    TARGET = "1", _("Cible (réponse la plus adaptée, sans contrainte de l'offre)")
    ALTERNATIVE = "2", _("Alternative (réponse tenant compte de l'offre disponible)")


class ReceptionTemporality(models.TextChoices):
    """TDDUI J30 `temporaliteAccueil` (ROR TRE_R240), required for the categories 7 and 13.
    Local codes: the TRE_R240 code list could not be read (one ANS example codes « 01 » as
    « Temporaire ») — the export maps these codes once the list is checked (non vérifié)."""

    PERMANENT = "permanent", _("Accueil permanent")
    TEMPORARY = "temporary", _("Accueil temporaire")


class Orientation(TimestampedModel):
    """A CDAPH orientation decision (MDPH) for a disabled person, with its validity (TDDUI
    TDDUIBasicDecision: `reference` = idDecision, `decided_on` = dateDecision, `valid_from` /
    `valid_to` = dateOuverture / dateEcheance, `kind` = typeDroitPrestation J402 (its category
    J401 derived from it), `qualification` J404, `temporality` J30, `creton`, `detail` =
    précision de l'orientation J408, kept as text: no national list of précisions was
    available)."""

    person = models.ForeignKey(
        settings.ACCESS_PERSON_MODEL,
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name=_("personne"),
    )
    decided_on = models.DateField(_("décision CDAPH du"))
    kind = models.CharField(
        _("type d'orientation"),
        max_length=8,
        choices=OrientationKind.choices,
        blank=True,
        help_text=_("Nomenclature nationale des MDPH (type de droit ou prestation)."),
    )
    detail = models.CharField(
        _("précision"),
        max_length=80,
        blank=True,
        help_text=_("Par exemple : section, internat ou externat, mention de la notification."),
    )
    qualification = models.CharField(
        _("qualification"),
        max_length=1,
        choices=OrientationQualification.choices,
        default=OrientationQualification.TARGET,
    )
    temporality = models.CharField(
        _("temporalité d'accueil"), max_length=10, choices=ReceptionTemporality.choices, blank=True
    )
    creton = models.BooleanField(
        _("amendement Creton"),
        default=False,
        help_text=_("Jeune adulte maintenu dans un établissement pour enfants (CASF L242-4)."),
    )
    valid_from = models.DateField(_("valable du"))
    valid_to = models.DateField(_("jusqu'au"))
    reference = models.CharField(_("référence"), max_length=60, blank=True)
    mdph = models.TextField(
        _("MDPH qui a rendu la décision"),
        blank=True,
        help_text=_(
            "Nom et adresse postale, si ce n'est pas la MDPH indiquée dans les réglages des "
            "admissions de l'établissement."
        ),
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notification numérisée"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("orientation MDPH")
        verbose_name_plural = _("orientations MDPH")
        ordering = ["-valid_to"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="orientation_valid_to_after_from",
                violation_error_message=_("La fin de validité doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="") | ~Q(detail=""),
                name="orientation_says_its_type",
                violation_error_message=_("Indiquez le type d'orientation décidé par la CDAPH."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.valid_from:%d/%m/%Y} – {self.valid_to:%d/%m/%Y})"

    @property
    def label(self) -> str:
        """The type as the CDAPH coded it, else the text recorded before the nomenclature."""
        return str(self.get_kind_display()) if self.kind else self.detail

    def covers(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to


class OpinionKind(models.TextChoices):
    MEDICAL = "medical", _("Avis médical")
    SOCIAL = "social", _("Avis social")


class OpinionValue(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Favorable avec réserves")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class EvaluationOpinion(TimestampedModel):
    """An opinion on an application, each by the right profession. The medical opinion is in
    the medical category: readable by the care team only (DESIGN §4.1)."""

    application = models.ForeignKey(
        AdmissionRequest,
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name=_("demande"),
    )
    kind = models.CharField(_("avis"), max_length=8, choices=OpinionKind.choices)
    category = models.CharField(max_length=16, editable=False)
    value = models.CharField(_("conclusion"), max_length=12, choices=OpinionValue.choices)
    text = models.TextField(_("commentaire"), blank=True)
    given_on = models.DateField(_("donné le"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    # The author's profession when the opinion was given (the médecin coordonnateur's opinion
    # is the one CASF D312-158 2° asks for; a profession may change later).
    author_profession = models.CharField(_("profession de l'auteur"), max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avis sur la demande")
        verbose_name_plural = _("avis sur la demande")
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.get_value_display()}"


class PreAdmissionVisit(TimestampedModel):
    application = models.ForeignKey(
        AdmissionRequest, on_delete=models.PROTECT, related_name="visits", verbose_name=_("demande")
    )
    planned_at = models.DateTimeField(_("prévue le"))
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    report = models.TextField(_("compte rendu"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visite de pré-admission")
        verbose_name_plural = _("visites de pré-admission")
        ordering = ["planned_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(report=""),
                name="visit_done_has_report",
                violation_error_message=_("Une visite faite a son compte rendu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.planned_at:%d/%m/%Y %H:%M}"


class DecisionOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    POSTPONED = "postponed", _("Ajournée")


class AdmissionDecision(TimestampedModel):
    """The admission committee's decision (commission d'admission)."""

    application = models.ForeignKey(
        AdmissionRequest,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("demande"),
    )
    decided_on = models.DateField(_("décidée le"))
    outcome = models.CharField(_("décision"), max_length=10, choices=DecisionOutcome.choices)
    reason = models.TextField(_("motif"), blank=True)
    committee = models.CharField(_("membres de la commission"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enregistrée par"),
    )
    # EHPAD: an acceptance without the médecin coordonnateur's opinion (CASF D312-158 2°) says
    # why (post vacant, urgent admission…).
    without_medical_opinion_reason = models.TextField(
        _("acceptée sans l'avis du médecin coordonnateur, parce que"), blank=True
    )
    # CDAPH orientation (CASF R146-36): the MDPH is told what became of its designation within
    # fifteen days of the answer to the person; `mdph_notice_due_by` is set when that is owed.
    mdph_notice_due_by = models.DateField(
        _("à transmettre à la MDPH avant le"), null=True, blank=True
    )
    mdph_notice = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("information de la MDPH"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("décision d'admission")
        verbose_name_plural = _("décisions d'admission")
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(reason=""),
                name="decision_refusal_has_reason",
                violation_error_message=_("Le motif du refus est obligatoire."),
            )
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class OrientationProblem(models.TextChoices):
    """Why a disability establishment's admission does not rest on a fitting orientation."""

    NONE_RECORDED = "none_recorded", _("aucune orientation CDAPH enregistrée")
    NOT_VALID = "not_valid", _("aucune orientation valable à cette date")
    OTHER_KIND = "other_kind", _("orientation d'un autre type")
    UNKNOWN_KIND = "unknown_kind", _("type d'orientation non précisé")


class OrientationOverride(TimestampedModel):
    """The director's decision to go on although the person's CDAPH orientation does not fit
    the establishment (CASF L241-6: the orientation designates the kind of establishment), with
    its written reason. It covers the problem it was given for — the same problem with the same
    orientation — at the acceptance and at the admission."""

    application = models.ForeignKey(
        AdmissionRequest,
        on_delete=models.PROTECT,
        related_name="orientation_overrides",
        verbose_name=_("demande"),
    )
    problem = models.CharField(_("écart"), max_length=16, choices=OrientationProblem.choices)
    orientation = models.ForeignKey(
        Orientation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("orientation concernée"),
    )
    checked_on = models.DateField(_("pour le"))
    warning = models.TextField(_("avertissement"))
    reason = models.TextField(_("motif"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("par"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dérogation à l'orientation CDAPH")
        verbose_name_plural = _("dérogations à l'orientation CDAPH")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="orientation_override_has_reason",
                violation_error_message=_(
                    "Écrivez pourquoi l'admission se fait malgré l'orientation."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.get_problem_display()


class AdmissionSettings(VersionedModel):
    """The establishment's own rules of admission, edited by its director (history kept)."""

    establishment = models.OneToOneField(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    visit_required = models.BooleanField(
        _("visite de pré-admission obligatoire avant l'acceptation"), default=True
    )
    mdph_name = models.CharField(
        _("MDPH du département"), max_length=150, blank=True, help_text=_("Ex. : MDPH du Rhône.")
    )
    mdph_address = models.TextField(_("adresse postale de la MDPH"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réglages des admissions")
        verbose_name_plural = _("réglages des admissions")

    def __str__(self) -> str:
        return str(self.establishment)


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Accusé de réception")
    MISSING_PIECES = "missing_pieces", _("Pièces manquantes")
    ACCEPTANCE = "acceptance", _("Acceptation")
    REFUSAL = "refusal", _("Refus")
    MDPH_NOTICE = "mdph_notice", _("Information de la MDPH")
    CONTRACT = "contract", _("Contrat de séjour / DIPC")


class LetterTemplate(VersionedModel):
    """The establishment's own wording of a letter or contract (Django template syntax limited
    to the variables the page lists); rendered to PDF by WeasyPrint."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    kind = models.CharField(_("courrier"), max_length=16, choices=LetterKind.choices)
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("texte"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("modèle de courrier")
        verbose_name_plural = _("modèles de courrier")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "kind"],
                name="letter_template_unique",
                violation_error_message=_("Cet établissement a déjà un modèle pour ce courrier."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class WelcomeItem(models.TextChoices):
    """Welcome checklist at admission (loi 2002-2, CASF L311-4 and L311-5-1)."""

    LIVRET = "livret", _("Livret d'accueil remis")
    REGLEMENT = "reglement", _("Règlement de fonctionnement remis")
    CHARTE = "charte", _("Charte des droits et libertés remise")
    TRUSTED_PERSON = "trusted_person", _("Information sur la personne de confiance donnée")
    CONSENTS = "consents", _("Consentements recueillis (droit à l'image, partage d'informations)")
    INVENTORY = "inventory", _("Inventaire des effets personnels fait")
    CARE_EVALUATION = "care_evaluation", _("Première évaluation soignante programmée")
    PERSONAL_PLAN = "personal_plan", _("Projet personnalisé programmé (dans les 6 mois)")


class WelcomeChecklistItem(TimestampedModel):
    stay = models.ForeignKey(
        "stays.Stay",
        on_delete=models.PROTECT,
        related_name="welcome_items",
        verbose_name=_("séjour"),
    )
    item = models.CharField(_("étape de l'accueil"), max_length=16, choices=WelcomeItem.choices)
    done_on = models.DateField(_("fait le"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)
    # A tick undone (issue 12) stays, with who undid it, when and why: the item shows as to do
    # again and keeps its history; ticking it again is a new row.
    undone_on = models.DateField(_("décochée le"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décochée par"),
    )
    undo_reason = models.CharField(_("motif"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("étape de l'accueil")
        verbose_name_plural = _("accueil")
        constraints = [
            models.UniqueConstraint(
                fields=["stay", "item"],
                condition=Q(undone_on__isnull=True),
                name="welcome_item_once",
                violation_error_message=_("Cette étape de l'accueil est déjà cochée."),
            ),
            models.CheckConstraint(
                condition=Q(undone_on__isnull=True)
                | (Q(undone_by__isnull=False) & ~Q(undo_reason="")),
                name="welcome_item_undone_has_reason",
                violation_error_message=_("Dites pourquoi cette étape est décochée."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class ContractKind(models.TextChoices):
    """CASF D311 I–II, D311-0-1: which document a stay gets (`contract_terms.contract_kind_for`)."""

    CONTRACT = "contract", _("Contrat de séjour")
    DIPC = "dipc", _("Document individuel de prise en charge (DIPC)")
    ESAT = "esat", _("Contrat de soutien et d'aide par le travail")


class ContractRefusalBy(models.TextChoices):
    PERSON = "person", _("La personne accueillie")
    REPRESENTATIVE = "representative", _("Son représentant légal")


class Contract(VersionedModel):
    """Contrat de séjour, DIPC or contrat de soutien et d'aide par le travail of a stay (CASF
    L311-4, D311, D311-0-1): generated with its prices frozen, handed over, signed by the
    parties `who_signs` names (one `ContractSignatory` row each) and by the director."""

    stay = models.ForeignKey(
        "stays.Stay", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("séjour")
    )
    kind = models.CharField(_("type"), max_length=8, choices=ContractKind.choices)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contrat généré"),
    )
    # The price lines as they were when the contract was generated (frozen: a later change of
    # the price list does not alter a contract): [{"label", "amount", "unit", "kind"}].
    price_lines = models.JSONField(_("tarifs"), default=list, blank=True)
    delivered_on = models.DateField(_("remis le"), null=True, blank=True)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    due_by = models.DateField(_("à signer avant le"))
    # D311 I al. 2: a refusal to sign the contract turns it into a DIPC.
    refused_on = models.DateField(_("signature du contrat refusée le"), null=True, blank=True)
    refused_by = models.CharField(
        _("refusée par"), max_length=16, choices=ContractRefusalBy.choices, blank=True
    )
    refusal_note = models.TextField(_("circonstances du refus"), blank=True)
    # The establishment's signature (D311 I: its representative; II: the DIPC is drawn up and
    # signed by the director or the person the gestionnaire designates).
    director_signed_on = models.DateField(_("signé pour l'établissement le"), null=True, blank=True)
    director_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signé pour l'établissement par"),
    )
    # CASF D311 III « L'avis du mineur doit être recueilli » ; C. civ. 371-1 al. 4.
    minor_opinion_on = models.DateField(_("avis du mineur recueilli le"), null=True, blank=True)
    minor_opinion = models.TextField(_("avis du mineur"), blank=True)
    minor_opinion_not_sought = models.TextField(
        _("pourquoi l'avis du mineur n'a pu être recueilli"), blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        constraints = [
            models.CheckConstraint(
                condition=Q(refused_on__isnull=True) | ~Q(refused_by=""),
                name="contract_refusal_says_by_whom",
                violation_error_message=_("Un refus de signer dit qui a refusé."),
            ),
            models.CheckConstraint(
                condition=Q(director_signed_on__isnull=True) | Q(director_signed_by__isnull=False),
                name="contract_director_signature_says_who",
                violation_error_message=_("La signature de l'établissement dit qui a signé."),
            ),
            models.CheckConstraint(
                condition=Q(minor_opinion_on__isnull=True) | ~Q(minor_opinion=""),
                name="contract_minor_opinion_has_content",
                violation_error_message=_("Résumez l'avis du mineur recueilli."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def minor_opinion_recorded(self) -> bool:
        return bool(self.minor_opinion_on or self.minor_opinion_not_sought)


class SignatoryRole(models.TextChoices):
    """What a party does on the contract (`dui.people.protection.Role`), one TDDUI Consent each
    (TDDUIConsentAccord: performer + dateTime)."""

    SIGNS = "signs", _("signe")
    CO_SIGNS = "co_signs", _("assiste et signe à côté de la personne")
    REPRESENTS = "represents", _("signe au nom de la personne")
    COUNTERSIGNS = "countersigns", _("contresigne")
    AGREES_IN_WRITING = "agrees", _("accord écrit (autorité parentale conjointe)")


class ContractSignatory(TimestampedModel):
    """One party who signed the contract: the person herself, or a contact of hers (curateur,
    tuteur, parent…), or a mandataire (Partner). Maps onto one TDDUI Consent (performer = the
    Patient, the RelatedPerson or the Organization; dateTime = signed_on)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="signatories", verbose_name=_("contrat")
    )
    role = models.CharField(_("rôle"), max_length=16, choices=SignatoryRole.choices)
    is_the_person = models.BooleanField(_("la personne accueillie"), default=False)
    contact = models.ForeignKey(
        "people.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proche"),
    )
    partner = models.ForeignKey(
        "coordination.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mandataire"),
    )
    capacity = models.CharField(_("qualité"), max_length=120, blank=True)
    signed_on = models.DateField(_("signé le"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signataire du contrat")
        verbose_name_plural = _("signataires du contrat")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_the_person=True, contact__isnull=True, partner__isnull=True)
                | Q(is_the_person=False, contact__isnull=False, partner__isnull=True)
                | Q(is_the_person=False, contact__isnull=True, partner__isnull=False),
                name="contract_signatory_is_one_party",
                violation_error_message=_(
                    "Un signataire est la personne, un proche ou un mandataire : un seul."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class ContractAmendment(TimestampedModel):
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("contrat")
    )
    effective_on = models.DateField(_("prend effet le"))
    description = models.TextField(_("objet de l'avenant"))
    # CASF D311 V: « Un avenant précise dans le délai maximum de six mois les objectifs et les
    # prestations adaptées à la personne. Chaque année, [leur] définition […] est réactualisée. »
    # It will link to the projet personnalisé.
    sets_objectives = models.BooleanField(_("avenant objectifs et prestations"), default=False)
    price_lines = models.JSONField(_("tarifs"), default=list, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avenant généré"),
    )
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")

    def __str__(self) -> str:
        return f"{self.effective_on:%d/%m/%Y}"


class InterviewAttendee(models.TextChoices):
    """CASF L311-4 al. 5: the interview is held without anyone else, unless the person chooses
    her personne de confiance; the director (or designee), with the médecin coordonnateur when
    needed."""

    PERSON = "person", _("La personne accueillie")
    DIRECTOR = "director", _("Le directeur ou la personne désignée par lui")
    COORDINATING_DOCTOR = "coordinating_doctor", _("Le médecin coordonnateur")
    TRUSTED_PERSON = "trusted_person", _("La personne de confiance")
    REPRESENTATIVE = "representative", _("Le représentant légal")


class ConsentOutcome(models.TextChoices):
    CONSENTS = "consents", _("La personne consent à être accueillie")
    REFUSES = "refuses", _("La personne ne consent pas à être accueillie")
    CANNOT_EXPRESS = (
        "cannot_express",
        _("La personne ne peut exprimer son consentement (C. civ. 459-2 al. 3)"),
    )


class TrustedPersonInfoExemption(models.TextChoices):
    """D311-0-4: cases where the information need not be given (and minors: L311-5-1)."""

    MINOR = "minor", _("Personne mineure (personne de confiance réservée aux majeurs)")
    ALREADY_DESIGNATED = "designated", _("Personne de confiance déjà désignée")
    INFORMED_ELSEWHERE = (
        "elsewhere",
        _("Information déjà délivrée par un autre établissement (L311-4)"),
    )


class AdmissionInterview(VersionedModel):
    """The attestation that the person was informed she may designate a personne de confiance
    (CASF D311-0-4, annexe 4-10) and the interview seeking her consent to be admitted (L311-4
    al. 5), one per stay, recorded on the contract page."""

    stay = models.OneToOneField(
        "stays.Stay",
        on_delete=models.PROTECT,
        related_name="admission_interview",
        verbose_name=_("séjour"),
    )
    informed_on = models.DateField(
        _("information sur la personne de confiance délivrée le"), null=True, blank=True
    )
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attestation signée pour l'établissement par"),
    )
    attestation_signed_by_person = models.BooleanField(
        _("attestation signée par la personne"), default=False
    )
    attestation_signed_by_representative = models.ForeignKey(
        "people.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attestation signée par le représentant légal"),
    )
    information_exemption = models.CharField(
        _("information non requise"),
        max_length=16,
        choices=TrustedPersonInfoExemption.choices,
        blank=True,
    )
    interview_on = models.DateField(
        _("entretien de recherche du consentement le"), null=True, blank=True
    )
    interview_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entretien conduit par"),
    )
    attendees = models.JSONField(_("présents"), default=list, blank=True)
    outcome = models.CharField(
        _("consentement"), max_length=16, choices=ConsentOutcome.choices, blank=True
    )
    notes = models.TextField(_("observations"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("information et entretien d'admission")
        verbose_name_plural = _("informations et entretiens d'admission")
        constraints = [
            models.CheckConstraint(
                condition=Q(informed_on__isnull=True) | Q(informed_by__isnull=False),
                name="admission_interview_attestation_signed_by_director",
                violation_error_message=_(
                    "L'attestation est signée par le directeur ou son représentant."
                ),
            ),
            models.CheckConstraint(
                condition=Q(interview_on__isnull=True) | ~Q(outcome=""),
                name="admission_interview_has_outcome",
                violation_error_message=_("Indiquez l'issue de l'entretien."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.stay)


class PriceUnit(models.TextChoices):
    DAY = "day", _("par jour")
    MONTH = "month", _("par mois")
    ACT = "act", _("par acte")


class PriceKind(models.TextChoices):
    """What a price pays for: for an EHPAD the socle de prestations d'hébergement (CASF L342-2,
    annexe 2-3-1), the dependency tariff, care; elsewhere the stay; options beyond."""

    ACCOMMODATION_BASE = "accommodation_base", _("Socle de prestations d'hébergement")
    ACCOMMODATION = "accommodation", _("Hébergement")
    DEPENDENCY = "dependency", _("Dépendance")
    CARE = "care", _("Soins")
    OPTION = "option", _("Prestation optionnelle")
    OTHER = "other", _("Autre")


class PriceList(VersionedModel):
    """The establishment's prices in force over a period (valid_until included; open when
    empty). Periods of one establishment never overlap (`services.price_lists`)."""

    establishment = models.ForeignKey(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    # CASF D311 V 4° and VIII, L342-2: the contract states the billing « y compris en cas
    # d'absence ou d'hospitalisation ».
    absence_billing = models.TextField(
        _("facturation en cas d'absence ou d'hospitalisation"), blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grille tarifaire")
        verbose_name_plural = _("grilles tarifaires")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="price_list_ends_after_it_starts",
                violation_error_message=_(
                    "La fin de validité ne peut précéder le début de validité."
                ),
            ),
            models.UniqueConstraint(
                fields=["establishment", "valid_from"],
                name="price_list_one_per_start",
                violation_error_message=_(
                    "Une grille tarifaire commence déjà ce jour-là dans l'établissement."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}"


class PriceListLine(TimestampedModel):
    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="lines", verbose_name=_("grille")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("libellé"), max_length=150)
    amount = models.DecimalField(_("montant (€)"), max_digits=9, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=8, choices=PriceUnit.choices)
    kind = models.CharField(_("nature"), max_length=24, choices=PriceKind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="price_line_amount_not_negative",
                violation_error_message=_("Un tarif ne peut être négatif."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    def frozen(self) -> dict:
        """The line as a contract keeps it."""
        return {
            "label": self.label,
            "amount": f"{Decimal(str(self.amount)).quantize(Decimal('0.01'))}",
            "unit": self.unit,
            "kind": self.kind,
        }


class WaitingCriterion(models.TextChoices):
    URGENT = "urgent", _("Urgence d'abord")
    MANUAL = "manual", _("Rang fixé par la direction")
    LOCAL = "local", _("Origine géographique (codes postaux du territoire) d'abord")
    DEPENDENCY = "dependency", _("Dépendance la plus forte d'abord (dernier GIR validé)")
    DATE = "date", _("Ancienneté de la demande")


DEFAULT_WAITING_CRITERIA = [
    WaitingCriterion.URGENT,
    WaitingCriterion.MANUAL,
    WaitingCriterion.DATE,
]


class WaitingListPolicy(VersionedModel):
    """The establishment's priority rules for its waiting list, applied in the order given."""

    establishment = models.OneToOneField(
        "organisation.Establishment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    criteria = models.JSONField(_("critères, dans l'ordre"), default=list)
    local_postcodes = models.CharField(
        _("codes postaux du territoire"),
        max_length=200,
        blank=True,
        help_text=_("Débuts de codes postaux séparés par des virgules, ex. : 69, 01700."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règles de la liste d'attente")
        verbose_name_plural = _("règles des listes d'attente")

    def __str__(self) -> str:
        return str(self.establishment)

    @property
    def postcode_prefixes(self) -> list[str]:
        return [p.strip() for p in self.local_postcodes.split(",") if p.strip()]
