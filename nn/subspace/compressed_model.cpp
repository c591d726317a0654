#include "netdim/nn/subspace/compressed_model.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "netdim/support/atomic_write.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/subspace/subspace_training.hpp"
#include "netdim/support/fnv1a.hpp"
#include "netdim/support/input_file.hpp"
#include "netdim/support/line_reader.hpp"

namespace netdim::nn::subspace {

namespace {

constexpr std::string_view kMagic = "netdim-subspace 2";
constexpr std::string_view kOlderMagic = "netdim-subspace 1";
constexpr std::string_view kChecksumKey = "checksum fnv1a64 ";
constexpr std::size_t kChecksumLine = kChecksumKey.size() + 16 + 1;  // with its '\n'
constexpr std::size_t kMaxLine = 4096;                 // every line, '\n' not counted
constexpr std::size_t kMaxName = 1000;                 // a layer's name in an initialiser line
constexpr std::uint64_t kMaxHeader = 32ull << 20;      // the bytes before the first coordinate
constexpr std::uint64_t kMaxDimension = 1'000'000'000;
constexpr std::size_t kMaxCoordinateLine = 16;         // "-1.17549435e-38\n", the longest %.9g of a float
constexpr std::size_t kMinCoordinateLine = 2;          // "0\n"
// The header's keys, in the order they come, on lines 2 to 7.
constexpr std::string_view kKeys[] = {"fingerprint", "projection", "init_seed", "projection_seed", "parameters",
                                      "dimension"};
constexpr std::size_t kKeyCount = std::size(kKeys);

bool is_hex16(std::string_view s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// What goes into a message: printable ASCII, at most 60 bytes of it.
std::string excerpt(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 60)) {
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > 60) out += "...";
  return "'" + out + "'";
}

std::string coordinate_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  return buf;
}

// The same spelling as Architecture::describe(): the kind, and the value (shortest round trip).
std::string initialiser_text(const nn::Initializer& init) {
  const auto with_value = [&](const char* name) {
    char buf[64];
    const auto [end, error] = std::to_chars(buf, buf + sizeof buf, init.value);
    return std::string(name) + "(" + (error == std::errc() ? std::string(buf, end) : std::string("?")) + ")";
  };
  using Kind = nn::Initializer::Kind;
  switch (init.kind) {
    case Kind::PyTorchDefault: return "pytorch";
    case Kind::Normal: return with_value("normal");
    case Kind::Uniform: return with_value("uniform");
    case Kind::He: return "he";
    case Kind::Glorot: return "glorot";
    case Kind::Zeros: return "zeros";
    case Kind::Constant: return with_value("constant");
  }
  return "?";
}

