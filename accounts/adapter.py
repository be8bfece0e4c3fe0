from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in rules for the extranet.

    Nobody signs up freely: a company applies to become a partner, and staff are
    created by staff. The application flow creates the account itself.
    """

    def is_open_for_signup(self, request):
        return False
