"""Builds the demo organisation, its staff and its persons (`manage.py seed_demo`).

Demo data is generated, not lived: it is written in bulk, straight into the tables, instead of
through the pathway services one person at a time — 10,000 persons must take seconds, not
hours. What the services would also have written is written here too, the same way: the
person's history row and, on request, access-journal entries chained exactly as
`dui.access.journal` chains them.

Every step is idempotent: it looks for what is already there and only adds what is missing.
"""

import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from faker import Faker

from dui.access import journal
from dui.access.models import (
    AccessAction,
    AccessEvent,
    CareTeamMembership,
    JournalChain,
    MembershipReason,
)
from dui.accounts.models import Assignment, AssignmentRole, Profession
from dui.assessments.models import Assessment
from dui.coordination.models import Partner
from dui.core import dates
from dui.organisation.models import (
    Establishment,
    EstablishmentCapacity,
    Organisation,
    Place,
    PlaceKind,
    Unit,
)
from dui.people import names, nir
from dui.people.models import AdministrativeFile, Contact, IdentityStatus, Person
from dui.stays.models import Stay

from . import bulk, data
from .documents import seed_showcase_documents
from .identity import NirAllocator
from .records import RecordSeeder, weighted

DEFAULT_SEED = 2026
CHANGE_REASON = "Données de démonstration"
# Staff were assigned a few years ago (on 1 September, the usual start of a post).
ASSIGNMENT_YEARS_AGO = 4
# Roles whose members read the records of the persons their team follows.
CARE_TEAM_ROLES = (AssignmentRole.STAFF, AssignmentRole.MANAGER, AssignmentRole.DIRECTOR)
READ_PAGE = "page:people:record"


@dataclass
class SeededEstablishment:
    plan: data.EstablishmentPlan
    establishment: Establishment
    units: dict[str, Unit]


@dataclass
class MembershipDraft:
    """A care-team membership waiting for its person's primary key."""

    establishment: Establishment
    unit: Unit | None
    reason: str
    valid_from: datetime
    valid_to: datetime | None = None


