"""How a command line is read before click parses it: options anywhere in ``search``, old short forms.

``search`` takes words that start with a dash (``-hands``, ``-year:2006``:
exclusions), so click must never see them as options. ``QueryCommand`` moves
the options the command knows to the front, wherever they were typed, and
puts everything else after ``--``; ``--`` typed by the person ends the options
as usual. An unknown ``--word`` is left to click, which names it and suggests
the closest option; an unknown ``-word`` is a query term.

Every command may keep a retired short option as a deprecated alias
(``DEPRECATED_SHORT`` in its module): it still works, with a note saying what
to write instead (the short options have one meaning across commands; see the
README's "Options" section).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, ClassVar

from typer.core import TyperCommand


class SocsoprCommand(TyperCommand):
    """A command whose retired short options (``deprecated_short``: ``-y`` → ``--yes``) still work."""

    deprecated_short: ClassVar[dict[str, str]] = {}

    # ctx is click's Context, which Typer vendors privately: typed Any
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if self.deprecated_short:
            args = self._replace_deprecated(args)
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """One notation for arguments: ``KEY`` (required), ``[KEY]`` (optional), ``KEY...`` (one or
        more); Typer would write a required one as ``{KEY}``."""
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def _replace_deprecated(self, args: list[str]) -> list[str]:
        out: list[str] = []
        for i, arg in enumerate(args):
            if arg == "--":
                return out + args[i:]
            long = self.deprecated_short.get(arg)
            if long is not None:
                sys.stderr.write(f"note: {arg} for {long} is deprecated and will go; write {long}.\n")
                arg = long
            out.append(arg)
        return out


class QueryCommand(SocsoprCommand):
    """A command whose arguments are query terms: known options are taken from anywhere on the line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, options_first(args, self.get_params(ctx)))


def options_first(args: Sequence[str], params: Sequence[Any]) -> list[str]:
    """``args`` with the options ``params`` declare first (each with its value), then ``--`` and the rest.

    Only exact option names count (``-n 3``, ``--limit 3``, ``--limit=3``): ``-hands``
    or ``-n3`` are query terms. An unknown ``--word`` goes with the options for click
    to refuse; a ``--`` typed by the person ends the options.
    """
    takes_value: dict[str, bool] = {}
    for param in params:
        if getattr(param, "param_type_name", "") != "option":
            continue
        for name in (*param.opts, *param.secondary_opts):
            takes_value[name] = not (param.is_flag or param.count)
    options: list[str] = []
    words: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            words.extend(args[i + 1:])
            break
        name, equals, _value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in takes_value:
            options.append(arg)
            if takes_value[name] and not equals and i + 1 < len(args):
                options.append(args[i + 1])
                i += 1
        elif arg.startswith("--") and len(arg) > 2 and arg[2].isalpha():
            options.append(arg)  # a mistyped option: click says so and suggests the closest
        else:
            words.append(arg)
        i += 1
    return [*options, "--", *words] if words else options


def plain_usage(command: Any) -> None:
    """Give a subcommand of a group (``names add``) the notation of every other command."""
    if type(command) is TyperCommand:
        command.__class__ = SocsoprCommand  # adds methods only: the object's state is the same