// A layer's name as an initialiser line holds it: one printable token, bounded.
std::string name_in_file(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (out.size() + 3 > kMaxName) {
      out += "...";
      break;
    }
    if (c > 0x20 && c < 0x7f && c != '%') out += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// Reads and checks a .sub file line by line; every refusal is one DataError naming the file and the line.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path) : path_(path) {}

  CompressedModel read() {
    // One open regular file (never a FIFO, /dev/zero or a directory), its size checked first.
    std::optional<support::LineReader> lines;
    try {
      lines.emplace(path_, kMaxHeader + kMaxDimension * kMaxCoordinateLine + kChecksumLine, kMaxLine);
    } catch (const support::InputError& e) {
      throw data::DataError(path_, e.cause());
    }
    try {
      return read_lines(*lines, lines->size());
    } catch (const support::InputError& e) {  // a line too long, a NUL byte, a read error
      throw data::DataError(path_, "line " + std::to_string(line_ + 1) + ": " + e.cause());
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw data::DataError(path_, "line " + std::to_string(line_) + ": " + what);
  }

  // The next line, checked for what netdim never writes; false at the end of the file.
  bool next(support::LineReader& lines, std::string& line) {
    if (!lines.next(line)) return false;
    line_ = lines.line_number();
    if (!line.empty() && line.back() == '\r')
      fail("CRLF line ending: the file was converted to DOS/Windows line endings, netdim reads LF only "
           "(dos2unix restores it)");
    if (lines.last_line_unterminated())
      fail("the last line " + excerpt(line) + " has no newline: the file is truncated");
    for (unsigned char c : line)
      if (c < 0x20 || c >= 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02x", c);
        fail(std::string("a byte ") + buf + ", which netdim never writes: a damaged or foreign file");
      }
    return true;
  }

  std::uint64_t count(std::string_view key, std::string_view v) const {
    if (v.empty()) fail(std::string(key) + " has no value");
    if (v.size() > 1 && v[0] == '0') fail(std::string(key) + " " + excerpt(v) + " has a leading zero");
    std::uint64_t n = 0;
    const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (error == std::errc::result_out_of_range) fail(std::string(key) + " " + excerpt(v) + " does not fit 64 bits");
    if (error != std::errc() || end == v.data()) fail(std::string(key) + " " + excerpt(v) + " is not a decimal count");
    if (end != v.data() + v.size()) fail(std::string(key) + " " + excerpt(v) + ": characters after the number");
    return n;
  }

  float coordinate(std::string_view v) const {
    if (v.empty()) fail("an empty line where a coordinate should be");
    std::string lower(v);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("0x") != std::string::npos) fail("the coordinate " + excerpt(v) + " is a hex float: netdim writes decimal");
    if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos)
      fail("the coordinate " + excerpt(v) + " is not a finite number");
    float x = 0;
    const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (error == std::errc::result_out_of_range) fail("the coordinate " + excerpt(v) + " is out of float32's range");
    if (error != std::errc()) fail("the coordinate " + excerpt(v) + " is not a number");
    if (end != v.data() + v.size()) fail("the coordinate " + excerpt(v) + ": characters after the number");
    if (!std::isfinite(x)) fail("the coordinate " + excerpt(v) + " is not a finite number");
    // Only the spelling netdim writes: one text per float, so nothing else passes for a coordinate.
    if (const std::string canonical = coordinate_text(x); v != canonical)
      fail("the coordinate " + excerpt(v) + " is not written as netdim writes it (" + excerpt(canonical) + ")");
    return x;
  }

  // "KEY VALUE" lines 2 to 7, in order; another known key is a duplicate or out of place.
  void header_key(std::size_t index, const std::string& line, CompressedModel& m) {
    const std::size_t space = line.find(' ');
    const std::string_view key = std::string_view(line).substr(0, space);
    const std::string_view expected = kKeys[index];
    if (key != expected) {
      if (space == std::string::npos) fail("expected '" + std::string(expected) + " VALUE', found " + excerpt(line));
      for (std::size_t k = 0; k < kKeyCount; ++k)
        if (key == kKeys[k])
          fail(k < index ? "duplicate key '" + std::string(key) + "' (already on line " + std::to_string(k + 2) + ")"
                         : "key '" + std::string(key) + "' out of order: expected '" + std::string(expected) + "' here");
      fail("unknown key " + excerpt(key) + " (expected '" + std::string(expected) + "')");
    }
    if (space == std::string::npos) fail(std::string(key) + " has no value");
    const std::string_view v = std::string_view(line).substr(space + 1);
    switch (index) {
      case 0:
        if (!is_hex16(v)) fail("fingerprint " + excerpt(v) + " is not 16 lowercase hex digits");
        m.fingerprint = std::string(v);
        break;
      case 1: {
        const auto projection = projection_from_name(v);
        if (!projection) fail("unknown projection " + excerpt(v) + " (dense, sparse or fastfood)");
        m.projection = *projection;
        break;
      }
      case 2: m.init_seed = count(key, v); break;
      case 3: m.projection_seed = count(key, v); break;
      case 4:
        m.parameters = count(key, v);
        if (m.parameters == 0) fail("parameters 0: a network without parameters has no subspace");
        break;
      case 5:
        dimension_ = count(key, v);
        if (dimension_ == 0 || dimension_ > kMaxDimension)
          fail("dimension " + std::to_string(dimension_) + " out of range (1 to " + std::to_string(kMaxDimension) + ")");
        if (dimension_ > m.parameters)
          fail("dimension " + std::to_string(dimension_) + " exceeds the " + std::to_string(m.parameters) +
               " parameters of line 6: a subspace of R^D has at most D dimensions");
        break;
    }
  }

  // "initialiser LAYER weight_init=X [bias_init=Y]" (or bias_init alone), each layer once.
  void initialiser(const std::string& line, CompressedModel& m) {
    std::istringstream is(line.substr(std::string_view("initialiser ").size()));
    std::string layer, first, second, more;
    is >> layer >> first >> second >> more;
    const auto spec = [](const std::string& s, std::string_view key) {
      if (s.size() <= key.size() || s.compare(0, key.size(), key) != 0) return false;
      const std::string v = s.substr(key.size());
      const std::size_t open = v.find('(');
      const auto word = [](char c) { return c >= 'a' && c <= 'z'; };
      if (open == std::string::npos) return std::all_of(v.begin(), v.end(), word);
      return open > 0 && std::all_of(v.begin(), v.begin() + open, word) && v.back() == ')' &&
             v.find_first_of("()", open + 1) == v.size() - 1;
    };
    const bool ok = !layer.empty() && more.empty() && line.find("  ") == std::string::npos && line.back() != ' ' &&
                    ((spec(first, "weight_init=") && (second.empty() || spec(second, "bias_init="))) ||
                     (spec(first, "bias_init=") && second.empty()));
    if (!ok) fail("expected 'initialiser LAYER weight_init=... bias_init=...', found " + excerpt(line));
    for (std::size_t i = 0; i < m.initialisers.size(); ++i)
      if (m.initialisers[i].layer == layer)
        fail("a second initialiser line for layer " + excerpt(layer) + " (the first is line " +
             std::to_string(kKeyCount + 2 + i) + ")");
    m.initialisers.push_back({layer, second.empty() ? first : first + " " + second});
  }

  // Before the first coordinate: the file's size against what the header allows. (A file too
  // short for d coordinates is refused line by line, where it ends.)
  void check_size(std::uintmax_t size, std::uint64_t header_bytes) const {
    const std::uint64_t most = header_bytes + dimension_ * kMaxCoordinateLine + kChecksumLine;
    if (size > most)
      throw data::DataError(path_, std::to_string(size) + " bytes, more than a model of dimension " +
                                       std::to_string(dimension_) + " (line 7) takes (at most " + std::to_string(most) +
                                       "): a damaged or foreign file");
  }

  CompressedModel read_lines(support::LineReader& lines, std::uintmax_t size) {
    std::string line;
    if (!next(lines, line)) throw data::DataError(path_, "empty, not a netdim subspace model");
    if (line == kOlderMagic)
      fail("written by an older netdim (format 1, without the checksum and the initialisers): re-run netdim "
           "intrinsic --save");
    if (line != kMagic)
      fail("not a netdim subspace model (the first line is " + excerpt(line) + ", not '" + std::string(kMagic) + "')");
    CompressedModel m;
    support::Fnv1a64 hash;
    std::uint64_t bytes = 0;  // before the current line
    const auto take = [&] {
      hash.add(line);
      hash.add("\n");
      bytes += line.size() + 1;
      if (bytes > kMaxHeader && m.coordinates.empty()) fail("the header is longer than " + std::to_string(kMaxHeader) + " bytes");
    };
    take();
    for (std::size_t k = 0; k < kKeyCount; ++k) {
      if (!next(lines, line)) fail_at_end("before '" + std::string(kKeys[k]) + "'");
      header_key(k, line, m);
      take();
    }
    bool sized = false;
    while (next(lines, line)) {
      if (line.rfind("checksum ", 0) == 0) {
        if (m.coordinates.size() != dimension_)
          fail("the checksum line after " + std::to_string(m.coordinates.size()) + " coordinates, but line 7 declares " +
               std::to_string(dimension_));
        if (line.size() != kChecksumLine - 1 || line.rfind(kChecksumKey, 0) != 0 || !is_hex16(line.substr(kChecksumKey.size())))
          fail("expected '" + std::string(kChecksumKey) + "' and 16 lowercase hex digits, found " + excerpt(line));
        if (line.substr(kChecksumKey.size()) != hash.hex()) fail("checksum mismatch: the file was edited or damaged");
        if (next(lines, line)) fail("more after the checksum line, which ends the file");
        return m;
      }
      if (m.coordinates.empty() && line.rfind("initialiser ", 0) == 0) {
        initialiser(line, m);
        take();
        continue;
      }
      // A word and a space: a key where a coordinate belongs.
      if (const std::size_t space = line.find(' '); space != std::string::npos && space > 0 &&
                                                    std::all_of(line.begin(), line.begin() + space, [](char c) {
                                                      return (c >= 'a' && c <= 'z') || c == '_';
                                                    })) {
        const std::string key = line.substr(0, space);
        for (std::size_t k = 0; k < kKeyCount; ++k)
          if (key == kKeys[k]) fail("duplicate key '" + key + "' (already on line " + std::to_string(k + 2) + ")");
        if (key == "initialiser") fail("an initialiser line among the coordinates (they come before them)");
        fail("unknown key " + excerpt(key));
      }
      if (!sized) {
        check_size(size, bytes);
        m.coordinates.reserve(std::min<std::uint64_t>(dimension_, (size > bytes ? size - bytes : 0) / kMinCoordinateLine));
        sized = true;
      }
      if (m.coordinates.size() == dimension_)
        fail("more than the " + std::to_string(dimension_) + " coordinates line 7 declares");
      m.coordinates.push_back(coordinate(line));
      take();
    }
    fail_at_end("after " + std::to_string(m.coordinates.size()) + " of the " + std::to_string(dimension_) +
                " coordinates, without the checksum line");
  }

  [[noreturn]] void fail_at_end(const std::string& where) {
    ++line_;
    fail("the file ends " + where + ": it is truncated");
  }

  std::filesystem::path path_;
  std::size_t line_ = 0;
  std::uint64_t dimension_ = 0;
};

}  // namespace

