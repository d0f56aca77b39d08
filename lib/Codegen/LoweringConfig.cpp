//===- LoweringConfig.cpp - the mlc.lowering_config attribute -------------===//

#include "mlc/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;

namespace mlc::codegen {
namespace {

constexpr llvm::StringLiteral kRegisterTile = "register_tile";
constexpr llvm::StringLiteral kInterchange = "interchange";
constexpr llvm::StringLiteral kRowReduction = "row_reduction";
constexpr llvm::StringLiteral kDistribute = "distribute";
constexpr llvm::StringLiteral kMinParallelWork = "min_parallel_work";
constexpr llvm::StringLiteral kPackOperand = "pack_operand";
constexpr llvm::StringLiteral kGroup = "group";
constexpr llvm::StringLiteral kGroupOnly = "group_only";

std::optional<ArrayRef<int64_t>> array(DictionaryAttr dict, StringRef name) {
  if (auto a = dict.getAs<DenseI64ArrayAttr>(name))
    return a.asArrayRef();
  return std::nullopt;
}

std::optional<int64_t> integer(DictionaryAttr dict, StringRef name) {
  if (auto a = dict.getAs<IntegerAttr>(name))
    return a.getValue().getSExtValue();
  return std::nullopt;
}

} // namespace

DictionaryAttr LoweringConfig::toAttr(MLIRContext *ctx) const {
  Builder b(ctx);
  SmallVector<NamedAttribute> entries;
  entries.push_back(
      b.getNamedAttr(kRegisterTile, b.getDenseI64ArrayAttr(registerTile)));
  entries.push_back(
      b.getNamedAttr(kInterchange, b.getDenseI64ArrayAttr(interchange)));
  if (rowReduction)
    entries.push_back(b.getNamedAttr(
        kRowReduction, b.getDenseI64ArrayAttr(
                           {int64_t(rowReduction->loop), rowReduction->step})));
  if (distribute)
    entries.push_back(b.getNamedAttr(
        kDistribute,
        b.getDenseI64ArrayAttr({int64_t(distribute->loop), distribute->block,
                                int64_t(distribute->threads)})));
  if (minParallelWork)
    entries.push_back(b.getNamedAttr(kMinParallelWork,
                                     b.getI64IntegerAttr(*minParallelWork)));
  if (packOperand)
    entries.push_back(
        b.getNamedAttr(kPackOperand, b.getI64IntegerAttr(*packOperand)));
  if (group)
    entries.push_back(b.getNamedAttr(kGroup, b.getI64IntegerAttr(*group)));
  if (groupOnly)
    entries.push_back(b.getNamedAttr(kGroupOnly, b.getUnitAttr()));
  return b.getDictionaryAttr(entries);
}

std::optional<LoweringConfig> LoweringConfig::fromAttr(DictionaryAttr dict) {
  LoweringConfig config;
  std::optional<ArrayRef<int64_t>> tile = array(dict, kRegisterTile);
  std::optional<ArrayRef<int64_t>> order = array(dict, kInterchange);
  if (!tile || !order)
    return std::nullopt;
  config.registerTile.assign(tile->begin(), tile->end());
  config.interchange.assign(order->begin(), order->end());
  if (dict.get(kRowReduction)) {
    std::optional<ArrayRef<int64_t>> row = array(dict, kRowReduction);
    if (!row || row->size() != 2 || (*row)[0] < 0)
      return std::nullopt;
    config.rowReduction = RowReduction{unsigned((*row)[0]), (*row)[1]};
  }
  if (dict.get(kDistribute)) {
    std::optional<ArrayRef<int64_t>> split = array(dict, kDistribute);
    if (!split || split->size() != 3 || (*split)[0] < 0 || (*split)[2] < 1)
      return std::nullopt;
    config.distribute =
        Distribution{unsigned((*split)[0]), (*split)[1], unsigned((*split)[2])};
  }
  if (dict.get(kMinParallelWork) &&
      !(config.minParallelWork = integer(dict, kMinParallelWork)))
    return std::nullopt;
  if (dict.get(kPackOperand)) {
    std::optional<int64_t> operand = integer(dict, kPackOperand);
    if (!operand || *operand < 0)
      return std::nullopt;
    config.packOperand = unsigned(*operand);
  }
  if (dict.get(kGroup) && !(config.group = integer(dict, kGroup)))
    return std::nullopt;
  if (Attribute only = dict.get(kGroupOnly)) {
    if (!isa<UnitAttr>(only) || !config.group)
      return std::nullopt;
    config.groupOnly = true;
  }
  return config;
}

std::optional<LoweringConfig> LoweringConfig::get(Operation *op) {
  if (auto dict = op->getAttrOfType<DictionaryAttr>(kLoweringConfigAttr))
    return fromAttr(dict);
  return std::nullopt;
}

void LoweringConfig::set(Operation *op) const {
  op->setAttr(kLoweringConfigAttr, toAttr(op->getContext()));
}

LogicalResult verifyLoweringConfigs(Operation *root, bool onTensors) {
  WalkResult result = root->walk([&](Operation *op) {
    Attribute attr = op->getAttr(kLoweringConfigAttr);
    if (!attr)
      return WalkResult::advance();
    auto fail = [&](const Twine &why) {
      op->emitError() << "invalid '" << kLoweringConfigAttr << "': " << why;
      return WalkResult::interrupt();
    };
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || linalgOp.getNumDpsInits() != 1 ||
        !(linalgOp.hasPureBufferSemantics() ||
          (onTensors && linalgOp.hasPureTensorSemantics())))
      return fail(onTensors ? "expected on a linalg op on buffers or "
                              "tensors with one output"
                            : "expected on a linalg op on buffers with one "
                              "output");
    auto dict = dyn_cast<DictionaryAttr>(attr);
    std::optional<LoweringConfig> config =
        dict ? LoweringConfig::fromAttr(dict) : std::nullopt;
    if (!config)
      return fail("expected a dictionary with register_tile and interchange "
                  "(i64 arrays) and well-formed optional entries");
    int64_t loops = linalgOp.getNumLoops();
    if (int64_t(config->registerTile.size()) != loops)
      return fail("register_tile has " + Twine(config->registerTile.size()) +
                  " entries for " + Twine(loops) + " loops");
    if (llvm::any_of(config->registerTile, [](int64_t s) { return s < 0; }))
      return fail("register_tile sizes must be >= 0");
    SmallVector<int64_t> sorted(config->interchange);
    llvm::sort(sorted);
    for (int64_t i = 0; i < loops; ++i)
      if (int64_t(sorted.size()) != loops || sorted[i] != i)
        return fail("interchange is not a permutation of the " +
                    Twine(loops) + " loops");
    if (config->rowReduction &&
        (config->rowReduction->loop >= loops ||
         config->rowReduction->step < 1 ||
         linalgOp.getIteratorTypesArray()[config->rowReduction->loop] !=
             utils::IteratorType::reduction))
      return fail("row_reduction must name a reduction loop and a step >= 1");
    if (config->distribute &&
        (config->distribute->loop >= loops || config->distribute->block < 1 ||
         linalgOp.getIteratorTypesArray()[config->distribute->loop] !=
             utils::IteratorType::parallel))
      return fail("distribute must name a parallel loop and a block >= 1");
    if (config->packOperand &&
        *config->packOperand >= unsigned(linalgOp.getNumDpsInputs()))
      return fail("pack_operand must name an input");
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

} // namespace mlc::codegen
