//===- RuntimeBindings.cpp - mlc._mlc.runtime -----------------------------===//
//
// Compiled executables called on numpy memory: inputs are passed in place,
// results come back as numpy arrays that own the buffers the compiled code
// allocated (freed with free() when the array dies). No copies either way.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include "mlc/Runtime/Executable.h"
#include "mlc/Runtime/RuntimeCore.h"
#include "mlc/Support/Error.h"

#include "llvm/ADT/StringRef.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstdlib>
#include <map>

namespace py = pybind11;
using namespace mlc;
using runtime::Executable;

namespace {

py::dict infoToDict(const runtime::TensorInfo &info) {
  py::dict d;
  d["name"] = info.name;
  d["dtype"] = info.dtype;
  py::list shape;
  for (int64_t size : info.shape)
    shape.append(size < 0 ? py::object(py::none()) : py::int_(size));
  d["shape"] = py::tuple(shape);
  d["is_output"] = info.isOutput;
  return d;
}

/// Whether numpy's `have` is the runtime dtype `want` ("float32",
/// "int64", "bool", ...), from the descriptor's kind and size: cheaper
/// than building a dtype from the name on every call.
bool isDtype(const py::dtype &have, const std::string &want) {
  // The compiled code reads the host's (little-endian) byte order.
  if (have.byteorder() == '>')
    return false;
  llvm::StringRef name(want);
  char kind = 0;
  if (name == "bool")
    return have.kind() == 'b';
  if (name.consume_front("float"))
    kind = 'f';
  else if (name.consume_front("uint"))
    kind = 'u';
  else if (name.consume_front("int"))
    kind = 'i';
  unsigned bits = 0;
  if (!kind || name.getAsInteger(10, bits))
    return have.is(py::dtype(want));
  return have.kind() == kind && have.itemsize() * 8 == bits;
}

/// numpy's dtype of a runtime dtype name, built once per name: parsing the
/// name on every call costs a noticeable part of a batch-1 call. The
/// objects live as long as the process (never destroyed after the
/// interpreter is gone).
py::dtype dtypeNamed(const std::string &name) {
  static auto *cache = new std::map<std::string, py::dtype>();
  auto it = cache->find(name);
  if (it == cache->end())
    it = cache->emplace(name, py::dtype(name)).first;
  return it->second;
}

std::string shapeText(const py::array &array) {
  std::string s = "(";
  for (py::ssize_t d = 0; d < array.ndim(); ++d)
    s += (d ? ", " : "") + std::to_string(array.shape(d));
  return s + (array.ndim() == 1 ? ",)" : ")");
}

/// `args` (numpy arrays) as the buffer views a call of `info` takes,
/// checked against its parameters; `keep` holds the arrays (a strided one
/// made contiguous) while the views are in use.
std::vector<runtime::BufferView>
argumentViews(const std::string &name, const runtime::FunctionInfo &info,
              py::sequence args, std::vector<py::array> &keep) {
  const std::vector<runtime::TensorInfo> &inputs = info.inputs();
  if (args.size() != inputs.size())
    throw mlc::Error(name + " takes " +
                     std::to_string(inputs.size()) +
                     " inputs, got " + std::to_string(args.size()));
  std::vector<runtime::BufferView> views(inputs.size());
  keep.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const runtime::TensorInfo &param = inputs[i];
    // Messages are built only on failure: this loop is on the
    // batch-1 latency path.
    auto what = [&] {
      return name + ": argument #" + std::to_string(i) + " '" +
             param.name + "'";
    };
    py::object arg = args[i];
    if (!py::isinstance<py::array>(arg))
      throw mlc::Error(what() + " is not an array");
    auto array = py::reinterpret_borrow<py::array>(arg);
    if (!isDtype(array.dtype(), param.dtype))
      throw mlc::Error(
          what() + " has dtype " +
          std::string(py::str(array.dtype())) +
          (array.dtype().byteorder() == '>' ? " (big-endian)"
                                            : "") +
          " but the function takes " + param.dtype +
          " in the host's byte order");
    // A strided view (a transpose, a slice) is copied once into
    // the dense layout the compiled code indexes.
    if (!(array.flags() & py::array::c_style))
      array = py::array::ensure(array, py::array::c_style);
    runtime::BufferView &view = views[i];
    view.data = const_cast<void *>(array.data());
    py::ssize_t rank = array.ndim();
    view.shape.assign(array.shape(), array.shape() + rank);
    view.strides.resize(rank);
    for (py::ssize_t d = 0; d < rank; ++d)
      view.strides[d] = array.strides(d) / array.itemsize();
    if (static_cast<size_t>(rank) == param.shape.size())
      for (size_t d = 0; d < param.shape.size(); ++d)
        if (param.shape[d] >= 0 &&
            param.shape[d] != array.shape(d))
          throw mlc::Error(what() + " has shape " +
                           shapeText(array) +
                           " but the function takes another in "
                           "dimension " +
                           std::to_string(d) + " (size " +
                           std::to_string(param.shape[d]) + ")");
    keep.push_back(std::move(array));
  }
  return views;
}

/// Frees what one call's results own.
void freeResults(std::vector<runtime::OwnedBuffer> &buffers) {
  for (runtime::OwnedBuffer &buffer : buffers)
    if (buffer.sharedWith < 0)
      std::free(buffer.allocated);
  buffers.clear();
}

} // namespace

