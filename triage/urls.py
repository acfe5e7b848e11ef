from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("", views.paste, name="paste"),
    path("step/", views.step, name="step"),
    path("feedback/", views.feedback, name="feedback"),
    path("unanswered/", views.unanswered, name="unanswered"),
]
