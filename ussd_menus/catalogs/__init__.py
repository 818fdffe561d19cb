"""Screen texts per language. French is the default; every language has the same keys."""
from . import en, fr

CATALOGS = {"fr": fr.TEXTS, "en": en.TEXTS}
