"""Notices in the JSON shape of INTERPOL's public notices API, both ways."""

from datetime import date

from django.core.exceptions import ValidationError

# INTERPOL's colour codes, and the words officers type for them.
EYE_CODES = {"BRO": "brown", "BLA": "black", "BLU": "blue", "GRE": "green", "HAZ": "hazel", "GRY": "grey"}
HAIR_CODES = {"BLA": "black", "BRO": "brown", "BLO": "blond", "GRY": "grey", "WHI": "white", "RED": "red", "BAL": "bald"}
SEX_CODES = {"M": "M", "F": "F", "X": "U", "U": "U"}


def _code_for(word: str, codes: dict[str, str]) -> list[str]:
    word = word.strip().lower()
    return [code for code, name in codes.items() if name == word or code.lower() == word]


def to_interpol_json(request) -> dict:
    """The request as INTERPOL's notices API shows a notice (`entity_id` is INTERPOL's number once published)."""
    if request.date_of_birth:
        birth = request.date_of_birth.strftime("%Y/%m/%d")
    else:
        birth = str(request.year_of_birth) if request.year_of_birth else None
    warrants = []
    if request.offence or request.warrant_number:
        charge = request.offence
        if request.law and request.sections:
            charge = f"{charge} ({request.law} s. {request.sections})".strip()
        warrants.append({"issuing_country_id": "IN", "charge": charge, "charge_translation": None})
    return {
        "entity_id": request.interpol_notice_number or None,
        "forename": request.forenames.upper() or None,
        "name": request.family_name.upper() or None,
        "date_of_birth": birth,
        "sex_id": SEX_CODES.get(request.sex, None) if request.sex else None,
        "nationalities": list(request.nationalities),
        "arrest_warrants": warrants,
        "height": round(request.height_cm / 100, 2) if request.height_cm else None,
        "weight": request.weight_kg,
        "eyes_colors_id": _code_for(request.eye_colour, EYE_CODES) or None,
        "hairs_id": _code_for(request.hair_colour, HAIR_CODES) or None,
        "languages_spoken_ids": [code.upper() for code in request.languages] or None,
        "distinguishing_marks": request.distinguishing_marks or None,
        "place_of_birth": request.place_of_birth or None,
        "country_of_birth_id": request.country_of_birth_id,
    }


def from_interpol_json(data: dict) -> dict:
    """Model fields from INTERPOL's JSON; raises ValidationError naming every field it cannot read."""
    if not isinstance(data, dict):
        raise ValidationError({"__all__": ["Expected a JSON object in the shape of INTERPOL's notices API."]})
    errors: dict[str, list[str]] = {}
    fields: dict = {
        "forenames": (data.get("forename") or "").title(),
        "family_name": (data.get("name") or "").title(),
        "distinguishing_marks": data.get("distinguishing_marks") or "",
        "place_of_birth": data.get("place_of_birth") or "",
        "interpol_notice_number": data.get("entity_id") or "",
    }
    birth = data.get("date_of_birth")
    if birth:
        parts = str(birth).split("/")
        try:
            if len(parts) == 3:
                fields["date_of_birth"] = date(int(parts[0]), int(parts[1]), int(parts[2]))
                fields["year_of_birth"] = int(parts[0])
            elif len(parts) == 1:
                fields["year_of_birth"] = int(parts[0])
            else:
                raise ValueError
        except ValueError:
            errors["date_of_birth"] = [f"{birth!r} is not a date as YYYY/MM/DD or a year."]
    sex = data.get("sex_id")
    if sex:
        if sex not in SEX_CODES:
            errors["sex_id"] = [f"{sex!r} is not M, F or U."]
        else:
            fields["sex"] = SEX_CODES[sex]
    nationalities = data.get("nationalities") or []
    if not isinstance(nationalities, list) or not all(isinstance(c, str) and len(c) == 2 for c in nationalities):
        errors["nationalities"] = ["Nationalities must be a list of ISO 3166 two-letter codes."]
    else:
        fields["nationalities"] = [c.upper() for c in nationalities]
    if data.get("country_of_birth_id"):
        fields["country_of_birth_id"] = str(data["country_of_birth_id"]).upper()
    height, weight = data.get("height"), data.get("weight")
    try:
        if height:
            fields["height_cm"] = round(float(height) * 100) if float(height) < 3 else round(float(height))
        if weight:
            fields["weight_kg"] = round(float(weight))
    except (TypeError, ValueError):
        errors["height"] = ["Height (metres) and weight (kg) must be numbers."]
    eyes, hairs = data.get("eyes_colors_id") or [], data.get("hairs_id") or []
    fields["eye_colour"] = EYE_CODES.get(eyes[0], "") if eyes else ""
    fields["hair_colour"] = HAIR_CODES.get(hairs[0], "") if hairs else ""
    fields["languages"] = [str(code).lower() for code in (data.get("languages_spoken_ids") or [])]
    warrants = data.get("arrest_warrants") or []
    if warrants:
        first = warrants[0] if isinstance(warrants[0], dict) else {}
        fields["offence"] = (first.get("charge_translation") or first.get("charge") or "")[:200]
    if errors:
        raise ValidationError(errors)
    return fields
