from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dui.accounts"
    label = "accounts"
    verbose_name = "Professionnels"
