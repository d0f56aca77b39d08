//===- Topi.cpp - te definitions of the high-level operators --------------===//

#include "mlc/Topi/Topi.h"

#include "mlc/Support/Error.h"
#include "mlc/Support/Windows.h"

#include "llvm/Support/MathExtras.h"

#include <array>
#include <limits>

using namespace mlc;
using te::Expr;
using te::Tensor;

namespace {

[[noreturn]] void fail(const llvm::Twine &message) {
  throw mlc::Error(message.str());
}

std::optional<int64_t> staticSize(const Expr &e) { return e.getConstantInt(); }

/// Indices of an operand of shape `shape` for the output indices `indices`
/// of a broadcast to `outShape`, the operand's dimensions aligning with the
/// last ones: a size-1 dimension that is stretched reads index 0.
std::vector<Expr> broadcastIndices(llvm::ArrayRef<Expr> shape,
                                   llvm::ArrayRef<Expr> outShape,
                                   llvm::ArrayRef<Expr> indices) {
  std::vector<Expr> result;
  size_t offset = indices.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d) {
    std::optional<int64_t> size = staticSize(shape[d]);
    std::optional<int64_t> out = staticSize(outShape[offset + d]);
    bool stretched = size && *size == 1 && !(out && *out == 1);
    result.push_back(stretched ? Expr(0) : indices[offset + d]);
  }
  return result;
}

std::string describe(llvm::ArrayRef<Expr> shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    auto size = staticSize(shape[i]);
    s += size ? std::to_string(*size) : "?";
  }
  return s + ")";
}

template <typename Fn>
Tensor broadcastBinary(const Tensor &a, const Tensor &b, llvm::StringRef name,
                       Fn fn) {
  if (a.getElementType() != b.getElementType())
    fail("topi " + name + ": dtypes differ: " +
         te::dtypeName(a.getElementType()) + " and " +
         te::dtypeName(b.getElementType()));
  std::vector<Expr> shape =
      topi::broadcastShape(a.getShape(), b.getShape(), name, a.getName(),
                           b.getName());
  return te::compute(
      shape,
      [&](llvm::ArrayRef<Expr> i) {
        // Read a before b, so the IR follows the source order.
        Expr x = a(broadcastIndices(a.getShape(), shape, i));
        Expr y = b(broadcastIndices(b.getShape(), shape, i));
        return fn(x, y);
      },
      name);
}

/// NCHW `data` in a (N, C, height, width) stage whose rows and columns
/// from `low` on hold the input and the rest `value`: a window op's
/// padding as its own stage (a guarded copy), which --mlc-decompose-padding
/// turns into a copy of the interior and fills of the border, and the code
/// generator's window strategies then read without bounds checks. `height` and `width`
/// cover at least the input.
Tensor padSpatial(const Tensor &data, std::array<int64_t, 2> low,
                  int64_t height, int64_t width, Expr value) {
  llvm::ArrayRef<Expr> ds = data.getShape();
  int64_t h = *staticSize(ds[2]), w = *staticSize(ds[3]);
  return te::compute(
      {ds[0], ds[1], Expr(height), Expr(width)},
      [&](llvm::ArrayRef<Expr> i) {
        Expr y = i[2], x = i[3];
        Expr inside = te::all({y >= Expr(low[0]), y < Expr(h + low[0]),
                               x >= Expr(low[1]), x < Expr(w + low[1])});
        // One statement per step: C++ leaves the order of operands'
        // evaluation open, and each step emits IR.
        Expr row = y - Expr(low[0]);
        Expr column = x - Expr(low[1]);
        return te::ifThenElse(inside, data(i[0], i[1], row, column), value);
      },
      "pad");
}

} // namespace

std::vector<Expr> topi::broadcastShape(llvm::ArrayRef<Expr> a,
                                       llvm::ArrayRef<Expr> b,
                                       llvm::StringRef op,
                                       llvm::StringRef aName,
                                       llvm::StringRef bName) {
  size_t rank = std::max(a.size(), b.size());
  // Static sizes that disagree fail before any requirement is recorded (a
  // recorded one would attach to whatever compute comes next).
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    auto sx = staticSize(a[a.size() - 1 - i]), sy = staticSize(b[b.size() - 1 - i]);
    if (sx && sy && *sx != *sy && *sx != 1 && *sy != 1)
      fail("shapes " + describe(a) + " and " + describe(b) +
           " do not broadcast");
  }
  std::vector<Expr> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the right.
    const Expr *x = i < rank - a.size() ? nullptr : &a[i - (rank - a.size())];
    const Expr *y = i < rank - b.size() ? nullptr : &b[i - (rank - b.size())];
    if (!x || !y) {
      shape[i] = x ? *x : *y;
      continue;
    }
    auto sx = staticSize(*x), sy = staticSize(*y);
    if (sx && sy) {
      shape[i] = Expr(*sx == 1 ? *sy : *sx);
    } else if (sx && *sx == 1) {
      shape[i] = *y; // x is stretched
    } else if (sy && *sy == 1) {
      shape[i] = *x; // y is stretched
    } else {
      // A dynamic size is not stretched: it must equal what it meets.
      shape[i] = *x;
      te::requireEqual(*x, *y,
                       (op + ": '" + aName + "' and '" + bName +
                        "' must have the same size in dimension " +
                        llvm::Twine(i) + " of their broadcast shape (a "
                        "dynamic size is not broadcast)")
                           .str());
    }
  }
  return shape;
}

