"""One row of a partner import, checked against what the database holds (loaded once per file)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Distributor, Invitation, Language, Membership, Partner, Territory, Tier
from ..models.organisations import Country
from ..validators import SWISS_CANTONS, validate_swiss_uid
from .formats import cell_text, normalised_uid, parse_date

# The longest text each column may hold: its database column's, so a row error comes before a DataError.
MAX_LENGTHS = {
    key: Partner._meta.get_field(key).max_length
    for key in ("name", "street", "postcode", "city", "region", "email", "website", "phone")
} | {"owner_email": Invitation._meta.get_field("email").max_length}
LOOKUP_MAX_LENGTH = 200  # tier, territory, distributor names: compared, never stored
RAW_UID_MAX_LENGTH = 40  # "CHE-123.456.788 MWST" and other spellings, before normalising


def text_of(value) -> str:
    """A cell as text, runs of spaces inside it made one: names and addresses compare so."""
    return " ".join(cell_text(value).split())


class Action:
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowError:
    """Why a row (or, with row None, the file) cannot be imported; `column` is the file's header."""

    row: int | None
    column: str
    reason: str

    def __str__(self):
        row = _("row %(row)d") % {"row": self.row} if self.row else ""
        where = ", ".join(part for part in (row, self.column) if part)
        return f"{where}: {self.reason}" if where else self.reason


@dataclass
class RowOutcome:
    row: int
    action: str
    partner: Partner
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    owner_email: str = ""
    owner_language: str = ""
    invitation: Invitation | None = None


def _by_name(objects, *attributes) -> dict:
    return {str(getattr(obj, attribute)).casefold(): obj for obj in objects for attribute in attributes}


@dataclass
class Lookups:
    """Everything a row is checked against, in a fixed number of queries whatever the file's length."""

    today: datetime.date
    tiers: dict[str, Tier]
    territories: list[Territory]
    territory_names: dict[str, Territory]
    territory_ids: dict[int, Territory]
    distributors: dict[str, Distributor]
    staff: dict[str, User]
    by_uid: dict[str, Partner]
    by_name_postcode: dict[tuple[str, str], list[Partner]]
    members: dict[str, Membership]
    owned: set[int]
    pending: dict[tuple[int, str], Invitation]
    slugs: set[str]

    @classmethod
    def load(cls, rows: list[dict], *, today: datetime.date) -> "Lookups":
        def values(key: str, transform=str.strip) -> set[str]:
            return {transform(text_of(cells[key][1])) for cells in rows if key in cells} - {""}

        territories = list(
            Territory.objects.order_by("pk").prefetch_related(Prefetch("languages", Language.objects.order_by("pk")))
        )
        distributors = list(Distributor.objects.active().prefetch_related("territories"))
        staff = User.objects.filter(is_staff=True, is_active=True).annotate(address=Lower("email"))
        uids = values("uid", lambda text: normalised_uid(text) or "")
        postcodes = {text_of(cells["postcode"][1]) if "postcode" in cells else "" for cells in rows}
        partners = list(
            Partner.objects.filter(Q(uid__in=uids) | Q(postcode__in=postcodes)).select_related(
                "tier", "territory", "distributor", "account_manager"
            )
        )
        by_name_postcode: dict[tuple[str, str], list[Partner]] = {}
        for partner in partners:
            by_name_postcode.setdefault((partner.name.casefold(), partner.postcode), []).append(partner)
        owners = values("owner_email", str.lower)
        ids = [partner.pk for partner in partners]
        return cls(
            today=today,
            tiers=_by_name(Tier.objects.all(), "code", "name"),
            territories=territories,
            territory_names=_by_name(territories, "code", "name"),
            territory_ids={territory.pk: territory for territory in territories},
            distributors=_by_name(distributors, "code", "name"),
            staff={user.address: user for user in staff.filter(address__in=values("account_manager", str.lower))},
            by_uid={partner.uid: partner for partner in partners if partner.uid},
            by_name_postcode=by_name_postcode,
            members={
                m.address: m
                for m in Membership.objects.annotate(address=Lower("user__email"))
                .filter(address__in=owners)
                .select_related("partner")
            },
            owned=set(
                Membership.objects.filter(partner__in=ids, role=Membership.Role.OWNER).values_list(
                    "partner_id", flat=True
                )
            ),
            pending={(i.partner_id, i.email.lower()): i for i in Invitation.objects.pending().filter(partner__in=ids)},
            slugs=set(Partner.objects.values_list("slug", flat=True)),
        )

    def territory_for(self, *, country: str, region: str) -> Territory | None:
        # territory_for_address's rule, on the loaded territories: no query per row.
        whole_country = None
        for territory in self.territories:
            if territory.country != country:
                continue
            codes = territory.region_codes()
            if region and region.upper() in codes:
                return territory
            if not codes and whole_country is None:
                whole_country = territory
        return whole_country

    def distributor_for(self, territory: Territory | None) -> Distributor | None:
        # distributor_for_territory's rule (the active distributor with the lowest id), without a query.
        serving = [d for d in self.distributors.values() if territory and self.serves(d, territory)]
        return min(serving, key=lambda d: d.pk, default=None)

    @staticmethod
    def serves(distributor: Distributor, territory: Territory) -> bool:
        return any(t.pk == territory.pk for t in distributor.territories.all())


