"""The company profile as each kind of output shows it: one place for every letterhead.

Templates get the field `company` (COMPANY_FIELDS), the same in Word documents, HTML
pages and mail: the name in the output language (`other_name`: in the other one, for a
bilingual letterhead), the short name, address, switchboard, website, the reception
desk, `contact_line` (address · switchboard · website in one line), `desk_line` (the
desk's contact in one line), and `logo`:
- Word: the picture, drawn in the run where `{{ company.logo }}` stands, from an image
  part the template gains when it loads (`logo_media`), LOGO_HEIGHT cm high;
- HTML: a data URI (pages stay self-contained), which the page's CSS sizes;
- mail: blank.
A blank profile gives blank fields: templates show the company only where there is one,
so no placeholder ever reaches a document. Spreadsheets take `sheet_header` for their
printed header; mail its `signature`.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from markupsafe import Markup

from ..company import Company, Logo
from ..i18n import joined, punct, t
from .docx import Media
from .drawing import picture

COMPANY_FIELDS: dict = {"name": None, "other_name": None, "short_name": None, "logo": None, "address": None,
                        "phone": None, "website": None, "contact_line": None, "desk_line": None,
                        "desk": {"name", "phone", "email"}}
LOGO_FIELD = "company.logo"
LOGO_RID = "rIdCompanyLogo"
LOGO_HEIGHT = 1.0  # cm, in a Word letterhead: about two lines of the header's text
LOGO_MAX_WIDTH = 5.0  # cm: a wide word mark is made lower rather than wider
_LOGO_ID = 900  # the drawing id of the logo (seating diagrams count from 1000)
_GAP = "\u2002"  # an en space between the logo and the name beside it


def fields(company: Company, lang: str) -> dict:
    """The profile's fields in `lang`, the logo blank."""
    address, phone, website = company.address(lang), company.phone, company.website
    contact = [address, t(lang, "company.phone", phone=phone) if phone else "", website]
    desk = [company.desk_name, t(lang, "company.desk_phone", phone=company.desk_phone) if company.desk_phone else "",
            company.desk_email]
    separator = punct(lang, "parts")
    desk_line = separator.join(p for p in desk if p)
    return {
        "name": company.name(lang), "other_name": company.other_name(lang), "short_name": company.short_name,
        "logo": "", "address": address, "phone": phone, "website": website,
        "contact_line": separator.join(p for p in contact if p),
        "desk_line": t(lang, "company.desk", contact=desk_line) if desk_line else "",
        "desk": {"name": company.desk_name, "phone": company.desk_phone, "email": company.desk_email},
    }


@lru_cache(maxsize=8)
def word_fields(company: Company, lang: str) -> dict:
    """`company` for Word templates: the logo drawn (only a PNG or JPEG: Word needs a
    raster image), LOGO_HEIGHT high, or less when it would be wider than LOGO_MAX_WIDTH."""
    out = fields(company, lang)
    logo = company.logo
    if logo is not None and logo.raster:
        height = min(LOGO_HEIGHT, LOGO_MAX_WIDTH * logo.height / logo.width)
        out["logo"] = picture(LOGO_RID, height * logo.width / logo.height, height, _LOGO_ID,
                              out["name"] or t(lang, "company.logo")) + _GAP
    return out


def logo_media(company: Company) -> Media | None:
    """The logo's image part for the Word templates (None: no logo Word can show)."""
    logo = company.logo
    if logo is None or not logo.raster:
        return None
    return Media(LOGO_FIELD, f"word/media/company_logo.{_EXTENSION[logo.kind]}", logo.data, logo.mime, LOGO_RID)


_EXTENSION = {"png": "png", "jpeg": "jpeg"}


@lru_cache(maxsize=8)
def page_fields(company: Company, lang: str) -> dict:
    """`company` for HTML pages: the logo as a data URI."""
    out = fields(company, lang)
    if company.logo is not None:
        out["logo"] = data_uri(company.logo)
    return out


def data_uri(logo: Logo) -> Markup:
    return Markup(f"data:{logo.mime};base64,{base64.b64encode(logo.data).decode('ascii')}")


def sheet_header(company: Company, lang: str) -> str:
    """The company as a printed spreadsheet's header names it ("": it does not)."""
    return company.name(lang)


def signature(company: Company, lang: str) -> str:
    """The lines that end an e-mail, made from the profile: the desk's contact, the
    company, its address and numbers ("" for a blank profile)."""
    profile = fields(company, lang)
    phones = (t(lang, "company.phone", phone=company.phone) if company.phone else "",
              t(lang, "company.desk_phone", phone=company.desk_phone) if company.desk_phone else "")
    lines = [company.desk_name, profile["name"], profile["address"], joined(lang, (p for p in phones if p), "parts"),
             company.desk_email, company.website]
    return "\n".join(line for line in lines if line)
