from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from kb import views as kb_views
from kb.sitemaps import sitemaps
from triage.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", kb_views.robots_txt, name="robots_txt"),
    path("favicon.ico", kb_views.favicon),
    path("healthz", kb_views.healthz, name="healthz"),
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("triage/", include("triage.urls")),
    path("api/", api.urls),
    path("", include("kb.urls")),
]
