"""Reading HL7 v2 ORU^R01 lab results with python-hl7 (`hl7`).

One message: MSH, then per patient a PID (the patient, by hospital number: PID-3, the
repetition of type MR or else the first) and its OBR groups, each with its OBX results.
Each numeric OBX with a LOINC code in `codes.LAB_CODES` becomes a lab result; the same
mapping and unit rules as FHIR apply (OBX-6 is a UCUM code).

How a second import recognises a result: sending facility (MSH-4), the order (OBR-3
filler order number, else OBR-2 placer), the LOINC code (OBX-3) and the sub-ID (OBX-4).

Times (OBX-14, else OBR-7) without a UTC offset are the hospital's local time
(settings.TIME_ZONE), which is how laboratory systems usually send them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

import hl7
from django.utils import timezone

from cases.choices import LabUnit
from cases.interop import codes
from cases.interop.plan import LAB, Incoming, Parsed, UnknownCode


def _field(segment, field: int, component: int = 1, repeat: int = 1) -> str:
    try:
        return str(segment.extract_field(1, field, repeat, component, 1) or "").strip()
    except (IndexError, KeyError):
        return ""


def _time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = hl7.parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def read_oru(content: str | bytes) -> Parsed:
    parsed = Parsed()
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    # Files and uploads often carry \n or \r\n; HL7 segments end in \r.
    text = "\r".join(line for line in content.replace("\r\n", "\n").replace("\r", "\n")
                     .split("\n") if line.strip())
    if not hl7.ishl7(text):
        parsed.error("The message", "not HL7", "",
                     "This is not an HL7 v2 message (it must start with an MSH segment).")
        return parsed
    try:
        message = hl7.parse(text)
    except hl7.ParseException as error:
        parsed.error("The message", "not HL7", "", f"The message cannot be read: {error}.")
        return parsed
    msh = message.segment("MSH")
    kind = f"{_field(msh, 9, 1)}^{_field(msh, 9, 2)}"
    if kind != "ORU^R01":
        parsed.error("segment 1", "MSH", "MSH-9",
                     f"Only lab results (ORU^R01) are imported, not {kind}.")
        return parsed
    facility = _field(msh, 4) or _field(msh, 3)
    # An ORU^R01 may carry several patients, each PID followed by its own orders and
    # results: every OBX belongs to the PID before it.
    number, order, ordered_at, seen_pid = "", "", None, False
    for position, segment in enumerate(message, start=1):
        name = str(segment[0])
        if name == "PID":
            seen_pid, order, ordered_at = True, "", None
            number = _hospital_number(segment)
            if not number:
                parsed.error(f"segment {position}", "PID", "PID-3",
                             "The patient has no hospital number.")
        elif name == "OBR":
            order = _field(segment, 3) or _field(segment, 2)
            ordered_at = _time(_field(segment, 7))
        elif name == "OBX" and number:
            _result(parsed, segment, f"segment {position}", number, facility, order,
                    ordered_at)
        elif name == "OBX" and not seen_pid:
            parsed.error(f"segment {position}", "OBX", "PID",
                         "A result before any patient (PID) cannot be placed.")
    if not seen_pid:
        parsed.error("The message", "PID", "PID", "The message names no patient (PID).")
    return parsed


def _hospital_number(pid) -> str:
    """PID-3: the repetition of type MR, else the first."""
    number = ""
    for repeat in range(1, 10):
        value = _field(pid, 3, 1, repeat)
        if not value:
            break
        if _field(pid, 3, 5, repeat) == codes.HOSPITAL_NUMBER_TYPE:
            return value
        number = number or value
    return number


def _result(parsed: Parsed, obx, entry: str, number: str, facility: str, order: str,
            ordered_at: datetime | None) -> None:
    label = f"OBX {_field(obx, 1) or '?'}"
    code, display, system = _field(obx, 3, 1), _field(obx, 3, 2), _field(obx, 3, 3)
    lab = codes.LAB_CODES.get(code) if system in codes.V2_LOINC_SYSTEMS else None
    if lab is None:
        reason = codes.LAB_CODES_REFUSED.get(code, "") if system in codes.V2_LOINC_SYSTEMS else ""
        parsed.unknown.append(UnknownCode(
            entry, label, codes.LOINC if system in codes.V2_LOINC_SYSTEMS else system, code,
            display, reason or "not a code Boardsite imports"))
        return
    status = _field(obx, 11)
    if status not in codes.V2_FINAL_STATUSES:
        parsed.error(entry, label, "OBX-11",
                     f"Only final or corrected results (F, C) are imported, not "
                     f"\"{status or 'no status'}\".")
        return
    if _field(obx, 2) != "NM":
        parsed.error(entry, label, "OBX-2", "The result must be numeric (value type NM).")
        return
    raw = _field(obx, 5)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        parsed.error(entry, label, "OBX-5", f"\"{raw}\" is not a number.")
        return
    unit = _field(obx, 6, 1)
    unit_system = _field(obx, 6, 3)
    stored_unit = lab.units.get(unit)
    if unit_system and unit_system.upper() != "UCUM":
        parsed.error(entry, label, "OBX-6", "The unit must be a UCUM code.")
        return
    if stored_unit is None:
        parsed.error(entry, label, "OBX-6",
                     f"{lab.name} (LOINC {code}) is reported in "
                     f"{codes.lab_units_in_words(lab)}, not \"{unit or 'no unit'}\".")
        return
    taken = _time(_field(obx, 14)) or ordered_at
    if taken is None:
        parsed.error(entry, label, "OBX-14",
                     "Give the time the sample was taken (OBX-14 or OBR-7).")
        return
    if not order:
        parsed.error(entry, label, "OBR-3",
                     "Give the order number (OBR-3 or OBR-2): without it a second import "
                     "could not recognise the result.")
        return
    key = f"{facility}|{order}|{code}|{_field(obx, 4)}"
    parsed.rows.append(Incoming(
        entry, label, "OBX", key, LAB, number,
        f"{lab.analyte.label} {format(value.normalize(), 'f')} {LabUnit(stored_unit).label}, "
        f"{timezone.localtime(taken):%d %b %Y %H:%M}, hospital number {number}",
        {"analyte": lab.analyte, "value": value, "unit": stored_unit, "taken_at": taken},
        {"value": "OBX-5", "unit": "OBX-6", "taken_at": "OBX-14", "analyte": "OBX-3"},
    ))
