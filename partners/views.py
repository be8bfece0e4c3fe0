from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def programme(request):
    return render(request, "partners/programme.html", {})
