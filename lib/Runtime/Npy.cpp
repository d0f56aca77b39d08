//===- Npy.cpp - numpy .npy files -----------------------------------------===//
//
// The format: magic "\x93NUMPY", version, header length, a Python dict
// literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded to 64 bytes, then the data.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Npy.h"

#include "mlc/Support/Error.h"

#include <cctype>
#include <charconv>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

using namespace mlc::runtime;

namespace {

[[noreturn]] void fail(const std::string &path, const std::string &why) {
  throw mlc::Error(path + ": " + why);
}

struct DType {
  const char *descr;
  const char *name;
};
const DType kDTypes[] = {
    {"<f4", "float32"}, {"<f8", "float64"}, {"<f2", "float16"},
    {"<i4", "int32"},   {"<i8", "int64"},   {"<i2", "int16"},
    {"|i1", "int8"},    {"|u1", "uint8"},   {"|b1", "bool"}};

size_t itemSize(const std::string &dtype) {
  if (dtype == "float64" || dtype == "int64")
    return 8;
  if (dtype == "float32" || dtype == "int32")
    return 4;
  if (dtype == "float16" || dtype == "int16")
    return 2;
  return 1;
}

} // namespace

int64_t HostArray::numElements() const {
  int64_t n = 1;
  for (int64_t size : shape)
    n *= size;
  return n;
}

HostArray mlc::runtime::readNpy(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(path, "cannot open");
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    fail(path, "not a .npy file");
  uint32_t headerLength = 0;
  if (magic[6] == 1) {
    unsigned char len[2];
    if (!in.read(reinterpret_cast<char *>(len), 2))
      fail(path, "truncated header");
    headerLength = len[0] | (len[1] << 8);
  } else {
    unsigned char len[4];
    if (!in.read(reinterpret_cast<char *>(len), 4))
      fail(path, "truncated header");
    headerLength = len[0] | (len[1] << 8) | (len[2] << 16) |
                   (uint32_t(len[3]) << 24);
  }
  {
    std::streampos here = in.tellg();
    in.seekg(0, std::ios::end);
    std::streamoff rest = in.tellg() - here;
    in.seekg(here);
    if (std::streamoff(headerLength) > rest)
      fail(path, "truncated header");
  }
  std::string header(headerLength, '\0');
  if (!in.read(header.data(), headerLength))
    fail(path, "truncated header");

  std::smatch m;
  if (!std::regex_search(header, m,
                         std::regex("'descr':\\s*'([^']*)'")))
    fail(path, "no descr in the header");
  std::string descr = m[1];
  HostArray array;
  for (const DType &d : kDTypes)
    if (descr == d.descr)
      array.dtype = d.name;
  if (array.dtype.empty())
    fail(path,
         "unsupported dtype '" + descr +
             "' (little-endian float16/32/64, int8/16/32/64, uint8, bool)");
  if (std::regex_search(header, m,
                        std::regex("'fortran_order':\\s*True")))
    fail(path, "Fortran-order arrays are not supported");
  if (!std::regex_search(header, m,
                         std::regex("'shape':\\s*\\(([^)]*)\\)")))
    fail(path, "no shape in the header");
  std::string dims = m[1];
  // Dimensions: non-negative decimal integers separated by commas, each
  // within int64 and their byte count too (checked against what the file
  // holds before anything is allocated).
  size_t pos = 0;
  auto skipSpace = [&] {
    while (pos < dims.size() && std::isspace(static_cast<unsigned char>(dims[pos])))
      ++pos;
  };
  uint64_t elements = 1;
  bool overflow = false;
  for (skipSpace(); pos < dims.size(); skipSpace()) {
    size_t start = pos;
    if (dims[pos] == '-')
      fail(path, "negative dimension in shape (" + dims + ")");
    int64_t size = 0;
    auto [end, error] =
        std::from_chars(dims.data() + pos, dims.data() + dims.size(), size);
    if (error == std::errc::result_out_of_range)
      fail(path, "dimension " + dims.substr(start, end - dims.data() - start) +
                     " does not fit in int64");
    if (error != std::errc())
      fail(path, "malformed shape (" + dims + ")");
    pos = end - dims.data();
    array.shape.push_back(size);
    overflow |= __builtin_mul_overflow(elements, uint64_t(size), &elements);
    skipSpace();
    if (pos < dims.size()) {
      if (dims[pos] != ',')
        fail(path, "malformed shape (" + dims + ")");
      ++pos;
    }
  }
  uint64_t bytes = 0;
  overflow |= __builtin_mul_overflow(elements, uint64_t(itemSize(array.dtype)), &bytes);
  std::streampos dataStart = in.tellg();
  in.seekg(0, std::ios::end);
  std::streamoff available = in.tellg() - dataStart;
  in.seekg(dataStart);
  if (overflow || bytes > uint64_t(available))
    fail(path, "truncated data: the shape (" + dims + ") needs " +
                   (overflow ? std::string("more than 2^64")
                             : std::to_string(bytes)) +
                   " bytes, the file holds " + std::to_string(available));
  array.bytes.resize(bytes);
  if (!in.read(array.bytes.data(), array.bytes.size()))
    fail(path, "truncated data");
  return array;
}

void mlc::runtime::writeNpy(const std::string &path, const HostArray &array) {
  std::string descr;
  for (const DType &d : kDTypes)
    if (array.dtype == d.name)
      descr = d.descr;
  if (descr.empty())
    fail(path, "cannot write dtype " + array.dtype);
  std::ostringstream dict;
  dict << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape.size(); ++i)
    dict << array.shape[i] << (array.shape.size() == 1 || i + 1 < array.shape.size() ? "," : "")
         << (i + 1 < array.shape.size() ? " " : "");
  dict << "), }";
  std::string header = dict.str();
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out)
    fail(path, "cannot create");
  out.write("\x93NUMPY\x01\x00", 8);
  char len[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
  out.write(len, 2);
  out << header;
  out.write(array.bytes.data(), array.bytes.size());
  if (!out)
    fail(path, "write failed");
}
