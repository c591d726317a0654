#include "netdim/analysis/report/dims_report.hpp"

#include <cstdio>
#include <sstream>

#include "netdim/analysis/exact/exact_report.hpp"
#include "netdim/analysis/report/number_format.hpp"
#include "netdim/analysis/spectral/esd_report.hpp"

namespace netdim::analysis::report {
namespace {

std::string fixed3(double v) { return fixed(v, 3); }

}  // namespace

// Each answer: a label, the value, and under it what the value means.
std::string dims_text(const std::string& name, const nn::Architecture& a, const ExactAnswer& exact,
                      const EsdResult& esd, const EsdProtocol& protocol) {
  std::size_t weights = 0, biases = 0;
  for (const nn::LayerCount& c : a.parameter_counts()) weights += c.weights, biases += c.biases;
  std::ostringstream o;
  const std::string indent = "            ";
  o << name << ": how many dimensions?\n";
  o << "  nominal   " << a.parameter_count() << "\n"
    << indent << "parameters (" << weights << " weights, " << biases << " biases): the naive answer\n";
  if (exact.psd) {
    const PsdResult& r = *exact.psd;
    const bool polynomial = r.degree.exactness == Exactness::Polynomial;
    o << "  " << (polynomial ? "PSD       " : "exact     ") << r.psd << "\n" << indent;
    if (polynomial)
      o << "polynomial spanning dimension: the generic rank of J, " << (r.modular ? "mod p" : "exact over Q") << ",\n"
        << indent << "best of " << r.ranks.size() << " random points";
    else
      o << "exact rank of J at random rational points, best of " << r.ranks.size() << " (piecewise: it varies)";
    if (r.probability_bound) {
      char bound[32];
      std::snprintf(bound, sizeof bound, "%.2g", *r.probability_bound);
      o << "; P(higher) <= " << bound;
    }
    o << "\n";
  } else {
    o << "  exact     -\n" << indent << exact.reason << "\n";
  }
  if (esd.sd.empty()) {
    o << "  ESD       -\n" << indent << "no sample finished\n";
  } else {
    const SampleSummary& s = esd.summary;
    o << "  ESD       " << fixed3(s.mean);
    if (s.count >= 2) o << " +- " << fixed3(s.stderr_of_mean) << " (95% CI " << fixed3(s.ci95_low) << " to " << fixed3(s.ci95_high) << ")";
    o << "\n"
      << indent << "expected spanning dimension: the mean effective rank of J over " << s.count << " draws\n"
      << indent << "(" << esd.points << " "
      << (protocol.inputs == InputDistribution::Data ? "data" : input_distribution_name(protocol.inputs))
      << " inputs each" << (protocol.parameters ? ", at the given parameters" : "") << "): the directions training really moves in"
      << (esd.interrupted ? " (interrupted: over the samples finished)" : "") << "\n";
  }
  return o.str();
}

nlohmann::ordered_json dims_json(const std::string& file, const nn::Architecture& a, const ExactAnswer& exact,
                                 const EsdResult& esd, const EsdProtocol& protocol) {
  nlohmann::ordered_json j;
  j["file"] = file;
  j["nominal"] = a.parameter_count();
  j["exact"] = exact.psd ? psd_json(*exact.psd) : nlohmann::ordered_json(nullptr);
  j["exact_reason"] = exact.psd ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(exact.reason);
  j["esd"] = esd_json(esd, protocol);
  return j;
}

}  // namespace netdim::analysis::report
