# Types of cloudtower/model.py, for type checkers and editors (never imported at run time).
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple, Type, Union

from typing_extensions import Self, dataclass_transform

OPTIONAL: int
REQUIRED: int
NULLABLE: int
MODELS_PACKAGE: str
STRING_TYPES: Tuple[type, ...]
INTEGER_TYPES: Tuple[type, ...]

def resolve(name: str) -> Union[Type[Model], Type[Enum]]: ...
def is_enum_name(name: str) -> bool: ...
def split_type(type_string: str) -> Tuple[str, str]: ...
def kind_of(type_string: str) -> str: ...
def decoder_for(type_string: str) -> Optional[Callable[[Any], Any]]: ...

class Field:
    """One field of a model: its attribute name, JSON key, type string, flags and limits."""

    attr: str
    key: str
    type: str
    required: bool
    nullable: bool
    limits: Dict[str, Any]
    @property
    def name(self) -> str: ...
    @property
    def json_key(self) -> str: ...

def fields(model: Union[Model, Type[Model]]) -> Mapping[str, Field]:
    """The fields of a model class (or of the class of a model), by JSON key."""

# A generated model declares its fields as annotated class attributes (`name: str = ...`);
# `dataclass_transform` makes checkers derive the keyword constructor `Vm(name=..., ...)` from them.
@dataclass_transform(kw_only_default=True)
class Model:
    """Base of every generated model: a keyword constructor, `to_dict()`, `from_dict()`."""

    attribute_map: ClassVar[Dict[str, str]]
    openapi_types: ClassVar[Dict[str, str]]
    discriminator: ClassVar[None]
    local_vars_configuration: Any = ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """A model built from a dict whose keys are JSON keys or attribute names."""
    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> Self:
        """A model that reads the decoded JSON object `data` in place (no copy)."""
    def to_dict(self, serialize: bool = ...) -> Dict[str, Any]:
        """The fields as a dict of plain values, by attribute name (by JSON key with `serialize`)."""
    def to_str(self) -> str:
        """`to_dict()` pretty-printed."""
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]  # pyright: ignore[reportIncompatibleMethodOverride]

def make_class(name: str, module_name: str, tables: Any, is_enum: bool) -> type: ...

class Enum:
    """Base of every generated enum: string constants whose values are the wire values."""

    allowable_values: ClassVar[List[str]]
    openapi_types: ClassVar[Dict[str, str]]
    attribute_map: ClassVar[Dict[str, str]]
    discriminator: ClassVar[None]
    local_vars_configuration: Any
    def __init__(self, local_vars_configuration: Any = ..., **kwargs: Any) -> None: ...
    def to_dict(self, serialize: bool = ...) -> Dict[str, Any]: ...
    def to_str(self) -> str: ...

def redact(data: Any) -> Any: ...

MAX_NESTING: int
REDACTED: str

def is_secret_name(name: str) -> bool: ...
def encode(
    value: Any,
    type_string: Optional[str] = ...,
    validate: bool = ...,
    path: Sequence[Union[str, int]] = ...,
    strict: bool = ...,
) -> Any: ...
def decode(data: Any, type_string: Optional[str], strict: bool = ...) -> Any: ...
def sanitize(value: Any, path: Sequence[Union[str, int]] = ...) -> Any: ...
