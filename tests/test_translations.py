"""The German and French catalogues are complete and compiled: no page shows English by accident."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
# Templates copied from (or extending) allauth, Django admin and simple-history pages to restyle them:
# their strings are translated by those packages' own catalogues, which an empty entry here falls back
# to. Only these files: our own admin pages (templates/admin/partners/, admin/index.html, the action
# forms) are held to full translation like every other template.
THIRD_PARTY_COPIES = (
    "templates/account/email.html",
    "templates/account/login.html",
    "templates/account/signup_closed.html",
    "templates/admin/base_site.html",
    "templates/mfa/authenticate.html",
    "templates/mfa/webauthn/snippets/scripts.html",
    "templates/simple_history/object_history_list.html",
)


def from_copies_only(entry: polib.POEntry) -> bool:
    return all(path in THIRD_PARTY_COPIES for path, _line in entry.occurrences)


def own_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete and not from_copies_only(entry)]


def runtime_text(entry: polib.POEntry) -> str:
    """What a page shows for the entry: our catalogue first, then the packages' ones."""
    if entry.msgid_plural:
        if entry.msgctxt:
            return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
        return translation.ngettext(entry.msgid, entry.msgid_plural, 2)
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_string_of_ours_is_translated(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))

    missing = [entry.msgid for entry in own_entries(po) if not entry.translated()]

    assert not missing, f"{len(missing)} untranslated or fuzzy in {language}: {missing[:5]}"


@pytest.mark.parametrize("language", ["de", "fr"])
def test_strings_left_to_the_packages_are_translated_by_them(language):
    """A copy keeps the package's strings; a sentence of ours in a copy still needs our translation."""
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    left = [entry for entry in po if not entry.obsolete and from_copies_only(entry) and not entry.translated()]

    with translation.override(language):
        english = [entry.msgid for entry in left if runtime_text(entry) == (entry.msgid_plural or entry.msgid)]

    assert not english, f"{len(english)} strings of the copied templates show English in {language}: {english[:5]}"


def test_the_copies_exist():
    missing = [path for path in THIRD_PARTY_COPIES if not (Path(settings.BASE_DIR) / path).is_file()]

    assert not missing, f"THIRD_PARTY_COPIES names files that are gone: {missing}"


@pytest.mark.parametrize("language", ["de", "fr"])
def test_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))

    def pairs(entries):
        return {
            (
                entry.msgctxt,
                entry.msgid,
                entry.msgstr or tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())),
            )
            for entry in entries
            if entry.msgid
        }

    source = pairs(entry for entry in po if entry.translated())
    assert source == pairs(mo), f"locale/{language}: run `make messages` to compile the .mo file"
