"""Protocol orders worked out for staff (§2.4 "derive"): who sits where at the table
(§4.2.1, §4.3.1) and in the car (§4.1.4).

`seating` and `cars` are pure: people, ranks, layout and settings in, places out, no
records, no language, no drawing. `people` picks, for an itinerary item, the people to
seat from a visit's records.
"""
