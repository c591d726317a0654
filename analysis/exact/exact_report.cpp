#include "netdim/analysis/exact/exact_report.hpp"

#include <cstdio>
#include <map>
#include <sstream>

#include "netdim/analysis/exact/exact_rank.hpp"

namespace netdim::analysis {
namespace {

std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

nlohmann::ordered_json probability(const std::optional<double>& p) {
  return p ? nlohmann::ordered_json(*p) : nlohmann::ordered_json(nullptr);
}

const char* exactness_name(Exactness e) {
  switch (e) {
    case Exactness::Polynomial:
      return "polynomial";
    case Exactness::PiecewisePolynomial:
      return "piecewise";
    case Exactness::NotExact:
      break;
  }
  return "not exact";
}

nlohmann::ordered_json rational_strings(const Tensor<Rational>& t) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const Rational& v : t) a.push_back(v.str());
  return a;
}

}  // namespace

nlohmann::ordered_json psd_json(const PsdResult& r) {
  nlohmann::ordered_json draws = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < r.ranks.size(); ++k) draws.push_back({{"draw", k}, {"rank", r.ranks[k]}});
  const auto half = static_cast<std::int64_t>(r.set_size / 2);
  return {{"psd", r.psd},
          {"parameters", r.parameters},
          {"points", r.points},
          {"rows", r.rows},
          {"exactness", exactness_name(r.degree.exactness)},
          {"degree_theta", r.degree.saturated ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.degree.theta)},
          {"arithmetic", r.modular ? "modular" : "rational"},
          {"prime", r.modular ? nlohmann::ordered_json(r.prime) : nlohmann::ordered_json(nullptr)},
          {"jacobian_arithmetic", r.jacobian_mod_p ? "modular" : "rational"},
          {"parameter_set", r.fixed_parameters ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json{{"low", -half}, {"high", half}, {"size", r.set_size}}},
          {"draws", draws},
          {"reached", r.reached},
          {"probability_bound", probability(r.probability_bound)},
          {"interrupted", r.interrupted}};
}

std::string psd_text(const PsdResult& r) {
  std::ostringstream o;
  if (r.ranks.empty())  // stopped during the first draw: no rank to report, and no 0 that reads as one
    return "interrupted before the first draw finished: no rank (" + std::to_string(r.parameters) + " parameters, " +
           std::to_string(r.points) + " points)\n";
  const bool polynomial = r.degree.exactness == Exactness::Polynomial;
  o << (polynomial ? "polynomial spanning dimension: " : "exact spanning dimension (maximum over draws): ") << r.psd
    << " of " << r.parameters << " parameters\n";
  o << "  the rank of the " << r.rows << " x " << r.parameters << " Jacobian dN(x_i)/dtheta_j at " << r.points
    << (r.fixed_inputs ? " distinct given inputs, " : " distinct integer inputs, ");
  if (r.modular) {
    o << "mod p = " << r.prime << " (each a certified lower bound of the rank over Q)\n";
    if (r.jacobian_mod_p)
      o << "  Jn formed over Z/p (only ring operations, so it is the exact Jn reduced mod p); its rank mod p equals the rank "
           "over Q unless p divides every maximal nonzero minor\n";
    else if (polynomial)
      o << "  note: Jn formed over Q and then reduced (the fast Z/p evaluation works mod 2^61 - 1 only)\n";
    else
      o << "  note: Jn formed over Q and then reduced: " << r.degree.culprit
        << " compares, and Z/p has no order, so only polynomial networks are evaluated mod p\n";
  } else {
    o << "exactly over Q\n";
  }
  o << "  draws: " << r.ranks.size() << (r.interrupted ? " (interrupted: the rest were not drawn)" : "");
  if (r.fixed_parameters)
    o << " (at the given parameters)";
  else
    o << " (theta uniform on [-" << r.set_size / 2 << ", " << r.set_size / 2 << "] \\ {0})";
  o << "; ranks";
  for (std::size_t k : r.ranks) o << ' ' << k;
  o << "; " << r.reached.size() << " reached " << r.psd << "\n";
  if (!polynomial) {
    std::map<std::size_t, std::size_t> counts;
    for (std::size_t k : r.ranks) ++counts[k];
    o << "  " << r.degree.culprit << " makes the network piecewise: the rank varies with the point; distribution:";
    for (const auto& [rank, count] : counts) o << ' ' << rank << " x" << count;
    o << "\n";
  } else if (r.probability_bound) {
    o << "  P(generic rank > " << r.psd << ") <= " << short_number(*r.probability_bound)
      << "  (Schwartz-Zippel: ((psd + 1)(D - 1) / |S|)^draws, degree D = " << r.minor_degree_per_row + 1
      << " in theta, |S| = " << r.set_size << ")\n";
  }
  return o.str();
}

