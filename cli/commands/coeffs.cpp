// netdim coeffs FILE.net [--params "3,2,9,4,7,6"] [--seed S] [--json]: the polynomial
// of a one-input one-output polynomial network and its coefficient Jacobian
// (analysis/exact/coefficients.hpp).
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "netdim/analysis/exact/exact_report.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"

namespace netdim::cli {

namespace {

struct CoeffsOptions {
  std::string file, params;
  std::uint64_t seed = 0;
  JsonOutput json;
};

// "3,2,-1/2": exact rationals in the canonical parameter order.
Tensor<Rational> parse_parameters(const std::string& text) {
  std::vector<Rational> values;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    const auto first = item.find_first_not_of(' '), last = item.find_last_not_of(' ');
    const std::string trimmed = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    try {
      values.emplace_back(trimmed);
    } catch (const std::exception&) {
      throw std::invalid_argument("--params: '" + trimmed + "' is not a rational number (write 3, -2 or 1/3)");
    }
  }
  Tensor<Rational> theta = Tensor<Rational>::from_shape({values.size()});
  for (std::size_t i = 0; i < values.size(); ++i) theta(i) = values[i];
  return theta;
}

}  // namespace

Command add_coeffs(CLI::App& parent) {
  auto o = std::make_shared<CoeffsOptions>();
  CLI::App* app = parent.add_subcommand(
      "coeffs", "The polynomial of a one-input polynomial network and its coefficient Jacobian, exactly");
  app->add_option("FILE", o->file, "the .net file (one input, one output, polynomial activations)")->required();
  app->add_option("--params", o->params,
                  "the parameters, comma separated rationals in the canonical order (default: integers in "
                  "[-9, 9] \\ {0} drawn from --seed)");
  app->add_option("--seed", o->seed, "seed of the drawn parameters (default 0)")->transform(integer_in(0, UINT64_MAX));
  add_json_option(*app, o->json,
                "{\"polynomial\", \"coefficients\", \"jacobian\", \"jacobian_rank\", \"equation7\", ...}");
  return {app, [o, app] {
            FileRoles(*app).input(o->file, "FILE").json(o->json);
            const auto network = load_network(o->file);
            if (!network) return 1;
            const Tensor<Rational> theta = o->params.empty()
                                               ? analysis::random_integer_point(network->parameter_count(), 9, o->seed)
                                               : parse_parameters(o->params);
            const analysis::CoefficientsReport r = analysis::coefficients_report(*network, theta);
            write_report(o->json, [&] { return analysis::report::json_text(analysis::coefficients_json(r)); },
                         [&] { return analysis::coefficients_text(r); });
            return 0;
          }};
}

}  // namespace netdim::cli