@dataclass
class PersonDraft:
    person: Person
    memberships: list[MembershipDraft]
    network: str
    plan: data.EstablishmentPlan
    young: bool = False
    showcase: data.PersonPlan | None = None
    # NIR on the carte Vitale: the person's own, or a parent's for a child.
    insured_number: str = ""

    @property
    def establishment_key(self) -> str:
        return self.plan.key

    @property
    def first_seen(self) -> datetime:
        return min(m.valid_from for m in self.memberships)

    @property
    def stay_start(self) -> datetime | None:
        starts = [
            m.valid_from for m in self.memberships if m.reason != MembershipReason.APPLICATION
        ]
        return min(starts) if starts else None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class DemoSeeder:
    def __init__(self, *, seed: int = DEFAULT_SEED, now: datetime | None = None):
        self.seed = seed
        self.now = now or dates.now()
        # The demo establishments are in metropolitan France: their day is Paris's.
        self.today = dates.date_of(self.now)
        # What this run added, by kind of row: all zero on a second run.
        self.report: Counter[str] = Counter()
        self.establishments: dict[str, SeededEstablishment] = {}
        self.users: dict[str, object] = {}
        self.rng = random.Random(seed)

    # -- organisation -------------------------------------------------------------------

    def seed_organisation(self) -> dict[str, SeededEstablishment]:
        organisation, created = Organisation.objects.get_or_create(
            name=data.ORGANISATION_NAME, defaults={"address": data.ORGANISATION_ADDRESS}
        )
        self.report["organisations"] += created
        for plan in data.ESTABLISHMENTS:
            establishment, created = Establishment.objects.get_or_create(
                finess=plan.finess,
                defaults={
                    "organisation": organisation,
                    "name": plan.name,
                    "category": plan.category,
                    "address_line": plan.address_line,
                    "postal_code": plan.postal_code,
                    "city": plan.city,
                    "phone": plan.phone,
                },
            )
            self.report["establishments"] += created
            units = {
                unit_plan.name: self._seed_unit(establishment, unit_plan)
                for unit_plan in plan.units
            }
            self._seed_capacities(establishment, plan)
            self.establishments[plan.key] = SeededEstablishment(plan, establishment, units)
        self._seed_partners(organisation)
        return self.establishments

    def _seed_partners(self, organisation: Organisation) -> None:
        """The GPs and the mandataire association the persons' records point to."""
        for plan in data.PARTNERS:
            _, created = Partner.objects.get_or_create(
                organisation=organisation,
                kind=plan.kind,
                name=plan.name,
                defaults={"phone": plan.phone, "address": plan.address, "email": plan.email},
            )
            self.report["partners"] += created

    def _seed_unit(self, establishment: Establishment, plan: data.UnitPlan) -> Unit:
        unit, created = Unit.objects.get_or_create(establishment=establishment, name=plan.name)
        self.report["units"] += created
        existing = set(unit.places.values_list("label", flat=True))
        missing = [
            Place(establishment=establishment, unit=unit, label=label, kind=kind)
            for label, kind in self._place_labels(plan)
            if label not in existing
        ]
        Place.objects.bulk_create(missing)
        self.report["places"] += len(missing)
        return unit

    @staticmethod
    def _place_labels(plan: data.UnitPlan):
        # Rooms numbered from first_room: permanent places first, then the temporary ones.
        room = plan.first_room
        for kind, count in (
            (PlaceKind.PERMANENT, plan.permanent),
            (PlaceKind.TEMPORARY, plan.temporary),
        ):
            for _ in range(count):
                yield str(room), kind
                room += 1
        for number in range(1, plan.day_care + 1):
            yield f"AJ {number}", PlaceKind.DAY_CARE

    def _seed_capacities(self, establishment: Establishment, plan: data.EstablishmentPlan):
        totals = Counter()
        for unit_plan in plan.units:
            totals[PlaceKind.PERMANENT] += unit_plan.permanent
            totals[PlaceKind.TEMPORARY] += unit_plan.temporary
            totals[PlaceKind.DAY_CARE] += unit_plan.day_care
        for kind, places in totals.items():
            if places:
                _, created = EstablishmentCapacity.objects.get_or_create(
                    establishment=establishment,
                    kind=kind,
                    defaults={"authorised_places": places},
                )
                self.report["capacities"] += created

    # -- staff --------------------------------------------------------------------------

    def seed_staff(self) -> dict[str, object]:
        user_model = get_user_model()
        professions = {p.code: p for p in Profession.objects.all()}
        existing = {
            u.username: u
            for u in user_model.objects.filter(username__in=[s.username for s in data.STAFF])
        }
        password_hash = None
        start = date(self.today.year - ASSIGNMENT_YEARS_AGO, 9, 1)
        for plan in data.STAFF:
            user = existing.get(plan.username)
            if user is None:
                # One hash for every demo login: argon2 is slow on purpose, and the demo
                # accounts share their password anyway.
                password_hash = password_hash or make_password(data.DEMO_PASSWORD)
                user = user_model.objects.create(
                    username=plan.username,
                    first_name=plan.first_name,
                    last_name=plan.last_name,
                    profession=professions[plan.profession],
                    password=password_hash,
                    is_demo=True,
                    is_staff=plan.is_superuser,
                    is_superuser=plan.is_superuser,
                )
                self.report["users"] += 1
            self.users[plan.username] = user
            for seeded in self._establishments_of(plan):
                unit = seeded.units[plan.unit] if plan.unit else None
                _, created = Assignment.objects.get_or_create(
                    user=user,
                    establishment=seeded.establishment,
                    unit=unit,
                    role=plan.role,
                    defaults={"start_date": start},
                )
                self.report["assignments"] += created
        return self.users

    def _establishments_of(self, plan: data.StaffPlan) -> list[SeededEstablishment]:
        if plan.establishment == data.ALL_ESTABLISHMENTS:
            return list(self.establishments.values())
        return [self.establishments[plan.establishment]]

    # -- persons ------------------------------------------------------------------------

    def seed_persons(self, *, target: int, years: int, journal_per_person: int = 0) -> int:
        """Bring the number of persons up to `target`; returns how many were added."""
        # Seeded by what is already there: the same sequence of runs gives the same persons.
        self.rng = random.Random(f"{self.seed}:{Person.objects.count()}")
        drafts = self._showcase_drafts()
        missing = target - Person.objects.count() - len(drafts)
        if missing > 0:
            drafts += self._generated_drafts(missing, years=years, drafts=drafts)
        if not drafts:
            return 0
        self._identify(drafts)
        persons = [draft.person for draft in drafts]
        for person in persons:
            person.refresh_search_name()
        bulk.insert(Person, persons, history=True, when=self.now, reason=CHANGE_REASON)
        memberships = []
        for draft in drafts:
            for m in draft.memberships:
                memberships.append(
                    CareTeamMembership(
                        public_id=self._uuid(),
                        person=draft.person,
                        establishment=m.establishment,
                        unit=m.unit,
                        reason=m.reason,
                        valid_from=m.valid_from,
                        valid_to=m.valid_to,
                    )
                )
        bulk.insert(CareTeamMembership, memberships, history=False, when=self.now, reason="")
        self.report["persons"] += len(persons)
        self.report["memberships"] += len(memberships)
        if journal_per_person > 0:
            self._seed_journal(drafts, memberships, per_person=journal_per_person)
        # After the journal: the uploads write their own entries at the end of the chain.
        documents = seed_showcase_documents(self, [d for d in drafts if d.showcase])
        RecordSeeder(self, documents=documents).seed(drafts)
        return len(persons)

    def bulk_create(self, model, objects: list, report_key: str) -> None:
        """Rows and, for models with history, their history rows (as the services write)."""
        history = hasattr(model, "history")
        bulk.insert(model, objects, history=history, when=self.now, reason=CHANGE_REASON)
        self.report[report_key] += len(objects)

    # -- identities ---------------------------------------------------------------------

    def _identify(self, drafts: list[PersonDraft]) -> None:
        """Birthplace, NIR and RNIV status of each new person; the INS (demonstration OID)
        for the retrieved and qualified identities only."""
        rng = self.rng
        taken = [
            *Person.objects.exclude(ins_number="").values_list("ins_number", flat=True),
            *AdministrativeFile.objects.exclude(insured_number="").values_list(
                "insured_number", flat=True
            ),
        ]
        allocator = NirAllocator(rng, taken)
        secretaries = {
            key: self.users[username] for key, username in data.secretary_usernames().items()
        }
        for draft in drafts:
            person, showcase = draft.person, draft.showcase
            if showcase:
                person.birthplace_code = showcase.birthplace_code
                status = showcase.identity_status
            else:
                person.birthplace_code = self._birthplace(young=draft.young)
                recent = (
                    draft.stay_start is None
                    or (self.now - draft.first_seen).days < data.RECENT_DAYS
                )
                status = weighted(
                    rng,
                    data.IDENTITY_STATUSES_RECENT if recent else data.IDENTITY_STATUSES_SETTLED,
                )
            own = allocator.allocate(
                sex=person.sex, birth_date=person.birth_date, birthplace_code=person.birthplace_code
            )
            person.identity_status = status
            if status in (IdentityStatus.RETRIEVED, IdentityStatus.QUALIFIED):
                person.ins_number, person.ins_oid = own, nir.INS_OID_DEMO
                person.ins_retrieved_at = min(
                    self.now, draft.first_seen + timedelta(days=rng.randint(0, 10), hours=2)
                )
                person.ins_retrieved_by = secretaries[draft.establishment_key]
            if age_on(person.birth_date, self.today) >= 18:
                draft.insured_number = own
            else:
                # A child is on a parent's carte Vitale (the « ouvrant droit »).
                parent_born = person.birth_date - timedelta(days=rng.randint(22 * 365, 40 * 365))
                draft.insured_number = allocator.allocate(
                    sex=rng.choice("FM"),
                    birth_date=parent_born,
                    birthplace_code=weighted(rng, data.FRENCH_BIRTHPLACES),
                )

    def _birthplace(self, *, young: bool) -> str:
        abroad = data.BORN_ABROAD_SHARE / (3 if young else 1)
        places = data.FOREIGN_BIRTHPLACES if self.rng.random() < abroad else data.FRENCH_BIRTHPLACES
        return weighted(self.rng, places)

    @staticmethod
    def analyse_tables() -> None:
        """Refresh the query planner's statistics after a bulk load.

        Without them, SQLite (which never analyses by itself) picks the unit index for the
        visibility subquery and a name search over 10,000 persons takes ~1 s instead of ~5 ms;
        PostgreSQL would wait for autovacuum. On PostgreSQL, outside a transaction, VACUUM too:
        as autovacuum would on a live database, it marks the pages all-visible (index-only
        scans), and the plans measured by the bench are those of a settled database."""
        tables = [
            Person._meta.db_table,
            Person.history.model._meta.db_table,
            CareTeamMembership._meta.db_table,
            AccessEvent._meta.db_table,
            Stay._meta.db_table,
            AdministrativeFile._meta.db_table,
            Contact._meta.db_table,
            Contact.history.model._meta.db_table,
            Assessment._meta.db_table,
        ]
        command = "ANALYZE"
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            command = "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")

    def _uuid(self) -> uuid.UUID:
        # Drawn from the seeded generator: the same run gives the same URLs.
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _at(self, days_ago: float) -> datetime:
        """A daytime instant (Paris time) that many days ago: admissions happen in office hours."""
        day = self.today - timedelta(days=max(1, round(days_ago)))
        moment = time(self.rng.randint(8, 17), self.rng.choice((0, 15, 30, 45)))
        return datetime.combine(day, moment, tzinfo=dates.zone_of())

    def _birth_date(self, age: int) -> date:
        # A date between (age + 1) years and age years ago: the person is `age` today.
        year_ago = date(self.today.year - age - 1, self.today.month, min(self.today.day, 28))
        return year_ago + timedelta(days=self.rng.randint(1, 364))

    def _showcase_drafts(self) -> list[PersonDraft]:
        drafts = []
        for plan in data.SHOWCASE_PERSONS:
            birth_date = date.fromisoformat(plan.birth_date)
            if Person.objects.filter(
                birth_name=names.family_name(plan.birth_name),
                first_names=names.first_names(plan.first_names),
                birth_date=birth_date,
            ).exists():
                continue
            seeded = self.establishments[plan.establishment]
            unit = seeded.units[plan.unit] if plan.unit else None
            start = self._at(plan.since_days)
            if plan.status == "application":
                memberships = [
                    MembershipDraft(seeded.establishment, None, MembershipReason.APPLICATION, start)
                ]
            else:
                end = self._at(plan.discharged_days_ago) if plan.status == "discharged" else None
                memberships = [
                    MembershipDraft(seeded.establishment, unit, MembershipReason.STAY, start, end)
                ]
            person = Person(
                public_id=self._uuid(),
                birth_name=plan.birth_name,
                used_name=plan.used_name,
                first_names=plan.first_names,
                used_first_name=plan.used_first_name,
                birth_date=birth_date,
                sex=plan.sex,
            )
            person.normalise_names()
            young = plan.unit is not None and any(
                u.name == plan.unit and u.ages[0] < 60 for u in seeded.plan.units
            )
            drafts.append(
                PersonDraft(
                    person,
                    memberships,
                    seeded.plan.network,
                    seeded.plan,
                    young=young or seeded.plan.category == "ime",
                    showcase=plan,
                )
            )
        return drafts

    def _residents_by_unit(self, drafts: list[PersonDraft]) -> dict[int, int]:
        """{unit pk: persons living there now}: the current stay memberships already in the
        database and those of `drafts`."""
        residents = dict(
            CareTeamMembership.objects.filter(valid_to__isnull=True, unit__isnull=False)
            .exclude(reason=MembershipReason.APPLICATION)
            .values("unit_id")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("unit_id", "n")
        )
        for draft in drafts:
            for m in draft.memberships:
                if m.unit is not None and m.valid_to is None:
                    residents[m.unit.pk] = residents.get(m.unit.pk, 0) + 1
        return residents

    def _generated_drafts(
        self, count: int, *, years: int, drafts: list[PersonDraft] = ()
    ) -> list[PersonDraft]:
        """`count` generated persons. A unit never holds more persons than its places: once
        it is full, the next persons sent there are former residents (stay ended at some
        time in the `years`), as in an establishment that has run for years — the volume of
        records grows with --persons, not the size of a unit (20 to 40 persons in the plans)."""
        fake = Faker("fr_FR")
        fake.seed_instance(self.rng.getrandbits(32))
        # Persons go to units in proportion to the establishment's share of the demo and to
        # the unit's number of places.
        slots, weights = [], []
        for seeded in self.establishments.values():
            places = sum(u.places for u in seeded.plan.units)
            for unit_plan in seeded.plan.units:
                slots.append((seeded, unit_plan))
                weights.append(seeded.plan.demo_persons * unit_plan.places / places)
        span_days = max(1, years) * 365
        residents = self._residents_by_unit(list(drafts))
        drafts = []
        for seeded, unit_plan in self._spread(slots, weights, count):
            person = self._fake_person(fake, seeded.plan, unit_plan)
            # Children are admitted from about 5 years old, not before they were born.
            youth_days = (age_on(person.birth_date, self.today) - 5) * 365
            span = span_days if unit_plan.ages[0] >= 60 else max(60, min(span_days, youth_days))
            unit = seeded.units[unit_plan.name]
            full = residents.get(unit.pk, 0) >= unit_plan.places
            memberships = self._fake_pathway(seeded, unit_plan, span, full=full)
            if any(m.unit is not None and m.valid_to is None for m in memberships):
                residents[unit.pk] = residents.get(unit.pk, 0) + 1
            drafts.append(
                PersonDraft(
                    person,
                    memberships,
                    seeded.plan.network,
                    seeded.plan,
                    young=unit_plan.ages[0] < 60,
                )
            )
        return drafts

    def _spread(self, slots: list, weights: list[float], count: int) -> list:
        """`count` slots in proportion to their weights (largest remainders), shuffled.

        Exact shares rather than random draws: even the small demo gets every unit filled."""
        total = sum(weights)
        exact = [count * weight / total for weight in weights]
        shares = [int(x) for x in exact]
        by_remainder = sorted(range(len(slots)), key=lambda i: exact[i] - shares[i], reverse=True)
        for i in by_remainder[: count - sum(shares)]:
            shares[i] += 1
        spread = [slot for slot, share in zip(slots, shares, strict=True) for _ in range(share)]
        self.rng.shuffle(spread)
        return spread

    def _fake_person(
        self, fake: Faker, plan: data.EstablishmentPlan, unit_plan: data.UnitPlan
    ) -> Person:
        rng = self.rng
        low, high = unit_plan.ages
        elderly = low >= 60
        # EHPAD residents are mostly in their late eighties.
        age = round(rng.triangular(low, high, 88)) if elderly else rng.randint(low, high)
        is_woman = rng.random() < plan.women_share
        if elderly:
            pool = data.OLDER_WOMEN_FIRST_NAMES if is_woman else data.OLDER_MEN_FIRST_NAMES
            given = rng.sample(pool, rng.choice((1, 2, 2, 3)))
        else:
            draw = fake.first_name_female if is_woman else fake.first_name_male
            given = list(dict.fromkeys(draw() for _ in range(rng.choice((1, 2, 2, 3)))))
        birth_name = fake.last_name()
        used_name = ""
        if elderly and is_woman and rng.random() < data.MARRIED_NAME_SHARE:
            used_name = fake.last_name()
            if used_name == birth_name:
                used_name = ""
        # Some people go by their second given name (« Marie Jeanne, dite Jeanne »).
        used_first_name = given[1] if len(given) > 1 and rng.random() < 0.08 else ""
        person = Person(
            public_id=self._uuid(),
            birth_name=birth_name,
            used_name=used_name,
            first_names=" ".join(given),
            used_first_name=used_first_name,
            birth_date=self._birth_date(age),
            sex="F" if is_woman else "M",
        )
        # Written as every path writes a name (capitals for the birth and used names).
        person.normalise_names()
        return person

    def _fake_pathway(
        self,
        seeded: SeededEstablishment,
        unit_plan: data.UnitPlan,
        span_days: int,
        *,
        full: bool = False,
    ) -> list[MembershipDraft]:
        """The person's care-team memberships: applicant, resident (maybe after an application
        or a transfer between units) or discharged. `full`: the unit has no free place, so a
        would-be resident is a former one, discharged at any time of the span."""
        rng = self.rng
        establishment = seeded.establishment
        unit = seeded.units[unit_plan.name]
        draw = rng.random()
        if draw < data.APPLICANT_SHARE:
            start = self._at(rng.uniform(1, min(span_days, 180)))
            return [MembershipDraft(establishment, None, MembershipReason.APPLICATION, start)]
        memberships = []
        if draw < data.APPLICANT_SHARE + data.DISCHARGED_SHARE:
            # Half of the discharges are recent: the team still reads those records.
            if rng.random() < 0.5:
                end_days_ago = rng.uniform(1, 85)
            else:
                end_days_ago = rng.uniform(95, max(96, span_days))
            start_days_ago = end_days_ago + rng.uniform(15, min(900, span_days))
            start, end = self._at(start_days_ago), self._at(end_days_ago)
        elif full:
            end_days_ago = rng.uniform(1, max(2, span_days))
            start_days_ago = end_days_ago + rng.uniform(15, min(900, span_days))
            start, end = self._at(start_days_ago), self._at(end_days_ago)
        else:
            start_days_ago = rng.uniform(2, span_days)
            start, end = self._at(start_days_ago), None
        if rng.random() < data.ADMITTED_AFTER_APPLICATION_SHARE:
            applied = self._at(start_days_ago + rng.uniform(20, 120))
            memberships.append(
                MembershipDraft(establishment, None, MembershipReason.APPLICATION, applied, start)
            )
        others = [u for name, u in seeded.units.items() if name != unit_plan.name]
        moved_days_ago = start_days_ago / 2
        if others and start_days_ago > 60 and rng.random() < data.TRANSFERRED_SHARE:
            moved = self._at(moved_days_ago)
            if end is None or moved < end:
                memberships.append(
                    MembershipDraft(
                        establishment, rng.choice(others), MembershipReason.STAY, start, moved
                    )
                )
                memberships.append(
                    MembershipDraft(establishment, unit, MembershipReason.TRANSFER, moved, end)
                )
                return memberships
        memberships.append(MembershipDraft(establishment, unit, MembershipReason.STAY, start, end))
        return memberships

    # -- access journal -----------------------------------------------------------------

    def _seed_journal(
        self, drafts: list[PersonDraft], memberships: list[CareTeamMembership], *, per_person: int
    ) -> None:
        """Per person: the membership's creation, then reads of the record by its team.

        Appended after the current chain head, with the hash of `dui.access.journal` (same
        function, same lock), so that `verify_journal` still finds an intact chain.
        """
        teams = self._care_teams()
        by_person: dict[int, list[CareTeamMembership]] = {}
        for membership in memberships:
            by_person.setdefault(membership.person_id, []).append(membership)
        events = []
        for draft in drafts:
            latest = max(by_person[draft.person.pk], key=lambda m: m.valid_from)
            team = teams.get((latest.establishment_id, latest.unit_id)) or []
            creators = teams.get((latest.establishment_id, "creators")) or team
            if not team or not creators:
                continue
            # Older entries would have been purged already (ACCESS_JOURNAL_RETENTION).
            since = max(latest.valid_from, self.now - settings.ACCESS_JOURNAL_RETENTION)
            until = min(latest.valid_to or self.now, self.now)
            if until <= since:
                continue
            seconds = max(1, int((until - since).total_seconds()))
            for index in range(per_person):
                if index == 0 and since == latest.valid_from:
                    who, action, when = self.rng.choice(creators), AccessAction.CREATE, since
                    object_type, object_id = "access.CareTeamMembership", str(latest.public_id)
                else:
                    who, action = self.rng.choice(team), AccessAction.READ
                    when = since + timedelta(
                        seconds=self.rng.randint(1, seconds),
                        microseconds=self.rng.randint(0, 999_999),
                    )
                    when = min(when, self.now)
                    object_type, object_id = READ_PAGE, str(draft.person.public_id)
                user_id, assignment_id = who
                events.append(
                    AccessEvent(
                        occurred_at=when,
                        user_id=user_id,
                        assignment_id=assignment_id,
                        person_id=draft.person.pk,
                        object_type=object_type,
                        object_id=object_id,
                        action=action,
                        ip_address=f"{draft.network}{self.rng.randint(10, 250)}",
                        break_glass=False,
                    )
                )
        events.sort(key=lambda event: event.occurred_at)
        # Past reads and registrations, as the reads chain would hold them (one chain: the
        # order of the moments is the order of the chain).
        chain = JournalChain.READS
        with transaction.atomic():
            journal.lock_chain(chain)  # nobody appends to this chain while we chain
            sequence, previous_hash = journal.chain_head(chain)
            for event in events:
                sequence += 1
                event.chain = chain
                event.sequence = sequence
                event.previous_hash = previous_hash
                event.hash = previous_hash = journal.entry_hash(event)
            bulk.insert(AccessEvent, events, history=False, when=self.now, reason="")
        self.report["journal entries"] += len(events)

    def _care_teams(self) -> dict[tuple, list[tuple[int, int]]]:
        """(user id, assignment id) of who reads the persons of each unit, and who registers
        them (secretaries, else directors) under (establishment id, "creators")."""
        teams: dict[tuple, list[tuple[int, int]]] = {}
        assignments = (
            Assignment.objects.active()
            .filter(user__is_demo=True, role__in=CARE_TEAM_ROLES)
            .select_related("user__profession")
        )
        units_of = {
            seeded.establishment.pk: list(seeded.units.values())
            for seeded in self.establishments.values()
        }
        for a in assignments:
            who = (a.user_id, a.pk)
            covered = [a.unit] if a.unit_id else [*units_of.get(a.establishment_id, []), None]
            for unit in covered:
                teams.setdefault((a.establishment_id, unit.pk if unit else None), []).append(who)
            if a.unit_id is None and a.user.profession.code == "secretaire":
                teams.setdefault((a.establishment_id, "creators"), []).append(who)
        for seeded in self.establishments.values():
            key = (seeded.establishment.pk, "creators")
            if key not in teams:
                teams[key] = [
                    (a.user_id, a.pk)
                    for a in assignments
                    if a.establishment_id == seeded.establishment.pk
                    and a.role == AssignmentRole.DIRECTOR
                ]
        return teams


def staff_table() -> list[tuple[str, str, str, str]]:
    """The demo logins as rows: username, profession, where, role (French labels)."""
    professions = dict(Profession.objects.values_list("code", "label"))
    establishment_names = {plan.key: plan.name for plan in data.ESTABLISHMENTS}
    rows = []
    for plan in data.STAFF:
        if plan.establishment == data.ALL_ESTABLISHMENTS:
            where = f"Tous les établissements ({len(establishment_names)})"
        else:
            where = establishment_names[plan.establishment] + (
                f" — {plan.unit}" if plan.unit else ""
            )
        rows.append(
            (
                plan.username,
                professions.get(plan.profession, plan.profession),
                where,
                str(AssignmentRole(plan.role).label),
            )
        )
    return rows
