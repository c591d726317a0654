// The .net language construct by construct: what each one builds.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "netdim/nn/mlp.hpp"
#include "tests/dsl/dsl_helpers.hpp"

using namespace netdim;
using netdim::testing::describe;
using netdim::testing::errors;
using netdim::testing::load;

namespace {

nn::Architecture arch(const dsl::LoadResult& r) {
  REQUIRE_MESSAGE(r.ok(), dsl::render(r.diagnostics));
  return *r.architecture;
}

const nn::Layer& layer(const nn::Architecture& a, const std::string& name) {
  const std::size_t i = a.find(name);
  REQUIRE_MESSAGE(i < a.layers().size(), "no layer " << name << " in\n" << a.describe());
  return a.layers()[i];
}

}  // namespace

TEST_CASE("dsl: the version line comes first and is 1") {
  CHECK(load("netdim 1\nx = input(2)\n").ok());
  CHECK(errors("x = input(2)\n").find("missing version line") != std::string::npos);
  CHECK(errors("netdim 2\nx = input(2)\n").find("unsupported language version 2") != std::string::npos);
  CHECK(errors("netdim\nx = input(2)\n").find("expected the language version") != std::string::npos);
}

TEST_CASE("dsl: comments, blank lines, CRLF and tabs are layout only") {
  const std::string plain = describe("netdim 1\nx = input(4)\ny = dense(x, 2)\n");
  CHECK(describe("# header\nnetdim 1  # version\n\n\n# the input\nx = input(4)  # four\n\ty = dense(x,\n 2)\n# end\n") == plain);
  CHECK(describe("netdim 1\r\nx = input(4)\r\ny = dense(x, 2)\r\n") == plain);
  CHECK(describe("netdim 1\nx = input(4)\ny = dense(x, 2)") == plain);  // no final line break
}

