"""Programs several tests build: the chapter's te matmul and relu, and
functions of tensors wrapped as modules for torch.fx."""

from torch import nn

from mlc import te


def te_matmul(A, B):
    k = te.reduce_axis((0, A.shape[1]), name="k")
    return te.compute((A.shape[0], B.shape[1]),
                      lambda i, j: te.sum(A[i, k] * B[k, j], axis=k),
                      name="matmul")


def te_relu(A):
    return te.compute(A.shape, lambda *i: te.max(A(*i), 0), name="relu")


class _Fn1(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, a):
        return self.fn(a)


class _Fn2(_Fn1):
    def forward(self, a, b):
        return self.fn(a, b)


class _Fn3(_Fn1):
    def forward(self, a, b, c):
        return self.fn(a, b, c)


def Fn(fn):  # pylint: disable=invalid-name
    """Wraps a function of its inputs as a module to trace (fixed arity:
    torch 1.13's fx cannot trace *args on Python 3.11)."""
    return {1: _Fn1, 2: _Fn2, 3: _Fn3}[fn.__code__.co_argcount](fn)
