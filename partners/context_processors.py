from django.conf import settings


def programme(request):
    """What every page may show about the programme's contacts."""
    return {"partner_desk_email": settings.EXTRANET_PARTNER_DESK_EMAIL}
