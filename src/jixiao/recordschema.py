"""The pydantic side of records: a model declared from each record class, and its validator and serializer.

Imported only when pydantic is needed (see `records`): to build a validator the cache
does not hold, for the JSON Schema, for error messages, and for dumping. The model of a
record has the record's fields, title, docstring and after-validators; its validator and
serializer work on the record classes, so what they make and read are records.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydanticField
from pydantic_core import SchemaSerializer, SchemaValidator

from jixiao.records import MISSING, Field, Record, RecordType


def _chinese_only(schema: dict) -> None:
    """Drop a model's English docstring from its JSON Schema: editors show the Chinese title instead."""
    schema.pop("description", None)


class RecordModel(BaseModel):
    """Base of the models declared from records: Chinese keys only, unknown keys refused."""

    # Numbers are accepted where text belongs (a title may be 2021), written exactly as entered.
    # defer_build: nested models are validated as part of the outermost; building a validator
    # for each of them as well is work no command uses.
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        frozen=True,
        coerce_numbers_to_str=True,
        json_schema_extra=_chinese_only,
        defer_build=True,
    )


_RECORD_OF: dict[type[BaseModel], type[Record]] = {}


@cache
def model_of(record: type[Record]) -> type[BaseModel]:
    """Return the pydantic model declared from `record` (its bases' models first)."""
    bases = tuple(model_of(base) for base in record.__bases__ if base is not Record and isinstance(base, RecordType))
    model = type(RecordModel)(record.__name__, bases or (RecordModel,), _namespace(record), title=record.__record_title__)
    _RECORD_OF[model] = record
    return model


def _namespace(record: type[Record]) -> dict[str, Any]:
    """Return the class body of `record`'s model: where it lives, its docstring, fields and validators."""
    namespace: dict[str, Any] = {
        "__module__": record.__module__,  # string annotations are read in the record's module
        "__qualname__": record.__qualname__,
        "__doc__": record.__doc__,
        "__annotations__": inspect.get_annotations(record),
    }
    namespace.update((name, _pydantic_field(field)) for name, field in record.__record_fields__.items())
    namespace.update(
        (name, model_validator(mode="after")(record.__dict__[name])) for name in record.__record_validators__
    )
    return namespace


def _pydantic_field(field: Field) -> Any:
    """Return pydantic's Field for a record field's declaration."""
    return PydanticField(**field.options) if field.default is MISSING else PydanticField(field.default, **field.options)


def record_schema(record: type[Record]) -> Any:
    """Return the core schema of `record`'s model with every model class replaced by its record class."""
    model = model_of(record)
    model.model_rebuild()
    return _as_records(model.__pydantic_core_schema__)


def _as_records(schema: Any) -> Any:
    """Copy a core schema, naming record classes where it names their models, and without JSON Schema metadata."""
    if isinstance(schema, dict):
        return {
            key: _RECORD_OF.get(value, value) if key == "cls" else _as_records(value)
            for key, value in schema.items()
            if key != "metadata"
        }
    if isinstance(schema, list):
        return [_as_records(item) for item in schema]
    return schema


def build_validator(record: type[Record]) -> SchemaValidator:
    """Build the validator that makes `record` instances."""
    return SchemaValidator(record_schema(record))


@cache
def serializer(record: type[Record]) -> SchemaSerializer:
    """Return the serializer that dumps `record` instances (`Record.model_dump`)."""
    return SchemaSerializer(record_schema(record))
