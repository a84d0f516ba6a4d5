"""Demo background of the care record (issue 13 item 8): antécédents typical of EHPAD residents
(or of IME children), vaccinations (grippe, Covid-19, DTP), devices, a diet and texture,
directives anticipées for some, and « aucune allergie connue » for most of those without an
allergy. Written in bulk with their history rows (`dui.demo.bulk`), a few thousand persons at a
time, like the rest of the record (`RecordSeeder`)."""

from datetime import date, timedelta

from dui.care.background.models import (
    AdvanceDirective,
    AllergyStatement,
    DietPlan,
    MedicalHistory,
    PersonDevice,
    Vaccination,
)
from dui.core import dates
from dui.demo import data

# (label, CIM-10, kind, share of residents, earliest onset age)
EHPAD_HISTORY = (
    ("Hypertension artérielle", "I10", "medical", 0.6, 50),
    ("Diabète de type 2", "E11.9", "medical", 0.25, 55),
    ("Démence de type Alzheimer", "F00.1", "problem", 0.35, 70),
    ("Fibrillation auriculaire", "I48", "medical", 0.2, 65),
    ("Insuffisance cardiaque", "I50.9", "problem", 0.15, 70),
    ("Arthrose des genoux", "M17.9", "medical", 0.3, 55),
    ("Ostéoporose", "M81.9", "medical", 0.25, 60),
    ("Hypothyroïdie", "E03.9", "medical", 0.1, 40),
    ("Accident vasculaire cérébral ischémique", "I63.9", "medical", 0.12, 60),
    ("Cataracte opérée (deux yeux)", "", "surgical", 0.3, 65),
    ("Fracture du col du fémur opérée (prothèse)", "S72.00", "surgical", 0.15, 70),
    ("Cholécystectomie", "", "surgical", 0.15, 35),
    ("Dépression", "F32.9", "problem", 0.2, 60),
    ("Insuffisance rénale chronique modérée", "N18.3", "problem", 0.12, 70),
)
IME_HISTORY = (
    ("Trouble du spectre de l'autisme", "F84.0", "problem", 0.45, 2),
    ("Épilepsie", "G40.9", "problem", 0.25, 1),
    ("Trisomie 21", "Q90.9", "medical", 0.12, 0),
    ("Déficience intellectuelle moyenne", "F71", "problem", 0.4, 3),
    ("Paralysie cérébrale", "G80.9", "medical", 0.1, 0),
    ("Asthme", "J45.9", "medical", 0.12, 3),
    ("Amygdalectomie", "", "surgical", 0.1, 4),
)
FAMILY_HISTORY = (
    ("Diabète de type 2", "Mère"),
    ("Cancer du côlon", "Père"),
    ("Maladie d'Alzheimer", "Mère"),
    ("Infarctus du myocarde", "Père"),
)
EHPAD_DIETS = (
    ((), 0.35),
    (("low_salt",), 0.15),
    (("diabetic",), 0.15),
    (("enriched", "high_protein"), 0.2),
    (("no_pork",), 0.05),
    (("vegetarian",), 0.03),
    (("diabetic", "low_salt"), 0.07),
)
# IDDSI food level, drink level, meal help — EHPAD mostly regular, some soft or pureed.
EHPAD_TEXTURES = (
    ((7, 0, "setup"), 0.45),
    ((7, 0, "none"), 0.15),
    ((6, 0, "stimulation"), 0.15),
    ((5, 1, "partial"), 0.1),
    ((4, 2, "full"), 0.1),
    ((4, 3, "full"), 0.05),
)
DIRECTIVE_PLACES = (
    "Dossier papier, classeur de soins",
    "Chez sa fille",
    "Chez son fils",
    "Chez le notaire",
    "Chez son médecin traitant",
)
VACCINATORS = ("IDE de l'établissement", "Médecin traitant", "Pharmacie")
STATEMENT_SHARE = 0.8
DIRECTIVE_SHARE = 0.5


