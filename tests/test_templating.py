"""pipeline.templating: the environments every template is rendered in."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
import pytest

from pipeline.templating import environment


@dataclass
class Item:
    name: str


class Mapping(dict):
    pass


@pytest.mark.parametrize("kind", ["word", "html", "mail"])
@pytest.mark.parametrize("source, context, expected", [
    ("{{ d.name }}", {"d": {"name": "张伟"}}, "张伟"),
    ("{{ d.items.__class__.__name__ }}", {"d": {"items": [1, 2, 3]}}, "builtin_function_or_method"),  # its method
    ("{{ d['items'] | length }}", {"d": {"items": [1, 2, 3]}}, "3"),
    ("{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}", {"d": {"items": 1}}, "items=1"),
    ("{{ d.get('a', 'none') }}", {"d": {"get": 1}}, "none"),
    ("{{ i.name }}", {"i": Item("李娜")}, "李娜"),
    ("{{ m.name }}", {"m": Mapping(name="王芳")}, "王芳"),
])
def test_a_field_of_a_dict_is_its_key_and_its_methods_stay_methods(kind, source, context, expected):
    """What Jinja2 itself gives, for every kind of template."""
    assert environment(kind).from_string(source).render(context) == expected
    assert jinja2.Environment().from_string(source).render(context) == expected


@pytest.mark.parametrize("kind", ["word", "html", "mail"])
def test_a_missing_field_is_an_error_naming_it(kind):
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nmae'"):
        environment(kind).from_string("{{ d.nmae }}").render({"d": {"name": "x"}})


def test_a_field_of_a_dict_goes_to_its_key_at_once(monkeypatch):
    """No attribute looked up first (an AttributeError raised and caught per field)."""
    def attribute_first(*args):
        raise AssertionError("looked up as an attribute first")
    monkeypatch.setattr(jinja2.Environment, "getattr", attribute_first)
    assert environment("word").from_string("{{ d.name }}").render({"d": {"name": "x"}}) == "x"