Tensor topi::dense(const Tensor &data, const Tensor &weight,
                   llvm::StringRef name) {
  if (weight.getRank() != 2)
    fail("topi.nn.dense: weight must have rank 2 (N, K), got rank " +
         llvm::Twine(weight.getRank()));
  if (data.getRank() < 1)
    fail("topi.nn.dense: data must have rank >= 1");
  if (data.getElementType() != weight.getElementType())
    fail("topi.nn.dense: dtypes of data and weight differ");
  Expr kData = data.getShape().back(), kWeight = weight.getShape()[1];
  auto k1 = staticSize(kData), k2 = staticSize(kWeight);
  if (k1 && k2 && *k1 != *k2)
    fail("topi.nn.dense: data has K = " + llvm::Twine(*k1) +
         " but weight has K = " + llvm::Twine(*k2));
  if (!k1 || !k2)
    te::requireEqual(kData, kWeight,
                     (name + ": the last dimension of '" + data.getName() +
                      "' must equal dimension 1 (K) of the weight '" +
                      weight.getName() + "'")
                         .str());
  te::IterVar k = te::reduceAxis(0, k1 ? kData : kWeight, "k");
  std::vector<Expr> shape(data.getShape().begin(), data.getShape().end() - 1);
  shape.push_back(weight.getShape()[0]);
  return te::compute(
      shape,
      [&](llvm::ArrayRef<Expr> i) {
        std::vector<Expr> x(i.begin(), i.end() - 1);
        x.push_back(Expr(k));
        Expr xv = data(x);
        Expr wv = weight(i.back(), k);
        return te::sum(xv * wv, {k});
      },
      name);
}

Tensor topi::matmul(const Tensor &a, const Tensor &b, llvm::StringRef name) {
  if (a.getRank() < 1 || b.getRank() < 1)
    fail("topi.matmul: operands must have rank >= 1");
  if (a.getElementType() != b.getElementType())
    fail("topi.matmul: dtypes differ");
  bool aVector = a.getRank() == 1, bVector = b.getRank() == 1;
  llvm::ArrayRef<Expr> as = a.getShape(), bs = b.getShape();
  Expr ka = as.back(), kb = bVector ? bs[0] : bs[bs.size() - 2];
  auto k1 = staticSize(ka), k2 = staticSize(kb);
  if (k1 && k2 && *k1 != *k2)
    fail("topi.matmul: contracted dimensions differ: " + llvm::Twine(*k1) +
         " vs " + llvm::Twine(*k2));
  llvm::ArrayRef<Expr> aBatch = aVector ? llvm::ArrayRef<Expr>() : as.drop_back(2);
  llvm::ArrayRef<Expr> bBatch = bVector ? llvm::ArrayRef<Expr>() : bs.drop_back(2);
  std::vector<Expr> shape =
      broadcastShape(aBatch, bBatch, name, a.getName(), b.getName());
  if (!k1 || !k2)
    te::requireEqual(ka, kb,
                     (name + ": the contracted dimensions of '" + a.getName() +
                      "' and '" + b.getName() + "' must agree")
                         .str());
  size_t numBatch = shape.size();
  if (!aVector)
    shape.push_back(as[as.size() - 2]);
  if (!bVector)
    shape.push_back(bs.back());
  te::IterVar k = te::reduceAxis(0, k1 ? ka : kb, "k");
  return te::compute(
      shape,
      [&](llvm::ArrayRef<Expr> i) {
        llvm::ArrayRef<Expr> batch = i.take_front(numBatch);
        llvm::ArrayRef<Expr> outBatch = llvm::ArrayRef(shape).take_front(numBatch);
        std::vector<Expr> ai = broadcastIndices(aBatch, outBatch, batch);
        std::vector<Expr> bi = broadcastIndices(bBatch, outBatch, batch);
        size_t next = numBatch;
        if (!aVector)
          ai.push_back(i[next++]);
        ai.push_back(Expr(k));
        bi.push_back(Expr(k));
        if (!bVector)
          bi.push_back(i[next]);
        Expr av = a(ai);
        Expr bv = b(bi);
        return te::sum(av * bv, {k});
      },
      name);
}

