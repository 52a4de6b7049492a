"""Public certificate verification (证书查验): the page a certificate's QR code links to.

Anyone may look up a serial. ``verify_serial`` never raises and says nothing about anything but
the certificate that a genuine serial names, so a made-up or altered serial learns only that it
is not genuine. The pages are kept out of search engines and caches: a result can change the
day an award is revoked.
"""

from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from scoring.certificates.services.certificates import MAX_SERIAL_INPUT, verify_serial


def _verification_response(request, serial: str):
    verification = verify_serial(serial) if serial.strip() else None
    response = TemplateResponse(
        request,
        "home/verification.html",
        {"serial": serial[:MAX_SERIAL_INPUT], "verification": verification},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def verify(request):
    """The form; with ``?serial=`` also the result, so the form works without JavaScript."""
    return _verification_response(request, request.GET.get("serial", ""))


@never_cache
def verify_certificate(request, serial: str):
    """The address printed on (and encoded in the QR code of) a certificate."""
    return _verification_response(request, serial)
