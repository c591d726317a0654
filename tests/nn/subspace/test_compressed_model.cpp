// Compressed subspace models: saved and loaded, they rebuild exactly the
// parameters training left; another architecture (its layers or its
// initialisers) or an edited, damaged, truncated or foreign file is refused with
// one line naming the file, the line and what differs.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/subspace/compressed_model.hpp"
#include "netdim/nn/subspace/subspace_training.hpp"

using namespace netdim;
using namespace netdim::nn::subspace;

namespace {

std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("netdim-compressed-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

nn::Architecture network(const std::string& source) {
  dsl::LoadResult r = dsl::load_source(source, "test.net");
  REQUIRE(r.ok());
  return std::move(*r.architecture);
}

const char* kNet = "netdim 1\nx = input(3)\nh = dense(x, 7, activation=tanh)\ny = dense(h, 2)\n";
const char* kHeNet = "netdim 1\nx = input(3)\nh = dense(x, 7, activation=tanh, weight_init=he)\ny = dense(h, 2)\n";

// The file's text without its last line (the checksum), and with a checksum recomputed
// independently of the library (FNV-1a 64 over every byte before the checksum line).
std::string body(const std::string& text) {
  const std::size_t last = text.rfind("checksum ");
  REQUIRE(last != std::string::npos);
  return text.substr(0, last);
}
std::string sealed(const std::string& body_text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : body_text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "checksum fnv1a64 %016llx\n", static_cast<unsigned long long>(h));
  return body_text + buf;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

// A saved model of kNet (D = 44) with d = 4 known coordinates; the file's text.
struct Saved {
  std::filesystem::path path = temp_path("saved.sub");
  nn::Architecture arch = network(kNet);
  std::string text;
  Saved() {
    CompressedModel m = compressed_model_of(arch);
    m.projection = ProjectionKind::Fastfood;
    m.init_seed = 5;
    m.projection_seed = 99;
    m.coordinates = {0.5f, -1.25f, 3.0e-5f, 7.0f};
    save_compressed(path, m);
    text = read_bytes(path);
  }
  // Writes `bytes` and checks that loading it is refused with every one of `parts` in the message.
  void refused(const std::string& bytes, std::initializer_list<const char*> parts) const {
    write_bytes(path, bytes);
    INFO(bytes);
    try {
      load_compressed(path);
      FAIL("accepted");
    } catch (const data::DataError& e) {
      const std::string what = e.what();
      INFO(what);
      CHECK(what.rfind(path.string() + ": ", 0) == 0);
      CHECK(what.find('\n') == std::string::npos);
      for (const char* part : parts) CHECK_MESSAGE(what.find(part) != std::string::npos, part);
    }
  }
};

}  // namespace

TEST_CASE("compressed model: training's parameters rebuilt exactly from seeds and coordinates") {
  auto set = data::random_points<float>(64, 3, 1, 1);
  set.labels.resize(64);
  for (std::size_t i = 0; i < 64; ++i) set.labels[i] = set.inputs(i, 0) > set.inputs(i, 2) ? 1 : 0;
  set.targets = Tensor<float>(Shape{0});
  // The default initialisers, and others (theta0 is drawn from them).
  for (const nn::Architecture& arch :
       {nn::mlp(3, {7}, 2),
        network("netdim 1\nx = input(3)\nh = dense(x, 7, activation=tanh, weight_init=he, bias_init=constant(0.1))\n"
                "y = dense(h, 2, weight_init=normal(0.3))\n")}) {
    for (ProjectionKind kind : {ProjectionKind::Dense, ProjectionKind::Sparse, ProjectionKind::Fastfood}) {
      INFO(projection_name(kind));
      nn::Model<float> model(arch, 5);
      Subspace<float> sub(model.parameters(), make_projection<float>(kind, 99, model.parameter_count(), 6));
      nn::Adam<float> adam(0.05f);
      nn::TrainOptions options;
      options.epochs = 3;
      options.batch_size = 16;
      options.progress = 0;
      nn::train(model, sub.trainable(), adam, set, nullptr, options);
      CompressedModel m = compressed_model_of(arch);
      m.projection = kind;
      m.init_seed = 5;
      m.projection_seed = 99;
      m.coordinates.assign(sub.coordinates().begin(), sub.coordinates().end());
      CHECK(m.parameters == model.parameter_count());
      const auto path = temp_path("m.sub");
      save_compressed(path, m);
      const CompressedModel back = load_compressed(path, arch);
      CHECK(back.coordinates == m.coordinates);  // 9 digits: float32 round-trips exactly
      CHECK(back.projection_seed == 99);
      CHECK(back.initialisers == m.initialisers);
      const Tensor<float> theta = rebuild_parameters(arch, back);
      CHECK(theta == model.parameters());  // bit for bit
      CHECK_THROWS_AS(rebuild_parameters(nn::mlp(3, {8}, 2), back), std::invalid_argument);
    }
  }
}

TEST_CASE("fingerprint: unchanged for the default initialisers, changed by weight_init and bias_init") {
  // Today's values (computed before the initialisers joined the fingerprint): exports and
  // checkpoints of networks with the default initialisers keep theirs.
  const std::filesystem::path examples = NETDIM_EXAMPLES_DIR;
  for (const auto& [file, fingerprint] : {std::pair<const char*, const char*>{"zoo/resnet18.net", "d66f9a25d5e3e438"},
                                          {"intrinsic2018/lenet.net", "e46d0214a8c2124d"},
                                          {"counting/mlp_784_16_16_10.net", "637020cb2950aa02"}}) {
    INFO(file);
    dsl::LoadResult r = dsl::load_file(examples / file);
    REQUIRE(r.ok());
    CHECK(r.architecture->fingerprint() == fingerprint);
    CHECK(r.architecture->describe().find("_init=") == std::string::npos);
  }
  const auto fp = [](const std::string& options) {
    return network("netdim 1\nx = input(3)\nh = dense(x, 7" + options + ")\ny = dense(h, 2)\n").fingerprint();
  };
  const std::string plain = fp("");
  CHECK(fp(", weight_init=pytorch_default, bias_init=pytorch_default") == plain);  // the default, spelled out
  CHECK(fp(", weight_init=he") != plain);
  CHECK(fp(", bias_init=zeros") != plain);
  CHECK(fp(", weight_init=he") != fp(", weight_init=glorot"));
  CHECK(fp(", weight_init=normal(0.1)") != fp(", weight_init=normal(0.1000001)"));  // the value exactly
  CHECK(fp(", weight_init=normal(0.1)") != fp(", weight_init=uniform(0.1)"));
  CHECK(fp(", bias_init=constant(1)") != fp(", bias_init=constant(2)"));
  CHECK(fp(", weight_init=he") == fp(", weight_init=he"));
  // A bias initialiser without a bias draws nothing: the same network.
  nn::Architecture a, b;
  nn::DenseOptions no_bias;
  no_bias.bias = false;
  a.dense(a.input({3}), 2, no_bias);
  no_bias.bias_init = nn::Initializer::zeros();
  b.dense(b.input({3}), 2, no_bias);
  CHECK(a.fingerprint() == b.fingerprint());
}

TEST_CASE("compressed model: another network is refused, saying what differs") {
  const Saved s;
  write_bytes(s.path, s.text);
  CHECK_NOTHROW(load_compressed(s.path, s.arch));
  // The initialisers changed in the .net: theta0 would differ, and so would the accuracy.
  CHECK_THROWS_WITH_AS(load_compressed(s.path, network(kHeNet)),
                       doctest::Contains("saved from a network with the default initialisers (pytorch) on layer 'dense1', "
                                         "this one has weight_init=he there"),
                       data::DataError);
  // Saved from the he network, loaded into others.
  CompressedModel m = compressed_model_of(network(kHeNet));
  m.coordinates = {1.0f, 2.0f};
  save_compressed(s.path, m);
  CHECK(read_bytes(s.path).find("\ninitialiser dense1 weight_init=he\n") != std::string::npos);
  CHECK_NOTHROW(load_compressed(s.path, network(kHeNet)));
  CHECK_THROWS_WITH_AS(load_compressed(s.path, s.arch),
                       doctest::Contains("line 8: saved from a network with weight_init=he on layer 'dense1', this one has "
                                         "the default initialisers (pytorch) there"),
                       data::DataError);
  CHECK_THROWS_WITH_AS(
      load_compressed(s.path, network("netdim 1\nx = input(3)\nh = dense(x, 7, activation=tanh, weight_init=glorot)\n"
                                      "y = dense(h, 2)\n")),
      doctest::Contains("weight_init=he on layer 'dense1', this one has weight_init=glorot there"), data::DataError);
  // Other layers, the same initialisers.
  write_bytes(s.path, s.text);
  CHECK_THROWS_WITH_AS(load_compressed(s.path, network("netdim 1\nx = input(3)\nh = dense(x, 8)\ny = dense(h, 2)\n")),
                       doctest::Contains("line 2: saved from another architecture"), data::DataError);
}

TEST_CASE("compressed model: an edited or damaged file is refused by its checksum") {
  const Saved s;
  CHECK(s.text.rfind("netdim-subspace 2\n", 0) == 0);
  CHECK(s.text == sealed(body(s.text)));  // the checksum is FNV-1a 64 of every byte before it
  const char* mismatch = "checksum mismatch: the file was edited or damaged";
  s.refused(replaced(s.text, "\n-1.25\n", "\n-1.5\n"), {"line 12: ", mismatch});  // an edited coordinate
  s.refused(replaced(s.text, "init_seed 5\n", "init_seed 6\n"), {mismatch});
  s.refused(replaced(s.text, "projection_seed 99\n", "projection_seed 98\n"), {mismatch});
  s.refused(replaced(s.text, "projection fastfood\n", "projection sparse\n"), {mismatch});
  s.refused(replaced(s.text, "parameters 44\n", "parameters 45\n"), {mismatch});
  // Every single flipped bit, anywhere.
  for (std::size_t i = 0; i < s.text.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      std::string t = s.text;
      t[i] = static_cast<char>(t[i] ^ (1 << bit));
      write_bytes(s.path, t);
      CHECK_THROWS_WITH_AS(load_compressed(s.path), doctest::Contains(s.path.string().c_str()), data::DataError);
    }
}

TEST_CASE("compressed model: what netdim never writes is refused with the file and the line") {
  const Saved s;
  const std::string b = body(s.text);
  // Coordinates: lines 8 to 11 ("0.5", "-1.25", "3.00000008e-05", "7").
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n-0x1.4p+0\n")), {"line 9: ", "hex float"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\nnan\n")), {"line 9: ", "not a finite number"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n-inf\n")), {"line 9: ", "not a finite number"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n-1.25x\n")), {"line 9: ", "characters after the number"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n-1.25 \n")), {"line 9: ", "characters after the number"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n-1.250\n")), {"line 9: ", "not written as netdim writes it"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n1e39\n")), {"line 9: ", "out of float32's range"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n\n")), {"line 9: ", "empty line"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n-1.25\n2\n")), {"line 12: ", "more than the 4 coordinates"});
  s.refused(sealed(replaced(b, "\n-1.25\n", "\n")), {"line 11: ", "after 3 coordinates, but line 7 declares 4"});
  // Truncated: mid-number, at a line's end, before the checksum line.
  const std::size_t mid = s.text.find("\n-1.25\n") + 4;
  s.refused(s.text.substr(0, mid), {"line 9: ", "no newline: the file is truncated"});
  s.refused(s.text.substr(0, s.text.size() - 1), {"line 12: ", "no newline: the file is truncated"});
  s.refused(b, {"line 12: ", "the file ends after 4 of the 4 coordinates, without the checksum line"});
  s.refused(s.text.substr(0, s.text.find("\nparameters")) + "\n", {"line 6: ", "the file ends before 'parameters'"});
  s.refused(s.text + "0.5\n", {"line 13: ", "more after the checksum line"});
  // CRLF line endings (the checksum would hold for the LF bytes).
  std::string crlf;
  for (char c : s.text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  s.refused(crlf, {"line 1: ", "CRLF"});
  s.refused(replaced(s.text, "init_seed 5\n", "init_seed 5\r\n"), {"line 4: ", "CRLF"});  // one line only
  s.refused(replaced(s.text, "init_seed 5\n", "init_seed\t5\n"), {"line 4: ", "a byte 0x09"});
  // Keys: duplicate, unknown, out of order, malformed numbers; D and d.
  s.refused(sealed(replaced(b, "init_seed 5\n", "init_seed 5\ninit_seed 5\n")), {"line 5: ", "duplicate key 'init_seed'"});
  s.refused(sealed(replaced(b, "\n0.5\n", "\nprojection sparse\n0.5\n")), {"line 8: ", "duplicate key 'projection'"});
  s.refused(sealed(replaced(b, "init_seed 5\n", "colour blue\ninit_seed 5\n")), {"line 4: ", "unknown key 'colour'"});
  s.refused(sealed(replaced(b, "\n0.5\n", "\ncolour blue\n0.5\n")), {"line 8: ", "unknown key 'colour'"});
  s.refused(sealed(replaced(b, "init_seed 5\n", "")), {"line 4: ", "out of order"});
  s.refused(sealed(replaced(b, "init_seed 5\n", "init_seed 05\n")), {"line 4: ", "leading zero"});
  s.refused(sealed(replaced(b, "init_seed 5\n", "init_seed 0x5\n")), {"line 4: "});
  s.refused(sealed(replaced(b, "init_seed 5\n", "init_seed 18446744073709551616\n")), {"line 4: ", "64 bits"});
  s.refused(sealed(replaced(b, "dimension 4\n", "dimension 5\n")), {"line 12: ", "after 4 coordinates, but line 7 declares 5"});
  s.refused(sealed(replaced(b, "dimension 4\n", "dimension 3\n")), {"line 11: ", "more than the 3 coordinates"});
  s.refused(sealed(replaced(b, "dimension 4\n", "dimension 45\n")), {"line 7: ", "exceeds the 44 parameters"});
  s.refused(sealed(replaced(b, "dimension 4\n", "dimension 0\n")), {"line 7: ", "out of range"});
  s.refused(sealed(replaced(b, "projection fastfood", "projection gaussian")), {"line 3: ", "unknown projection"});
  s.refused(sealed(replaced(b, s.arch.fingerprint(), "abc")), {"line 2: ", "16 lowercase hex digits"});
  // D against the network it is loaded into (the fingerprint agreeing: a hand-made file).
  write_bytes(s.path, sealed(replaced(b, "parameters 44\n", "parameters 45\n")));
  CHECK_THROWS_WITH_AS(load_compressed(s.path, s.arch), doctest::Contains("line 6: parameters 45, but this network has 44"),
                       data::DataError);
  // Other versions and other files.
  s.refused(replaced(s.text, "netdim-subspace 2", "netdim-subspace 1"),
            {"line 1: ", "written by an older netdim", "re-run netdim intrinsic --save"});
  s.refused(replaced(s.text, "netdim-subspace 2", "netdim-subspace 3"), {"line 1: ", "not a netdim subspace model"});
  s.refused("", {"empty"});
  s.refused(std::string("netdim-subspace 2\n\0\n", 20), {"line 2: ", "NUL"});
  s.refused("netdim-subspace 2\n" + std::string(5000, 'a') + "\n", {"line 2: ", "longer than 4096"});
  CHECK_THROWS_AS(load_compressed(temp_path("missing.sub")), data::DataError);
}

TEST_CASE("compressed model: reading is bounded: no FIFO, no file larger than its header allows") {
  const Saved s;
  const auto fifo = temp_path("fifo.sub");
  std::filesystem::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(load_compressed(fifo), doctest::Contains("FIFO"), data::DataError);  // at once, no writer needed
  std::filesystem::remove(fifo);
  CHECK_THROWS_AS(load_compressed(temp_path("")), data::DataError);  // a directory
  // A valid header, then a sparse gigabyte: refused by its size before the coordinates are read.
  write_bytes(s.path, s.text);
  std::filesystem::resize_file(s.path, std::uintmax_t(1) << 30);
  CHECK_THROWS_WITH_AS(load_compressed(s.path), doctest::Contains("more than a model of dimension 4"), data::DataError);
  // A header that promises a billion coordinates in a small file: refused where the file ends.
  write_bytes(s.path, replaced(replaced(s.text, "dimension 4", "dimension 1000000000"), "parameters 44",
                               "parameters 1000000000"));
  CHECK_THROWS_WITH_AS(load_compressed(s.path), doctest::Contains("line 12: the checksum line after 4 coordinates"),
                       data::DataError);
}

TEST_CASE("compressed model: a large seed round-trips; nothing unreadable is written") {
  const auto path = temp_path("seed.sub");
  CompressedModel m{"0123456789abcdef", ProjectionKind::Sparse, 18446744073709551615ULL, 12345678901234567890ULL, 10,
                    {1.5f, -2.25f, 1.17549435e-38f, -1.40129846e-45f}, {}};
  save_compressed(path, m);
  const CompressedModel back = load_compressed(path);
  CHECK(back.init_seed == m.init_seed);
  CHECK(back.projection_seed == m.projection_seed);
  CHECK(back.projection == ProjectionKind::Sparse);
  CHECK(back.coordinates == m.coordinates);  // subnormals too
  CompressedModel bad = m;
  bad.coordinates[1] = std::nanf("");
  CHECK_THROWS_AS(save_compressed(path, bad), data::DataError);
  bad = m;
  bad.fingerprint = "abc";
  CHECK_THROWS_AS(save_compressed(path, bad), data::DataError);
  bad = m;
  bad.parameters = 3;  // d = 4 > D
  CHECK_THROWS_AS(save_compressed(path, bad), data::DataError);
  CHECK(load_compressed(path).coordinates == m.coordinates);  // the refused saves left the file as it was
}