std::vector<LayerInitialisers> non_default_initialisers(const nn::Architecture& architecture) {
  std::vector<LayerInitialisers> out;
  using nn::LayerKind;
  for (const nn::Layer& l : architecture.layers()) {
    // The blocks the layer has, as Architecture::describe() and parameter_blocks() see them.
    const bool has_weight = l.kind == LayerKind::Dense || l.kind == LayerKind::Conv2d ||
                            l.kind == LayerKind::BatchNorm || l.kind == LayerKind::Projection;
    const bool has_bias = ((l.kind == LayerKind::Dense || l.kind == LayerKind::Conv2d) && l.bias) ||
                          l.kind == LayerKind::BatchNorm;
    std::string text;
    if (has_weight && l.weight_init.kind != nn::Initializer::Kind::PyTorchDefault)
      text = "weight_init=" + initialiser_text(l.weight_init);
    if (has_bias && l.bias_init.kind != nn::Initializer::Kind::PyTorchDefault)
      text += (text.empty() ? "" : " ") + std::string("bias_init=") + initialiser_text(l.bias_init);
    if (!text.empty()) out.push_back({name_in_file(l.name), text});
  }
  return out;
}

CompressedModel compressed_model_of(const nn::Architecture& architecture) {
  CompressedModel m;
  m.fingerprint = architecture.fingerprint();
  m.parameters = architecture.parameter_count();
  m.initialisers = non_default_initialisers(architecture);
  return m;
}