Tensor topi::add(const Tensor &a, const Tensor &b, llvm::StringRef name) {
  return broadcastBinary(a, b, name,
                         [](Expr x, Expr y) { return x + y; });
}
Tensor topi::subtract(const Tensor &a, const Tensor &b,
                      llvm::StringRef name) {
  return broadcastBinary(a, b, name,
                         [](Expr x, Expr y) { return x - y; });
}
Tensor topi::multiply(const Tensor &a, const Tensor &b,
                      llvm::StringRef name) {
  return broadcastBinary(a, b, name,
                         [](Expr x, Expr y) { return x * y; });
}
Tensor topi::divide(const Tensor &a, const Tensor &b, llvm::StringRef name) {
  return broadcastBinary(a, b, name,
                         [](Expr x, Expr y) { return x / y; });
}

Tensor topi::relu(const Tensor &x, llvm::StringRef name) {
  return te::compute(
      x.getShape(),
      [&](llvm::ArrayRef<Expr> i) { return te::max(x(i), Expr(0)); }, name);
}

Tensor topi::floatFunction(const Tensor &x,
                           const std::function<Expr(const Expr &)> &fn,
                           llvm::StringRef name) {
  mlir::Type type = x.getElementType();
  mlir::Type f32 = mlir::Float32Type::get(type.getContext());
  bool half = type.getIntOrFloatBitWidth() < 32;
  return te::compute(
      x.getShape(),
      [&](llvm::ArrayRef<Expr> i) {
        Expr v = x(i);
        if (!half)
          return fn(v);
        Expr wide = te::cast(f32, v);
        Expr r = fn(wide);
        return te::cast(type, r);
      },
      name);
}

Tensor topi::reduce(const Tensor &x, llvm::StringRef kind,
                    llvm::ArrayRef<int64_t> axes, bool keepdims,
                    llvm::StringRef name) {
  int64_t rank = x.getRank();
  std::vector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes)
    if (rank > 0)
      reduced[axis < 0 ? axis + rank : axis] = true;
  const std::vector<Expr> &shape = x.getShape();
  std::vector<Expr> outShape;
  std::vector<te::IterVar> raxes;
  Expr count(1);
  for (int64_t k = 0; k < rank; ++k) {
    if (!reduced[k]) {
      outShape.push_back(shape[k]);
      continue;
    }
    if (keepdims)
      outShape.push_back(Expr(1));
    raxes.push_back(
        te::reduceAxis(Expr(0), shape[k], ("r" + llvm::Twine(k)).str()));
    count = count * shape[k];
  }
  auto element = [&](llvm::ArrayRef<Expr> index) -> Expr {
    std::vector<Expr> full;
    size_t position = 0, r = 0;
    for (int64_t k = 0; k < rank; ++k) {
      if (reduced[k]) {
        full.push_back(Expr(raxes[r++]));
        position += keepdims;
      } else {
        full.push_back(index[position++]);
      }
    }
    Expr v = x(full);
    if (raxes.empty())
      return v;
    if (kind == "sum" || kind == "mean")
      return te::sum(v, raxes);
    if (kind == "prod")
      return te::prod(v, raxes);
    if (kind == "max")
      return te::max(v, raxes);
    if (kind == "min")
      return te::min(v, raxes);
    fail("topi.reduce: unknown reduction '" + kind + "'");
  };
  Tensor result = te::compute(outShape, element, name);
  if (kind != "mean")
    return result;
  // The mean of no elements is 0 / 0: NaN, as torch gives.
  mlir::Type type = x.getElementType();
  return te::compute(
      outShape,
      [&](llvm::ArrayRef<Expr> i) {
        Expr n = te::cast(type, count);
        return result(i) / n;
      },
      (name + "_mean").str());
}

