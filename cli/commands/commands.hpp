// The subcommands of `netdim`, one file each in cli/commands/. A command adds
// its CLI::App (name, help, options) to the parent and returns what to run when
// the user chose it. To add one (jacobian, rank, esd, ...): write
// cli/commands/NAME.cpp defining add_NAME, declare it below, append it to
// kCommands (the order of `netdim --help`), and list the file in cli/meson.build.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace netdim::cli {

struct Command {
  CLI::App* app = nullptr;   // the subcommand, owned by the parent app
  std::function<int()> run;  // returns the exit code; called only after a successful parse
};

using AddCommand = Command (*)(CLI::App& parent);

Command add_check(CLI::App& parent);
Command add_params(CLI::App& parent);
Command add_fmt(CLI::App& parent);
Command add_export(CLI::App& parent);
Command add_draw(CLI::App& parent);
Command add_jacobian(CLI::App& parent);
Command add_psd(CLI::App& parent);
Command add_coeffs(CLI::App& parent);
Command add_theorem21(CLI::App& parent);
Command add_dims(CLI::App& parent);
Command add_esd(CLI::App& parent);
Command add_spectrum(CLI::App& parent);
Command add_sweep(CLI::App& parent);
Command add_fitexp(CLI::App& parent);
Command add_train(CLI::App& parent);
Command add_zoo(CLI::App& parent);
Command add_intrinsic(CLI::App& parent);
Command add_intrinsic_load(CLI::App& parent);
Command add_import(CLI::App& parent);
Command add_forward(CLI::App& parent);

inline constexpr AddCommand kCommands[] = {
    add_dims, add_check, add_params,    add_fmt,   add_import, add_export, add_draw, add_forward, add_jacobian,       add_esd,
    add_spectrum, add_sweep, add_fitexp, add_train, add_zoo, add_intrinsic, add_intrinsic_load, add_psd,
    add_coeffs, add_theorem21};

}  // namespace netdim::cli
