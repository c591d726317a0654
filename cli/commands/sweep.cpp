// netdim sweep [--max-width N | --widths1 L --widths2 L] [--activations A,B] [protocol flags]
// -o sweep.csv [--json F] [--heatmap PREFIX] [--resume]: seed 003's section 4.1 (figure 4),
// the ESD of every MLP 1-i-j-1 (analysis/sweep/width_sweep.hpp). The CSV is rewritten
// (atomically) every few seconds with the rows finished, so Ctrl-C or a crash keeps
// them, and --resume continues from it without recomputing them.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>

#include "netdim/analysis/report/heat_map.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/analysis/sweep/sweep_table.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/protocol_options.hpp"
#include "netdim/support/atomic_write.hpp"
#include "netdim/support/stop_requests.hpp"
#include "netdim/support/progress.hpp"

namespace netdim::cli {

namespace {
struct SweepOptions {
  std::size_t max_width = 40;
  std::string widths1, widths2, activations = "relu,sigmoid,tanh", csv, heatmap;
  JsonOutput json;
  ProtocolFlags protocol;
  bool resume = false;
};

constexpr std::size_t kMaxWidth = 1000;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at = s.find(sep); at != std::string::npos; at = s.find(sep, start)) {
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(s.substr(start));
  return parts;
}

// "1,2,8" or "1..40" or a mix ("1..4,8,16"): widths in [1, kMaxWidth], increasing, no repeats.
std::vector<std::size_t> widths_from(const std::string& text, std::string* error) {
  std::vector<std::size_t> widths;
  const auto number = [&](const std::string& s, std::size_t& out) {
    if (!integer_in(1, kMaxWidth)(s).empty()) return false;
    out = std::stoull(s);
    return true;
  };
  for (const std::string& part : split(text, ',')) {
    const std::size_t dots = part.find("..");
    std::size_t lo = 0, hi = 0;
    if (dots == std::string::npos ? !number(part, lo) : !number(part.substr(0, dots), lo) || !number(part.substr(dots + 2), hi)) {
      *error = "'" + part + "' is not a width (1 to " + std::to_string(kMaxWidth) + ") or a range a..b";
      return {};
    }
    if (dots == std::string::npos) hi = lo;
    if (hi < lo) {
      *error = "the range '" + part + "' is empty";
      return {};
    }
    for (std::size_t w = lo; w <= hi; ++w) {
      if (!widths.empty() && w <= widths.back()) {
        *error = "widths must increase without repeats, got " + std::to_string(w) + " after " + std::to_string(widths.back());
        return {};
      }
      widths.push_back(w);
    }
  }
  return widths;
}

std::vector<nn::Activation> activations_from(const std::string& text, std::string* error) {
  std::vector<nn::Activation> out;
  for (const std::string& name : split(text, ',')) {
    const auto a = nn::activation_from_name(name);
    if (!a) {
      *error = "unknown activation '" + name + "' (known: " + nn::activation_names() + ")";
      return {};
    }
    if (std::find(out.begin(), out.end(), *a) != out.end()) {
      *error = "activation '" + name + "' is listed twice";
      return {};
    }
    out.push_back(*a);
  }
  return out;
}

template <class Parse>
CLI::Validator parsed_by(Parse parse, const std::string& name) {
  return CLI::Validator(
      [parse](const std::string& s) {
        std::string error;
        parse(s, &error);
        return error;
      },
      name);
}

// One heat map per activation, on one colour scale across all of them.
void add_heatmaps(support::OutputBatch& outputs, const std::string& prefix, const analysis::SweepGrid& grid,
                  const std::vector<std::optional<analysis::SweepRow>>& rows) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const auto& r : rows)
    if (r) low = std::min(low, r->esd), high = std::max(high, r->esd);
  if (!std::isfinite(low)) return;
  const std::size_t per = grid.widths1.size() * grid.widths2.size();
  for (std::size_t a = 0; a < grid.activations.size(); ++a) {
    const std::string name(nn::activation_name(grid.activations[a]));
    analysis::report::HeatMap m;
    m.title = "ESD of 1-i-j-1 MLPs, " + name;
    m.x_label = "j (second hidden layer)";
    m.y_label = "i (first hidden layer)";
    m.value_label = "ESD";
    m.columns = grid.widths2;
    m.rows = grid.widths1;
    m.low = low, m.high = high;
    for (std::size_t k = 0; k < per; ++k) {
      const auto& r = rows[a * per + k];
      m.cells.push_back(r ? r->esd : std::nan(""));
    }
    outputs.add(prefix + "-" + name + ".svg", analysis::report::to_svg(m));
  }
}
}  // namespace