TEST_CASE("dsl: integer constants and checked arithmetic") {
  const auto& a = arch(load("netdim 1\nn = 7\nm = (n + 3) * 2 - 20 / 3 % 4 + 2^3^2 - -1\nx = input(m)\n"));
  // (10) * 2 - (6 % 4 = 2) + 512 + 1 = 531
  CHECK(a.layers()[0].shape == Shape{531});
  CHECK(errors("netdim 1\nx = input(1 / 0)\n").find("division by zero") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(5 % (2 - 2))\n").find("division by zero") != std::string::npos);
  CHECK(errors("netdim 1\nn = 3037000500 * 3037000500\n").find("integer overflow") != std::string::npos);
  CHECK(errors("netdim 1\nn = 2^63\n").find("integer overflow") != std::string::npos);
  CHECK(errors("netdim 1\nn = 2^-1\n").find("negative exponent") != std::string::npos);
  CHECK(errors("netdim 1\nn = 99999999999999999999\n").find("integer literal is too large") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(3)\nn = x + 1\n").find("`+` needs integers, found a layer") != std::string::npos);
}

TEST_CASE("dsl: input shapes: features or channels, height, width") {
  CHECK(arch(load("netdim 1\nx = input(784)\n")).input_shape() == Shape{784});
  CHECK(arch(load("netdim 1\nx = input(3, 32, 32)\n")).input_shape() == Shape{3, 32, 32});
  CHECK(errors("netdim 1\nx = input(3, 32)\n").find("input takes 1 or 3 sizes") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(0)\n").find("must be at least 1") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(2)\ny = input(2)\n").find("already has an input") != std::string::npos);
  CHECK(errors("netdim 1\nn = 3\n").find("the network has no layers") != std::string::npos);
}

TEST_CASE("dsl: dense with activation, bias and initialisers") {
  const auto& a = arch(load(
      "netdim 1\nx = input(5)\n"
      "h = dense(x, 4, activation=leaky_relu, slope=0.2, weight_init=normal(0.5), bias_init=constant(-1))\n"
      "y = dense(h, 3, bias=false, weight_init=he)\n"
      "z = dense(y, 2, weight_init=glorot, bias_init=zeros)\n"
      "w = dense(z, 2, weight_init=uniform(0.1), bias_init=pytorch_default)\n"));
  const nn::Layer& d1 = layer(a, "dense1");
  CHECK(d1.units == 4);
  CHECK(d1.bias);
  CHECK(d1.weight_init == nn::Initializer::normal(0.5));
  CHECK(d1.bias_init == nn::Initializer::constant(-1));
  const nn::Layer& act = layer(a, "leaky_relu1");
  CHECK(act.activation == nn::Activation::LeakyRelu);
  CHECK(act.slope == 0.2);
  CHECK_FALSE(layer(a, "dense2").bias);
  CHECK(layer(a, "dense2").weight_init == nn::Initializer::he());
  CHECK(layer(a, "dense3").weight_init == nn::Initializer::glorot());
  CHECK(layer(a, "dense3").bias_init == nn::Initializer::zeros());
  CHECK(layer(a, "dense4").weight_init == nn::Initializer::uniform(0.1));
  CHECK(layer(a, "dense4").bias_init == nn::Initializer::pytorch_default());
  CHECK(a.parameter_count() == 5 * 4 + 4 + 4 * 3 + 3 * 2 + 2 + 2 * 2 + 2);
  CHECK(errors("netdim 1\nx = input(5)\ny = dense(x, 2, slope=0.1)\n").find("`slope` applies to activation=leaky_relu only") !=
        std::string::npos);
  CHECK(errors("netdim 1\nx = input(5)\ny = dense(x, 2, bias=false, bias_init=zeros)\n").find("bias=false") !=
        std::string::npos);
  CHECK(errors("netdim 1\nx = input(5)\ny = dense(x, 2, weight_init=normal(-1))\n").find("positive scale") !=
        std::string::npos);
}

TEST_CASE("dsl: the ten activations, as functions, pipes and attributes") {
  const auto& a = arch(load(
      "netdim 1\nx = input(2)\n"
      "y = identity(x) | relu | leaky_relu(slope=0.3) | sigmoid | tanh | softplus | square | cube | sin | relu6\n"
      "z = dense(y, 2, activation=cube)\n"
      "w = dense(z, 2, activation=relu6)\n"));
  const std::vector<std::pair<std::string, nn::Activation>> expected{
      {"identity1", nn::Activation::Identity}, {"relu1", nn::Activation::Relu},   {"leaky_relu1", nn::Activation::LeakyRelu},
      {"sigmoid1", nn::Activation::Sigmoid},   {"tanh1", nn::Activation::Tanh},   {"softplus1", nn::Activation::Softplus},
      {"square1", nn::Activation::Square},     {"cube1", nn::Activation::Cube},   {"sin1", nn::Activation::Sin},
      {"relu6_1", nn::Activation::Relu6},     {"cube2", nn::Activation::Cube},   {"relu6_2", nn::Activation::Relu6}};
  for (const auto& [name, fn] : expected) CHECK(layer(a, name).activation == fn);
  CHECK(layer(a, "leaky_relu1").slope == 0.3);
  CHECK(errors("netdim 1\nx = input(2)\ny = dense(x, 2, activation=rleu)\n").find("did you mean `relu`?") !=
        std::string::npos);
}

TEST_CASE("dsl: conv2d geometry, pooling, flatten, batch norm") {
  const auto& a = arch(load(
      "netdim 1\nx = input(4, 32, 32)\n"
      "c1 = conv2d(x, 8, kernel=3, stride=2, padding=1, dilation=1, groups=2, bias=false)\n"  // 8x16x16
      "c2 = conv2d(c1, 8, kernel=(3, 5), padding=(1, 2), dilation=2)\n"                       // 8x14x12
      "p = max_pool2d(c2, kernel=2)\n"                                                        // 8x7x6
      "q = avg_pool2d(p, kernel=3, stride=1, padding=1)\n"                                    // 8x7x6
      "b = batch_norm(q)\n"
      "g = global_avg_pool(b)\n"
      "f = flatten(q) | dense(10)\n"));
  const nn::Layer& c1 = layer(a, "conv1");
  CHECK(c1.shape == Shape{8, 16, 16});
  CHECK(c1.groups == 2);
  CHECK_FALSE(c1.bias);
  CHECK(c1.window.stride == std::array<std::size_t, 2>{2, 2});
  const nn::Layer& c2 = layer(a, "conv2");
  CHECK(c2.window.kernel == std::array<std::size_t, 2>{3, 5});
  CHECK(c2.window.dilation == std::array<std::size_t, 2>{2, 2});
  CHECK(c2.shape == Shape{8, 14, 12});
  CHECK(layer(a, "maxpool1").window.stride == std::array<std::size_t, 2>{2, 2});  // stride defaults to the kernel
  CHECK(layer(a, "maxpool1").shape == Shape{8, 7, 6});
  CHECK(layer(a, "avgpool1").shape == Shape{8, 7, 6});
  CHECK(layer(a, "bn1").kind == nn::LayerKind::BatchNorm);
  CHECK(layer(a, "gap1").shape == Shape{8});
  CHECK(layer(a, "flatten1").shape == Shape{336});
  CHECK(a.parameter_count() == 8 * 2 * 9 + (8 * 8 * 15 + 8) + 2 * 8 + 336 * 10 + 10);
  CHECK(errors("netdim 1\nx = input(4, 8, 8)\nc = conv2d(x, 8)\n").find("`conv2d` needs `kernel`") != std::string::npos);
}

TEST_CASE("dsl: torchvision's layers: ceil-mode pooling, adaptive pooling, dropout, channel shuffle, chunk") {
  const auto& a = arch(load(
      "netdim 1\nx = input(3, 224, 224)\n"
      "c = conv2d(x, 24, kernel=3, stride=2, padding=1, activation=relu6)\n"  // 24x112x112
      "m = max_pool2d(c, kernel=3, stride=2, ceil_mode=true)\n"             // 24x56x56 (floor: 55)
      "f = max_pool2d(c, 3, 2, 0, false)\n"                                  // 24x55x55
      "v = avg_pool2d(m, kernel=2, ceil_mode=true)\n"                        // 24x28x28
      "s = channel_shuffle(v, groups=2)\n"
      "l = chunk(s, 2, 0)\n"
      "r = chunk(s, chunks=2, index=1) | relu6\n"
      "j = concat(l, r) | adaptive_avg_pool2d(size=(6, 7))\n"
      "g = adaptive_avg_pool2d(j, 1) | flatten | dropout | dropout(p=0.2) | dense(10)\n"));
  CHECK(layer(a, "relu6_1").activation == nn::Activation::Relu6);
  CHECK(layer(a, "maxpool1").shape == Shape{24, 56, 56});
  CHECK(layer(a, "maxpool1").ceil_mode);
  CHECK(layer(a, "maxpool2").shape == Shape{24, 55, 55});
  CHECK_FALSE(layer(a, "maxpool2").ceil_mode);
  CHECK(layer(a, "avgpool1").shape == Shape{24, 28, 28});
  CHECK(layer(a, "shuffle1").groups == 2);
  CHECK(layer(a, "chunk1").shape == Shape{12, 28, 28});
  CHECK(layer(a, "chunk2").chunk == 1);
  CHECK(layer(a, "relu6_2").kind == nn::LayerKind::Activation);
  CHECK(layer(a, "adaptive_avgpool1").shape == Shape{24, 6, 7});
  CHECK(layer(a, "adaptive_avgpool2").shape == Shape{24, 1, 1});
  CHECK(layer(a, "dropout1").p == 0.5);
  CHECK(layer(a, "dropout2").p == 0.2);
  CHECK(layer(a, "dropout2").kind == nn::LayerKind::Dropout);
  CHECK(a.output_shape() == Shape{10});

  // Refusals: each one a diagnostic at the argument.
  const std::string img = "netdim 1\nx = input(6, 8, 8)\n";
  CHECK(errors(img + "y = channel_shuffle(x, groups=4)\n").find("does not divide the 6 channels") != std::string::npos);
  CHECK(errors(img + "y = channel_shuffle(x)\n").find("`channel_shuffle` needs `groups`") != std::string::npos);
  CHECK(errors(img + "y = chunk(x, 4, 0)\n").find("`chunks` of chunk is 4, which does not divide") != std::string::npos);
  CHECK(errors(img + "y = chunk(x, 3, 3)\n").find("`index` of chunk is 3, but there are only 3 chunks") !=
        std::string::npos);
  CHECK(errors(img + "y = chunk(x, 0, 0)\n").find("`chunks` of chunk") != std::string::npos);
  CHECK(errors(img + "y = adaptive_avg_pool2d(x, (0, 2))\n").find("`size` of adaptive_avg_pool2d") != std::string::npos);
  CHECK(errors(img + "y = adaptive_avg_pool2d(x)\n").find("needs `size`") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(6)\ny = adaptive_avg_pool2d(x, 1)\n").find("needs an image") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(6)\ny = channel_shuffle(x, 2)\n").find("needs an image") != std::string::npos);
  CHECK(errors(img + "y = dropout(x, p=1.5)\n").find("`p` of dropout must be between 0 and 1") != std::string::npos);
  CHECK(errors(img + "y = dropout(x, p=true)\n").find("must be a number") != std::string::npos);
  CHECK(errors(img + "y = max_pool2d(x, 2, ceil_mode=1)\n").find("must be true or false") != std::string::npos);
  CHECK(errors(img + "y = max_pool2d(x, 9, ceil_mode=true)\n").find("window does not fit") != std::string::npos);
}

