//===- RelaxBindings.cpp - mlc._mlc.relax ---------------------------------===//

#include "Bindings.h"

#include "mlc/Builder/BlockBuilder.h"
#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"

#include <pybind11/stl.h>

namespace py = pybind11;
using namespace mlc;
using relax::BlockBuilder;
using relax::OpAttribute;
using relax::Var;

namespace {

std::optional<std::vector<Var>> toParams(py::object params) {
  if (params.is_none())
    return std::nullopt;
  return params.cast<std::vector<Var>>();
}

std::optional<std::vector<int64_t>> toShape(py::object shape) {
  if (shape.is_none())
    return std::nullopt;
  std::vector<int64_t> sizes;
  for (py::handle dim : shape) {
    if (dim.is_none())
      sizes.push_back(mlir::ShapedType::kDynamic);
    else
      sizes.push_back(dim.cast<int64_t>());
  }
  return sizes;
}

} // namespace

void mlc::python::registerRelax(py::module_ &m) {
  py::class_<Var>(m, "VarHandle")
      .def_property_readonly("name", &Var::getName)
      .def_property_readonly("is_dataflow", &Var::isDataflow)
      .def_property_readonly("is_constant", &Var::isConstant)
      .def_property_readonly("dtype",
                             [](const Var &v) {
                               return te::dtypeName(
                                   v.getType().getElementType());
                             })
      .def_property_readonly("shape", [](const Var &v) {
        py::list shape;
        for (int64_t size : v.getType().getShape())
          shape.append(mlir::ShapedType::isDynamic(size) ? py::object(py::none())
                                                         : py::int_(size));
        return py::tuple(shape);
      });

  m.def(
      "make_var",
      [](const std::string &name, py::object shape, int64_t ndim,
         const std::string &dtype) {
        mlir::MLIRContext &ctx = getContext();
        auto sizes = toShape(shape);
        std::optional<llvm::ArrayRef<int64_t>> ref;
        if (sizes)
          ref = llvm::ArrayRef<int64_t>(*sizes);
        return relax::makeVar(
            name, relax::tensorType(&ctx, ref, ndim,
                                    te::parseDType(&ctx, dtype)));
      },
      py::arg("name"), py::arg("shape"), py::arg("ndim"), py::arg("dtype"));

  m.def(
      "make_constant",
      [](py::bytes data, std::vector<int64_t> shape, const std::string &dtype,
         const std::string &name) {
        mlir::MLIRContext &ctx = getContext();
        auto type = mlir::RankedTensorType::get(shape,
                                                te::parseDType(&ctx, dtype));
        std::string_view bytes = data;
        return relax::makeConstant(
            relax::makeConstantData(
                type, llvm::ArrayRef<char>(bytes.data(), bytes.size()), name,
                /*releasable=*/true),
            name);
      },
      py::arg("data"), py::arg("shape"), py::arg("dtype"), py::arg("name"));

  py::class_<BlockBuilder>(m, "BlockBuilder")
      .def(py::init([] { return std::make_unique<BlockBuilder>(&getContext()); }))
      .def(
          "begin_function",
          [](BlockBuilder &bb, const std::string &name, py::object params) {
            bb.beginFunction(name, toParams(params));
          },
          py::arg("name"), py::arg("params") = py::none())
      .def("end_function", &BlockBuilder::endFunction,
           py::arg("abandon") = false)
      .def("begin_dataflow", &BlockBuilder::beginDataflow)
      .def("end_dataflow", &BlockBuilder::endDataflow,
           py::arg("abandon") = false)
      .def(
          "emit_op",
          [](BlockBuilder &bb, const std::string &op,
             const std::vector<Var> &args,
             const std::vector<std::pair<std::string, OpAttribute>> &attrs) {
            return bb.emitOp(op, args, attrs);
          },
          py::arg("op"), py::arg("args"),
          py::arg("attrs") = std::vector<std::pair<std::string, OpAttribute>>())
      .def(
          "emit_reshape",
          [](BlockBuilder &bb, const Var &data,
             const std::vector<std::optional<int64_t>> &shape) {
            std::vector<int64_t> sizes;
            for (const std::optional<int64_t> &size : shape) {
              if (size && *size < 0)
                throw mlc::Error("relax.reshape: size " +
                                 std::to_string(*size) +
                                 " (use None for a dynamic size)");
              sizes.push_back(size ? *size : mlir::ShapedType::kDynamic);
            }
            return bb.emitReshape(data, sizes);
          },
          py::arg("data"), py::arg("shape"))
      .def("make_placeholders",
           [](BlockBuilder &bb, const std::vector<Var> &args) {
             return bb.makePlaceholders(args);
           })
      .def(
          "emit_prim_func_call",
          [](BlockBuilder &bb, const std::vector<Var> &args,
             const std::vector<te::Tensor> &placeholders,
             const te::Tensor &output, const std::string &nameHint) {
            return bb.emitPrimFuncCall(args, placeholders, output, nameHint);
          },
          py::arg("args"), py::arg("placeholders"), py::arg("output"),
          py::arg("name_hint"))
      .def("emit_output", &BlockBuilder::emitOutput)
      .def(
          "emit_func_output",
          [](BlockBuilder &bb, std::vector<Var> outputs, py::object params,
             const std::string &structure) {
            bb.emitFuncOutput(outputs, toParams(params), structure);
          },
          py::arg("outputs"), py::arg("params") = py::none(),
          py::arg("structure") = "")
      .def("get", [](BlockBuilder &bb) {
        return std::make_shared<PyModule>(bb.get());
      });
}
