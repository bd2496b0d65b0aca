"""The generate stage: a checked visit → its documents (the reception plan, the client
itinerary, the role sheets, the seating document), their PDF copies and the index page.

What each document says is worked out as plain data (plan.py, roles.py, seating.py,
contexts.py, aids.py, fmt.py); the engines lay it out (docx.py and drawing.py for Word,
the layout toolbox for the role sheets); batch.py renders every visit of a workbook in
parallel and only when changed; pdf.py and libreoffice.py make the PDF copies.
"""
