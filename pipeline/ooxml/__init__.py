"""The OOXML package layer: an Office file (.xlsx, .docx) as a zip of XML parts.

It owns what every writer that assembles or patches such a file needs, and nothing
about cells or paragraphs:

- `zip.py`: the zip format: the one zip writer (every part either packed here or
  copied still compressed from another zip) and reading a part's stored bytes;
- `package.py`: a package read part by part, parts replaced, added or removed, and
  written again with the untouched parts copied as they are;
- `xmltext.py`: XML handled as text (the root and its namespaces, a start tag's
  attributes, an element's span, children appended), for parts too big to parse;
- `rels.py`: relationship parts; `content_types.py`: `[Content_Types].xml`;
- `schema.py`: the namespaces, relationship types and content types by name.

Its users: `pipeline/annotate/` (the annotated copy, patched into the user's workbook)
and `pipeline/documents/docx.py` (Word documents from a template).
"""


class Unpatchable(Exception):
    """The package holds something this layer does not handle safely (an encrypted part,
    a DTD, XML it cannot read as text): the caller takes another way."""
