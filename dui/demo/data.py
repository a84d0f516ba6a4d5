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
    # Every EHPAD has a médecin coordonnateur (CASF art. D312-156): he validates the GIRs.
    StaffPlan("medco.vignes", "Hervé", "Morel", "medecin_coordonnateur", "vignes"),
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
    # RNIV identity: COG code of the birthplace and status (PROV, RECUP, VALI, QUAL).
    birthplace_code: str = "69266"
    identity_status: str = "PROV"
    # Keys of ALLERGENS and ALERTS.
    allergies: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    # A current protection measure: (ProtectionKind code, "family" or "mandataire").
    protection: tuple[str, str] | None = None
    # One of the person's family contacts is their personne de confiance.
    trusted_person: bool = False


SHOWCASE_PERSONS = (
    # Searching "dupre" or "lefevre" finds her: accents and hyphen ignored. Qualified identity,
    # a trusted person, a severe allergy: the header a nurse opens every day.
    PersonPlan(
        "Dupré-Lefèvre",
        "Hélène Marie",
        "F",
        "1936-04-12",
        "tilleuls",
        "Les Lilas",
        birthplace_code="69383",
        identity_status="QUAL",
        allergies=("penicillin",),
        alerts=("fall",),
        trusted_person=True,
    ),
    # Under guardianship exercised by the mandataire association.
    PersonPlan(
        "Aubert",
        "Marcel Louis",
        "M",
        "1939-11-02",
        "tilleuls",
        "Les Lilas",
        since_days=820,
        birthplace_code="42218",
        identity_status="VALI",
        alerts=("wandering",),
        protection=("tutelle", "mandataire"),
    ),
    # Known by her married name: birth name Martin, used name Girard. Curatelle renforcée
    # exercised by her son, who is also her trusted person.
    PersonPlan(
        "Martin",
        "Geneviève Andrée",
        "F",
        "1933-07-25",
        "tilleuls",
        "Les Roses",
        used_name="Girard",
        since_days=1200,
        birthplace_code="71270",
        identity_status="QUAL",
        allergies=("iodine", "lactose"),
        protection=("curatelle_renforcee", "family"),
        trusted_person=True,
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
        birthplace_code="69266",
        identity_status="PROV",
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
        birthplace_code="75114",
        identity_status="RECUP",
    ),
    # In another EHPAD of the organisation: out of reach of ide.tilleuls (break-glass demo).
    # Born in Italy: a COG country code as birthplace, 99 as the NIR's department.
    PersonPlan(
        "Étienne",
        "Joseph Henri",
        "M",
        "1935-03-08",
        "vignes",
        "Unité Bleue",
        since_days=500,
        birthplace_code="99127",
        identity_status="VALI",
        allergies=("latex",),
        trusted_person=True,
    ),
    PersonPlan(
        "Moreau",
        "Lucas",
        "M",
        "2010-05-17",
        "ime",
        "Groupe des Grands",
        since_days=900,
        birthplace_code="69029",
        identity_status="QUAL",
        alerts=("swallowing",),
    ),
    # Born in Ajaccio in 2017: 2A in her NIR.
    PersonPlan(
        "Benali",
        "Inès",
        "F",
        "2017-10-03",
        "ime",
        "Groupe des Petits",
        since_days=300,
        birthplace_code="2A004",
        identity_status="RECUP",
        allergies=("peanut",),
    ),
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

# -- identities ------------------------------------------------------------------------------

# Birthplaces (COG codes, checked by dui.people.birthplaces) with their weights: mostly the
# region of the demo, some elsewhere in France (Corsica and overseas included), some abroad.
# Lyon and Paris are recorded by arrondissement, as the COG and the NIR do.
FRENCH_BIRTHPLACES = (
    ("69266", 10),  # Villeurbanne
    ("69381", 4),  # Lyon 1er
    ("69383", 8),  # Lyon 3e
    ("69029", 4),  # Bron
    ("69264", 6),  # Villefranche-sur-Saône
    ("69243", 3),  # Tarare
    ("42218", 6),  # Saint-Étienne
    ("42187", 3),  # Roanne
    ("01053", 3),  # Bourg-en-Bresse
    ("38185", 4),  # Grenoble
    ("38544", 2),  # Vienne
    ("71270", 3),  # Mâcon
    ("26362", 2),  # Valence
    ("07186", 1),  # Privas
    ("73065", 2),  # Chambéry
    ("63113", 3),  # Clermont-Ferrand
    ("13201", 2),  # Marseille 1er
    ("75114", 3),  # Paris 14e
    ("2A004", 1),  # Ajaccio
    ("2B033", 1),  # Bastia
    ("97209", 1),  # Fort-de-France
)
FOREIGN_BIRTHPLACES = (
    ("99127", 4),  # Italie
    ("99134", 3),  # Espagne
    ("99139", 3),  # Portugal
    ("99122", 1),  # Pologne
    ("99131", 1),  # Belgique
    ("99109", 1),  # Allemagne
    ("99350", 2),  # Maroc
    ("99351", 1),  # Tunisie
)
BORN_ABROAD_SHARE = 0.1

# RNIV statuses of generated persons: residents followed for a while have mostly checked
# (validated) and qualified identities; recent arrivals and applicants are mostly provisional.
IDENTITY_STATUSES_SETTLED = (("QUAL", 60), ("VALI", 20), ("RECUP", 12), ("PROV", 8))
IDENTITY_STATUSES_RECENT = (("PROV", 50), ("RECUP", 30), ("VALI", 10), ("QUAL", 10))
# A stay younger than this is "recent" for the identity statuses above.
RECENT_DAYS = 60
# High-trust documents shown to validate an identity (RNIV): the identity card mostly.
EVIDENCE_KINDS = (("identity_card", 80), ("passport", 15), ("residence_permit", 5))

# -- entourage ------------------------------------------------------------------------------

# First names of the residents' children (born 1950–1975) and of the IME children's parents.
MIDDLE_AGED_WOMEN_FIRST_NAMES = (
    "Sylvie",
    "Christine",
    "Nathalie",
    "Isabelle",
    "Catherine",
    "Véronique",
    "Martine",
    "Brigitte",
    "Dominique",
    "Pascale",
    "Évelyne",
    "Chantal",
    "Françoise",
    "Patricia",
    "Corinne",
    "Valérie",
    "Florence",
    "Anne",
)
MIDDLE_AGED_MEN_FIRST_NAMES = (
    "Patrick",
    "Philippe",
    "Thierry",
    "Pascal",
    "Éric",
    "Alain",
    "Daniel",
    "Gérard",
    "Christian",
    "Jean-Pierre",
    "Didier",
    "Bruno",
    "Michel",
    "Laurent",
    "Dominique",
    "Frédéric",
    "Jean-Luc",
    "Olivier",
)
# Telephone numbers ARCEP reserves for fiction: 04 65 71 xx xx (landlines of the region),
# 06 39 98 xx xx (mobiles).
LANDLINE_PREFIX = "04 65 71"
MOBILE_PREFIX = "06 39 98"
TRUSTED_PERSON_SHARE = 0.6  # adults who designated a personne de confiance
PROTECTED_SHARE = 0.15  # adults under a legal protection measure
# Measures and who exercises them (family or the mandataire association), with weights.
PROTECTIONS = (
    ("tutelle", 30),
    ("curatelle_renforcee", 25),
    ("curatelle_simple", 10),
    ("habilitation_representation", 15),
    ("habilitation_assistance", 5),
    ("sauvegarde", 10),
    ("mandat_protection_future", 5),
)
FAMILY_ONLY_PROTECTIONS = ("habilitation_representation", "habilitation_assistance")
MANDATAIRE_SHARE = 0.6  # of the tutelles and curatelles
COURTS = (
    "Tribunal judiciaire de Lyon — juge des contentieux de la protection",
    "Tribunal judiciaire de Villefranche-sur-Saône — juge des contentieux de la protection",
    "Tribunal judiciaire de Saint-Étienne — juge des contentieux de la protection",
)


# Partners of the organisation (fictional): two GPs and a mandataire judiciaire association.
@dataclass(frozen=True)
class PartnerPlan:
    kind: str
    name: str
    phone: str
    address: str
    email: str = ""


PARTNERS = (
    PartnerPlan(
        "gp",
        "Dr Anne-Sophie Berthier",
        "04 65 71 40 11",
        "5 rue du Docteur Rollet, 69100 Villeurbanne",
    ),
    PartnerPlan(
        "gp",
        "Dr Karim Mansouri",
        "04 65 71 40 22",
        "27 avenue Henri Barbusse, 69100 Villeurbanne",
    ),
    PartnerPlan(
        "protection",
        "Association tutélaire Rhône-Beaujolais",
        "04 65 71 50 00",
        "14 quai des Tanneurs, 69400 Villefranche-sur-Saône",
        "contact@tutelaire-rhone-beaujolais.example",
    ),
)

# -- administrative -------------------------------------------------------------------------

# Addresses before admission: fictional streets (Faker) in these real towns.
TOWNS = (
    ("69100", "Villeurbanne"),
    ("69003", "Lyon"),
    ("69008", "Lyon"),
    ("69500", "Bron"),
    ("69200", "Vénissieux"),
    ("69400", "Villefranche-sur-Saône"),
    ("69400", "Gleizé"),
    ("69220", "Belleville-en-Beaujolais"),
    ("69170", "Tarare"),
    ("69120", "Vaulx-en-Velin"),
)
INSURANCE = (
    # (scheme, fund, weight)
    ("general", "CPAM du Rhône", 70),
    ("general", "CPAM de la Loire", 5),
    ("general", "CPAM de l'Ain", 4),
    ("agricultural", "MSA Ain-Rhône", 12),
    ("civil_servants", "CPAM du Rhône (section locale fonctionnaires)", 7),
    ("other", "CNMSS", 2),
)
# Fictional complementary insurers.
COMPLEMENTARY_INSURERS = (
    "Mutuelle des Monts du Lyonnais",
    "Mutuelle Rhône-Saône",
    "Prévoyance du Beaujolais",
    "Mutuelle des Canuts",
    "Solidarité Santé Dauphiné",
)
SOLIDARITY_SHARE = 0.08  # complémentaire santé solidaire instead of a mutual insurer
LONG_TERM_CONDITION_SHARE = {"elderly": 0.65, "young": 0.5}
# Who pays the APA: the Métropole de Lyon for the Villeurbanne EHPAD, the Département du
# Rhône for Villefranche.
APA_PAYERS = {"tilleuls": "Métropole de Lyon", "vignes": "Département du Rhône"}
APA_SHARE = 0.75  # of EHPAD residents
ASH_SHARE = 0.15  # aide sociale à l'hébergement
HOUSING_AID_SHARE = 0.3
AAH_SHARE = 0.3  # of IME young adults (18 and over)

# -- care -----------------------------------------------------------------------------------

# Allergies and intolerances: key → (substance, kind, severity, reaction, intolerance).
ALLERGENS = {
    "penicillin": ("Pénicillines", "drug", "severe", "Œdème de Quincke", False),
    "amoxicillin": ("Amoxicilline", "drug", "moderate", "Urticaire généralisée", False),
    "aspirin": ("Acide acétylsalicylique (aspirine)", "drug", "moderate", "Bronchospasme", False),
    "iodine": ("Produits de contraste iodés", "drug", "severe", "Choc anaphylactique", False),
    "codeine": ("Codéine", "drug", "mild", "Nausées, vomissements", True),
    "sulfonamides": ("Sulfamides", "drug", "moderate", "Éruption cutanée", False),
    "latex": ("Latex", "environment", "moderate", "Eczéma de contact", False),
    "peanut": ("Arachide", "food", "severe", "Anaphylaxie", False),
    "shellfish": ("Crustacés", "food", "moderate", "Urticaire", False),
    "egg": ("Œuf", "food", "mild", "Troubles digestifs", False),
    "lactose": ("Lactose", "food", "mild", "Ballonnements", True),
    "gluten": ("Gluten", "food", "unknown", "", True),
}
ALLERGY_SHARE = 0.2
# Alerts of the record header: key → (category, label, level).
ALERTS = {
    "fall": ("care", "Risque de chute", "warning"),
    "wandering": ("care", "Risque de fugue", "danger"),
    "swallowing": ("care", "Troubles de la déglutition : textures modifiées", "warning"),
    "bmr": ("medical", "Portage de BMR : précautions complémentaires contact", "warning"),
    "no_disclosure": ("administrative", "Ne pas communiquer la présence", "danger"),
    "hearing": ("care", "Malentendant : appareillé des deux côtés", "info"),
}
ALERT_SHARE = 0.12


def secretary_usernames() -> dict[str, str]:
    """The login that registers persons in each establishment (identity checks, INS, files)."""
    return _first_login_of({"secretaire"})


def carer_usernames() -> dict[str, str]:
    """The login that records allergies and care alerts in each establishment."""
    return _first_login_of({"ide", "idec", "medecin", "educateur_specialise"})


def _first_login_of(professions: set[str]) -> dict[str, str]:
    logins: dict[str, str] = {}
    for plan in STAFF:
        if plan.profession in professions and plan.establishment != ALL_ESTABLISHMENTS:
            logins.setdefault(plan.establishment, plan.username)
    return logins