void save_compressed(const std::filesystem::path& path, const CompressedModel& m) {
  // Nothing is written that load_compressed would refuse.
  if (!is_hex16(m.fingerprint)) throw data::DataError(path, "the fingerprint " + excerpt(m.fingerprint) + " is not 16 hex digits");
  const std::size_t d = m.coordinates.size();
  if (d == 0 || d > kMaxDimension || d > m.parameters)
    throw data::DataError(path, std::to_string(d) + " coordinates for " + std::to_string(m.parameters) +
                                    " parameters: nothing a subspace model can hold");
  for (std::size_t i = 0; i < d; ++i)
    if (!std::isfinite(m.coordinates[i]))
      throw data::DataError(path, "coordinate " + std::to_string(i) + " is not finite: training diverged");
  std::ostringstream os;
  os << kMagic << "\nfingerprint " << m.fingerprint << "\nprojection " << projection_name(m.projection)
     << "\ninit_seed " << m.init_seed << "\nprojection_seed " << m.projection_seed << "\nparameters " << m.parameters
     << "\ndimension " << d << "\n";
  for (const LayerInitialisers& l : m.initialisers) os << "initialiser " << l.layer << " " << l.initialisers << "\n";
  for (const float v : m.coordinates) os << coordinate_text(v) << "\n";
  std::string text = os.str();
  support::Fnv1a64 hash;
  hash.add(text);
  text += std::string(kChecksumKey) + hash.hex() + "\n";
  support::write_text_atomically(path, text);
}

