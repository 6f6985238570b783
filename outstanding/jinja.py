"""The Jinja2 environment for every page: project templates first, then the GOV.UK Frontend macros."""

from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.timezone import localtime
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's backend turns autoescape on in options
    # The macros refer to each other as "govuk_frontend_jinja/...", rooted at the package's templates folder.
    govuk = PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})
    env.loader = ChoiceLoader([env.loader, govuk])
    env.globals.update(static=static, url=url, get_messages=get_messages)
    env.filters["localtime"] = localtime
    return env
