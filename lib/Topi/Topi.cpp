//===- Topi.cpp - te definitions of the high-level operators --------------===//

#include "mlc/Topi/Topi.h"

#include "mlc/Support/Error.h"

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
