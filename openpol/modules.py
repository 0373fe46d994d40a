"""The modules of the portal, and the capability that puts each on a user's dashboard.

Which roles see a module follows from `accounts.access.CAPABILITIES` alone: there is no second table of roles here.
A module without a URL is shown as "arriving in a later release", so each role sees where its work will appear;
each module's issue fills in its URL name here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts import access


@dataclass(frozen=True)
class Module:
    key: str
    title: str
    description: str
    capability: str  # shown to those whose role has it (accounts.access.CAPABILITIES)
    url_name: str | None = None


MODULES = (
    Module("users", _("Accounts"), _("Create and disable the accounts you are responsible for."), "users.provision", "accounts:user_list"),
    Module(
        "directory",
        _("Directory"),
        _("Agencies, unit offices, police stations, states and districts."),
        "directory.view",
        "directory:agency_list",
    ),
    Module("audit", _("Audit trail"), _("Who did what, when and from where; verify the chain."), "audit.view", "audit:entry_list"),
    Module(
        "jobs",
        _("Background work"),
        _("Tasks waiting and failed, retries, and the periodic jobs' last runs."),
        "jobs.manage",
        "jobs:overview",
    ),
    Module("inbox", _("Inbox"), _("What waits for you, nearest deadline first."), "workflow.cooperation_inbox", "workflow:inbox"),
    Module(
        "notices",
        _("Interpol Notices"),
        _("Request Red, Yellow, Blue and other notices, reviewed UO → ILO → NCB."),
        "notices.view",
        "notices:list",
    ),
    Module(
        "references",
        _("Interpol References"),
        _("Ask police abroad for assistance and follow their replies."),
        "references.view",
        "references:list",
    ),
    Module(
        "outbound",
        _("Outbound queue"),
        _("Approved requests waiting for transmission to INTERPOL."),
        "transmission.operate",
        "workflow:outbound",
    ),
    Module(
        "broadcast", _("Broadcast"), _("Requests from foreign countries, for action or information."), "broadcast.view", "broadcast:list"
    ),
    Module("connect", _("Connect"), _("Secure conversations along the NCB–ILO–UO hierarchy."), "connect.use", "connect:thread_list"),
    Module("resources", _("Resources"), _("Manuals, forms, procedures and training."), "resources.view", "resources:document_list"),
    Module("alerts", _("Crime alerts"), _("24x7 alerts on serious crime, to the stations that must know."), "alerts.view", "alerts:inbox"),
    Module(
        "alerts_dashboard",
        _("Alert network use"),
        _("Alerts per state and month; who publishes none."),
        "alerts.dashboard",
        "alerts:dashboard",
    ),
    Module("records", _("Crime records"), _("Search the national records of crimes and criminals."), "records.search", "records:search"),
    Module(
        "hits",
        _("Possible matches"),
        _("Persons and vehicles of incoming items that may be in the records: confirm or reject them."),
        "records.search",
        "records:hits",
    ),
    Module(
        "citizen",
        _("Citizen requests"),
        _("Complaints, e-FIRs, verifications and NOCs from citizens."),
        "citizen.handle",
        "citizen_station:inbox",
    ),
    Module(
        "my_requests",
        _("My requests"),
        _("Report a crime, ask for a verification or an NOC, and track it."),
        "citizen.request",
        "citizen_public:my_requests",
    ),
    Module("services", _("Citizen services"), _("All the services of the police, online."), "citizen.request", "citizen_public:index"),
    Module(
        "insights",
        _("Statistics"),
        _("Crimes registered by crime head, and how each agency uses international cooperation."),
        "stats.view",
        "insights:overview",
    ),
)


def modules_for(user) -> list[Module]:
    """The modules on the user's dashboard: those whose capability the user's role has, in this order."""
    return [module for module in MODULES if access.can(user, module.capability)]
