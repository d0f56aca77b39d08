//===- PrintGraph.cpp - relax functions as Graphviz graphs ----------------===//
//
// A picture of a graph function (TVM users look at theirs with
// relax's visualizers): parameters, constants and ops as nodes, values as
// edges labelled with their tensor types, the dataflow block and each call
// of a fused tir.func as clusters. MLIR's --view-op-graph draws any op
// graph, but shows neither what a call_tir calls nor what a fused function
// holds, which is what one wants to see after --relax-fuse.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/Relax/Transforms/PrintGraph.h"

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/Relax/Transforms/Passes.h"
#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlc::relax {
#define GEN_PASS_DEF_RELAXPRINTGRAPHPASS
#include "mlc/Dialect/Relax/Transforms/Passes.h.inc"
} // namespace mlc::relax

using namespace mlir;

namespace {

/// `text` as a DOT string literal's contents.
std::string escaped(StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

/// A tensor type as `1x784xf32` (dynamic sizes `?`).
std::string typeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    for (int64_t size : tensor.getShape())
      os << (ShapedType::isDynamic(size) ? std::string("?")
                                         : std::to_string(size))
         << "x";
    os << tensor.getElementType();
  } else {
    os << type;
  }
  return text;
}

class GraphPrinter {
public:
  explicit GraphPrinter(raw_ostream &os) : os(os) {}

  void print(func::FuncOp func) {
    os << "digraph \"" << escaped(func.getSymName()) << "\" {\n"
       << "  rankdir=TB;\n"
       << "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
       << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
    for (BlockArgument arg : func.getArguments()) {
      std::string id = "arg" + std::to_string(arg.getArgNumber());
      os << "  " << id << " [shape=ellipse, label=\"%arg"
         << arg.getArgNumber() << "\"];\n";
      nodes[arg] = id;
    }
    printBlock(func.getBody().front(), "  ");
    for (const auto &[from, to, label] : edges)
      os << "  " << from << " -> " << to << " [label=\"" << escaped(label)
         << "\"];\n";
    os << "}\n";
  }

private:
  void printBlock(Block &block, StringRef indent) {
    for (Operation &op : block) {
      if (auto dataflow = dyn_cast<mlc::relax::DataflowOp>(&op)) {
        os << indent << "subgraph cluster_" << clusters++ << " {\n"
           << indent << "  label=\"dataflow\"; style=dashed;\n";
        printBlock(dataflow.getBody().front(), (indent + "  ").str());
        os << indent << "}\n";
        // The block's results are its relax.output's operands.
        Operation *output = dataflow.getBody().front().getTerminator();
        for (auto [result, value] :
             llvm::zip(dataflow->getResults(), output->getOperands()))
          nodes[result] = nodes.lookup(value);
        continue;
      }
      if (isa<mlc::relax::OutputOp>(op))
        continue;
      std::string id = "n" + std::to_string(count++);
      if (isa<func::ReturnOp>(op)) {
        os << indent << id << " [shape=ellipse, label=\"return\"];\n";
      } else if (auto call = dyn_cast<mlc::relax::CallTIROp>(op)) {
        printCall(call, id, indent);
      } else if (isa<mlc::relax::ConstOp>(op)) {
        os << indent << id << " [shape=note, label=\"const\"];\n";
      } else {
        os << indent << id << " [label=\""
           << escaped(op.getName().getStringRef()) << "\"];\n";
      }
      for (Value operand : op.getOperands())
        edges.push_back({nodes.lookup(operand), id,
                         typeText(operand.getType())});
      for (Value result : op.getResults())
        nodes[result] = id;
    }
  }

  /// A call node; a call of a fused function (several compute stages) as
  /// a cluster with the stages, in order, above the call.
  void printCall(mlc::relax::CallTIROp call, StringRef id, StringRef indent) {
    StringRef callee = call.getCallee();
    SmallVector<std::string> stages;
    if (auto tirFunc = SymbolTable::lookupNearestSymbolFrom<mlc::tir::FuncOp>(
            call, call.getCalleeAttr()))
      tirFunc.walk([&](mlc::tir::ComputeOp compute) {
        stages.push_back(compute.getComputeName().str());
      });
    std::string label = "call_tir @" + callee.str();
    if (stages.size() < 2) {
      os << indent << id << " [label=\"" << escaped(label) << "\"];\n";
      return;
    }
    os << indent << "subgraph cluster_" << clusters++ << " {\n"
       << indent << "  label=\"" << escaped(callee) << "\"; style=filled; "
       << "color=lightgrey;\n";
    std::string previous;
    for (auto [k, stage] : llvm::enumerate(stages)) {
      std::string stageId = id.str() + "_" + std::to_string(k);
      os << indent << "  " << stageId << " [shape=plaintext, label=\""
         << escaped(stage) << "\"];\n";
      if (!previous.empty())
        os << indent << "  " << previous << " -> " << stageId
           << " [style=dotted, arrowhead=none];\n";
      previous = stageId;
    }
    os << indent << "  " << id << " [label=\"" << escaped(label) << "\"];\n"
       << indent << "  " << previous << " -> " << id
       << " [style=dotted, arrowhead=none];\n"
       << indent << "}\n";
  }

  struct Edge {
    std::string from, to, label;
  };
  raw_ostream &os;
  llvm::DenseMap<Value, std::string> nodes;
  SmallVector<Edge> edges;
  unsigned count = 0, clusters = 0;
};

struct RelaxPrintGraphPass
    : mlc::relax::impl::RelaxPrintGraphPassBase<RelaxPrintGraphPass> {
  using RelaxPrintGraphPassBase::RelaxPrintGraphPassBase;
  void runOnOperation() override {
    if (failed(mlc::relax::printGraph(getOperation(), function, llvm::outs())))
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace

LogicalResult mlc::relax::printGraph(ModuleOp module, StringRef function,
                                     raw_ostream &os) {
  auto func = module.lookupSymbol<func::FuncOp>(function);
  if (!func || func.isExternal())
    return module.emitError() << "no graph function named '" << function
                              << "' to draw";
  GraphPrinter(os).print(func);
  return success();
}
