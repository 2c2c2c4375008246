// Subcommands of the glyph CLI; each registers its options and returns an exit code.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace glyph::cli {

// Exit codes: 0 ok, 1 runtime failure (I/O), 2 bad input or configuration
// (eval: 3 when some calls failed after their retries).
std::function<int()> add_render_command(CLI::App& app);
std::function<int()> add_tokens_command(CLI::App& app);
std::function<int()> add_count_command(CLI::App& app);
std::function<int()> add_stats_command(CLI::App& app);
std::function<int()> add_serve_command(CLI::App& app);
std::function<int()> add_ask_command(CLI::App& app);
std::function<int()> add_eval_command(CLI::App& app);
std::function<int()> add_synth_command(CLI::App& app);
std::function<int()> add_reward_command(CLI::App& app);

}  // namespace glyph::cli
