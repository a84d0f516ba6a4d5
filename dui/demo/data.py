"""The fictional organisation of the demo: establishments, units, places and staff.

Fixed data, not random: the README, the browser tests and the people giving demos rely on
these names and logins. Only the persons are generated (see `dui.demo.seeding`).
Addresses and phone numbers are fictional (04 65 71 xx xx is a range ARCEP reserves
for fiction).
"""

from dataclasses import dataclass

DEMO_PASSWORD = "Demo-DUI-2026!"

ORGANISATION_NAME = "Association Les Tilleuls"
ORGANISATION_ADDRESS = "8 place des Tilleuls\n69100 Villeurbanne"


@dataclass(frozen=True)
class UnitPlan:
    name: str
    # Places of the unit, by kind: the capacities of the establishment are their sums.
    permanent: int = 0
    temporary: int = 0
    day_care: int = 0
    # First room number ("101"); day-care places are labelled "AJ 1", "AJ 2"…
    first_room: int = 101
    # Ages of the persons placed in this unit (IME groups are by age).
    ages: tuple[int, int] = (70, 100)

    @property
    def places(self) -> int:
        return self.permanent + self.temporary + self.day_care


@dataclass(frozen=True)
class EstablishmentPlan:
    key: str
    name: str
    category: str
    finess: str
    address_line: str
    postal_code: str
    city: str
    phone: str
    units: tuple[UnitPlan, ...]
    # Persons of the small demo; larger runs (--persons N) keep these proportions.
    demo_persons: int = 30
    # Share of the persons who are women (about three quarters in EHPAD).
    women_share: float = 0.75
    # Private network of the establishment, for the journal entries of the demo.
    network: str = "10.0.1."


ESTABLISHMENTS = (
    EstablishmentPlan(
        key="tilleuls",
        name="EHPAD Les Tilleuls",
        category="ehpad",
        finess="690000018",
        address_line="12 rue des Tilleuls",
        postal_code="69100",
        city="Villeurbanne",
        phone="04 65 71 10 01",
        units=(
            UnitPlan("Les Lilas", permanent=16, temporary=2, first_room=101),
            UnitPlan("Les Roses", permanent=16, temporary=2, first_room=201),
            # Unité de vie protégée (Alzheimer); the day-care places are attached to it.
            UnitPlan("UVP Les Glycines", permanent=12, day_care=6, first_room=301),
        ),
        network="10.0.1.",
    ),
    EstablishmentPlan(
        key="vignes",
        name="EHPAD Le Clos des Vignes",
        category="ehpad",
        finess="690000026",
        address_line="3 chemin du Clos",
        postal_code="69400",
        city="Villefranche-sur-Saône",
        phone="04 65 71 20 01",
        units=(
            UnitPlan("Unité Bleue", permanent=15, temporary=1, first_room=101),
            UnitPlan("Unité Verte", permanent=15, temporary=1, day_care=4, first_room=201),
        ),
        network="10.0.2.",
    ),
    EstablishmentPlan(
        key="ime",
        name="IME Les Sources",
        category="ime",
        finess="690000034",
        address_line="45 avenue des Sources",
        postal_code="69500",
        city="Bron",
        phone="04 65 71 30 01",
        units=(
            # Internat = permanent places, semi-internat = day care, plus accueil temporaire.
            UnitPlan("Groupe des Petits", permanent=4, day_care=8, first_room=1, ages=(6, 12)),
            UnitPlan(
                "Groupe des Grands",
                permanent=6,
                temporary=2,
                day_care=6,
                first_room=21,
                ages=(12, 20),
            ),
        ),
        demo_persons=20,
        women_share=0.4,
        network="10.0.3.",
    ),
)

ALL_ESTABLISHMENTS = "*"


@dataclass(frozen=True)
class StaffPlan:
    username: str
    first_name: str
    last_name: str
    profession: str
    # Establishment key, or ALL_ESTABLISHMENTS for the organisation-wide roles.
    establishment: str
    unit: str | None = None
    role: str = "staff"
    is_superuser: bool = False


