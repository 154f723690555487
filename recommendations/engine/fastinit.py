"""A faster ``__init__`` for frozen, slotted dataclasses (a performance detail only).

A frozen dataclass's generated ``__init__`` stores every field through
``object.__setattr__(self, "name", value)``, which looks the slot up by name each time:
about 0.1 µs per field. One evaluation builds a few hundred such objects (plan items,
score components, lab statuses, lesion views), which made object construction a large
share of ``evaluate``; ``facts_from_json`` builds the case facts the same way.

``fast_init`` replaces that ``__init__`` with one of the same signature and defaults that
briefly gives the new instance the class's *mutable twin*, then gives it its class back.
The twin is a subclass with no slots of its own (so the same layout) whose
``__setattr__`` is ``object.__setattr__``: on it each field is an ordinary slot store
(the interpreter's fastest attribute write), and switching ``__class__`` between a class
and its same-layout subclass is a cheap check. The instance is frozen as before
(``__setattr__`` still raises), and is never seen in between.

Use it *above* ``@dataclass(frozen=True, slots=True)``::

    @fast_init
    @dataclass(frozen=True, slots=True)
    class Item: ...

Instances of a subclass (never made in the engine) take the slower descriptor path.

The two ``__class__`` assignments are most of what such an ``__init__`` still costs
(``type.__call__`` first makes a frozen instance, which must become the twin before its
slots can be written). Where one class is built many times per evaluation (plan items,
flags, lab statuses …), ``fast_new(cls)`` gives a plain function with the class's
signature that starts from a twin instance and assigns ``__class__`` once (a plan item:
≈ 0.17 µs instead of ≈ 0.32 µs). It returns an instance of exactly ``cls``, equal to
``cls(...)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")

_MISSING = dataclasses.MISSING
#: ``object.__class__``'s setter: bypasses the frozen class's ``__setattr__``.
_SET_CLASS = object.__dict__["__class__"].__set__
#: Each ``fast_init`` class → (its mutable twin, its fields' parameter list and defaults).
_TWINS: dict[type, tuple[type, list[str], dict[str, Any]]] = {}


def fast_init(cls: type[T]) -> type[T]:
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: fast_init is for frozen, slotted dataclasses")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: __post_init__ is not supported by fast_init")
    if cls.__bases__ != (object,):
        raise TypeError(f"{cls.__name__}: fast_init needs a class derived from object only")
    twin = type(
        f"_Mutable{cls.__name__}",
        (cls,),
        {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            # ``_twin()`` then makes a bare instance: cheaper than ``_twin.__new__(_twin)``.
            "__init__": object.__init__,
        },
    )
    ns: dict[str, Any] = {"_cls": cls, "_twin": twin, "_set_class": _SET_CLASS}
    args: list[str] = []
    fast: list[str] = []  # slot stores on the twin
    slow: list[str] = []  # member-descriptor stores (subclass instances)
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init or f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain init fields are supported")
        name = f.name
        ns[f"_set_{name}"] = cls.__dict__[name].__set__  # the slot's member descriptor
        value = name
        if f.default is not _MISSING:
            ns[f"_dflt_{name}"] = f.default
            args.append(f"{name}=_dflt_{name}")
        elif f.default_factory is not _MISSING:
            # Same convention as dataclasses: a sentinel means "call the factory".
            ns[f"_fact_{name}"] = f.default_factory
            ns["_MISSING"] = _MISSING
            args.append(f"{name}=_MISSING")
            value = f"_fact_{name}() if {name} is _MISSING else {name}"
        else:
            args.append(name)
        fast.append(f"    self.{name} = {value}")
        slow.append(f"        _set_{name}(self, {value})")
    src = (
        f"def __init__(self, {', '.join(args)}):\n"
        "    if type(self) is not _cls:\n"
        + ("\n".join(slow) or "        pass")
        + "\n        return\n"
        "    _set_class(self, _twin)\n"
        + ("\n".join(fast) + "\n" if fast else "")
        + "    self.__class__ = _cls\n"
    )
    # The source is built from the class's own field names only, never from input data.
    exec(src, ns)  # noqa: S102
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    setattr(cls, "__init__", init)  # noqa: B010 - mypy forbids assigning a method
    _TWINS[cls] = (twin, args, ns)
    return cls


def mutable_twin(cls: type[T]) -> Any:
    """The mutable twin of a ``fast_init`` class, for a hand-written constructor on the
    hottest path: make ``obj = twin()``, set every field, then ``obj.__class__ = cls``
    (what ``fast_new``'s functions do, without a second call around them)."""
    entry = _TWINS.get(cls)
    if entry is None:
        raise TypeError(f"{cls!r}: mutable_twin needs a class decorated with fast_init")
    return entry[0]


def fast_new(cls: Callable[P, T]) -> Callable[P, T]:
    """A constructor function for a ``fast_init`` class: same parameters and defaults,
    returns an instance of exactly ``cls`` (never of a subclass)."""
    entry = _TWINS.get(cls)  # type: ignore[call-overload]
    if entry is None:
        raise TypeError(f"{cls!r}: fast_new needs a class decorated with fast_init")
    twin, args, init_ns = entry
    names = [a.split("=")[0] for a in args]
    ns: dict[str, Any] = {k: v for k, v in init_ns.items() if k.startswith(("_dflt_", "_fact_"))}
    ns.update(_cls=cls, _twin=twin, _MISSING=_MISSING)
    body = [
        f"    self.{n} = _fact_{n}() if {n} is _MISSING else {n}"
        if f"_fact_{n}" in ns
        else f"    self.{n} = {n}"
        for n in names
    ]
    src = (
        f"def new({', '.join(args)}):\n"
        "    self = _twin()\n"
        + ("\n".join(body) + "\n" if body else "")
        + "    self.__class__ = _cls\n"
        "    return self\n"
    )
    # As above: built from the class's own field names only.
    exec(src, ns)  # noqa: S102
    fn = ns["new"]
    fn.__name__ = fn.__qualname__ = f"new_{cls.__name__}"
    fn.__module__ = cls.__module__
    return fn  # type: ignore[no-any-return]
