from django.urls import path

from casebook.site.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.sign_up, name="sign_up"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/<str:token>/", views.manage, name="manage"),
]