namespace {
/// softmax / log_softmax of `x` along `axis`, as torch's CPU kernel computes
/// them: the maximum m along the axis, the sum of exp(x - m), then
/// exp(x - m) / sum or (x - m) - log(sum), in float32 for float16 and
/// bfloat16 inputs. A rank-0 tensor is one element along its one axis.
Tensor softmaxOf(const Tensor &x, int64_t axis, bool log,
                 llvm::StringRef name) {
  mlir::Type type = x.getElementType();
  if (!mlir::isa<mlir::FloatType>(type))
    fail("topi " + name + ": needs a float tensor, got " +
         te::dtypeName(type));
  int64_t rank = x.getRank();
  int64_t axes = std::max<int64_t>(rank, 1);
  if (axis < -axes || axis >= axes)
    fail("topi " + name + ": axis " + llvm::Twine(axis) +
         " is out of range for rank " + llvm::Twine(rank));
  axis = axis < 0 ? axis + axes : axis;
  mlir::Type acc = type.getIntOrFloatBitWidth() < 32
                       ? mlir::Float32Type::get(type.getContext())
                       : type;
  auto value = [&](llvm::ArrayRef<Expr> i) {
    return acc == type ? x(i) : te::cast(acc, x(i));
  };
  auto finish = [&](Expr shifted, Expr sum) {
    Expr out = log ? shifted - te::log(sum) : te::exp(shifted) / sum;
    return acc == type ? out : te::cast(type, out);
  };
  if (rank == 0) {
    return te::compute(
        {},
        [&](llvm::ArrayRef<Expr> i) {
          Expr shifted = value(i) - value(i);
          return finish(shifted, te::exp(shifted));
        },
        name);
  }
  llvm::ArrayRef<Expr> shape = x.getShape();
  std::vector<Expr> keep(shape.begin(), shape.end());
  keep[axis] = Expr(1);
  auto along = [&](llvm::ArrayRef<Expr> i, Expr r) {
    std::vector<Expr> at(i.begin(), i.end());
    at[axis] = r;
    return at;
  };
  te::IterVar r1 = te::reduceAxis(0, shape[axis], "r1");
  Tensor m = te::compute(
      keep,
      [&](llvm::ArrayRef<Expr> i) {
        return te::max(value(along(i, Expr(r1))), llvm::ArrayRef<te::IterVar>(r1));
      },
      (name + "_max").str());
  te::IterVar r2 = te::reduceAxis(0, shape[axis], "r2");
  Tensor s = te::compute(
      keep,
      [&](llvm::ArrayRef<Expr> i) {
        return te::sum(te::exp(value(along(i, Expr(r2))) - m(i)),
                       llvm::ArrayRef<te::IterVar>(r2));
      },
      (name + "_sum").str());
  return te::compute(
      shape,
      [&](llvm::ArrayRef<Expr> i) {
        std::vector<Expr> k = along(i, Expr(0));
        return finish(value(i) - m(k), s(k));
      },
      name);
}
} // namespace

Tensor topi::softmax(const Tensor &x, int64_t axis, llvm::StringRef name) {
  return softmaxOf(x, axis, /*log=*/false, name);
}

Tensor topi::logSoftmax(const Tensor &x, int64_t axis, llvm::StringRef name) {
  return softmaxOf(x, axis, /*log=*/true, name);
}

