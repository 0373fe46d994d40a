"""OASIS CAP 1.2: exporting alert versions, validating CAP documents, importing them, and each office's CAP feed.

Validation reads the shipped schema (alerts/schema/CAP-v1.2.xsd) with a small interpreter of the XSD subset it
uses (sequences, occurrence bounds, enumerations, patterns, dateTime, integer, decimal, anyURI, `any ##other`),
and reports *every* problem with its path. When the `xmlschema` package is installed, its findings are added.

Mapping (documented for partners):
- our category → CAP <category> (Security, Rescue, Other) and <eventCode> valueName "OpenPol-category";
- the area → <geocode> valueName "LGD" (district LGD codes) and "LGD-state" (whole states), <circle> "lat,lon radius";
- persons, vehicles and the FIR → <parameter> valueNames "person" (name; aliases; dob), "vehicle"
  (registration; chassis; engine), "FIR" and "FIR-sections".
"""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - we only parse with defusing options below
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import CAP_CATEGORY, Alert, AlertVersion, Category, Delivery, OfficeFeed

NS = "urn:oasis:names:tc:emergency:cap:1.2"
XS = "http://www.w3.org/2001/XMLSchema"
ATOM = "http://www.w3.org/2005/Atom"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "CAP-v1.2.xsd"
CAP_DATETIME = re.compile(r"^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-,+]\d\d:\d\d$")
IDENTIFIER_FORBIDDEN = re.compile(r"[\s,<&]")
UNBOUNDED = 10**9