TEST_CASE("dsl: add is strict, concat joins channels, shortcuts adapt explicitly") {
  const auto& a = arch(load(
      "netdim 1\nx = input(4, 8, 8)\n"
      "c = conv2d(x, 4, kernel=3, padding=1)\n"
      "s = add(c, x)\n"
      "k = concat(c, x, s)\n"                            // 12 channels
      "d = conv2d(k, 16, kernel=3, stride=2, padding=1)\n"  // 16x4x4
      "p = shortcut(k, d, adapt=projection)\n"
      "q = shortcut(x, d, adapt=sample)\n"
      "r = shortcut(q, p)\n"
      "u = projection(x, to=d)\n"
      "v = sample(x, d)\n"));
  CHECK(layer(a, "concat1").shape == Shape{12, 8, 8});
  CHECK(layer(a, "proj1").kind == nn::LayerKind::Projection);
  CHECK(layer(a, "proj1").window.stride == std::array<std::size_t, 2>{2, 2});
  CHECK(layer(a, "sample1").kind == nn::LayerKind::Sample);
  CHECK(layer(a, "add2").inputs == std::vector<std::size_t>{a.find("conv2"), a.find("proj1")});  // to + adapt(from)
  CHECK(layer(a, "add4").inputs == std::vector<std::size_t>{a.find("add2"), a.find("add3")});
  CHECK(layer(a, "proj2").shape == Shape{16, 4, 4});
  CHECK(layer(a, "sample2").shape == Shape{16, 4, 4});
  CHECK(errors("netdim 1\nx = input(4)\nd = dense(x, 3)\ns = add(d, x)\n").find("add needs equal shapes") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(4)\nd = dense(x, 3)\ns = shortcut(x, d)\n").find("adapt=identity") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(4)\ns = add(x)\n").find("needs at least two layers") != std::string::npos);
}

