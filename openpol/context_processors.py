from django.conf import settings


def portal(request):
    """What every page's frame needs: demo banner and the language switch's current path."""
    return {"DEMO_MODE": settings.DEMO_MODE, "current_path": request.get_full_path()}