class CapErrors(Exception):  # noqa: N818 - reads as "the CAP errors"
    """A CAP document that is not valid; `problems` lists every problem, each with its path."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def sender() -> str:
    return getattr(settings, "ALERTS_CAP_SENDER", "alerts@openpol.invalid")


def cap_time(value: datetime) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


# --- Export ---------------------------------------------------------------------------------------------------


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def _pair(parent: ET.Element, name: str, value_name: str, value: str) -> None:
    pair = _sub(parent, name)
    _sub(pair, "valueName", value_name)
    _sub(pair, "value", value)


def _area_description(content: dict) -> str:
    from directory.models import District, State

    parts = [
        f"{d.name} district ({d.state.name})"
        for d in District.objects.filter(lgd_code__in=content["area_districts"]).select_related("state")
    ]
    parts += [f"{s.name} (whole state/UT)" for s in State.objects.filter(lgd_code__in=content["area_states"])]
    if content.get("area_lat") is not None:
        parts.append(f"within {content['area_radius_km']:g} km of {content['area_lat']:.5f},{content['area_lon']:.5f}")
    origin = content.get("origin") or {}
    if origin.get("district"):
        district = District.objects.filter(lgd_code=origin["district"]).select_related("state").first()
        if district:
            parts.insert(0, f"{district.name} district ({district.state.name}) and neighbouring districts")
    if content["category"] in ("terror",):
        parts.insert(0, "All of India")
    return "; ".join(parts) or "India"


def build(version: AlertVersion) -> ET.Element:
    """The CAP 1.2 <alert> element of one alert version."""
    content, alert = version.content, version.alert
    root = ET.Element(f"{{{NS}}}alert")
    _sub(root, "identifier", version.identifier)
    _sub(root, "sender", sender())
    _sub(root, "sent", cap_time(version.sent_at))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", version.msg_type)
    _sub(root, "source", (content.get("origin") or {}).get("office") or "OpenPol")
    _sub(root, "scope", "Restricted")
    _sub(root, "restriction", "Police use only: law-enforcement agencies of India")
    if version.note:
        _sub(root, "note", version.note)
    if version.number > 1:
        previous = alert.versions.get(number=version.number - 1)
        _sub(root, "references", f"{sender()},{previous.identifier},{cap_time(previous.sent_at)}")
    if content.get("fir_number"):
        _sub(root, "incidents", re.sub(r"[\s,]+", "_", content["fir_number"]))
    info = _sub(root, "info")
    _sub(info, "language", "en-IN")
    _sub(info, "category", CAP_CATEGORY.get(content["category"], "Other"))
    _sub(info, "event", Category(content["category"]).label)
    _sub(info, "responseType", "AllClear" if version.msg_type == AlertVersion.MsgType.CANCEL else "Monitor")
    _sub(info, "urgency", content["urgency"])
    _sub(info, "severity", content["severity"])
    _sub(info, "certainty", content["certainty"])
    _sub(info, "audience", "Police stations and units")
    _pair(info, "eventCode", "OpenPol-category", content["category"])
    _sub(info, "expires", cap_time(datetime.fromisoformat(content["expires_at"])))
    _sub(info, "senderName", (content.get("origin") or {}).get("office") or "OpenPol")
    _sub(info, "headline", content["headline"])
    _sub(info, "description", content["description"])
    if content.get("instruction"):
        _sub(info, "instruction", content["instruction"])
    _sub(info, "web", settings.SITE_URL + alert.get_absolute_url())
    for person in content.get("persons") or []:
        _pair(info, "parameter", "person", f"{person['name']}; {', '.join(person.get('aliases') or [])}; {person.get('dob') or ''}")
    for vehicle in content.get("vehicles") or []:
        _pair(info, "parameter", "vehicle", f"{vehicle.get('registration', '')}; {vehicle.get('chassis', '')}; {vehicle.get('engine', '')}")
    if content.get("fir_number"):
        _pair(info, "parameter", "FIR", content["fir_number"])
    if content.get("fir_sections"):
        _pair(info, "parameter", "FIR-sections", content["fir_sections"])
    area = _sub(info, "area")
    _sub(area, "areaDesc", _area_description(content))
    if content.get("area_lat") is not None:
        _sub(area, "circle", f"{content['area_lat']:.5f},{content['area_lon']:.5f} {content['area_radius_km']:g}")
    for code in content.get("area_districts") or []:
        _pair(area, "geocode", "LGD", str(code))
    for code in content.get("area_states") or []:
        _pair(area, "geocode", "LGD-state", str(code))
    origin = content.get("origin") or {}
    if origin.get("district") and origin["district"] not in (content.get("area_districts") or []):
        _pair(area, "geocode", "LGD", str(origin["district"]))
    return root


def to_xml(version: AlertVersion) -> bytes:
    ET.register_namespace("", NS)
    return ET.tostring(build(version), encoding="utf-8", xml_declaration=True)


# --- Validation against the shipped schema -----------------------------------------------------------------------


class Decl:
    """One element declaration of the schema: occurrence bounds and either children (a sequence) or a simple type."""

    def __init__(self, name: str, min_occurs: int, max_occurs: int, children=None, simple=None, wildcard: bool = False):
        self.name, self.min, self.max = name, min_occurs, max_occurs
        self.children: list[Decl] | None = children
        self.simple: dict | None = simple
        self.wildcard = wildcard


def _occurs(node: ET.Element) -> tuple[int, int]:
    maximum = node.get("maxOccurs", "1")
    return int(node.get("minOccurs", "1")), UNBOUNDED if maximum == "unbounded" else int(maximum)


def _simple_type(node: ET.Element, named: dict) -> dict:
    restriction = node.find(f"{{{XS}}}restriction")
    return {
        "base": restriction.get("base").split(":")[-1],
        "enum": [e.get("value") for e in restriction.findall(f"{{{XS}}}enumeration")],
        "pattern": [p.get("value") for p in restriction.findall(f"{{{XS}}}pattern")],
    }


@cache
def schema() -> Decl:
    """The CAP 1.2 schema, read once from alerts/schema/CAP-v1.2.xsd."""
    tree = ET.parse(SCHEMA_PATH)  # noqa: S314 - our own file
    top = tree.getroot()
    named_types = {t.get("name"): _simple_type(t, {}) for t in top.findall(f"{{{XS}}}simpleType")}
    globals_ = {e.get("name"): e for e in top.findall(f"{{{XS}}}element")}

    def declare(node: ET.Element) -> Decl:
        if node.tag == f"{{{XS}}}any":
            low, high = _occurs(node)
            return Decl("*", low, high, wildcard=True)
        low, high = _occurs(node)
        if node.get("ref"):
            target = globals_[node.get("ref").split(":")[-1]]
            return Decl(target.get("name"), low, high, simple={"base": target.get("type").split(":")[-1], "enum": [], "pattern": []})
        name = node.get("name")
        complex_type = node.find(f"{{{XS}}}complexType")
        if complex_type is not None:
            sequence = complex_type.find(f"{{{XS}}}sequence")
            return Decl(name, low, high, children=[declare(child) for child in sequence])
        simple = node.find(f"{{{XS}}}simpleType")
        if simple is not None:
            return Decl(name, low, high, simple=_simple_type(simple, named_types))
        type_name = (node.get("type") or "xs:string").split(":")
        if type_name[0] == "cap":
            return Decl(name, low, high, simple=named_types[type_name[-1]])
        return Decl(name, low, high, simple={"base": type_name[-1], "enum": [], "pattern": []})

    return declare(globals_["alert"])


def _check_simple(decl: Decl, element: ET.Element, path: str, problems: list[str]) -> None:
    if len(element):
        problems.append(f"{path}: must hold text, not elements")
        return
    text = (element.text or "").strip()
    rule = decl.simple
    if rule["enum"] and text not in rule["enum"]:
        problems.append(f"{path}: '{text}' is not one of {', '.join(rule['enum'])}")
    for pattern in rule["pattern"]:
        if not re.fullmatch(pattern, text):
            problems.append(f"{path}: '{text}' does not match the pattern {pattern} (e.g. 2026-05-01T14:30:00+05:30)")
    base = rule["base"]
    if base == "dateTime":  # the pattern lets "+99:00" through: only parsing finds the impossible time zone
        try:
            datetime.fromisoformat(text)
        except ValueError:
            problems.append(f"{path}: '{text}' is not a date and time")
    elif base == "integer" and not re.fullmatch(r"[-+]?\d+", text):
        problems.append(f"{path}: '{text}' is not a whole number")
    elif base == "decimal":
        try:
            Decimal(text)
        except InvalidOperation:
            problems.append(f"{path}: '{text}' is not a number")
    elif base == "language" and not re.fullmatch(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*", text):
        problems.append(f"{path}: '{text}' is not a language tag")
    elif base == "anyURI" and re.search(r"\s", text):
        problems.append(f"{path}: '{text}' is not a URI")


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, name = tag[1:].split("}", 1)
        return namespace, name
    return "", tag


def _check_complex(decl: Decl, element: ET.Element, path: str, problems: list[str]) -> None:
    if (element.text or "").strip():
        problems.append(f"{path}: unexpected text '{element.text.strip()[:40]}'")
    children = list(element)
    position = 0
    counts: dict[str, int] = {}
    for child_decl in decl.children:
        count = 0
        while position < len(children) and count < child_decl.max:
            namespace, name = _local(children[position].tag)
            if child_decl.wildcard:
                if namespace == NS or not namespace:
                    break
            elif namespace != NS or name != child_decl.name:
                break
            count += 1
            index = counts[name] = counts.get(name, 0) + 1
            if not child_decl.wildcard:
                child_path = f"{path}/{name}" + (f"[{index}]" if child_decl.max > 1 else "")
                _check(child_decl, children[position], child_path, problems)
            position += 1
        if count < child_decl.min:
            problems.append(f"{path}/{child_decl.name}: missing (required)")
    expected = ", ".join(d.name for d in decl.children if not d.wildcard)
    for child in children[position:]:
        namespace, name = _local(child.tag)
        where = f"in namespace {namespace}" if namespace and namespace != NS else "here or in this order"
        problems.append(f"{path}/{name}: not allowed {where} (expected, in order: {expected})")


def _check(decl: Decl, element: ET.Element, path: str, problems: list[str]) -> None:
    if decl.children is not None:
        _check_complex(decl, element, path, problems)
    else:
        _check_simple(decl, element, path, problems)


def _rules_beyond_the_schema(root: ET.Element, problems: list[str]) -> None:
    """Constraints the CAP 1.2 text states but the XSD cannot express."""

    def text(path: str) -> str:
        found = root.find(path, {"cap": NS})
        return (found.text or "").strip() if found is not None else ""

    for name in ("identifier", "sender"):
        value = text(f"cap:{name}")
        if value and IDENTIFIER_FORBIDDEN.search(value):
            problems.append(f"/alert/{name}: must not contain spaces, commas, '<' or '&'")
    if text("cap:scope") == "Restricted" and not text("cap:restriction"):
        problems.append("/alert/restriction: required when scope is Restricted")
    if text("cap:msgType") in ("Update", "Cancel") and not text("cap:references"):
        problems.append("/alert/references: an Update or Cancel must reference the message it replaces")
    for ref in text("cap:references").split():
        if ref.count(",") != 2:
            problems.append(f"/alert/references: '{ref}' is not sender,identifier,sent")
    for i, info in enumerate(root.findall("cap:info", {"cap": NS}), start=1):
        for j, area in enumerate(info.findall("cap:area", {"cap": NS}), start=1):
            for k, circle in enumerate(area.findall("cap:circle", {"cap": NS}), start=1):
                if not re.fullmatch(r"\s*-?\d+(\.\d+)?,\s*-?\d+(\.\d+)?\s+\d+(\.\d+)?\s*", circle.text or ""):
                    problems.append(f"/alert/info[{i}]/area[{j}]/circle[{k}]: '{circle.text}' is not 'latitude,longitude radius'")


def _parse(xml: bytes | str) -> ET.Element:
    if isinstance(xml, str):
        xml = xml.encode()
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise CapErrors(["/: document type declarations and entities are not accepted"])
    try:
        return ET.fromstring(xml)  # noqa: S314 - DTDs and entities refused above
    except ET.ParseError as error:
        raise CapErrors([f"/: not well-formed XML ({error})"]) from None


def validate(xml: bytes | str) -> list[str]:
    """Every problem of a CAP 1.2 document, each with its path; an empty list means valid."""
    try:
        root = _parse(xml)
    except CapErrors as error:
        return error.problems
    namespace, name = _local(root.tag)
    if name != "alert" or namespace != NS:
        return [f"/{name}: the root must be <alert> in namespace {NS} (found {namespace or 'no namespace'})"]
    problems: list[str] = []
    _check(schema(), root, "/alert", problems)
    _rules_beyond_the_schema(root, problems)
    try:
        import xmlschema
    except ImportError:
        return problems
    for error in xmlschema.XMLSchema(str(SCHEMA_PATH)).iter_errors(xml):  # pragma: no cover - when installed
        message = f"{error.path}: {error.reason}"
        if message not in problems:
            problems.append(message)
    return problems


# --- Import -------------------------------------------------------------------------------------------------------


def parse_alert(xml: bytes | str) -> tuple[dict, str, str]:
    """The alert content, the msgType and the references of a valid CAP document; raises CapErrors with every problem."""
    problems = validate(xml)
    if problems:
        raise CapErrors(problems)
    root = _parse(xml)
    ns = {"cap": NS}
    info = root.find("cap:info", ns)
    if info is None:
        raise CapErrors(["/alert/info: an alert needs one <info> block"])

    def text(node, path):
        found = node.find(path, ns)
        return (found.text or "").strip() if found is not None else ""

    codes = {text(c, "cap:valueName"): text(c, "cap:value") for c in info.findall("cap:eventCode", ns)}
    category = codes.get("OpenPol-category") or "other"
    if category not in Category.values:
        raise CapErrors([f"/alert/info/eventCode: '{category}' is not an OpenPol category ({', '.join(Category.values)})"])
    params = [(text(p, "cap:valueName"), text(p, "cap:value")) for p in info.findall("cap:parameter", ns)]
    persons, vehicles = [], []
    for name, value in params:
        parts = [part.strip() for part in value.split(";")]
        if name == "person":
            persons.append(
                {
                    "name": parts[0],
                    "aliases": [a.strip() for a in (parts[1] if len(parts) > 1 else "").split(",") if a.strip()],
                    "dob": parts[2] if len(parts) > 2 else "",
                }
            )
        elif name == "vehicle":
            vehicles.append(
                {"registration": parts[0], "chassis": parts[1] if len(parts) > 1 else "", "engine": parts[2] if len(parts) > 2 else ""}
            )
    content = {
        "category": category,
        "urgency": text(info, "cap:urgency"),
        "severity": text(info, "cap:severity"),
        "certainty": text(info, "cap:certainty"),
        "headline": text(info, "cap:headline") or text(info, "cap:event"),
        "description": text(info, "cap:description"),
        "instruction": text(info, "cap:instruction"),
        "expires_at": text(info, "cap:expires"),
        "persons": persons,
        "vehicles": vehicles,
        "fir_number": dict(params).get("FIR", ""),
        "fir_sections": dict(params).get("FIR-sections", ""),
        "area_districts": [],
        "area_states": [],
    }
    area = info.find("cap:area", ns)
    if area is not None:
        for geocode in area.findall("cap:geocode", ns):
            name, value = text(geocode, "cap:valueName"), text(geocode, "cap:value")
            if name == "LGD":
                content["area_districts"].append(value)
            elif name == "LGD-state":
                content["area_states"].append(value)
        circle = text(area, "cap:circle")
        if circle:
            point, radius = circle.split()
            lat, lon = point.split(",")
            content.update(area_lat=float(lat), area_lon=float(lon), area_radius_km=float(radius))
    if not content["expires_at"]:
        raise CapErrors(["/alert/info/expires: OpenPol alerts must say when they expire"])
    return content, text(root, "cap:msgType"), text(root, "cap:references")


def _referenced_alert(references: str, by) -> Alert:
    from alerts import queries

    for ref in reversed(references.split()):
        identifier = ref.split(",")[1] if ref.count(",") == 2 else ""
        match = re.fullmatch(r"openpol\.alert\.(\d+)\.v(\d+)", identifier)
        if match:
            return queries.get_alert_for_user(by, int(match.group(1)))
    raise CapErrors(["/alert/references: refers to no OpenPol alert"])


@transaction.atomic
def import_alert(*, by, xml: bytes | str) -> Alert:
    """Publishes (msgType Alert), updates or cancels an alert from a CAP 1.2 document."""
    from alerts import services

    content, msg_type, references = parse_alert(xml)
    try:
        if msg_type == "Alert":
            return services.alert_publish(by=by, data=content)
        if msg_type == "Update":
            return services.alert_update(alert=_referenced_alert(references, by), by=by, data=content, note=_("Imported from CAP."))
        if msg_type == "Cancel":
            return services.alert_cancel(
                alert=_referenced_alert(references, by), by=by, note=content["description"] or _("Cancelled by CAP message.")
            )
    except ValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else {"alert": error.messages}
        raise CapErrors([f"{field}: {message}" for field, messages in details.items() for message in messages]) from None
    raise CapErrors([f"/alert/msgType: '{msg_type}' cannot be imported (only Alert, Update and Cancel)"])


# --- An office's feed ---------------------------------------------------------------------------------------------


def office_feed(feed: OfficeFeed, limit: int = 50) -> bytes:
    """An Atom feed of the current versions of the alerts that reached the office, each entry carrying its CAP message."""
    deliveries = Delivery.objects.filter(station_id=feed.station_id) if feed.station_id else Delivery.objects.filter(unit_id=feed.unit_id)
    version_ids = deliveries.order_by("-version_id").values_list("version_id", flat=True)[:limit]
    versions = AlertVersion.objects.filter(pk__in=list(version_ids)).select_related("alert").order_by("-sent_at")
    ET.register_namespace("", ATOM)
    ET.register_namespace("cap", NS)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"urn:openpol:alerts:feed:{feed.pk}"
    ET.SubElement(root, f"{{{ATOM}}}title").text = f"OpenPol crime alerts for {feed.station or feed.unit}"
    latest = versions[0].sent_at if versions else feed.created_at
    ET.SubElement(root, f"{{{ATOM}}}updated").text = cap_time(latest)
    ET.SubElement(ET.SubElement(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "OpenPol"
    for version in versions:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:openpol:{version.identifier}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{version.alert.reference} ({version.msg_type}): {version.content['headline']}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = cap_time(version.sent_at)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=settings.SITE_URL + version.alert.get_absolute_url())
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="application/cap+xml")
        content.append(build(version))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
