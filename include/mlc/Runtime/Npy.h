//===- Npy.h - numpy .npy files ---------------------------------*- C++ -*-===//

#ifndef MLC_RUNTIME_NPY_H
#define MLC_RUNTIME_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlc::runtime {

/// A dense C-order array: its dtype name (float32, int64, bool, ...), shape
/// and bytes.
struct HostArray {
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<char> bytes;

  int64_t numElements() const;
};

/// Reads a .npy file (version 1-3, little-endian, C order). Throws
/// mlc::Error with the reason otherwise.
HostArray readNpy(const std::string &path);

/// Writes `array` as a version-1 .npy file. Throws mlc::Error on I/O errors.
void writeNpy(const std::string &path, const HostArray &array);

} // namespace mlc::runtime

#endif // MLC_RUNTIME_NPY_H
