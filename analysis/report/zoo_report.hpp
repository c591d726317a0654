// The reports of a zoo run (analysis/experiments/zoo_experiment.hpp): one CSV row
// per network and reduction, the JSON of the protocol, networks and correlations,
// the text of tables 3 and 4, and a scatter plot with its line and band per
// relation (figures 9, 10 and 13).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "netdim/analysis/experiments/zoo_experiment.hpp"
#include "netdim/analysis/report/line_plot.hpp"

namespace netdim::analysis::report {

// PREFIX-esd-REDUCE-top1.svg, PREFIX-parameters-top5.svg, ...: x_name "esd_first" or
// "parameters", y_name "top1_error" or "top5_error" (a ZooRelation's names).
std::string zoo_plot_name(const std::string& prefix, const std::string& x_name, const std::string& y_name);

// network,parameters,reduce,esd,stderr,min,max,samples,seconds,peak_bytes,top1_error,top5_error:
// a row per network and reduction with at least one sample; numbers round-trip, unknown ones empty.
std::string zoo_rows_csv(const experiments::ZooOptions& options, const std::vector<experiments::ZooNetwork>& networks);

// {"protocol", "networks", "correlations", "interrupted"}; non-finite numbers null.
nlohmann::ordered_json zoo_json(const experiments::ZooOptions& options,
                                const std::vector<experiments::ZooNetwork>& networks,
                                const std::vector<experiments::ZooRelation>& relations, bool interrupted);

// Each network's ESD (+- its standard error), seconds and peak MiB per reduction beside its
// errors; then each relation's n, r and p.
std::string zoo_tables_text(const experiments::ZooOptions& options,
                            const std::vector<experiments::ZooNetwork>& networks,
                            const std::vector<experiments::ZooRelation>& relations);

// The networks as points, and where there is a line, the line and its one-sigma band.
LinePlot zoo_relation_plot(const experiments::ZooRelation& relation);

}  // namespace netdim::analysis::report
