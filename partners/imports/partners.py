"""Moving existing partners into the programme in bulk: a CSV or XLSX file, in admin or `manage.py import_partners`.

The whole file is checked before anything is written; one bad row and nothing is written.
A partner is found again by its UID, else by its name and postcode, so importing the same
file twice creates nobody twice. Lookups are loaded once per file, writes are bulk: the
number of queries does not grow with the number of rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Invitation, Partner
from ..models.organisations import Country
from .partner_columns import HeaderError, column_map
from .partner_rows import Action, Lookups, RowCells, RowError, RowOutcome
from .partner_write import UPDATABLE, partners_write, plan_invitations


@dataclass
class PartnerImportResult:
    dry_run: bool
    invite: bool
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count(Action.NEW)

    @property
    def updated(self) -> int:
        return self.count(Action.UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(Action.UNCHANGED)

    @property
    def invitations(self) -> list[Invitation]:
        return [outcome.invitation for outcome in self.outcomes if outcome.invitation is not None]


def partners_import(
    *, datasets: Iterable[tablib.Dataset], actor: User | None, invite: bool = False, dry_run: bool = False
) -> PartnerImportResult:
    """Check every row, then (unless `dry_run` or a row is bad) create and update the partners in one transaction.

    New partners are active, at the file's tier, with an ADMISSION tier change and history by
    `actor` (None from the command line). The tier of a partner that exists already is left
    alone: tier changes go through the tier review or a nomination. With `invite`, each
    partner with an owner email and neither an owner nor an open invitation to that address
    gets an owner invitation, emailed after the commit.
    """
    result = PartnerImportResult(dry_run=dry_run, invite=invite)
    rows = _read(datasets, result)
    if result.errors:
        return result
    lookups = Lookups.load([cells for _number, cells in rows], today=timezone.localdate())
    reader = RowReader(lookups)
    for number, cells in rows:
        outcome = reader.read(number, cells, result.errors)
        if outcome is not None:
            result.outcomes.append(outcome)
    if invite:
        plan_invitations(result.outcomes, lookups, actor=actor)
    if result.errors or dry_run:
        return result
    conflict = partners_write(result.outcomes, actor=actor, slugs=lookups.slugs)
    if conflict:
        result.errors.append(RowError(None, "", conflict))
    return result


__all__ = ["Action", "PartnerImportResult", "RowError", "RowOutcome", "partners_import"]


def _read(datasets: Iterable[tablib.Dataset], result: PartnerImportResult) -> list[tuple[int, dict]]:
    """The rows as (row number in the file, {column key: (header, value)}); the header is row 1."""
    rows: list[tuple[int, dict]] = []
    columns = None
    for dataset in datasets:
        if columns is None:
            headers = list(dataset.headers or [])
            try:
                columns = column_map(headers)
            except HeaderError as error:
                result.errors.append(RowError(1, "", str(error)))
                return []
        # formats.py numbers rows as a spreadsheet shows them, blank lines counted; plain datasets count from 2.
        numbers = getattr(dataset, "row_numbers", None) or range(len(rows) + 2, len(rows) + 2 + len(dataset))
        for number, values in zip(numbers, dataset, strict=True):
            rows.append((number, {key: (headers[index], values[index]) for key, index in columns.items()}))
    if columns is None:
        result.errors.append(RowError(None, "", _("The file is empty.")))
    return rows


class RowReader:
    """Turns each row into a planned new, updated or unchanged partner, or into errors."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.seen_uids: dict[str, int] = {}
        self.seen_names: dict[tuple[str, str], int] = {}
        self.seen_partners: dict[int, int] = {}
        self.seen_owners: dict[str, int] = {}

    def read(self, number: int, cells: dict, errors: list[RowError]) -> RowOutcome | None:
        lookups, row = self.lookups, RowCells(number, cells)
        values = {
            "name": row.text("name", required=True),
            "uid": row.uid(),
            "street": row.text("street"),
            "postcode": row.text("postcode"),
            "city": row.text("city"),
            "country": row.country(),
            "email": row.email("email"),
            "website": row.website(),
            "phone": row.text("phone"),
            "territory": row.lookup(
                "territory", lookups.territory_names, _("No territory has the code or name “%(value)s”.")
            ),
            "distributor": row.lookup(
                "distributor", lookups.distributors, _("No active distributor has the code or name “%(value)s”.")
            ),
            "account_manager": row.lookup(
                "account_manager", lookups.staff, _("%(value)s is not the email of an active staff member.")
            ),
            "joined_on": row.date("joined_on", lookups.today),
        }
        tier = row.lookup("tier", lookups.tiers, _("No tier has the code or name “%(value)s”."))
        owner_email, owner_language = row.email("owner_email"), row.language()
        partner = None if row.errors else self._existing(row, values)
        # A blank country means Switzerland for a new partner, and the partner's own for one that exists.
        values["region"] = row.region(values["country"] or (partner.country if partner else Country.SWITZERLAND))
        if not row.errors:
            self._check_duplicates(row, values, partner)
        if not row.errors:
            outcome = self._new(row, values, tier) if partner is None else self._update(row, values, tier, partner)
        if not row.errors and owner_email:
            self._check_owner(row, outcome.partner, owner_email)
        if row.errors:
            errors.extend(row.errors)
            return None
        outcome.owner_email = owner_email
        outcome.owner_language = owner_language or self._language_of(outcome.partner.territory_id)
        return outcome

    def _existing(self, row, values) -> Partner | None:
        if values["uid"] and values["uid"] in self.lookups.by_uid:
            return self.lookups.by_uid[values["uid"]]
        candidates = self.lookups.by_name_postcode.get((values["name"].casefold(), values["postcode"]), [])
        if values["uid"]:
            # A partner with another UID is another company, even with the same name and postcode.
            candidates = [partner for partner in candidates if not partner.uid]
        if len(candidates) > 1:
            row.error(
                "name",
                _("Several partners are called %(name)s at postcode %(postcode)s; give the UID.")
                % {
                    "name": values["name"],
                    "postcode": values["postcode"] or "-",
                },
            )
            return None
        return candidates[0] if candidates else None

    def _check_duplicates(self, row, values, partner) -> None:
        checks = [("name", self.seen_names, (values["name"].casefold(), values["postcode"]))]
        if values["uid"]:
            checks.append(("uid", self.seen_uids, values["uid"]))
        if partner is not None:
            checks.append(("name", self.seen_partners, partner.pk))
        for key, seen, identity in checks:
            if identity in seen:
                row.error(key, _("The same partner as in row %(row)d.") % {"row": seen[identity]})
                return
        for _key, seen, identity in checks:
            seen[identity] = row.number

    def _new(self, row, values, tier) -> RowOutcome:
        if tier is not None and tier.nomination_only:
            row.error(
                "tier",
                _(
                    "%(tier)s is granted by nomination only: import the partner at the tier it qualifies for, "
                    "then nominate it (a nomination needs a second staff member's confirmation)."
                )
                % {"tier": tier.name},
            )
        values["country"] = values["country"] or Country.SWITZERLAND
        if values["territory"] is None:
            values["territory"] = self.lookups.territory_for(country=values["country"], region=values["region"])
        if values["distributor"] is None:
            values["distributor"] = self.lookups.distributor_for(values["territory"])
        else:
            self._check_distributor(row, values["distributor"], values["territory"])
        values["joined_on"] = values["joined_on"] or self.lookups.today
        partner = Partner(tier=tier, status=Partner.Status.ACTIVE, **values)
        return RowOutcome(row.number, Action.NEW, partner)

    def _update(self, row, values, tier, partner) -> RowOutcome:
        given = {name: value for name, value in values.items() if value not in ("", None)}
        territory = given.get("territory", partner.territory)
        if "distributor" in given:
            self._check_distributor(row, given["distributor"], territory)
        elif territory != partner.territory:
            given["distributor"] = self.lookups.distributor_for(territory)
        changes = []
        for name in UPDATABLE:
            if name in given and getattr(partner, name) != given[name]:
                setattr(partner, name, given[name])
                changes.append(str(Partner._meta.get_field(name).verbose_name))
        outcome = RowOutcome(row.number, Action.UPDATED if changes else Action.UNCHANGED, partner, changes)
        if tier is not None and tier != partner.tier:
            outcome.notes.append(
                _(
                    "Tier kept at %(held)s (the file says %(tier)s): tier changes go through the tier review or a "
                    "nomination."
                )
                % {"held": partner.tier.name, "tier": tier.name}
            )
        if partner.status != Partner.Status.ACTIVE:
            outcome.notes.append(_("Status kept: %(status)s.") % {"status": partner.get_status_display()})
        return outcome

    def _check_distributor(self, row, distributor, territory) -> None:
        if territory is None:
            row.error("distributor", _("No territory is known for this address, so no distributor can serve it."))
        elif not self.lookups.serves(distributor, territory):
            row.error(
                "distributor",
                _("%(distributor)s does not serve %(territory)s.")
                % {"distributor": distributor.name, "territory": territory},
            )

    def _check_owner(self, row, partner, email) -> None:
        if email in self.seen_owners:
            row.error(
                "owner_email",
                _("The same owner as in row %(row)d; a person can own one partner only.")
                % {"row": self.seen_owners[email]},
            )
            return
        self.seen_owners[email] = row.number
        membership = self.lookups.members.get(email)
        if membership is None:
            return
        if membership.partner_id != partner.pk or membership.role != membership.Role.OWNER:
            row.error(
                "owner_email",
                _("%(email)s is a member of %(partner)s already; a person can belong to one partner only.")
                % {"email": email, "partner": membership.partner.name},
            )

    def _language_of(self, territory_id: int | None) -> str:
        # The territory's first language the site speaks, from the loaded territories (no query per row).
        offered = {code for code, _label in settings.LANGUAGES}
        territory = self.lookups.territory_ids.get(territory_id)
        codes = [language.code for language in territory.languages.all()] if territory else []
        return next((code for code in codes if code in offered), "en")
