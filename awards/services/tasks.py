"""Background tasks (Django's ``django.tasks``). Each gathers its input and calls one service."""

from django.tasks import task

from awards.models import Application
from awards.services.application_pdf import generate_application_pdf


@task
def render_application_pdf_task(application_id: int) -> str:
    """Print a submitted application's PDF (申报书); returns the stored file name."""
    application = Application.objects.get(pk=application_id)
    return generate_application_pdf(application=application).pdf.name
