"""What fills a demo person's record: entourage, parental authority (minors), protection,
administrative file, social aids, identity evidence, allergies, alerts and stays on real places.

Written in bulk, with the history rows the services would have written, a few thousand persons
at a time (memory stays flat at 50,000 persons). The showcase persons get what their plan says
(`data.PersonPlan`); the others get shares of everything (`data.*_SHARE`).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from faker import Faker

from dui.access.models import MembershipReason
from dui.care.models import Allergy
from dui.coordination.models import Partner, PartnerKind
from dui.core import dates
from dui.demo.care_appointments import seed_appointments
from dui.demo.care_incidents import seed_incidents
from dui.demo.care_observations import seed_observations
from dui.demo.care_plan import seed_care_plans
from dui.organisation.models import Place, PlaceKind
from dui.people.majority import Majority
from dui.people.models import (
    AdministrativeFile,
    AuthorityDecisionKind,
    AuthorityExercise,
    Contact,
    GuardianRelation,
    IdentityEvidence,
    IdentityStatus,
    LegalProtection,
    ParentalAuthority,
    ParentalRole,
    PersonAlert,
    ProtectionKind,
    Relationship,
    SocialAid,
    SocialAidKind,
)
from dui.stays.models import (
    AbsenceKind,
    Attendance,
    AttendanceKind,
    AttendanceStatus,
    Stay,
)

from . import care_background, data
from .care_notes import seed_notes

if TYPE_CHECKING:
    from .seeding import DemoSeeder, PersonDraft

CHUNK = 2000
ADULT_AGE = 18
# Protections a relative exercises only if there is one; otherwise the association does.
NEEDS_REPRESENTATIVE = {
    ProtectionKind.TUTELLE,
    ProtectionKind.CURATELLE_SIMPLE,
    ProtectionKind.CURATELLE_RENFORCEE,
    ProtectionKind.HABILITATION_ASSISTANCE,
    ProtectionKind.HABILITATION_REPRESENTATION,
    ProtectionKind.MANDAT_PROTECTION_FUTURE,
}
# The demo data names documents as it always did; the record stores FR Core codes.
EVIDENCE_CODES = {"identity_card": "CN", "passport": "PA", "residence_permit": "CS"}
STAY_REASONS = (MembershipReason.STAY, MembershipReason.TRANSFER)


def weighted(rng: random.Random, choices) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Chunk:
    """The rows of a few thousand persons, created together."""

    contacts: list
    authorities: list  # (ParentalAuthority, holder Contact)
    protections: list  # (LegalProtection, representative Contact or None)
    files: list
    aids: list
    evidence: list
    allergies: list
    alerts: list
    stays: list


class RecordSeeder:
    def __init__(self, seeder: DemoSeeder, *, documents: dict | None = None):
        self.seeder = seeder
        self.rng = seeder.rng
        self.today = seeder.today
        self.report = seeder.report
        # Documents of the showcase persons, by person pk then kind (see DemoSeeder).
        self.documents = documents or {}
        fake = Faker("fr_FR")
        fake.seed_instance(self.rng.getrandbits(32))
        # Drawn once: Faker is slow per call, and a pool of fictional streets and names is
        # as believable as fresh draws.
        self.streets = [fake.street_address() for _ in range(800)]
        self.last_names = [fake.last_name() for _ in range(1500)]
        self.young_women = [fake.first_name_female() for _ in range(300)]
        self.young_men = [fake.first_name_male() for _ in range(300)]
        self.partners = self._partners()
        self.free_places = self._free_places()
        self.secretaries = {
            key: seeder.users[username] for key, username in data.secretary_usernames().items()
        }
        self.carers = {
            key: seeder.users[username] for key, username in data.carer_usernames().items()
        }

    # -- set-up ---------------------------------------------------------------------------

    def _partners(self) -> dict[str, list[Partner]]:
        organisation_ids = {
            s.establishment.organisation_id for s in self.seeder.establishments.values()
        }
        partners = defaultdict(list)
        for partner in Partner.objects.filter(
            organisation_id__in=organisation_ids, is_active=True
        ).order_by("name"):
            partners[partner.kind].append(partner)
        return partners

    def _free_places(self) -> dict[int, list[Place]]:
        """Places of each unit nobody currently occupies, in room order."""
        occupied = set(
            Stay.objects.not_ended(self.today)
            .filter(place__isnull=False)
            .values_list("place_id", flat=True)
        )
        kind_order = {PlaceKind.PERMANENT: 0, PlaceKind.TEMPORARY: 1, PlaceKind.DAY_CARE: 2}
        free = defaultdict(list)
        places = Place.objects.filter(is_active=True).exclude(pk__in=occupied)
        for place in sorted(
            places, key=lambda p: (kind_order.get(p.kind, 3), len(p.label), p.label)
        ):
            free[place.unit_id].append(place)
        return free

    # -- the whole run --------------------------------------------------------------------

    def seed(self, drafts: list[PersonDraft]) -> None:
        for start in range(0, len(drafts), CHUNK):
            chunk = Chunk([], [], [], [], [], [], [], [], [])
            for draft in drafts[start : start + CHUNK]:
                self._person_records(draft, chunk)
            self._write(chunk)
            care_background.seed_background(self, drafts[start : start + CHUNK], chunk.allergies)

    def _write(self, chunk: Chunk) -> None:
        seeder = self.seeder
        create = seeder.bulk_create
        create(Contact, chunk.contacts, "contacts")
        authorities = []
        for authority, contact in chunk.authorities:
            authority.holder_contact = contact  # now that the contact has its pk
            authorities.append(authority)
        create(ParentalAuthority, authorities, "parental authorities")
        protections = []
        for protection, contact in chunk.protections:
            protection.representative_contact = contact  # now that the contact has its pk
            protections.append(protection)
        create(LegalProtection, protections, "legal protections")
        create(AdministrativeFile, chunk.files, "administrative files")
        create(SocialAid, chunk.aids, "social aids")
        create(IdentityEvidence, chunk.evidence, "identity evidence")
        create(Allergy, chunk.allergies, "allergies")
        create(PersonAlert, chunk.alerts, "alerts")
        create(Stay, chunk.stays, "stays")
        seed_notes(self.seeder, chunk.stays)
        seed_observations(self.seeder, chunk.stays, carers=self.carers)
        create(Attendance, self._absences(chunk.stays), "absences")
        seed_care_plans(seeder, chunk.stays, self.carers)  # issue 13: care plans and records
        seed_incidents(seeder, chunk.stays, carers=self.carers)  # issue 13: falls and wounds
        seed_appointments(seeder, chunk.stays, self.carers)  # issue 13: external care

    # -- one person -----------------------------------------------------------------------

    def _person_records(self, draft: PersonDraft, chunk: Chunk) -> None:
        person = draft.person
        key = draft.establishment_key
        secretary = self.secretaries[key]
        age = person.age
        known_since = dates.date_of(draft.first_seen)
        contacts = self._entourage(draft, age=age, known_since=known_since, author=secretary)
        chunk.contacts.extend(contacts)
        if person.majority_on(self.today) != Majority.ADULT:
            chunk.authorities.extend(self._parental_authority(draft, contacts, author=secretary))
        protection = self._protection(draft, contacts, age=age, known_since=known_since)
        if protection:
            protection[0].created_by = protection[0].updated_by = secretary
            chunk.protections.append(protection)
        chunk.files.append(self._administrative_file(draft, contacts, author=secretary))
        chunk.aids.extend(self._social_aids(draft, age=age, author=secretary))
        if person.identity_status in (IdentityStatus.VALIDATED, IdentityStatus.QUALIFIED):
            chunk.evidence.append(self._evidence(draft, known_since=known_since, author=secretary))
        chunk.allergies.extend(self._allergies(draft, known_since=known_since))
        chunk.alerts.extend(self._alerts(draft, age=age))
        chunk.stays.extend(self._stays(draft, author=secretary))

    def _phone(self, mobile: bool = True) -> str:
        prefix = data.MOBILE_PREFIX if mobile else data.LANDLINE_PREFIX
        return f"{prefix} {self.rng.randint(0, 99):02d} {self.rng.randint(0, 99):02d}"

    def _address(self) -> str:
        postcode, town = self.rng.choice(data.TOWNS)
        return f"{self.rng.choice(self.streets)}\n{postcode} {town}"

    def _entourage(self, draft, *, age: int, known_since: date, author) -> list[Contact]:
        rng = self.rng
        person = draft.person
        contacts: list[Contact] = []

        def contact(last_name, first_name, relationship, detail, *, mobile=True):
            c = Contact(
                public_id=self.seeder._uuid(),
                person=person,
                last_name=last_name,
                first_name=first_name,
                relationship=relationship,
                relationship_detail=detail,
                phone=self._phone(mobile),
                address=self._address(),
                created_by=author,
                updated_by=author,
            )
            contacts.append(c)
            return c

        if draft.young:
            # A child or young adult of the IME: their parents.
            mother = rng.random() < 0.85
            father = rng.random() < 0.7 or not mother
            if mother:
                last = person.birth_name if rng.random() < 0.6 else rng.choice(self.last_names)
                contact(last, rng.choice(self.young_women), Relationship.PARENT, "mère")
            if father:
                contact(person.birth_name, rng.choice(self.young_men), Relationship.PARENT, "père")
            for c in contacts:
                c.is_emergency_contact = True
        else:
            family_name = person.birth_name if person.sex == "M" else person.used_name
            family_name = family_name or rng.choice(self.last_names)
            for index in range(weighted(rng, ((0, 15), (1, 30), (2, 35), (3, 20)))):
                daughter = rng.random() < 0.55
                if daughter:
                    last = family_name if rng.random() < 0.5 else rng.choice(self.last_names)
                    first = rng.choice(data.MIDDLE_AGED_WOMEN_FIRST_NAMES)
                else:
                    last, first = family_name, rng.choice(data.MIDDLE_AGED_MEN_FIRST_NAMES)
                detail = "fille" if daughter else "fils"
                if index == 0:
                    detail += " aînée" if daughter else " aîné"
                contact(last, first, Relationship.CHILD, detail)
            if rng.random() < 0.2:
                pool = (
                    data.OLDER_MEN_FIRST_NAMES
                    if person.sex == "F"
                    else data.OLDER_WOMEN_FIRST_NAMES
                )
                contact(family_name, rng.choice(pool), Relationship.SPOUSE, "", mobile=False)
            if not contacts:
                niece = rng.random() < 0.5
                pool = (
                    data.MIDDLE_AGED_WOMEN_FIRST_NAMES
                    if niece
                    else data.MIDDLE_AGED_MEN_FIRST_NAMES
                )
                contact(
                    rng.choice(self.last_names),
                    rng.choice(pool),
                    Relationship.OTHER_FAMILY,
                    "nièce" if niece else "neveu",
                )
            if rng.random() < 0.15:
                relationship = rng.choice((Relationship.FRIEND, Relationship.NEIGHBOUR))
                contact(
                    rng.choice(self.last_names),
                    rng.choice(data.OLDER_WOMEN_FIRST_NAMES),
                    relationship,
                    "",
                    mobile=False,
                )
            for c in contacts[: rng.choice((1, 1, 2))]:
                c.is_emergency_contact = True
        referent = contacts[0]
        referent.is_family_referent = True
        showcase = draft.showcase
        wants_trusted = (
            showcase.trusted_person
            if showcase
            else age >= ADULT_AGE
            and rng.random() < (data.TRUSTED_PERSON_SHARE if age >= 60 else 0.3)
        )
        if wants_trusted and age >= ADULT_AGE:
            # CASF L311-5-1: proposed at admission; one trusted person at a time.
            referent.is_trusted_person = True
            referent.trusted_person_designated_on = min(
                self.today, known_since + timedelta(days=rng.randint(1, 30))
            )
            document = self.documents.get(person.pk, {}).get("trusted_person_form")
            if document:
                referent.trusted_person_form = document
        return contacts

    def _parental_authority(self, draft, contacts, *, author) -> list:
        """A minor's parents hold parental authority together, from birth (C. civ. 371-1,
        372): one line per parent of the entourage."""
        rows = []
        for contact in contacts:
            if contact.relationship != Relationship.PARENT:
                continue
            relation = (
                GuardianRelation.MOTHER
                if contact.relationship_detail == "mère"
                else GuardianRelation.FATHER
            )
            authority = ParentalAuthority(
                public_id=self.seeder._uuid(),
                person=draft.person,
                role=ParentalRole.PARENT,
                exercise=AuthorityExercise.JOINT,
                relation=relation,
                started_on=draft.person.birth_date,
                decision_kind=AuthorityDecisionKind.FILIATION,
                created_by=author,
                updated_by=author,
            )
            rows.append((authority, contact))
        return rows

    def _protection(self, draft, contacts, *, age: int, known_since: date):
        rng = self.rng
        showcase = draft.showcase
        if showcase:
            if not showcase.protection:
                return None
            kind, by = showcase.protection
        else:
            share = data.PROTECTED_SHARE if age >= 60 else 0.3 if age >= ADULT_AGE else 0
            if rng.random() >= share:
                return None
            kind = weighted(rng, data.PROTECTIONS)
            by = "mandataire" if rng.random() < data.MANDATAIRE_SHARE else "family"
            if kind in data.FAMILY_ONLY_PROTECTIONS or age < 60:
                by = "family"
        family = [
            c
            for c in contacts
            if c.relationship in (Relationship.CHILD, Relationship.SPOUSE, Relationship.PARENT)
        ]
        mandataires = self.partners.get(PartnerKind.PROTECTION_SERVICE, [])
        if by == "family" and not family:
            by = "mandataire"
        if by == "mandataire" and not mandataires:
            return None
        if by == "mandataire" and kind in data.FAMILY_ONLY_PROTECTIONS:
            kind = ProtectionKind.TUTELLE
        earliest = max(
            # A measure for adults takes effect at 18 at the earliest (C. civ. 425, 429).
            years_later(draft.person.birth_date, ADULT_AGE),
            known_since - timedelta(days=3 * 365),
        )
        latest = min(self.today - timedelta(days=7), known_since + timedelta(days=365))
        started_on = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
        started_on = min(started_on, self.today)
        # Measures are reviewed every 5 years (sauvegarde: 1 year); a lapsed one was renewed.
        term = 1 if kind == ProtectionKind.SAUVEGARDE else 5
        review_on = years_later(started_on, term)
        while review_on < self.today - timedelta(days=60):
            review_on = years_later(review_on, term)
        protection = LegalProtection(
            public_id=self.seeder._uuid(),
            person=draft.person,
            kind=kind,
            started_on=started_on,
            review_on=review_on,
            court=rng.choice(data.COURTS),
            judgement_reference=f"RG {started_on.year % 100:02d}/{rng.randint(100, 9999):05d}",
            judgement_date=started_on,
            judgement_document=self.documents.get(draft.person.pk, {}).get("judgement"),
        )
        representative = None
        if by == "family":
            representative = family[0]
        elif kind in NEEDS_REPRESENTATIVE or kind == ProtectionKind.SAUVEGARDE:
            protection.representative_partner = rng.choice(mandataires)
            if kind == ProtectionKind.SAUVEGARDE:
                # A mandataire spécial, appointed for the management of the property (437).
                protection.kind = ProtectionKind.SAUVEGARDE_MANDATAIRE
                protection.acts_listed = True
                protection.scope = "assets"
        if kind == ProtectionKind.SAUVEGARDE and by == "family":
            representative = None  # the person keeps their rights: nobody signs for them
        return protection, representative

    def _administrative_file(self, draft, contacts, *, author) -> AdministrativeFile:
        rng = self.rng
        person = draft.person
        young = draft.young
        scheme, fund = weighted(rng, [((s, f), w) for s, f, w in data.INSURANCE])
        solidarity = rng.random() < data.SOLIDARITY_SHARE
        insured = rng.random() < 0.9 or solidarity
        if young:
            postcode_town = contacts[0].address.split("\n")[-1]
            street = contacts[0].address.split("\n")[0]
        else:
            postcode, town = rng.choice(data.TOWNS)
            postcode_town, street = f"{postcode} {town}", rng.choice(self.streets)
        postcode, town = postcode_town.split(" ", 1)
        gps = self.partners.get(PartnerKind.GENERAL_PRACTITIONER, [])
        return AdministrativeFile(
            public_id=self.seeder._uuid(),
            person=person,
            previous_address=street,
            previous_postcode=postcode,
            previous_city=town,
            insured_number=draft.insured_number,
            scheme=scheme,
            insurance_fund=fund,
            long_term_condition=rng.random()
            < data.LONG_TERM_CONDITION_SHARE["young" if young else "elderly"],
            complementary_name=""
            if solidarity or not insured
            else rng.choice(data.COMPLEMENTARY_INSURERS),
            complementary_number=""
            if solidarity or not insured
            else f"{rng.randint(10**7, 10**8 - 1)}",
            complementary_solidarity=solidarity,
            general_practitioner=rng.choice(gps) if gps and rng.random() < 0.9 else None,
            created_by=author,
            updated_by=author,
        )

    def _social_aids(self, draft, *, age: int, author) -> list[SocialAid]:
        if draft.stay_start is None:
            return []
        rng = self.rng
        start = dates.date_of(draft.stay_start)
        # Aids tied to the stay end with it.
        left = draft.memberships[-1].valid_to
        ends_on = max(start, dates.date_of(left)) if left else None
        aids = []

        def aid(kind, payer, low, high, reference):
            decided = start - timedelta(days=rng.randint(5, 60))
            aids.append(
                SocialAid(
                    public_id=self.seeder._uuid(),
                    person=draft.person,
                    kind=kind,
                    payer=payer,
                    decision_on=decided,
                    starts_on=start,
                    ends_on=ends_on,
                    monthly_amount=Decimal(rng.randint(low * 100, high * 100)) / 100,
                    reference=f"{reference}-{decided.year}-{rng.randint(1, 99999):05d}",
                    created_by=author,
                    updated_by=author,
                )
            )

        if draft.plan.category == "ehpad":
            payer = data.APA_PAYERS.get(draft.establishment_key, "Département du Rhône")
            if rng.random() < data.APA_SHARE:
                aid(SocialAidKind.APA, payer, 180, 620, "APA")
            if rng.random() < data.ASH_SHARE:
                aid(SocialAidKind.ASH, payer, 900, 1800, "ASH")
            if rng.random() < data.HOUSING_AID_SHARE:
                aid(SocialAidKind.HOUSING, "CAF du Rhône", 60, 240, "ALS")
        elif age >= ADULT_AGE and rng.random() < data.AAH_SHARE:
            aid(SocialAidKind.AAH, "CAF du Rhône", 600, 1030, "AAH")
        return aids

    def _evidence(self, draft, *, known_since: date, author) -> IdentityEvidence:
        rng = self.rng
        person = draft.person
        kind = weighted(rng, data.EVIDENCE_KINDS)
        if person.birthplace_code.startswith("99") and rng.random() < 0.5:
            kind = "residence_permit"
        kind = EVIDENCE_CODES.get(kind, kind)
        checked_on = min(self.today, known_since + timedelta(days=rng.randint(0, 20)))
        return IdentityEvidence(
            public_id=self.seeder._uuid(),
            person=person,
            kind=kind,
            checked_on=checked_on,
            expires_on=years_later(checked_on, rng.randint(1, 10)),
            checked_by=author,
            document=self.documents.get(person.pk, {}).get("identity"),
            created_by=author,
            updated_by=author,
        )

    def _allergies(self, draft, *, known_since: date) -> list[Allergy]:
        rng = self.rng
        showcase = draft.showcase
        if showcase:
            keys = list(showcase.allergies)
        elif rng.random() < data.ALLERGY_SHARE:
            keys = rng.sample(sorted(data.ALLERGENS), rng.choice((1, 1, 1, 2)))
        else:
            return []
        author = self.carers.get(draft.establishment_key)
        allergies = []
        for key in keys:
            substance, kind, severity, reaction, intolerance = data.ALLERGENS[key]
            allergies.append(
                Allergy(
                    public_id=self.seeder._uuid(),
                    person=draft.person,
                    substance=substance,
                    kind=kind,
                    severity=severity,
                    reaction=reaction,
                    is_intolerance=intolerance,
                    noted_on=known_since - timedelta(days=rng.randint(200, 6000)),
                    created_by=author,
                    updated_by=author,
                )
            )
        return allergies

    def _alerts(self, draft, *, age: int) -> list[PersonAlert]:
        rng = self.rng
        showcase = draft.showcase
        if showcase:
            keys = list(showcase.alerts)
        elif rng.random() < data.ALERT_SHARE:
            pool = (
                ("fall", "wandering", "swallowing", "bmr", "hearing")
                if age >= 60
                else (
                    "swallowing",
                    "no_disclosure",
                    "wandering",
                )
            )
            keys = [rng.choice(pool)]
        else:
            return []
        alerts = []
        for key in keys:
            category, label, level = data.ALERTS[key]
            author = (self.secretaries if category == "administrative" else self.carers).get(
                draft.establishment_key
            )
            alerts.append(
                PersonAlert(
                    public_id=self.seeder._uuid(),
                    person=draft.person,
                    category=category,
                    label=label,
                    level=level,
                    created_by=author,
                    updated_by=author,
                )
            )
        return alerts

    def _stays(self, draft, *, author) -> list[Stay]:
        """The current stay, on a free place of the unit when there is one; an ended stay
        for a discharged person."""
        stay_memberships = [
            m for m in draft.memberships if m.reason in STAY_REASONS and m.unit is not None
        ]
        if not stay_memberships:
            return []
        first, last = stay_memberships[0], stay_memberships[-1]
        started_on = dates.date_of(first.valid_from)
        stay = Stay(
            public_id=self.seeder._uuid(),
            person=draft.person,
            establishment=last.establishment,
            unit=last.unit,
            kind=PlaceKind.PERMANENT,
            started_on=started_on,
            created_by=author,
            updated_by=author,
        )
        if last.valid_to is not None:
            stay.ended_on = max(started_on, dates.date_of(last.valid_to))
            return [stay]
        free = self.free_places.get(last.unit.pk)
        if free:
            place = free.pop(0)
            stay.place, stay.kind = place, place.kind
            if place.kind == PlaceKind.TEMPORARY:
                # A temporary stay has its planned end (CASF D312-8 I, « durée limitée »),
                # two to six weeks ahead; drawn from the stay's id, not from the generator,
                # so that the rest of the demo stays the same.
                ahead = 14 + stay.public_id.int % 29
                stay.planned_end = max(started_on, self.today) + timedelta(days=ahead)
        return [stay]

    def _absences(self, stays: list[Stay]) -> list[Attendance]:
        """About one current resident in twenty-five has an absence on record: a
        hospitalisation that took place (validated) or a family stay ahead (planned). Chosen
        from the stay's id, not from the generator: the rest of the demo stays the same. The
        chosen residents alternate, a family stay ahead first, so that both kinds show."""
        absences = []
        chosen = [
            stay
            for stay in stays
            if stay.ended_on is None and stay.place_id is not None and not stay.public_id.int % 25
        ]
        for rank, stay in enumerate(chosen):
            number = stay.public_id.int // 25
            if rank % 2:
                starts_on = max(stay.started_on, self.today - timedelta(days=30 + number % 60))
                ends_on = starts_on + timedelta(days=2 + number % 9)
                details = {
                    "absence_kind": AbsenceKind.HOSPITALISATION,
                    "reason": "Hospitalisation au centre hospitalier",
                    "planned_absence": False,
                    "status": AttendanceStatus.VALIDATED,
                }
            else:
                starts_on = max(stay.started_on, self.today) + timedelta(days=5 + number % 20)
                ends_on = starts_on + timedelta(days=6)
                details = {
                    "absence_kind": AbsenceKind.FAMILY,
                    "reason": "Séjour chez sa famille",
                    "planned_absence": True,
                    "status": AttendanceStatus.PLANNED,
                }
            if ends_on >= self.today and details["status"] == AttendanceStatus.VALIDATED:
                continue
            absences.append(
                Attendance(
                    public_id=uuid.UUID(int=(stay.public_id.int + 1) % 2**128, version=4),
                    person=stay.person,
                    stay=stay,
                    kind=AttendanceKind.ABSENT,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    billable=True,
                    status_changed_by=stay.created_by,
                    status_changed_at=self.seeder.now,
                    created_by=stay.created_by,
                    updated_by=stay.created_by,
                    **details,
                )
            )
        return absences
