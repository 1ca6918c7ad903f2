"""Records: the facts' data classes, plain Python where a render reads them, pydantic models on demand.

Every `jixiao render` validates a facts file. Declared as ~40 pydantic models, the facts
cost each render ~45 ms before any work: importing pydantic, building each model class,
and the asyncio package that pydantic-core's import pulls in (README 「性能」). A render needs
none of that once the validator is built: the validator itself is pydantic-core's, and it
can fill any class's instances.

So a record class is declared the way a pydantic model is (annotations, `Field(...)`,
docstrings, a title), but creating it costs what a plain class costs. Its validator is
built from a pydantic model declared from it (`recordschema`, only when needed) and kept
in the cache (`validator`); a later process loads it with pydantic-core alone, and it
makes instances of the record classes. Whatever else uses pydantic — the JSON Schema,
error messages, dumping, `model_fields` — goes through that model, imported only then.

The record API keeps the names of the pydantic API the rest of jixiao uses:
`model_validate`, `model_dump`, `model_copy`, `model_construct`, `model_fields`,
`model_json_schema`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
import types
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from jixiao.cache import remembered

if TYPE_CHECKING:
    import pydantic_core
    from pydantic.fields import FieldInfo

MISSING: Any = object()  # no default: the field is required
_VALIDATORS = "validators"  # the cache folder of built validators (records and pydantic models alike)


class Field:
    """A record field's declaration: its default and pydantic's `Field` options (alias, description, constraints …).

    Written exactly as pydantic's `Field(default, **options)`; it becomes one when the
    record's pydantic model is declared.
    """

    __slots__ = ("default", "options")

    def __init__(self, default: Any = MISSING, **options: Any):
        self.default = default
        self.options = options

    def initial(self) -> Any:
        """Return the value an instance built without this field gets (`model_construct`)."""
        factory = self.options.get("default_factory")
        return factory() if factory is not None else (None if self.default is MISSING else self.default)


class PrebuiltSchema:
    """An annotation whose pydantic-core schema is written out directly; `build` gets the core_schema module.

    Text, Money, Count and Score are used by about a hundred fields. Spelled with
    StringConstraints, Field constraints and validator markers, each use goes through
    pydantic's general annotation handling; the schemas written out are what that
    handling produced: validation, error types and the JSON Schema are the same.
    """

    def __init__(self, build: Callable[[types.ModuleType], Any]):
        self._build = build

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return self._build(core_schema)  # A fresh schema per field: pydantic may annotate what it is given.


class Before:
    """An annotation that runs `function` on the value before the type's own validation (pydantic's BeforeValidator)."""

    def __init__(self, function: Callable[[Any], Any]):
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.function, handler(source))


class After:
    """An annotation that runs `function` on the value the type's validation gives (pydantic's AfterValidator)."""

    def __init__(self, function: Callable[[Any], Any]):
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.function, handler(source))


class TaggedUnion:
    """An annotation that validates a value as the choice its tag names (pydantic's callable Discriminator).

    `tag` names a value's choice; `choices` maps each name to its type. The names are
    pydantic's location steps in errors (validation._INTERNAL_STEP drops them).
    """

    def __init__(self, tag: Callable[[Any], str], **choices: Any):
        self.tag = tag
        self.choices = choices

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        choices = {name: handler.generate_schema(kind) for name, kind in self.choices.items()}
        return core_schema.tagged_union_schema(choices, discriminator=self.tag)


def _declared(value: Any) -> Field:
    """Return the declaration of a field written as `Field(...)`, as a plain default, or with no default."""
    return value if isinstance(value, Field) else Field(value)


def after_validation(method: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Mark a record method to run on every validated instance (pydantic's model_validator(mode="after"))."""
    method.__record_after__ = True  # type: ignore[attr-defined]
    return method


class RecordType(type):
    """The metaclass of records: collects each class's fields, title and validators, and answers `model_fields`."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], title: str | None = None) -> RecordType:
        annotations = namespace.get("__annotations__", {})
        fields = {field: _declared(namespace.pop(field, MISSING)) for field in annotations}
        namespace["__record_fields__"] = fields
        namespace["__record_title__"] = title
        namespace["__record_validators__"] = [key for key, value in namespace.items() if hasattr(value, "__record_after__")]
        return super().__new__(mcs, name, bases, namespace)

    @property
    def model_fields(cls) -> dict[str, FieldInfo]:
        """The fields of the record's pydantic model, by name (pydantic's `model_fields`)."""
        return model_of(cls).model_fields


class Record(metaclass=RecordType):
    """Base of record classes: immutable, compared by value, with the pydantic API jixiao uses."""

    # The slots pydantic-core fills when it validates into a class, as it does for BaseModel.
    __slots__ = ("__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__")

    def __init__(self, **data: Any):
        """Validate `data` (keyed by alias) into this record, as pydantic's `Model(**data)` does."""
        self.__setstate__(type(self).model_validate(data).__getstate__())

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """Validate `data` as this record; raise pydantic-core's ValidationError listing every problem."""
        return validator(cls).validate_python(data)

    @classmethod
    def model_construct(cls, **values: Any) -> Self:
        """Build an instance from already valid `values`, the other fields at their defaults, without validation."""
        record = cls.__new__(cls)
        state = {name: values[name] if name in values else field.initial() for name, field in record_fields(cls)}
        record.__setstate__((state, set(values), None, None))
        return record

    @classmethod
    def model_json_schema(cls, **options: Any) -> dict[str, Any]:
        """Return the JSON Schema of this record (pydantic's `model_json_schema`)."""
        return model_of(cls).model_json_schema(**options)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type, handler: Any) -> Any:
        """Let pydantic validate a field of this record type with the record's model."""
        return handler.generate_schema(model_of(cls))

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """Return this record as plain data (pydantic's `model_dump`, same options)."""
        from jixiao.recordschema import serializer

        return serializer(type(self)).to_python(self, **options)

    def model_copy(self, update: dict[str, Any] | None = None) -> Self:
        """Return a copy with the fields in `update` replaced, without validation (pydantic's `model_copy`)."""
        state, fields_set, extra, private = self.__getstate__()
        copy = type(self).__new__(type(self))
        copy.__setstate__(({**state, **(update or {})}, fields_set | set(update or ()), extra, private))
        return copy

    @property
    def model_fields_set(self) -> set[str]:
        """The names of the fields the data gave (not filled in by defaults)."""
        return self.__pydantic_fields_set__

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """Yield each field's name and value, as iterating a pydantic model does."""
        yield from self.__dict__.items()

    def __getstate__(self) -> tuple[dict[str, Any], set[str], Any, Any]:
        return (self.__dict__, self.__pydantic_fields_set__, self.__pydantic_extra__, self.__pydantic_private__)

    def __setstate__(self, state: tuple[dict[str, Any], set[str], Any, Any]) -> None:
        values, fields_set, extra, private = state
        slots = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
        for name, value in zip(slots, (dict(values), set(fields_set), extra, private), strict=True):
            object.__setattr__(self, name, value)  # __setattr__ refuses: records are immutable

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} 的内容不可修改（请用 model_copy(update=...)）")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} 的内容不可修改")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in self.__dict__.items())})"