# Care staff work in one unit; the others cover the whole establishment (unit=None).
STAFF = (
    # EHPAD Les Tilleuls
    StaffPlan("ide.tilleuls", "Camille", "Roussel", "ide", "tilleuls", "Les Lilas"),
    StaffPlan("as.tilleuls", "Nadia", "Benhamou", "as", "tilleuls", "Les Lilas"),
    StaffPlan("aes.tilleuls", "Julien", "Marchand", "aes", "tilleuls", "Les Roses"),
    StaffPlan("ide.roses", "Aurélie", "Vidal", "ide", "tilleuls", "Les Roses"),
    StaffPlan("as.glycines", "Fabrice", "Colin", "as", "tilleuls", "UVP Les Glycines"),
    StaffPlan("idec.tilleuls", "Sophie", "Lemaire", "idec", "tilleuls"),
    StaffPlan("medco.tilleuls", "Philippe", "Garnier", "medecin_coordonnateur", "tilleuls"),
    StaffPlan("medecin.tilleuls", "Anne", "Vasseur", "medecin", "tilleuls"),
    StaffPlan("pharmacien.tilleuls", "Marc", "Delattre", "pharmacien", "tilleuls"),
    StaffPlan("psychologue.tilleuls", "Claire", "Fontaine", "psychologue", "tilleuls"),
    StaffPlan("kine.tilleuls", "Thomas", "Leroux", "kinesitherapeute", "tilleuls"),
    StaffPlan("ergo.tilleuls", "Léa", "Chevalier", "ergotherapeute", "tilleuls"),
    StaffPlan("ass.tilleuls", "Karima", "Haddad", "assistant_service_social", "tilleuls"),
    StaffPlan("secretaire.tilleuls", "Martine", "Bouvier", "secretaire", "tilleuls"),
    StaffPlan("cadre.tilleuls", "Isabelle", "Caron", "cadre_sante", "tilleuls", role="manager"),
    StaffPlan("directeur.tilleuls", "Bernard", "Lambert", "directeur", "tilleuls", role="director"),
    # EHPAD Le Clos des Vignes
    StaffPlan("ide.vignes", "Élodie", "Perret", "ide", "vignes", "Unité Bleue"),
    StaffPlan("as.vignes", "Fatou", "Diallo", "as", "vignes", "Unité Bleue"),
    StaffPlan("amp.vignes", "Kévin", "Mallet", "amp", "vignes", "Unité Verte"),
    StaffPlan("secretaire.vignes", "Chantal", "Roger", "secretaire", "vignes"),
    StaffPlan("directeur.vignes", "Olivier", "Masson", "directeur", "vignes", role="director"),
    # IME Les Sources
    StaffPlan(
        "educateur.ime", "Mehdi", "Saïdi", "educateur_specialise", "ime", "Groupe des Grands"
    ),
    StaffPlan(
        "moniteur.ime", "Pauline", "Girard", "moniteur_educateur", "ime", "Groupe des Petits"
    ),
    StaffPlan("psychologue.ime", "Agnès", "Fabre", "psychologue", "ime"),
    StaffPlan("secretaire.ime", "Valérie", "Muller", "secretaire", "ime"),
    StaffPlan("chef.ime", "Laurent", "Barbier", "chef_service", "ime", role="manager"),
    StaffPlan("directrice.ime", "Nathalie", "Rey", "directeur", "ime", role="director"),
    # Organisation-wide
    StaffPlan("dpo", "Sylvie", "Renaud", "administrateur", ALL_ESTABLISHMENTS, role="dpo"),
    StaffPlan(
        "admin",
        "Romain",
        "Petit",
        "administrateur",
        ALL_ESTABLISHMENTS,
        role="admin",
        is_superuser=True,
    ),
)