CompressedModel load_compressed(const std::filesystem::path& path) { return Reader(path).read(); }

CompressedModel load_compressed(const std::filesystem::path& path, const nn::Architecture& architecture) {
  CompressedModel m = load_compressed(path);
  const auto fail = [&](const std::string& what) { throw data::DataError(path, what); };
  if (m.fingerprint != architecture.fingerprint()) {
    // theta0 is drawn from the initialisers: name the first that differs, else the layers differ.
    const std::vector<LayerInitialisers> here = non_default_initialisers(architecture);
    const auto find = [](const std::vector<LayerInitialisers>& in, const std::string& layer) {
      return std::find_if(in.begin(), in.end(), [&](const LayerInitialisers& l) { return l.layer == layer; });
    };
    std::vector<std::string> names;
    for (const nn::Layer& l : architecture.layers()) names.push_back(name_in_file(l.name));
    for (std::size_t i = 0; i < m.initialisers.size(); ++i) {
      const LayerInitialisers& saved = m.initialisers[i];
      const std::string where = "line " + std::to_string(kKeyCount + 2 + i) + ": saved from a network with " +
                                saved.initialisers + " on layer '" + saved.layer + "', this one has ";
      const auto it = find(here, saved.layer);
      if (it == here.end()) {
        if (std::find(names.begin(), names.end(), saved.layer) == names.end()) fail(where + "no layer of that name");
        fail(where + "the default initialisers (pytorch) there");
      }
      if (it->initialisers != saved.initialisers) fail(where + it->initialisers + " there");
    }
    for (const LayerInitialisers& l : here)
      if (find(m.initialisers, l.layer) == m.initialisers.end())
        fail("saved from a network with the default initialisers (pytorch) on layer '" + l.layer + "', this one has " +
             l.initialisers + " there");
    fail("line 2: saved from another architecture (fingerprint " + m.fingerprint + ", this network's is " +
         architecture.fingerprint() + "): its layers differ");
  }
  if (const std::size_t D = architecture.parameter_count(); D != m.parameters)
    fail("line 6: parameters " + std::to_string(m.parameters) + ", but this network has " + std::to_string(D));
  return m;
}

Tensor<float> rebuild_parameters(const nn::Architecture& architecture, const CompressedModel& m) {
  if (architecture.fingerprint() != m.fingerprint)
    throw std::invalid_argument("the subspace model was saved for another architecture (fingerprint " + m.fingerprint +
                                ", this network's is " + architecture.fingerprint() + ")");
  const nn::Model<float> model(architecture, m.init_seed);
  if (model.parameter_count() != m.parameters)
    throw std::invalid_argument("the subspace model declares " + std::to_string(m.parameters) +
                                " parameters but the network has " + std::to_string(model.parameter_count()));
  Subspace<float> sub(model.parameters(),
                      make_projection<float>(m.projection, m.projection_seed, m.parameters, m.coordinates.size()));
  Tensor<float> d = Tensor<float>::from_shape({m.coordinates.size()});
  std::copy(m.coordinates.begin(), m.coordinates.end(), d.begin());
  sub.set_coordinates(std::move(d));
  return sub.parameters();
}

}  // namespace netdim::nn::subspace