Command add_sweep(CLI::App& parent) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* app = parent.add_subcommand(
      "sweep", "The ESD of every MLP 1-i-j-1 over a grid of widths and activations (seed 003, figure 4)");
  app->add_option("--max-width", o->max_width, "N: i and j from 1 to N (default 40: the paper's 4,800 networks)")
      ->transform(integer_in(1, kMaxWidth));
  app->add_option("--widths1", o->widths1, "the first hidden layer's widths instead, e.g. 1..10,20,40")
      ->check(parsed_by(widths_from, "LIST"));
  app->add_option("--widths2", o->widths2, "the second hidden layer's widths instead")->check(parsed_by(widths_from, "LIST"));
  app->add_option("--activations", o->activations, "comma-separated (default relu,sigmoid,tanh)")
      ->check(parsed_by(activations_from, "LIST"));
  add_protocol_flags(*app, o->protocol, ProtocolUse::Sampling);
  app->add_option("-o,--csv", o->csv, "the CSV of rows: activation,i,j,parameters,esd,stderr,samples")->required();
  add_json_option(*app, o->json, "the rows, {\"sweep\", \"rows\"}");
  app->add_option("--heatmap", o->heatmap, "write PREFIX-ACTIVATION.svg heat maps on one colour scale");
  app->add_flag("--resume", o->resume, "continue the sweep in the --csv file, keeping its finished rows");
  return {app, [o, app] {
            FileRoles files(*app);
            // With --resume the CSV is read too: it is the one input an output may replace.
            files.input(protocol_input_file(o->protocol), "--inputs").output(o->csv, "--csv").json(o->json);
            files.prefix(o->heatmap, "--heatmap");
            std::string ignored;
            analysis::SweepGrid grid = analysis::square_grid(o->max_width);
            grid.activations = activations_from(o->activations, &ignored);
            if (!o->widths1.empty()) grid.widths1 = widths_from(o->widths1, &ignored);
            if (!o->widths2.empty()) grid.widths2 = widths_from(o->widths2, &ignored);
            if (!o->heatmap.empty())
              for (nn::Activation a : grid.activations)
                files.derived(o->heatmap + "-" + std::string(nn::activation_name(a)) + ".svg", "--heatmap");
            const analysis::EsdProtocol protocol = protocol_from(o->protocol);
            std::vector<std::optional<analysis::SweepRow>> finished;
            if (o->resume) {
              if (!std::filesystem::exists(o->csv))
                throw std::runtime_error("--resume: " + o->csv + " does not exist (run without --resume to start)");
              finished = analysis::read_sweep_csv(o->csv, grid, protocol);
            }
            std::size_t already = 0;
            for (const auto& r : finished) already += r.has_value();

            support::StopRequestScope interrupt;
            const std::size_t total = analysis::sweep_networks(grid).size();
            const bool root = analysis::world().root();  // under mpirun, rank 0 alone reports and writes
            support::Progress progress("sweep", total, root ? -1 : 0);
            auto last_save = std::chrono::steady_clock::now();
            analysis::SweepCallbacks callbacks;
            callbacks.stop_requested = [] { return support::stop_requested(); };
            std::size_t done = already;
            callbacks.row_done = [&](const std::vector<std::optional<analysis::SweepRow>>& rows, std::size_t k) {
              ++done;
              const analysis::SweepRow& r = *rows[k];
              char note[80];
              std::snprintf(note, sizeof note, "%s %zux%zu ESD %.3f", std::string(nn::activation_name(r.network.activation)).c_str(),
                            r.network.i, r.network.j, r.esd);
              progress.update(done, note);
              // A checkpoint every few seconds: what Ctrl-C or a crash leaves to resume from.
              if (root && std::chrono::steady_clock::now() - last_save > std::chrono::seconds(5)) {
                support::write_text_atomically(o->csv, analysis::sweep_csv(grid, protocol, rows));
                last_save = std::chrono::steady_clock::now();
              }
            };
            const analysis::SweepResult result =
                analysis::run_sweep(grid, protocol, protocol.threads, std::move(finished), callbacks);
            progress.finish();
            if (!root) return result.interrupted ? 130 : 0;
            // The CSV, the heat maps and the JSON file: all or none (the CSV's checkpoints stay for --resume).
            support::OutputBatch outputs;
            outputs.add(o->csv, analysis::sweep_csv(grid, protocol, result.rows));
            if (!o->heatmap.empty()) add_heatmaps(outputs, o->heatmap, grid, result.rows);
            std::size_t rows = 0;
            for (const auto& r : result.rows) rows += r.has_value();
            write_report(
                o->json, [&] { return analysis::report::json_text(analysis::sweep_json(grid, protocol, result.rows)); },
                [&] {
                  std::string text = std::to_string(rows) + " of " + std::to_string(total) + " networks in " + o->csv +
                                     (already ? " (" + std::to_string(already) + " resumed)" : std::string()) + "\n";
                  if (result.interrupted) text += "interrupted: rerun with --resume to finish\n";
                  return text;
                },
                outputs);
            return result.interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