class RowCells:
    """The cells of one row; every problem is kept as a RowError with the file's header."""

    def __init__(self, number: int, cells: dict):
        self.number, self.cells, self.errors = number, cells, []

    def header(self, key: str) -> str:
        return self.cells[key][0]

    def error(self, key: str, reason: str) -> None:
        self.errors.append(RowError(self.number, self.header(key) if key in self.cells else key, reason))

    def raw(self, key: str):
        return self.cells[key][1] if key in self.cells else ""

    def text(self, key: str, *, max_length: int | None = None, required: bool = False) -> str:
        text = text_of(self.raw(key))
        if required and not text:
            self.error(key, _("This value is required."))
        return self.fitting(key, text, max_length or MAX_LENGTHS.get(key, LOOKUP_MAX_LENGTH))

    def fitting(self, key: str, text: str, max_length: int) -> str:
        """`text`, or "" after an error when it is longer than `max_length`."""
        if len(text) > max_length:
            self.error(key, _("Longer than %(max)d characters.") % {"max": max_length})
            return ""
        return text

    def checked(self, key: str, text: str, validator) -> str:
        try:
            validator(text)
        except ValidationError as error:
            self.error(key, " ".join(error.messages))
            return ""
        return text

    def lookup(self, key: str, table: dict, unknown: str):
        text = self.text(key)
        if not text:
            return None
        found = table.get(text.casefold())
        if found is None:
            self.error(key, unknown % {"value": text})
        return found

    def email(self, key: str) -> str:
        text = self.text(key).lower()
        return self.checked(key, text, EmailValidator(_("“%s” is not an email address.") % text)) if text else ""

    def website(self) -> str:
        text = text_of(self.raw("website"))
        if text and "://" not in text:
            text = "https://" + text  # old data often has "www.example.ch"
            if len(text) > MAX_LENGTHS["website"]:
                # Measured as the database holds it, with the scheme.
                self.error(
                    "website",
                    _("Longer than %(max)d characters once https:// is added.") % {"max": MAX_LENGTHS["website"]},
                )
                return ""
        text = self.fitting("website", text, MAX_LENGTHS["website"])
        message = _("“%(value)s” is not a web address.") % {"value": text}
        return self.checked("website", text, URLValidator(message=message)) if text else ""

    def uid(self) -> str:
        text = self.text("uid", max_length=RAW_UID_MAX_LENGTH)
        text = normalised_uid(text) or text.upper()
        return self.checked("uid", text, validate_swiss_uid) if text else ""

    def country(self) -> str:
        text = self.text("country")
        if not text:
            return ""
        codes = {code.casefold(): code for code in Country.values} | {
            str(label).casefold(): code for code, label in Country.choices
        }
        if text.casefold() not in codes:
            self.error("country", _("“%(value)s” is not a country code such as CH, DE or AT.") % {"value": text})
            return ""
        return codes[text.casefold()]

    def region(self, country: str) -> str:
        text = self.text("region")
        if text and country == Country.SWITZERLAND:
            text = text.upper()
            if text not in SWISS_CANTONS:
                self.error(
                    "region",
                    _("%(region)s is not a Swiss canton; use its two-letter code, e.g. ZG.") % {"region": text},
                )
                return ""
        return text

    def language(self) -> str:
        text = self.text("owner_language").casefold()
        if not text:
            return ""
        for code, _label in settings.LANGUAGES:
            info = get_language_info(code)
            if text in {code, info["name"].casefold(), info["name_local"].casefold()} or text.startswith(code + "-"):
                return code
        choices = ", ".join(code for code, _label in settings.LANGUAGES)
        self.error(
            "owner_language",
            _("“%(value)s” is not one of the languages %(choices)s.")
            % {
                "value": text,
                "choices": choices,
            },
        )
        return ""

    def date(self, key: str, today: datetime.date) -> datetime.date | None:
        value = self.raw(key)
        if text_of(value) == "":
            return None
        try:
            day = parse_date(value)
        except ValueError:
            self.error(key, _("“%(value)s” is not a date (use 31.12.2026 or 2026-12-31).") % {"value": value})
            return None
        if day > today:
            self.error(key, _("%(date)s is in the future.") % {"date": day.isoformat()})
            return None
        return day
