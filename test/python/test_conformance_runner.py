"""The conformance runner's comparison (scripts/conformance.py): what
counts as equal to torch, and the float64-reference criterion for
float32 results summed in another order."""

import numpy as np
import pytest
import torch

import mlc
from scripts import load_script


@pytest.fixture(scope="module")
def runner():
    return load_script("conformance")


def _sums(order_seed):
    """Row sums of a float32 matrix whose terms cancel, summed in float32 in
    a shuffled order, and the float64 sums."""
    g = torch.Generator().manual_seed(0)
    terms = (torch.rand(64, 400, generator=g, dtype=torch.float64) - 0.5) * 100
    terms = terms.float()
    perm = torch.randperm(400, generator=torch.Generator().manual_seed(
        order_seed))
    out = torch.zeros(64, dtype=torch.float32)
    for k in perm:  # one float32 rounding per term, in this order
        out = out + terms[:, k]
    return out, terms.double().sum(1)


def test_reordered_float32_sum_passes_by_float64_reference(runner):
    torch_result, precise = _sums(1)
    mlc_result, _ = _sums(2)
    got = mlc.nd.array(mlc_result.numpy())
    # Not close by torch.testing's float32 tolerances ...
    assert runner._compare(got, torch_result) is not None
    # ... but as accurate as torch's own result.
    assert runner._compare(got, torch_result, precise=precise) is None


def test_wrong_value_fails_despite_float64_reference(runner):
    torch_result, precise = _sums(1)
    wrong = torch_result.clone()
    wrong[3] += 0.01  # far beyond rounding: a wrong rule
    got = mlc.nd.array(wrong.numpy())
    why = runner._compare(got, torch_result, precise=precise)
    assert why is not None and "not close" in why


def test_nan_where_torch_has_a_number_fails(runner):
    torch_result, precise = _sums(1)
    wrong = torch_result.clone()
    wrong[0] = float("nan")
    assert runner._compare(mlc.nd.array(wrong.numpy()), torch_result,
                           precise=precise) is not None


def test_float64_results_do_not_use_the_reference(runner):
    expected = torch.tensor([1.0, 2.0], dtype=torch.float64)
    got = mlc.nd.array(np.array([1.0, 2.0 + 1e-6]))
    assert runner._compare(got, expected, precise=expected) is not None


def test_structure_dtype_and_shape_are_compared(runner):
    t = torch.ones(2, 3)
    assert runner._compare(mlc.nd.array(np.ones((2, 3), np.float32)), t) \
        is None
    assert "dtype" in runner._compare(
        mlc.nd.array(np.ones((2, 3), np.float64)), t)
    assert "shape" in runner._compare(
        mlc.nd.array(np.ones((3, 2), np.float32)), t)
    assert "tuple" in runner._compare(
        [mlc.nd.array(np.ones((2, 3), np.float32))], (t,))
    assert runner._compare(3, 3) is None and runner._compare(3, 3.0)
    returned = torch.max(torch.ones(2, 2), 1)
    assert runner._compare(
        (mlc.nd.array(np.ones(2, np.float32)),
         mlc.nd.array(np.zeros(2, np.int64))), returned) is not None


def test_a_tuple_stands_for_a_torch_size(runner):
    # fx records a torch.Size computed at trace time as a tuple constant.
    assert runner._compare((2, 3), torch.Size([2, 3])) is None
    assert runner._compare((2, 4), torch.Size([2, 3])) is not None
    assert runner._compare([2, 3], torch.Size([2, 3])) is not None