void mlc::python::registerRuntime(py::module_ &m) {
  py::class_<Executable, std::shared_ptr<Executable>>(m, "Executable")
      .def("functions",
           [](Executable &exe) {
             py::list functions;
             for (const runtime::FunctionInfo &info : exe.functions()) {
               py::dict f;
               f["name"] = info.name;
               f["is_prim_func"] = info.isPrimFunc;
               f["result_structure"] = info.resultStructure;
               py::list params, results;
               for (const auto &p : info.params)
                 params.append(infoToDict(p));
               for (const auto &r : info.results)
                 results.append(infoToDict(r));
               f["params"] = params;
               f["results"] = results;
               functions.append(f);
             }
             return functions;
           })
      .def("export_library", &Executable::exportLibrary, py::arg("path"))
      .def("lowered_text",
           [](Executable &exe) { return printOp(exe.getLoweredModule(), true); })
      .def(
          "call",
          [](Executable &exe, const std::string &name, py::sequence args) {
            const runtime::FunctionInfo &info = exe.function(name);
            std::vector<py::array> keep;
            std::vector<runtime::BufferView> views =
                argumentViews(name, info, args, keep);
            std::vector<runtime::OwnedBuffer> buffers;
            {
              py::gil_scoped_release release;
              buffers = exe.call(info, views);
            }
            py::tuple results(buffers.size());
            for (size_t i = 0; i < buffers.size(); ++i) {
              runtime::OwnedBuffer &buffer = buffers[i];
              py::dtype dtype = dtypeNamed(info.results[i].dtype);
              std::vector<py::ssize_t> shape(buffer.shape.begin(),
                                             buffer.shape.end());
              std::vector<py::ssize_t> strides;
              for (int64_t stride : buffer.strides)
                strides.push_back(stride * dtype.itemsize());
              // A result returned twice shares the first one's memory.
              py::object owner =
                  buffer.sharedWith >= 0
                      ? py::object(results[buffer.sharedWith])
                      : py::object(py::capsule(buffer.allocated, [](void *p) {
                          std::free(p);
                        }));
              results[i] = py::array(dtype, shape, strides, buffer.data, owner);
            }
            return results;
          },
          py::arg("name"), py::arg("args"))
      .def(
          "time",
          [](Executable &exe, const std::string &name, py::sequence args,
             int number, int repeat, double minRepeatMs,
             int limitZeroTimeIterations) {
            // TVM's time_evaluator: one untimed call, then `repeat`
            // measurements of `number` calls each, `number` grown until a
            // measurement lasts `minRepeatMs`; seconds per call, each
            // measurement. The loop runs here, without Python in it.
            if (number < 1 || repeat < 1 || minRepeatMs < 0 ||
                limitZeroTimeIterations < 1)
              throw mlc::Error("time_evaluator: number, repeat and "
                               "limit_zero_time_iterations must be >= 1 and "
                               "min_repeat_ms >= 0");
            const runtime::FunctionInfo &info = exe.function(name);
            std::vector<py::array> keep;
            std::vector<runtime::BufferView> views =
                argumentViews(name, info, args, keep);
            std::vector<double> seconds;
            {
              py::gil_scoped_release release;
              using Clock = std::chrono::steady_clock;
              std::vector<runtime::OwnedBuffer> buffers =
                  exe.call(info, views);
              freeResults(buffers);
              for (int r = 0; r < repeat; ++r) {
                double elapsed = 0;
                int calls = number, zeroTimes = 0;
                while (true) {
                  Clock::time_point start = Clock::now();
                  for (int i = 0; i < calls; ++i) {
                    buffers = exe.call(info, views);
                    freeResults(buffers);
                  }
                  elapsed = std::chrono::duration<double>(Clock::now() -
                                                          start)
                                .count();
                  // A clock that reads 0 (too coarse for the calls) is
                  // given limit_zero_time_iterations tries, as in TVM.
                  if (elapsed * 1e3 >= minRepeatMs ||
                      (elapsed == 0 && ++zeroTimes >= limitZeroTimeIterations))
                    break;
                  // TVM's growth: to the estimate, at least x1.618.
                  double estimate =
                      minRepeatMs / 1e3 / std::max(elapsed / calls, 1e-9);
                  calls = static_cast<int>(std::min(
                      1e9, std::max(estimate + 1, calls * 1.618)));
                }
                seconds.push_back(elapsed / calls);
              }
            }
            return seconds;
          },
          py::arg("name"), py::arg("args"), py::arg("number"),
          py::arg("repeat"), py::arg("min_repeat_ms"),
          py::arg("limit_zero_time_iterations"));

  m.def("cached_buffer_bytes", &mlc_cached_buffer_bytes,
        "Bytes of freed buffers the runtime keeps for reuse.");
  m.def("buffer_cache_enabled",
        []() { return mlc_buffer_cache_enabled() != 0; },
        "False in an AddressSanitizer build, which keeps no buffers.");
  m.def("release_cached_buffers", &mlc_release_cached_buffers,
        "Gives the buffers the runtime keeps for reuse back to libc.");

  m.def(
      "compile",
      [](std::shared_ptr<PyModule> module, unsigned optLevel, bool fuse,
         unsigned threads) {
        runtime::CompileOptions options;
        options.optLevel = optLevel;
        options.fuse = fuse;
        options.threads = threads;
        std::shared_ptr<Executable> exe =
            Executable::compile(module->get(), options);
        return exe;
      },
      py::arg("module"), py::arg("opt_level") = 3, py::arg("fuse") = true,
      py::arg("threads") = 0);
}
