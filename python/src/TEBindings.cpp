//===- TEBindings.cpp - mlc._mlc.te ---------------------------------------===//
//
// Binds te handles with Python operators. Python numbers become te literals,
// so `A[i] * 2` and `te.max(x, 0)` work as in TVM.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"
#include "mlc/Topi/Topi.h"

#include <pybind11/functional.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using namespace mlc;
using te::Expr;

namespace {

/// Converts a Python value (te expression, reduce axis, int, float) to an
/// Expr; raises TypeError for anything else.
Expr toExpr(py::handle h) {
  if (py::isinstance<Expr>(h))
    return h.cast<Expr>();
  if (py::isinstance<te::IterVar>(h))
    return Expr(h.cast<te::IterVar>());
  if (py::isinstance<py::bool_>(h))
    return Expr(static_cast<int64_t>(h.cast<bool>()));
  if (py::hasattr(h, "__index__"))
    return Expr(h.attr("__index__")().cast<int64_t>());
  if (py::hasattr(h, "__float__") && !py::isinstance<py::str>(h))
    return Expr(h.attr("__float__")().cast<double>());
  throw py::type_error("expected a te expression, reduce axis, int or "
                       "float, got " +
                       std::string(py::str(py::type::of(h).attr("__name__"))));
}

std::vector<Expr> toExprs(py::handle seq) {
  std::vector<Expr> result;
  if (py::isinstance<py::tuple>(seq) || py::isinstance<py::list>(seq)) {
    for (py::handle item : seq)
      result.push_back(toExpr(item));
  } else {
    result.push_back(toExpr(seq));
  }
  return result;
}

std::vector<te::IterVar> toAxes(py::handle axis) {
  std::vector<te::IterVar> axes;
  if (py::isinstance<te::IterVar>(axis)) {
    axes.push_back(axis.cast<te::IterVar>());
    return axes;
  }
  if (!py::isinstance<py::tuple>(axis) && !py::isinstance<py::list>(axis))
    throw py::type_error("axis must be a reduce axis or a list of them");
  for (py::handle item : axis) {
    if (!py::isinstance<te::IterVar>(item))
      throw py::type_error("axis must be a reduce axis or a list of them");
    axes.push_back(item.cast<te::IterVar>());
  }
  return axes;
}

/// Python's view of a dimension: an int when static, the expression (a
/// te.Var for a symbolic size) otherwise.
py::object dimToPython(const Expr &dim, const py::dict &vars) {
  if (auto size = dim.getConstantInt())
    return py::int_(*size);
  py::object key = py::int_(reinterpret_cast<intptr_t>(
      dim.getValue().getAsOpaquePointer()));
  if (vars.contains(key))
    return vars[key];
  return py::cast(dim);
}

/// Symbolic sizes made by te.var, by value, so that A.shape[0] returns the
/// very te.Var object (and its name).
py::dict &varRegistry() {
  static py::dict *vars = new py::dict();
  return *vars;
}

template <typename Fn> auto binaryOp(Fn fn, bool reversed = false) {
  return [fn, reversed](const Expr &self, py::object other) {
    Expr o = toExpr(other);
    return reversed ? fn(o, self) : fn(self, o);
  };
}

/// The same for a reduction axis on the left (it binds in the compute being
/// built, or raises outside one).
template <typename Fn> auto axisOp(Fn fn, bool reversed = false) {
  return [fn, reversed](const te::IterVar &self, py::object other) {
    Expr a(self), o = toExpr(other);
    return reversed ? fn(o, a) : fn(a, o);
  };
}

} // namespace

