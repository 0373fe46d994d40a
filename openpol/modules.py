"""The modules of the portal, and which roles see each on their dashboard.

A module without a URL is shown as "arriving in a later release", so each role sees where its work
will appear; each module's issue fills in its URL name here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

NCB = (Role.NCB_ADMIN, Role.NCB_OFFICER)
BHARATPOL = (*NCB, Role.ILO, Role.UO)
POLICE = (*BHARATPOL, Role.DISTRICT_OFFICER, Role.STATION_OFFICER)


@dataclass(frozen=True)
class Module:
    key: str
    title: str
    description: str
    roles: tuple[str, ...]
    url_name: str | None = None


MODULES = (
    Module(
        "users",
        _("Accounts"),
        _("Create and disable the accounts you are responsible for."),
        (Role.NCB_ADMIN, Role.ILO, Role.SYSADMIN),
        "accounts:user_list",
    ),
    Module(
        "directory",
        _("Directory"),
        _("Agencies, unit offices, police stations, states and districts."),
        (*POLICE, Role.SYSADMIN),
        "directory:agency_list",
    ),
    Module(
        "audit",
        _("Audit trail"),
        _("Who did what, when and from where; verify the chain."),
        (Role.NCB_ADMIN, Role.SYSADMIN),
        "audit:entry_list",
    ),
    Module("inbox", _("Inbox"), _("What waits for you, nearest deadline first."), BHARATPOL, "workflow:inbox"),
    Module(
        "notices",
        _("Interpol Notices"),
        _("Request Red, Yellow, Blue and other notices, reviewed UO → ILO → NCB."),
        BHARATPOL,
        "notices:list",
    ),
    Module(
        "references",
        _("Interpol References"),
        _("Ask police abroad for assistance and follow their replies."),
        BHARATPOL,
        "references:list",
    ),
    Module("outbound", _("Outbound queue"), _("Approved requests waiting for transmission to INTERPOL."), NCB, "workflow:outbound"),
    Module("broadcast", _("Broadcast"), _("Requests from foreign countries, for action or information."), BHARATPOL, "broadcast:list"),
    Module("connect", _("Connect"), _("Secure conversations along the NCB–ILO–UO hierarchy."), BHARATPOL, "connect:thread_list"),
    Module("resources", _("Resources"), _("Manuals, forms, procedures and training."), BHARATPOL, "resources:document_list"),
    Module("alerts", _("Crime alerts"), _("24x7 alerts on serious crime, to the stations that must know."), (*POLICE,), "alerts:inbox"),
    Module(
        "alerts_dashboard",
        _("Alert network use"),
        _("Alerts per state and month; who publishes none."),
        (*NCB, Role.ANALYST),
        "alerts:dashboard",
    ),
    Module("records", _("Crime records"), _("Search the national records of crimes and criminals."), (*POLICE,), "records:search"),
    Module(
        "hits",
        _("Possible matches"),
        _("Persons and vehicles of incoming items that may be in the records: confirm or reject them."),
        (*POLICE,),
        "records:hits",
    ),
    Module(
        "citizen",
        _("Citizen requests"),
        _("Complaints, e-FIRs, verifications and NOCs from citizens."),
        (Role.STATION_OFFICER, Role.DISTRICT_OFFICER, Role.ILO),
        "citizen_station:inbox",
    ),
    Module(
        "my_requests",
        _("My requests"),
        _("Report a crime, ask for a verification or an NOC, and track it."),
        (Role.CITIZEN,),
        "citizen_public:my_requests",
    ),
    Module("services", _("Citizen services"), _("All the services of the police, online."), (Role.CITIZEN,), "citizen_public:index"),
    Module(
        "insights", _("Statistics"), _("How the portal is used, by state and agency."), (Role.NCB_ADMIN, Role.NCB_OFFICER, Role.ANALYST)
    ),
)


def modules_for(user) -> list[Module]:
    return [module for module in MODULES if user.role in module.roles]