CoefficientsReport coefficients_report(const nn::Architecture& architecture, const Tensor<Rational>& theta) {
  CoefficientsReport r;
  const nn::Model<Rational> model(architecture);
  r.theta = theta;
  r.polynomial = network_polynomial(model, theta);
  r.jacobian_rank = exact_rank(r.polynomial.jacobian);
  // Equation 7 away from the interpolation points (integers): 1/2, 3/2, -1/2, 5/2, ...
  r.check_points = r.polynomial.degree_bound + 2;
  Tensor<Rational> x = Tensor<Rational>::from_shape({r.check_points, 1});
  for (std::size_t i = 0; i < r.check_points; ++i) {
    const long h = static_cast<long>(i / 2);
    x(i, 0) = i % 2 == 0 ? Rational(2 * h + 1, 2) : Rational(-2 * h - 1, 2);
  }
  r.equation7 = check_equation7(model, theta, r.polynomial, x).holds;
  return r;
}

nlohmann::ordered_json coefficients_json(const CoefficientsReport& r) {
  nlohmann::ordered_json jc = nlohmann::ordered_json::array();
  const Tensor<Rational>& j = r.polynomial.jacobian;
  for (std::size_t i = 0; i < j.shape()[0]; ++i) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (std::size_t l = 0; l < j.shape()[1]; ++l) row.push_back(j(i, l).str());
    jc.push_back(row);
  }
  return {{"parameters", r.theta.size()},
          {"theta", rational_strings(r.theta)},
          {"degree", r.polynomial.degree},
          {"degree_bound", r.polynomial.degree_bound},
          {"polynomial", polynomial_string(r.polynomial.coefficients)},
          {"coefficients", rational_strings(r.polynomial.coefficients)},
          {"jacobian", jc},
          {"jacobian_rank", r.jacobian_rank},
          {"equation7", {{"points", r.check_points}, {"holds", r.equation7}}}};
}

std::string coefficients_text(const CoefficientsReport& r) {
  std::ostringstream o;
  o << "theta = (";
  for (std::size_t i = 0; i < r.theta.size(); ++i) o << (i ? ", " : "") << r.theta(i).str();
  o << ")\n";
  o << "N(x) = " << polynomial_string(r.polynomial.coefficients) << "\n";
  o << "coefficient Jacobian Jc = dP/dtheta (row j: the coefficient of x^j), rank " << r.jacobian_rank << " of "
    << r.theta.size() << " parameters:\n";
  const Tensor<Rational>& j = r.polynomial.jacobian;
  std::vector<std::size_t> width(j.shape()[1], 0);
  for (std::size_t i = 0; i < j.shape()[0]; ++i)
    for (std::size_t l = 0; l < j.shape()[1]; ++l) width[l] = std::max(width[l], j(i, l).str().size());
  for (std::size_t i = 0; i < j.shape()[0]; ++i) {
    o << "  x^" << i << (i < 10 ? " " : "") << " ";
    for (std::size_t l = 0; l < j.shape()[1]; ++l) {
      const std::string s = j(i, l).str();
      o << std::string(width[l] - s.size() + 2, ' ') << s;
    }
    o << "\n";
  }
  o << "equation 7, Jn = V Jc at " << r.check_points << " other inputs: " << (r.equation7 ? "holds" : "FAILS")
    << "\n";
  return o.str();
}

nlohmann::ordered_json theorem21_json(const std::vector<Theorem21Row>& rows, std::size_t degree) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  bool all = true;
  for (const Theorem21Row& r : rows) {
    all = all && r.holds();
    a.push_back({{"depth", r.depth},
                 {"parameters", r.parameters},
                 {"psd", r.psd},
                 {"bound", r.bound},
                 {"holds", r.holds()},
                 {"probability_bound", probability(r.probability_bound)}});
  }
  return {{"degree", degree}, {"max_depth", rows.size()}, {"holds", all}, {"rows", a}};
}

std::string theorem21_text(const std::vector<Theorem21Row>& rows, std::size_t degree) {
  std::ostringstream o;
  o << "Theorem 2.1: height-1 networks with l hidden layers of x^" << degree << " have PSD <= l + 2\n";
  o << "  depth  parameters  psd  bound  holds  P(generic rank > psd) <=\n";
  for (const Theorem21Row& r : rows) {
    char line[160];
    std::snprintf(line, sizeof line, "  %5zu  %10zu  %3zu  %5zu  %5s  %s\n", r.depth, r.parameters, r.psd, r.bound,
                  r.holds() ? "yes" : "NO", r.probability_bound ? short_number(*r.probability_bound).c_str() : "-");
    o << line;
  }
  return o.str();
}

}  // namespace netdim::analysis