Tensor topi::conv2dNCHW(const Tensor &data, const Tensor &weight,
                        llvm::ArrayRef<int64_t> stride,
                        llvm::ArrayRef<int64_t> padding,
                        llvm::ArrayRef<int64_t> dilation, int64_t groups,
                        llvm::StringRef name) {
  if (data.getRank() != 4 || weight.getRank() != 4)
    fail("topi conv2d: needs NCHW data and OIHW weight (rank 4), got ranks " +
         llvm::Twine(data.getRank()) + " and " +
         llvm::Twine(weight.getRank()));
  if (stride.size() != 2 || padding.size() != 2 || dilation.size() != 2)
    fail("topi conv2d: stride, padding and dilation take two values each");
  if (data.getElementType() != weight.getElementType())
    fail("topi conv2d: dtypes of data and weight differ");
  auto need = [](const Expr &e, const char *what) {
    std::optional<int64_t> v = staticSize(e);
    if (!v)
      fail(llvm::Twine("topi conv2d: needs a static ") + what);
    return *v;
  };
  llvm::ArrayRef<Expr> ds = data.getShape(), ws = weight.getShape();
  int64_t c = need(ds[1], "channel count"), h = need(ds[2], "height"),
          w = need(ds[3], "width");
  int64_t oc = need(ws[0], "output channel count"),
          icg = need(ws[1], "weight channel count"),
          kh = need(ws[2], "kernel height"), kw = need(ws[3], "kernel width");
  if (groups < 1 || c != icg * groups || oc % groups)
    fail("topi conv2d: " + llvm::Twine(c) + " input channels and " +
         llvm::Twine(oc) + " output channels do not fit groups=" +
         llvm::Twine(groups) + " with a weight of " + llvm::Twine(icg) +
         " channels per group");
  int64_t sh = stride[0], sw = stride[1], ph = padding[0], pw = padding[1],
          dh = dilation[0], dw = dilation[1];
  if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || ph < 0 || pw < 0)
    fail("topi conv2d: strides and dilations must be >= 1, padding >= 0");
  int64_t oh = windowOutputSize(h, kh, sh, ph, dh);
  int64_t ow = windowOutputSize(w, kw, sw, pw, dw);
  if (oh < 1 || ow < 1)
    fail("topi conv2d: the kernel does not fit the padded input");

  // What padding reads (zeros of the data's type).
  Expr zero = mlir::isa<mlir::FloatType>(data.getElementType()) ? Expr(0.0)
                                                                 : Expr(0);

  // A strided 1x1 convolution without padding reads every s-th pixel of
  // every s-th row: sampled first into a dense stage (a strided copy, a
  // quarter of the input at stride 2), it is a 1x1 convolution with stride
  // 1, whose rows are contiguous and whose short rows (7 x 7) merge into
  // one (--mlc-collapse-short-rows): the GEMM-shaped kernel. Read in place,
  // every vector of pixels costs a shuffle and the block is one register
  // of a row of 7 (resnet50's 1024 -> 2048 downsample at batch 8: 22
  // GFLOP/s on one core).
  if (kh == 1 && kw == 1 && (sh > 1 || sw > 1) && ph == 0 && pw == 0) {
    Tensor sampled = te::compute(
        {ds[0], Expr(c), Expr(oh), Expr(ow)},
        [&](llvm::ArrayRef<Expr> i) {
          Expr row = i[2] * Expr(sh);
          Expr column = i[3] * Expr(sw);
          return data(i[0], i[1], row, column);
        },
        "sample");
    return conv2dNCHW(sampled, weight, {1, 1}, {0, 0}, {1, 1}, groups, name);
  }

  // A 1x1 convolution is a product over channels only: no window loops,
  // so its reads are plain indices (the weight's at constant 0, 0), which
  // --mlc-collapse-short-rows can merge into rows of H * W when the
  // rows are short (7 x 7 pixels: one row of 49 lanes, not 7 rows of 7).
  if (kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 &&
      groups == 1) {
    te::IterVar rc = te::reduceAxis(0, Expr(c), "rc");
    return te::compute(
        {ds[0], Expr(oc), Expr(oh), Expr(ow)},
        [&](llvm::ArrayRef<Expr> i) {
          Expr x = data(i[0], Expr(rc), i[2], i[3]);
          Expr k = weight(i[1], Expr(rc), Expr(0), Expr(0));
          // The weight first: its rows are the block's rows, as a
          // matmul's left operand (the contraction then lowers to outer
          // products; x * k, with the batch in the left operand only, was
          // unrolled element by element). The same product either way.
          return te::sum(k * x, {rc});
        },
        name);
  }

  // Output rows of at most 8 pixels (7 x 7 late in a CNN) fill at most 8
  // of a register's 16 lanes. With stride and dilation 1 the padded image
  // flattened row after row makes every window a run of the flat index:
  // output position p = y * Wp + x (Wp the padded width) reads flat input
  // p + ky * Wp + kx, so the product runs over p in rows of up to
  // oh * Wp pixels (rounded up to 16: whole registers), computing Wp - ow
  // unused columns per row, and a last stage drops them. 512 -> 512 over
  // 7 x 7 on one core: 3.26 -> 2.70 ms (14 x 14 gains nothing). The
  // flattening and the final copy read with division (scalar loops), on
  // tensors a few hundred times smaller than the product's work.
  if (ow <= 8 && oh > 1 && sh == 1 && sw == 1 && dh == 1 && dw == 1 &&
      groups == 1 && (kh > 1 || kw > 1)) {
    int64_t wp = w + 2 * pw;
    int64_t flat = llvm::alignTo(oh * wp, 16);
    int64_t reach = flat + (kh - 1) * wp + kw - 1;
    Tensor flatPadded = te::compute(
        {ds[0], Expr(c), Expr(reach)},
        [&](llvm::ArrayRef<Expr> i) {
          Expr row = te::floordiv(i[2], Expr(wp));
          Expr column = i[2] % Expr(wp);
          Expr inside = te::all({row >= Expr(ph), row < Expr(h + ph),
                                 column >= Expr(pw), column < Expr(w + pw)});
          Expr y = row - Expr(ph);
          Expr x = column - Expr(pw);
          return te::ifThenElse(inside, data(i[0], i[1], y, x), zero);
        },
        "flat_pad");
    te::IterVar rc = te::reduceAxis(0, Expr(c), "rc");
    te::IterVar ry = te::reduceAxis(0, Expr(kh), "ry");
    te::IterVar rx = te::reduceAxis(0, Expr(kw), "rx");
    Tensor rows = te::compute(
        {ds[0], Expr(oc), Expr(flat)},
        [&](llvm::ArrayRef<Expr> i) {
          Expr shift = Expr(ry) * Expr(wp);
          Expr window = i[2] + shift;
          Expr at = window + Expr(rx);
          Expr k = weight(i[1], Expr(rc), Expr(ry), Expr(rx));
          Expr x = flatPadded(i[0], Expr(rc), at);
          return te::sum(k * x, {rc, ry, rx});
        },
        (name + "_rows").str());
    return te::compute(
        {ds[0], Expr(oc), Expr(oh), Expr(ow)},
        [&](llvm::ArrayRef<Expr> i) {
          Expr start = i[2] * Expr(wp);
          Expr at = start + i[3];
          return rows(i[0], i[1], at);
        },
        name);
  }

  // Zero padding as its own stage, which the code generator's
  // convolution strategy expects before the product.
  Tensor padded = data;
  if (ph || pw) {
    padded = padSpatial(data, {ph, pw}, h + 2 * ph, w + 2 * pw, zero);
  }
  te::IterVar rc = te::reduceAxis(0, Expr(icg), "rc");
  te::IterVar ry = te::reduceAxis(0, Expr(kh), "ry");
  te::IterVar rx = te::reduceAxis(0, Expr(kw), "rx");
  int64_t ocg = oc / groups;
  return te::compute(
      {ds[0], Expr(oc), Expr(oh), Expr(ow)},
      [&](llvm::ArrayRef<Expr> i) {
        Expr o = i[1];
        Expr channel = rc;
        if (groups != 1) {
          Expr group = te::floordiv(o, Expr(ocg));
          Expr first = group * Expr(icg);
          channel = first + Expr(rc);
        }
        Expr rowBase = i[2] * Expr(sh);
        Expr row = rowBase + Expr(ry) * Expr(dh);
        Expr columnBase = i[3] * Expr(sw);
        Expr column = columnBase + Expr(rx) * Expr(dw);
        Expr x = padded(i[0], channel, row, column);
        Expr k = weight(o, Expr(rc), Expr(ry), Expr(rx));
        return te::sum(x * k, {rc, ry, rx});
      },
      name);
}

