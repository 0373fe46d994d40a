"""The national records of crimes and criminals: FIRs, persons, vehicles, arrests; search and cross-matching."""