TEST_CASE("dsl: pipes pass the left value as the first argument") {
  CHECK(describe("netdim 1\nx = input(3)\ny = x | dense(4, activation=relu) | dense(2)\n") ==
        describe("netdim 1\nx = input(3)\na = dense(x, 4, activation=relu)\ny = dense(a, 2)\n"));
  // An inline call builds its layer once.
  CHECK(arch(load("netdim 1\nx = input(3)\ny = dense(dense(x, 4), 2)\n")).layers().size() == 3);
  CHECK(errors("netdim 1\nx = input(3)\ny = x | 3\n").find("expected a layer after `|`") != std::string::npos);
}

TEST_CASE("dsl: layer names: automatic like nn's builders, `as` for your own") {
  const auto& a = arch(load(
      "netdim 1\nx = input(3)\n"
      "h = dense(x, 4, activation=relu) as fc1\n"
      "y = dense(h, 2) | sigmoid as out\n"));
  CHECK(a.layers()[0].name == "input");
  CHECK(a.find("fc1") < a.layers().size());
  CHECK(a.find("fc1.relu") < a.layers().size());
  CHECK(a.find("dense1") < a.layers().size());
  CHECK(a.find("out") < a.layers().size());
  CHECK(a.parameter_blocks()[0].name == "fc1.weight");
  CHECK(errors("netdim 1\nx = input(3)\na = dense(x, 2) as fc\nb = dense(a, 2) as fc\n").find("layer name `fc` is already used") !=
        std::string::npos);
  // torchvision's dotted indices: `0.1` lexes as a number, and in a name it is two pieces and a dot.
  const auto& dotted = arch(load("netdim 1\nx = input(3)\na = dense(x, 2) as fc.0.1\nb = dense(a, 2) as 1.2.3\n"));
  CHECK(dotted.find("fc.0.1") < dotted.layers().size());
  CHECK(dotted.find("1.2.3") < dotted.layers().size());
  CHECK(errors("netdim 1\nx = input(3)\na = dense(x, 2) as fc.1e3\n") != "");
}

