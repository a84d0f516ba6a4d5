"""Every module of this package defines instruments and registers them (base.register):
importing the package imports them all, so a new instrument is one new module."""

import importlib
import pkgutil

from .base import get, latest_instruments, register  # noqa: F401

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")
