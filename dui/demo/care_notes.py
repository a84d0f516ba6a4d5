"""Demo targeted notes (transmissions ciblées): every resident whose stay runs over the last
weeks gets 2 to 4 notes a day, written by the demo staff of their unit (and, now and then, by
the establishment's psychologist, educator or IDEC), a believable mix of foci, some flagged
important. Rows and their history rows go in bulk (`DemoSeeder.bulk_create`, COPY on
PostgreSQL), so the volume scales with `seed_demo --persons N` at a bounded cost: the window
is NOTE_DAYS days whatever `--years` (a unit's handover reads two shifts; the timeline pages).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import F

from dui.care.notes.focuses import DEFAULT_FOCUSES
from dui.care.notes.models import Note, NoteCategory, NoteFocus
from dui.core import dates

from . import data

NOTE_DAYS = 75
# The whole demo's notes stay under this many (with as many history rows): at
# `--persons 5000` the window shrinks to a few weeks so that seeding stays quick.
NOTES_BUDGET = 150_000
MIN_NOTE_DAYS = 10
NOTES_PER_DAY = (2, 2, 3, 3, 4)
IMPORTANT_SHARE = 0.12
# Written a little after the event (the end of a round): created_at = occurred_at + this.
WRITING_DELAY = timedelta(minutes=20)
CARE_WRITERS = {"as", "aes", "amp", "ide", "educateur_specialise", "moniteur_educateur"}

# (focus label, données, actions, résultats). Fictional, in the style of French care notes.
TEXTS = {
    "Douleur": [
        (
            "Se plaint du genou droit à la mobilisation, EVA 6/10.",
            "Antalgique donné selon protocole, installation au fauteuil avec coussin.",
            "EVA 3/10 une heure après.",
        ),
        (
            "Grimaces lors de la toilette, Algoplus 3.",
            "Toilette fractionnée, IDE prévenue.",
            "À réévaluer au prochain soin.",
        ),
        (
            "Douleurs lombaires au lever.",
            "Bouillotte, aide au lever à deux.",
            "Soulagée, a pu aller au repas.",
        ),
    ],
    "Alimentation / hydratation": [
        (
            "A mangé la moitié du plateau, refuse la viande.",
            "Proposé un laitage enrichi.",
            "Laitage pris en entier.",
        ),
        (
            "Boit peu depuis ce matin (environ 300 mL).",
            "Eau gélifiée proposée toutes les heures.",
            "600 mL à 17 h.",
        ),
        ("Repas pris en totalité avec aide partielle.", "", ""),
    ],
    "Élimination": [
        (
            "Pas de selles depuis 2 jours.",
            "Hydratation renforcée, pruneaux au petit-déjeuner.",
            "À surveiller demain.",
        ),
        ("Change complet à 6 h, urines foncées.", "Hydratation proposée.", ""),
        ("Selles normales ce matin.", "", ""),
    ],
    "Sommeil": [
        (
            "Nuit agitée, s'est levée trois fois.",
            "Réassurance, accompagnée aux toilettes.",
            "Rendormie vers 4 h.",
        ),
        ("A bien dormi.", "", ""),
        (
            "Difficultés d'endormissement, angoissée.",
            "Tisane, discussion calme, veilleuse allumée.",
            "Endormie à 23 h 30.",
        ),
    ],
    "Comportement": [
        (
            "Opposition à la toilette, agressivité verbale.",
            "Soin différé d'une heure, autre soignant.",
            "Toilette acceptée à 10 h.",
        ),
        (
            "Déambulation dans le couloir en fin d'après-midi.",
            "Accompagnée au salon, activité pliage proposée.",
            "Apaisée.",
        ),
    ],
    "Chute": [
        (
            "Retrouvée assise au sol près du lit à 5 h 40, pas de plainte.",
            "Relevée à deux, constantes prises, IDE et médecin prévenus, déclaration faite.",
            "Pas de lésion visible, surveillance renforcée.",
        ),
    ],
    "État cutané": [
        (
            "Rougeur persistante au talon gauche.",
            "Effleurage, talon en décharge, matelas vérifié.",
            "À revoir au prochain change.",
        ),
        ("Peau sèche des jambes.", "Application de crème émolliente.", ""),
    ],
    "Mobilité": [
        ("Marche avec déambulateur jusqu'à la salle à manger.", "Accompagnée.", "Bonne tolérance."),
        ("Transferts difficiles ce matin.", "Transfert avec verticalisateur.", "Kiné informé."),
    ],
    "Moral / humeur": [
        ("Triste, parle de son mari décédé.", "Temps d'écoute.", "Souriante au goûter."),
        ("De bonne humeur, a chanté pendant l'animation.", "", ""),
    ],
    "Relations / famille": [
        (
            "Visite de sa fille cet après-midi.",
            "Échange avec la fille sur le linge à renouveler.",
            "Linge apporté.",
        ),
        (
            "Appel du fils, inquiet pour la perte de poids.",
            "Informé de la pesée de la semaine, RDV proposé avec l'IDEC.",
            "",
        ),
    ],
    "Hygiène": [
        ("Douche ce matin.", "Aide totale, shampoing.", "Bien acceptée."),
        ("Refuse la toilette du soir.", "Reproposée plus tard.", "Toilette faite à 20 h."),
    ],
    "Respiration": [
        (
            "Toux grasse, encombrement.",
            "Position demi-assise, IDE prévenue, SpO2 à 94 %.",
            "Surveillance de la température.",
        ),
    ],
    "Autonomie": [
        ("A fait seule sa toilette du haut.", "Stimulation verbale.", ""),
    ],
    "Activité": [
        ("A participé à l'atelier mémoire.", "", "Attentive, a aidé sa voisine."),
        ("Sortie au marché avec le groupe.", "Accompagnement.", "Contente de la sortie."),
    ],
}
PSYCHOLOGICAL = [
    (
        "Entretien psychologique",
        "Entretien de 30 minutes : évoque son entrée à l'EHPAD et la vente de sa maison.",
        "Écoute, reformulation.",
        "Prochain entretien dans 15 jours.",
    ),
    (
        "Entretien psychologique",
        "Anxiété le soir, peur d'être oubliée par sa famille.",
        "Entretien, lien avec l'équipe pour les appels du soir.",
        "",
    ),
]
EDUCATIONAL = [
    (
        "Projet personnalisé",
        "Souhaite reprendre le jardinage.",
        "Inscription à l'atelier jardin du jeudi.",
        "",
    ),
    (
        "Activité",
        "Atelier cuisine : a épluché les légumes.",
        "Accompagnement à l'atelier.",
        "Très investi.",
    ),
]
# A share of the notes by the establishment-wide professions.
PSYCHOLOGICAL_SHARE = 0.03
EDUCATIONAL_SHARE = 0.05
# Hours of the events (local time): the day, a few at night.
HOURS = (7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 22, 2, 5)


def _establishment_key(seeder, establishment_id) -> str:
    for key, seeded in seeder.establishments.items():
        if seeded.establishment.pk == establishment_id:
            return key
    return ""


def _writers(seeder) -> dict:
    """(establishment key, unit name or None, profession) → users, from the demo staff."""
    cached = getattr(seeder, "_note_writers", None)
    if cached is not None:
        return cached
    writers = defaultdict(list)
    for plan in data.STAFF:
        user = seeder.users.get(plan.username)
        if user is None or plan.establishment == data.ALL_ESTABLISHMENTS:
            continue
        writers[(plan.establishment, plan.unit)].append((plan.profession, user))
    seeder._note_writers = writers
    return writers


def _focuses(seeder, establishment) -> dict[str, NoteFocus]:
    """The establishment's focus list (the default list, saved in bulk the first time)."""
    cache = seeder.__dict__.setdefault("_note_focuses", {})
    if establishment.pk not in cache:
        rows = {f.label: f for f in NoteFocus.objects.filter(establishment=establishment)}
        if not rows:
            created = [
                NoteFocus(
                    public_id=seeder._uuid(),
                    establishment=establishment,
                    label=label,
                    category=category,
                    order=order,
                )
                for order, (label, category) in enumerate(DEFAULT_FOCUSES, start=1)
            ]
            seeder.bulk_create(NoteFocus, created, "note focuses")
            rows = {f.label: f for f in created}
        cache[establishment.pk] = rows
    return cache[establishment.pk]


