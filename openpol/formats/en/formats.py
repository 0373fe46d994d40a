"""Dates in one Indian style in both languages: "12 Apr 1985" and "12 Apr 1985, 14:30", never "April 12, 1985".

Typed dates are read day first (12/04/1985 is 12 April), as India writes them; ISO (1985-04-12) first, as date
fields send it. The Hindi formats (../hi/formats.py) are these.
"""

DATE_FORMAT = "d M Y"
SHORT_DATE_FORMAT = "d M Y"
DATETIME_FORMAT = "d M Y, H:i"
SHORT_DATETIME_FORMAT = "d M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "d M"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 1985-04-12
    "%d/%m/%Y",  # 12/04/1985
    "%d-%m-%Y",  # 12-04-1985
    "%d.%m.%Y",  # 12.04.1985
    "%d %b %Y",  # 12 Apr 1985
    "%d %B %Y",  # 12 April 1985
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # as datetime-local fields send it
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)  # Indian grouping where separators are shown: 12,34,567
