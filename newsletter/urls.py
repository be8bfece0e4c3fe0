app_name = "newsletter"
urlpatterns = []