TEST_CASE("dsl: blocks with parameters, defaults and hierarchical names") {
  const char* text =
      "netdim 1\n"
      "block unit(x, width, act=relu) {\n"
      "  a = dense(x, width, activation=act)\n"
      "  return dense(a, width) as conv1\n"
      "}\n"
      "x = input(3)\n"
      "h = unit(x, 4)\n"
      "g = unit(h, width=2, act=tanh)\n"
      "k = unit(g, 2) as stage2.block1\n";
  const auto& a = arch(load(text));
  CHECK(a.find("unit1.dense1") < a.layers().size());
  CHECK(a.find("unit1.relu1") < a.layers().size());
  CHECK(a.find("unit2.tanh1") < a.layers().size());
  CHECK(a.find("stage2.block1.conv1") < a.layers().size());
  bool found = false;
  for (const nn::ParameterBlock& b : a.parameter_blocks()) found |= b.name == "stage2.block1.conv1.weight";
  CHECK(found);
  CHECK(errors(std::string(text) + "z = unit(k)\n").find("needs the argument `width`") != std::string::npos);
  CHECK(errors(std::string(text) + "z = unit(k, 2, widht=3)\n").find("did you mean `width`?") != std::string::npos);
  CHECK(errors("netdim 1\nblock f(x) {\n  y = dense(x, 2)\n}\nx = input(2)\nz = f(x)\n").find("returns nothing") !=
        std::string::npos);
  // A block sees its parameters and the file's names, not its caller's.
  CHECK(errors("netdim 1\nblock f(x) {\n  return add(x, hidden)\n}\nx = input(2)\nhidden = dense(x, 2)\n"
               "y = f(x)\n").empty());
}

