"""Evaluates the common ways a Django settings module reads DEBUG, in this process's environment.

Prints one JSON object: idiom -> true, false, or "error: <exception>" when the idiom raises (as
strtobool does on an empty string, so such an app refuses to start rather than run in debug).
"""
import json
import os
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
try:
    from distutils.util import strtobool
except ImportError:  # Python 3.12 dropped distutils; setuptools keeps a copy
    from setuptools._distutils.util import strtobool

import environ

IDIOMS = {
    # The DigitalOcean tutorial's settings.py.
    "os.getenv('DEBUG', False)": lambda: bool(os.getenv("DEBUG", False)),
    "os.getenv('DEBUG') == 'True'": lambda: os.getenv("DEBUG") == "True",
    "os.environ.get('DEBUG', 'False').lower() in ('true', '1', 'yes')":
        lambda: os.environ.get("DEBUG", "False").lower() in ("true", "1", "yes"),
    "env.bool('DEBUG', default=False)": lambda: environ.Env().bool("DEBUG", default=False),
    "env.bool('DEBUG', default=True)": lambda: environ.Env().bool("DEBUG", default=True),
    "Env(DEBUG=(bool, False))('DEBUG')": lambda: environ.Env(DEBUG=(bool, False))("DEBUG"),
    "strtobool(os.getenv('DEBUG', 'False'))":
        lambda: bool(strtobool(os.getenv("DEBUG", "False"))),
}


def evaluate(idiom):
    try:
        return bool(idiom())
    except Exception as e:  # noqa: BLE001 -- reported, not hidden
        return "error: " + type(e).__name__


print(json.dumps({name: evaluate(idiom) for name, idiom in IDIOMS.items()}))