def record_fields(record: type[Record]) -> Iterator[tuple[str, Field]]:
    """Yield every field of `record` with its declaration, inherited ones first (pydantic's order)."""
    seen: dict[str, Field] = {}
    for klass in reversed(record.__mro__):
        seen.update(klass.__dict__.get("__record_fields__", {}))
    yield from seen.items()


def model_of(record: type[Record]) -> Any:
    """Return the pydantic model declared from `record` (importing pydantic)."""
    from jixiao.recordschema import model_of as declared

    return declared(record)


@cache
def validator(record: type[Record]) -> pydantic_core.SchemaValidator:
    """Return the validator of `record`: loaded from the cache, else built from its pydantic model and stored.

    Loading needs pydantic-core alone; building imports pydantic.
    """

    def build() -> pydantic_core.SchemaValidator:
        from jixiao.recordschema import build_validator

        return build_validator(record)

    return stored_validator(record, build)


def stored_validator(schema: type, build: Callable[[], pydantic_core.SchemaValidator]) -> pydantic_core.SchemaValidator:
    """Return the validator of a record or pydantic model class from the cache, else `build` it and store it.

    Entries are keyed by the running code (`cache.code_stamp`), pydantic, pydantic-core and
    the class's name, so any change builds afresh.
    """
    name = f"{schema.__module__}.{schema.__qualname__}"
    return remembered(_VALIDATORS, pydantic_core_module().SchemaValidator, (library_stamp(), name), build)


@cache
def library_stamp() -> str:
    """Name the pydantic and pydantic-core that build validators, without importing pydantic."""
    core = pydantic_core_module()
    spec = importlib.util.find_spec("pydantic")
    version = Path(spec.origin).with_name("version.py") if spec and spec.origin else None
    text = version.read_bytes() if version and version.is_file() else b""
    return f"pydantic-core {core.__version__}, pydantic {hashlib.sha256(text).hexdigest()}"


def pydantic_core_module() -> types.ModuleType:
    """Import pydantic-core without the asyncio package its import would otherwise load.

    pydantic-core marks its deprecated functions with typing_extensions.deprecated, which
    imports asyncio.coroutines to ask whether each is a coroutine function: asyncio, ssl,
    socket and logging load (~10 ms of a ~120 ms render) for an answer that is always no.
    While pydantic-core loads, a stand-in answers with inspect's own test; it is removed
    at once, so anything that imports asyncio later gets the real package.
    """
    if "pydantic_core" in sys.modules or "asyncio" in sys.modules:
        import pydantic_core

        return pydantic_core
    stand_in, coroutines = types.ModuleType("asyncio"), types.ModuleType("asyncio.coroutines")
    coroutines.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
    stand_in.coroutines = coroutines  # type: ignore[attr-defined]
    sys.modules.update({"asyncio": stand_in, "asyncio.coroutines": coroutines})
    try:
        import pydantic_core
    finally:
        for name, module in (("asyncio", stand_in), ("asyncio.coroutines", coroutines)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return pydantic_core