namespace {

/// The output sizes (OH, OW) of a 2-d pooling window over NCHW `data`,
/// after checking what torch checks: rank 4, two values per argument,
/// static H and W, kernel/strides/dilation >= 1, 0 <= padding <= half the
/// dilated kernel, and a window that fits. Fails (mlc::Error) naming `op`.
std::array<int64_t, 2> pool2dOutputSizes(llvm::StringRef op,
                                         const Tensor &data,
                                         llvm::ArrayRef<int64_t> kernel,
                                         llvm::ArrayRef<int64_t> stride,
                                         llvm::ArrayRef<int64_t> padding,
                                         llvm::ArrayRef<int64_t> dilation,
                                         bool ceilMode) {
  if (data.getRank() != 4)
    fail("topi " + op + ": needs NCHW data (rank 4), got rank " +
         llvm::Twine(data.getRank()));
  if (kernel.size() != 2 || stride.size() != 2 || padding.size() != 2 ||
      dilation.size() != 2)
    fail("topi " + op + ": kernel, stride, padding and dilation take two "
         "values each");
  std::array<int64_t, 2> out;
  for (int k = 0; k < 2; ++k) {
    std::optional<int64_t> size = staticSize(data.getShape()[2 + k]);
    if (!size)
      fail("topi " + op + ": needs a static height and width");
    if (kernel[k] < 1 || stride[k] < 1 || dilation[k] < 1 || padding[k] < 0)
      fail("topi " + op + ": kernel, strides and dilations must be >= 1, "
           "padding >= 0");
    int64_t reach;
    if (llvm::MulOverflow(kernel[k] - 1, dilation[k], reach) ||
        reach == std::numeric_limits<int64_t>::max())
      fail("topi " + op + ": the window " + llvm::Twine(kernel[k]) +
           " with dilation " + llvm::Twine(dilation[k]) + " is too large");
    if (padding[k] > (reach + 1) / 2)
      fail("topi " + op + ": padding " + llvm::Twine(padding[k]) +
           " is more than half the dilated kernel");
    out[k] = windowOutputSize(*size, kernel[k], stride[k], padding[k],
                              dilation[k], ceilMode);
    if (out[k] < 1)
      fail("topi " + op + ": the window does not fit the padded input");
  }
  return out;
}

} // namespace

Tensor topi::maxPool2d(const Tensor &data, llvm::ArrayRef<int64_t> kernel,
                       llvm::ArrayRef<int64_t> stride,
                       llvm::ArrayRef<int64_t> padding,
                       llvm::ArrayRef<int64_t> dilation, bool ceilMode,
                       llvm::StringRef name) {
  auto [oh, ow] = pool2dOutputSizes("max_pool2d", data, kernel, stride,
                                    padding, dilation, ceilMode);
  llvm::ArrayRef<Expr> ds = data.getShape();
  int64_t h = *staticSize(ds[2]), w = *staticSize(ds[3]), kh = kernel[0],
          kw = kernel[1], sh = stride[0], sw = stride[1], ph = padding[0],
          pw = padding[1], dh = dilation[0], dw = dilation[1];
  mlir::Type type = data.getElementType();
  // Outside the input: the lowest value, so it never wins.
  Expr lowest =
      mlir::isa<mlir::FloatType>(type)
          ? Expr(-std::numeric_limits<double>::infinity())
          : Expr(-(int64_t(1) << (type.getIntOrFloatBitWidth() - 1)));
  // Windows that reach outside the input read a padding stage of the
  // lowest value (what the convolutions do with zeros): the window op
  // itself then has no guarded reads and vectorizes. It covers every
  // window (ceil mode's last one may end past the input and the padding).
  Tensor padded = data;
  int64_t reachH = (oh - 1) * sh + (kh - 1) * dh + 1;
  int64_t reachW = (ow - 1) * sw + (kw - 1) * dw + 1;
  if (ph || pw || reachH > h || reachW > w)
    padded = padSpatial(data, {ph, pw}, std::max(h + ph, reachH),
                        std::max(w + pw, reachW), lowest);
  te::IterVar ry = te::reduceAxis(0, Expr(kh), "ry");
  te::IterVar rx = te::reduceAxis(0, Expr(kw), "rx");
  return te::compute(
      {ds[0], ds[1], Expr(oh), Expr(ow)},
      [&](llvm::ArrayRef<Expr> i) {
        // One statement per step (C++ leaves operand order open).
        Expr rowBase = i[2] * Expr(sh);
        Expr rowStep = Expr(ry) * Expr(dh);
        Expr row = rowBase + rowStep;
        Expr columnBase = i[3] * Expr(sw);
        Expr columnStep = Expr(rx) * Expr(dw);
        Expr column = columnBase + columnStep;
        return te::max(padded(i[0], i[1], row, column), {ry, rx});
      },
      name);
}