@dataclass(frozen=True)
class PersonPlan:
    """A person with fixed names, for demos and browser tests (e.g. accent-free search)."""

    birth_name: str
    first_names: str
    sex: str
    birth_date: str  # ISO
    establishment: str
    unit: str | None
    # "stay" (current resident), "application" (applicant, no unit yet) or "discharged".
    status: str = "stay"
    used_name: str = ""
    used_first_name: str = ""
    since_days: int = 400
    discharged_days_ago: int = 0


SHOWCASE_PERSONS = (
    # Searching "dupre" or "lefevre" finds her: accents and hyphen ignored.
    PersonPlan("Dupré-Lefèvre", "Hélène Marie", "F", "1936-04-12", "tilleuls", "Les Lilas"),
    PersonPlan(
        "Aubert", "Marcel Louis", "M", "1939-11-02", "tilleuls", "Les Lilas", since_days=820
    ),
    # Known by her married name: birth name Martin, used name Girard.
    PersonPlan(
        "Martin",
        "Geneviève Andrée",
        "F",
        "1933-07-25",
        "tilleuls",
        "Les Roses",
        used_name="Girard",
        since_days=1200,
    ),
    PersonPlan(
        "Perrin",
        "Raymond",
        "M",
        "1941-01-30",
        "tilleuls",
        None,
        status="application",
        since_days=25,
    ),
    # Discharged a month ago: still readable by the team during the access window.
    PersonPlan(
        "Noël",
        "Suzanne Odette",
        "F",
        "1930-09-14",
        "tilleuls",
        "Les Lilas",
        status="discharged",
        since_days=700,
        discharged_days_ago=30,
    ),
    # In another EHPAD of the organisation: out of reach of ide.tilleuls (break-glass demo).
    PersonPlan(
        "Étienne", "Joseph Henri", "M", "1935-03-08", "vignes", "Unité Bleue", since_days=500
    ),
    PersonPlan("Moreau", "Lucas", "M", "2010-05-17", "ime", "Groupe des Grands", since_days=900),
    PersonPlan("Benali", "Inès", "F", "2017-10-03", "ime", "Groupe des Petits", since_days=300),
)

# First names of people born between the 1920s and the 1950s, for EHPAD residents
# (Faker's fr_FR lists are today's names).
OLDER_WOMEN_FIRST_NAMES = (
    "Jeanne",
    "Marie",
    "Marguerite",
    "Germaine",
    "Suzanne",
    "Simone",
    "Madeleine",
    "Yvonne",
    "Paulette",
    "Odette",
    "Denise",
    "Monique",
    "Colette",
    "Jacqueline",
    "Andrée",
    "Lucienne",
    "Renée",
    "Raymonde",
    "Georgette",
    "Gisèle",
    "Odile",
    "Thérèse",
    "Ginette",
    "Huguette",
    "Josette",
    "Micheline",
    "Françoise",
    "Hélène",
    "Yvette",
    "Solange",
    "Éliane",
    "Lucette",
)
OLDER_MEN_FIRST_NAMES = (
    "Jean",
    "Pierre",
    "André",
    "Louis",
    "René",
    "Marcel",
    "Roger",
    "Robert",
    "Georges",
    "Henri",
    "Paul",
    "Maurice",
    "Raymond",
    "Lucien",
    "Fernand",
    "Gilbert",
    "Bernard",
    "Jacques",
    "Michel",
    "Claude",
    "Gérard",
    "Roland",
    "Albert",
    "Émile",
    "Joseph",
    "François",
    "Marius",
)

# Shares of the generated persons, per establishment.
APPLICANT_SHARE = 0.06  # open application, no unit yet
DISCHARGED_SHARE = 0.2  # stay ended (half of them recently, inside the access window)
ADMITTED_AFTER_APPLICATION_SHARE = 0.3  # stays preceded by an application membership
TRANSFERRED_SHARE = 0.04  # stays that began in another unit of the same establishment
MARRIED_NAME_SHARE = 0.55  # EHPAD women known by a used (married) name
