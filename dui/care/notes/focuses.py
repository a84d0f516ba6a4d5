"""The focus list (cibles) offered while an establishment has not made its own.

A convention of this project drawn from common nursing practice (targeted notes by « cibles »,
as taught in French nursing schools), NOT a national list: no national value set of cibles
exists (issue 13 research notes §1.1). Each establishment adopts it and edits it."""

from .models import NoteCategory

DEFAULT_FOCUSES = (
    ("Douleur", NoteCategory.CARE),
    ("Alimentation / hydratation", NoteCategory.CARE),
    ("Élimination", NoteCategory.CARE),
    ("Sommeil", NoteCategory.CARE),
    ("Comportement", NoteCategory.CARE),
    ("Chute", NoteCategory.CARE),
    ("État cutané", NoteCategory.CARE),
    ("Mobilité", NoteCategory.CARE),
    ("Moral / humeur", NoteCategory.CARE),
    ("Relations / famille", NoteCategory.SOCIAL),
    ("Hygiène", NoteCategory.CARE),
    ("Respiration", NoteCategory.CARE),
    ("Autonomie", NoteCategory.CARE),
    ("Activité", NoteCategory.EDUCATIONAL),
)

# The form key of a focus of the default list (« defaut-3 »), before the establishment has
# saved the list as its own.
DEFAULT_KEY_PREFIX = "defaut-"