Tensor topi::batchNormInference(const Tensor &data, const Tensor &mean,
                                const Tensor &var, const Tensor &weight,
                                const Tensor &bias, double epsilon,
                                llvm::StringRef name) {
  if (data.getRank() < 2)
    fail("topi batch_norm: data must have a channel dimension (rank >= 2)");
  for (const Tensor *t : {&mean, &var, &weight, &bias})
    if (t->getRank() != 1)
      fail("topi batch_norm: mean, var, weight and bias must have rank 1");
  mlir::Type type = data.getElementType();
  if (!mlir::isa<mlir::FloatType>(type))
    fail("topi batch_norm: needs float data, got " + te::dtypeName(type));
  // float16 and bfloat16 compute in float32, as torch's kernel does.
  mlir::Type acc = type.getIntOrFloatBitWidth() < 32
                       ? mlir::Float32Type::get(type.getContext())
                       : type;
  auto widen = [&](Expr e, const Tensor &of) {
    return of.getElementType() == acc ? e : te::cast(acc, e);
  };
  return te::compute(
      data.getShape(),
      [&](llvm::ArrayRef<Expr> i) {
        // (x - mean) / sqrt(var + eps) * weight + bias, one step per
        // statement (C++ leaves operand order open).
        Expr c = i[1];
        Expr x = widen(data(i), data);
        Expr centered = x - widen(mean(c), mean);
        Expr eps = te::cast(acc, Expr(epsilon));
        Expr variance = widen(var(c), var) + eps;
        Expr normalized = centered / te::sqrt(variance);
        Expr scaled = normalized * widen(weight(c), weight);
        Expr shifted = scaled + widen(bias(c), bias);
        return acc == type ? shifted : te::cast(type, shifted);
      },
      name);
}

Tensor topi::layerNorm(const Tensor &data, const Tensor &weight,
                       const Tensor &bias, double epsilon,
                       llvm::StringRef name) {
  int64_t rank = data.getRank(), k = weight.getRank();
  if (k < 1 || k > rank || bias.getRank() != k)
    fail("topi layer_norm: weight and bias must have the rank of the "
         "normalized (last) dimensions");
  mlir::Type type = data.getElementType();
  if (!mlir::isa<mlir::FloatType>(type))
    fail("topi layer_norm: needs float data, got " + te::dtypeName(type));
  // float16 and bfloat16 compute in float32, as torch's kernel does.
  mlir::Type acc = type.getIntOrFloatBitWidth() < 32
                       ? mlir::Float32Type::get(type.getContext())
                       : type;
  auto widen = [&](Expr e, mlir::Type of) {
    return of == acc ? e : te::cast(acc, e);
  };
  int64_t first = rank - k; // the first normalized dimension
  const std::vector<Expr> &shape = data.getShape();
  std::vector<Expr> keep(shape.begin(), shape.end());
  Expr count(1);
  for (int64_t d = first; d < rank; ++d) {
    keep[d] = Expr(1);
    count = count * shape[d];
  }
  // The sum over each row of term(x, i), x read at the reduce axes and i
  // the row's index.
  using Term = std::function<Expr(const Expr &, llvm::ArrayRef<Expr>)>;
  auto rowSum = [&](const Term &term, llvm::StringRef what) {
    std::vector<te::IterVar> axes;
    for (int64_t d = first; d < rank; ++d)
      axes.push_back(
          te::reduceAxis(Expr(0), shape[d], (what + llvm::Twine(d)).str()));
    return te::compute(
        keep,
        [&](llvm::ArrayRef<Expr> i) {
          std::vector<Expr> full(i.begin(), i.end());
          for (int64_t d = first; d < rank; ++d)
            full[d] = Expr(axes[d - first]);
          Expr x = widen(data(full), type);
          Expr t = term(x, i);
          return te::sum(t, axes);
        },
        (name + "_" + what).str());
  };
  auto perRow = [&](const Tensor &sum, llvm::StringRef what) {
    return te::compute(
        keep,
        [&](llvm::ArrayRef<Expr> i) {
          Expr n = te::cast(acc, count);
          return sum(i) / n;
        },
        (name + "_" + what).str());
  };
  Tensor total = rowSum([](const Expr &x, auto) { return x; }, "a");
  Tensor mean = perRow(total, "mean");
  Tensor squares = rowSum(
      [&](const Expr &x, llvm::ArrayRef<Expr> i) {
        Expr d = x - mean(i);
        return d * d;
      },
      "b");
  Tensor var = perRow(squares, "var");
  return te::compute(
      shape,
      [&](llvm::ArrayRef<Expr> i) {
        std::vector<Expr> row(i.begin(), i.end());
        for (int64_t d = first; d < rank; ++d)
          row[d] = Expr(0);
        std::vector<Expr> within(i.begin() + first, i.end());
        // x * rstd + (-rstd * mean) in one fma, as torch's kernel
        // (compiled with contraction) computes it.
        Expr eps = te::cast(acc, Expr(epsilon));
        Expr variance = var(row) + eps;
        Expr rstd = te::cast(acc, Expr(1.0)) / te::sqrt(variance);
        Expr negated = te::cast(acc, Expr(0.0)) - rstd;
        Expr shift = negated * mean(row);
        Expr x = widen(data(i), type);
        Expr normalized = te::callMath("fma", {x, rstd, shift});
        Expr scaled =
            normalized * widen(weight(within), weight.getElementType());
        Expr shifted = scaled + widen(bias(within), bias.getElementType());
        return acc == type ? shifted : te::cast(type, shifted);
      },
      name);
}

