from django.urls import path

from triage import views

app_name = "triage"

# A paste's key is URL-safe base64 (secrets.token_urlsafe), which the slug converter fits.
urlpatterns = [
    path("", views.paste, name="paste"),
    path("<slug:key>/", views.result, name="result"),
    path("<slug:key>/step/", views.step, name="step"),
    path("<slug:key>/feedback/", views.feedback, name="feedback"),
    path("<slug:key>/thanks/<int:resolution>/", views.thanks, name="thanks"),
    path("<slug:key>/unanswered/", views.unanswered, name="unanswered"),
    path("<slug:key>/unanswered/sent/", views.unanswered_sent, name="unanswered_sent"),
]
