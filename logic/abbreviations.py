"""The planning vocabulary the catalog search knows.

ABBREVIATIONS are expanded both ways: searching "ADU" finds pages that say
"accessory dwelling units", and searching "accessory dwelling unit" finds pages
that say "ADUs". One entry a line; the abbreviation as it is written in text (a
page's "pace" or "bid" is not PACE or BID), the expansion in lower case, singular.

ALSO_SEARCHED are words a planner types for what the pages call otherwise: a
search for the word also finds the pages that use the others ("bicycle" finds
"bike lanes"). One way only, single lower-case words; any form of the word counts
("cyclists", "cycling"), as the search reads every word by its stem."""

from __future__ import annotations

ABBREVIATIONS: dict[str, str] = {
    "ADU": "accessory dwelling unit",
    "BID": "business improvement district",
    "BRT": "bus rapid transit",
    "CBA": "community benefits agreement",
    "CDBG": "community development block grant",
    "CLG": "certified local government",
    "EV": "electric vehicle",
    "FEMA": "federal emergency management agency",
    "GHG": "greenhouse gas",
    "GIS": "geographic information system",
    "GSI": "green stormwater infrastructure",
    "HPC": "historic preservation commission",
    "IoT": "internet of things",
    "LERTA": "local economic revitalization tax assistance",
    "LID": "low impact development",
    "MaaS": "mobility as a service",
    "MPC": "municipalities planning code",
    "MLUL": "municipal land use law",
    "MPO": "metropolitan planning organization",
    "MS4": "municipal separate storm sewer system",
    "NFIP": "national flood insurance program",
    "PACE": "property assessed clean energy",
    "PUD": "planned unit development",
    "SALDO": "subdivision and land development ordinance",
    "SID": "special improvement district",
    "TDM": "travel demand management",
    "TDR": "transfer of development rights",
    "TID": "tourism improvement district",
    "TIF": "tax increment financing",
    "TND": "traditional neighborhood development",
    "TOD": "transit-oriented development",
    "TRID": "transit revitalization investment district",
}


ALSO_SEARCHED: dict[str, tuple[str, ...]] = {
    "bicycle": ("bike", "biking"),
    "cycling": ("bike", "biking"),
    "bicyclist": ("bike", "biking"),
    "cyclist": ("bike", "biking"),
    "elderly": ("senior",),
    "carbon": ("emissions", "greenhouse"),
    "gentrification": ("displacement",),
    "blight": ("vacant", "abandoned"),
    "automobile": ("car", "vehicle"),
    "employment": ("jobs", "workforce"),
    "kids": ("children", "youth"),
    "groundwater": ("wells",),
}
