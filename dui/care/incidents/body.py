"""The body diagram of wounds: named zones on a front and a back view, drawn as a server-
rendered SVG (no library; strict CSP: no inline script or style — the look is in
`dui/static/dui/css/care-incidents.css`, tapping a zone fills the select through
`dui/static/dui/js/care-body-diagram.js`, and without JavaScript each zone is a link that
reloads the form with the zone chosen).

The zones are the usual pressure points of a bed- or chair-bound person (sacrum, heels, hips —
trochanters —, ischia, elbows, shoulder blades, occiput, ears, malleoli, spine) and the places
of the other wounds (shins for leg ulcers, forearms for skin tears, abdomen for surgical
wounds). Left and right are the person's: on the front view the person's right is on the
viewer's left, on the back view it is on the viewer's right.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FRONT, BACK = "front", "back"
VIEW_LABELS = {FRONT: "Face", BACK: "Dos"}
FIGURE_WIDTH = 200
BACK_OFFSET = 220
WIDTH, HEIGHT = 420, 410


@dataclass(frozen=True)
class Zone:
    code: str
    label: str
    view: str
    cx: int
    cy: int
    rx: int = 11
    ry: int = 11


ZONES: tuple[Zone, ...] = (
    # Back view (person's left on the viewer's left).
    Zone("occiput", "Occiput", BACK, 100, 34, 14, 10),
    Zone("shoulder_blade_left", "Omoplate gauche", BACK, 84, 96, 13, 14),
    Zone("shoulder_blade_right", "Omoplate droite", BACK, 116, 96, 13, 14),
    Zone("spine", "Rachis (épineuses)", BACK, 100, 136, 7, 16),
    Zone("elbow_left", "Coude gauche", BACK, 54, 140),
    Zone("elbow_right", "Coude droit", BACK, 146, 140),
    Zone("sacrum", "Sacrum", BACK, 100, 178, 14, 11),
    Zone("ischium_left", "Ischion gauche", BACK, 85, 202),
    Zone("ischium_right", "Ischion droit", BACK, 115, 202),
    Zone("calf_left", "Mollet gauche", BACK, 84, 300, 10, 16),
    Zone("calf_right", "Mollet droit", BACK, 116, 300, 10, 16),
    Zone("heel_left", "Talon gauche", BACK, 84, 372, 11, 9),
    Zone("heel_right", "Talon droit", BACK, 116, 372, 11, 9),
    # Front view (person's right on the viewer's left).
    Zone("ear_right", "Oreille droite", FRONT, 73, 40, 6, 10),
    Zone("ear_left", "Oreille gauche", FRONT, 127, 40, 6, 10),
    Zone("face", "Visage", FRONT, 100, 40, 14, 16),
    Zone("chest", "Thorax", FRONT, 100, 102, 22, 18),
    Zone("abdomen", "Abdomen", FRONT, 100, 152, 22, 18),
    Zone("forearm_right", "Avant-bras droit", FRONT, 54, 172, 9, 16),
    Zone("forearm_left", "Avant-bras gauche", FRONT, 146, 172, 9, 16),
    Zone("hip_right", "Hanche droite (trochanter)", FRONT, 68, 196),
    Zone("hip_left", "Hanche gauche (trochanter)", FRONT, 132, 196),
    Zone("knee_right", "Genou droit", FRONT, 84, 268),
    Zone("knee_left", "Genou gauche", FRONT, 116, 268),
    Zone("shin_right", "Jambe droite", FRONT, 84, 318, 10, 18),
    Zone("shin_left", "Jambe gauche", FRONT, 116, 318, 10, 18),
    Zone("malleolus_right", "Malléole droite", FRONT, 76, 352, 7, 7),
    Zone("malleolus_left", "Malléole gauche", FRONT, 124, 352, 7, 7),
    Zone("foot_right", "Pied droit", FRONT, 84, 378, 11, 8),
    Zone("foot_left", "Pied gauche", FRONT, 116, 378, 11, 8),
)
OTHER = "other"
OTHER_LABEL = "Autre localisation (à préciser)"
BY_CODE = {zone.code: zone for zone in ZONES}
CHOICES = [(zone.code, zone.label) for zone in ZONES] + [(OTHER, OTHER_LABEL)]

# One silhouette (head, trunk, arms, legs), drawn twice.
_SILHOUETTE = (
    '<circle cx="100" cy="40" r="24"/>'
    '<path d="M88 62 h24 v8 h-24 z"/>'
    '<path d="M66 70 h68 q8 0 8 10 v110 q0 12 -10 12 h-64 q-10 0 -10 -12 v-110 q0 -10 8 -10 z"/>'
    '<path d="M46 76 q6 -6 18 -2 v118 h-16 q-6 -60 -2 -116 z"/>'
    '<path d="M154 76 q-6 -6 -18 -2 v118 h16 q6 -60 2 -116 z"/>'
    '<path d="M72 204 h26 v156 q0 10 -8 10 h-12 q-8 0 -8 -10 z"/>'
    '<path d="M102 204 h26 v156 q0 10 -8 10 h-12 q-8 0 -8 -10 z"/>'
    '<path d="M70 366 h30 v18 h-30 z M100 366 h30 v18 h-30 z"/>'
)


def label_of(code: str) -> str:
    if code == OTHER:
        return "Autre localisation"
    zone = BY_CODE.get(code)
    return zone.label if zone else code


def body_diagram(
    *, selected=(), link: str | None = None, diagram_id: str = "body-diagram"
) -> SafeString:
    """The SVG: front and back views, every zone named (<title>); the zones in `selected` are
    highlighted. With `link` (a URL prefix such as « ?zone= »), every zone is a link a tap
    follows (the form's script catches it and fills the select instead)."""
    chosen = set(selected)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="body-diagram" id="{escape(diagram_id)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="group" '
        f'aria-label="Schéma du corps, face et dos">'
    ]
    for view, offset in ((FRONT, 0), (BACK, BACK_OFFSET)):
        parts.append(f'<g transform="translate({offset} 0)">')
        parts.append(f'<text class="body-view-label" x="100" y="404">{VIEW_LABELS[view]}</text>')
        parts.append(f'<g class="body-outline" aria-hidden="true">{_SILHOUETTE}</g>')
        for zone in ZONES:
            if zone.view != view:
                continue
            state = " selected" if zone.code in chosen else ""
            shape = (
                f'<ellipse class="zone-shape{state}" cx="{zone.cx}" cy="{zone.cy}" '
                f'rx="{zone.rx}" ry="{zone.ry}"><title>{escape(zone.label)}</title></ellipse>'
            )
            if link is not None:
                parts.append(
                    f'<a class="zone" href="{escape(link)}{zone.code}" data-zone="{zone.code}" '
                    f'aria-label="{escape(zone.label)}">{shape}</a>'
                )
            else:
                parts.append(shape)
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — built from escaped labels and numbers
