app_name = "nfr"
urlpatterns = []
