"""The German and French catalogues are complete and compiled: no page shows English by accident."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
# Templates copied from allauth, Django admin and simple-history to restyle them: their strings
# are translated by those packages' own catalogues, which an empty entry here falls back to.
THIRD_PARTY_COPIES = ("templates/account/", "templates/admin/", "templates/simple_history/", "templates/mfa/")


def own_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [
        entry
        for entry in po
        if not entry.obsolete and not all(path.startswith(THIRD_PARTY_COPIES) for path, _line in entry.occurrences)
    ]


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_string_of_ours_is_translated(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))

    missing = [entry.msgid for entry in own_entries(po) if not entry.translated()]

    assert not missing, f"{len(missing)} untranslated or fuzzy in {language}: {missing[:5]}"


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
