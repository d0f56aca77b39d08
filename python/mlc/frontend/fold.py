"""Inference batch norms folded into the convolutions before them, in the
fx graph, with PyTorch's own ``fuse_conv_bn_eval``.

relax's ``--relax-fold-batch-norm`` folds a batch norm into a
``relax.conv2d``; the convolutions the importer writes otherwise (1-d,
3-d, grouped 2-d, transposed: group views and a te convolution) are not
``relax.conv2d``, so their batch norms would run as a separate pass over
the output. Here an ``nn.Conv*d`` module whose only user is an eval-mode
``nn.BatchNorm*d`` with running statistics becomes one convolution module
with the folded weight and bias, before the import.
"""

import torch
from torch import fx, nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

__all__ = ["fold_batch_norms"]

_PAIRS = {
    nn.Conv1d: (nn.BatchNorm1d, False), nn.Conv2d: (nn.BatchNorm2d, False),
    nn.Conv3d: (nn.BatchNorm3d, False),
    nn.ConvTranspose1d: (nn.BatchNorm1d, True),
    nn.ConvTranspose2d: (nn.BatchNorm2d, True),
    nn.ConvTranspose3d: (nn.BatchNorm3d, True),
}


def _relax_folds(conv):
    """Whether the importer makes `conv` a relax.conv2d, whose batch norm
    --relax-fold-batch-norm folds (in double precision) already."""
    return type(conv) is nn.Conv2d and conv.weight.dtype.is_floating_point \
        and (conv.groups == 1 or conv.in_channels // conv.groups == 1)


def fold_batch_norms(gm, keep_types=()):
    """`gm` with each foldable (convolution, batch norm) module pair as one
    convolution; `gm` itself is not changed (a new GraphModule sharing its
    other submodules). Module types in `keep_types` (the user's own import
    rules) are not folded. Returns `gm` when there is nothing to fold."""
    modules = dict(gm.named_modules())
    pairs = []
    for node in gm.graph.nodes:
        if node.op != "call_module" or len(node.users) != 1:
            continue
        conv = modules.get(node.target)
        if type(conv) not in _PAIRS or _relax_folds(conv) or \
                conv.training or type(conv) in keep_types:
            continue
        user = next(iter(node.users))
        norm_type, transpose = _PAIRS[type(conv)]
        norm = modules.get(user.target) if user.op == "call_module" else None
        if type(norm) is not norm_type or norm_type in keep_types or \
                norm.training or \
                not norm.track_running_stats or norm.running_mean is None or \
                user.args != (node,) or user.kwargs or \
                not conv.weight.dtype.is_floating_point or \
                norm.running_mean.dtype != conv.weight.dtype:
            continue
        pairs.append((node, user, conv, norm, transpose))
    if not pairs:
        return gm
    graph = fx.Graph()
    remap = {}
    for node in gm.graph.nodes:
        remap[node] = graph.node_copy(node, lambda n: remap[n])
    folded = fx.GraphModule(gm, graph)
    for k, (conv_node, norm_node, conv, norm, transpose) in enumerate(pairs):
        name = f"_mlc_folded_conv_bn_{k}"
        with torch.no_grad():
            fused = fuse_conv_bn_eval(conv, norm, transpose=transpose)
        folded.add_submodule(name, fused)
        new_conv, new_norm = remap[conv_node], remap[norm_node]
        new_conv.target = name
        new_norm.replace_all_uses_with(new_conv)
        graph.erase_node(new_norm)
    graph.lint()
    folded.recompile()
    return folded
