"""The columns of a partner import: accepted header names (English or German)."""

from django.utils.translation import gettext_lazy as _

from .formats import header_key

# Canonical key: (label used in messages when the column is missing, accepted header names).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": (_("company name"), ("company name", "company", "name", "Firma", "Firmenname", "Name der Firma")),
    "uid": (_("UID"), ("UID", "UID-Nummer", "company UID", "Unternehmens-Identifikationsnummer")),
    "street": (_("street"), ("street", "address", "Adresse", "Strasse", "Straße")),
    "postcode": (_("postcode"), ("postcode", "postal code", "zip", "zip code", "PLZ", "Postleitzahl")),
    "city": (_("city"), ("city", "town", "place", "Ort", "Stadt")),
    "region": (_("region"), ("region", "canton", "canton / region", "Kanton", "Kanton / Region")),
    "country": (_("country"), ("country", "Land")),
    "email": (_("email"), ("email", "e-mail", "general email", "E-Mail", "E-Mail-Adresse")),
    "website": (_("website"), ("website", "web", "Webseite", "Homepage")),
    "phone": (_("phone"), ("phone", "telephone", "Telefon", "Telefonnummer")),
    "tier": (_("tier"), ("tier", "level", "partner level", "Stufe", "Partnerstufe")),
    "territory": (_("territory"), ("territory", "Gebiet", "Verkaufsgebiet")),
    "distributor": (_("distributor"), ("distributor", "buys through", "Distributor", "Grossist")),
    "account_manager": (
        _("account manager"),
        (
            "account manager",
            "account manager email",
            "channel account manager",
            "Kundenbetreuer",
            "Kundenbetreuer E-Mail",
            "Betreuer",
        ),
    ),
    "owner_email": (_("owner email"), ("owner email", "owner e-mail", "Inhaber E-Mail", "E-Mail des Inhabers")),
    "owner_name": (_("owner name"), ("owner name", "Inhaber Name", "Name des Inhabers")),
    "owner_language": (_("owner language"), ("owner language", "Inhaber Sprache", "Sprache des Inhabers")),
    "joined_on": (
        _("joined on"),
        ("joined on", "joined", "member since", "Beitritt", "Beitrittsdatum", "Partner seit"),
    ),
}
REQUIRED = ("name", "tier")

ALIASES = {header_key(alias): key for key, (_label, aliases) in COLUMNS.items() for alias in aliases}


class HeaderError(ValueError):
    """The header row cannot be imported; the message says why."""


def column_map(headers: list[str]) -> dict[str, int]:
    """Canonical key -> column index. Unknown columns are ignored (e.g. an export's number or status)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = ALIASES.get(header_key(header))
        if key is None:
            continue
        if key in found:
            raise HeaderError(
                _("Columns “%(first)s” and “%(second)s” both give the %(column)s; keep one of them.")
                % {"first": headers[found[key]], "second": header, "column": COLUMNS[key][0]}
            )
        found[key] = index
    missing = [key for key in REQUIRED if key not in found]
    if missing:
        raise HeaderError(
            "; ".join(
                _("The column “%(column)s” is missing (accepted names: %(names)s).")
                % {"column": COLUMNS[key][0], "names": ", ".join(COLUMNS[key][1])}
                for key in missing
            )
        )
    return found
