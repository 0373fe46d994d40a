"""Hindi pages write dates as English ones do (see ../en/formats.py), with the month's name in Hindi."""

from openpol.formats.en.formats import *  # noqa: F403