TEST_CASE("dsl: recursive blocks are an error") {
  const std::string e = errors("netdim 1\nblock f(x) {\n  return f(x)\n}\nx = input(2)\ny = f(x)\n");
  CHECK(e.find("block `f` calls itself") != std::string::npos);
  const std::string mutual = errors(
      "netdim 1\nblock g(x) {\n  return x\n}\nblock f(x) {\n  return g(f(x))\n}\nx = input(2)\ny = f(x)\n");
  CHECK(mutual.find("calls itself") != std::string::npos);
}

TEST_CASE("dsl: loops: inclusive ranges, loop-carried names, generated names") {
  const auto& a = arch(load(
      "netdim 1\nx = input(2)\nh = x\n"
      "for i in 1..3 {\n  t = dense(h, 2 * i) as fc{i}\n  h = relu(t)\n}\n"
      "for i in 5..4 {\n  h = relu(h)\n}\n"  // empty
      "y = dense(h, 1)\n"));
  CHECK(a.find("fc1") < a.layers().size());
  CHECK(a.find("fc3") < a.layers().size());
  CHECK(layer(a, "fc3").units == 6);
  CHECK(layer(a, "dense1").inputs[0] == a.find("relu3"));
  CHECK(a.layers().size() == 1 + 6 + 1);
  // Nested loops and block instances named by both indices.
  const auto& b = arch(load(
      "netdim 1\nblock blk(x) {\n  return dense(x, 2) as conv1\n}\nx = input(2)\nh = x\n"
      "for s in 1..2 {\n  for k in 1..2 {\n    h = blk(h) as stage{s}.block{k}\n  }\n}\n"));
  CHECK(b.find("stage2.block2.conv1") < b.layers().size());
  CHECK(errors("netdim 1\nx = input(2)\nh = x\nfor i in 1..2 {\n  h = relu(h)\n  h = relu(h)\n}\n")
            .find("assigned twice in one loop iteration") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(2)\nfor i in 1..2 {\n  i = 3\n}\n").find("cannot assign the loop variable") !=
        std::string::npos);
}

TEST_CASE("dsl: names are assigned once and never shadow the built-ins") {
  CHECK(errors("netdim 1\nn = 1\nn = 2\n").find("`n` is already defined") != std::string::npos);
  CHECK(errors("netdim 1\nrelu = 3\n").find("built-in") != std::string::npos);
  CHECK(errors("netdim 1\nfor = 3\n").find("keyword") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(2)\ny = dense(xx, 2)\n").find("did you mean `x`?") != std::string::npos);
  CHECK(errors("netdim 1\nx = input(2)\ny = dens(x, 2)\n").find("did you mean `dense`?") != std::string::npos);
}

TEST_CASE("dsl: includes resolve relative to the including file and detect cycles") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "netdim_dsl_include_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "lib");
  const auto write = [&](const fs::path& p, const std::string& text) { std::ofstream(p) << text; };
  write(dir / "lib" / "blocks.net", "netdim 1\nwidth = 5\nblock two(x) {\n  return dense(x, width) | relu\n}\n");
  write(dir / "main.net", "netdim 1\ninclude \"lib/blocks.net\"\nx = input(3)\ny = two(x)\n");
  write(dir / "a.net", "netdim 1\ninclude \"b.net\"\n");
  write(dir / "b.net", "netdim 1\ninclude \"a.net\"\n");
  const dsl::LoadResult r = dsl::load_file(dir / "main.net");
  REQUIRE_MESSAGE(r.ok(), dsl::render(r.diagnostics));
  CHECK(r.architecture->parameter_count() == 3 * 5 + 5);
  const std::string cycle = dsl::render(dsl::load_file(dir / "a.net").diagnostics);
  CHECK(cycle.find("include cycle") != std::string::npos);
  const std::string missing = dsl::render(dsl::load_source("netdim 1\ninclude \"nope.net\"\n", (dir / "m.net").string()).diagnostics);
  CHECK(missing.find("cannot read " + (dir / "nope.net").string() + ": No such file or directory") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("dsl: a missing file is one diagnostic without a position") {
  const dsl::LoadResult r = dsl::load_file("/nonexistent/x.net");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].span.line == 0);
  CHECK(dsl::render(r.diagnostics) == "/nonexistent/x.net: error: cannot read /nonexistent/x.net: No such file or directory\n");
  CHECK(dsl::render(dsl::load_file("/").diagnostics).find("Is a directory") != std::string::npos);
}

