"""The table of ATen rules: ``@rule("add.Tensor", "add.Scalar")`` registers
a function for those overloads, ``@rule("sum")`` for every overload of
``aten.sum``. A rule is called as ``rule(ctx, **arguments)`` with every
argument of the op's schema by name (see aten_importer.bind), so it names
each argument it accepts and must refuse the values it does not implement
(``raise ctx.refuse(name, value)``).
"""

import torch
import torch._decomp

_RULES = {}
_UNRESOLVED = []


def _resolve(name):
    """The op or overload named ("add.Tensor" in aten, "prims.sum" in
    prims); None when this torch lacks it (rules name overloads of several
    torch versions)."""
    namespace = torch.ops.aten
    if name.startswith("prims."):
        namespace, name = torch.ops.prims, name[len("prims."):]
    packet_name, _, overload = name.partition(".")
    try:
        packet = getattr(namespace, packet_name)
        return getattr(packet, overload) if overload else packet
    except (AttributeError, RuntimeError):
        _UNRESOLVED.append(name)
        return None


def unresolved():
    """Names of rules this torch has no op for."""
    return list(_UNRESOLVED)


def rule(*names):
    def register(fn):
        for name in names:
            key = _resolve(name)
            if key is None:
                continue
            if key in _RULES:
                raise RuntimeError(f"two rules for aten.{name}")
            _RULES[key] = fn
        return fn
    return register


def lookup(op):
    """The rule of an OpOverload, or None."""
    return _RULES.get(op) or _RULES.get(op.overloadpacket)


def delegate(name, target, renames=None):
    """Registers op `name` as calling the rule of `target` (an aten
    overload name), its arguments renamed by `renames` ({name's argument:
    target's})."""
    renames = renames or {}
    if lookup(_resolve(target)) is None:
        raise RuntimeError(f"{name} delegates to aten.{target}, which has "
                           "no rule (yet)")

    op = _resolve(target)
    if isinstance(op, torch._ops.OpOverloadPacket):
        op = op.default

    def call(ctx, **arguments):
        bound = {renames.get(k, k): v for k, v in arguments.items()}
        for argument in op._schema.arguments:  # the target's defaults
            if argument.name not in bound and argument.has_default_value():
                bound[argument.name] = argument.default_value
        return lookup(op)(ctx, **bound)
    call.__name__ = f"delegate_{target}"
    return rule(name)(call)


def has_rule(op):
    return lookup(op) is not None


_OWN_DECOMPOSITIONS = {}


def decomposition(name):
    """Registers a decomposition of aten op `name` (an overload) for a torch
    that has none: a function of the op's arguments in other ATen ops,
    traced like torch's own (make_fx), so it needs no te."""
    def register(fn):
        op = _resolve(name)
        if op is not None:
            if op in torch._decomp.decomposition_table:
                raise RuntimeError(f"torch decomposes aten.{name} itself")
            _OWN_DECOMPOSITIONS[op] = fn
        return fn
    return register


def decompositions():
    """torch's decompositions of the ATen ops that have no rule, and mlc's
    for ops torch does not decompose: tracing applies them, so what reaches
    the importer is ops with rules (or ops nothing decomposes, which the
    importer reports)."""
    table = dict(torch._decomp.decomposition_table)
    table.update(_OWN_DECOMPOSITIONS)
    return {op: fn for op, fn in table.items()
            if isinstance(op, torch._ops.OpOverload) and not has_rule(op)}


def rules():
    return dict(_RULES)
