"""Who signs, who assists, who represents the person, and who is only informed — for one act,
on one day. The one answer the record header, the contract and its signature, the projet
personnalisé agreement and the consents all use (`who_signs`).

An act concerns the person, her property, or both:
- the contract (contrat de séjour, DIPC, contrat de soutien et d'aide par le travail) concerns
  both: the person (her residence, her consent to be hosted — « La personne protégée choisit le
  lieu de sa résidence », C. civ. 459-2; CASF L311-4) and her property (the fees she undertakes
  to pay);
- the projet personnalisé agreement and the consents (to share information…) concern the
  person (CASF L311-3 3°);
- the designation of the personne de confiance has its own rule (CASF L311-5-1, CSP L1111-6).
CASF L311-4 al. 2: « En cas de mesure de protection juridique, les droits de la personne
accueillie sont exercés dans les conditions prévues au titre XI du livre Ier du code civil. »

For an adult, each measure in force that day (`LegalProtection.current_q`: a measure that has
not started yet does not count, nor a lifted one) acts on each side of the act according to its
kind, its scope (a measure covering property only counts only for the property side) and what
the judge decided (`_effect`, the table below, each line citing its article). For a minor, the
holders of parental authority who exercise it represent the child, whose opinion is sought
(`_minor`). The result is a small immutable value (`Signing`).

Settled by the texts (read, see the research notes of issue 11, §1–2):
- person side: the person decides alone (459 al. 1) unless the judge ordered assistance or
  authorised representation for personal acts (459 al. 2); residence stays her choice (459-2);
- curatelle: the curator assists, « par l'apposition de sa signature à côté de celle de la
  personne protégée » (467 al. 2), never substitutes (469), except the judge's authorisation to
  conclude alone « une convention d'hébergement » in curatelle renforcée (472 al. 2);
- tutelle: the tutor represents (473) in the management of property (474);
- habilitation familiale: representation, or assistance « dans les conditions prévues à
  l'article 467 » (494-1), générale or limited to listed acts (494-6);
- sauvegarde: the person keeps her rights but may not do an act for which a mandataire spécial
  was appointed (435), who is appointed for listed acts (437) and may get a mission of
  protection of the person (438);
- mandat de protection future: the mandataire represents within the mandate (477, 479);
- MASP (CASF L271-1) and MAJ (495-3: « n'entraîne aucune incapacité ») take no capacity away;
  the MJPM of a MAJ receives the prestations it covers (495-7): he is informed;
- minors: parental authority (371-1, 372), the parent without its exercise « doit être informé
  des choix importants » (373-2-1 al. 5); 372-2 presumes one parent's agreement for usual acts
  only; « L'avis du mineur doit être recueilli » (CASF D311 III), « Les parents associent
  l'enfant aux décisions qui le concernent, selon son âge et son degré de maturité » (371-1
  al. 4);
- personne de confiance: offered to adults only (« personne majeure », CASF L311-5-1; « Toute
  personne majeure », CSP L1111-6); under a measure with assistance or representation for
  personal acts, its designation needs the authorisation of the family council or the juge
  des tutelles (L311-5-1 al. 4; CSP L1111-6 for representation).

Cautious choices (ours, marked where they are made):
- curatelle simple, property side: the curator co-signs. Legally required only if the contract
  is an act that would need the judge's authorisation under tutelle (467 al. 1), which depends
  on its classification (décret 2008-1484) — non vérifié; a co-signature is never wrong.
- admission to an IME, a SESSAD… is not an « acte usuel » (doctrine; no primary text read):
  every holder exercising parental authority jointly signs, or gives a written agreement.
- a mandat de protection future with representation of the person: L311-5-1 al. 4 speaks of a
  « mesure de protection judiciaire », CSP L1111-6 of a « mesure de protection juridique »:
  the authorisation is required (the stricter reading).
- an incomplete birth date that leaves majority uncertain (`majority.py`): the person signs AND
  the holders of parental authority sign; no personne de confiance until certainly adult.
The judgement always prevails: its reference is recorded with the measure.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.core import dates

from .majority import Majority
from .models import (
    ALLOWED_PERSONAL_ACTS,
    LegalProtection,
    ParentalAuthority,
    ParentalRole,
    PersonalActs,
    ProtectionKind,
    ProtectionScope,
)


class Act(StrEnum):
    """The acts whose signatories the DUI needs."""

    CONTRACT = "contract"  # contrat de séjour, DIPC, contrat de soutien et d'aide par le travail
    PERSONAL_PLAN = "personal_plan"  # agreement of the projet personnalisé (and its avenant)
    SHARING_CONSENT = "sharing_consent"  # consent to share information, other consents
    TRUSTED_PERSON = "trusted_person"  # designation of the personne de confiance


class Side(StrEnum):
    PERSON = "person"  # acts relating to the person (residence, care, consent)
    ASSETS = "assets"  # acts on property (fees, undertaking to pay)


ACT_SIDES = {
    Act.CONTRACT: (Side.PERSON, Side.ASSETS),
    Act.PERSONAL_PLAN: (Side.PERSON,),
    Act.SHARING_CONSENT: (Side.PERSON,),
    Act.TRUSTED_PERSON: (Side.PERSON,),
}


class Role(StrEnum):
    SIGNS = "signs"  # signs for herself
    CO_SIGNS = "co_signs"  # assists: signs beside the person (C. civ. 467 al. 2)
    REPRESENTS = "represents"  # signs in the person's name
    CONSULTED = "consulted"  # takes part, gives her opinion (does not have to sign)
    INFORMED = "informed"  # is told, signs nothing

    @property
    def label(self) -> str:
        """The role in French, as forms and the contract say it."""
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.SIGNS: gettext_lazy("signe"),
    Role.CO_SIGNS: gettext_lazy("signe à ses côtés (assistance)"),
    Role.REPRESENTS: gettext_lazy("signe pour elle (représentation)"),
    Role.CONSULTED: gettext_lazy("donne son avis"),
    Role.INFORMED: gettext_lazy("est informé"),
}
SIGNING_ROLES = frozenset({Role.SIGNS, Role.CO_SIGNS, Role.REPRESENTS})
_ROLE_RANK = {
    Role.REPRESENTS: 0,
    Role.CO_SIGNS: 1,
    Role.SIGNS: 2,
    Role.CONSULTED: 3,
    Role.INFORMED: 4,
}


class Effect(StrEnum):
    """What one measure does to one side of an act."""

    ALONE = "alone"  # the person acts alone; the protector, if the side is his, is informed
    ASSISTED = "assisted"
    REPRESENTED = "represented"
    NONE = "none"  # the measure does not concern this side


@dataclass(frozen=True)
class Rule:
    effect: Effect
    article: str
    note: str = ""


@dataclass(frozen=True)
class MeasureFacts:
    """What the rules read of a measure (no database)."""

    kind: str
    scope: str = ProtectionScope.PERSON_AND_ASSETS
    personal_acts: str = PersonalActs.NONE
    listed_acts_only: bool = False
    covers_accommodation_contract: bool = False
    curator_signs_accommodation_alone: bool = False

    @classmethod
    def of(cls, protection: LegalProtection) -> "MeasureFacts":
        return cls(
            kind=protection.kind,
            scope=protection.scope,
            personal_acts=protection.personal_acts,
            listed_acts_only=protection.limited_to_listed_acts,
            covers_accommodation_contract=protection.covers_accommodation_contract,
            curator_signs_accommodation_alone=protection.curator_signs_accommodation_alone,
        )

    @property
    def covers_person(self) -> bool:
        return self.scope in (ProtectionScope.PERSON, ProtectionScope.PERSON_AND_ASSETS)

    @property
    def covers_assets(self) -> bool:
        return self.scope in (ProtectionScope.ASSETS, ProtectionScope.PERSON_AND_ASSETS)


K = ProtectionKind

# Property side of the contract, per measure (it applies only if the measure covers property).
_ASSETS_RULES = {
    K.SAUVEGARDE: Rule(Effect.ALONE, "C. civ. 435"),
    K.CURATELLE_SIMPLE: Rule(Effect.ASSISTED, "C. civ. 440, 467"),  # cautious, see above
    K.CURATELLE_RENFORCEE: Rule(Effect.ASSISTED, "C. civ. 467, 472"),
    K.TUTELLE: Rule(Effect.REPRESENTED, "C. civ. 473, 474"),
    K.HABILITATION_ASSISTANCE: Rule(Effect.ASSISTED, "C. civ. 494-1, 467"),
    K.HABILITATION_REPRESENTATION: Rule(Effect.REPRESENTED, "C. civ. 494-1, 494-6"),
    K.MANDAT_PROTECTION_FUTURE: Rule(Effect.REPRESENTED, "C. civ. 477, 479"),
    K.SAUVEGARDE_MANDATAIRE: Rule(Effect.REPRESENTED, "C. civ. 435, 437"),
    K.MASP: Rule(Effect.ALONE, "CASF L271-1"),
    K.MAJ: Rule(Effect.ALONE, "C. civ. 495-3, 495-7"),
}
# Measures whose protector is told of an act the person does alone on a side they cover.
_INFORMED_WHEN_ALONE = frozenset(set(K) - {K.SAUVEGARDE})


def rule(facts: MeasureFacts, side: Side, act: Act) -> Rule:
    """What a measure does to one side of an act: the table of this module, without the
    database (the protection form shows it for every kind)."""
    kind = K(facts.kind)
    if side == Side.ASSETS:
        if kind == K.SAUVEGARDE:
            return Rule(Effect.ALONE, "C. civ. 435")
        if not facts.covers_assets:
            return Rule(Effect.NONE, "")
        if kind == K.CURATELLE_RENFORCEE and facts.curator_signs_accommodation_alone:
            return Rule(Effect.REPRESENTED, "C. civ. 472 al. 2")
        if facts.listed_acts_only and not facts.covers_accommodation_contract:
            return Rule(
                Effect.ALONE,
                "C. civ. 437" if kind == K.SAUVEGARDE_MANDATAIRE else "C. civ. 494-6",
                _("le contrat ne figure pas parmi les actes confiés"),
            )
        return _ASSETS_RULES[kind]
    # Person side.
    if kind == K.SAUVEGARDE:
        return Rule(Effect.ALONE, "C. civ. 435")
    if (
        act == Act.CONTRACT
        and kind == K.CURATELLE_RENFORCEE
        and facts.curator_signs_accommodation_alone
    ):
        # « Sans préjudice des dispositions de l'article 459-2 »: the curator concludes, the
        # choice of residence stays the person's.
        return Rule(Effect.REPRESENTED, "C. civ. 472 al. 2, 459-2")
    if not facts.covers_person:
        return Rule(Effect.NONE, "")
    if facts.personal_acts == PersonalActs.ASSISTANCE:
        return Rule(Effect.ASSISTED, "C. civ. 459 al. 2")
    if facts.personal_acts == PersonalActs.REPRESENTATION:
        article = {
            K.MANDAT_PROTECTION_FUTURE: "C. civ. 479",
            K.SAUVEGARDE_MANDATAIRE: "C. civ. 438, 459 al. 2",
        }.get(kind, "C. civ. 459 al. 2")
        if act == Act.CONTRACT:
            return Rule(
                Effect.REPRESENTED,
                f"{article}, 459-2",
                _("le choix du lieu de résidence reste celui de la personne"),
            )
        return Rule(Effect.REPRESENTED, f"{article} ; CASF L311-3 3°")
    return Rule(
        Effect.ALONE, "C. civ. 459 al. 1, 459-2" if act == Act.CONTRACT else "C. civ. 459 al. 1"
    )


def protector_capacity(kind: str) -> str:
    return str(
        {
            K.SAUVEGARDE: gettext_lazy("mandataire"),
            K.SAUVEGARDE_MANDATAIRE: gettext_lazy("mandataire spécial"),
            K.CURATELLE_SIMPLE: gettext_lazy("curateur"),
            K.CURATELLE_RENFORCEE: gettext_lazy("curateur"),
            K.TUTELLE: gettext_lazy("tuteur"),
            K.HABILITATION_ASSISTANCE: gettext_lazy("personne habilitée"),
            K.HABILITATION_REPRESENTATION: gettext_lazy("personne habilitée"),
            K.MANDAT_PROTECTION_FUTURE: gettext_lazy("mandataire de protection future"),
            K.MASP: gettext_lazy("service qui exerce la MASP"),
            K.MAJ: gettext_lazy("mandataire judiciaire (MAJ)"),
        }[K(kind)]
    )


# --- The result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    """One party of the act and what they do."""

    role: Role
    name: str
    capacity: str  # « la personne », « curateur », « mère »…
    sides: tuple[Side, ...]
    article: str
    party: object = None  # the Person, a Contact or a Partner; None if the record lacks it
    source: object = None  # the LegalProtection or ParentalAuthority it comes from

    @property
    def signs(self) -> bool:
        return self.role in SIGNING_ROLES

    @property
    def is_the_person(self) -> bool:
        return self.source is None and self.party is not None


@dataclass(frozen=True)
class Signing:
    """Who signs `act` for `person` on `on`, and why."""

    person: object
    act: Act
    on: date
    majority: Majority
    signatories: tuple[Signatory, ...]
    refusal: str = ""  # the act is not open to this person (a personne de confiance for a minor)
    authorisation_required: bool = False  # judge or family council (trusted person designation)
    minor_opinion_required: bool = False
    warnings: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    measures: tuple = field(default=(), repr=False)  # the LegalProtection rows in force
    authorities: tuple = field(default=(), repr=False)  # the ParentalAuthority rows in force

    @property
    def signers(self) -> tuple[Signatory, ...]:
        return tuple(s for s in self.signatories if s.signs)

    @property
    def informed(self) -> tuple[Signatory, ...]:
        return tuple(s for s in self.signatories if s.role == Role.INFORMED)

    @property
    def person_signs(self) -> bool:
        return any(s.is_the_person and s.signs for s in self.signatories)

    def role_of(self, party) -> Role | None:
        for signatory in self.signatories:
            if _same(signatory.party, party):
                return signatory.role
        return None

    @property
    def sentence(self) -> str:
        """One French sentence for the header and the contract."""
        return _sentence(self)


def _same(a, b) -> bool:
    return a is not None and b is not None and type(a) is type(b) and a.pk == b.pk


# --- The function -----------------------------------------------------------------------------


def who_signs(person, act: Act | str = Act.CONTRACT, on: date | None = None) -> Signing:
    """Who signs `act` for `person` on `on` (today by default). Two queries: the measures in
    force and the parental authority, with who exercises them."""
    act = Act(act)
    on = on or dates.today()
    majority = person.majority_on(on)
    measures = tuple(
        LegalProtection.objects.current(on)
        .filter(person=person)
        .select_related("representative_contact", "representative_partner")
        .order_by("started_on", "pk")
    )
    authorities = ()
    if majority != Majority.ADULT:
        authorities = tuple(
            row
            for row in ParentalAuthority.objects.current(on)
            .filter(person=person)
            .select_related("holder_contact", "holder_partner", "person")
            .order_by("started_on", "pk")
            if row.is_current_on(on)
        )
    return signing_for(
        person, act=act, on=on, majority=majority, measures=measures, authorities=authorities
    )


def signing_for(
    person, *, act: Act, on: date, majority: Majority, measures, authorities
) -> Signing:
    """`who_signs` on rows already read (the header reads them once for its own display)."""
    entries: list[Signatory] = []
    warnings: list[str] = []
    articles: list[str] = ["CASF L311-4"] if act == Act.CONTRACT else []
    refusal = ""
    authorisation = False
    if act == Act.TRUSTED_PERSON and majority != Majority.ADULT:
        refusal = (
            _(
                "La personne de confiance n'est proposée qu'aux personnes majeures (CASF "
                "L311-5-1, CSP L1111-6)."
            )
            if majority == Majority.MINOR
            else _(
                "La date de naissance incomplète ne permet pas d'établir que la personne est "
                "majeure à cette date : la personne de confiance n'est proposée qu'aux personnes "
                "majeures (CASF L311-5-1, CSP L1111-6)."
            )
        )
        return Signing(
            person=person,
            act=act,
            on=on,
            majority=majority,
            signatories=(),
            refusal=refusal,
            articles=("CASF L311-5-1", "CSP L1111-6"),
            measures=tuple(measures),
            authorities=tuple(authorities),
        )
    if majority != Majority.ADULT:
        _minor(person, act, authorities, entries, warnings, articles)
    if majority != Majority.MINOR:
        authorisation = _adult(person, act, measures, entries, warnings, articles)
    if majority == Majority.UNCERTAIN:
        warnings.append(
            _(
                "Date de naissance incomplète : la majorité de la personne à cette date est "
                "incertaine. Par prudence, la personne signe et les titulaires de l'autorité "
                "parentale signent aussi."
            )
        )
    return Signing(
        person=person,
        act=act,
        on=on,
        majority=majority,
        signatories=_merge(entries),
        refusal=refusal,
        authorisation_required=authorisation,
        minor_opinion_required=majority != Majority.ADULT,
        warnings=tuple(dict.fromkeys(warnings)),
        articles=tuple(dict.fromkeys(articles)),
        measures=tuple(measures),
        authorities=tuple(authorities),
    )


def _person_entry(person, role: Role, sides, article: str, capacity=None) -> Signatory:
    return Signatory(
        role=role,
        name=person.display_name,
        capacity=capacity or _("la personne"),
        sides=tuple(sides),
        article=article,
        party=person,
    )


def _protector_entry(measure: LegalProtection, role: Role, side: Side, article: str) -> Signatory:
    party = measure.representative_contact or measure.representative_partner
    return Signatory(
        role=role,
        name=measure.representative_name or _("(représentant non indiqué)"),
        capacity=protector_capacity(measure.kind),
        sides=(side,),
        article=article,
        party=party,
        source=measure,
    )


def _adult(person, act, measures, entries, warnings, articles) -> bool:
    """The adult's side of the act, measure by measure and side by side. Returns whether the
    designation of a personne de confiance needs an authorisation."""
    if act == Act.TRUSTED_PERSON:
        return _trusted_person(person, measures, entries, articles)
    for side in ACT_SIDES[act]:
        rules = [(m, rule(MeasureFacts.of(m), side, act)) for m in measures]
        represented = [(m, r) for m, r in rules if r.effect == Effect.REPRESENTED]
        assisted = [(m, r) for m, r in rules if r.effect == Effect.ASSISTED]
        if represented:
            for m, r in represented:
                entries.append(_protector_entry(m, Role.REPRESENTS, side, r.article))
                articles.append(r.article)
            entries.append(
                _person_entry(
                    person,
                    Role.CONSULTED,
                    (side,),
                    "CASF D311 III, L311-3 3°" if act == Act.CONTRACT else "CASF L311-3 3°",
                )
            )
        else:
            article = assisted[0][1].article if assisted else _alone_article(rules)
            entries.append(_person_entry(person, Role.SIGNS, (side,), article))
            for m, r in assisted:
                entries.append(_protector_entry(m, Role.CO_SIGNS, side, r.article))
                articles.append(r.article)
        for m, r in rules:
            if r.effect == Effect.ALONE and m.kind in _INFORMED_WHEN_ALONE and _exercised(m):
                entries.append(_protector_entry(m, Role.INFORMED, side, r.article))
            if r.effect in (Effect.ASSISTED, Effect.REPRESENTED) and not _exercised(m):
                warnings.append(
                    _(
                        "%(kind)s : la personne qui exerce la mesure n'est pas indiquée ; "
                        "complétez la mesure avant de faire signer."
                    )
                    % {"kind": m.get_kind_display()}
                )
            if r.note:
                warnings.append(f"{m.get_kind_display()} : {r.note}.")
    if not measures:
        articles.append("C. civ. 414")
    return False


def _trusted_person(person, measures, entries, articles) -> bool:
    """The designation is the person's own act, in writing (L311-5-1, L1111-6); under a
    measure with assistance or representation for personal acts it needs the authorisation of
    the family council or the juge des tutelles (L311-5-1 al. 4; CSP L1111-6 for
    representation), and the protector of the person is told."""
    entries.append(_person_entry(person, Role.SIGNS, (Side.PERSON,), "CASF L311-5-1, CSP L1111-6"))
    articles.extend(["CASF L311-5-1", "CSP L1111-6"])
    authorisation = False
    for m in measures:
        if not m.covers_person or m.personal_acts == PersonalActs.NONE:
            continue
        authorisation = True
        article = (
            "CASF L311-5-1 al. 4 ; CSP L1111-6"
            if m.personal_acts == PersonalActs.REPRESENTATION
            else "CASF L311-5-1 al. 4"
        )
        articles.append(article)
        if _exercised(m):
            entries.append(_protector_entry(m, Role.INFORMED, Side.PERSON, article))
    return authorisation


def _exercised(measure: LegalProtection) -> bool:
    return bool(measure.representative_contact_id or measure.representative_partner_id)


def _alone_article(rules) -> str:
    for _m, r in rules:
        if r.effect == Effect.ALONE:
            return r.article
    return "C. civ. 414"


def _minor(person, act, authorities, entries, warnings, articles) -> None:
    """A minor: the holders who exercise parental authority represent the child; the parent
    without its exercise and the service to whom the child is confié are informed; the child's
    opinion is sought."""
    sides = ACT_SIDES[act]
    exercising = [a for a in authorities if a.exercises]
    for authority in authorities:
        if authority.exercises:
            article = {
                ParentalRole.PARENT: "C. civ. 371-1, 372",
                ParentalRole.TUTOR: "C. civ. 390, 408",
                ParentalRole.DELEGATE: "C. civ. 377",
            }.get(ParentalRole(authority.role), "C. civ. 371-1")
            role = Role.REPRESENTS
        elif authority.role == ParentalRole.CUSTODIAN:
            article, role = "C. civ. 373-4, 375-7", Role.INFORMED
        else:
            article, role = "C. civ. 373-2-1", Role.INFORMED
        entries.append(
            Signatory(
                role=role,
                name=authority.holder_name,
                capacity=authority.capacity,
                sides=sides,
                article=article,
                party=authority.holder,
                source=authority,
            )
        )
        articles.append(article)
    opinion = {
        Act.CONTRACT: "CASF D311 III ; C. civ. 371-1 al. 4",
        Act.PERSONAL_PLAN: "C. civ. 371-1 al. 4 ; CASF L311-3 3°",
        Act.SHARING_CONSENT: "CASF L311-3 3° ; C. civ. 371-1 al. 4",
    }[act]
    entries.append(_person_entry(person, Role.CONSULTED, sides, opinion, capacity=_("l'enfant")))
    articles.append(opinion)
    if not exercising:
        warnings.append(
            _(
                "Aucun titulaire de l'autorité parentale n'est enregistré : enregistrez les "
                "parents (ou le tuteur, le délégataire) dans l'entourage avant de faire signer."
            )
        )
    elif any(a.exercise == "joint" for a in exercising) and len(exercising) < 2:
        warnings.append(
            _(
                "L'autorité parentale s'exerce en commun mais un seul titulaire est enregistré : "
                "les deux signent (l'admission n'est pas un acte usuel, C. civ. 372-2), ou "
                "l'autre donne son accord écrit. Enregistrez le second titulaire."
            )
        )
    if any(a.role == ParentalRole.DELEGATE for a in exercising):
        warnings.append(
            _(
                "Délégation de l'autorité parentale : le délégataire signe dans les limites du "
                "jugement de délégation (C. civ. 377)."
            )
        )


def _merge(entries: list[Signatory]) -> tuple[Signatory, ...]:
    """One line per party: its strongest role, with the sides where it has that role."""
    merged: list[Signatory] = []
    for entry in entries:
        for index, kept in enumerate(merged):
            if not (
                (entry.party is not None and _same(entry.party, kept.party))
                or (entry.party is None and kept.party is None and entry.source is kept.source)
            ):
                continue
            if _ROLE_RANK[entry.role] < _ROLE_RANK[kept.role]:
                merged[index] = entry
            elif entry.role == kept.role:
                sides = tuple(dict.fromkeys(kept.sides + entry.sides))
                article = (
                    kept.article
                    if entry.article in kept.article
                    else (f"{kept.article} ; {entry.article}")
                )
                merged[index] = Signatory(
                    role=kept.role,
                    name=kept.name,
                    capacity=kept.capacity,
                    sides=sides,
                    article=article,
                    party=kept.party,
                    source=kept.source,
                )
            break
        else:
            merged.append(entry)
    merged.sort(key=lambda s: (_ROLE_RANK[s.role], not s.is_the_person))
    return tuple(merged)


# --- Words ------------------------------------------------------------------------------------


def _who(signatory: Signatory) -> str:
    return f"{signatory.name} ({signatory.capacity})"


def _qualifier(signing: Signing, signatory: Signatory) -> str:
    if signing.act != Act.CONTRACT or len(signatory.sides) != 1:
        return ""
    return {
        Side.PERSON: _(" pour son accueil"),
        Side.ASSETS: _(" pour les frais de séjour"),
    }[signatory.sides[0]]


def _sentence(signing: Signing) -> str:
    if signing.refusal:
        return signing.refusal
    parts: list[str] = []
    by_role: dict[Role, list[Signatory]] = {}
    for s in signing.signatories:
        by_role.setdefault(s.role, []).append(s)
    minor = signing.majority != Majority.ADULT
    for s in by_role.get(Role.SIGNS, []):
        if s.is_the_person:
            parts.append(
                (
                    _("La personne signe")
                    if by_role.get(Role.CO_SIGNS) or by_role.get(Role.REPRESENTS)
                    else _("La personne signe seule")
                )
                + _qualifier(signing, s)
            )
    for s in by_role.get(Role.CO_SIGNS, []):
        parts.append(
            _("%(who)s l'assiste et signe à côté d'elle%(for)s")
            % {"who": _who(s), "for": _qualifier(signing, s)}
        )
    representatives = by_role.get(Role.REPRESENTS, [])
    if representatives:
        if minor:
            parts.append(
                _("%(who)s signe%(plural)s pour l'enfant")
                % {
                    "who": _(" et ").join(_who(s) for s in representatives),
                    "plural": "nt" if len(representatives) > 1 else "",
                }
            )
        else:
            for s in representatives:
                parts.append(
                    _("%(who)s signe au nom de la personne%(for)s")
                    % {"who": _who(s), "for": _qualifier(signing, s)}
                )
    for s in by_role.get(Role.CONSULTED, []):
        if s.is_the_person:
            parts.append(
                _("l'avis de l'enfant est recueilli")
                if minor
                else _("la personne participe et donne son avis")
            )
    informed = by_role.get(Role.INFORMED, [])
    if informed:
        parts.append(
            _("%(who)s %(verb)s informé(e)%(plural)s")
            % {
                "who": _(" et ").join(_who(s) for s in informed),
                "verb": _("sont") if len(informed) > 1 else _("est"),
                "plural": "s" if len(informed) > 1 else "",
            }
        )
    if signing.authorisation_required:
        parts.append(
            _("la désignation demande l'autorisation du juge des tutelles ou du conseil de famille")
        )
    if not parts:
        return ""
    text = " ; ".join(parts)
    return text[0].upper() + text[1:] + "."


# --- Checking who actually signed (the contract, the plan, the consents) -----------------------


def check_signatures(
    signing: Signing,
    *,
    person_signed: bool,
    signed_by: Iterable = (),
    written_agreement_of: Iterable = (),
    field: str = "representative",
) -> None:
    """Refuse, with a French message next to `field`, a signature that does not match
    `signing`: someone signing who may not (a parent without parental authority, a relative
    who represents nobody), or a required signature missing (a curator signing without the
    person, the person without her curator, one parent of two). `signed_by`: the Contact and
    Partner rows who signed beside or for the person; `written_agreement_of`: holders of a
    joint parental authority who gave their written agreement instead of signing."""
    if signing.refusal:
        raise ValidationError({field: signing.refusal}, code="act_not_open")
    signed_by = list(signed_by)
    agreed = list(written_agreement_of)
    errors: list[str] = []
    minor = signing.majority == Majority.MINOR
    for party in signed_by:
        role = signing.role_of(party)
        if role in SIGNING_ROLES:
            continue
        name = getattr(party, "display_name", None) or str(party)
        authority = _authority_of(signing, party)
        if authority is not None and not authority.exercises:
            errors.append(
                _(
                    "%(name)s n'exerce pas l'autorité parentale : il ou elle ne peut pas signer "
                    "pour l'enfant (C. civ. 373-2-1) et doit seulement être informé(e)."
                )
                % {"name": name}
            )
        elif minor or signing.majority == Majority.UNCERTAIN:
            errors.append(
                _(
                    "%(name)s n'est pas titulaire de l'autorité parentale de l'enfant : seuls "
                    "ses titulaires signent pour lui (C. civ. 371-1)."
                )
                % {"name": name}
            )
        else:
            errors.append(
                _(
                    "%(name)s ne représente pas la personne et ne l'assiste pas pour cet acte : "
                    "sa signature n'a pas de valeur ici."
                )
                % {"name": name}
            )
    for signatory in signing.signers:
        if signatory.is_the_person:
            if person_signed:
                continue
            co_signers = [s for s in signing.signers if s.role == Role.CO_SIGNS]
            if co_signers and any(_signed(s, signed_by) for s in co_signers):
                errors.append(
                    _(
                        "Un %(capacity)s ne signe pas seul : la personne signe elle-même, et "
                        "%(capacity)s signe à côté d'elle (C. civ. 467 al. 2, 469)."
                    )
                    % {"capacity": co_signers[0].capacity}
                )
            else:
                errors.append(_("La signature de la personne manque : elle signe elle-même."))
            continue
        if _signed(signatory, signed_by) or (
            signatory.source is not None
            and isinstance(signatory.source, ParentalAuthority)
            and _signed(signatory, agreed)
        ):
            continue
        if signatory.party is None:
            errors.append(
                _("%(capacity)s : la personne qui exerce la mesure n'est pas indiquée.")
                % {"capacity": signatory.capacity}
            )
        elif signatory.role == Role.CO_SIGNS:
            errors.append(
                _(
                    "La personne signe avec l'assistance de %(who)s, qui signe à côté d'elle "
                    "(%(article)s) : sa signature manque."
                )
                % {"who": _who(signatory), "article": signatory.article}
            )
        else:
            errors.append(
                _("La signature de %(who)s manque (%(article)s).")
                % {"who": _who(signatory), "article": signatory.article}
            )
    if errors:
        raise ValidationError({field: list(dict.fromkeys(errors))}, code="wrong_signatories")


def _signed(signatory: Signatory, parties) -> bool:
    return any(_same(signatory.party, party) for party in parties)


def _authority_of(signing: Signing, party):
    for authority in signing.authorities:
        if _same(authority.holder, party):
            return authority
    return None


# --- The table shown with the protection form -------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    label: str
    person_side: str
    assets_side: str
    article: str


_EFFECT_WORDS = {
    Effect.ALONE: gettext_lazy("la personne signe seule"),
    Effect.ASSISTED: gettext_lazy("la personne signe, le %(who)s signe à côté d'elle"),
    Effect.REPRESENTED: gettext_lazy("le %(who)s signe au nom de la personne"),
    Effect.NONE: gettext_lazy("la personne signe seule"),
}


def rules_table() -> list[TableRow]:
    """The contract's signatories per kind of measure covering person and property, without
    and with the judge's decision on personal acts (`rule`, the same table as `who_signs`)."""
    rows = []
    for kind, label in ProtectionKind.choices:
        allowed = _allowed_personal_acts(kind)
        for personal_acts in allowed:
            facts = MeasureFacts(kind=kind, personal_acts=personal_acts)
            person, assets = (rule(facts, side, Act.CONTRACT) for side in Side)
            who = protector_capacity(kind)
            title = str(label)
            if len(allowed) > 1:
                title += f" — {str(PersonalActs(personal_acts).label).lower()}"
            rows.append(
                TableRow(
                    label=title,
                    person_side=str(_EFFECT_WORDS[person.effect]) % {"who": who},
                    assets_side=str(_EFFECT_WORDS[assets.effect]) % {"who": who},
                    article=" ; ".join(
                        dict.fromkeys(a for a in (person.article, assets.article) if a)
                    ),
                )
            )
    return rows


def _allowed_personal_acts(kind: str) -> list[str]:
    allowed = ALLOWED_PERSONAL_ACTS[K(kind)]
    return [code for code in PersonalActs.values if code in allowed]
