"""A faster ``__init__`` for frozen, slotted dataclasses (a performance detail only).

A frozen dataclass's generated ``__init__`` stores every field through
``object.__setattr__(self, "name", value)``, which looks the slot up by name each time:
about 0.1 µs per field. One evaluation builds a few hundred such objects (findings, plan
items, score components, lab statuses), which made object construction a large share of
``evaluate``. ``fast_init`` replaces that ``__init__`` with one that writes each slot
through its member descriptor directly — same signature, same defaults, same frozen
instance afterwards (``__setattr__`` still raises), about twice as fast.

Use it *above* ``@dataclass(frozen=True, slots=True)``::

    @fast_init
    @dataclass(frozen=True, slots=True)
    class Item: ...
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_MISSING = dataclasses.MISSING


def fast_init(cls: type[T]) -> type[T]:
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: fast_init is for frozen, slotted dataclasses")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: __post_init__ is not supported by fast_init")
    ns: dict[str, Any] = {}
    args: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init or f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain init fields are supported")
        name = f.name
        ns[f"_set_{name}"] = cls.__dict__[name].__set__  # the slot's member descriptor
        if f.default is not _MISSING:
            ns[f"_dflt_{name}"] = f.default
            args.append(f"{name}=_dflt_{name}")
            body.append(f"    _set_{name}(self, {name})")
        elif f.default_factory is not _MISSING:
            # Same convention as dataclasses: a sentinel means "call the factory".
            ns[f"_fact_{name}"] = f.default_factory
            ns["_MISSING"] = _MISSING
            args.append(f"{name}=_MISSING")
            body.append(f"    _set_{name}(self, _fact_{name}() if {name} is _MISSING else {name})")
        else:
            args.append(name)
            body.append(f"    _set_{name}(self, {name})")
    src = f"def __init__(self, {', '.join(args)}):\n" + ("\n".join(body) or "    pass") + "\n"
    # The source is built from the class's own field names only, never from input data.
    exec(src, ns)  # noqa: S102
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    setattr(cls, "__init__", init)  # noqa: B010 - mypy forbids assigning a method
    return cls