def note_days(seeder) -> int:
    """Days of notes per resident: NOTE_DAYS, fewer when the demo is large (NOTES_BUDGET,
    three notes a day, about three persons in four with a stay under way)."""
    cached = getattr(seeder, "_note_days", None)
    if cached is None:
        from dui.people.models import Person

        persons = max(1, Person.objects.count())
        cached = max(MIN_NOTE_DAYS, min(NOTE_DAYS, NOTES_BUDGET * 4 // (3 * 3 * persons)))
        # The test settings ask for a short history (DUI_DEMO_CARE_DAYS): the suite seeds the
        # demo many times.
        cached = min(cached, settings.DUI_DEMO_CARE_DAYS)
        seeder._note_days = cached
    return cached


def seed_notes(seeder, stays) -> None:
    """Notes for the stays (just inserted) that run over the last `note_days` days."""
    rng = seeder.rng
    today = seeder.today
    now = seeder.now
    first_day = today - timedelta(days=note_days(seeder) - 1)
    writers = _writers(seeder)
    notes: list[Note] = []
    for stay in stays:
        start = max(stay.started_on, first_day)
        end = min(stay.ended_on or today, today)
        if end < start:
            continue
        key = _establishment_key(seeder, stay.establishment_id)
        unit_name = stay.unit.name if stay.unit_id else None
        unit_staff = [u for p, u in writers.get((key, unit_name), []) if p in CARE_WRITERS]
        wide = writers.get((key, None), [])
        carers = unit_staff or [u for p, u in wide if p in CARE_WRITERS | {"idec"}]
        if not carers:
            continue
        psychologists = [u for p, u in wide if p == "psychologue"]
        educators = [u for p, u in wide if p in ("educateur_specialise", "moniteur_educateur")]
        educators += [
            u
            for p, u in writers.get((key, unit_name), [])
            if p in ("educateur_specialise", "moniteur_educateur", "aes", "amp")
        ]
        focuses = _focuses(seeder, stay.establishment)
        zone = dates.zone_of(stay.establishment)
        day = start
        while day <= end:
            for _ in range(rng.choice(NOTES_PER_DAY)):
                hour = rng.choice(HOURS)
                occurred_at = datetime.combine(day, time(hour, rng.randrange(0, 60))).replace(
                    tzinfo=zone
                )
                if occurred_at + WRITING_DELAY > now:
                    continue
                roll = rng.random()
                focus = None
                focus_text = ""
                if roll < PSYCHOLOGICAL_SHARE and psychologists:
                    focus_text, d, a, r = rng.choice(PSYCHOLOGICAL)
                    category, author = NoteCategory.PSYCHOLOGICAL, rng.choice(psychologists)
                elif roll < PSYCHOLOGICAL_SHARE + EDUCATIONAL_SHARE and educators:
                    label, d, a, r = rng.choice(EDUCATIONAL)
                    focus = focuses.get(label)
                    focus_text = "" if focus else label
                    category, author = NoteCategory.EDUCATIONAL, rng.choice(educators)
                else:
                    label = rng.choice(list(TEXTS))
                    d, a, r = rng.choice(TEXTS[label])
                    focus = focuses.get(label)
                    focus_text = "" if focus else label
                    category = focus.category if focus else NoteCategory.CARE
                    author = rng.choice(carers)
                notes.append(
                    Note(
                        public_id=seeder._uuid(),
                        person_id=stay.person_id,
                        establishment_id=stay.establishment_id,
                        stay=stay,
                        unit_id=stay.unit_id,
                        focus=focus,
                        focus_text=focus_text,
                        data=d,
                        actions=a,
                        results=r,
                        category=category,
                        important=rng.random() < IMPORTANT_SHARE
                        or (focus is not None and focus.label == "Chute"),
                        occurred_at=occurred_at,
                        author=author,
                        created_by=author,
                        updated_by=author,
                    )
                )
            day += timedelta(days=1)
    if not notes:
        return
    seeder.bulk_create(Note, notes, "notes")
    # `created_at` is set at insertion (auto_now_add): the demo notes were written just after
    # their event, which the handover (« written since… ») reads.
    delay = {
        "created_at": F("occurred_at") + WRITING_DELAY,
        "updated_at": F("occurred_at") + WRITING_DELAY,
    }
    if all(n.pk for n in notes):
        pks = [n.pk for n in notes]
        Note.objects.filter(pk__gte=min(pks), pk__lte=max(pks)).update(**delay)
    else:  # a backend that does not return the keys of a bulk insert
        for start in range(0, len(notes), 2000):
            batch = [n.public_id for n in notes[start : start + 2000]]
            Note.objects.filter(public_id__in=batch).update(**delay)