TEST_CASE("dsl: the shortcuts switch reproduces nn::mlp's variants exactly") {
  const auto source = [](const std::string& style, const std::string& adapt, std::vector<int> hidden) {
    std::ostringstream text;
    text << "netdim 1\nshortcuts " << style << (adapt.empty() ? "" : " adapt=") << adapt << "\nh0 = input(3)\n";
    for (std::size_t i = 0; i < hidden.size(); ++i)
      text << "h" << i + 1 << " = dense(h" << i << ", " << hidden[i] << ", activation=sigmoid)\n";
    text << "h = h" << hidden.size() << "\n";
    text << "y = dense(h, 1, bias=false)\n";
    return text.str();
  };
  nn::MlpOptions o;
  o.activation = nn::Activation::Sigmoid;
  o.output_bias = false;
  for (const auto& [style, mode] : {std::pair{std::string("none"), nn::Shortcuts::None},
                                    std::pair{std::string("add_shortcuts"), nn::Shortcuts::AddShortcuts},
                                    std::pair{std::string("add_inputs"), nn::Shortcuts::AddInputs}}) {
    o.shortcuts = mode;
    o.adapt = nn::Adapt::Identity;
    CHECK(describe(source(style, "", {3, 3})) == nn::mlp(3, {3, 3}, 1, o).describe());
    o.adapt = nn::Adapt::Projection;
    CHECK(describe(source(style, "projection", {5, 4})) == nn::mlp(3, {5, 4}, 1, o).describe());
  }
  // The figure 5 example files, too.
  for (const auto& [file, mode] : {std::pair{"fig5_mlp.net", nn::Shortcuts::None},
                                   std::pair{"fig5_add_shortcuts.net", nn::Shortcuts::AddShortcuts},
                                   std::pair{"fig5_add_inputs.net", nn::Shortcuts::AddInputs}}) {
    o.shortcuts = mode;
    o.adapt = nn::Adapt::Identity;
    const dsl::LoadResult r = dsl::load_file(std::filesystem::path(NETDIM_EXAMPLES_DIR) / "esd2020" / file);
    REQUIRE_MESSAGE(r.ok(), dsl::render(r.diagnostics));
    CHECK(r.architecture->describe() == nn::mlp(3, {3, 3}, 1, o).describe());
  }
  CHECK(errors("netdim 1\nx = input(2)\nshortcuts add_inputs\n").find("before the first layer") != std::string::npos);
  CHECK(errors("netdim 1\nshortcuts add_input\nx = input(2)\n").find("did you mean `add_inputs`?") != std::string::npos);
}

TEST_CASE("dsl: a layer that does not lead to the output is a warning, not an error") {
  const dsl::LoadResult r = load("netdim 1\nx = input(3)\nbranch = dense(x, 4)\ny = dense(x, 2)\n");
  CHECK(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].severity == dsl::Diagnostic::Severity::Warning);
  CHECK(dsl::render(r.diagnostics) ==
        "test.net:3:10: warning: layer `dense1` does not lead to the output\n"
        "  branch = dense(x, 4)\n"
        "           ^~~~~~~~~~~\n"
        "  hint: the output is the last layer, `dense2`; use this value or remove it\n");
}

TEST_CASE("dsl: a UTF-8 byte order mark is skipped") {
  CHECK(load("\xEF\xBB\xBFnetdim 1\nx = input(3)\n").ok());
}