void mlc::python::registerTE(py::module_ &m) {
  py::class_<Expr>(m, "Expr")
      .def_property_readonly(
          "dtype",
          [](const Expr &e) -> py::object {
            if (mlir::Type t = e.getType())
              return py::str(te::dtypeName(t));
            if (e.getIntLiteral())
              return py::str("int32");
            return py::str("float32");
          })
      .def("__add__", binaryOp([](Expr a, Expr b) { return a + b; }))
      .def("__radd__", binaryOp([](Expr a, Expr b) { return a + b; }, true))
      .def("__sub__", binaryOp([](Expr a, Expr b) { return a - b; }))
      .def("__rsub__", binaryOp([](Expr a, Expr b) { return a - b; }, true))
      .def("__mul__", binaryOp([](Expr a, Expr b) { return a * b; }))
      .def("__rmul__", binaryOp([](Expr a, Expr b) { return a * b; }, true))
      .def("__truediv__", binaryOp([](Expr a, Expr b) { return a / b; }))
      .def("__rtruediv__",
           binaryOp([](Expr a, Expr b) { return a / b; }, true))
      .def("__floordiv__",
           binaryOp([](Expr a, Expr b) { return te::floordiv(a, b); }))
      .def("__rfloordiv__",
           binaryOp([](Expr a, Expr b) { return te::floordiv(a, b); }, true))
      .def("__mod__", binaryOp([](Expr a, Expr b) { return a % b; }))
      .def("__rmod__", binaryOp([](Expr a, Expr b) { return a % b; }, true))
      .def("__neg__", [](const Expr &a) { return -a; })
      .def("__lt__", binaryOp([](Expr a, Expr b) { return a < b; }))
      .def("__le__", binaryOp([](Expr a, Expr b) { return a <= b; }))
      .def("__gt__", binaryOp([](Expr a, Expr b) { return a > b; }))
      .def("__ge__", binaryOp([](Expr a, Expr b) { return a >= b; }))
      .def("__eq__", binaryOp([](Expr a, Expr b) { return a == b; }))
      .def("__ne__", binaryOp([](Expr a, Expr b) { return a != b; }))
      .def("__and__", binaryOp([](Expr a, Expr b) { return a && b; }))
      .def("__rand__", binaryOp([](Expr a, Expr b) { return a && b; }, true))
      .def("__or__", binaryOp([](Expr a, Expr b) { return a || b; }))
      .def("__ror__", binaryOp([](Expr a, Expr b) { return a || b; }, true))
      .def("__invert__", [](const Expr &a) { return !a; })
      .def(
          "same_as",
          [](const Expr &self, py::object other) {
            if (!py::isinstance<Expr>(other))
              return false;
            Expr o = other.cast<Expr>();
            if (self.getValue() || o.getValue())
              return self.getValue() == o.getValue();
            return self.getConstantInt() == o.getConstantInt();
          },
          "Whether both are the same value (not a symbolic comparison).")
      .def("__hash__",
           [](py::object self) {
             return reinterpret_cast<intptr_t>(self.ptr());
           })
      .def("__bool__", [](const Expr &e) {
        std::optional<bool> value = te::evaluateBool(e);
        if (!value)
          throw py::type_error(
              "a symbolic te condition has no truth value at build time");
        return *value;
      });

  py::class_<te::Var, Expr>(m, "Var").def_property_readonly(
      "name", &te::Var::getName);

  py::class_<te::IterVar>(m, "IterVar")
      .def_property_readonly("name", &te::IterVar::getName)
      .def_property_readonly("extent",
                             [](const te::IterVar &iv) {
                               return dimToPython(iv.getExtent(),
                                                  varRegistry());
                             })
      .def("__add__", axisOp([](Expr a, Expr b) { return a + b; }))
      .def("__radd__", axisOp([](Expr a, Expr b) { return a + b; }, true))
      .def("__sub__", axisOp([](Expr a, Expr b) { return a - b; }))
      .def("__rsub__", axisOp([](Expr a, Expr b) { return a - b; }, true))
      .def("__mul__", axisOp([](Expr a, Expr b) { return a * b; }))
      .def("__rmul__", axisOp([](Expr a, Expr b) { return a * b; }, true));

  py::class_<te::Tensor>(m, "Tensor")
      .def_property_readonly("name", &te::Tensor::getName)
      .def_property_readonly("ndim", &te::Tensor::getRank)
      .def_property_readonly("dtype",
                             [](const te::Tensor &t) {
                               return te::dtypeName(t.getElementType());
                             })
      .def_property_readonly("shape",
                             [](const te::Tensor &t) {
                               py::list shape;
                               for (const Expr &dim : t.getShape())
                                 shape.append(dimToPython(dim, varRegistry()));
                               return shape;
                             })
      .def_property_readonly("is_placeholder", &te::Tensor::isPlaceholder)
      .def("__getitem__",
           [](const te::Tensor &t, py::object indices) {
             return t(toExprs(indices));
           })
      .def("__call__", [](const te::Tensor &t, py::args indices) {
        return t(toExprs(indices));
      });

  m.def(
      "placeholder",
      [](py::object shape, const std::string &dtype, const std::string &name) {
        return te::placeholder(
            toExprs(shape), te::parseDType(&getContext(), dtype), name);
      },
      py::arg("shape"), py::arg("dtype"), py::arg("name"));
  m.def(
      "var",
      [](const std::string &name) {
        te::Var v = te::var(name);
        py::object obj = py::cast(v);
        varRegistry()[py::int_(reinterpret_cast<intptr_t>(
            v.getValue().getAsOpaquePointer()))] = obj;
        return obj;
      },
      py::arg("name"));
  m.def(
      "reduce_axis",
      [](py::object begin, py::object end, const std::string &name) {
        return te::reduceAxis(toExpr(begin), toExpr(end), name);
      },
      py::arg("begin"), py::arg("end"), py::arg("name"));
  m.def(
      "compute",
      [](py::object shape, py::function fcompute, const std::string &name) {
        return te::compute(
            toExprs(shape),
            [&](llvm::ArrayRef<Expr> indices) {
              py::tuple args(indices.size());
              for (size_t i = 0; i < indices.size(); ++i)
                args[i] = py::cast(indices[i]);
              py::object result = fcompute(*args);
              if (py::isinstance<te::Tensor>(result))
                throw mlc::Error(
                    "fcompute of '" + name +
                    "' returned a te.Tensor; it must return an element "
                    "expression (index the tensor)");
              return toExpr(result);
            },
            name);
      },
      py::arg("shape"), py::arg("fcompute"), py::arg("name"));

  auto reduction = [&](const char *name, auto fn) {
    m.def(
        name,
        [fn](py::object value, py::object axis) {
          return fn(toExpr(value), toAxes(axis));
        },
        py::arg("expr"), py::arg("axis"));
  };
  reduction("sum", [](Expr e, std::vector<te::IterVar> a) {
    return te::sum(e, a);
  });
  reduction("reduce_max", [](Expr e, std::vector<te::IterVar> a) {
    return te::max(e, a);
  });
  reduction("reduce_min", [](Expr e, std::vector<te::IterVar> a) {
    return te::min(e, a);
  });
  reduction("prod", [](Expr e, std::vector<te::IterVar> a) {
    return te::prod(e, a);
  });

  m.def("max", [](py::object a, py::object b) {
    return te::max(toExpr(a), toExpr(b));
  });
  m.def("min", [](py::object a, py::object b) {
    return te::min(toExpr(a), toExpr(b));
  });
  m.def("if_then_else", [](py::object c, py::object t, py::object f) {
    return te::ifThenElse(toExpr(c), toExpr(t), toExpr(f));
  });
  m.def("select", [](py::object c, py::object t, py::object f) {
    return te::select(toExpr(c), toExpr(t), toExpr(f));
  });
  m.def("all", [](py::args conds) { return te::all(toExprs(conds)); });
  m.def("any", [](py::args conds) { return te::any(toExprs(conds)); });
  m.def("cast", [](const std::string &dtype, py::object value) {
    return te::cast(te::parseDType(&getContext(), dtype), toExpr(value));
  });
  m.def("pow", [](py::object a, py::object b) {
    return te::pow(toExpr(a), toExpr(b));
  });
#define MLC_UNARY(NAME)                                                        \
  m.def(#NAME, [](py::object x) { return te::NAME(toExpr(x)); });
  MLC_UNARY(exp)
  MLC_UNARY(log)
  MLC_UNARY(sqrt)
  MLC_UNARY(tanh)
  MLC_UNARY(sigmoid)
  MLC_UNARY(erf)
  MLC_UNARY(abs)
  MLC_UNARY(floor)
#undef MLC_UNARY
  m.def("math", [](const std::string &name, py::args operands) {
    return te::callMath(name, toExprs(operands));
  });
  m.def("bitwise", [](const std::string &name, py::object a, py::object b) {
    return te::bitwise(name, toExpr(a), toExpr(b));
  });
  m.def("bitwise_not", [](py::object x) { return te::bitwiseNot(toExpr(x)); });
  m.def("require_equal", [](py::object a, py::object b,
                            const std::string &message) {
    te::requireEqual(toExpr(a), toExpr(b), message);
  });

  m.def(
      "create_prim_func",
      [](const std::vector<te::Tensor> &tensors, const std::string &name) {
        return std::make_shared<PyModule>(te::createPrimFunc(tensors, name));
      },
      py::arg("tensors"), py::arg("name"));

  // topi: the C++ operator library.
  py::module_ topi = m.def_submodule("topi", "te operator definitions");
#define MLC_TOPI_BINARY(NAME, DEFAULT)                                         \
  topi.def(                                                                    \
      #NAME,                                                                   \
      [](const te::Tensor &a, const te::Tensor &b, const std::string &name) {  \
        return topi::NAME(a, b, name);                                         \
      },                                                                       \
      py::arg("a"), py::arg("b"), py::arg("name") = DEFAULT);
  MLC_TOPI_BINARY(dense, "T_dense")
  MLC_TOPI_BINARY(matmul, "T_matmul")
  MLC_TOPI_BINARY(add, "T_add")
  MLC_TOPI_BINARY(subtract, "T_subtract")
  MLC_TOPI_BINARY(multiply, "T_multiply")
  MLC_TOPI_BINARY(divide, "T_divide")
#undef MLC_TOPI_BINARY
  topi.def(
      "relu",
      [](const te::Tensor &x, const std::string &name) {
        return topi::relu(x, name);
      },
      py::arg("x"), py::arg("name") = "T_relu");
  topi.def(
      "conv2d_nchw",
      [](const te::Tensor &data, const te::Tensor &weight,
         const std::vector<int64_t> &stride,
         const std::vector<int64_t> &padding,
         const std::vector<int64_t> &dilation, int64_t groups,
         const std::string &name) {
        return topi::conv2dNCHW(data, weight, stride, padding, dilation,
                                groups, name);
      },
      py::arg("data"), py::arg("weight"), py::arg("stride"),
      py::arg("padding"), py::arg("dilation"), py::arg("groups"),
      py::arg("name") = "conv2d");
  topi.def(
      "max_pool2d",
      [](const te::Tensor &data, const std::vector<int64_t> &kernel,
         const std::vector<int64_t> &stride,
         const std::vector<int64_t> &padding,
         const std::vector<int64_t> &dilation, bool ceilMode,
         const std::string &name) {
        return topi::maxPool2d(data, kernel, stride, padding, dilation,
                               ceilMode, name);
      },
      py::arg("data"), py::arg("kernel"), py::arg("stride"),
      py::arg("padding"), py::arg("dilation"), py::arg("ceil_mode"),
      py::arg("name") = "max_pool2d");
  topi.def(
      "avg_pool2d",
      [](const te::Tensor &data, const std::vector<int64_t> &kernel,
         const std::vector<int64_t> &stride,
         const std::vector<int64_t> &padding, bool ceilMode,
         bool countIncludePad, const std::string &name) {
        return topi::avgPool2d(data, kernel, stride, padding, ceilMode,
                               countIncludePad, name);
      },
      py::arg("data"), py::arg("kernel"), py::arg("stride"),
      py::arg("padding"), py::arg("ceil_mode"), py::arg("count_include_pad"),
      py::arg("name") = "avg_pool2d");
  topi.def(
      "softmax",
      [](const te::Tensor &x, int64_t axis, const std::string &name) {
        return topi::softmax(x, axis, name);
      },
      py::arg("x"), py::arg("axis") = -1, py::arg("name") = "T_softmax");
  topi.def(
      "log_softmax",
      [](const te::Tensor &x, int64_t axis, const std::string &name) {
        return topi::logSoftmax(x, axis, name);
      },
      py::arg("x"), py::arg("axis") = -1, py::arg("name") = "T_log_softmax");
}