def doctor_usernames() -> dict[str, str]:
    logins: dict[str, str] = {}
    for plan in data.STAFF:
        if plan.profession in ("medecin_coordonnateur", "medecin"):
            logins.setdefault(plan.establishment, plan.username)
    return logins


class BackgroundSeeder:
    def __init__(self, records):
        self.records = records
        self.seeder = records.seeder
        self.rng = records.rng
        self.today = records.today
        users = self.seeder.users
        self.doctors = {k: users[u] for k, u in doctor_usernames().items() if u in users}

    def seed(self, drafts, allergies) -> None:
        with_allergy = {a.person_id for a in allergies}
        rows = {model: [] for model in MODELS}
        for draft in drafts:
            if draft.stay_start is None:
                continue  # an application only: no care record yet
            self._person(draft, draft.person.pk in with_allergy, rows)
        for model in MODELS:
            self.seeder.bulk_create(model, rows[model], f"background {model._meta.model_name}")

    def _entry(self, model, draft, author, **values):
        return model(
            public_id=self.seeder._uuid(),
            person=draft.person,
            created_by=author,
            updated_by=author,
            **values,
        )

    def _person(self, draft, has_allergy: bool, rows) -> None:
        rng = self.rng
        person = draft.person
        key = draft.establishment_key
        carer = self.records.carers.get(key)
        if carer is None:
            return
        doctor = self.doctors.get(key, carer)
        born = person.birth_date
        age = person.age
        ime = draft.plan.category == "ime"
        arrival = min(max(dates.date_of(draft.stay_start), born), self.today)
        # Antécédents: 2–6 drawn by their share among residents of that age.
        catalogue = IME_HISTORY if ime else EHPAD_HISTORY
        fitting = [h for h in catalogue if h[4] <= age]
        chosen = [h for h in fitting if rng.random() < h[3]]
        while len(chosen) < 2 and fitting:
            extra = rng.choice(fitting)
            if extra not in chosen:
                chosen.append(extra)
        for label, code, kind, _share, onset_age in chosen[:6]:
            year = min(born.year + rng.randint(onset_age, max(onset_age, age)), self.today.year)
            rows[MedicalHistory].append(
                self._entry(
                    MedicalHistory,
                    draft,
                    doctor,
                    kind=kind,
                    label=label,
                    cim10_code=code,
                    onset_year=year if rng.random() < 0.8 else None,
                    onset_text="" if rng.random() < 0.8 else "enfance" if ime else "",
                )
            )
        if not ime and rng.random() < 0.3:
            label, relative = rng.choice(FAMILY_HISTORY)
            rows[MedicalHistory].append(
                self._entry(
                    MedicalHistory, draft, doctor, kind="family", label=label, relative=relative
                )
            )
        self._vaccinations(draft, doctor, ime=ime, arrival=arrival, rows=rows)
        self._devices(draft, carer, ime=ime, age=age, arrival=arrival, rows=rows)
        self._diet(draft, carer, ime=ime, arrival=arrival, rows=rows)
        if not ime and rng.random() < DIRECTIVE_SHARE:
            existence = rng.choice(("yes", "no", "no", "unknown"))
            rows[AdvanceDirective].append(
                self._entry(
                    AdvanceDirective,
                    draft,
                    carer,
                    existence=existence,
                    written_on=(
                        arrival - timedelta(days=rng.randint(30, 2000))
                        if existence == "yes"
                        else None
                    ),
                    kept_where=rng.choice(DIRECTIVE_PLACES) if existence == "yes" else "",
                    checked_by=carer,
                    checked_on=min(arrival + timedelta(days=rng.randint(0, 20)), self.today),
                )
            )
        if not has_allergy and rng.random() < STATEMENT_SHARE:
            rows[AllergyStatement].append(
                self._entry(
                    AllergyStatement,
                    draft,
                    carer,
                    checked_by=carer,
                    checked_on=min(arrival + timedelta(days=rng.randint(0, 3)), self.today),
                )
            )

    def _vaccinations(self, draft, author, *, ime, arrival, rows) -> None:
        rng = self.rng
        born = draft.person.birth_date
        year = self.today.year if self.today.month >= 10 else self.today.year - 1
        shots = []
        for back in range(3):  # the last flu campaigns (October–December)
            day = date(year - back, 10, 15) + timedelta(days=rng.randint(0, 45))
            if not ime and born <= day <= self.today:
                shots.append(("Grippe saisonnière", day, None))
        if not ime:
            covid = date(year, 10, 1) + timedelta(days=rng.randint(0, 60))
            if covid <= self.today:
                shots.append(("Covid-19 (rappel)", covid, None))
        dtp = self.today - timedelta(days=rng.randint(200, 3600))
        if dtp < born:
            # A child younger than the drawn delay: the infant primary series instead.
            dtp = min(born + timedelta(days=rng.randint(60, 400)), self.today)
        shots.append(("DTP (rappel)" if not ime else "DTCaP (rappel)", dtp, None))
        for label, day, dose in shots:
            rows[Vaccination].append(
                self._entry(
                    Vaccination,
                    draft,
                    author,
                    vaccine_label=label,
                    administered_on=day,
                    dose_number=dose,
                    lot_number=f"{rng.choice('ABCDEFGHJK')}{rng.randint(1000, 9999)}",
                    administered_by=rng.choice(VACCINATORS),
                )
            )

    def _devices(self, draft, author, *, ime, age, arrival, rows) -> None:
        rng = self.rng
        kinds = []
        if ime:
            if rng.random() < 0.3:
                kinds.append(("glasses", "Lunettes de vue"))
            if rng.random() < 0.1:
                kinds.append(("wheelchair", "Fauteuil manuel"))
        else:
            if rng.random() < 0.5:
                kinds.append(("upper_denture", rng.choice(("complète", "partielle"))))
                if rng.random() < 0.7:
                    kinds.append(("lower_denture", rng.choice(("complète", "partielle"))))
            if rng.random() < 0.75:
                kinds.append(("glasses", rng.choice(("de vue, de près", "progressives"))))
            if rng.random() < 0.3:
                kinds.append(("hearing_aid_left", ""))
                kinds.append(("hearing_aid_right", ""))
            if rng.random() < 0.08:
                kinds.append(("pacemaker", "Porteur de carte"))
            if rng.random() < 0.4:
                kinds.append(
                    (rng.choice(("walking_aid", "wheelchair")), rng.choice(("", "personnel")))
                )
        for kind, detail in kinds:
            rows[PersonDevice].append(
                self._entry(
                    PersonDevice,
                    draft,
                    author,
                    kind=kind,
                    detail=detail,
                    marked_with_name=rng.random() < 0.6,
                    since=arrival,
                )
            )

    def _diet(self, draft, author, *, ime, arrival, rows) -> None:
        rng = self.rng
        if ime:
            food, drink, help_, diets = 7, 0, rng.choice(("none", "stimulation", "setup")), []
            if rng.random() < 0.1:
                food, help_ = 5, "partial"
            if rng.random() < 0.1:
                diets = ["no_pork"]
        else:
            food, drink, help_ = weighted(rng, EHPAD_TEXTURES)
            diets = list(weighted(rng, EHPAD_DIETS))
        rows[DietPlan].append(
            self._entry(
                DietPlan,
                draft,
                author,
                since=arrival,
                food_level=food,
                drink_level=drink,
                diets=diets,
                meal_help=help_,
            )
        )


MODELS = (MedicalHistory, Vaccination, PersonDevice, DietPlan, AdvanceDirective, AllergyStatement)


def weighted(rng, choices):
    value = rng.random()
    total = 0.0
    for choice, share in choices:
        total += share
        if value < total:
            return choice
    return choices[-1][0]


def seed_background(records, drafts, allergies) -> None:
    """The background of `drafts` (one chunk of `RecordSeeder`), whose allergies are given."""
    BackgroundSeeder(records).seed(drafts, allergies)