Tensor topi::avgPool2d(const Tensor &data, llvm::ArrayRef<int64_t> kernel,
                       llvm::ArrayRef<int64_t> stride,
                       llvm::ArrayRef<int64_t> padding, bool ceilMode,
                       bool countIncludePad, llvm::StringRef name) {
  int64_t noDilation[] = {1, 1};
  std::array<int64_t, 2> sizesOut = pool2dOutputSizes(
      "avg_pool2d", data, kernel, stride, padding, noDilation, ceilMode);
  llvm::ArrayRef<Expr> ds = data.getShape();
  mlir::Type type = data.getElementType();
  if (!mlir::isa<mlir::FloatType>(type))
    fail("topi avg_pool2d: needs float data, got " + te::dtypeName(type));
  mlir::Type acc = type.getIntOrFloatBitWidth() < 32
                       ? mlir::Float32Type::get(type.getContext())
                       : type;
  int64_t sizes[2] = {*staticSize(ds[2]), *staticSize(ds[3])};
  std::vector<Expr> out = {ds[0], ds[1], Expr(sizesOut[0]),
                           Expr(sizesOut[1])};
  // Zeros outside the input, as their own stage (see maxPool2d); the
  // divisor below counts the window's cells by the rule asked for.
  Tensor padded = data;
  int64_t reach[2];
  for (int k = 0; k < 2; ++k)
    reach[k] = (sizesOut[k] - 1) * stride[k] + kernel[k];
  if (padding[0] || padding[1] || reach[0] > sizes[0] || reach[1] > sizes[1])
    padded = padSpatial(data, {padding[0], padding[1]},
                        std::max(sizes[0] + padding[0], reach[0]),
                        std::max(sizes[1] + padding[1], reach[1]),
                        te::cast(type, Expr(0.0)));
  te::IterVar rk[2] = {te::reduceAxis(0, Expr(kernel[0]), "rk0"),
                       te::reduceAxis(0, Expr(kernel[1]), "rk1")};
  Tensor summed = te::compute(
      out,
      [&](llvm::ArrayRef<Expr> i) {
        Expr row = i[2] * Expr(stride[0]);
        Expr rowAt = row + Expr(rk[0]);
        Expr column = i[3] * Expr(stride[1]);
        Expr columnAt = column + Expr(rk[1]);
        Expr read = padded(i[0], i[1], rowAt, columnAt);
        Expr wide = read.getType() == acc ? read : te::cast(acc, read);
        return te::sum(wide, {rk[0], rk[1]});
      },
      (name + "_sum").str());
  return te::compute(
      out,
      [&](llvm::ArrayRef<Expr> i) {
        Expr count;
        for (int k = 0; k < 2; ++k) {
          Expr base = i[2 + k] * Expr(stride[k]);
          Expr start = base - Expr(padding[k]);
          Expr stop = start + Expr(kernel[k]);
          Expr end = te::min(stop, Expr(sizes[k] + padding[k]));
          if (!countIncludePad) {
            start = te::max(start, Expr(0));
            end = te::min(end, Expr(sizes[k]));
          }
          Expr span = end - start;
          count = k == 0 ? span : count * span;
        }
        Expr n = te::cast(acc, count);
        Expr value = summed(i) / n;
        return acc == type ? value : te::cast(type, value);
      },
      name);
}
