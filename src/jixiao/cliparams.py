"""Command-line values converted without pydantic, when the conversion is plain.

typer 0.29 converts every parameter's text through a pydantic TypeAdapter it builds on
first use: the build generates a pydantic schema per parameter, and loads pydantic's type
machinery, before a command starts its work. The values jixiao's commands take are
simple — paths, lists of paths, flags, words, whole numbers, a word from a list — so
`PlainParam` converts those directly. Whatever it is not sure of (a value to reject, a
type it does not know) goes to typer's own pydantic conversion, unchanged, so every
usage error reads exactly as before.
"""

# No `from __future__ import annotations`: see cli.py.
from pathlib import Path
from typing import Any, get_args, get_origin

import typer.core
from typer import _coercion
from typer._click import Context
from typer._param_types import coerce_cli_choice, coerce_cli_path, lenient_issubclass
from typer._typing import is_literal_type, literal_values

_typer_build_runtime_param = _coercion.build_runtime_param


class _Unsure(Exception):
    """The value is not a plain case: let typer's pydantic conversion decide (and word any error)."""


class PlainParam(_coercion.RuntimeParam):
    """Convert a plain value directly; hand anything else to the conversion typer would have used."""

    def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
        try:
            return self._plain(self.annotation, value, param, ctx)
        except _Unsure:
            return self._typer_param()._coerce_value(value, param=param, ctx=ctx)

    def _typer_param(self) -> _coercion.RuntimeParam:
        descriptor = _coercion.resolve_type_descriptor(self.annotation, self.parameter_info)
        return _typer_build_runtime_param(descriptor)

    def _plain(self, annotation: Any, value: Any, param: Any, ctx: Context) -> Any:
        if get_origin(annotation) is list and isinstance(value, list | tuple):
            (item,) = get_args(annotation)
            return [self._plain(item, one, param, ctx) for one in value]
        if self.parameter_info.parser is not None:
            raise _Unsure
        if annotation is bool and isinstance(value, bool):
            return value
        if annotation is str and isinstance(value, str):
            return value
        if annotation is int and isinstance(value, str):
            return self._whole_number(value)
        if is_literal_type(annotation):
            return self._choice(literal_values(annotation), value, ctx)
        if annotation is Path and isinstance(value, str | Path) and self.parameter_info.path_type is None:
            return coerce_cli_path(Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx)
        raise _Unsure

    def _whole_number(self, text: str) -> int:
        info = self.parameter_info
        if not (text.isascii() and text.isdigit()) or info.clamp:
            raise _Unsure
        number = int(text)
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            raise _Unsure
        return number

    def _choice(self, choices: tuple[Any, ...], value: Any, ctx: Context) -> Any:
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=self.parameter_info.case_sensitive, ctx=ctx)
        except ValueError:
            raise _Unsure from None


def build_runtime_param(descriptor: _coercion.TypeDescriptor) -> _coercion.RuntimeParam:
    """Choose how a parameter's values are converted: typer's way for files, `PlainParam` for the rest."""
    if descriptor.file_annotation is not None or lenient_issubclass(descriptor.annotation, tuple):
        return _typer_build_runtime_param(descriptor)
    return PlainParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)


def convert_plain_values() -> None:
    """Make typer's parameters convert plain values with `PlainParam` (typer builds them on first use)."""
    typer.core.build_runtime_param = build_runtime_param  # type: ignore[attr-defined]
