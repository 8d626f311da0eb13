from django.http import HttpResponse
from django.templatetags.static import static

from .models import Question
from .version import VERSION


def healthz(request):
    """Answers without a database query: what the probes should ask."""
    return HttpResponse('ok\n', content_type='text/plain')


def index(request):
    """A page that needs the database (and, from v2, the v2 migration's table)."""
    questions = list(Question.objects.order_by('-pub_date')[:5])
    choices = 0
    if VERSION >= 2:
        from .models import Choice
        choices = Choice.objects.count()
    body = '<link rel="stylesheet" href="%s">polls v%d: %d questions, %d choices\n' % (
        static('polls/style.css'), VERSION, len(questions), choices)
    return HttpResponse(body)
